/**
 * Training on OpenAI through the `openai` SDK, for organisations OpenAI still fine-tunes for.
 * Self-serve fine-tuning closed to organisations that had never used it on 2026-05-07 and
 * closes for everyone on 2027-01-06, so a refused job is an expected answer here: the merchant
 * reads why and what else they can do (Together, or their own endpoint).
 * OpenAI has no price estimate endpoint: the estimate is tokens × the price table.
 */
import { toFile } from "openai";
import { createOpenAIClient } from "../openai-client";
import { toTrainingError } from "./training-errors";
import { priceFromTable } from "./training-price";
import { TrainingError, type BaseModel, type TrainingClientOptions, type TrainingEvent, type TrainingJobSnapshot, type TrainingJobStatus, type TrainingProvider } from "./types";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";
const LABEL = "OpenAI";

export type OpenAITrainingOptions = TrainingClientOptions;

const STATUS: Record<string, TrainingJobStatus> = {
  validating_files: "queued",
  queued: "queued",
  running: "running",
  succeeded: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

/** Models in OpenAI's list that are not for chat fine-tuning (embeddings, audio, images). */
const NOT_CHAT = /(embedding|whisper|tts|dall-e|moderation|image|audio|realtime|transcribe|search|computer-use)/i;

export const OPENAI_REFUSAL_HELP =
  "OpenAI no longer takes fine-tuning jobs from this organisation: self-serve fine-tuning closed to organisations that had not used it on 7 May 2026, and closes for everyone on 6 January 2027. " +
  "You can train on Together AI instead (Settings, training provider), or download the dataset, train it anywhere, and register the resulting model's endpoint.";

export function createOpenAITraining(options: OpenAITrainingOptions): TrainingProvider {
  if (!options.apiKey) throw new TrainingError("invalid_config", "Add an OpenAI API key in Settings to fine-tune on OpenAI.");
  const baseURL = (options.baseURL ?? OPENAI_BASE_URL).replace(/\/$/, "");
  const client = createOpenAIClient({ baseURL, apiKey: options.apiKey, maxRetries: options.maxRetries ?? 2, timeoutMs: options.timeoutMs, endpointPolicy: options.endpointPolicy });

  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toTrainingError(error, LABEL);
    }
  }

  function snapshotOf(job: { id: string; status: string; model: string; fine_tuned_model: string | null; error?: { message?: string } | null; trained_tokens: number | null; created_at: number }): TrainingJobSnapshot {
    const status = STATUS[job.status];
    if (!status) throw new TrainingError("bad_response", `${LABEL} reported a job state the app does not know: "${job.status}".`);
    return {
      providerJobId: job.id,
      status,
      providerStatus: job.status,
      baseModel: job.model,
      resultModel: status === "completed" ? job.fine_tuned_model ?? undefined : undefined,
      error: status === "failed" ? job.error?.message || `${LABEL} stopped the job without giving a reason.` : undefined,
      trainedTokens: job.trained_tokens ?? undefined,
      createdAt: new Date(job.created_at * 1000),
    };
  }

  return {
    kind: "openai",
    label: LABEL,
    simulated: false,

    async listBaseModels() {
      const models: BaseModel[] = [];
      await call(async () => {
        for await (const model of client.models.list()) {
          // Fine-tuned models ("ft:…") can be trained further, but the list is for a fresh start.
          if (model.id.startsWith("ft:") || NOT_CHAT.test(model.id)) continue;
          models.push({ id: model.id, displayName: model.id, trainingPricePerMTokUsd: options.trainingPricePerMTok?.[model.id] });
        }
      });
      return models.sort((a, b) => a.id.localeCompare(b.id));
    },

    async estimatePrice(input) {
      return priceFromTable(LABEL, input, options.trainingPricePerMTok);
    },

    async uploadDataset(file) {
      const uploaded = await call(async () => client.files.create({ file: await toFile(Buffer.from(file.jsonl, "utf8"), file.filename, { type: "application/jsonl" }), purpose: "fine-tune" }));
      return { fileId: uploaded.id, filename: uploaded.filename, bytes: uploaded.bytes };
    },

    async createJob(input) {
      const h = input.hyperparameters ?? {};
      const hyperparameters = {
        ...(h.epochs ? { n_epochs: h.epochs } : {}),
        ...(h.batchSize ? { batch_size: h.batchSize } : {}),
        ...(h.learningRate ? { learning_rate_multiplier: h.learningRate } : {}),
      };
      try {
        const job = await client.fineTuning.jobs.create({
          model: input.baseModel,
          training_file: input.trainingFileId,
          ...(input.validationFileId ? { validation_file: input.validationFileId } : {}),
          ...(input.suffix ? { suffix: input.suffix } : {}),
          method: { type: "supervised", supervised: { hyperparameters } },
        });
        return snapshotOf(job);
      } catch (error) {
        throw refusalOr(error);
      }
    },

    async getJob(providerJobId) {
      return snapshotOf(await call(() => client.fineTuning.jobs.retrieve(providerJobId)));
    },

    async listEvents(providerJobId) {
      const events: TrainingEvent[] = [];
      await call(async () => {
        for await (const e of client.fineTuning.jobs.listEvents(providerJobId, { limit: 100 })) {
          const data = (e.data ?? {}) as { step?: number; train_loss?: number; valid_loss?: number };
          events.push({
            id: e.id,
            at: new Date(e.created_at * 1000),
            level: e.level === "error" ? "error" : e.level === "warn" ? "warning" : "info",
            message: e.message,
            step: typeof data.step === "number" ? data.step : undefined,
            loss: typeof data.train_loss === "number" ? data.train_loss : undefined,
            validationLoss: typeof data.valid_loss === "number" ? data.valid_loss : undefined,
          });
        }
      });
      // OpenAI lists newest first; the port promises oldest first.
      return events.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.step ?? 0) - (b.step ?? 0));
    },

    async listCheckpoints(providerJobId) {
      const out: Awaited<ReturnType<TrainingProvider["listCheckpoints"]>> = [];
      await call(async () => {
        for await (const c of client.fineTuning.jobs.checkpoints.list(providerJobId, { limit: 100 })) {
          out.push({ id: c.id, step: c.step_number, at: new Date(c.created_at * 1000), modelId: c.fine_tuned_model_checkpoint, loss: c.metrics.train_loss });
        }
      });
      return out.sort((a, b) => a.step - b.step);
    },

    async cancelJob(providerJobId) {
      return snapshotOf(await call(() => client.fineTuning.jobs.cancel(providerJobId)));
    },

    endpointFor(resultModel) {
      return { baseURL, model: resultModel, apiKey: options.apiKey };
    },
  };
}

/** A 403 on job creation, or an error naming fine-tuning, is OpenAI refusing this organisation. */
function refusalOr(error: unknown): unknown {
  const mapped = toTrainingError(error, LABEL);
  if (!(mapped instanceof TrainingError)) return mapped;
  const e = error as { status?: number; code?: string | null; message?: string };
  const aboutFineTuning = /fine[-_ ]?tun/i.test(`${e.code ?? ""} ${e.message ?? ""}`);
  if (e.status === 403 || (aboutFineTuning && (e.status === 400 || e.status === 404))) {
    const said = (e.message ?? "").replace(/^\d{3}\s+/, "");
    return new TrainingError("training_refused", `${OPENAI_REFUSAL_HELP}${said ? ` (OpenAI said: "${said}")` : ""}`, { status: e.status });
  }
  return mapped;
}
