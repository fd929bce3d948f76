/**
 * The training provider port (docs/decisions/018). Phase 2 (brand voice) and phase 3
 * (distillation) train through it without knowing whose servers do the work.
 * Adapters: Together AI (default), OpenAI fine-tuning, and a simulated provider for demo
 * mode only. "Bring your own" trains nowhere: the merchant registers an OpenAI-compatible
 * endpoint instead (OwnModelRegistration).
 * Nothing here reads process.env; adapters are built from the shop's settings and passed in.
 */
import type { EndpointPolicy } from "../endpoint-guard";

/** What every hosted adapter (Together AI, OpenAI) is built from. */
export interface TrainingClientOptions {
  apiKey: string;
  baseURL?: string;
  /** Retries inside one call (429/5xx/connection, Retry-After honoured); polling retries again later. */
  maxRetries?: number;
  timeoutMs?: number;
  /** USD per million training tokens by base model, for estimates the provider cannot give. */
  trainingPricePerMTok?: Record<string, number>;
  /** Set for a base URL a merchant typed in; left out for the default or the demo's own server. */
  endpointPolicy?: EndpointPolicy;
}

/** Which adapter a shop trains with. "simulated" exists only in demo mode. */
export type TrainingProviderKind = "together" | "openai" | "byo" | "simulated";

/** What a trained model is for: phase 2 writes copy, phase 3 answers shoppers. */
export type TrainingPurpose = "voice" | "distill";

/**
 * One status vocabulary for every provider. Provider-specific states map onto it:
 * Together's "uploading"/"compressing" are "running", OpenAI's "validating_files" is "queued".
 */
export type TrainingJobStatus = "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";

export const FINISHED_STATUSES: readonly TrainingJobStatus[] = ["completed", "failed", "cancelled"];

export function isFinishedStatus(status: TrainingJobStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

/** A model the provider can fine-tune, as the provider lists it (never a hard-coded list). */
export interface BaseModel {
  id: string;
  /** Human name when the provider gives one, else the id. */
  displayName: string;
  contextLength?: number;
  /** Whether the provider trains LoRA adapters on it (Together's default method). */
  supportsLora?: boolean;
  /** Training price per million tokens (USD), when the provider publishes it. */
  trainingPricePerMTokUsd?: number;
}

export type TrainingMethod = "lora" | "full";

export interface TrainingHyperparameters {
  /** LoRA unless the merchant asks for a full fine-tune (Together; OpenAI ignores it). */
  method?: TrainingMethod;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  loraRank?: number;
  loraAlpha?: number;
}

/** A chat fine-tuning dataset: one {"messages":[...]} object per line. */
export interface TrainingDatasetFile {
  /** File name shown at the provider, e.g. "voice-train.jsonl". */
  filename: string;
  jsonl: string;
}

export interface UploadedDataset {
  fileId: string;
  filename: string;
  bytes: number;
}

export interface EstimatePriceInput {
  baseModel: string;
  /** The uploaded training file, for providers that estimate from it (Together). */
  trainingFileId?: string;
  validationFileId?: string;
  /** Counted locally with a tokenizer; used with the price table when the provider has no estimate. */
  trainingTokens: number;
  hyperparameters?: TrainingHyperparameters;
}

export interface PriceEstimate {
  totalUsd: number;
  /** Tokens billed: training tokens × epochs. */
  billedTokens: number;
  /** "provider": the provider's own estimate; "price_table": tokens × the table's price. */
  source: "provider" | "price_table";
  /** The provider said the account's balance does not cover it. */
  exceedsBalance?: boolean;
}

export interface CreateTrainingJobInput {
  baseModel: string;
  trainingFileId: string;
  validationFileId?: string;
  /** Short tag the provider appends to the model name (e.g. "voice"). */
  suffix?: string;
  hyperparameters?: TrainingHyperparameters;
}

/** A provider job as last seen. */
export interface TrainingJobSnapshot {
  providerJobId: string;
  status: TrainingJobStatus;
  /** The provider's own word for the state (shown beside ours). */
  providerStatus: string;
  baseModel: string;
  /** Set once the job completed: the id to call the trained model with. */
  resultModel?: string;
  /** When failed: the provider's reason, as it gave it. */
  error?: string;
  trainedTokens?: number;
  createdAt?: Date;
}

export interface TrainingEvent {
  /** Provider's id, or a stable one derived from time and message. */
  id: string;
  at: Date;
  level: "info" | "warning" | "error";
  message: string;
  step?: number;
  /** Training loss at this step, when the event reports one (the loss curve). */
  loss?: number;
  validationLoss?: number;
}

export interface TrainingCheckpoint {
  id: string;
  step: number;
  at: Date;
  /** A model id the checkpoint can be called with, when the provider offers one. */
  modelId?: string;
  loss?: number;
}

/** How to call a model: any OpenAI-compatible chat completions endpoint. */
export interface ModelEndpoint {
  /** Base URL including the version path, e.g. "https://api.together.xyz/v1". */
  baseURL: string;
  model: string;
  apiKey: string;
}

export interface TrainingProvider {
  readonly kind: Exclude<TrainingProviderKind, "byo">;
  /** Shown to the merchant: "Together AI", "OpenAI", "simulated training". */
  readonly label: string;
  /** True only for the demo's simulated provider, which the UI labels as such. */
  readonly simulated: boolean;
  listBaseModels(options?: { abortSignal?: AbortSignal }): Promise<BaseModel[]>;
  estimatePrice(input: EstimatePriceInput): Promise<PriceEstimate>;
  uploadDataset(file: TrainingDatasetFile): Promise<UploadedDataset>;
  createJob(input: CreateTrainingJobInput): Promise<TrainingJobSnapshot>;
  getJob(providerJobId: string): Promise<TrainingJobSnapshot>;
  /** Oldest first. */
  listEvents(providerJobId: string): Promise<TrainingEvent[]>;
  listCheckpoints(providerJobId: string): Promise<TrainingCheckpoint[]>;
  cancelJob(providerJobId: string): Promise<TrainingJobSnapshot>;
  /** Where the trained model answers (OpenAI-compatible chat completions). */
  endpointFor(resultModel: string): ModelEndpoint;
}

/** "Bring your own": a model trained elsewhere, registered by endpoint and id. */
export interface OwnModelRegistration extends ModelEndpoint {
  /** When the test call succeeded. */
  verifiedAt: Date;
}

export type TrainingErrorCode =
  /** The API key is missing or was rejected. */
  | "auth"
  /** Too many requests; retried after the provider's Retry-After. */
  | "rate_limited"
  /** The provider had a server error (5xx); retried. */
  | "provider_unavailable"
  /** No connection (DNS, refused, reset, timeout); retried. */
  | "unreachable"
  /** The provider will not fine-tune for this account (OpenAI closed self-serve fine-tuning). */
  | "training_refused"
  /** The account has no funds or quota left for the job. */
  | "insufficient_funds"
  /** The provider rejected the dataset or the settings (bad JSONL, unknown base model, …). */
  | "invalid_request"
  /** The job, file or model does not exist at the provider. */
  | "not_found"
  /** The provider's reply did not match its documented format. */
  | "bad_response"
  /** The shop's training settings cannot work (no key, malformed URL). */
  | "invalid_config"
  /** A merchant's endpoint is on a private network and the app only calls public ones. */
  | "blocked_endpoint"
  /** This provider cannot do that (e.g. "bring your own" has nothing to train). */
  | "not_supported"
  /** The provider ran the job and it failed (its reason is the message). */
  | "job_failed";

const RETRYABLE: ReadonlySet<TrainingErrorCode> = new Set(["rate_limited", "provider_unavailable", "unreachable"]);

/**
 * A provider failure with a code, a message a merchant can act on, and whether trying again
 * later can help. Job polling retries retryable errors with backoff and stores final ones.
 */
export class TrainingError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = "TrainingError";
    this.retryable = RETRYABLE.has(code);
  }
  get status(): number | undefined {
    return this.options.status;
  }
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

/** One point of the loss curve. */
export interface LossPoint {
  step: number;
  loss: number;
  validationLoss?: number;
}

/** A tracked training job as stored (TrainingJob table) and shown in the admin. */
export interface TrainingJobRecord {
  id: number;
  shop: string;
  purpose: TrainingPurpose;
  provider: Exclude<TrainingProviderKind, "byo">;
  /** True for the demo's simulated provider: the UI says "simulated training". */
  simulated: boolean;
  /** Null only while the job is being handed to the provider. */
  providerJobId: string | null;
  status: TrainingJobStatus;
  providerStatus: string | null;
  baseModel: string;
  hyperparameters: TrainingHyperparameters;
  estimatedPriceUsd: number | null;
  priceSource: PriceEstimate["source"] | null;
  trainingFileId: string | null;
  validationFileId: string | null;
  events: TrainingEvent[];
  lossPoints: LossPoint[];
  checkpoints: TrainingCheckpoint[];
  resultModel: string | null;
  /** Final error as the provider (or the app) gave it; retryable ones are only retried. */
  errorCode: TrainingErrorCode | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}
