/**
 * Phase 2's steps as the admin runs them, each one function over the app's services:
 * which models write (prompting and the fine-tune), training on the stored dataset with
 * a confirmed price, evaluation, and a draft for one product. Routes stay thin doors.
 */
import type { Services } from "../../services";
import { trainingDepsFor } from "../../jobs/handlers";
import { listTrainingJobs, prepareTraining, startTrainingJob, type PreparedTraining } from "../training-jobs";
import { createOpenAIChatModel } from "../../providers/openai-chat";
import type { ModelEndpoint, TrainingJobRecord } from "../../providers/training/types";
import type { ChatModel } from "../../providers/types";
import { loadOwnModel } from "../../settings/training-settings";
import { loadAnswererConnection } from "../../settings/shop-settings";
import { evaluateVoice } from "./evaluate-voice";
import { createLocalCopywriter } from "./local-copywriter";
import { saveDraft, type CopyRevision } from "./publish-copy";
import { VoiceError } from "./types";
import { heldOutProducts, latestDataset, loadShopProducts, loadVoiceProfile, recordVoiceDrift, saveEvaluation, type StoredEvaluation } from "./voice-store";
import { isThinCopy, writeDescription, type DescriptionDraft } from "./write-description";

/** Prompting: the shop's own chat model with the brief, or the app's local writer when it has none. */
export async function promptingModelFor(services: Services, shop: string): Promise<{ model: ChatModel; name: string }> {
  const connection = await loadAnswererConnection(services.db, shop, services.config.encryptionKey);
  if (connection) return { model: createOpenAIChatModel({ baseURL: connection.baseURL, apiKey: connection.apiKey, model: connection.chatModel, endpointPolicy: services.config.merchantEndpoints }), name: connection.chatModel };
  return { model: createLocalCopywriter(), name: "local-copywriter" };
}

export interface FineTunedChoice {
  /** A completed voice training job's model; else the model registered in Settings (bring your own). */
  trainingJobId?: number;
}

export interface FineTunedModel {
  model: ChatModel;
  name: string;
  simulated: boolean;
}

/** The newest voice training job of the shop, for the progress and the page. */
export async function latestVoiceTraining(services: Services, shop: string): Promise<TrainingJobRecord | null> {
  return (await listTrainingJobs(services.db, shop, "voice", 1))[0] ?? null;
}

export async function fineTunedModelFor(services: Services, shop: string, choice: FineTunedChoice): Promise<FineTunedModel> {
  let endpoint: ModelEndpoint | null = null;
  let simulated = false;
  if (choice.trainingJobId) {
    const job = (await listTrainingJobs(services.db, shop, "voice", 50)).find((j) => j.id === choice.trainingJobId);
    if (!job?.resultModel) throw new VoiceError("not_trained", "That training job has not produced a model yet.");
    endpoint = (await services.trainingProviderFor(shop, job.provider)).endpointFor(job.resultModel);
    simulated = job.simulated;
  } else {
    endpoint = await loadOwnModel(services.db, shop, services.config.encryptionKey);
    if (!endpoint) throw new VoiceError("no_model", "Train a model on the dataset, or register the one you trained elsewhere in Settings.");
  }
  // The demo's simulated server is local and trusted like the rest of the demo.
  const policy = simulated ? undefined : services.config.merchantEndpoints;
  return { model: createOpenAIChatModel({ baseURL: endpoint.baseURL, apiKey: endpoint.apiKey, model: endpoint.model, ...(policy ? { endpointPolicy: policy } : {}) }), name: endpoint.model, simulated };
}

/** Uploads the stored dataset and asks the provider for the price, which the merchant confirms before training. */
export async function prepareVoiceTraining(services: Services, shop: string, baseModel: string): Promise<PreparedTraining & { datasetId: number }> {
  const dataset = await latestDataset(services.db, shop);
  if (!dataset?.result.ok) throw new VoiceError("no_dataset", "Build a usable dataset first: nothing is uploaded from a dataset with problems.");
  const prepared = await prepareTraining(trainingDepsFor(services), {
    shop,
    baseModel,
    train: { filename: `voice-train-${dataset.id}.jsonl`, jsonl: dataset.trainJsonl },
    validation: { filename: `voice-validation-${dataset.id}.jsonl`, jsonl: dataset.validationJsonl },
    trainingTokens: dataset.result.train.tokens,
  });
  return { ...prepared, datasetId: dataset.id };
}

export async function startVoiceTraining(services: Services, shop: string, input: Omit<Parameters<typeof startTrainingJob>[1], "shop" | "purpose">): Promise<TrainingJobRecord> {
  return startTrainingJob(trainingDepsFor(services), { ...input, shop, purpose: "voice", suffix: input.suffix ?? "voice" });
}

export async function runVoiceEvaluation(services: Services, shop: string, choice: FineTunedChoice, now = new Date()): Promise<StoredEvaluation> {
  const dataset = await latestDataset(services.db, shop);
  if (!dataset?.result.ok) throw new VoiceError("no_dataset", "Build a usable dataset first: the evaluation runs on its held-out products.");
  const [profile, heldOut, prompting, fineTuned] = await Promise.all([
    loadVoiceProfile(services.db, shop),
    heldOutProducts(services.db, shop, dataset.id),
    promptingModelFor(services, shop),
    fineTunedModelFor(services, shop, choice),
  ]);
  const { embedder } = await services.indexes.targetFor(shop);
  const result = await evaluateVoice({ brief: profile.brief, heldOut, prompting: prompting.model, fineTuned: fineTuned.model, embedder, names: { prompting: prompting.name, fineTuned: fineTuned.name } });
  const stored = await saveEvaluation(services.db, shop, dataset.id, result);
  await recordVoiceDrift(services.db, shop, result.summary.voiceDrift, now);
  return stored;
}

/** "Write description": a draft from the adopted model (or the one named), stored for the merchant to edit and publish. */
export async function draftDescription(services: Services, shop: string, handle: string, choice: FineTunedChoice): Promise<{ draft: DescriptionDraft; revision: CopyRevision }> {
  const product = (await loadShopProducts(services.db, shop)).find((p) => p.handle === handle);
  if (!product) throw new VoiceError("not_found", `No product "${handle}" in this store.`);
  const [profile, fineTuned] = await Promise.all([loadVoiceProfile(services.db, shop), fineTunedModelFor(services, shop, choice)]);
  const draft = await writeDescription({ brief: profile.brief, product, model: fineTuned.model });
  const revision = await saveDraft(services.db, shop, { ...draft, model: fineTuned.name }, product.descriptionHtml);
  return { draft, revision };
}

/** Bulk "Write description" for products with thin copy: drafts only, at most `limit`, each reviewed and published one by one. */
export async function draftThinDescriptions(services: Services, shop: string, choice: FineTunedChoice, limit = 10): Promise<CopyRevision[]> {
  const products = (await loadShopProducts(services.db, shop)).filter((p) => p.status === "active" && isThinCopy(p)).slice(0, limit);
  const revisions: CopyRevision[] = [];
  for (const product of products) revisions.push((await draftDescription(services, shop, product.handle, choice)).revision);
  return revisions;
}
