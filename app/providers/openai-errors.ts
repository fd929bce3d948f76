import OpenAI from "openai";
import { BlockedEndpointError, blockedEndpointMessage } from "./endpoint-guard";
import { hostOf } from "./openai-client";
import { ProviderError } from "./types";

export interface ErrorContext {
  baseURL: string;
  model: string;
  timeoutMs: number;
}

/**
 * Turns whatever the SDK threw into a ProviderError whose message tells a merchant what to fix.
 * Aborts requested by the caller are re-thrown untouched: they are not provider faults.
 */
export function toProviderError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof ProviderError) return error;
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  const host = hostOf(context.baseURL);

  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ProviderError(
      "timeout",
      `${host} did not answer within ${formatSeconds(context.timeoutMs)}. Try again, or raise the timeout if the model is slow.`,
    );
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const blocked = blockedCause(error);
    if (blocked) return new ProviderError("blocked_endpoint", blockedEndpointMessage(blocked.host, blocked.address));
    const reason = connectionFailureReason(error);
    return new ProviderError(
      "unreachable",
      `Could not reach ${context.baseURL}${reason ? ` (${reason})` : ""}. Check the base URL and that the server is running and reachable from this app.`,
    );
  }
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const status = error.status;
    const serverMessage = error.message;
    if (status === 401) {
      return new ProviderError("auth", `The API key was rejected by ${host}. Check the key in the assistant's settings.`, status);
    }
    if (status === 403) {
      return new ProviderError(
        "auth",
        `${host} refused this API key access (403): check the key's permissions and project. ${serverDetail(error)}`.trim(),
        status,
      );
    }
    if (status === 404) {
      if (error.code === "model_not_found" || /model/i.test(serverMessage)) {
        return new ProviderError(
          "model_not_found",
          `The model "${context.model}" does not exist at ${host}, or this API key has no access to it. Check the model name.`,
          status,
        );
      }
      return new ProviderError(
        "model_not_found",
        `${host} answered "not found" for model "${context.model}". Check the model name, and that the base URL ends with the API version (usually /v1).`,
        status,
      );
    }
    if (status === 429) {
      if (error.code === "insufficient_quota") {
        return new ProviderError(
          "rate_limited",
          `The account behind this API key at ${host} has run out of quota. Check its plan and billing.`,
          status,
        );
      }
      return new ProviderError("rate_limited", `${host} is rate limiting requests for "${context.model}". Wait a moment and try again.`, status);
    }
    if (status >= 500) {
      return new ProviderError(
        "unreachable",
        `${host} had a server error (${status}) and retries did not help: ${serverDetail(error)} Try again later.`,
        status,
      );
    }
    return new ProviderError("bad_response", `${host} rejected the request (${status}): ${serverDetail(error)}`, status);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("bad_response", `Unexpected reply from ${host}: ${message}`);
}

function serverDetail(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? body.message : error.message;
}

function blockedCause(error: Error): BlockedEndpointError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof BlockedEndpointError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function connectionFailureReason(error: Error): string | undefined {
  // undici wraps the socket error: APIConnectionError -> TypeError("fetch failed") -> Error { code }.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code in CONNECTION_REASONS) return CONNECTION_REASONS[code];
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const CONNECTION_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "DNS lookup failed",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ETIMEDOUT: "connection timed out",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
};

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
