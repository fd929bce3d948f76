/**
 * Imports every real catalog and policy set in ../shared/data, a fixture of option
 * values that differ only in punctuation or are written in Arabic, Hebrew and CJK, and
 * the project's own demo store, through loadCatalogFiles, and checks the products and
 * variants against counts made here from the files, independently of the parsers.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalogFiles } from "../../app/catalog/load-files";
import { chunkCatalog } from "../../app/indexing/chunk-catalog";
import { chunkPolicy } from "../../app/indexing/chunk-policy";
import { isShopperVisible } from "../../app/indexing/visibility";
import type { CatalogBatch } from "../../app/catalog/types";
import { hasSharedData, sharedDataPath } from "../support/shared-data";
import { repoRoot } from "../support/server";

const REST_CATALOG = "stores/spacire-uk-sleep/products_admin_rest.json";
const POLICY_SETS = ["policies/lzx-industries-us", "policies/coaching-shop-be-nl"];
const FIXTURE = path.join(repoRoot, "test/fixtures/option-values-any-script.csv");
/** Stores whose option names or values are not in Latin script; they must be among the catalogs checked. */
const NON_LATIN_STORES = ["wind-eg-modestwear", "mothersday-il-stationery"];

/** Every catalog file in ../shared/data: each store's export, and Shopify's sample CSVs. */
function sharedCatalogs(): string[] {
  if (!hasSharedData) return [];
  const stores = readdirSync(sharedDataPath("stores"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(sharedDataPath("stores", d.name)).filter(isCatalogFile).map((f) => path.join("stores", d.name, f)));
  const samples = readdirSync(sharedDataPath("shopify-sample-csvs")).filter((f) => f.endsWith(".csv")).map((f) => path.join("shopify-sample-csvs", f));
  return [...stores, ...samples].sort();
}

function isCatalogFile(name: string): boolean {
  return name.endsWith(".csv") || /^products.*\.json$/.test(name);
}

/**
 * A deliberately separate, minimal RFC 4180 reader: the check must not share code with the
 * parser. Each row comes with the line it starts on.
 */
function csvRows(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.replace(/^\ufeff/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\n") line++;
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
      if (c === "\r" && body[i + 1] === "\n") {
        i++;
        line++;
      }
      row.push(cell);
      if (row.length > 1 || row[0] !== "") rows.push({ cells: row, line: rowLine });
      row = [];
      cell = "";
      rowLine = line;
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push({ cells: [...row, cell], line: rowLine });
  return rows;
}

interface ExpectedCatalog {
  products: number;
  /** Per handle, the titles of its distinct variants ("Galaxy S20+ / Antique Black, Ivory"), in file order. */
  variantTitles: Map<string, string[]>;
  /** Rows repeating a variant of their product, with the line of the first. */
  duplicates: { line: number; firstLine: number }[];
  /** Variants a slug of their values (letters and digits only) would have merged with another. */
  slugTwins: number;
}

/**
 * Counts from the file alone. Two rows are one variant only when every option value is the
 * same once trimmed and compared without letter case, which is how Shopify compares them.
 */
function expectedCsv(file: string): ExpectedCatalog {
  const [header, ...rows] = csvRows(readFileSync(file, "utf8"));
  const names = header.cells.map((h) => h.trim().toLowerCase());
  const at = (...candidates: string[]) => candidates.map((c) => names.indexOf(c)).find((i) => i >= 0) ?? -1;
  const handleAt = at("handle", "url handle");
  const titleAt = at("title");
  const valueAt = [1, 2, 3].map((n) => at(`option${n} value`));
  const skuAt = at("variant sku", "sku");
  const priceAt = at("variant price", "price");
  const cell = (row: string[], i: number) => (i >= 0 ? (row[i] ?? "").trim() : "");

  const titled = new Set(rows.filter((r) => cell(r.cells, titleAt) !== "").map((r) => cell(r.cells, handleAt)));
  const variantTitles = new Map<string, string[]>();
  const seen = new Map<string, number>();
  const slugs = new Map<string, Set<string>>();
  const duplicates: ExpectedCatalog["duplicates"] = [];
  let slugTwins = 0;
  for (const { cells, line } of rows) {
    const handle = cell(cells, handleAt);
    const values = valueAt.map((i) => cell(cells, i));
    if (!titled.has(handle) || !(values.some(Boolean) || cell(cells, skuAt) !== "" || cell(cells, priceAt) !== "")) continue;
    const key = `${handle}\u0000${values.map((v) => v.normalize("NFC").toLowerCase()).join("\u0000")}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      duplicates.push({ line, firstLine });
      continue;
    }
    seen.set(key, line);
    const present = values.filter(Boolean);
    variantTitles.set(handle, [...(variantTitles.get(handle) ?? []), present.length > 0 ? present.join(" / ") : "Default Title"]);
    const slug = present.join(" ").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const handleSlugs = slugs.get(handle) ?? new Set<string>();
    if (handleSlugs.has(slug)) slugTwins++;
    slugs.set(handle, handleSlugs.add(slug));
  }
  return { products: titled.size, variantTitles, duplicates, slugTwins };
}

function expectedRest(file: string): ExpectedCatalog {
  const raw = JSON.parse(readFileSync(file, "utf8")) as { products: { handle: string; variants: { title: string }[] }[] };
  const variantTitles = new Map(raw.products.map((p) => [p.handle, p.variants.map((v) => v.title)]));
  return { products: raw.products.length, variantTitles, duplicates: [], slugTwins: 0 };
}

async function expectImportMatches(file: string, expected: ExpectedCatalog): Promise<CatalogBatch> {
  const batch = await loadCatalogFiles([file]);
  expect(batch.issues.map((i) => [i.line, i.code])).toEqual(expected.duplicates.map((d) => [d.line, "duplicate_variant"]));
  for (const [issue, duplicate] of batch.issues.map((i, n) => [i, expected.duplicates[n]] as const)) {
    expect(issue.message).toContain(`line ${duplicate.firstLine}`);
  }
  expect(batch.products.length).toBe(expected.products);
  const expectedVariants = [...expected.variantTitles.values()].reduce((n, titles) => n + titles.length, 0);
  expect(batch.products.reduce((n, p) => n + p.variants.length, 0)).toBe(expectedVariants);
  for (const product of batch.products) {
    // The exact values the merchant wrote, each variant once, each with its own id.
    expect(product.variants.map((v) => v.title)).toEqual(expected.variantTitles.get(product.handle) ?? []);
    expect(new Set(product.variants.map((v) => v.id)).size).toBe(product.variants.length);
  }
  // Every product has a facts chunk, and only visible products are chunked.
  const chunks = chunkCatalog(batch);
  const visible = batch.products.filter(isShopperVisible);
  expect(new Set(chunks.map((c) => c.sourceId)).size).toBe(visible.length);
  return batch;
}

describe("import counts match counts made from the files", () => {
  it("GIVEN values that differ only in punctuation, single Arabic letters, Hebrew and CJK values and a true duplicate WHEN imported THEN every distinct variant is kept and the duplicate names both lines", async () => {
    const expected = expectedCsv(FIXTURE);
    // The fixture holds what a slug of option values used to merge, and one real duplicate.
    expect(expected.slugTwins).toBeGreaterThanOrEqual(30);
    expect(expected.duplicates).toHaveLength(1);
    const batch = await expectImportMatches(FIXTURE, expected);
    const necklace = batch.products.find((p) => p.handle === "letter-necklace");
    expect(necklace?.variants).toHaveLength(27);
    expect(necklace?.options[0].values).toHaveLength(27);
    expect(batch.products.find((p) => p.handle === "ring")?.options[0].values).toEqual(["7", "7.5", "7,5", "7½"]);
  });

  const catalogs = sharedCatalogs();
  it.skipIf(!hasSharedData)("checks every store in ../shared/data, the non-Latin ones among them", () => {
    expect(catalogs.length).toBeGreaterThanOrEqual(13);
    for (const store of NON_LATIN_STORES) expect(catalogs.some((c) => c.includes(`/${store}/`))).toBe(true);
  });

  describe.skipIf(!hasSharedData)("every catalog in ../shared/data", () => {
    it.each(catalogs.length > 0 ? catalogs : ["(none)"])("imports %s with the products and variants the file holds", async (relative) => {
      const file = sharedDataPath(relative);
      await expectImportMatches(file, file.endsWith(".json") ? expectedRest(file) : expectedCsv(file));
    });
  });
});

describe.skipIf(!hasSharedData)("importing the shared real catalogs", () => {
  it("imports the Admin REST catalog with its collections", async () => {
    const batch = await loadCatalogFiles([path.dirname(sharedDataPath(REST_CATALOG))]);
    expect(batch.issues).toEqual([]);
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
