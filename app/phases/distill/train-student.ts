/**
 * Training the student through phase 2's job tracking (docs/decisions/018): the dataset's
 * training split (never the held-out one) is uploaded as chat JSONL, priced, and started as a
 * TrainingJob of purpose "distill", polled by the same "training.poll" queue job as a voice
 * fine-tune. Once that job completes, the trained model becomes the shop's student and the
 * job's price goes into the usage ledger as training spend, once per job however many times
 * it is read, so the saving is reported net of it.
 */
import type { Db } from "../../db/open-database";
import { recordUsage } from "../../insights/usage-ledger";
import type { TrainingHyperparameters, TrainingJobRecord } from "../../providers/training/types";
import { getTrainingJob, listTrainingJobs, prepareTraining, startTrainingJob, type TrainingDeps } from "../training-jobs";
import { exportDatasetJsonl } from "./dataset";
import { DistillError, loadRollout, saveRollout } from "./rollout";
import type { StudentModel } from "./types";

export interface StudentTrainingRequest {
  baseModel: string;
  hyperparameters?: TrainingHyperparameters;
}

/** The rollout's view of the latest student training: the TrainingJob row is the record. */
export interface StudentTraining {
  trainingJobId: number;
  providerJobId: string | null;
  /** The provider's label ("Together AI", "simulated training"). */
  provider: string;
  simulated: boolean;
  baseModel: string;
  estimatedUsd: number;
  status: TrainingJobRecord["status"];
  startedAt: string;
}

/** The ledger reference of a training job's spend: one row per job. */
export const TRAINING_SPEND_REF_PREFIX = "training-job:";

export async function startStudentTraining(deps: TrainingDeps, shop: string, request: StudentTrainingRequest): Promise<StudentTraining> {
  const jsonl = await exportDatasetJsonl(deps.db, shop, "train");
  const lines = jsonl.split("\n").filter(Boolean).length;
  if (lines === 0) throw new DistillError("no_dataset", "The dataset has no training examples yet: it fills from the teacher's validated answers.");
  // A rough local count is enough for the estimate; the provider's own wins when it gives one.
  const prepared = await prepareTraining(deps, {
    shop,
    baseModel: request.baseModel,
    train: { filename: "distill-train.jsonl", jsonl },
    trainingTokens: Math.ceil(jsonl.length / 4),
    hyperparameters: request.hyperparameters,
  });
  const job = await startTrainingJob(deps, {
    shop,
    purpose: "distill",
    baseModel: request.baseModel,
    trainingFileId: prepared.trainingFileId,
    suffix: "distill",
    hyperparameters: request.hyperparameters,
    estimate: prepared.estimate,
  });
  const provider = await deps.providerFor(shop, job.provider);
  const training = trainingOf(job, provider.label);
  const state = await loadRollout(deps.db, shop);
  await saveRollout(deps.db, shop, { ...state, training });
  if (job.status === "failed") throw new DistillError("training_failed", `Training could not start: ${job.error ?? "the provider gave no reason"}. The teacher keeps answering.`);
  return training;
}

/**
 * Brings the rollout up to date with the student's TrainingJob, as the poll job last stored
 * it (the provider is not called here). When the job completed, its model becomes the student
 * (served at the provider's endpoint unless `servingBaseURL` names where it is served) and its
 * spend is written to the ledger if no row holds it yet. Safe to call any number of times.
 */
export async function syncStudentTraining(
  deps: Pick<TrainingDeps, "db" | "providerFor">,
  shop: string,
  options: { servingBaseURL?: string; trainingJobId?: number } = {},
): Promise<{ training: StudentTraining; student: StudentModel | null }> {
  const state = await loadRollout(deps.db, shop);
  const id = options.trainingJobId ?? state.training?.trainingJobId ?? (await listTrainingJobs(deps.db, shop, "distill", 1))[0]?.id;
  const job = id === undefined ? null : await getTrainingJob(deps.db, shop, id);
  if (!job || job.purpose !== "distill") throw new DistillError("training_failed", "No student training was started for this shop.");
  const provider = await deps.providerFor(shop, job.provider);
  const training = trainingOf(job, provider.label);
  if (job.status === "failed" || job.status === "cancelled") {
    await saveRollout(deps.db, shop, { ...state, training });
    throw new DistillError("training_failed", `Training stopped (${job.providerStatus ?? job.status}): ${job.error ?? "the provider gave no reason"}. The teacher keeps answering.`);
  }
  if (job.status !== "completed" || !job.resultModel) {
    await saveRollout(deps.db, shop, { ...state, training });
    return { training, student: null };
  }
  await recordTrainingSpend(deps.db, job);
  const endpoint = provider.endpointFor(job.resultModel);
  const student: StudentModel = {
    model: job.resultModel,
    baseURL: options.servingBaseURL ?? endpoint.baseURL,
    simulated: job.simulated,
    providerJobId: job.providerJobId ?? undefined,
    provider: provider.label,
    providerKind: job.provider,
    trainingJobId: job.id,
    baseModel: job.baseModel,
  };
  await saveRollout(deps.db, shop, { ...(await loadRollout(deps.db, shop)), training, student });
  return { training, student };
}

/** One ledger row per completed job, whoever reads it first (the poll job, the page, the CLI). */
export async function recordTrainingSpend(db: Db, job: TrainingJobRecord): Promise<boolean> {
  if (job.status !== "completed") return false;
  const ref = `${TRAINING_SPEND_REF_PREFIX}${job.id}`;
  if ((await db.usageEvent.count({ where: { shop: job.shop, ref } })) > 0) return false;
  await recordUsage(db, { shop: job.shop, kind: "training", model: job.baseModel, inputTokens: 0, outputTokens: 0, costUsd: job.estimatedPriceUsd ?? 0, latencyMs: 0, ref });
  return true;
}

function trainingOf(job: TrainingJobRecord, label: string): StudentTraining {
  return {
    trainingJobId: job.id,
    providerJobId: job.providerJobId,
    provider: label,
    simulated: job.simulated,
    baseModel: job.baseModel,
    estimatedUsd: job.estimatedPriceUsd ?? 0,
    status: job.status,
    startedAt: job.createdAt.toISOString(),
  };
}
