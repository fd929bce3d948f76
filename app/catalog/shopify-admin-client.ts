/**
 * The one door to Shopify's Admin GraphQL API: a tiny port (`AdminGraphqlClient`)
 * that both the Remix side (wrapping `admin.graphql`) and offline jobs (a plain
 * access token) can satisfy, plus a throttle-aware retry wrapper.
 *
 * The port returns the GraphQL envelope as Shopify sends it; helpers that need
 * data call `requireData`, which turns top-level errors into coded errors.
 */

/** Newest stable version that @shopify/shopify-api 13 lists in its `ApiVersion` enum. */
export const DEFAULT_ADMIN_API_VERSION = "2025-10";

export interface GraphqlErrorEntry {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminGraphqlResponse<TData = unknown> {
  data?: TData | null;
  errors?: GraphqlErrorEntry[];
  extensions?: { cost?: QueryCost; [key: string]: unknown };
}

/** Runs one GraphQL document against one shop's Admin API. */
export type AdminGraphqlClient = <TData = unknown>(
  query: string,
  variables?: Record<string, unknown>,
) => Promise<AdminGraphqlResponse<TData>>;

export type ShopifyAdminErrorCode =
  | "invalid_shop_domain"
  | "shopify_unauthorized"
  | "shopify_forbidden"
  | "shopify_shop_not_found"
  | "shopify_shop_unavailable"
  | "shopify_throttled"
  | "shopify_server_error"
  | "shopify_http_error"
  | "shopify_network_error"
  | "shopify_graphql_error"
  | "shopify_user_error"
  | "bulk_operation_in_progress"
  | "bulk_operation_failed"
  | "bulk_operation_canceled"
  | "bulk_operation_expired"
  | "bulk_operation_not_finished"
  | "bulk_operation_not_found"
  | "bulk_download_failed"
  | "sync_aborted";

export class ShopifyAdminError extends Error {
  readonly code: ShopifyAdminErrorCode;
  /** True when the same request may succeed later (throttling, 5xx, network). */
  readonly retriable: boolean;
  readonly status?: number;
  /** Suggested wait before a retry, when Shopify said (Retry-After). */
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;

  constructor(
    code: ShopifyAdminErrorCode,
    message: string,
    options: { retriable?: boolean; status?: number; retryAfterMs?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ShopifyAdminError";
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function isValidShopDomain(shop: string): boolean {
  return SHOP_DOMAIN.test(shop);
}

export interface CreateAdminGraphqlClientOptions {
  /** The shop's permanent domain, e.g. "alpine-outfitters.myshopify.com". */
  shop: string;
  accessToken: string;
  apiVersion?: string;
  fetch?: typeof fetch;
  /** Full GraphQL URL; replaces https://<shop>/admin/api/<version>/graphql.json (local fakes). */
  endpoint?: string;
}

export function createAdminGraphqlClient(options: CreateAdminGraphqlClientOptions): AdminGraphqlClient {
  const { shop, accessToken } = options;
  if (!isValidShopDomain(shop)) {
    throw new ShopifyAdminError(
      "invalid_shop_domain",
      `"${shop}" is not a Shopify shop domain; use the store's permanent address ending in .myshopify.com.`,
    );
  }
  if (!accessToken) {
    throw new ShopifyAdminError("shopify_unauthorized", `No Admin API access token for ${shop}; reinstall the app to grant one.`);
  }
  const apiVersion = options.apiVersion ?? DEFAULT_ADMIN_API_VERSION;
  const endpoint = options.endpoint ?? `https://${shop}/admin/api/${apiVersion}/graphql.json`;
  const doFetch = options.fetch ?? globalThis.fetch;

  return async function adminGraphql<TData>(query: string, variables?: Record<string, unknown>): Promise<AdminGraphqlResponse<TData>> {
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-Shopify-Access-Token": accessToken,
        },
        body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
      });
    } catch (cause) {
      throw new ShopifyAdminError("shopify_network_error", `Could not reach Shopify for ${shop}: ${describe(cause)}`, {
        retriable: true,
        cause,
      });
    }
    if (!response.ok) throw await httpError(response, shop);
    const text = await response.text();
    try {
      return JSON.parse(text) as AdminGraphqlResponse<TData>;
    } catch (cause) {
      throw new ShopifyAdminError(
        "shopify_http_error",
        `Shopify answered ${shop}'s GraphQL request with something that is not JSON (${text.slice(0, 80)}).`,
        { status: response.status, retriable: true, cause },
      );
    }
  };
}

async function httpError(response: Response, shop: string): Promise<ShopifyAdminError> {
  const body = (await response.text().catch(() => "")).slice(0, 200);
  return errorForStatus(response.status, shop, parseRetryAfter(response.headers.get("Retry-After")), body);
}

/** Maps an HTTP status from the Admin API to a coded, actionable error. */
export function errorForStatus(status: number, shop: string, retryAfterMs?: number, body = ""): ShopifyAdminError {
  switch (status) {
    case 401:
      return new ShopifyAdminError(
        "shopify_unauthorized",
        `Shopify rejected the access token for ${shop} (401). The app may have been uninstalled or its token revoked; open the app in the Shopify admin to reauthorize it.`,
        { status },
      );
    case 402:
    case 423:
      return new ShopifyAdminError(
        "shopify_shop_unavailable",
        `Shopify says ${shop} is not available (${status}: frozen, locked or unpaid); syncing resumes once the store is active.`,
        { status },
      );
    case 403:
      return new ShopifyAdminError(
        "shopify_forbidden",
        `Shopify refused the request for ${shop} (403): the app lacks an access scope it needs; reinstall it to grant the scopes.`,
        { status },
      );
    case 404:
      return new ShopifyAdminError(
        "shopify_shop_not_found",
        `Shopify has no Admin API at this address for ${shop} (404): check the shop domain and API version.`,
        { status },
      );
    case 429:
      return new ShopifyAdminError("shopify_throttled", `Shopify throttled requests for ${shop} (429).`, {
        status,
        retriable: true,
        retryAfterMs,
      });
    default:
      if (status >= 500) {
        return new ShopifyAdminError("shopify_server_error", `Shopify had a server error (${status}) for ${shop}; it will be retried.`, {
          status,
          retriable: true,
          retryAfterMs,
          details: { body },
        });
      }
      return new ShopifyAdminError("shopify_http_error", `Shopify answered ${status} for ${shop}: ${body}`, { status, details: { body } });
  }
}

/** The shape of `admin.graphql` from @shopify/shopify-app-remix (typed structurally: no Remix import here). */
export type RemixAdminGraphql = (
  query: string,
  options?: { variables?: Record<string, unknown> },
) => Promise<{ json(): Promise<unknown> }>;

/**
 * Wraps Remix's `admin.graphql` into the port. That client throws on GraphQL
 * errors (THROTTLED included) and on HTTP failures; this returns the envelope for
 * the former, so withThrottleRetry sees THROTTLED, and maps the latter to coded
 * errors. A thrown Response (the library's reauthorization redirect) passes through.
 */
export function adaptRemixAdminGraphql(graphql: RemixAdminGraphql, shop = "this store"): AdminGraphqlClient {
  return async function remixAdminGraphql<TData>(query: string, variables?: Record<string, unknown>): Promise<AdminGraphqlResponse<TData>> {
    try {
      const response = await graphql(query, variables === undefined ? undefined : { variables });
      return (await response.json()) as AdminGraphqlResponse<TData>;
    } catch (error) {
      if (error instanceof Response) throw error;
      const failure = error as {
        body?: { data?: TData | null; errors?: { graphQLErrors?: GraphqlErrorEntry[] }; extensions?: AdminGraphqlResponse["extensions"] };
        response?: { code?: number; headers?: Record<string, string | string[]> };
      };
      const graphQLErrors = failure.body?.errors?.graphQLErrors;
      if (Array.isArray(graphQLErrors)) {
        return { data: failure.body?.data ?? null, errors: graphQLErrors, extensions: failure.body?.extensions };
      }
      const status = failure.response?.code;
      if (typeof status === "number") {
        const retryAfter = failure.response?.headers?.["Retry-After"];
        throw errorForStatus(status, shop, parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null)));
      }
      throw new ShopifyAdminError("shopify_network_error", `Could not reach Shopify for ${shop}: ${describe(error)}`, {
        retriable: true,
        cause: error,
      });
    }
  };
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isThrottledResponse(response: AdminGraphqlResponse<unknown>): boolean {
  return (response.errors ?? []).some((e) => e.extensions?.code === "THROTTLED");
}

/** How long until the bucket holds enough points for the throttled query, from the cost extension. */
export function refillWaitMs(response: AdminGraphqlResponse<unknown>): number | null {
  const cost = response.extensions?.cost;
  if (!cost?.throttleStatus) return null;
  const { currentlyAvailable, restoreRate, maximumAvailable } = cost.throttleStatus;
  if (!(restoreRate > 0)) return null;
  const needed = Math.min(cost.requestedQueryCost ?? 0, maximumAvailable ?? Infinity);
  const missing = needed - currentlyAvailable;
  return missing > 0 ? Math.ceil((missing / restoreRate) * 1000) : 0;
}

export interface ThrottleRetryOptions {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** First backoff step; doubles each retry. */
  baseDelayMs?: number;
  /** Backoff ceiling (a refill wait that Shopify asks for can exceed it). */
  maxDelayMs?: number;
  onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries THROTTLED answers (and 429/5xx/network failures) after waiting for the
 * leaky bucket to refill enough for the query, with exponential backoff on top;
 * after `maxRetries` it raises `shopify_throttled` (or the last error).
 */
export function withThrottleRetry(client: AdminGraphqlClient, options: ThrottleRetryOptions = {}): AdminGraphqlClient {
  const maxRetries = options.maxRetries ?? 5;
  const sleep = options.sleep ?? defaultSleep;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;

  const backoff = (attempt: number) => Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);

  return async function retryingAdminGraphql<TData>(query: string, variables?: Record<string, unknown>): Promise<AdminGraphqlResponse<TData>> {
    for (let attempt = 0; ; attempt++) {
      let response: AdminGraphqlResponse<TData>;
      try {
        response = await client<TData>(query, variables);
      } catch (error) {
        if (!(error instanceof ShopifyAdminError) || !error.retriable || attempt >= maxRetries) throw error;
        const waitMs = Math.max(error.retryAfterMs ?? 0, backoff(attempt));
        options.onRetry?.({ attempt: attempt + 1, waitMs, reason: error.code });
        await sleep(waitMs);
        continue;
      }
      if (!isThrottledResponse(response)) return response;
      if (attempt >= maxRetries) {
        throw new ShopifyAdminError(
          "shopify_throttled",
          `Shopify kept throttling this store's API calls after ${maxRetries} retries; the sync will try again later.`,
          { retriable: true, details: { cost: response.extensions?.cost } },
        );
      }
      const refill = refillWaitMs(response);
      const waitMs = Math.max(refill ?? 0, backoff(attempt));
      options.onRetry?.({ attempt: attempt + 1, waitMs, reason: "THROTTLED" });
      await sleep(waitMs);
    }
  };
}

/**
 * The data of a response, or a coded error for top-level GraphQL errors. `what`
 * names the request in messages ("the shop's policies").
 */
export function requireData<TData>(response: AdminGraphqlResponse<TData>, what: string): TData {
  const errors = response.errors ?? [];
  if (errors.length > 0) {
    if (isThrottledResponse(response)) {
      throw new ShopifyAdminError("shopify_throttled", `Shopify throttled the request for ${what}; try again shortly.`, {
        retriable: true,
      });
    }
    const codes = errors.map((e) => e.extensions?.code).filter(Boolean);
    const denied = codes.includes("ACCESS_DENIED");
    throw new ShopifyAdminError(
      denied ? "shopify_forbidden" : "shopify_graphql_error",
      denied
        ? `Shopify denied access to ${what}: the app lacks a scope it needs (${errors[0].message}); reinstall it to grant the scopes.`
        : `Shopify could not return ${what}: ${errors.map((e) => e.message).join("; ")}`,
      { details: { errors } },
    );
  }
  if (response.data === undefined || response.data === null) {
    throw new ShopifyAdminError("shopify_graphql_error", `Shopify returned no data for ${what}.`);
  }
  return response.data;
}

/** "gid://shopify/Product/123" -> "123"; a bare numeric id passes through. */
export function numericIdFromGid(gid: string): string | null {
  if (/^\d+$/.test(gid)) return gid;
  const match = /^gid:\/\/shopify\/[A-Za-z0-9]+\/(\d+)(?:\?.*)?$/.exec(gid);
  return match ? match[1] : null;
}

/** The object type of a gid ("Product"), or null. */
export function gidType(gid: string): string | null {
  const match = /^gid:\/\/shopify\/([A-Za-z0-9]+)\//.exec(gid);
  return match ? match[1] : null;
}

/** "123" or a gid -> "gid://shopify/<type>/123". */
export function toGid(type: string, id: string | number): string {
  const text = String(id);
  if (text.startsWith("gid://")) return text;
  return `gid://shopify/${type}/${text}`;
}
