/**
 * A product's facts as the voice model sees them: title, type, vendor, options and
 * their values, tags and metafields, written as labelled lines. Never the description:
 * the copy is what the model learns to write, the facts are what it may say.
 */
import type { CatalogProduct } from "../../catalog/types";

/** Metafield values can be long JSON (rich text, lists); a fact line stays short. */
const MAX_FACT_CHARS = 400;

function metafieldValue(value: string): string {
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parsed)) return parsed.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ");
    } catch {
      // Not JSON after all: the text as written.
    }
  }
  return trimmed.length > MAX_FACT_CHARS ? `${trimmed.slice(0, MAX_FACT_CHARS)}…` : trimmed;
}

function usableOptions(product: CatalogProduct): { name: string; values: string[] }[] {
  return product.options
    .map((o) => ({ name: o.name.trim(), values: o.values.map((v) => v.trim()).filter((v) => v && v !== "Default Title") }))
    .filter((o) => o.name && o.name !== "Title" && o.values.length > 0);
}

/** The facts, one labelled line each; empty lines are left out. */
export function productFactLines(product: CatalogProduct): string[] {
  const lines: string[] = [];
  if (product.title.trim()) lines.push(`Title: ${product.title.trim()}`);
  if (product.productType.trim()) lines.push(`Type: ${product.productType.trim()}`);
  if (product.category?.trim()) lines.push(`Category: ${product.category.trim()}`);
  if (product.vendor.trim()) lines.push(`Vendor: ${product.vendor.trim()}`);
  for (const o of usableOptions(product)) lines.push(`${o.name}: ${o.values.join(", ")}`);
  const tags = product.tags.map((t) => t.trim()).filter(Boolean);
  if (tags.length) lines.push(`Tags: ${tags.join(", ")}`);
  for (const m of product.metafields) {
    const value = metafieldValue(m.value);
    if (value) lines.push(`${(m.label || m.key).trim()}: ${value}`);
  }
  return lines;
}

export function productFactsText(product: CatalogProduct): string {
  return productFactLines(product).join("\n");
}

/** True when the product says something beyond its title: a model given only a title can only invent. */
export function hasFacts(product: CatalogProduct): boolean {
  return productFactLines(product).some((line) => !line.startsWith("Title: "));
}
