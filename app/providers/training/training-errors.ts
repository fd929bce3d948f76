/**
 * Turns what the Together and OpenAI SDKs throw into TrainingErrors a merchant can act on.
 * Both SDKs share one error shape (status, headers, error body), so one mapper serves both.
 * Retryable (rate limits, 5xx, no connection) and final errors are told apart here, once.
 */
import { BlockedEndpointError, blockedEndpointMessage } from "../endpoint-guard";
import { TrainingError } from "./types";

interface SdkError {
  name?: string;
  message?: string;
  status?: number;
  headers?: Headers | Record<string, string>;
  error?: unknown;
  cause?: unknown;
}

export function toTrainingError(error: unknown, providerLabel: string): unknown {
  if (error instanceof TrainingError) return error;
  if (error instanceof Error && (error.name === "AbortError" || error.name === "APIUserAbortError")) return error;
  const e = (error ?? {}) as SdkError;
  const blocked = findCause(error, (c): c is BlockedEndpointError => c instanceof BlockedEndpointError);
  if (blocked) return new TrainingError("blocked_endpoint", blockedEndpointMessage(blocked.host, blocked.address));
  if (typeof e.status !== "number") {
    if (e.name?.startsWith("APIConnection") || e.name === "TypeError") {
      const timeout = e.name === "APIConnectionTimeoutError";
      return new TrainingError("unreachable", `${providerLabel} ${timeout ? "did not answer in time" : "could not be reached"}. The app will try again; if this lasts, check the provider's status page.`);
    }
    return new TrainingError("bad_response", `Unexpected reply from ${providerLabel}: ${e.message ?? String(error)}`);
  }
  const status = e.status;
  const detail = serverMessage(e);
  const retryAfterMs = retryAfterOf(e.headers);
  if (status === 401) return new TrainingError("auth", `${providerLabel} rejected the API key. Check the training provider's key in Settings.`, { status });
  if (status === 402) return new TrainingError("insufficient_funds", `${providerLabel} says the account cannot pay for this job: ${detail} Add credit at the provider, then start again.`, { status });
  if (status === 403) return new TrainingError("auth", `${providerLabel} refused this key access: ${detail} Check the key's permissions.`, { status });
  if (status === 404) return new TrainingError("not_found", `${providerLabel} has no such job, file or model: ${detail}`, { status });
  if (status === 429) {
    if (/quota|billing|credit|balance/i.test(detail)) return new TrainingError("insufficient_funds", `${providerLabel} says the account is out of quota: ${detail} Check its plan and billing.`, { status });
    return new TrainingError("rate_limited", `${providerLabel} is limiting how fast the app may call it. The app waits and tries again.`, { status, retryAfterMs });
  }
  if (status >= 500) return new TrainingError("provider_unavailable", `${providerLabel} had a server error (${status}). The app will try again later.`, { status, retryAfterMs });
  return new TrainingError("invalid_request", `${providerLabel} rejected the request (${status}): ${detail}`, { status });
}

function serverMessage(e: SdkError): string {
  const body = e.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = typeof body?.message === "string" ? body.message : typeof body?.error?.message === "string" ? body.error.message : e.message ?? "";
  const text = message.replace(/^\d{3}\s+/, "").trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function retryAfterOf(headers: SdkError["headers"]): number | undefined {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers?.[name]) ?? null;
  const ms = Number(get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = get("retry-after");
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function findCause<T>(error: unknown, test: (c: unknown) => c is T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
