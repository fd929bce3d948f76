/**
 * The demo storefront preview: the demo shop's visible products rendered by the
 * preview theme with the REAL theme app extension (Liquid and assets), and a
 * Cart AJAX API kept in memory per visitor. Demo mode only; in a real install
 * every preview route answers 404.
 */
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { DEMO_IMAGE_ROUTE, parseDemoImageName } from "../catalog/demo-images";
import type { CatalogProduct } from "../catalog/types";
import { DEMO_SHOP } from "../config";
import { findRepoRoot } from "../db/open-database";
import { config } from "../env.server";
import { getServices } from "../services.server";
import { demoImageSpec, renderDemoProductImage } from "../storefront/demo-product-image";
import { readExtensionAsset } from "../storefront/extension";
import { findStorefrontProduct, isVisibleOnStorefront } from "../storefront/liquid-objects";
import { createPreviewCart, type PreviewCart } from "../storefront/preview-cart";
import { renderStorefrontPage } from "../storefront/render-storefront-page";
import type { PreviewShop } from "../storefront/types";
import { readLimitedText } from "./parse-request";
import { stringifySafeJson, StorefrontApiError } from "./responses";

export const PREVIEW_ASSET_BASE = "/extension-assets";
const CART_COOKIE = "gw_preview_cart";
const MAX_CARTS = 1000;

export function extensionDir(): string {
  return path.join(findRepoRoot(), "extensions", "storefront-assistant");
}

export function isPreviewEnabled(): boolean {
  return config.demo;
}

export function notFound(message = "Not found."): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

async function loadPreviewShop(): Promise<PreviewShop & { locale: string }> {
  const row = await getServices().db.shop.findUnique({ where: { domain: DEMO_SHOP } });
  return {
    name: row?.name ?? "Demo store",
    currency: row?.currency ?? "USD",
    email: row?.contactEmail ?? undefined,
    locale: row?.locale ?? "en",
  };
}

async function loadVisibleProducts(): Promise<CatalogProduct[]> {
  const rows = await getServices().db.catalogItem.findMany({
    where: { shop: DEMO_SHOP, sourceType: "product", visible: true },
    select: { data: true },
    orderBy: { title: "asc" },
  });
  return rows.map((r) => JSON.parse(r.data) as CatalogProduct).filter(isVisibleOnStorefront);
}

// --- the visitor's cart: in this process's memory, keyed by a cookie -----------

const globalForCarts = globalThis as unknown as { groundworkPreviewCarts?: Map<string, PreviewCart> };
const carts = (globalForCarts.groundworkPreviewCarts ??= new Map<string, PreviewCart>());

function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}

interface VisitorCart {
  cart: PreviewCart;
  /** A Set-Cookie header when the visitor is new. */
  setCookie?: string;
}

async function visitorCart(request: Request, currency: string): Promise<VisitorCart> {
  const token = cookieValue(request, CART_COOKIE);
  if (token && /^[a-f0-9]{32}$/.test(token)) {
    const known = carts.get(token);
    if (known) return { cart: known };
  }
  const fresh = randomBytes(16).toString("hex");
  const cart = createPreviewCart({ products: await loadVisibleProducts(), currency, token: fresh });
  carts.set(fresh, cart);
  // Oldest carts go first once the demo has had many visitors.
  for (const key of carts.keys()) {
    if (carts.size <= MAX_CARTS) break;
    carts.delete(key);
  }
  return { cart, setCookie: `${CART_COOKIE}=${fresh}; Path=/; HttpOnly; SameSite=Lax` };
}

function cartJson(body: unknown, status: number, setCookie?: string): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };
  if (setCookie) headers["Set-Cookie"] = setCookie;
  return new Response(stringifySafeJson(body), { status, headers });
}

export async function previewCartJs(request: Request): Promise<Response> {
  const shop = await loadPreviewShop();
  const { cart, setCookie } = await visitorCart(request, shop.currency);
  return cartJson(cart.get(), 200, setCookie);
}

export async function previewCartAdd(request: Request): Promise<Response> {
  const shop = await loadPreviewShop();
  const { cart, setCookie } = await visitorCart(request, shop.currency);
  let body: unknown = null;
  try {
    const text = await readLimitedText(request);
    const type = request.headers.get("content-type") ?? "";
    // Themes post JSON from scripts and plain forms without them, as Shopify accepts both.
    body = type.includes("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text);
  } catch (error) {
    const description = error instanceof StorefrontApiError ? error.message : "Send {items: [{id, quantity}]} as JSON.";
    return cartJson({ status: 400, message: "Cart Error", description }, 400, setCookie);
  }
  const result = cart.add(body);
  return cartJson(result.body, result.status, setCookie);
}

// --- pages -----------------------------------------------------------------------

function pageLocale(url: URL, fallback: string): string {
  const asked = url.searchParams.get("locale");
  return asked && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(asked) ? asked : fallback;
}

/**
 * GET / and GET /products/<handle>. `?embed=0` renders the page without the app
 * embed and the product block, for measuring what the assistant costs a store.
 */
export async function renderPreviewPage(request: Request, page: { type: "home" } | { type: "product"; handle: string }): Promise<Response> {
  const url = new URL(request.url);
  const [shop, products] = await Promise.all([loadPreviewShop(), loadVisibleProducts()]);
  const product = page.type === "product" ? findStorefrontProduct(products, page.handle) : null;
  if (page.type === "product" && !product) return notFound(`No product called "${page.handle.slice(0, 80)}" in this store.`);
  const { cart, setCookie } = await visitorCart(request, shop.currency);
  const withApp = url.searchParams.get("embed") !== "0";
  const html = await renderStorefrontPage({
    page: page.type,
    product: product ?? undefined,
    products,
    shop,
    locale: pageLocale(url, shop.locale),
    cart: cart.get(),
    extensionDir: extensionDir(),
    assetUrlBase: PREVIEW_ASSET_BASE,
    withAppEmbed: withApp,
    withProductBlock: withApp,
  });
  const headers: Record<string, string> = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
  if (setCookie) headers["Set-Cookie"] = setCookie;
  return new Response(html, { status: 200, headers });
}

/** GET /extension-assets/<name>: the extension's assets, cached like a CDN would, revalidated by ETag. */
export function previewAsset(request: Request, name: string): Response {
  const asset = readExtensionAsset(extensionDir(), name);
  if (!asset) return notFound();
  const etag = `"${createEtag(asset.body)}"`;
  const headers = {
    "Content-Type": asset.contentType,
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(asset.body), { status: 200, headers });
}

// The SVG is an image, never a document: nothing in it may load or run, even when opened directly.
const DEMO_IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * GET /demo-images/<handle>-<n>.svg: the demo product's picture, drawn from its
 * type, title and first colour. Cached for a week and revalidated by ETag: a
 * re-import may change a product's colour, the URL stays the same.
 */
export async function previewDemoImage(request: Request, name: string): Promise<Response> {
  const parsed = parseDemoImageName(name);
  if (!parsed) return notFound();
  const row = await getServices().db.catalogItem.findFirst({
    where: { shop: DEMO_SHOP, sourceType: "product", handle: parsed.handle, visible: true },
    select: { data: true },
  });
  const product = row ? (JSON.parse(row.data) as CatalogProduct) : null;
  // Only pictures the catalog itself points at: a product keeps its own images otherwise.
  const path = `${DEMO_IMAGE_ROUTE}/${name}`;
  if (!product || !isVisibleOnStorefront(product) || !product.images.some((i) => i.url === path)) return notFound();
  const body = Buffer.from(renderDemoProductImage(demoImageSpec(product, parsed.position)), "utf8");
  const etag = `"${createEtag(body)}"`;
  const headers = {
    "Content-Type": "image/svg+xml; charset=utf-8",
    "Cache-Control": "public, max-age=604800",
    "Content-Security-Policy": DEMO_IMAGE_CSP,
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(body), { status: 200, headers });
}

function createEtag(body: Buffer): string {
  return createHash("sha256").update(body).digest("base64url").slice(0, 22);
}
