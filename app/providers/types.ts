/**
 * Model ports. Implementations: local (no network) and OpenAI-compatible HTTP.
 * Chosen once from validated config and passed in; nothing here reads process.env.
 */

export interface EmbeddingModel {
  /** Stable id; the vector index is named after it, so a change reindexes. */
  readonly id: string;
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall: number;
  embed(input: { values: string[]; abortSignal?: AbortSignal }): Promise<EmbedResult>;
}

export interface EmbedResult {
  embeddings: number[][];
  usage: { tokens: number };
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Ask for a JSON object matching this schema (structured output). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  temperature?: number;
  maxOutputTokens?: number;
  abortSignal?: AbortSignal;
}

export interface ChatUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResult {
  text: string;
  usage: ChatUsage;
}

export type ChatStreamPart =
  | { type: "delta"; text: string }
  | { type: "done"; text: string; usage: ChatUsage };

export interface ChatModel {
  readonly id: string;
  generate(request: ChatRequest): Promise<ChatResult>;
  stream(request: ChatRequest): AsyncIterable<ChatStreamPart>;
}

export type ProviderErrorCode =
  | "auth"
  | "model_not_found"
  | "rate_limited"
  | "unreachable"
  | "bad_response"
  | "timeout"
  /** The provider's settings cannot work (e.g. unknown embedding dimensions, malformed URL). */
  | "invalid_config"
  /** An optional package the provider needs is not installed. */
  | "not_installed"
  /** A merchant's endpoint resolves to a non-public address and the app only calls public ones. */
  | "blocked_endpoint"
  /** A thread running the built-in model stopped mid-batch (out of memory, killed). */
  | "worker_stopped";

/** Errors a merchant can act on (wrong key, unknown model, rate limit, unreachable). */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
