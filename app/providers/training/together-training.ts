/**
 * Training on Together AI (the default provider) through the `together-ai` SDK. LoRA unless
 * asked otherwise; the trained model answers on Together's OpenAI-compatible chat completions.
 * Base models come from Together's list of fine-tunable models, never from a list kept here.
 */
import { createHash } from "node:crypto";
import Together from "together-ai";
import { assertPublicEndpoint, guardedFetch } from "../endpoint-guard";
import { priceFromTable } from "./training-price";
import { toTrainingError } from "./training-errors";
import {
  TrainingError,
  type BaseModel,
  type CreateTrainingJobInput,
  type EstimatePriceInput,
  type PriceEstimate,
  type TrainingCheckpoint,
  type TrainingClientOptions,
  type TrainingDatasetFile,
  type TrainingEvent,
  type TrainingJobSnapshot,
  type TrainingJobStatus,
  type TrainingProvider,
  type UploadedDataset,
} from "./types";

export const TOGETHER_BASE_URL = "https://api.together.xyz/v1";

export interface TogetherTrainingOptions extends TrainingClientOptions {
  /** Shown to the merchant; the demo's server says "simulated training". */
  label?: string;
  simulated?: boolean;
}

const STATUS: Record<string, TrainingJobStatus> = {
  pending: "pending",
  queued: "queued",
  running: "running",
  compressing: "running",
  uploading: "running",
  cancel_requested: "running",
  completed: "completed",
  error: "failed",
  cancelled: "cancelled",
};

export function createTogetherTraining(options: TogetherTrainingOptions): TrainingProvider {
  const label = options.label ?? "Together AI";
  if (!options.apiKey) throw new TrainingError("invalid_config", `Add a ${label} API key in Settings to train there.`);
  const baseURL = (options.baseURL ?? TOGETHER_BASE_URL).replace(/\/$/, "");
  const guarded = options.endpointPolicy && !options.endpointPolicy.allowPrivateNetworks;
  if (options.endpointPolicy) assertPublicEndpoint(baseURL, options.endpointPolicy);
  const client = new Together({
    apiKey: options.apiKey,
    baseURL,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
    ...(guarded ? { fetch: guardedFetch } : {}),
  });

  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toTrainingError(error, label);
    }
  }

  function snapshotOf(job: Record<string, unknown>, events: TrainingEvent[] = []): TrainingJobSnapshot {
    const providerStatus = String(job.status);
    const status = STATUS[providerStatus];
    if (!status) throw new TrainingError("bad_response", `${label} reported a job state the app does not know: "${providerStatus}".`);
    const failure = status === "failed" ? [...events].reverse().find((e) => e.level === "error") : undefined;
    return {
      providerJobId: String(job.id),
      status,
      providerStatus,
      baseModel: String(job.model ?? ""),
      resultModel: status === "completed" && typeof job.model_output_name === "string" ? job.model_output_name : undefined,
      error: status === "failed" ? failure?.message ?? `${label} stopped the job without giving a reason.` : undefined,
      trainedTokens: typeof job.token_count === "number" ? job.token_count : undefined,
      createdAt: typeof job.created_at === "string" ? new Date(job.created_at) : undefined,
    };
  }

  return {
    kind: options.simulated ? "simulated" : "together",
    label,
    simulated: options.simulated ?? false,

    async listBaseModels() {
      const supported = await call(() => client.get<{ models: string[] }>("/fine-tunes/models/supported"));
      // Names and context lengths, where Together's model list has them; the list above decides.
      const info = new Map<string, { display_name?: string; context_length?: number }>();
      try {
        for (const m of (await client.models.list()) as unknown as { id: string; display_name?: string; context_length?: number }[]) info.set(m.id, m);
      } catch {
        // The names are a courtesy: without them the ids still work.
      }
      return supported.models.map(
        (id): BaseModel => ({
          id,
          displayName: info.get(id)?.display_name ?? id,
          contextLength: info.get(id)?.context_length,
          supportsLora: true,
          trainingPricePerMTokUsd: options.trainingPricePerMTok?.[id],
        }),
      );
    },

    async estimatePrice(input: EstimatePriceInput): Promise<PriceEstimate> {
      const epochs = input.hyperparameters?.epochs ?? 1;
      if (input.trainingFileId) {
        const estimate = await call(() =>
          client.fineTuning.estimatePrice({
            training_file: input.trainingFileId!,
            ...(input.validationFileId ? { validation_file: input.validationFileId } : {}),
            model: input.baseModel,
            n_epochs: epochs,
            training_type: trainingType(input.hyperparameters),
          } as never),
        );
        const e = estimate as { estimated_total_price?: number; allowed_to_proceed?: boolean; estimated_train_token_count?: number };
        if (typeof e.estimated_total_price === "number") {
          return {
            totalUsd: e.estimated_total_price,
            billedTokens: e.estimated_train_token_count ?? input.trainingTokens * epochs,
            source: "provider",
            exceedsBalance: e.allowed_to_proceed === false,
          };
        }
      }
      return priceFromTable(label, input, options.trainingPricePerMTok);
    },

    async uploadDataset(file: TrainingDatasetFile): Promise<UploadedDataset> {
      const form = new FormData();
      form.set("purpose", "fine-tune");
      form.set("file_name", file.filename);
      form.set("file_type", "jsonl");
      form.set("file", new Blob([file.jsonl], { type: "application/jsonl" }), file.filename);
      const uploaded = await call(() => client.post<{ id: string; filename: string; bytes: number }>("/files/upload", { body: form }));
      return { fileId: uploaded.id, filename: uploaded.filename, bytes: uploaded.bytes };
    },

    async createJob(input: CreateTrainingJobInput) {
      const h = input.hyperparameters ?? {};
      const job = await call(() =>
        client.fineTuning.create({
          model: input.baseModel,
          training_file: input.trainingFileId,
          ...(input.validationFileId ? { validation_file: input.validationFileId, n_evals: 4 } : {}),
          ...(input.suffix ? { suffix: input.suffix } : {}),
          ...(h.epochs ? { n_epochs: h.epochs } : {}),
          ...(h.learningRate ? { learning_rate: h.learningRate } : {}),
          ...(h.batchSize ? { batch_size: h.batchSize } : {}),
          training_type: trainingType(h),
          // Only the assistant's turns are learned: the facts in the prompt are not the voice.
          training_method: { method: "sft", train_on_inputs: false },
        } as never),
      );
      return snapshotOf(job as unknown as Record<string, unknown>);
    },

    async getJob(providerJobId) {
      const job = (await call(() => client.fineTuning.retrieve(providerJobId))) as unknown as Record<string, unknown>;
      const events = snapshotNeedsEvents(job) ? (Array.isArray(job.events) ? (job.events as RawEvent[]).map(eventOf) : await this.listEvents(providerJobId)) : [];
      return snapshotOf(job, events);
    },

    async listEvents(providerJobId) {
      const list = (await call(() => client.fineTuning.listEvents(providerJobId))) as unknown as { data: RawEvent[] };
      return list.data.map(eventOf).sort((a, b) => a.at.getTime() - b.at.getTime());
    },

    async listCheckpoints(providerJobId) {
      const list = (await call(() => client.fineTuning.listCheckpoints(providerJobId))) as unknown as { data: { step: number; created_at: string; path: string }[] };
      return list.data.map((c): TrainingCheckpoint => ({ id: c.path, step: c.step, at: new Date(c.created_at), modelId: c.path }));
    },

    async cancelJob(providerJobId) {
      return snapshotOf((await call(() => client.fineTuning.cancel(providerJobId))) as unknown as Record<string, unknown>);
    },

    endpointFor(resultModel) {
      return { baseURL, model: resultModel, apiKey: options.apiKey };
    },
  };
}

interface RawEvent {
  created_at: string;
  level?: string | null;
  message: string;
  type?: string;
  step?: number;
  hash?: string;
}

function snapshotNeedsEvents(job: Record<string, unknown>): boolean {
  return job.status === "error";
}

function trainingType(h: CreateTrainingJobInput["hyperparameters"]) {
  return h?.method === "full" ? { type: "Full" } : { type: "Lora", lora_r: h?.loraRank ?? 8, lora_alpha: h?.loraAlpha ?? 16 };
}

/** Together reports losses inside event messages ("train loss 1.23", "eval loss: 0.98"). */
export function eventOf(raw: RawEvent): TrainingEvent {
  const validation = /\b(?:eval|validation)[ _]loss[:=]?\s*(\d+(?:\.\d+)?)/i.exec(raw.message);
  const train = /\b(?:train(?:ing)?[ _])?loss[:=]?\s*(\d+(?:\.\d+)?)/i.exec(raw.message.replace(validation?.[0] ?? "\u0000", ""));
  const level = raw.level === "error" || raw.type === "job_error" ? "error" : raw.level === "warning" || raw.type === "warning" ? "warning" : "info";
  return {
    id: raw.hash || createHash("sha1").update(`${raw.created_at}|${raw.message}`).digest("hex").slice(0, 16),
    at: new Date(raw.created_at),
    level,
    message: raw.message,
    step: raw.step || undefined,
    loss: train ? Number(train[1]) : undefined,
    validationLoss: validation ? Number(validation[1]) : undefined,
  };
}
