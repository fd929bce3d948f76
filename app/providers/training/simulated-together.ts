/**
 * Simulated training, for demo mode only: Together's fine-tuning API held in memory.
 * Files are kept, jobs move pending → queued → running → uploading → completed on a clock,
 * events report a falling loss, checkpoints appear as training goes. Nothing is trained:
 * the "model" a job produces is whatever the simulated chat server makes of the examples
 * it was given (simulated-chat.ts). It speaks the same wire format as the real service, so
 * the real Together adapter drives it unchanged.
 */
import { createHash, randomUUID } from "node:crypto";

export interface SimulatedTogetherOptions {
  now?: () => number;
  /** How long each phase lasts; the demo uses a few seconds in all. */
  pendingMs?: number;
  queuedMs?: number;
  trainingMs?: number;
  uploadingMs?: number;
  /** Training steps reported (events and the loss curve). */
  steps?: number;
  /** Decides how a job ends; the default completes every job. */
  outcome?: (job: SimulatedJob) => "completed" | "failed";
  /** The base models it offers (the demo lists the models its chat server can imitate). */
  baseModels?: string[];
  /** USD per million training tokens, for estimate-price. */
  pricePerMTok?: number;
}

export interface SimulatedFile {
  id: string;
  filename: string;
  bytes: number;
  text: string;
  createdAt: number;
  purpose: string;
}

export interface SimulatedJob {
  id: string;
  model: string;
  trainingFile: string;
  validationFile?: string;
  suffix?: string;
  epochs: number;
  body: Record<string, unknown>;
  createdAt: number;
  cancelledAt?: number;
  outputName: string;
  tokenCount: number;
}

export interface SimulatedReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const SIMULATED_BASE_MODELS = ["simulated/voice-small-8b-instruct", "simulated/answer-mini-3b-instruct", "simulated/answer-large-70b-instruct"];

export class SimulatedTogether {
  readonly files = new Map<string, SimulatedFile>();
  readonly jobs = new Map<string, SimulatedJob>();
  private readonly now: () => number;
  private readonly o: Required<Omit<SimulatedTogetherOptions, "now" | "outcome">> & Pick<SimulatedTogetherOptions, "outcome">;

  constructor(options: SimulatedTogetherOptions = {}) {
    this.now = options.now ?? Date.now;
    this.o = {
      pendingMs: options.pendingMs ?? 500,
      queuedMs: options.queuedMs ?? 1000,
      trainingMs: options.trainingMs ?? 4000,
      uploadingMs: options.uploadingMs ?? 500,
      steps: options.steps ?? 12,
      outcome: options.outcome,
      baseModels: options.baseModels ?? SIMULATED_BASE_MODELS,
      pricePerMTok: options.pricePerMTok ?? 0.48,
    };
  }

  /** The uploaded training file of a model produced here (the chat server learns its style from it). */
  trainingTextFor(outputModel: string): string | undefined {
    for (const job of this.jobs.values()) {
      if (job.outputName === outputModel && this.statusOf(job) === "completed") return this.files.get(job.trainingFile)?.text;
    }
    return undefined;
  }

  /** The base a model produced here was trained from; undefined for anything else. */
  baseModelFor(outputModel: string): string | undefined {
    for (const job of this.jobs.values()) if (job.outputName === outputModel) return job.model;
    return undefined;
  }

  /** Routes one request in Together's wire format (paths without the /v1 prefix). */
  handle(method: string, path: string, body: unknown, upload?: { fields: Record<string, string>; fileText?: string }): SimulatedReply {
    const m = /^\/fine-tunes\/([^/]+)(\/events|\/checkpoints|\/cancel)?$/.exec(path);
    if (method === "GET" && path === "/fine-tunes/models/supported") return ok({ models: this.o.baseModels });
    if (method === "GET" && path === "/models") return ok(this.o.baseModels.map((id) => ({ id, object: "model", created: 1_767_225_600, type: "chat", display_name: displayName(id), organization: "Simulated", context_length: 8192 })));
    if (method === "POST" && path === "/files/upload") return this.upload(upload);
    if (method === "POST" && path === "/fine-tunes/estimate-price") return this.estimate(body as Record<string, unknown>);
    if (method === "POST" && path === "/fine-tunes") return this.create(body as Record<string, unknown>);
    if (m && m[1] !== "estimate-price") {
      const job = this.jobs.get(m[1]);
      if (!job) return error(404, `Fine-tune job ${m[1]} not found`, "not_found");
      if (method === "GET" && !m[2]) return ok(this.describe(job, true));
      if (method === "GET" && m[2] === "/events") return ok({ data: this.events(job) });
      if (method === "GET" && m[2] === "/checkpoints") return ok({ data: this.checkpoints(job) });
      if (method === "POST" && m[2] === "/cancel") {
        if (!["completed", "error", "cancelled"].includes(this.statusOf(job))) job.cancelledAt ??= this.now();
        return ok(this.describe(job, false));
      }
    }
    return error(404, `No route for ${method} ${path}`, "not_found");
  }

  private upload(upload: { fields: Record<string, string>; fileText?: string } | undefined): SimulatedReply {
    if (!upload || upload.fileText === undefined) return error(400, "A file is required", "invalid_request_error");
    const lines = upload.fileText.split("\n").filter((l) => l.trim());
    for (const [i, line] of lines.entries()) {
      try {
        const parsed = JSON.parse(line) as { messages?: unknown };
        if (!Array.isArray(parsed.messages)) throw new Error("no messages");
      } catch {
        return error(400, `Line ${i + 1} of ${upload.fields.file_name} is not a chat example ({"messages": [...]})`, "invalid_request_error");
      }
    }
    const id = `file-${randomUUID()}`;
    const file: SimulatedFile = {
      id,
      filename: upload.fields.file_name ?? "dataset.jsonl",
      bytes: Buffer.byteLength(upload.fileText),
      text: upload.fileText,
      createdAt: this.now(),
      purpose: upload.fields.purpose ?? "fine-tune",
    };
    this.files.set(id, file);
    return ok(fileResponse(file));
  }

  private estimate(body: Record<string, unknown>): SimulatedReply {
    const file = this.files.get(String(body.training_file));
    if (!file) return error(404, `File ${String(body.training_file)} not found`, "not_found");
    const epochs = typeof body.n_epochs === "number" ? body.n_epochs : 1;
    const tokens = approximateTokens(file.text);
    return ok({
      estimated_total_price: round((tokens * epochs * this.o.pricePerMTok) / 1e6, 4),
      allowed_to_proceed: true,
      user_limit: 100,
      estimated_train_token_count: tokens * epochs,
      estimated_eval_token_count: 0,
    });
  }

  private create(body: Record<string, unknown>): SimulatedReply {
    const model = String(body.model);
    if (!this.o.baseModels.includes(model)) return error(400, `Model ${model} is not available for fine-tuning`, "invalid_request_error");
    const file = this.files.get(String(body.training_file));
    if (!file) return error(400, `Training file ${String(body.training_file)} not found`, "invalid_request_error");
    const id = `ft-${randomUUID()}`;
    const suffix = typeof body.suffix === "string" ? body.suffix : undefined;
    const job: SimulatedJob = {
      id,
      model,
      trainingFile: file.id,
      validationFile: typeof body.validation_file === "string" ? body.validation_file : undefined,
      suffix,
      epochs: typeof body.n_epochs === "number" ? body.n_epochs : 1,
      body,
      createdAt: this.now(),
      outputName: `simulated-account/${model.split("/").pop()}-${suffix ?? "ft"}-${id.slice(3, 11)}`,
      tokenCount: approximateTokens(file.text),
    };
    this.jobs.set(id, job);
    return ok(this.describe(job, false));
  }

  /** Together's state, read off the clock. */
  statusOf(job: SimulatedJob): string {
    const t = this.now() - job.createdAt;
    const { pendingMs, queuedMs, trainingMs, uploadingMs } = this.o;
    if (job.cancelledAt !== undefined) return this.now() - job.cancelledAt < 200 ? "cancel_requested" : "cancelled";
    if (t < pendingMs) return "pending";
    if (t < pendingMs + queuedMs) return "queued";
    if (t < pendingMs + queuedMs + trainingMs) return "running";
    const outcome = this.o.outcome?.(job) ?? "completed";
    if (outcome === "failed") return "error";
    if (t < pendingMs + queuedMs + trainingMs + uploadingMs) return "uploading";
    return "completed";
  }

  /** Steps finished so far (failed jobs stop half way). */
  private stepsDone(job: SimulatedJob): number {
    const started = job.createdAt + this.o.pendingMs + this.o.queuedMs;
    const until = job.cancelledAt ?? this.now();
    const done = Math.floor(((until - started) / this.o.trainingMs) * this.o.steps);
    const cap = this.o.outcome?.(job) === "failed" ? Math.floor(this.o.steps / 2) : this.o.steps;
    return Math.max(0, Math.min(cap, done));
  }

  private describe(job: SimulatedJob, full: boolean): Record<string, unknown> {
    const status = this.statusOf(job);
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: job.id,
      status,
      created_at: iso(job.createdAt),
      updated_at: iso(this.now()),
      training_file: job.trainingFile,
      ...(job.validationFile ? { validation_file: job.validationFile } : {}),
      model: job.model,
      ...(status === "completed" || full ? { model_output_name: job.outputName } : {}),
      n_epochs: job.epochs,
      token_count: job.tokenCount,
      ...(full ? { events: this.events(job) } : {}),
    };
  }

  private events(job: SimulatedJob): Record<string, unknown>[] {
    const status = this.statusOf(job);
    const out: Record<string, unknown>[] = [];
    const start = job.createdAt;
    const push = (at: number, type: string, message: string, step = 0, level = "info") =>
      out.push({
        object: "fine-tune-event",
        created_at: new Date(at).toISOString(),
        level,
        message,
        type,
        param_count: 0,
        token_count: job.tokenCount,
        total_steps: this.o.steps,
        wandb_url: "",
        step,
        checkpoint_path: "",
        model_path: "",
        training_offset: 0,
        hash: createHash("sha1").update(`${job.id}:${type}:${step}`).digest("hex").slice(0, 16),
      });
    push(start, "job_pending", "Fine-tuning job created (simulated training)");
    if (status === "pending") return out;
    const queuedAt = start + this.o.pendingMs;
    push(queuedAt, "job_start", "Job started (simulated training)");
    if (status === "queued") return out;
    const trainingAt = queuedAt + this.o.queuedMs;
    push(trainingAt, "training_start", "Training started");
    const done = this.stepsDone(job);
    const stepMs = this.o.trainingMs / this.o.steps;
    for (let step = 1; step <= done; step++) {
      push(trainingAt + step * stepMs, "epoch_complete", `Step ${step}/${this.o.steps}: train loss ${simulatedLoss(job.id, step).toFixed(4)}`, step);
      if (step % Math.max(1, Math.floor(this.o.steps / 3)) === 0) push(trainingAt + step * stepMs, "checkpoint_save", `Checkpoint saved at step ${step}`, step);
    }
    if (status === "error") push(trainingAt + done * stepMs, "job_error", "Training stopped: the loss diverged at this learning rate (simulated failure).", done, "error");
    if (status === "cancel_requested" || status === "cancelled") push(job.cancelledAt!, "cancel_requested", "Cancellation requested", done);
    if (status === "uploading" || status === "completed") push(trainingAt + this.o.trainingMs, "training_complete", "Training completed", this.o.steps);
    if (status === "completed") push(trainingAt + this.o.trainingMs + this.o.uploadingMs, "job_complete", `Job finished: model ${job.outputName} is ready`, this.o.steps);
    return out;
  }

  private checkpoints(job: SimulatedJob): Record<string, unknown>[] {
    const trainingAt = job.createdAt + this.o.pendingMs + this.o.queuedMs;
    const stepMs = this.o.trainingMs / this.o.steps;
    const every = Math.max(1, Math.floor(this.o.steps / 3));
    const out: Record<string, unknown>[] = [];
    for (let step = every; step <= this.stepsDone(job); step += every) {
      out.push({ step, created_at: new Date(trainingAt + step * stepMs).toISOString(), path: `${job.outputName}:${step}`, checkpoint_type: "Intermediate" });
    }
    if (this.statusOf(job) === "completed") out.push({ step: this.o.steps, created_at: new Date(trainingAt + this.o.trainingMs).toISOString(), path: job.outputName, checkpoint_type: "Final" });
    return out;
  }
}

/** A plausible falling loss with a little deterministic noise per job. */
export function simulatedLoss(jobId: string, step: number): number {
  const noise = (createHash("sha1").update(`${jobId}:${step}`).digest()[0] / 255 - 0.5) * 0.06;
  return round(0.45 + 1.75 * Math.exp(-step / 4) + noise, 4);
}

function fileResponse(file: SimulatedFile) {
  return { id: file.id, object: "file", created_at: Math.floor(file.createdAt / 1000), filename: file.filename, bytes: file.bytes, purpose: file.purpose, Processed: true, FileType: "jsonl" };
}

/** Roughly four characters a token: the simulation's estimate only, never the app's counts. */
function approximateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function displayName(id: string): string {
  return `${id.split("/").pop()} (simulated)`;
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

function ok(body: unknown): SimulatedReply {
  return { status: 200, body };
}

function error(status: number, message: string, type: string): SimulatedReply {
  return { status, body: { error: { message, type, param: null, code: null } } };
}
