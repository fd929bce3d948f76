/**
 * A local stand-in for the OpenAI REST API (and any OpenAI-compatible server), speaking its
 * documented wire format over real HTTP so the real `openai` SDK can be pointed at it:
 *   POST /v1/chat/completions   chat.completion objects, or text/event-stream chat.completion.chunk
 *                               lines ending with a usage chunk and `data: [DONE]`
 *   POST /v1/embeddings         deterministic bag-of-words vectors, L2-normalized
 *   GET  /v1/models[/:id]       the models it knows
 * Errors use OpenAI's `{ error: { message, type, param, code } }` shape.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv } from "ajv";

export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream: boolean;
  /** The json_schema response_format, when the request asked for structured output. */
  jsonSchema?: { name: string; schema: Record<string, unknown>; strict: boolean };
  body: Record<string, unknown>;
}

export interface FakeError {
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

export type FakeChatReply =
  /**
   * `content` is the assistant message. Under strict structured output it must match the schema
   * (as OpenAI guarantees) unless `ignoreSchema` is set, for tests of malformed model output.
   */
  | { content: string; ignoreSchema?: boolean; finishReason?: "stop" | "length" }
  | { status: number; error: FakeError; headers?: Record<string, string> };

export type FakeChatHandler = (request: FakeChatRequest) => FakeChatReply | Promise<FakeChatReply>;

export interface FakeOpenAIOptions {
  /** The only key accepted. */
  apiKey?: string;
  chatModels?: string[];
  /** Embedding model -> native vector size. */
  embeddingModels?: Record<string, number>;
  chatHandler?: FakeChatHandler;
  /** Characters per streamed content delta. */
  streamChunkSize?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeOpenAI {
  /** Base URL including /v1, for the SDK's `baseURL`. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  setChatHandler(handler: FakeChatHandler): void;
  /** The next `count` API requests get 429 rate_limit_exceeded with this Retry-After (seconds). */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /** The next `count` API requests fail with this server error status. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export const FAKE_API_KEY = "sk-test-groundwork-fake";

/** Echoes the last user message; with structured output, fills the schema with empty values. */
export const defaultChatHandler: FakeChatHandler = (request) => {
  if (request.jsonSchema) return { content: JSON.stringify(emptyValueFor(request.jsonSchema.schema)) };
  const lastUser = [...request.messages].reverse().find((message) => message.role === "user");
  return { content: `You said: ${lastUser?.content ?? ""}` };
};

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? FAKE_API_KEY;
  const chatModels = options.chatModels ?? ["gpt-4o-mini", "gpt-4.1-mini"];
  const embeddingModels = options.embeddingModels ?? { "text-embedding-3-small": 1536, "text-embedding-3-large": 3072 };
  const streamChunkSize = options.streamChunkSize ?? 7;
  let chatHandler = options.chatHandler ?? defaultChatHandler;
  let rateLimited = 0;
  let rateLimitRetryAfter = 0;
  let failures = 0;
  let failureStatus = 500;
  const requests: RecordedRequest[] = [];
  const ajv = new Ajv({ strict: false });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        requests.push({ method, path: url.pathname, body: raw, headers: req.headers });
        return sendError(res, 400, { message: "We could not parse the JSON body of your request.", type: "invalid_request_error" });
      }
    }
    requests.push({ method, path: url.pathname, body, headers: req.headers });

    const authorization = req.headers.authorization ?? "";
    if (!authorization.startsWith("Bearer ") || authorization.slice("Bearer ".length) === "") {
      return sendError(res, 401, {
        message: "You didn't provide an API key. Provide it in an Authorization header using Bearer auth.",
        type: "invalid_request_error",
      });
    }
    const presented = authorization.slice("Bearer ".length);
    if (presented !== apiKey) {
      return sendError(res, 401, {
        message: `Incorrect API key provided: ${redact(presented)}.`,
        type: "invalid_request_error",
        code: "invalid_api_key",
      });
    }
    if (rateLimited > 0) {
      rateLimited--;
      return sendError(
        res,
        429,
        { message: "Rate limit reached for requests. Please try again shortly.", type: "requests", code: "rate_limit_exceeded" },
        { "retry-after": String(rateLimitRetryAfter) },
      );
    }
    if (failures > 0) {
      failures--;
      return sendError(res, failureStatus, { message: "The server had an error while processing your request.", type: "server_error" });
    }

    if (method === "GET" && url.pathname === "/v1/models") {
      return sendJson(res, 200, { object: "list", data: [...chatModels, ...Object.keys(embeddingModels)].map(describeModel) });
    }
    const modelMatch = /^\/v1\/models\/(.+)$/.exec(url.pathname);
    if (method === "GET" && modelMatch) {
      const id = decodeURIComponent(modelMatch[1]);
      if (!chatModels.includes(id) && !(id in embeddingModels)) return sendModelNotFound(res, id);
      return sendJson(res, 200, describeModel(id));
    }
    if (method === "POST" && url.pathname === "/v1/chat/completions") return handleChat(body ?? {}, res);
    if (method === "POST" && url.pathname === "/v1/embeddings") return handleEmbeddings(body ?? {}, res);
    return sendError(res, 404, { message: `Invalid URL (${method} ${url.pathname})`, type: "invalid_request_error" });
  }

  async function handleChat(body: Record<string, any>, res: ServerResponse): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (typeof body.model !== "string") return sendMissing(res, "model");
    if (!Array.isArray(body.messages) || body.messages.length === 0) return sendMissing(res, "messages");
    if (!chatModels.includes(body.model)) return sendModelNotFound(res, body.model);
    const format = body.response_format;
    let jsonSchema: FakeChatRequest["jsonSchema"];
    if (format?.type === "json_schema") {
      const spec = format.json_schema ?? {};
      if (typeof spec.name !== "string" || typeof spec.schema !== "object") {
        return sendError(res, 400, { message: "Missing required parameter: 'response_format.json_schema.name'.", type: "invalid_request_error", param: "response_format" });
      }
      jsonSchema = { name: spec.name, schema: spec.schema, strict: spec.strict === true };
      if (jsonSchema.strict) {
        const problem = strictSchemaProblem(jsonSchema.schema);
        if (problem) {
          return sendError(res, 400, {
            message: `Invalid schema for response_format '${spec.name}': ${problem}`,
            type: "invalid_request_error",
            param: "response_format",
          });
        }
      }
    }
    const request: FakeChatRequest = {
      model: body.model,
      messages: body.messages.map((message: { role: string; content: unknown }) => ({
        role: message.role,
        content: typeof message.content === "string" ? message.content : JSON.stringify(message.content),
      })),
      stream: body.stream === true,
      jsonSchema,
      body,
    };
    const reply = await chatHandler(request);
    if ("status" in reply) return sendError(res, reply.status, reply.error, reply.headers);

    if (jsonSchema?.strict && !reply.ignoreSchema) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(reply.content);
      } catch {
        throw new Error(`fake chat handler returned non-JSON content under strict structured output: ${reply.content}`);
      }
      if (!ajv.validate(jsonSchema.schema, parsed)) {
        throw new Error(`fake chat handler content does not match the json_schema: ${ajv.errorsText()}`);
      }
    }

    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: countTokens(request.messages.map((message) => message.content).join(" ")),
      completion_tokens: countTokens(reply.content),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const finishReason = reply.finishReason ?? "stop";

    if (!request.stream) {
      return sendJson(res, 200, {
        id,
        object: "chat.completion",
        created,
        model: request.model,
        choices: [{ index: 0, message: { role: "assistant", content: reply.content, refusal: null }, logprobs: null, finish_reason: finishReason }],
        usage,
      });
    }

    const includeUsage = body.stream_options?.include_usage === true;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
    res.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]));
    for (let start = 0; start < reply.content.length; start += streamChunkSize) {
      const piece = reply.content.slice(start, start + streamChunkSize);
      res.write(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
      // Let each piece leave as its own network write, as a real stream does.
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]));
    if (includeUsage) res.write(chunk([], { usage }));
    res.end("data: [DONE]\n\n");
  }

  function handleEmbeddings(body: Record<string, any>, res: ServerResponse): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (typeof body.model !== "string") return sendMissing(res, "model");
    if (body.input === undefined) return sendMissing(res, "input");
    const native = embeddingModels[body.model];
    if (native === undefined) return sendModelNotFound(res, body.model);
    const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
    if (inputs.length === 0 || inputs.length > 2048) {
      return sendError(res, 400, { message: `'$.input' must have between 1 and 2048 items (got ${inputs.length}).`, type: "invalid_request_error", param: "input" });
    }
    if (inputs.some((input) => typeof input !== "string" || input.length === 0)) {
      return sendError(res, 400, { message: "'$.input' is invalid. Every input must be a non-empty string.", type: "invalid_request_error", param: "input" });
    }
    const dimensions = body.dimensions ?? native;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > native) {
      return sendError(res, 400, { message: `This model does not support specifying dimensions=${body.dimensions}.`, type: "invalid_request_error", param: "dimensions" });
    }
    const base64 = body.encoding_format === "base64";
    const texts = inputs as string[];
    sendJson(res, 200, {
      object: "list",
      data: texts.map((text, index) => {
        const vector = embedText(text, dimensions);
        return { object: "embedding", index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector };
      }),
      model: body.model,
      usage: { prompt_tokens: texts.reduce((sum, text) => sum + countTokens(text), 0), total_tokens: texts.reduce((sum, text) => sum + countTokens(text), 0) },
    });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // A broken handler in a test should be loud, not a hang.
      if (!res.headersSent) sendError(res, 500, { message: `fake server: ${error instanceof Error ? error.message : String(error)}`, type: "server_error" }, { "x-should-retry": "false" });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    setChatHandler(handler) {
      chatHandler = handler;
    },
    rateLimitNext(count, retryAfterSeconds = 0) {
      rateLimited = count;
      rateLimitRetryAfter = retryAfterSeconds;
    },
    failNext(count, status = 500) {
      failures = count;
      failureStatus = status;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Deterministic "embedding": each word hashes to a direction; a text is the sum of its words. */
export function embedText(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text]) {
    const digest = createHash("sha256").update(word).digest();
    for (let k = 0; k < 4; k++) {
      const slot = digest.readUInt32LE(k * 4) % dimensions;
      vector[slot] += digest[16 + k] & 1 ? 1 : -1;
    }
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** Roughly OpenAI's ~4 characters per token; enough for usage accounting in tests. */
function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function describeModel(id: string) {
  return { id, object: "model", created: 1_700_000_000, owned_by: "groundwork-fake" };
}

function redact(key: string): string {
  return key.length <= 8 ? "****" : `${key.slice(0, 3)}****${key.slice(-4)}`;
}

/** OpenAI's strict mode requires every object to list all properties as required and forbid extras. */
function strictSchemaProblem(schema: unknown, where = "root"): string | undefined {
  if (!schema || typeof schema !== "object") return undefined;
  const node = schema as Record<string, unknown>;
  if (node.type === "object") {
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    if (node.additionalProperties !== false) return `In context=${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const required = new Set((node.required as string[] | undefined) ?? []);
    const missing = Object.keys(properties).filter((key) => !required.has(key));
    if (missing.length > 0) return `In context=${where}, 'required' is required to include every key in properties. Missing '${missing[0]}'.`;
    for (const [key, child] of Object.entries(properties)) {
      const problem = strictSchemaProblem(child, `${where}.${key}`);
      if (problem) return problem;
    }
  }
  if (node.type === "array") return strictSchemaProblem(node.items, `${where}[]`);
  return undefined;
}

function emptyValueFor(schema: unknown): unknown {
  const node = (schema ?? {}) as Record<string, unknown>;
  switch (node.type) {
    case "object":
      return Object.fromEntries(Object.entries((node.properties ?? {}) as Record<string, unknown>).map(([key, child]) => [key, emptyValueFor(child)]));
    case "array":
      return [];
    case "boolean":
      return false;
    case "number":
    case "integer":
      return 0;
    default:
      return "";
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_${randomUUID().replace(/-/g, "")}`, ...headers });
  res.end(JSON.stringify(payload));
}

function sendError(res: ServerResponse, status: number, error: FakeError, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message: error.message, type: error.type ?? "invalid_request_error", param: error.param ?? null, code: error.code ?? null } }, headers);
}

function sendMissing(res: ServerResponse, param: string): void {
  sendError(res, 400, { message: `you must provide a ${param} parameter`, type: "invalid_request_error", param });
}

function sendModelNotFound(res: ServerResponse, model: string): void {
  sendError(res, 404, { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: "invalid_request_error", code: "model_not_found" });
}
