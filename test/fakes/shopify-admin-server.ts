/**
 * A local stand-in for Shopify's Admin GraphQL API, speaking its wire format over
 * HTTP: POST /<shop>/admin/api/<version>/graphql.json with X-Shopify-Access-Token,
 * answers `{ data, errors?, extensions: { cost } }`, 401 for a wrong token,
 * THROTTLED errors on demand, and bulk operations whose JSONL result is served
 * by the same server. Orders carry line items (product and quantity) beside the
 * customer fields Shopify has, so a test can show which ones the app asks for;
 * `productUpdate` changes a product's description and is recorded. With
 * `grantedScopes`, orders need `read_orders` and `productUpdate` needs `write_products`.
 *
 * Documents are parsed by a small GraphQL reader (operations, fields, arguments,
 * variables, inline fragments) and answered by projecting resolver objects
 * through the selection, so the app gets exactly the fields it asked for, and a
 * field the fake does not know is an error, as on Shopify.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CatalogPage, CatalogPolicy, CatalogProduct, CatalogVariant, PolicyType } from "../../app/catalog/types";

export interface FakeShop {
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  contactEmail: string | null;
  primaryDomainUrl: string;
}

export interface FakeOrder {
  id: string;
  createdAt: string;
  lineItems: { productId: string; quantity: number }[];
  customerEmail?: string;
}

export interface FakeShopifyAdminOptions {
  products?: CatalogProduct[];
  orders?: FakeOrder[];
  /** The access scopes the app holds; every scope when left out. */
  grantedScopes?: string[];
  policies?: CatalogPolicy[];
  pages?: CatalogPage[];
  shop?: Partial<FakeShop>;
  accessToken?: string;
  /** Status polls before a bulk operation reports COMPLETED (CREATED -> RUNNING -> COMPLETED). */
  pollsToComplete?: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  /** Root fields of the GraphQL operation, e.g. ["pages"]. */
  rootFields: string[];
  variables: Record<string, unknown>;
  status: number;
  throttled: boolean;
}

export interface FakeBulkOperation {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "EXPIRED";
  query: string;
  polls: number;
  objectCount: number;
  rootObjectCount: number;
  errorCode: string | null;
  url: string | null;
  jsonl: string;
}

export interface FakeShopifyAdmin {
  /** Base URL, e.g. http://127.0.0.1:54321 */
  url: string;
  accessToken: string;
  shopDomain: string;
  /** The GraphQL endpoint for a shop, for createAdminGraphqlClient's `endpoint`. */
  endpointFor(shop: string, apiVersion?: string): string;
  close(): Promise<void>;
  requests: FakeRequest[];
  /** The next n GraphQL requests answer THROTTLED. */
  setThrottle(n: number): void;
  bulkOperations: FakeBulkOperation[];
  /** Moves a bulk operation straight to COMPLETED (time passing, as before a finish webhook). */
  finishBulkOperation(id: string): void;
  /** The next bulk operation ends FAILED with this error code. */
  failNextBulkOperation(errorCode?: string): void;
  /** The fake's inventory item id for a variant (Shopify keeps them distinct). */
  inventoryItemIdOf(variantId: string): string;
  /** Every productUpdate that succeeded, in order. */
  productUpdates: { id: string; descriptionHtml: string | undefined }[];
  /** A product's description as the store holds it now. */
  descriptionOf(productId: string): string | undefined;
}

const DEFAULT_SHOP: FakeShop = {
  name: "Groundwork Test Store",
  myshopifyDomain: "groundwork-test.myshopify.com",
  currencyCode: "USD",
  contactEmail: "help@groundwork-test.example",
  primaryDomainUrl: "https://groundwork-test.example",
};

const POLICY_ENUM: Record<PolicyType, string> = {
  refund: "REFUND_POLICY",
  shipping: "SHIPPING_POLICY",
  privacy: "PRIVACY_POLICY",
  terms: "TERMS_OF_SERVICE",
  contact: "CONTACT_INFORMATION",
  legal_notice: "LEGAL_NOTICE",
  subscription: "SUBSCRIPTION_POLICY",
};

export async function startFakeShopifyAdmin(options: FakeShopifyAdminOptions = {}): Promise<FakeShopifyAdmin> {
  const shop: FakeShop = { ...DEFAULT_SHOP, ...options.shop };
  const accessToken = options.accessToken ?? "shpat_fake_admin_token";
  const pollsToComplete = Math.max(1, options.pollsToComplete ?? 2);
  const world = buildWorld(options.products ?? [], options.policies ?? [], options.pages ?? [], shop);

  const requests: FakeRequest[] = [];
  const bulkOperations: FakeBulkOperation[] = [];
  const productUpdates: { id: string; descriptionHtml: string | undefined }[] = [];
  const granted = (scope: string) => !options.grantedScopes || options.grantedScopes.includes(scope);
  const orders = (options.orders ?? []).map((o) => orderObject(o, world.productsByGid));
  let throttleNext = 0;
  let failNext: string | null = null;
  let baseUrl = "";
  // Leaky bucket, reported faithfully; only setThrottle makes requests fail so tests never wait on the clock.
  const bucket = { maximumAvailable: 1000, restoreRate: 50, available: 1000, at: Date.now() };

  function currentlyAvailable(): number {
    const now = Date.now();
    bucket.available = Math.min(bucket.maximumAvailable, bucket.available + ((now - bucket.at) / 1000) * bucket.restoreRate);
    bucket.at = now;
    return Math.floor(bucket.available);
  }

  function advance(op: FakeBulkOperation): void {
    if (op.status !== "CREATED" && op.status !== "RUNNING") return;
    op.polls++;
    if (op.polls >= pollsToComplete) completeOperation(op);
    else {
      op.status = "RUNNING";
      op.objectCount = Math.floor(countLines(op.jsonl) / 2);
    }
  }

  function completeOperation(op: FakeBulkOperation): void {
    if (op.errorCode) {
      op.status = "FAILED";
      return;
    }
    op.status = "COMPLETED";
    op.objectCount = countLines(op.jsonl);
    op.url = op.jsonl.length > 0 ? `${baseUrl}/bulk-results/${numericPart(op.id)}.jsonl` : null;
  }

  function bulkOperationObject(op: FakeBulkOperation): Obj {
    return {
      __typename: "BulkOperation",
      id: op.id,
      status: op.status,
      errorCode: op.errorCode && op.status === "FAILED" ? op.errorCode : null,
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.status === "COMPLETED" ? op.rootObjectCount : 0),
      fileSize: op.url ? String(Buffer.byteLength(op.jsonl)) : null,
      url: op.status === "COMPLETED" ? op.url : null,
      partialDataUrl: null,
      query: op.query,
      type: "QUERY",
      createdAt: "2025-01-01T00:00:00Z",
      completedAt: op.status === "COMPLETED" || op.status === "FAILED" ? "2025-01-01T00:00:05Z" : null,
    };
  }

  const queryRoot: Obj = {
    __typename: "QueryRoot",
    shop: () => world.shopObject,
    products: (args: Args) => connection(world.products.map((p) => p.object), args),
    product: (args: Args) => world.productsByGid.get(String(args.id)) ?? null,
    pages: (args: Args) => connection(world.pages, args),
    // Only the created_at filter the app uses ("created_at:>=2026-01-01") is read.
    orders: (args: Args) => {
      if (!granted("read_orders") && !granted("read_all_orders")) return null;
      const since = /created_at:>=\s*'?(\d{4}-\d{2}-\d{2})/.exec(String(args.query ?? ""))?.[1];
      return connection(orders.filter((o) => !since || String(o.createdAt) >= since), args);
    },
    inventoryItem: (args: Args) => world.inventoryItems.get(String(args.id)) ?? null,
    node: (args: Args) => {
      const id = String(args.id);
      const op = bulkOperations.find((o) => o.id === id);
      if (op) {
        advance(op);
        return bulkOperationObject(op);
      }
      return world.productsByGid.get(id) ?? null;
    },
    currentBulkOperation: () => {
      const op = bulkOperations[bulkOperations.length - 1];
      if (!op) return null;
      advance(op);
      return bulkOperationObject(op);
    },
  };

  const mutationRoot: Obj = {
    __typename: "Mutation",
    productUpdate: (args: Args) => {
      const input = (isObj(args.product) ? args.product : {}) as Obj;
      const fail = (message: string, field: string[]) => ({ __typename: "ProductUpdatePayload", product: null, userErrors: [{ __typename: "UserError", field, message }] });
      if (!granted("write_products")) return fail("Access denied for productUpdate field. Required access: `write_products` access scope.", ["product"]);
      const product = world.productsByGid.get(String(input.id));
      if (!product) return fail("Product does not exist", ["id"]);
      if (typeof input.descriptionHtml === "string") product.descriptionHtml = input.descriptionHtml;
      productUpdates.push({ id: String(input.id), descriptionHtml: typeof input.descriptionHtml === "string" ? input.descriptionHtml : undefined });
      return { __typename: "ProductUpdatePayload", product, userErrors: [] };
    },
    bulkOperationRunQuery: (args: Args) => {
      const running = bulkOperations.find((o) => o.status === "CREATED" || o.status === "RUNNING");
      if (running) {
        return userErrorPayload(
          `A bulk query operation for this app and shop is already in progress: ${running.id}.`,
          "OPERATION_IN_PROGRESS",
        );
      }
      const text = typeof args.query === "string" ? args.query : "";
      let parsed: Operation;
      try {
        parsed = parseDocument(text);
      } catch (error) {
        return userErrorPayload(`Invalid bulk query: ${(error as Error).message}`, "INVALID");
      }
      const problem = checkBulkLimits(parsed.selections);
      if (problem) return userErrorPayload(problem, "INVALID");
      if (parsed.selections.some((f) => isField(f) && f.name === "orders") && !granted("read_orders") && !granted("read_all_orders")) {
        return userErrorPayload("Access denied for orders field. Required access: `read_orders` access scope.", "INVALID");
      }
      const { lines, roots } = runBulkQuery(parsed, queryRoot);
      const op: FakeBulkOperation = {
        id: `gid://shopify/BulkOperation/${7000 + bulkOperations.length + 1}`,
        status: "CREATED",
        query: text,
        polls: 0,
        objectCount: 0,
        rootObjectCount: roots,
        errorCode: failNext,
        url: null,
        jsonl: lines.map((l) => JSON.stringify(l)).join("\n") + (lines.length > 0 ? "\n" : ""),
      };
      failNext = null;
      bulkOperations.push(op);
      return {
        __typename: "BulkOperationRunQueryPayload",
        bulkOperation: bulkOperationObject(op),
        userErrors: [],
      };
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const bulkMatch = /^\/bulk-results\/(\d+)\.jsonl$/.exec(url.pathname);
    if (req.method === "GET" && bulkMatch) {
      const op = bulkOperations.find((o) => numericPart(o.id) === bulkMatch[1] && o.status === "COMPLETED");
      requests.push({ method: "GET", path: url.pathname, rootFields: [], variables: {}, status: op ? 200 : 404, throttled: false });
      if (!op) return send(res, 404, "text/plain", "Not found");
      return send(res, 200, "application/jsonl", op.jsonl);
    }

    const gqlMatch = /^\/([^/]+)\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.exec(url.pathname);
    const log = (status: number, rootFields: string[] = [], variables: Record<string, unknown> = {}, throttled = false) =>
      requests.push({ method: req.method ?? "", path: url.pathname, rootFields, variables, status, throttled });
    if (!gqlMatch || gqlMatch[1] !== shop.myshopifyDomain) {
      log(404);
      return send(res, 404, "text/plain", "Not Found");
    }
    if (req.method !== "POST") {
      log(405);
      return send(res, 405, "text/plain", "Method Not Allowed");
    }
    if (req.headers["x-shopify-access-token"] !== accessToken) {
      log(401);
      return sendJson(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }

    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      log(400);
      return sendJson(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const variables = isObj(body.variables) ? body.variables : {};
    let operation: Operation;
    try {
      if (typeof body.query !== "string") throw new Error("No query string was present");
      operation = parseDocument(body.query);
    } catch (error) {
      log(200, [], variables);
      return sendJson(res, 200, { errors: [{ message: (error as Error).message, extensions: { code: "PARSE_ERROR" } }] });
    }
    const rootFields = operation.selections.filter(isField).map((f) => f.name);
    const requested = operation.type === "mutation" ? 10 : queryCost(operation.selections, variables);

    if (throttleNext > 0) {
      throttleNext--;
      log(200, rootFields, variables, true);
      return sendJson(res, 200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: {
          cost: {
            requestedQueryCost: requested,
            actualQueryCost: null,
            // One point short: a client that honours restoreRate waits a few ms.
            throttleStatus: {
              maximumAvailable: bucket.maximumAvailable,
              currentlyAvailable: Math.max(0, Math.min(bucket.maximumAvailable, requested) - 1),
              restoreRate: bucket.restoreRate,
            },
          },
        },
      });
    }

    const errors: GqlError[] = [];
    const root = operation.type === "mutation" ? mutationRoot : queryRoot;
    const data = project(root, operation.selections, { variables, errors });
    currentlyAvailable();
    bucket.available = Math.max(0, bucket.available - requested);
    log(200, rootFields, variables);
    const cost = {
      requestedQueryCost: requested,
      actualQueryCost: requested,
      throttleStatus: {
        maximumAvailable: bucket.maximumAvailable,
        currentlyAvailable: currentlyAvailable(),
        restoreRate: bucket.restoreRate,
      },
    };
    return sendJson(res, 200, errors.length > 0 ? { errors, data: null, extensions: { cost } } : { data, extensions: { cost } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: `fake server error: ${(error as Error).message}` }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    accessToken,
    shopDomain: shop.myshopifyDomain,
    endpointFor: (shopDomain, apiVersion = "2025-10") => `${baseUrl}/${shopDomain}/admin/api/${apiVersion}/graphql.json`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    requests,
    setThrottle: (n) => {
      throttleNext = n;
    },
    bulkOperations,
    finishBulkOperation: (id) => {
      const op = bulkOperations.find((o) => o.id === id);
      if (!op) throw new Error(`no bulk operation ${id}`);
      completeOperation(op);
    },
    failNextBulkOperation: (errorCode = "INTERNAL_SERVER_ERROR") => {
      failNext = errorCode;
    },
    productUpdates,
    descriptionOf: (productId) => world.productsByGid.get(productId.startsWith("gid://") ? productId : `gid://shopify/Product/${productId}`)?.descriptionHtml as string | undefined,
    inventoryItemIdOf: (variantId) => {
      const id = world.inventoryItemByVariant.get(variantId);
      if (!id) throw new Error(`no variant ${variantId}`);
      return id;
    },
  };
}

// ------------------------------------------------------------------ the shop's data as GraphQL objects

/** An order as Shopify has it, customer fields included; the app must never ask for those. */
function orderObject(order: FakeOrder, productsByGid: Map<string, Obj>): Obj {
  const id = `gid://shopify/Order/${order.id}`;
  const lineItems = order.lineItems.map((li, i) => ({
    __typename: "LineItem",
    id: `gid://shopify/LineItem/${order.id}${i}`,
    quantity: li.quantity,
    product: productsByGid.get(li.productId.startsWith("gid://") ? li.productId : `gid://shopify/Product/${li.productId}`) ?? null,
  }));
  return {
    __typename: "Order",
    id,
    createdAt: order.createdAt,
    email: order.customerEmail ?? null,
    customer: order.customerEmail ? { __typename: "Customer", id: `gid://shopify/Customer/${order.id}`, email: order.customerEmail } : null,
    lineItems: (args: Args) => connection(lineItems, args),
  };
}

type Obj = Record<string, unknown>;
type Args = Record<string, unknown>;

interface World {
  shopObject: Obj;
  products: { object: Obj }[];
  productsByGid: Map<string, Obj>;
  pages: Obj[];
  inventoryItems: Map<string, Obj>;
  inventoryItemByVariant: Map<string, string>;
}

function buildWorld(products: CatalogProduct[], policies: CatalogPolicy[], pages: CatalogPage[], shop: FakeShop): World {
  let synthetic = 900_000_000;
  const numeric = (id: string) => (/^\d+$/.test(id) ? id : String(++synthetic));
  const collectionIds = new Map<string, string>();
  const inventoryItems = new Map<string, Obj>();
  const inventoryItemByVariant = new Map<string, string>();
  let serial = 0;
  const productsByGid = new Map<string, Obj>();

  const productObjects = products.map((p) => {
    const gid = `gid://shopify/Product/${numeric(p.id)}`;
    const product: Obj = {
      __typename: "Product",
      id: gid,
      handle: p.handle,
      title: p.title,
      descriptionHtml: p.descriptionHtml,
      productType: p.productType,
      vendor: p.vendor,
      tags: p.tags,
      status: p.status.toUpperCase(),
      publishedAt: p.published ? p.updatedAt : null,
      onlineStoreUrl: p.published ? `${shop.primaryDomainUrl}${p.url}` : null,
      updatedAt: p.updatedAt,
      options: p.options.map((o, i) => ({ __typename: "ProductOption", id: `gid://shopify/ProductOption/${++serial}`, name: o.name, position: i + 1, values: o.values })),
    };
    const variants = p.variants.map((v) => variantObject(v, numeric(v.id)));
    for (const v of variants) {
      const itemId = `gid://shopify/InventoryItem/${40_000_000_000 + ++serial}`;
      inventoryItemByVariant.set(numericPart(String(v.id)), numericPart(itemId));
      inventoryItems.set(itemId, { __typename: "InventoryItem", id: itemId, tracked: true, variant: { ...v, product } });
      v.inventoryItem = { __typename: "InventoryItem", id: itemId };
      v.product = product;
    }
    const collections = p.collections.map((title) => {
      if (!collectionIds.has(title)) collectionIds.set(title, `gid://shopify/Collection/${500_000 + collectionIds.size + 1}`);
      return { __typename: "Collection", id: collectionIds.get(title), title, handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-") };
    });
    const metafields = p.metafields.map((m) => ({
      __typename: "Metafield",
      id: `gid://shopify/Metafield/${++serial}`,
      namespace: m.namespace,
      key: m.key,
      value: m.value,
      type: "single_line_text_field",
      definition: { __typename: "MetafieldDefinition", name: m.label },
    }));
    const media = p.images.map((img) => {
      const image = { __typename: "Image", url: img.url, altText: img.altText };
      return {
        __typename: "MediaImage",
        id: `gid://shopify/MediaImage/${++serial}`,
        alt: img.altText,
        mediaContentType: "IMAGE",
        image,
        preview: { __typename: "MediaPreviewImage", image, status: "READY" },
      };
    });
    product.variants = (args: Args) => connection(variants, args);
    product.collections = (args: Args) => connection(collections, args);
    product.metafields = (args: Args) => connection(metafields, args);
    product.media = (args: Args) => connection(media, args);
    productsByGid.set(gid, product);
    return { object: product };
  });

  const shopObject: Obj = {
    __typename: "Shop",
    id: "gid://shopify/Shop/1",
    name: shop.name,
    email: shop.contactEmail,
    contactEmail: shop.contactEmail,
    currencyCode: shop.currencyCode,
    myshopifyDomain: shop.myshopifyDomain,
    primaryDomain: { __typename: "Domain", id: "gid://shopify/Domain/1", url: shop.primaryDomainUrl, host: new URL(shop.primaryDomainUrl).host },
    shopPolicies: policies.map((p) => ({
      __typename: "ShopPolicy",
      id: `gid://shopify/ShopPolicy/${numeric(p.id)}`,
      type: POLICY_ENUM[p.type],
      title: p.title,
      body: p.body,
      url: `${shop.primaryDomainUrl}${p.url.startsWith("/") ? p.url : `/${p.url}`}`,
      createdAt: p.updatedAt,
      updatedAt: p.updatedAt,
    })),
  };

  const pageObjects = pages.map((p) => ({
    __typename: "Page",
    id: `gid://shopify/Page/${numeric(p.id)}`,
    handle: p.handle,
    title: p.title,
    body: p.body,
    bodySummary: p.body.slice(0, 150),
    isPublished: p.published,
    publishedAt: p.published ? p.updatedAt : null,
    createdAt: p.updatedAt,
    updatedAt: p.updatedAt,
  }));

  return { shopObject, products: productObjects, productsByGid, pages: pageObjects, inventoryItems, inventoryItemByVariant };
}

function variantObject(v: CatalogVariant, id: string): Obj {
  return {
    __typename: "ProductVariant",
    id: `gid://shopify/ProductVariant/${id}`,
    title: v.title,
    sku: v.sku ?? "",
    price: v.price.toFixed(2),
    compareAtPrice: v.compareAtPrice === null ? null : v.compareAtPrice.toFixed(2),
    availableForSale: v.available,
    inventoryQuantity: v.inventoryQuantity,
    selectedOptions: Object.entries(v.options).map(([name, value]) => ({ __typename: "SelectedOption", name, value })),
  };
}

/** Relay connection with first/after cursors; cursors are opaque base64 offsets, like Shopify's. */
function connection(items: Obj[], args: Args): Obj {
  const first = typeof args.first === "number" ? args.first : items.length;
  const start = typeof args.after === "string" ? Number(Buffer.from(args.after, "base64").toString("utf8").split(":")[1]) + 1 : 0;
  const slice = items.slice(start, start + first);
  const cursor = (i: number) => Buffer.from(`cursor:${start + i}`).toString("base64");
  return {
    __typename: "Connection",
    edges: slice.map((node, i) => ({ __typename: "Edge", cursor: cursor(i), node })),
    nodes: slice,
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length > 0 ? cursor(0) : null,
      endCursor: slice.length > 0 ? cursor(slice.length - 1) : null,
    },
  };
}

function userErrorPayload(message: string, code: string): Obj {
  return {
    __typename: "BulkOperationRunQueryPayload",
    bulkOperation: null,
    userErrors: [{ __typename: "BulkOperationUserError", field: ["query"], message, code }],
  };
}

// ------------------------------------------------------------------ bulk operations

function isConnectionField(field: Field): boolean {
  return (field.selections ?? []).some((s) => isField(s) && (s.name === "edges" || s.name === "nodes"));
}

function nodeSelections(field: Field): Selection[] {
  for (const s of field.selections ?? []) {
    if (!isField(s)) continue;
    if (s.name === "nodes") return s.selections ?? [];
    if (s.name === "edges") {
      const node = (s.selections ?? []).find((n) => isField(n) && n.name === "node") as Field | undefined;
      return node?.selections ?? [];
    }
  }
  return [];
}

/** Shopify's documented limits: at most five connections, nested at most two deep. */
function checkBulkLimits(selections: Selection[]): string | null {
  let connections = 0;
  let deepest = 0;
  const walk = (sels: Selection[], depth: number) => {
    for (const s of sels) {
      if (!isField(s)) {
        walk(s.selections, depth);
        continue;
      }
      if (isConnectionField(s)) {
        connections++;
        deepest = Math.max(deepest, depth + 1);
        walk(nodeSelections(s), depth + 1);
      } else if (s.selections) walk(s.selections, depth);
    }
  };
  walk(selections, 0);
  if (connections === 0) return "Bulk queries must contain at least one connection.";
  if (connections > 5) return `Bulk queries cannot contain more than 5 connections (found ${connections}).`;
  if (deepest > 2) return "Bulk queries cannot contain connections nested more than 2 levels deep.";
  return null;
}

/** Runs a bulk query and writes it the way Shopify's JSONL does: nested connection nodes on their own lines with __parentId. */
function runBulkQuery(operation: Operation, root: Obj): { lines: Obj[]; roots: number } {
  const lines: Obj[] = [];
  let roots = 0;
  const ctx: Ctx = { variables: {}, errors: [] };
  const emit = (value: Obj, selections: Selection[], parentId: string | null) => {
    const plain: Selection[] = [];
    const nested: Field[] = [];
    const split = (sels: Selection[]) => {
      for (const s of sels) {
        if (!isField(s)) {
          if (typeMatches(value, s.typeCondition)) split(s.selections);
        } else if (isConnectionField(s)) nested.push(s);
        else plain.push(s);
      }
    };
    split(selections);
    const line = project(value, plain, ctx) as Obj;
    if (parentId) line.__parentId = parentId;
    lines.push(line);
    for (const field of nested) {
      const conn = resolveField(value, field, ctx) as Obj;
      for (const child of (conn?.nodes as Obj[]) ?? []) emit(child, nodeSelections(field), String(value.id));
    }
  };
  for (const s of operation.selections) {
    if (!isField(s) || !isConnectionField(s)) continue;
    const conn = resolveField(root, s, ctx) as Obj;
    for (const node of (conn?.nodes as Obj[]) ?? []) {
      roots++;
      emit(node, nodeSelections(s), null);
    }
  }
  return { lines, roots };
}

function countLines(jsonl: string): number {
  return jsonl.split("\n").filter((l) => l.length > 0).length;
}

function numericPart(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

// ------------------------------------------------------------------ a small GraphQL reader and executor

interface Field {
  kind: "field";
  name: string;
  alias: string | null;
  args: Record<string, ValueNode>;
  selections: Selection[] | null;
}
interface InlineFragment {
  kind: "inline";
  typeCondition: string | null;
  selections: Selection[];
}
type Selection = Field | InlineFragment;
interface Operation {
  type: "query" | "mutation";
  selections: Selection[];
}
type ValueNode =
  | { kind: "variable"; name: string }
  | { kind: "literal"; value: unknown }
  | { kind: "list"; items: ValueNode[] }
  | { kind: "object"; fields: Record<string, ValueNode> };
interface GqlError {
  message: string;
  extensions?: Record<string, unknown>;
  path?: string[];
}
interface Ctx {
  variables: Record<string, unknown>;
  errors: GqlError[];
}

const isField = (s: Selection): s is Field => s.kind === "field";
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

type Token = { type: "punct" | "name" | "number" | "string"; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (source.startsWith("...", i)) {
      tokens.push({ type: "punct", value: "..." });
      i += 3;
    } else if ("{}():!$[]=@".includes(c)) {
      tokens.push({ type: "punct", value: c });
      i++;
    } else if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) throw new Error("syntax error, unterminated block string");
      tokens.push({ type: "string", value: source.slice(i + 3, end) });
      i = end + 3;
    } else if (c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === "\\" ? 2 : 1;
      tokens.push({ type: "string", value: JSON.parse(source.slice(i, j + 1)) as string });
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw new Error(`syntax error, unexpected "${c}"`);
      tokens.push({ type: "number", value: m[0] });
      i += m[0].length;
    } else if (/[_A-Za-z]/.test(c)) {
      const m = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))!;
      tokens.push({ type: "name", value: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`syntax error, unexpected character "${c}"`);
    }
  }
  return tokens;
}

function parseDocument(source: string): Operation {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw new Error("syntax error, unexpected end of document");
    return t;
  };
  const expect = (value: string) => {
    const t = next();
    if (t.value !== value) throw new Error(`syntax error, expected "${value}" but found "${t.value}"`);
  };
  const skipBalanced = (open: string, close: string) => {
    let depth = 0;
    do {
      const t = next();
      if (t.type === "punct" && t.value === open) depth++;
      else if (t.type === "punct" && t.value === close) depth--;
    } while (depth > 0);
  };

  const parseValue = (): ValueNode => {
    const t = next();
    if (t.type === "punct" && t.value === "$") return { kind: "variable", name: next().value };
    if (t.type === "string") return { kind: "literal", value: t.value };
    if (t.type === "number") return { kind: "literal", value: Number(t.value) };
    if (t.type === "punct" && t.value === "[") {
      const items: ValueNode[] = [];
      while (peek()?.value !== "]") items.push(parseValue());
      expect("]");
      return { kind: "list", items };
    }
    if (t.type === "punct" && t.value === "{") {
      const fields: Record<string, ValueNode> = {};
      while (peek()?.value !== "}") {
        const key = next().value;
        expect(":");
        fields[key] = parseValue();
      }
      expect("}");
      return { kind: "object", fields };
    }
    if (t.type === "name") {
      if (t.value === "true") return { kind: "literal", value: true };
      if (t.value === "false") return { kind: "literal", value: false };
      if (t.value === "null") return { kind: "literal", value: null };
      return { kind: "literal", value: t.value };
    }
    throw new Error(`syntax error, unexpected "${t.value}"`);
  };

  const parseSelectionSet = (): Selection[] => {
    expect("{");
    const selections: Selection[] = [];
    while (peek() && peek().value !== "}") {
      if (peek().value === "...") {
        next();
        let typeCondition: string | null = null;
        if (peek()?.value === "on") {
          next();
          typeCondition = next().value;
        } else if (peek()?.type === "name") {
          throw new Error("fragment spreads are not supported by the fake");
        }
        selections.push({ kind: "inline", typeCondition, selections: parseSelectionSet() });
        continue;
      }
      const t = next();
      if (t.type !== "name") throw new Error(`syntax error, unexpected "${t.value}"`);
      let name = t.value;
      let alias: string | null = null;
      if (peek()?.value === ":") {
        next();
        alias = name;
        name = next().value;
      }
      const args: Record<string, ValueNode> = {};
      if (peek()?.value === "(") {
        next();
        while (peek()?.value !== ")") {
          const argName = next().value;
          expect(":");
          args[argName] = parseValue();
        }
        expect(")");
      }
      const selectionsOf = peek()?.value === "{" ? parseSelectionSet() : null;
      selections.push({ kind: "field", name, alias, args, selections: selectionsOf });
    }
    expect("}");
    return selections;
  };

  let type: Operation["type"] = "query";
  const first = peek();
  if (first?.type === "name" && (first.value === "query" || first.value === "mutation")) {
    type = first.value;
    next();
    if (peek()?.type === "name") next();
    if (peek()?.value === "(") skipBalanced("(", ")");
  } else if (first?.type === "name") {
    throw new Error(`the fake supports only query and mutation operations, not "${first.value}"`);
  }
  const selections = parseSelectionSet();
  if (pos < tokens.length) throw new Error("the fake supports one operation per document");
  return { type, selections };
}

function evaluate(value: ValueNode, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case "variable":
      return variables[value.name] ?? null;
    case "literal":
      return value.value;
    case "list":
      return value.items.map((item) => evaluate(item, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, evaluate(v, variables)]));
  }
}

function typeMatches(value: Obj, typeCondition: string | null): boolean {
  if (typeCondition === null) return true;
  if (value.__typename === typeCondition) return true;
  // Interfaces the app uses: Node and Media.
  if (typeCondition === "Node") return typeof value.id === "string";
  if (typeCondition === "Media") return ["MediaImage", "Video", "ExternalVideo", "Model3d"].includes(String(value.__typename));
  return false;
}

function resolveField(parent: Obj, field: Field, ctx: Ctx): unknown {
  const raw = parent[field.name];
  if (typeof raw === "function") {
    const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, evaluate(v, ctx.variables)]));
    return (raw as (a: Args) => unknown)(args);
  }
  return raw;
}

function project(value: unknown, selections: Selection[], ctx: Ctx): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => project(item, selections, ctx));
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const s of selections) {
    if (!isField(s)) {
      if (typeMatches(value, s.typeCondition)) Object.assign(out, project(value, s.selections, ctx));
      continue;
    }
    const key = s.alias ?? s.name;
    if (s.name === "__typename") {
      out[key] = value.__typename;
      continue;
    }
    if (!(s.name in value)) {
      ctx.errors.push({
        message: `Field '${s.name}' doesn't exist on type '${String(value.__typename)}'`,
        extensions: { code: "undefinedField", typeName: value.__typename, fieldName: s.name },
      });
      continue;
    }
    const resolved = resolveField(value, s, ctx);
    out[key] = s.selections ? project(resolved, s.selections, ctx) : resolved;
  }
  return out;
}

/** A rough requested cost: objects cost 1, connections 2 plus `first` times their nodes. */
function queryCost(selections: Selection[], variables: Record<string, unknown>): number {
  let cost = 0;
  for (const s of selections) {
    if (!isField(s)) {
      cost += queryCost(s.selections, variables);
      continue;
    }
    if (!s.selections) continue;
    if (isConnectionField(s)) {
      const firstArg = s.args.first ? evaluate(s.args.first, variables) : 1;
      const first = typeof firstArg === "number" ? firstArg : 1;
      cost += 2 + first * queryCost(nodeSelections(s), variables);
    } else {
      cost += 1 + queryCost(s.selections, variables);
    }
  }
  return Math.max(1, cost);
}

// ------------------------------------------------------------------ http helpers

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}
