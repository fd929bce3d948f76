/**
 * Durable tracking of fine-tuning jobs (docs/decisions/018). A job is a TrainingJob row plus a
 * "training.poll" job on the queue: each poll reads the provider's state, stores it (status,
 * events, loss curve, checkpoints, resulting model) and queues the next poll while the provider
 * is still working. The queue's key makes one poll run at a time across workers, and a worker
 * that dies loses its lease, so another picks the poll up: nothing is lost or done twice.
 *
 * Retryable provider errors (rate limits, 5xx, no connection) only delay the next poll, with
 * backoff and the provider's Retry-After; final ones are stored as they are. A job ending,
 * well or badly, never changes the shop's phase: only the merchant adopting a result does.
 */
import type { Db } from "../db/open-database";
import type { Queue } from "../jobs/queue";
import {
  isFinishedStatus,
  TrainingError,
  type CreateTrainingJobInput,
  type LossPoint,
  type ModelEndpoint,
  type PriceEstimate,
  type TrainingCheckpoint,
  type TrainingDatasetFile,
  type TrainingEvent,
  type TrainingHyperparameters,
  type TrainingJobRecord,
  type TrainingJobSnapshot,
  type TrainingProvider,
  type TrainingProviderKind,
  type TrainingPurpose,
} from "../providers/training/types";

export const TRAINING_POLL_KIND = "training.poll";

export interface TrainingDeps {
  db: Db;
  queue: Queue;
  /** The adapter for a shop; `kind` names the one a job started on, when the shop has since switched. */
  providerFor(shop: string, kind?: Exclude<TrainingProviderKind, "byo">): Promise<TrainingProvider>;
  now?: () => Date;
  /** Between polls of a running job (the demo polls every second). */
  pollIntervalMs?: number;
  /**
   * Called once, by the poll that stored the job as completed: what the job's purpose does
   * with its result (phase 3 adopts the student and records the spend). A poll of a job
   * already finished does not call it again.
   */
  onCompleted?: (job: TrainingJobRecord) => Promise<void>;
}

export interface PrepareTrainingInput {
  shop: string;
  baseModel: string;
  train: TrainingDatasetFile;
  validation?: TrainingDatasetFile;
  /** Counted locally with a tokenizer, for providers that give no estimate. */
  trainingTokens: number;
  hyperparameters?: TrainingHyperparameters;
}

export interface PreparedTraining {
  trainingFileId: string;
  validationFileId?: string;
  estimate: PriceEstimate;
}

export interface StartTrainingInput {
  shop: string;
  purpose: TrainingPurpose;
  baseModel: string;
  trainingFileId: string;
  validationFileId?: string;
  suffix?: string;
  hyperparameters?: TrainingHyperparameters;
  /** The estimate the merchant confirmed. */
  estimate: PriceEstimate;
}

const EVENTS_KEPT = 300;
const MAX_BACKOFF_MS = 5 * 60_000;

/** Step 1: uploads the dataset and asks for the price, so the merchant can confirm it before anything is billed. */
export async function prepareTraining(deps: TrainingDeps, input: PrepareTrainingInput): Promise<PreparedTraining> {
  const provider = await deps.providerFor(input.shop);
  const train = await provider.uploadDataset(input.train);
  const validation = input.validation ? await provider.uploadDataset(input.validation) : undefined;
  const estimate = await provider.estimatePrice({
    baseModel: input.baseModel,
    trainingFileId: train.fileId,
    validationFileId: validation?.fileId,
    trainingTokens: input.trainingTokens,
    hyperparameters: input.hyperparameters,
  });
  return { trainingFileId: train.fileId, validationFileId: validation?.fileId, estimate };
}

/**
 * Step 2, after the merchant confirmed the price: creates the provider job and starts polling.
 * The row exists before the provider is called, so a crash in between leaves a visible
 * "pending" row rather than an untracked job. A refused creation is stored and returned.
 */
export async function startTrainingJob(deps: TrainingDeps, input: StartTrainingInput): Promise<TrainingJobRecord> {
  const provider = await deps.providerFor(input.shop);
  const row = await deps.db.trainingJob.create({
    data: {
      shop: input.shop,
      purpose: input.purpose,
      provider: provider.kind,
      simulated: provider.simulated,
      baseModel: input.baseModel,
      hyperparameters: JSON.stringify(input.hyperparameters ?? {}),
      estimatedPriceUsd: input.estimate.totalUsd,
      priceSource: input.estimate.source,
      trainingFileId: input.trainingFileId,
      validationFileId: input.validationFileId ?? null,
    },
  });
  const create: CreateTrainingJobInput = {
    baseModel: input.baseModel,
    trainingFileId: input.trainingFileId,
    validationFileId: input.validationFileId,
    suffix: input.suffix,
    hyperparameters: input.hyperparameters,
  };
  let snapshot: TrainingJobSnapshot;
  try {
    snapshot = await provider.createJob(create);
  } catch (error) {
    if (!(error instanceof TrainingError)) throw error;
    // Creating is not idempotent (a 5xx may still have created it), so it is not retried
    // behind the merchant's back: the message says to try again.
    await deps.db.trainingJob.update({ where: { id: row.id }, data: { status: "failed", errorCode: error.code, error: error.message, finishedAt: now(deps) } });
    return getTrainingJob(deps.db, input.shop, row.id) as Promise<TrainingJobRecord>;
  }
  await deps.db.trainingJob.update({ where: { id: row.id }, data: { providerJobId: snapshot.providerJobId, status: snapshot.status, providerStatus: snapshot.providerStatus } });
  await schedulePoll(deps, input.shop, row.id, 0, 0);
  return (await getTrainingJob(deps.db, input.shop, row.id))!;
}

/** The queue handler for "training.poll". */
export async function pollTrainingJob(deps: TrainingDeps, shop: string, payload: { trainingJobId: number; retries?: number }): Promise<void> {
  const row = await deps.db.trainingJob.findFirst({ where: { id: payload.trainingJobId, shop } });
  if (!row || !row.providerJobId || isFinishedStatus(row.status as TrainingJobRecord["status"])) return;
  const retries = payload.retries ?? 0;
  try {
    const provider = await deps.providerFor(shop, row.provider as Exclude<TrainingProviderKind, "byo">);
    const snapshot = await provider.getJob(row.providerJobId);
    const events = await provider.listEvents(row.providerJobId);
    const finished = isFinishedStatus(snapshot.status);
    const checkpoints = finished || snapshot.status === "running" ? await provider.listCheckpoints(row.providerJobId) : [];
    const written = await deps.db.trainingJob.updateMany({
      // Only a row still in progress is written: a late poll cannot undo a finished one.
      where: { id: row.id, status: { notIn: ["completed", "failed", "cancelled"] } },
      data: {
        status: snapshot.status,
        providerStatus: snapshot.providerStatus,
        events: JSON.stringify(events.slice(-EVENTS_KEPT)),
        lossPoints: JSON.stringify(lossCurveOf(events)),
        checkpoints: JSON.stringify(checkpoints),
        resultModel: snapshot.resultModel ?? null,
        errorCode: snapshot.status === "failed" ? "job_failed" : null,
        error: snapshot.status === "failed" ? snapshot.error ?? "The provider stopped the job without giving a reason." : null,
        finishedAt: finished ? now(deps) : null,
      },
    });
    if (!finished) await schedulePoll(deps, shop, row.id, deps.pollIntervalMs ?? 30_000, 0);
    else if (written.count === 1 && snapshot.status === "completed" && deps.onCompleted) {
      const completed = await getTrainingJob(deps.db, shop, row.id);
      if (completed) await deps.onCompleted(completed);
    }
  } catch (error) {
    if (!(error instanceof TrainingError)) throw error; // the queue retries it (database trouble)
    if (error.retryable) {
      // Shown beside the status while it lasts; the job itself is still running at the provider.
      await deps.db.trainingJob.update({ where: { id: row.id }, data: { errorCode: error.code, error: error.message } });
      const backoff = Math.min(MAX_BACKOFF_MS, (deps.pollIntervalMs ?? 30_000) * 2 ** retries);
      await schedulePoll(deps, shop, row.id, Math.max(backoff, error.retryAfterMs ?? 0), retries + 1);
      return;
    }
    await deps.db.trainingJob.update({ where: { id: row.id }, data: { status: "failed", errorCode: error.code, error: error.message, finishedAt: now(deps) } });
  }
}

/** Asks the provider to stop; polling records the final "cancelled". A job not yet at the provider is cancelled here. */
export async function cancelTrainingJob(deps: TrainingDeps, shop: string, id: number): Promise<TrainingJobRecord | null> {
  const row = await deps.db.trainingJob.findFirst({ where: { id, shop } });
  if (!row) return null;
  if (isFinishedStatus(row.status as TrainingJobRecord["status"])) return getTrainingJob(deps.db, shop, id);
  if (!row.providerJobId) {
    await deps.db.trainingJob.update({ where: { id }, data: { status: "cancelled", finishedAt: now(deps) } });
    return getTrainingJob(deps.db, shop, id);
  }
  const provider = await deps.providerFor(shop, row.provider as Exclude<TrainingProviderKind, "byo">);
  const snapshot = await provider.cancelJob(row.providerJobId);
  await deps.db.trainingJob.updateMany({
    where: { id, status: { notIn: ["completed", "failed", "cancelled"] } },
    data: { status: snapshot.status, providerStatus: snapshot.providerStatus, finishedAt: isFinishedStatus(snapshot.status) ? now(deps) : null },
  });
  await schedulePoll(deps, shop, id, 0, 0);
  return getTrainingJob(deps.db, shop, id);
}

export async function getTrainingJob(db: Db, shop: string, id: number): Promise<TrainingJobRecord | null> {
  const row = await db.trainingJob.findFirst({ where: { id, shop } });
  return row ? recordOf(row) : null;
}

export async function listTrainingJobs(db: Db, shop: string, purpose?: TrainingPurpose, limit = 20): Promise<TrainingJobRecord[]> {
  const rows = await db.trainingJob.findMany({ where: { shop, ...(purpose ? { purpose } : {}) }, orderBy: { id: "desc" }, take: limit });
  return rows.map(recordOf);
}

/** How to call the model a completed job produced (an OpenAI-compatible chat endpoint). */
export async function trainedModelEndpoint(deps: Pick<TrainingDeps, "providerFor">, job: TrainingJobRecord): Promise<ModelEndpoint> {
  if (job.status !== "completed" || !job.resultModel) {
    throw new TrainingError("not_found", `Training job ${job.id} has no trained model yet (it is ${job.status}).`);
  }
  const provider = await deps.providerFor(job.shop, job.provider);
  return provider.endpointFor(job.resultModel);
}

export function lossCurveOf(events: TrainingEvent[]): LossPoint[] {
  const byStep = new Map<number, LossPoint>();
  for (const e of events) {
    if (e.loss === undefined && e.validationLoss === undefined) continue;
    const step = e.step ?? byStep.size + 1;
    const point = byStep.get(step) ?? { step, loss: e.loss ?? Number.NaN };
    if (e.loss !== undefined) point.loss = e.loss;
    if (e.validationLoss !== undefined) point.validationLoss = e.validationLoss;
    byStep.set(step, point);
  }
  return [...byStep.values()].filter((p) => Number.isFinite(p.loss)).sort((a, b) => a.step - b.step);
}

async function schedulePoll(deps: TrainingDeps, shop: string, trainingJobId: number, delayMs: number, retries: number): Promise<void> {
  await deps.queue.enqueue({
    shop,
    kind: TRAINING_POLL_KIND,
    key: `training:${trainingJobId}`,
    payload: { trainingJobId, retries },
    runAt: new Date(now(deps).getTime() + delayMs),
    maxAttempts: 10,
  });
}

function now(deps: TrainingDeps): Date {
  return deps.now?.() ?? new Date();
}

type TrainingJobRow = Awaited<ReturnType<Db["trainingJob"]["findFirstOrThrow"]>>;

function recordOf(row: TrainingJobRow): TrainingJobRecord {
  const parse = <T>(text: string, fallback: T): T => {
    try {
      return JSON.parse(text) as T;
    } catch {
      return fallback;
    }
  };
  return {
    id: row.id,
    shop: row.shop,
    purpose: row.purpose as TrainingPurpose,
    provider: row.provider as TrainingJobRecord["provider"],
    simulated: row.simulated,
    providerJobId: row.providerJobId,
    status: row.status as TrainingJobRecord["status"],
    providerStatus: row.providerStatus,
    baseModel: row.baseModel,
    hyperparameters: parse(row.hyperparameters, {}),
    estimatedPriceUsd: row.estimatedPriceUsd,
    priceSource: row.priceSource as TrainingJobRecord["priceSource"],
    trainingFileId: row.trainingFileId,
    validationFileId: row.validationFileId,
    events: parse<TrainingEvent[]>(row.events, []).map((e) => ({ ...e, at: new Date(e.at) })),
    lossPoints: parse(row.lossPoints, []),
    checkpoints: parse<TrainingCheckpoint[]>(row.checkpoints, []).map((c) => ({ ...c, at: new Date(c.at) })),
    resultModel: row.resultModel,
    errorCode: row.errorCode as TrainingJobRecord["errorCode"],
    error: row.error,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}
