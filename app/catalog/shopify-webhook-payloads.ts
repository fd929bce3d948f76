/**
 * Webhook payloads (Admin REST JSON) -> typed events for the sync worker. Pure:
 * validation with zod, no I/O. Routes verify the HMAC first, then call
 * `parseWebhookPayload(topic, payload)` and enqueue the event.
 */
import { z } from "zod";
import type { CatalogProduct } from "./types";
import { productFromAdminRest } from "./admin-rest-json";

export type WebhookTopic =
  | "products/create"
  | "products/update"
  | "products/delete"
  | "inventory_levels/update"
  | "collections/update"
  | "bulk_operations/finish"
  | "shop/update"
  | "customers/redact"
  | "shop/redact"
  | "customers/data_request";

export interface ProductUpsertEvent {
  ok: true;
  kind: "product_upsert";
  topic: "products/create" | "products/update";
  productId: string;
  /** Drop the event when the stored product is newer (webhooks arrive out of order). */
  updatedAt: string;
  /**
   * The product as the payload describes it. Payloads carry no collections and
   * usually no metafields: refetch with fetchProductById, or keep the stored ones.
   */
  product: CatalogProduct;
}

export interface ProductDeleteEvent {
  ok: true;
  kind: "product_delete";
  topic: "products/delete";
  productId: string;
}

/**
 * Stock changed at one location for one inventory item. The item is not the
 * variant, and `available` is per location while variants carry a total: resolve
 * the product with fetchVariantProductIdByInventoryItem and refetch it.
 */
export interface InventoryLevelUpdateEvent {
  ok: true;
  kind: "inventory_level_update";
  topic: "inventory_levels/update";
  inventoryItemId: string;
  locationId: string;
  available: number | null;
  updatedAt: string | null;
}

/** A collection changed (title, handle): products listing its old title need refreshing. */
export interface CollectionUpdateEvent {
  ok: true;
  kind: "collection_update";
  topic: "collections/update";
  collectionId: string;
  title: string;
  handle: string | null;
  updatedAt: string | null;
}

export interface BulkOperationFinishEvent {
  ok: true;
  kind: "bulk_operation_finish";
  topic: "bulk_operations/finish";
  /** gid://shopify/BulkOperation/<n>: pass to completeProductBulkSync. */
  operationId: string;
  /** Upper case like the GraphQL enum (payloads send "completed"). */
  status: string;
  errorCode: string | null;
  type: "query" | "mutation" | null;
  completedAt: string | null;
}

/** Shop settings changed. No webhook exists for policy edits, so this also triggers a policy refetch. */
export interface ShopUpdateEvent {
  ok: true;
  kind: "shop_update";
  topic: "shop/update";
  shopId: string;
  name: string | null;
  currency: string | null;
  domain: string | null;
  myshopifyDomain: string | null;
}

export interface CustomersRedactEvent {
  ok: true;
  kind: "customers_redact";
  topic: "customers/redact";
  shopId: string;
  shopDomain: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  ordersToRedact: string[];
}

export interface ShopRedactEvent {
  ok: true;
  kind: "shop_redact";
  topic: "shop/redact";
  shopId: string;
  shopDomain: string;
}

export interface CustomersDataRequestEvent {
  ok: true;
  kind: "customers_data_request";
  topic: "customers/data_request";
  shopId: string;
  shopDomain: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  ordersRequested: string[];
  dataRequestId: string | null;
}

export type WebhookEvent =
  | ProductUpsertEvent
  | ProductDeleteEvent
  | InventoryLevelUpdateEvent
  | CollectionUpdateEvent
  | BulkOperationFinishEvent
  | ShopUpdateEvent
  | CustomersRedactEvent
  | ShopRedactEvent
  | CustomersDataRequestEvent;

export interface WebhookPayloadError {
  ok: false;
  code: "malformed_payload" | "unsupported_topic";
  message: string;
}

export type WebhookParseResult = WebhookEvent | WebhookPayloadError;

// Ids are JSON numbers in REST payloads; strings are accepted too.
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
const nullableString = z.string().nullish().transform((v) => v ?? null);

const productDeleteSchema = z.object({ id });
const productUpsertSchema = z.object({ id, updated_at: z.string().min(1) }).passthrough();
const inventoryLevelSchema = z.object({
  inventory_item_id: id,
  location_id: id,
  available: z.number().int().nullable(),
  updated_at: nullableString,
});
const collectionSchema = z.object({ id, title: z.string(), handle: nullableString, updated_at: nullableString });
const bulkFinishSchema = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
  status: z.string().min(1),
  error_code: nullableString,
  type: z.enum(["query", "mutation"]).nullish(),
  completed_at: nullableString,
});
const shopSchema = z.object({
  id,
  name: nullableString,
  currency: nullableString,
  domain: nullableString,
  myshopify_domain: nullableString,
});
const customerRef = z
  .object({ id: id.nullish(), email: nullableString, phone: nullableString })
  .nullish()
  .transform((c) => ({ id: c?.id ?? null, email: c?.email ?? null, phone: c?.phone ?? null }));
const orderIds = z.array(id).nullish().transform((v) => v ?? []);
const customersRedactSchema = z.object({
  shop_id: id,
  shop_domain: z.string().min(1),
  customer: customerRef,
  orders_to_redact: orderIds,
});
const shopRedactSchema = z.object({ shop_id: id, shop_domain: z.string().min(1) });
const dataRequestSchema = z.object({
  shop_id: id,
  shop_domain: z.string().min(1),
  customer: customerRef,
  orders_requested: orderIds,
  data_request: z.object({ id: id.nullish() }).nullish(),
});

/** "PRODUCTS_UPDATE" (Remix's authenticate.webhook) or "products/update" -> "products/update". */
export function normalizeWebhookTopic(topic: string): string {
  const t = topic.trim();
  if (t.includes("/")) return t.toLowerCase();
  const lower = t.toLowerCase();
  // Underscores also join words inside a topic, so match against the known list.
  for (const known of KNOWN_TOPICS) if (known.replace("/", "_") === lower) return known;
  return lower;
}

const KNOWN_TOPICS: readonly WebhookTopic[] = [
  "products/create",
  "products/update",
  "products/delete",
  "inventory_levels/update",
  "collections/update",
  "bulk_operations/finish",
  "shop/update",
  "customers/redact",
  "shop/redact",
  "customers/data_request",
];

export function parseWebhookPayload(topic: string, payload: unknown): WebhookParseResult {
  const normalized = normalizeWebhookTopic(topic);
  switch (normalized) {
    case "products/create":
    case "products/update":
      return parseProductUpsertPayload(normalized, payload);
    case "products/delete":
      return validate(normalized, productDeleteSchema, payload, (p) => ({
        ok: true,
        kind: "product_delete",
        topic: "products/delete",
        productId: p.id,
      }));
    case "inventory_levels/update":
      return validate(normalized, inventoryLevelSchema, payload, (p) => ({
        ok: true,
        kind: "inventory_level_update",
        topic: "inventory_levels/update",
        inventoryItemId: p.inventory_item_id,
        locationId: p.location_id,
        available: p.available,
        updatedAt: p.updated_at,
      }));
    case "collections/update":
      return validate(normalized, collectionSchema, payload, (p) => ({
        ok: true,
        kind: "collection_update",
        topic: "collections/update",
        collectionId: p.id,
        title: p.title,
        handle: p.handle,
        updatedAt: p.updated_at,
      }));
    case "bulk_operations/finish":
      return validate(normalized, bulkFinishSchema, payload, (p) => ({
        ok: true,
        kind: "bulk_operation_finish",
        topic: "bulk_operations/finish",
        operationId: p.admin_graphql_api_id,
        status: p.status.toUpperCase(),
        errorCode: p.error_code ? p.error_code.toUpperCase() : null,
        type: p.type ?? null,
        completedAt: p.completed_at,
      }));
    case "shop/update":
      return validate(normalized, shopSchema, payload, (p) => ({
        ok: true,
        kind: "shop_update",
        topic: "shop/update",
        shopId: p.id,
        name: p.name,
        currency: p.currency,
        domain: p.domain,
        myshopifyDomain: p.myshopify_domain,
      }));
    case "customers/redact":
      return validate(normalized, customersRedactSchema, payload, (p) => ({
        ok: true,
        kind: "customers_redact",
        topic: "customers/redact",
        shopId: p.shop_id,
        shopDomain: p.shop_domain,
        customerId: p.customer.id,
        email: p.customer.email,
        phone: p.customer.phone,
        ordersToRedact: p.orders_to_redact,
      }));
    case "shop/redact":
      return validate(normalized, shopRedactSchema, payload, (p) => ({
        ok: true,
        kind: "shop_redact",
        topic: "shop/redact",
        shopId: p.shop_id,
        shopDomain: p.shop_domain,
      }));
    case "customers/data_request":
      return validate(normalized, dataRequestSchema, payload, (p) => ({
        ok: true,
        kind: "customers_data_request",
        topic: "customers/data_request",
        shopId: p.shop_id,
        shopDomain: p.shop_domain,
        customerId: p.customer.id,
        email: p.customer.email,
        phone: p.customer.phone,
        ordersRequested: p.orders_requested,
        dataRequestId: p.data_request?.id ?? null,
      }));
    default:
      return { ok: false, code: "unsupported_topic", message: `The app does not handle the "${topic}" webhook topic.` };
  }
}

function parseProductUpsertPayload(topic: "products/create" | "products/update", payload: unknown): WebhookParseResult {
  const head = productUpsertSchema.safeParse(payload);
  if (!head.success) return malformed(topic, head.error);
  try {
    const product = productFromAdminRest(payload);
    return { ok: true, kind: "product_upsert", topic, productId: head.data.id, updatedAt: head.data.updated_at, product };
  } catch (error) {
    return {
      ok: false,
      code: "malformed_payload",
      message: `The ${topic} payload for product ${head.data.id} could not be read: ${(error as Error).message}`,
    };
  }
}

function validate<S extends z.ZodTypeAny>(
  topic: string,
  schema: S,
  payload: unknown,
  toEvent: (parsed: z.output<S>) => WebhookEvent,
): WebhookParseResult {
  const parsed = schema.safeParse(payload);
  return parsed.success ? toEvent(parsed.data) : malformed(topic, parsed.error);
}

function malformed(topic: string, error: z.ZodError): WebhookPayloadError {
  const problems = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "payload"}: ${issue.message}`)
    .join("; ");
  return { ok: false, code: "malformed_payload", message: `The ${topic} webhook payload is not in the expected shape (${problems}).` };
}
