/**
 * Full product sync through an Admin GraphQL bulk operation: start it, follow it
 * (polling, or a `bulk_operations/finish` webhook), download the JSONL and parse
 * it into a CatalogBatch.
 */
import type { CatalogBatch } from "./types";
import { createEmptyBatch } from "./batch";
import { parseBulkJsonl } from "./bulk-jsonl";
import { ShopifyAdminError, requireData, toGid, type AdminGraphqlClient } from "./shopify-admin-client";
import { COLLECTION_FIELDS, MEDIA_FIELDS, METAFIELD_FIELDS, PRODUCT_SCALAR_FIELDS, VARIANT_FIELDS } from "./shopify-product-mapping";

const indent = (text: string, spaces: number) => text.replace(/\n/g, `\n${" ".repeat(spaces)}`);

/**
 * Bulk queries allow at most five connections, nested at most two deep: this one
 * uses exactly five (products; its variants, collections, metafields, media).
 */
export const PRODUCTS_BULK_QUERY = `{
  products {
    edges {
      node {
        ${indent(PRODUCT_SCALAR_FIELDS, 8)}
        variants { edges { node {
          ${indent(VARIANT_FIELDS, 10)}
        } } }
        collections { edges { node {
          ${indent(COLLECTION_FIELDS, 10)}
        } } }
        metafields { edges { node {
          ${indent(METAFIELD_FIELDS, 10)}
        } } }
        media { edges { node {
          ${indent(MEDIA_FIELDS, 10)}
        } } }
      }
    }
  }
}`;

/** Starts any bulk query (products here, orders' line items for the brand-voice ranking). */
export const RUN_BULK_QUERY = `#graphql
mutation RunBulkQuery($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const BULK_OPERATION_FIELDS = `id
      status
      errorCode
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
      createdAt
      completedAt`;

const BULK_OPERATION_BY_ID = `#graphql
query BulkOperationById($id: ID!) {
  node(id: $id) {
    ... on BulkOperation {
      ${BULK_OPERATION_FIELDS}
    }
  }
}`;

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";

export interface BulkOperationState {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  /** Objects written so far (products and their children). */
  objectCount: number;
  rootObjectCount: number;
  url: string | null;
  partialDataUrl: string | null;
}

export interface BulkSyncProgress {
  operationId: string;
  status: BulkOperationStatus;
  objectCount: number;
}

export interface ProductBulkSyncResult {
  batch: CatalogBatch;
  objectCount: number;
  operationId: string;
}

export interface CompleteBulkSyncOptions {
  /** Downloads the JSONL (no Shopify token: the URL is pre-signed). */
  fetch?: typeof fetch;
  /** Shop currency stamped on products. */
  currency?: string | null;
  abortSignal?: AbortSignal;
}

export interface RunBulkSyncOptions extends CompleteBulkSyncOptions {
  pollIntervalMs?: number;
  onProgress?: (progress: BulkSyncProgress) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const TERMINAL: ReadonlySet<BulkOperationStatus> = new Set(["COMPLETED", "CANCELED", "FAILED", "EXPIRED"]);

/** Starts the products bulk query; returns the operation id to follow. */
export async function startProductBulkSync(client: AdminGraphqlClient): Promise<{ operationId: string; status: BulkOperationStatus }> {
  const data = requireData(
    await client<{
      bulkOperationRunQuery: {
        bulkOperation: { id: string; status: BulkOperationStatus } | null;
        userErrors: { field: string[] | null; message: string; code: string | null }[];
      } | null;
    }>(RUN_BULK_QUERY, { query: PRODUCTS_BULK_QUERY }),
    "a product export",
  );
  const payload = data.bulkOperationRunQuery;
  const userErrors = payload?.userErrors ?? [];
  if (userErrors.length > 0) {
    const inProgress = userErrors.find((e) => e.code === "OPERATION_IN_PROGRESS" || /already in progress/i.test(e.message));
    if (inProgress) {
      const running = /gid:\/\/shopify\/BulkOperation\/\d+/.exec(inProgress.message)?.[0] ?? null;
      throw new ShopifyAdminError(
        "bulk_operation_in_progress",
        "Another product export is already running for this store; the sync will start when it finishes.",
        { retriable: true, details: { runningOperationId: running, userErrors } },
      );
    }
    throw new ShopifyAdminError(
      "shopify_user_error",
      `Shopify refused to start the product export: ${userErrors.map((e) => e.message).join("; ")}`,
      { details: { userErrors } },
    );
  }
  if (!payload?.bulkOperation) {
    throw new ShopifyAdminError("shopify_graphql_error", "Shopify did not return the started product export.");
  }
  return { operationId: payload.bulkOperation.id, status: payload.bulkOperation.status };
}

export async function fetchBulkOperation(client: AdminGraphqlClient, operationId: string): Promise<BulkOperationState> {
  const id = toGid("BulkOperation", operationId);
  const data = requireData(
    await client<{ node: Record<string, unknown> | null }>(BULK_OPERATION_BY_ID, { id }),
    "the product export's status",
  );
  const node = data.node;
  if (!node || typeof node.status !== "string") {
    throw new ShopifyAdminError("bulk_operation_not_found", `Shopify has no bulk operation ${id} for this app; start a new sync.`);
  }
  return {
    id: String(node.id ?? id),
    status: node.status as BulkOperationStatus,
    errorCode: (node.errorCode as string | null) ?? null,
    // UnsignedInt64 arrives as a string.
    objectCount: Number(node.objectCount ?? 0),
    rootObjectCount: Number(node.rootObjectCount ?? 0),
    url: (node.url as string | null) ?? null,
    partialDataUrl: (node.partialDataUrl as string | null) ?? null,
  };
}

/**
 * Finishes a sync whose operation has ended (e.g. on `bulk_operations/finish`):
 * downloads and parses the result, or raises a coded error for a failed,
 * canceled or expired operation, or one still running.
 */
export async function completeProductBulkSync(
  client: AdminGraphqlClient,
  operationId: string,
  options: CompleteBulkSyncOptions = {},
): Promise<ProductBulkSyncResult> {
  const state = await fetchBulkOperation(client, operationId);
  if (!TERMINAL.has(state.status)) {
    throw new ShopifyAdminError(
      "bulk_operation_not_finished",
      `The product export ${state.id} is still ${state.status.toLowerCase()}; finish it after Shopify reports it done.`,
      { retriable: true, details: { status: state.status } },
    );
  }
  return downloadResult(state, options);
}

/** Starts a products bulk query, polls until it ends, and returns the parsed catalog. */
export async function runProductBulkSync(client: AdminGraphqlClient, options: RunBulkSyncOptions = {}): Promise<ProductBulkSyncResult> {
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const sleep = options.sleep ?? abortableSleep;
  throwIfAborted(options.abortSignal);
  const started = await startProductBulkSync(client);
  options.onProgress?.({ operationId: started.operationId, status: started.status, objectCount: 0 });
  for (;;) {
    throwIfAborted(options.abortSignal);
    const state = await fetchBulkOperation(client, started.operationId);
    options.onProgress?.({ operationId: state.id, status: state.status, objectCount: state.objectCount });
    if (TERMINAL.has(state.status)) return downloadResult(state, options);
    await sleep(pollIntervalMs, options.abortSignal);
  }
}

async function downloadResult(state: BulkOperationState, options: CompleteBulkSyncOptions): Promise<ProductBulkSyncResult> {
  switch (state.status) {
    case "FAILED":
      throw new ShopifyAdminError("bulk_operation_failed", failureMessage(state.errorCode), {
        retriable: state.errorCode !== "ACCESS_DENIED",
        details: { errorCode: state.errorCode, partialDataUrl: state.partialDataUrl },
      });
    case "CANCELED":
      throw new ShopifyAdminError("bulk_operation_canceled", "The product export was canceled before it finished; start the sync again.");
    case "EXPIRED":
      throw new ShopifyAdminError(
        "bulk_operation_expired",
        "The product export's results expired (Shopify keeps them seven days); start the sync again.",
      );
    default:
      break;
  }
  // A completed operation with no file means the query matched nothing: an empty shop.
  if (!state.url) return { batch: createEmptyBatch(), objectCount: state.objectCount, operationId: state.id };

  const doFetch = options.fetch ?? globalThis.fetch;
  let text: string;
  try {
    const response = await doFetch(state.url, { signal: options.abortSignal });
    if (!response.ok) {
      throw new ShopifyAdminError(
        "bulk_download_failed",
        `Downloading the product export failed (${response.status}); the sync will be retried.`,
        { retriable: true, status: response.status },
      );
    }
    text = await response.text();
  } catch (error) {
    if (error instanceof ShopifyAdminError) throw error;
    throwIfAborted(options.abortSignal);
    throw new ShopifyAdminError("bulk_download_failed", `Downloading the product export failed: ${String(error)}`, {
      retriable: true,
      cause: error,
    });
  }
  const batch = parseBulkJsonl(text, { file: `bulk-operation:${state.id}`, currency: options.currency ?? null });
  return { batch, objectCount: state.objectCount, operationId: state.id };
}

function failureMessage(errorCode: string | null): string {
  switch (errorCode) {
    case "ACCESS_DENIED":
      return "Shopify stopped the product export: the app lacks an access scope for part of the catalog; reinstall it to grant the scopes.";
    case "TIMEOUT":
      return "Shopify stopped the product export because it ran too long; the sync will be retried.";
    default:
      return `Shopify reported that the product export failed (${errorCode ?? "no reason given"}); the sync will be retried.`;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShopifyAdminError("sync_aborted", "The product sync was stopped before it finished.");
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
