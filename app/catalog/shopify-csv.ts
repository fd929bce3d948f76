/**
 * Shopify's product CSV (admin export / import format) -> CatalogBatch.
 *
 * Rows are grouped by Handle: the first row of a handle carries the product
 * fields (and usually its first variant); later rows of that handle carry more
 * variants, or only an image. Both the classic headers ("Variant Price") and the
 * newer template's ("Price", "URL handle") are read. A malformed row becomes an
 * ImportIssue and is skipped; everything else imports.
 */
import { createEmptyBatch, UNKNOWN_TIMESTAMP } from "./batch";
import { readCsvRecords } from "./csv";
import { slugify } from "./slug";
import { variantIdentityKey, variantIdFor } from "./variant-identity";
import { isComplementaryMetafield, withComplementaryProducts } from "./complementary-products";
import type { CatalogBatch, CatalogMetafield, CatalogProduct, CatalogVariant } from "./types";

export interface ShopifyCsvOptions {
  /** Reported in issues. */
  file: string;
  /** Shop currency, when known (the CSV does not say). */
  currency?: string | null;
  /** Used as updatedAt, since the CSV carries no timestamps. */
  updatedAt?: string;
}

type Column =
  | "handle" | "title" | "body" | "vendor" | "category" | "type" | "tags" | "published" | "status" | "collection"
  | "option1Name" | "option1Value" | "option2Name" | "option2Value" | "option3Name" | "option3Value"
  | "sku" | "tracker" | "qty" | "policy" | "price" | "compareAt" | "imageSrc" | "imageAlt" | "variantImage";

// Lower-cased header -> column. Classic export names first, then the 2024 template's.
const HEADER_ALIASES: Record<string, Column> = {
  handle: "handle", "url handle": "handle",
  title: "title",
  "body (html)": "body", description: "body",
  vendor: "vendor",
  "product category": "category",
  type: "type", "product type": "type",
  tags: "tags",
  published: "published", "published on online store": "published",
  status: "status",
  collection: "collection",
  "option1 name": "option1Name", "option1 value": "option1Value",
  "option2 name": "option2Name", "option2 value": "option2Value",
  "option3 name": "option3Name", "option3 value": "option3Value",
  "variant sku": "sku", sku: "sku",
  "variant inventory tracker": "tracker", "inventory tracker": "tracker",
  "variant inventory qty": "qty", "inventory quantity": "qty",
  "variant inventory policy": "policy", "continue selling when out of stock": "policy",
  "variant price": "price", price: "price",
  "variant compare at price": "compareAt", "compare-at price": "compareAt",
  "image src": "imageSrc", "product image url": "imageSrc",
  "image alt text": "imageAlt",
  "variant image": "variantImage", "variant image url": "variantImage",
};

const METAFIELD_HEADER = /^(.*?)\s*\(product\.metafields\.([^.()\s]+)\.([^()\s]+)\)\s*$/;
// App-owned recommendation settings and feed flags are not facts a shopper asks about.
const IGNORED_METAFIELD_NAMESPACES = [/^shopify--/, /^mm-google-shopping$/];

interface MetafieldColumn {
  index: number;
  namespace: string;
  key: string;
  label: string;
}

interface Draft {
  product: CatalogProduct;
  optionNames: string[];
  /** Identity key of each variant kept -> the line it came from. */
  variantLines: Map<string, number>;
  imageUrls: Set<string>;
}

export function parseShopifyCsv(text: string, options: ShopifyCsvOptions): CatalogBatch {
  const batch = createEmptyBatch();
  const { file } = options;
  const issue = (line: number, message: string, code?: string) => batch.issues.push(code ? { file, line, message, code } : { file, line, message });

  const { records, error } = readCsvRecords(text);
  if (error) issue(error.line, error.message);
  if (records.length === 0) {
    issue(1, "The file is empty: expected a Shopify product CSV with a header row.");
    return batch;
  }

  const header = records[0].fields;
  const col: Partial<Record<Column, number>> = {};
  const metafieldColumns: MetafieldColumn[] = [];
  header.forEach((raw, index) => {
    const name = raw.trim();
    const alias = HEADER_ALIASES[name.toLowerCase()];
    if (alias && col[alias] === undefined) col[alias] = index;
    const mf = METAFIELD_HEADER.exec(name);
    if (mf && (isComplementaryMetafield(mf[2], mf[3]) || !IGNORED_METAFIELD_NAMESPACES.some((re) => re.test(mf[2])))) {
      metafieldColumns.push({ index, namespace: mf[2], key: mf[3], label: mf[1].trim() || mf[3] });
    }
  });
  if (col.handle === undefined && col.title === undefined) {
    issue(records[0].line, "This is not a Shopify product CSV: the header row has neither a Handle nor a Title column.");
    return batch;
  }

  const drafts = new Map<string, Draft>();
  const order: Draft[] = [];

  for (const record of records.slice(1)) {
    const { fields, line } = record;
    if (fields.length !== header.length) {
      issue(line, `Row has ${fields.length} columns but the header has ${header.length}; the row was skipped.`);
      continue;
    }
    const get = (c: Column): string => {
      const i = col[c];
      return i === undefined ? "" : (fields[i] ?? "").trim();
    };
    const title = get("title");
    const handle = get("handle") || (title ? handleFromTitle(title, drafts) : "");
    if (!handle) {
      issue(line, "Row has no Handle (and no Title to derive one from); the row was skipped.");
      continue;
    }

    let draft = drafts.get(handle);
    if (!draft) {
      if (!title) {
        issue(line, `Row for handle "${handle}" comes before any row with that handle's Title; the row was skipped.`);
        continue;
      }
      const statusResult = readStatus(get("status"));
      if (statusResult.warning) issue(line, statusResult.warning);
      const product: CatalogProduct = {
        id: handle,
        handle,
        title,
        descriptionHtml: get("body"),
        productType: get("type"),
        vendor: get("vendor"),
        tags: splitTags(get("tags")),
        status: statusResult.status,
        published: get("published").toLowerCase() !== "false",
        options: [],
        variants: [],
        collections: get("collection") ? [get("collection")] : [],
        metafields: readMetafields(fields, metafieldColumns),
        images: [],
        url: `/products/${handle}`,
        updatedAt: options.updatedAt ?? UNKNOWN_TIMESTAMP,
        currency: options.currency ?? null,
      };
      const category = get("category");
      if (category) product.category = category;
      draft = {
        product,
        optionNames: [get("option1Name"), get("option2Name"), get("option3Name")],
        variantLines: new Map(),
        imageUrls: new Set(),
      };
      drafts.set(handle, draft);
      order.push(draft);
    }

    addImage(draft, get("imageSrc"), get("imageAlt"));
    addImage(draft, get("variantImage"), null);

    const optionValues = [get("option1Value"), get("option2Value"), get("option3Value")];
    const isVariantRow = optionValues.some(Boolean) || get("sku") !== "" || get("price") !== "";
    if (!isVariantRow) continue; // an image-only row

    const variant = readVariant(draft, optionValues, get, line, (message, code) => issue(line, message, code));
    if (variant) draft.product.variants.push(variant);
  }

  for (const draft of order) batch.products.push(withComplementaryProducts(finishProduct(draft)));
  return batch;
}

/**
 * A row without a Handle gets one from its Title, as Shopify makes one; two different
 * titles that slug alike ("Galaxy S20", "Galaxy S20+") get "-1", "-2" as Shopify does,
 * so they stay two products.
 */
function handleFromTitle(title: string, drafts: Map<string, Draft>): string {
  const base = slugify(title);
  if (!base) return "";
  let handle = base;
  for (let n = 1; drafts.has(handle) && drafts.get(handle)!.product.title !== title; n++) handle = `${base}-${n}`;
  return handle;
}

function readVariant(
  draft: Draft,
  optionValues: string[],
  get: (c: Column) => string,
  line: number,
  report: (message: string, code?: string) => void,
): CatalogVariant | null {
  const { handle } = draft.product;
  const price = parseAmount(get("price"));
  if (price === null) {
    report(`Variant of "${handle}" has ${get("price") ? `an invalid price "${get("price")}"` : "no price"}; the variant was skipped.`);
    return null;
  }
  const compareRaw = get("compareAt");
  const compareAtPrice = compareRaw === "" ? null : parseAmount(compareRaw);
  if (compareRaw !== "" && compareAtPrice === null) {
    report(`Variant of "${handle}" has an invalid compare-at price "${compareRaw}"; the variant was skipped.`);
    return null;
  }
  const qtyRaw = get("qty");
  const inventoryQuantity = qtyRaw === "" ? null : /^-?\d+$/.test(qtyRaw) ? Number(qtyRaw) : NaN;
  if (Number.isNaN(inventoryQuantity)) {
    report(`Variant of "${handle}" has an invalid inventory quantity "${qtyRaw}"; the variant was skipped.`);
    return null;
  }

  const options: Record<string, string> = {};
  const values: string[] = [];
  optionValues.forEach((value, i) => {
    if (!value) return;
    const name = draft.optionNames[i] || `Option ${i + 1}`;
    options[name] = value;
    values.push(value);
  });

  const key = variantIdentityKey(optionValues);
  const firstLine = draft.variantLines.get(key);
  if (firstLine !== undefined) {
    report(
      `Handle "${handle}": line ${line} has the same options as line ${firstLine} ("${values.join(" / ")}"), which Shopify ` +
        `treats as one variant (option values are compared ignoring letter case); line ${line} was skipped. ` +
        "Change one of its option values to keep both.",
      "duplicate_variant",
    );
    return null;
  }
  draft.variantLines.set(key, line);
  const id = variantIdFor(handle, optionValues);

  const tracked = get("tracker") !== "";
  const policy = get("policy").toLowerCase();
  return {
    id,
    title: values.length > 0 ? values.join(" / ") : "Default Title",
    sku: get("sku") || null,
    price,
    compareAtPrice,
    available: isAvailable(tracked, inventoryQuantity, policy === "continue"),
    inventoryQuantity,
    options,
  };
}

/** Shopify's availableForSale: in stock, or sold past zero, or stock not tracked at all. */
export function isAvailable(tracked: boolean, quantity: number | null, continueSelling: boolean): boolean {
  if (!tracked || quantity === null) return true;
  return quantity > 0 || continueSelling;
}

function finishProduct(draft: Draft): CatalogProduct {
  const product = draft.product;
  const options: { name: string; values: string[]; spelling: Map<string, string> }[] = [];
  for (const variant of product.variants) {
    for (const [name, value] of Object.entries(variant.options)) {
      let option = options.find((o) => o.name === name);
      if (!option) options.push((option = { name, values: [], spelling: new Map() }));
      // Shopify keeps one value per option for spellings it treats as the same ("Red", "red"):
      // the first one written.
      const key = variantIdentityKey([value]);
      const first = option.spelling.get(key);
      if (first === undefined) {
        option.spelling.set(key, value);
        option.values.push(value);
      } else variant.options[name] = first;
    }
  }
  // Shopify's placeholder for a product without options is not a real choice.
  if (options.length === 1 && options[0].name === "Title" && options[0].values.length === 1 && options[0].values[0] === "Default Title") {
    for (const variant of product.variants) variant.options = {};
    product.options = [];
  } else {
    product.options = options.map(({ name, values }) => ({ name, values }));
  }
  return product;
}

function addImage(draft: Draft, url: string, altText: string | null) {
  if (!url || draft.imageUrls.has(url)) return;
  draft.imageUrls.add(url);
  draft.product.images.push({ url, altText: altText || null });
}

function readMetafields(fields: string[], columns: MetafieldColumn[]): CatalogMetafield[] {
  const out: CatalogMetafield[] = [];
  for (const c of columns) {
    const value = (fields[c.index] ?? "").trim();
    if (value) out.push({ namespace: c.namespace, key: c.key, value, label: c.label });
  }
  return out;
}

function readStatus(raw: string): { status: CatalogProduct["status"]; warning?: string } {
  const value = raw.toLowerCase();
  if (value === "" || value === "active") return { status: "active" };
  if (value === "draft" || value === "archived") return { status: value };
  // Unknown statuses stay hidden from shoppers rather than leaking a product.
  return { status: "draft", warning: `Unknown Status "${raw}"; the product was imported as a draft.` };
}

export function splitTags(raw: string): string[] {
  return raw
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

/** "49.5", "1,199.00", "$12" -> number; anything else -> null. */
export function parseAmount(raw: string): number | null {
  const cleaned = raw.trim().replace(/^[$€£¥₹]\s*/, "");
  if (!/^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned.replace(/,/g, ""));
}

