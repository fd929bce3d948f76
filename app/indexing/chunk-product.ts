/**
 * A product becomes one facts chunk (everything a shopper filters or asks on,
 * kept together so "is the navy one in size 8 in stock?" is answered from one
 * place) plus description chunks, each prefixed with the product title so it
 * stands alone.
 */
import { htmlToText } from "../catalog/html-to-text";
import type { CatalogProduct, CatalogVariant } from "../catalog/types";
import type { ChunkFields, IndexChunk } from "../stores/types";
import { buildChunk, packParagraphs, splitParagraphs, TARGET_CHUNK_CHARS } from "./chunk-text";

export function productChunkFields(product: CatalogProduct): ChunkFields {
  const prices = product.variants.map((v) => v.price);
  const fields: ChunkFields = {
    productHandle: product.handle,
    productType: product.productType,
    vendor: product.vendor,
    tags: product.tags,
    available: product.variants.some((v) => v.available),
    variants: product.variants.map((v) => ({ id: v.id, options: v.options, available: v.available, price: v.price })),
  };
  if (prices.length > 0) {
    fields.priceMin = Math.min(...prices);
    fields.priceMax = Math.max(...prices);
  }
  return fields;
}

export function chunkProduct(product: CatalogProduct): IndexChunk[] {
  const fields = productChunkFields(product);
  const base = { sourceType: "product" as const, sourceId: product.id, title: product.title, url: product.url, fields };
  const chunks: IndexChunk[] = [buildChunk({ ...base, text: productFactsText(product) }, 0)];

  const paragraphs = splitParagraphs(htmlToText(product.descriptionHtml));
  // Descriptions often open with the title as a heading; every chunk already starts with it.
  if (paragraphs.length > 0 && sameText(paragraphs[0], product.title)) paragraphs.shift();
  const budget = TARGET_CHUNK_CHARS - product.title.length - 2;
  for (const piece of packParagraphs(paragraphs, budget)) {
    chunks.push(buildChunk({ ...base, text: `${product.title}\n\n${piece}` }, chunks.length));
  }
  return chunks;
}

/** The facts chunk's text: one line per fact, every variant listed. */
export function productFactsText(product: CatalogProduct): string {
  const lines: string[] = [product.title];
  if (product.productType) lines.push(`Type: ${product.productType}`);
  if (product.category) lines.push(`Category: ${product.category}`);
  if (product.vendor) lines.push(`Brand: ${product.vendor}`);
  if (product.tags.length > 0) lines.push(`Tags: ${product.tags.join(", ")}`);
  if (product.collections.length > 0) lines.push(`Collections: ${product.collections.join(", ")}`);
  for (const option of product.options) lines.push(`${option.name} options: ${option.values.join(", ")}`);

  const prices = product.variants.map((v) => v.price);
  if (prices.length > 0) {
    const min = Math.min(...prices);
    const max = Math.max(...prices);
    lines.push(`Price: ${formatMoney(min, product.currency)}${max > min ? ` to ${formatMoney(max, product.currency)}` : ""}`);
    const available = product.variants.filter((v) => v.available).length;
    lines.push(
      available === product.variants.length
        ? "Availability: available"
        : available === 0
          ? "Availability: sold out"
          : `Availability: ${available} of ${product.variants.length} variants available`,
    );
  }

  // Custom and taxonomy metafields often repeat one fact ("Color: Black" twice); list it once.
  const factLines = product.metafields.map((m) => `${m.label}: ${m.value.replace(/\s*;\s*/g, ", ")}`);
  lines.push(...factLines.filter((line, i) => factLines.findIndex((l) => sameText(l, line)) === i));

  if (product.variants.length > 1 || (product.variants.length === 1 && Object.keys(product.variants[0].options).length > 0)) {
    lines.push("Variants:");
    for (const v of product.variants) lines.push(`- ${variantLine(v, product.currency)}`);
  } else if (product.variants.length === 1) {
    const v = product.variants[0];
    if (isOnSale(v)) lines.push(`On sale: was ${formatMoney(v.compareAtPrice as number, product.currency)}`);
    if (v.sku) lines.push(`SKU: ${v.sku}`);
  }

  const alts = [...new Set(product.images.map((i) => i.altText?.trim()).filter((a): a is string => !!a && a !== product.title))];
  if (alts.length > 0) lines.push(`Images: ${alts.join("; ")}`);
  return lines.join("\n");
}

function variantLine(v: CatalogVariant, currency: string | null): string {
  const options = Object.entries(v.options).map(([name, value]) => `${name} ${value}`);
  const parts = [options.length > 0 ? options.join(", ") : v.title, formatMoney(v.price, currency)];
  if (isOnSale(v)) parts.push(`on sale, was ${formatMoney(v.compareAtPrice as number, currency)}`);
  parts.push(v.available ? "available" : "sold out");
  return parts.join(" | ");
}

function isOnSale(v: CatalogVariant): boolean {
  return v.compareAtPrice !== null && v.compareAtPrice > v.price;
}

function formatMoney(amount: number, currency: string | null): string {
  const fixed = amount.toFixed(2);
  return currency ? `${fixed} ${currency}` : fixed;
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
