/**
 * What a webhook route does after the HMAC check: remember the delivery (dedupe on
 * X-Shopify-Webhook-Id), turn the topic into a durable job, and return at once.
 * The work happens in the worker, so Shopify gets its 200 within milliseconds.
 */
import type { WebhookStore } from "./webhook-store";

export interface WebhookDeliveryInput {
  shop: string;
  topic: string;
  webhookId: string;
  payload: unknown;
}

export type WebhookIntakeResult =
  | { status: "queued"; jobId: number; coalesced: boolean }
  | { status: "duplicate" }
  | { status: "ignored"; reason: string }
  | { status: "malformed"; message: string };

/** Shopify topic (either spelling) -> our normalized topic. */
export function normalizeTopic(topic: string): string {
  return topic.toLowerCase().replace(/_/g, "/").replace("inventory/levels", "inventory_levels").replace("bulk/operations", "bulk_operations").replace("data/request", "data_request").replace("scopes/update", "scopes_update");
}

interface JobSpec {
  kind: string;
  key: string;
  eventAt?: Date;
}

function asRecord(payload: unknown): Record<string, unknown> | null {
  return payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
}

function idOf(p: Record<string, unknown>, field = "id"): string | null {
  const v = p[field];
  if (typeof v === "number" || (typeof v === "string" && v.length > 0)) return String(v).replace(/^gid:\/\/shopify\/\w+\//, "");
  return null;
}

function dateOf(p: Record<string, unknown>, field: string): Date | undefined {
  const v = p[field];
  if (typeof v !== "string") return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Maps a delivery to the job it causes; null with a reason when the payload is unusable. */
export function jobForWebhook(topic: string, payload: unknown): JobSpec | { error: string } | null {
  const p = asRecord(payload);
  if (!p) return { error: "payload is not a JSON object" };
  switch (normalizeTopic(topic)) {
    case "products/create":
    case "products/update": {
      const id = idOf(p);
      return id ? { kind: "product.upsert", key: `product:${id}`, eventAt: dateOf(p, "updated_at") } : { error: "product payload has no id" };
    }
    case "products/delete": {
      const id = idOf(p);
      return id ? { kind: "product.delete", key: `product:${id}` } : { error: "product payload has no id" };
    }
    case "inventory_levels/update": {
      const id = idOf(p, "inventory_item_id");
      return id ? { kind: "inventory.update", key: `inventory:${id}`, eventAt: dateOf(p, "updated_at") } : { error: "inventory payload has no inventory_item_id" };
    }
    case "collections/update": {
      const id = idOf(p);
      return id ? { kind: "collection.update", key: `collection:${id}`, eventAt: dateOf(p, "updated_at") } : { error: "collection payload has no id" };
    }
    case "shop/update":
      return { kind: "content.refresh", key: "content" };
    case "bulk_operations/finish": {
      const id = idOf(p, "admin_graphql_api_id");
      return id ? { kind: "bulk.finish", key: `bulk:${id}` } : { error: "bulk operation payload has no admin_graphql_api_id" };
    }
    case "app/uninstalled":
      return { kind: "shop.uninstalled", key: "shop" };
    case "shop/redact":
      return { kind: "shop.redact", key: "shop" };
    case "customers/redact": {
      const c = asRecord(p.customer);
      const id = c ? idOf(c) : null;
      return id ? { kind: "customer.redact", key: `customer:${id}` } : { error: "customers/redact payload has no customer.id" };
    }
    case "customers/data_request": {
      const c = asRecord(p.customer);
      const id = c ? idOf(c) : null;
      return id ? { kind: "customer.data_request", key: `customer:${id}` } : { error: "customers/data_request payload has no customer.id" };
    }
    case "app/scopes_update":
      return { kind: "shop.scopes_update", key: "shop" };
    default:
      return null;
  }
}

/**
 * The delivery and its job are written together (see webhook-store.ts): either both are
 * stored or neither, so a crash loses nothing and a replay adds nothing. Coalescing
 * happens when the worker runs the jobs, not here: this path must stay a few
 * milliseconds under a burst (Shopify wants an answer within 5 s).
 */
export async function receiveWebhook(deps: { webhooks: WebhookStore }, input: WebhookDeliveryInput): Promise<WebhookIntakeResult> {
  const spec = jobForWebhook(input.topic, input.payload);
  if (spec === null) return { status: "ignored", reason: `no handling for topic ${input.topic}` };
  if ("error" in spec) return { status: "malformed", message: spec.error };
  const topic = normalizeTopic(input.topic);
  const stored = await deps.webhooks.record({
    shop: input.shop,
    webhookId: input.webhookId,
    topic,
    job: { kind: spec.kind, key: spec.key, payload: JSON.stringify({ topic, webhookId: input.webhookId, body: input.payload }), eventAt: spec.eventAt ?? null },
  });
  return stored.status === "duplicate" ? { status: "duplicate" } : { status: "queued", jobId: stored.jobId, coalesced: false };
}
