/**
 * Training the student through the training provider port: the dataset's training split
 * (never the held-out one) is uploaded as chat JSONL, a job is started, and once it completes
 * the trained model becomes the shop's student. Its price estimate goes into the usage ledger
 * as training spend, so the saving is reported net of it.
 */
import type { Db } from "../../db/open-database";
import { recordUsage } from "../../insights/usage-ledger";
import type { TrainingHyperparameters, TrainingJobSnapshot, TrainingProvider } from "../../providers/training/types";
import { exportDatasetJsonl } from "./dataset";
import { DistillError, loadRollout, saveRollout } from "./rollout";
import type { StudentModel } from "./types";

export interface StudentTrainingRequest {
  baseModel: string;
  hyperparameters?: TrainingHyperparameters;
}

export interface StudentTraining {
  providerJobId: string;
  provider: string;
  simulated: boolean;
  baseModel: string;
  estimatedUsd: number;
  status: TrainingJobSnapshot["status"];
  startedAt: string;
}

const TRAINING_REF_PREFIX = "distill-training:";

export async function startStudentTraining(db: Db, shop: string, provider: TrainingProvider, request: StudentTrainingRequest): Promise<StudentTraining> {
  const jsonl = await exportDatasetJsonl(db, shop, "train");
  const lines = jsonl.split("\n").filter(Boolean).length;
  if (lines === 0) throw new DistillError("no_dataset", "The dataset has no training examples yet: it fills from the teacher's validated answers.");
  const uploaded = await provider.uploadDataset({ filename: "distill-train.jsonl", jsonl });
  // A rough local count is enough for the estimate; the provider's own wins when it gives one.
  const estimate = await provider.estimatePrice({ baseModel: request.baseModel, trainingFileId: uploaded.fileId, trainingTokens: Math.ceil(jsonl.length / 4), hyperparameters: request.hyperparameters });
  const job = await provider.createJob({ baseModel: request.baseModel, trainingFileId: uploaded.fileId, suffix: "distill", hyperparameters: request.hyperparameters });
  const training: StudentTraining = {
    providerJobId: job.providerJobId,
    provider: provider.label,
    simulated: provider.simulated,
    baseModel: request.baseModel,
    estimatedUsd: estimate.totalUsd,
    status: job.status,
    startedAt: new Date().toISOString(),
  };
  const state = await loadRollout(db, shop);
  await saveRollout(db, shop, { ...state, training });
  return training;
}

/**
 * Reads the job once. When it completed, the trained model becomes the student (at the
 * provider's endpoint unless `servingBaseURL` names where it is served) and its cost is
 * written to the ledger once.
 */
export async function checkStudentTraining(
  db: Db,
  shop: string,
  provider: TrainingProvider,
  options: { servingBaseURL?: string; price?: StudentModel["price"] } = {},
): Promise<{ training: StudentTraining; student: StudentModel | null }> {
  const state = await loadRollout(db, shop);
  const training = state.training;
  if (!training) throw new DistillError("training_failed", "No student training was started for this shop.");
  const job = await provider.getJob(training.providerJobId);
  training.status = job.status;
  if (job.status === "failed" || job.status === "cancelled") {
    await saveRollout(db, shop, { ...state, training });
    throw new DistillError("training_failed", `Training stopped (${job.providerStatus}): ${job.error ?? "the provider gave no reason"}. The teacher keeps answering.`);
  }
  if (job.status !== "completed" || !job.resultModel) {
    await saveRollout(db, shop, { ...state, training });
    return { training, student: null };
  }
  const endpoint = provider.endpointFor(job.resultModel);
  const student: StudentModel = {
    model: job.resultModel,
    baseURL: options.servingBaseURL ?? endpoint.baseURL,
    simulated: provider.simulated,
    providerJobId: job.providerJobId,
    provider: provider.label,
    ...(options.price ? { price: options.price } : {}),
  };
  const ref = `${TRAINING_REF_PREFIX}${job.providerJobId}`;
  if ((await db.usageEvent.count({ where: { shop, ref } })) === 0) {
    await recordUsage(db, { shop, kind: "training", model: training.baseModel, inputTokens: job.trainedTokens ?? 0, outputTokens: 0, costUsd: training.estimatedUsd, latencyMs: 0, ref });
  }
  await saveRollout(db, shop, { ...state, training, student });
  return { training, student };
}
