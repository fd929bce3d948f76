/**
 * Imports every real catalog and policy set in ../shared/data, and the project's
 * own demo store, through loadCatalogFiles, and checks the counts against counts
 * computed here, independently of the parsers.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalogFiles } from "../../app/catalog/load-files";
import { chunkCatalog } from "../../app/indexing/chunk-catalog";
import { chunkPolicy } from "../../app/indexing/chunk-policy";
import { isShopperVisible } from "../../app/indexing/visibility";
import { hasSharedData, sharedDataPath } from "../support/shared-data";

const CSV_CATALOGS = [
  "shopify-sample-csvs/apparel.csv",
  "shopify-sample-csvs/home-and-garden.csv",
  "shopify-sample-csvs/jewelery.csv",
  "stores/bilali-de-swimwear/products_export.csv",
  "stores/striker-store-in-football/products_export.csv",
  "stores/swiminista-us-swimwear/products_export.csv",
];
const REST_CATALOG = "stores/spacire-uk-sleep/products_admin_rest.json";
const POLICY_SETS = ["policies/lzx-industries-us", "policies/coaching-shop-be-nl"];

/** A deliberately separate, minimal RFC 4180 reader: the check must not share code with the parser. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.replace(/^\ufeff/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      row.push(cell);
      if (row.length > 1 || row[0] !== "") rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function expectedCsvCounts(file: string): { products: number; variants: number } {
  const [header, ...rows] = csvRows(readFileSync(file, "utf8"));
  const at = (name: string) => header.indexOf(name);
  const [handle, title, opt1, sku, price] = ["Handle", "Title", "Option1 Value", "Variant SKU", "Variant Price"].map(at);
  const productHandles = new Set(rows.filter((r) => r[title] !== "").map((r) => r[handle]));
  const variants = rows.filter((r) => productHandles.has(r[handle]) && (r[opt1] !== "" || (sku >= 0 && r[sku] !== "") || r[price] !== "")).length;
  return { products: productHandles.size, variants };
}

describe.skipIf(!hasSharedData)("importing the shared real catalogs", () => {
  it.each(CSV_CATALOGS)("imports %s with the same product and variant counts", async (relative) => {
    const file = sharedDataPath(relative);
    const expected = expectedCsvCounts(file);
    const batch = await loadCatalogFiles([file]);
    expect(batch.issues).toEqual([]);
    expect(batch.products.length).toBe(expected.products);
    expect(batch.products.reduce((n, p) => n + p.variants.length, 0)).toBe(expected.variants);
    // Every product has a facts chunk, and only visible products are chunked.
    const chunks = chunkCatalog(batch);
    const visible = batch.products.filter(isShopperVisible);
    expect(new Set(chunks.map((c) => c.sourceId)).size).toBe(visible.length);
  });

  it("imports the Admin REST catalog with the same product and variant counts, and its collections", async () => {
    const file = sharedDataPath(REST_CATALOG);
    const raw = JSON.parse(readFileSync(file, "utf8")) as { products: { variants: unknown[] }[] };
    const batch = await loadCatalogFiles([path.dirname(file)]);
    expect(batch.issues).toEqual([]);
    expect(batch.products.length).toBe(raw.products.length);
    expect(batch.products.reduce((n, p) => n + p.variants.length, 0)).toBe(raw.products.reduce((n, p) => n + p.variants.length, 0));
    expect(batch.products.filter((p) => p.collections.length > 0).length).toBeGreaterThan(0);
  });

  it.each(POLICY_SETS)("imports the policy set %s, one policy per file, each chunked", async (relative) => {
    const dir = sharedDataPath(relative);
    const files = readdirSync(dir).filter((f) => f.endsWith(".md"));
    const batch = await loadCatalogFiles([dir]);
    expect(batch.issues).toEqual([]);
    expect(batch.policies.length).toBe(files.length);
    for (const policy of batch.policies) {
      expect(policy.body).not.toMatch(/<\/?[a-z][^>]*>/i);
      expect(chunkPolicy(policy).length).toBeGreaterThan(0);
    }
  });
});

describe("the demo store", () => {
  const demo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../demo-store");

  it("loads with no issues and at least 40 shopper-visible products", async () => {
    const batch = await loadCatalogFiles([demo]);
    expect(batch.issues).toEqual([]);
    const visible = batch.products.filter(isShopperVisible);
    expect(batch.products.length).toBeGreaterThanOrEqual(42);
    expect(visible.length).toBeGreaterThanOrEqual(40);
    expect(batch.products.length - visible.length).toBeGreaterThanOrEqual(3);
    expect(batch.pages.map((p) => p.handle).sort()).toEqual(["care-guide", "faq", "size-guide"]);
    expect(batch.policies.map((p) => p.type).sort()).toEqual(["contact", "privacy", "refund", "shipping", "terms"]);

    // Drafts never reach the chunks.
    const chunkedIds = new Set(chunkCatalog(batch).map((c) => c.sourceId));
    for (const hidden of batch.products.filter((p) => !isShopperVisible(p))) expect(chunkedIds.has(hidden.id)).toBe(false);
  });

  it("carries the facts the evaluation relies on: tall, petite, size 8, widths, sale and sold-out variants", async () => {
    const { products } = await loadCatalogFiles([path.join(demo, "products.csv")]);
    const byHandle = new Map(products.map((p) => [p.handle, p]));
    const shell = byHandle.get("ridgeline-rain-shell");
    expect(shell?.options.find((o) => o.name === "Length")?.values).toContain("Tall");
    expect(shell?.metafields.map((m) => m.label)).toEqual(["Material", "Care", "Fit"]);
    expect(byHandle.get("everyday-straight-leg-trousers-petite")?.productType).toBe("Trousers");
    const dress = byHandle.get("rowan-wrap-midi-dress");
    const size8 = dress?.variants.filter((v) => v.options.Size === "8") ?? [];
    expect(size8.map((v) => [v.options.Color, v.available])).toEqual([["Rust", false], ["Navy Dot", true]]);
    expect(dress?.variants.every((v) => v.compareAtPrice !== null && v.compareAtPrice > v.price)).toBe(true);
    expect(byHandle.get("trailmark-trail-runner")?.options.find((o) => o.name === "Width")?.values).toEqual(["Standard", "Wide"]);
    expect(byHandle.get("stonewashed-linen-duvet-cover")?.options[0].values).toEqual(["Single", "Double", "King", "Super King"]);
    expect(products.some((p) => p.productType === "Candles") && products.some((p) => p.productType === "Mugs")).toBe(true);
  });

  it("has refund policy sections for EU withdrawal and sale items, with the EU exception", async () => {
    const { policies } = await loadCatalogFiles([path.join(demo, "policies")]);
    const refund = policies.find((p) => p.type === "refund");
    expect(refund).toBeDefined();
    const chunks = chunkPolicy(refund!);
    const eu = chunks.find((c) => c.url === "/policies/refund-policy#eu-customers-14-day-right-of-withdrawal");
    const sale = chunks.find((c) => c.url === "/policies/refund-policy#sale-items");
    expect(eu?.text).toMatch(/14 days/);
    expect(sale?.title).toBe("Refund policy > Sale items");
    expect(sale?.text).toMatch(/final sale/);
    expect(sale?.text).toMatch(/European Union/);
    const shipping = policies.find((p) => p.type === "shipping");
    for (const region of ["United States", "United Kingdom", "European Union"]) expect(shipping?.body).toContain(`## ${region}`);
    expect(policies.find((p) => p.type === "contact")?.body).toContain("help@harborandheath.example");
  });
});
