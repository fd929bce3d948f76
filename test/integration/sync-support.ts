/**
 * Helpers shared by the sync tests: read the embedded index file a server or CLI
 * child writes (read-only, beside the writer), wait for the job queue to drain,
 * give a shop an offline session, and put a switchable proxy in front of the
 * Admin API fake so a test can change "what Shopify says" mid-test.
 */
import { existsSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import type { CatalogProduct } from "../../app/catalog/types";
import type { Db } from "../../app/db/open-database";
import { sqliteTablePrefix } from "../../app/stores/sqlite-vec-store";

/** The index the server builds with the default local model (services.ts: chunks-<embedder id>). */
export const LOCAL_INDEX_NAME = "chunks-use-lite-512";

export interface IndexSnapshot {
  /** Chunk ids in the chunks table, as stored (duplicates would show here). */
  chunkIds: string[];
  textById: Map<string, string>;
  perSource: Map<string, number>;
  /** Rows in the dense (vec0) and full-text tables for the shop: one per chunk when nothing is duplicated. */
  vecRows: number;
  ftsRows: number;
}

/** Reads what the index holds for a shop; an index that does not exist yet is empty. */
export function readIndex(dataDir: string, shop: string, indexName = LOCAL_INDEX_NAME): IndexSnapshot {
  const file = path.join(dataDir, "index.sqlite");
  const empty: IndexSnapshot = { chunkIds: [], textById: new Map(), perSource: new Map(), vecRows: 0, ftsRows: 0 };
  if (!existsSync(file)) return empty;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    sqliteVec.load(db);
    const prefix = sqliteTablePrefix(indexName);
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(`${prefix}_chunks`);
    if (!exists) return empty;
    const rows = db.prepare(`SELECT rowid, chunk_id, source_type, source_id, text FROM ${prefix}_chunks WHERE shop = ? ORDER BY chunk_id`).all(shop) as {
      rowid: number;
      chunk_id: string;
      source_type: string;
      source_id: string;
      text: string;
    }[];
    const perSource = new Map<string, number>();
    for (const r of rows) perSource.set(`${r.source_type}:${r.source_id}`, (perSource.get(`${r.source_type}:${r.source_id}`) ?? 0) + 1);
    const vecRows = (db.prepare(`SELECT count(*) AS n FROM ${prefix}_vec WHERE shop = ?`).get(shop) as { n: number }).n;
    // The FTS table is contentless and keyed by the chunk rowid.
    const rowids = JSON.stringify(rows.map((r) => r.rowid));
    const ftsRows = (db.prepare(`SELECT count(*) AS n FROM ${prefix}_fts WHERE rowid IN (SELECT value FROM json_each(?))`).get(rowids) as { n: number }).n;
    return { chunkIds: rows.map((r) => r.chunk_id), textById: new Map(rows.map((r) => [r.chunk_id, r.text])), perSource, vecRows, ftsRows };
  } finally {
    db.close();
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until no job is queued or running (for the shop, when given). */
export async function waitForQueueDrain(db: Db, options: { shop?: string; timeoutMs?: number } = {}): Promise<void> {
  await waitFor(
    "the job queue to drain",
    async () => (await db.job.count({ where: { ...(options.shop ? { shop: options.shop } : {}), status: { in: ["queued", "running"] } } })) === 0,
    options.timeoutMs ?? 30_000,
  );
}

/** What `shopify app install` leaves behind: an offline session with an access token. */
export async function insertOfflineSession(db: Db, shop: string, accessToken: string, scope = "read_products,read_inventory,read_content,read_legal_policies"): Promise<void> {
  await db.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken, scope },
    update: { accessToken, scope },
  });
}

/** A proxy in front of per-shop upstreams (Admin API fakes): path /<shop>/... goes to that shop's upstream. */
export interface SwitchableProxy {
  url: string;
  setUpstream(shop: string, baseUrl: string): void;
  close(): Promise<void>;
}

export async function startSwitchableProxy(): Promise<SwitchableProxy> {
  const upstreams = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const shop = (req.url ?? "/").split("/")[1] ?? "";
    const base = upstreams.get(shop);
    if (!base) {
      res.writeHead(404).end("no upstream");
      return;
    }
    const target = new URL(req.url ?? "/", base);
    const out = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    out.on("error", () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setUpstream: (shop, baseUrl) => upstreams.set(shop, baseUrl),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A small, complete product, varied by id, for literal catalogs. */
export function makeProduct(id: number, overrides: Partial<CatalogProduct> = {}): CatalogProduct {
  const handle = overrides.handle ?? `test-product-${id}`;
  return {
    id: String(id),
    handle,
    title: `Test Product ${id}`,
    descriptionHtml: `<p>A sturdy everyday item number ${id}, made of recycled cotton canvas with brass rivets.</p>`,
    productType: id % 2 ? "Bags" : "Hats",
    vendor: "Groundwork Test Co",
    tags: ["test", `batch-${id % 3}`],
    status: "active",
    published: true,
    options: [{ name: "Size", values: ["S", "M"] }],
    variants: [
      { id: String(id * 10 + 1), title: "S", sku: `TP-${id}-S`, price: 20 + (id % 7), compareAtPrice: null, available: true, inventoryQuantity: 5, options: { Size: "S" } },
      { id: String(id * 10 + 2), title: "M", sku: `TP-${id}-M`, price: 22 + (id % 7), compareAtPrice: null, available: id % 4 !== 0, inventoryQuantity: id % 4 ? 3 : 0, options: { Size: "M" } },
    ],
    collections: ["Everyday"],
    metafields: [],
    images: [],
    url: `/products/${handle}`,
    updatedAt: "2026-01-01T00:00:00Z",
    currency: "USD",
    ...overrides,
  };
}

/** Admin REST shape of a product (what products/update webhooks carry, and what `groundwork import` reads). */
export function adminRestProduct(p: CatalogProduct): Record<string, unknown> {
  return {
    id: Number(p.id),
    title: p.title,
    handle: p.handle,
    body_html: p.descriptionHtml,
    product_type: p.productType,
    vendor: p.vendor,
    tags: p.tags.join(", "),
    status: p.status,
    published_at: p.published ? p.updatedAt : null,
    updated_at: p.updatedAt,
    options: p.options.map((o, i) => ({ name: o.name, position: i + 1, values: o.values })),
    variants: p.variants.map((v, i) => ({
      id: Number(v.id),
      product_id: Number(p.id),
      title: v.title,
      sku: v.sku,
      price: v.price.toFixed(2),
      compare_at_price: v.compareAtPrice === null ? null : v.compareAtPrice.toFixed(2),
      inventory_quantity: v.inventoryQuantity,
      inventory_management: "shopify",
      inventory_policy: "deny",
      option1: Object.values(v.options)[0] ?? null,
      position: i + 1,
    })),
    images: [],
  };
}
