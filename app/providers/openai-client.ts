import OpenAI from "openai";
import { assertPublicEndpoint, guardedFetch, type EndpointPolicy } from "./endpoint-guard";
import { ProviderError } from "./types";

/** Settings shared by every OpenAI-compatible provider (OpenAI itself or a merchant's own endpoint). */
export interface OpenAIConnection {
  /** Base URL including the version path, e.g. "https://api.openai.com/v1". */
  baseURL: string;
  apiKey: string;
  /** Retries on 408/409/429/5xx and dropped connections, with backoff; Retry-After is honoured. */
  maxRetries?: number;
  timeoutMs?: number;
  /**
   * For endpoints a merchant typed in: which addresses may be called (endpoint-guard.ts).
   * Left out for the operator's own configuration, which is trusted.
   */
  endpointPolicy?: EndpointPolicy;
}

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_TIMEOUT_MS = 60_000;

export function createOpenAIClient(connection: OpenAIConnection): OpenAI {
  assertBaseURL(connection.baseURL);
  const guarded = connection.endpointPolicy && !connection.endpointPolicy.allowPrivateNetworks;
  if (connection.endpointPolicy) assertPublicEndpoint(connection.baseURL, connection.endpointPolicy);
  return new OpenAI({
    ...(guarded ? { fetch: guardedFetch } : {}),
    baseURL: connection.baseURL,
    apiKey: connection.apiKey,
    maxRetries: connection.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeout: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Explicit nulls stop the SDK from picking these up from the process environment:
    // configuration arrives only through arguments.
    organization: null,
    project: null,
    webhookSecret: null,
  });
}

export function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

function assertBaseURL(baseURL: string): void {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new ProviderError("invalid_config", `"${baseURL}" is not a valid URL. Use the full base URL, e.g. https://api.openai.com/v1.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ProviderError("invalid_config", `The base URL must start with http:// or https:// (got "${baseURL}").`);
  }
}
