/**
 * Units sold per product, from orders' line items through a bulk operation. Orders are
 * protected customer data: the query names the product id and quantity of each line
 * item and nothing else (no customer, address, email or price). `read_orders` reaches
 * the last 60 days; a longer window needs `read_all_orders` and is shortened without it.
 */
import { fetchBulkOperation, RUN_BULK_QUERY } from "../../catalog/shopify-bulk-sync";
import { requireData, ShopifyAdminError, type AdminGraphqlClient } from "../../catalog/shopify-admin-client";
import type { SalesRanking } from "./types";

export const READ_ORDERS_WINDOW_DAYS = 60;

export function ordersBulkQuery(since: Date): string {
  const day = since.toISOString().slice(0, 10);
  return `{
  orders(query: "created_at:>=${day}") {
    edges { node {
      id
      lineItems { edges { node { quantity product { id } } } }
    } }
  }
}`;
}

export interface SalesRankingOptions {
  windowDays: number;
  /** The scopes the shop granted (the session's `scope`). */
  grantedScopes: string[];
  now?: Date;
  pollIntervalMs?: number;
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export type SalesRankingOutcome = { ok: true; ranking: SalesRanking; note: string | null } | { ok: false; reason: string };

/** Sums line-item quantities per product from the bulk JSONL (order lines carry no quantity). */
export function sumUnitsSold(jsonl: string): { orders: number; units: Record<string, number> } {
  const units: Record<string, number> = {};
  let orders = 0;
  for (const line of jsonl.split("\n")) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { __parentId?: string; quantity?: number; product?: { id?: string } | null };
    if (!row.__parentId) {
      orders++;
      continue;
    }
    const id = row.product?.id;
    if (!id || typeof row.quantity !== "number") continue;
    const numeric = id.slice(id.lastIndexOf("/") + 1);
    units[numeric] = (units[numeric] ?? 0) + row.quantity;
  }
  return { orders, units };
}

export async function fetchSalesRanking(client: AdminGraphqlClient, options: SalesRankingOptions): Promise<SalesRankingOutcome> {
  const scopes = new Set(options.grantedScopes.map((s) => s.trim()));
  if (!scopes.has("read_orders") && !scopes.has("read_all_orders")) {
    return { ok: false, reason: "The app may not read orders (the read_orders scope is not granted)" };
  }
  let windowDays = Math.max(1, Math.round(options.windowDays));
  let note: string | null = null;
  if (windowDays > READ_ORDERS_WINDOW_DAYS && !scopes.has("read_all_orders")) {
    note = `Orders older than ${READ_ORDERS_WINDOW_DAYS} days need the read_all_orders scope; ranked over the last ${READ_ORDERS_WINDOW_DAYS} days.`;
    windowDays = READ_ORDERS_WINDOW_DAYS;
  }
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - windowDays * 86_400_000);
  const data = requireData(
    await client<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string; code?: string }[] } }>(RUN_BULK_QUERY, { query: ordersBulkQuery(since) }),
    "the orders export",
  );
  const userErrors = data.bulkOperationRunQuery.userErrors;
  if (userErrors.length > 0 || !data.bulkOperationRunQuery.bulkOperation) {
    const message = userErrors.map((e) => e.message).join("; ");
    if (/access denied|read_orders/i.test(message)) return { ok: false, reason: "Shopify denied access to orders (read_orders)" };
    throw new ShopifyAdminError("shopify_user_error", `Shopify refused the orders export: ${message || "no operation returned"}.`);
  }
  const id = data.bulkOperationRunQuery.bulkOperation.id;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let poll = 0; poll < (options.maxPolls ?? 600); poll++) {
    const state = await fetchBulkOperation(client, id);
    if (state.status === "COMPLETED") {
      const text = state.url ? await (await (options.fetch ?? fetch)(state.url)).text() : "";
      const { orders, units } = sumUnitsSold(text);
      return { ok: true, ranking: { windowDays, orders, units, fetchedAt: now.toISOString() }, note };
    }
    if (state.status === "FAILED" && state.errorCode === "ACCESS_DENIED") return { ok: false, reason: "Shopify denied access to orders (read_orders)" };
    if (state.status === "FAILED" || state.status === "CANCELED" || state.status === "EXPIRED") {
      throw new ShopifyAdminError("bulk_operation_failed", `The orders export ended ${state.status.toLowerCase()}${state.errorCode ? ` (${state.errorCode})` : ""}; try again.`);
    }
    await sleep(options.pollIntervalMs ?? 1000);
  }
  throw new ShopifyAdminError("bulk_operation_not_finished", "The orders export is still running; try again in a minute.");
}
