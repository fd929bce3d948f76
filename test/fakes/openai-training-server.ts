/**
 * A local stand-in for OpenAI's files and fine-tuning API over real HTTP, for the real `openai`
 * SDK: POST /v1/files (multipart), /v1/fine_tuning/jobs create/retrieve/events/checkpoints/cancel,
 * GET /v1/models. Every request and every answer is checked against OpenAI's OpenAPI document in
 * ../shared/contracts. Jobs move validating_files → queued → running → succeeded (or failed,
 * or cancelled) on a clock the test controls; metrics events carry the loss. `refuseJobs`
 * answers job creation the way OpenAI does for organisations it no longer fine-tunes for.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { sharedDataDir } from "../support/shared-data";
import { loadOpenApiContract, readMultipart } from "./openapi-contract";

export const OPENAI_CONTRACT_PATH = path.join(path.dirname(sharedDataDir), "contracts", "openai-openapi-2026-08-21.yaml");

export interface FakeOpenAITrainingOptions {
  apiKey?: string;
  models?: string[];
  /** Answer job creation with OpenAI's refusal (self-serve fine-tuning closed to the organisation). */
  refuseJobs?: boolean;
  /** Jobs whose suffix matches fail during training. */
  failSuffix?: RegExp;
}

export interface FakeOpenAITraining {
  url: string;
  requests: { method: string; path: string; body: unknown }[];
  violations: string[];
  validated: boolean;
  advance(ms: number): void;
  /** The next `count` requests get 429 with Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

interface Job {
  id: string;
  model: string;
  trainingFile: string;
  validationFile: string | null;
  suffix?: string;
  createdAt: number;
  cancelledAt?: number;
  epochs: number;
}

const STEPS = 10;
const PHASE_MS = { validating: 1000, queued: 1000, training: 5000 };

export async function startFakeOpenAITraining(options: FakeOpenAITrainingOptions = {}): Promise<FakeOpenAITraining> {
  const contract = loadOpenApiContract(OPENAI_CONTRACT_PATH, { basePath: "/v1" });
  const apiKey = options.apiKey ?? "sk-train-fake";
  const models = options.models ?? ["gpt-4.1-mini-2025-04-14", "gpt-4o-mini-2024-07-18", "text-embedding-3-small", "ft:gpt-4o-mini-2024-07-18:acme::abc123"];
  let clock = Date.parse("2026-11-02T09:00:00Z");
  let limited = 0;
  let retryAfter = 1;
  const files = new Map<string, { id: string; filename: string; bytes: number; createdAt: number }>();
  const jobs = new Map<string, Job>();
  const requests: FakeOpenAITraining["requests"] = [];
  const violations: string[] = [];
  const seconds = (ms: number) => Math.floor(ms / 1000);

  const statusOf = (job: Job): string => {
    if (job.cancelledAt !== undefined) return "cancelled";
    const t = clock - job.createdAt;
    if (t < PHASE_MS.validating) return "validating_files";
    if (t < PHASE_MS.validating + PHASE_MS.queued) return "queued";
    if (t < PHASE_MS.validating + PHASE_MS.queued + PHASE_MS.training) return "running";
    return options.failSuffix && job.suffix && options.failSuffix.test(job.suffix) ? "failed" : "succeeded";
  };
  const stepsDone = (job: Job) => {
    const started = job.createdAt + PHASE_MS.validating + PHASE_MS.queued;
    const done = Math.floor((((job.cancelledAt ?? clock) - started) / PHASE_MS.training) * STEPS);
    return Math.max(0, Math.min(statusOf(job) === "failed" ? STEPS / 2 : STEPS, done));
  };
  const resultModel = (job: Job) => `ft:${job.model}:acme:${job.suffix ?? ""}:${job.id.slice(-8)}`;
  const describe = (job: Job) => {
    const status = statusOf(job);
    const finished = ["succeeded", "failed", "cancelled"].includes(status);
    return {
      object: "fine_tuning.job",
      id: job.id,
      model: job.model,
      created_at: seconds(job.createdAt),
      finished_at: finished ? seconds(job.cancelledAt ?? job.createdAt + PHASE_MS.validating + PHASE_MS.queued + PHASE_MS.training) : null,
      fine_tuned_model: status === "succeeded" ? resultModel(job) : null,
      organization_id: "org-fake",
      result_files: [],
      status,
      validation_file: job.validationFile,
      training_file: job.trainingFile,
      hyperparameters: { n_epochs: job.epochs, batch_size: 1, learning_rate_multiplier: 1.8 },
      trained_tokens: status === "succeeded" ? 4200 * job.epochs : null,
      error: status === "failed" ? { code: "invalid_training_file", message: "The job failed: too many examples exceed the context length.", param: "training_file" } : null,
      seed: 42,
    };
  };
  const events = (job: Job) => {
    const out: Record<string, unknown>[] = [];
    const add = (at: number, message: string, level = "info", data?: Record<string, number>) =>
      out.push({ object: "fine_tuning.job.event", id: `ftevent-${job.id.slice(-6)}-${out.length}`, created_at: seconds(at), level, message, type: data ? "metrics" : "message", ...(data ? { data } : {}) });
    add(job.createdAt, `Created fine-tuning job: ${job.id}`);
    const status = statusOf(job);
    if (status === "validating_files") return out;
    add(job.createdAt + PHASE_MS.validating, "Files validated, moving job to queued state");
    if (status === "queued") return out;
    const start = job.createdAt + PHASE_MS.validating + PHASE_MS.queued;
    add(start, `Fine-tuning job started`);
    for (let step = 1; step <= stepsDone(job); step++) {
      const loss = Math.round((0.5 + 1.6 * Math.exp(-step / 3)) * 1000) / 1000;
      add(start + (step * PHASE_MS.training) / STEPS, `Step ${step}/${STEPS}: training loss=${loss}`, "info", { step, train_loss: loss, valid_loss: loss + 0.05 });
    }
    if (status === "failed") add(start + PHASE_MS.training, "The job failed: too many examples exceed the context length.", "error");
    if (status === "succeeded") add(start + PHASE_MS.training, "The job has successfully completed");
    if (status === "cancelled") add(job.cancelledAt!, "Fine-tuning job cancelled");
    return out.reverse(); // newest first, as OpenAI lists them
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://fake-openai");
        const method = req.method ?? "GET";
        const raw = Buffer.concat(chunks);
        const contentType = req.headers["content-type"] ?? "";
        let body: unknown;
        let upload: { name: string; text: string } | undefined;
        if (raw.length > 0) {
          if (contentType.startsWith("multipart/form-data")) {
            const parts = await readMultipart(raw, contentType);
            body = parts.fields;
            upload = parts.files.file;
          } else body = JSON.parse(raw.toString("utf8"));
        }
        requests.push({ method, path: url.pathname, body });
        const operation = contract?.match(method, url.pathname);
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
          if (contract && operation && !("problem" in operation)) {
            for (const problem of contract.checkResponse(operation, status, payload)) violations.push(`answer to ${method} ${url.pathname}: ${problem}`);
          }
          const text = JSON.stringify(payload);
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(text);
        };
        const fail = (status: number, message: string, type: string, code: string | null = null, headers?: Record<string, string>) => send(status, { error: { message, type, param: null, code } }, headers);

        if (req.headers.authorization !== `Bearer ${apiKey}`) return fail(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
        if (operation && "problem" in operation) {
          violations.push(`${method} ${url.pathname}: ${operation.problem}`);
          return fail(404, operation.problem, "invalid_request_error");
        }
        if (contract && operation) {
          const problems = contract.checkRequest(operation, { query: url.searchParams, contentType, body });
          if (problems.length) {
            violations.push(`${method} ${url.pathname}: ${problems.join("; ")}`);
            return fail(400, problems.join("; "), "invalid_request_error");
          }
        }
        if (limited > 0) {
          limited--;
          return fail(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded", { "retry-after": String(retryAfter) });
        }
        const p = url.pathname.replace(/^\/v1/, "");
        const jobMatch = /^\/fine_tuning\/jobs\/([^/]+)(\/events|\/checkpoints|\/cancel)?$/.exec(p);
        if (method === "GET" && p === "/models") return send(200, { object: "list", data: models.map((id) => ({ id, object: "model", created: 1_721_172_741, owned_by: id.startsWith("ft:") ? "acme" : "system" })) });
        if (method === "POST" && p === "/files") {
          if (!upload) return fail(400, "Missing file", "invalid_request_error");
          const file = { id: `file-${randomUUID().replace(/-/g, "").slice(0, 24)}`, filename: upload.name, bytes: Buffer.byteLength(upload.text), createdAt: clock };
          files.set(file.id, file);
          return send(200, { object: "file", id: file.id, bytes: file.bytes, created_at: seconds(clock), filename: file.filename, purpose: "fine-tune", status: "processed" });
        }
        if (method === "POST" && p === "/fine_tuning/jobs") {
          if (options.refuseJobs) {
            return fail(403, "Fine-tuning is not available to your organization. Self-serve fine-tuning is closed to organizations that have not used it before.", "invalid_request_error", "fine_tuning_not_available");
          }
          const b = body as { model: string; training_file: string; validation_file?: string; suffix?: string; method?: { supervised?: { hyperparameters?: { n_epochs?: number } } } };
          if (!files.has(b.training_file)) return fail(400, `invalid training_file: ${b.training_file}`, "invalid_request_error", "invalid_file");
          const job: Job = {
            id: `ftjob-${randomUUID().replace(/-/g, "").slice(0, 24)}`,
            model: b.model,
            trainingFile: b.training_file,
            validationFile: b.validation_file ?? null,
            suffix: b.suffix,
            createdAt: clock,
            epochs: b.method?.supervised?.hyperparameters?.n_epochs ?? 3,
          };
          jobs.set(job.id, job);
          return send(200, describe(job));
        }
        if (jobMatch) {
          const job = jobs.get(jobMatch[1]);
          if (!job) return fail(404, `Could not find fine-tune job: ${jobMatch[1]}`, "invalid_request_error", "fine_tune_not_found");
          if (method === "GET" && !jobMatch[2]) return send(200, describe(job));
          if (method === "GET" && jobMatch[2] === "/events") return send(200, { object: "list", data: events(job), has_more: false });
          if (method === "GET" && jobMatch[2] === "/checkpoints") {
            const done = stepsDone(job);
            const data = [5, 10]
              .filter((s) => s <= done && statusOf(job) !== "failed")
              .map((step) => ({ object: "fine_tuning.job.checkpoint", id: `ftckpt-${job.id.slice(-6)}-${step}`, created_at: seconds(clock), fine_tuned_model_checkpoint: `${resultModel(job)}:ckpt-step-${step}`, step_number: step, metrics: { step, train_loss: 0.6 }, fine_tuning_job_id: job.id }));
            return send(200, { object: "list", data: data.reverse(), first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false });
          }
          if (method === "POST" && jobMatch[2] === "/cancel") {
            if (!["succeeded", "failed", "cancelled"].includes(statusOf(job))) job.cancelledAt = clock;
            return send(200, describe(job));
          }
        }
        return fail(404, `Unknown route ${method} ${p}`, "invalid_request_error");
      })().catch((error: unknown) => {
        violations.push(`fake failed: ${String(error)}`);
        res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    violations,
    validated: contract !== undefined,
    advance: (ms) => {
      clock += ms;
    },
    rateLimitNext: (count, s) => {
      limited = count;
      retryAfter = s;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
