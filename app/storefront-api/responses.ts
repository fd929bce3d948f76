/**
 * How every storefront endpoint answers: JSON only (never HTML), never cached,
 * and errors as {error: {code, message}} a shopper-facing widget can act on.
 */

export class StorefrontApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "StorefrontApiError";
  }
}

export const STOREFRONT_HEADERS: Record<string, string> = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
};

/** JSON whose text also holds no <, > or &: merchant or model text can never read as markup. */
export function stringifySafeJson(value: unknown): string {
  return (JSON.stringify(value ?? null) ?? "null").replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(stringifySafeJson(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...STOREFRONT_HEADERS, ...headers },
  });
}

export function errorResponse(error: StorefrontApiError, headers: Record<string, string> = {}): Response {
  const extra: Record<string, string> = error.retryAfterSeconds !== undefined ? { "Retry-After": String(error.retryAfterSeconds) } : {};
  return jsonResponse({ error: { code: error.code, message: error.message } }, error.status, { ...extra, ...headers });
}
