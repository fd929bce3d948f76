/**
 * A local stand-in for Together AI's fine-tuning API over real HTTP, for the real
 * `together-ai` SDK. Every request is checked against Together's OpenAPI document in
 * ../shared/contracts (a request it does not allow is recorded in `violations` and answered
 * 400), and so is every answer the fake gives. Job life cycles come from the demo's simulated
 * provider on a clock the test controls; on top of it the fake injects what real services do:
 * rate limits with Retry-After, server errors, refused job creation and failed jobs.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SimulatedTogether, type SimulatedJob } from "../../app/providers/training/simulated-together";
import { sharedDataDir } from "../support/shared-data";
import { loadOpenApiContract, readMultipart } from "./openapi-contract";

export const TOGETHER_CONTRACT_PATH = path.join(path.dirname(sharedDataDir), "contracts", "together-openapi-2026-04-28.yaml");

export interface FakeTogetherRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeTogetherFault {
  /** Only requests for this method and path (regex on the path without /v1). */
  method?: string;
  path?: RegExp;
  status: number;
  message: string;
  type?: string;
  headers?: Record<string, string>;
  /** How many matching requests it answers (default 1). */
  times?: number;
}

export interface FakeTogether {
  /** Base URL including /v1, for the SDK's baseURL. */
  url: string;
  requests: FakeTogetherRequest[];
  violations: string[];
  validated: boolean;
  simulation: SimulatedTogether;
  /** Answer the next matching requests with an error instead. */
  inject(fault: FakeTogetherFault): void;
  /** Moves the fake's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface FakeTogetherOptions {
  apiKey?: string;
  /** Jobs whose suffix matches fail half way through training. */
  failSuffix?: RegExp;
  baseModels?: string[];
}

export async function startFakeTogether(options: FakeTogetherOptions = {}): Promise<FakeTogether> {
  const contract = loadOpenApiContract(TOGETHER_CONTRACT_PATH, { basePath: "/v1" });
  let clock = Date.parse("2026-11-02T09:00:00Z");
  const simulation = new SimulatedTogether({
    now: () => clock,
    baseModels: options.baseModels ?? ["meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "Qwen/Qwen3-4B-Instruct"],
    outcome: (job: SimulatedJob) => (options.failSuffix && job.suffix && options.failSuffix.test(job.suffix) ? "failed" : "completed"),
  });
  const requests: FakeTogetherRequest[] = [];
  const violations: string[] = [];
  const faults: (FakeTogetherFault & { left: number })[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://fake-together");
        const method = req.method ?? "GET";
        const raw = Buffer.concat(chunks);
        const contentType = req.headers["content-type"] ?? "";
        let body: unknown;
        let upload: { fields: Record<string, string>; fileText?: string } | undefined;
        if (raw.length > 0) {
          if (contentType.startsWith("multipart/form-data")) {
            const parts = await readMultipart(raw, contentType);
            body = parts.fields;
            upload = { fields: parts.fields, fileText: parts.files.file?.text };
          } else {
            try {
              body = JSON.parse(raw.toString("utf8"));
            } catch {
              body = raw.toString("utf8");
            }
          }
        }
        requests.push({ method, path: url.pathname, body });
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
          const text = JSON.stringify(payload);
          res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
          res.end(text);
        };
        const errorBody = (message: string, type = "invalid_request_error") => ({ error: { message, type, param: null, code: null } });

        if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return send(401, errorBody("Invalid API key provided", "authentication_error"));

        const operation = contract?.match(method, url.pathname);
        if (operation && "problem" in operation) {
          violations.push(`${method} ${url.pathname}: ${operation.problem}`);
          return send(404, errorBody(operation.problem, "not_found"));
        }
        if (contract && operation) {
          const problems = contract.checkRequest(operation, { query: url.searchParams, contentType, body });
          if (problems.length) {
            violations.push(`${method} ${url.pathname}: ${problems.join("; ")}`);
            return send(400, errorBody(problems.join("; ")));
          }
        }
        const apiPath = url.pathname.replace(/^\/v1/, "");
        const fault = faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(apiPath)));
        if (fault) {
          fault.left--;
          return send(fault.status, errorBody(fault.message, fault.type ?? "server_error"), fault.headers);
        }
        const reply = simulation.handle(method, apiPath, body, upload);
        if (contract && operation) {
          for (const problem of contract.checkResponse(operation, reply.status, reply.body)) violations.push(`answer to ${method} ${url.pathname}: ${problem}`);
        }
        send(reply.status, reply.body, reply.headers);
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
    simulation,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    advance: (ms) => {
      clock += ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
