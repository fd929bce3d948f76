/**
 * Admin REST `Product` resources -> CatalogBatch. Accepts the list response
 * (`{"products":[...]}`), a bare array, `{"product":{...}}`, or one product
 * object, which is also the shape of the products/create and products/update
 * webhook payloads (so webhooks reuse productFromAdminRest).
 */
import { createEmptyBatch, UNKNOWN_TIMESTAMP } from "./batch";
import { isAvailable, parseAmount, splitTags } from "./shopify-csv";
import { withComplementaryProducts } from "./complementary-products";
import type { CatalogBatch, CatalogMetafield, CatalogProduct, CatalogVariant } from "./types";

export interface AdminRestOptions {
  file: string;
  currency?: string | null;
}

/** A product object that cannot be read; `code` is stable, the message says what to fix. */
export class CatalogParseError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "CatalogParseError";
    this.code = code;
  }
}

type Json = Record<string, unknown>;

export function parseAdminRestProducts(input: string | unknown, options: AdminRestOptions): CatalogBatch {
  const batch = createEmptyBatch();
  const { file } = options;
  const text = typeof input === "string" ? input : null;

  let value: unknown = input;
  if (text !== null) {
    try {
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      batch.issues.push({ file, line: lineOfJsonError(text, err), message: `The file is not valid JSON: ${(err as Error).message}` });
      return batch;
    }
  }

  const list = productList(value);
  if (!list) {
    batch.issues.push({
      file,
      line: 1,
      message: 'Expected Admin REST products: {"products":[...]}, a list of products, {"product":{...}} or one product object.',
    });
    return batch;
  }

  list.forEach((raw, index) => {
    try {
      const product = productFromAdminRest(raw);
      if (options.currency !== undefined) product.currency = options.currency;
      dropRepeatedVariants(product, (variantId, occurrence) => {
        const lines = text !== null ? linesOfId(text, variantId) : [];
        const [first, repeat] = [lines[0] ?? 1, lines[occurrence] ?? lines[0] ?? 1];
        batch.issues.push({
          file,
          line: repeat,
          code: "duplicate_variant",
          message: `Product ${product.id}: variant ${variantId} on line ${repeat} repeats the variant on line ${first}; line ${repeat} was skipped.`,
        });
      });
      batch.products.push(product);
    } catch (err) {
      const id = isObject(raw) ? raw.id : undefined;
      batch.issues.push({
        file,
        line: text !== null && id !== undefined ? lineOfId(text, id) : 1,
        message: `Product ${index + 1}${id !== undefined ? ` (id ${String(id)})` : ""} was skipped: ${(err as Error).message}`,
      });
    }
  });
  return batch;
}

/** A variant id is the variant: a second object with the same id is reported and left out. */
function dropRepeatedVariants(product: CatalogProduct, report: (variantId: string, occurrence: number) => void): void {
  const seen = new Map<string, number>();
  product.variants = product.variants.filter((variant) => {
    const count = seen.get(variant.id) ?? 0;
    seen.set(variant.id, count + 1);
    if (count > 0) report(variant.id, count);
    return count === 0;
  });
}

function productList(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return null;
  if (Array.isArray(value.products)) return value.products;
  if (isObject(value.product)) return [value.product];
  if ("title" in value && ("handle" in value || "variants" in value || "id" in value)) return [value];
  return null;
}

/** One Admin REST product (or products/create|update webhook payload) -> CatalogProduct. Throws CatalogParseError. */
export function productFromAdminRest(obj: unknown): CatalogProduct {
  if (!isObject(obj)) throw new CatalogParseError("invalid_product", "A product must be a JSON object.");
  const id = obj.id;
  if (typeof id !== "number" && typeof id !== "string") throw new CatalogParseError("invalid_product", "The product has no id.");
  const title = str(obj.title);
  if (!title) throw new CatalogParseError("invalid_product", `Product ${id} has no title.`);
  const handle = str(obj.handle);
  if (!handle) throw new CatalogParseError("invalid_product", `Product ${id} ("${title}") has no handle.`);

  const status = str(obj.status).toLowerCase() || "active";
  if (status !== "active" && status !== "draft" && status !== "archived") {
    throw new CatalogParseError("invalid_product", `Product ${id} has an unknown status "${status}".`);
  }

  const rawOptions = Array.isArray(obj.options) ? obj.options.filter(isObject) : [];
  const optionNames = rawOptions.map((o, i) => str(o.name) || `Option ${i + 1}`);
  let options = rawOptions.map((o, i) => ({
    name: optionNames[i],
    values: Array.isArray(o.values) ? o.values.map((v) => String(v)) : [],
  }));
  const isDefaultOnly = options.length === 1 && options[0].name === "Title" && options[0].values.length <= 1 && (options[0].values[0] ?? "Default Title") === "Default Title";
  if (isDefaultOnly) options = [];

  const rawVariants = Array.isArray(obj.variants) ? obj.variants : [];
  const variants = rawVariants.map((v, i) => variantFromAdminRest(v, i, isDefaultOnly ? [] : optionNames, id));

  const images: CatalogProduct["images"] = [];
  const seen = new Set<string>();
  const rawImages = Array.isArray(obj.images) ? obj.images : isObject(obj.image) ? [obj.image] : [];
  for (const img of rawImages) {
    if (!isObject(img)) continue;
    const url = str(img.src);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    images.push({ url, altText: str(img.alt) || null });
  }

  const metafields: CatalogMetafield[] = [];
  if (Array.isArray(obj.metafields)) {
    for (const m of obj.metafields) {
      if (!isObject(m) || m.value === null || m.value === undefined || m.value === "") continue;
      const key = str(m.key);
      metafields.push({ namespace: str(m.namespace), key, value: String(m.value), label: labelFromKey(key) });
    }
  }

  const variantTimes = rawVariants.filter(isObject).map((v) => str(v.updated_at)).filter(Boolean).sort();
  return withComplementaryProducts({
    id: String(id),
    handle,
    title,
    descriptionHtml: str(obj.body_html),
    productType: str(obj.product_type),
    vendor: str(obj.vendor),
    tags: Array.isArray(obj.tags) ? obj.tags.map(String).map((t) => t.trim()).filter(Boolean) : splitTags(str(obj.tags)),
    status,
    // Admin REST says "not on the online store" with a null published_at.
    published: obj.published_at !== null && obj.published_at !== undefined && obj.published_at !== "",
    options,
    variants,
    collections: [],
    metafields,
    images,
    url: `/products/${handle}`,
    updatedAt: str(obj.updated_at) || variantTimes[variantTimes.length - 1] || UNKNOWN_TIMESTAMP,
    currency: null,
  });
}

function variantFromAdminRest(raw: unknown, index: number, optionNames: string[], productId: unknown): CatalogVariant {
  if (!isObject(raw)) throw new CatalogParseError("invalid_variant", `Variant ${index + 1} is not an object.`);
  const price = amount(raw.price);
  if (price === null) {
    throw new CatalogParseError("invalid_variant", `Variant ${String(raw.id ?? index + 1)} of product ${String(productId)} has an invalid price "${String(raw.price)}".`);
  }
  const compareAtPrice = raw.compare_at_price === null || raw.compare_at_price === undefined || raw.compare_at_price === "" ? null : amount(raw.compare_at_price);
  const options: Record<string, string> = {};
  optionNames.forEach((name, i) => {
    const value = raw[`option${i + 1}`];
    if (value !== null && value !== undefined && value !== "") options[name] = String(value);
  });
  const qty = typeof raw.inventory_quantity === "number" ? raw.inventory_quantity : null;
  const tracked = str(raw.inventory_management) !== "";
  const id = raw.id ?? `${String(productId)}:${index + 1}`;
  return {
    id: String(id),
    title: str(raw.title) || Object.values(options).join(" / ") || "Default Title",
    sku: str(raw.sku) || null,
    price,
    compareAtPrice,
    available: isAvailable(tracked, qty, str(raw.inventory_policy).toLowerCase() === "continue"),
    inventoryQuantity: qty,
    options,
  };
}

function amount(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === "string") return parseAmount(value);
  return null;
}

function str(value: unknown): string {
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function labelFromKey(key: string): string {
  const words = key.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Node reports "... at position N" (or "line L column C"); map it to a line. */
function lineOfJsonError(text: string, err: unknown): number {
  const message = (err as Error)?.message ?? "";
  const lineMatch = /line (\d+)/.exec(message);
  if (lineMatch) return Number(lineMatch[1]);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return 1;
  return lineAt(text, Number(pos[1]));
}

function lineOfId(text: string, id: unknown): number {
  return linesOfId(text, id)[0] ?? 1;
}

/** Every line where an object with this id starts its "id" field, in file order. */
function linesOfId(text: string, id: unknown): number[] {
  const pattern = new RegExp(`"id"\\s*:\\s*"?${String(id).replace(/[^\w-]/g, "")}"?\\b`, "g");
  return [...text.matchAll(pattern)].map((m) => lineAt(text, m.index));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
