/**
 * What the storefront assistant costs a page before the shopper touches it:
 * the HTML the app embed (and, on product pages, the app block) adds, plus the
 * deferred loader script. Bytes, not time: page-load timing in Chromium is a
 * separate benchmark once the server routes exist.
 *
 * Run: npx tsx bench/storefront-weight.ts   (writes bench/results/storefront-weight.json)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createPreviewCart } from "../app/storefront/preview-cart";
import { renderStorefrontPage } from "../app/storefront/render-storefront-page";
import { previewProducts, rainShell } from "../app/storefront/fixtures/preview-products";
import type { RenderStorefrontPageInput } from "../app/storefront/types";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const extensionDir = path.join(repoRoot, "extensions/storefront-assistant");
const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
const asset = (name: string) => readFileSync(path.join(extensionDir, "assets", name));

async function page(overrides: Partial<RenderStorefrontPageInput>): Promise<string> {
  return renderStorefrontPage({
    page: "home",
    products: previewProducts,
    shop: { name: "Demo Outfitters", currency: "EUR" },
    locale: "en",
    cart: createPreviewCart({ products: previewProducts, currency: "EUR" }).get(),
    extensionDir,
    assetUrlBase: "/extension-assets",
    ...overrides,
  });
}

const loader = asset("groundwork-loader.js");
const rows: {
  page: string;
  htmlAddedBytes: number;
  htmlAddedGzip: number;
  loaderGzip: number;
  beforeInteractionGzip: number;
  requestsBeforeInteraction: number;
}[] = [];

for (const [name, overrides] of [
  ["home", { page: "home" }],
  ["product", { page: "product", product: rainShell }],
] as const) {
  const without = await page({ ...overrides, withAppEmbed: false, withProductBlock: false });
  const withApp = await page(overrides);
  const htmlAddedBytes = Buffer.byteLength(withApp) - Buffer.byteLength(without);
  const htmlAddedGzip = gz(withApp) - gz(without);
  rows.push({
    page: name,
    htmlAddedBytes,
    htmlAddedGzip,
    loaderGzip: gz(loader),
    beforeInteractionGzip: htmlAddedGzip + gz(loader),
    // The loader is the only request; it is deferred, so it never blocks rendering.
    requestsBeforeInteraction: (withApp.match(/<script src=|<link rel="stylesheet"/g) ?? []).length,
  });
}

const onInteraction = {
  chatJsBytes: asset("groundwork-chat.js").length,
  chatJsGzip: gz(asset("groundwork-chat.js")),
  chatCssBytes: asset("groundwork-chat.css").length,
  chatCssGzip: gz(asset("groundwork-chat.css")),
};

console.table(rows);
console.table([onInteraction]);

const result = {
  benchmark: "storefront-weight",
  measuredAt: new Date().toISOString(),
  node: process.version,
  loader: { bytes: loader.length, gzip: gz(loader), budgetGzip: 10 * 1024 },
  beforeInteraction: rows,
  onInteraction,
};
mkdirSync(path.join(repoRoot, "bench/results"), { recursive: true });
writeFileSync(path.join(repoRoot, "bench/results/storefront-weight.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log("wrote bench/results/storefront-weight.json");
