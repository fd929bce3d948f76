/**
 * Does a variant satisfy what the shopper asked for? Shared by retrieval (to
 * keep products with one variant that fits), the answerer (to list those
 * variants) and the validator (to check claims). Pure.
 */
import type { CatalogProduct, CatalogVariant } from "../catalog/types";

const SIZE_SYNONYMS: Record<string, string> = {
  "extra small": "xs",
  "x small": "xs",
  "x-small": "xs",
  small: "s",
  medium: "m",
  med: "m",
  large: "l",
  "extra large": "xl",
  "x large": "xl",
  "x-large": "xl",
  "extra extra large": "xxl",
  "2xl": "xxl",
  "xx large": "xxl",
  "xx-large": "xxl",
  "3xl": "xxxl",
  "2xs": "xxs",
};

/** Canonical form of an option value for comparison: lowercase, size words folded. */
export function canonicalValue(value: string): string {
  let v = value.toLowerCase().normalize("NFKC").replace(/\s+/g, " ").trim();
  for (const [long, short] of Object.entries(SIZE_SYNONYMS).sort((a, b) => b[0].length - a[0].length)) {
    v = v.replace(new RegExp(`(^|[^a-z0-9])${long.replace(/[-]/g, "[- ]")}(?=$|[^a-z0-9])`, "g"), `$1${short}`);
  }
  return v;
}

function valueTokens(value: string): string[] {
  return canonicalValue(value).split(/[^\p{L}\p{N}.]+/u).filter(Boolean);
}

/**
 * True when the wanted value names the variant's value: equal after folding, or
 * every wanted token is one of the value's tokens ("Tall" matches "M Tall",
 * "8" matches "US 8", "medium" matches "M").
 */
export function optionValueMatches(variantValue: string, wanted: string): boolean {
  const a = canonicalValue(variantValue);
  const b = canonicalValue(wanted);
  if (a === b) return true;
  const have = new Set(valueTokens(variantValue));
  const want = valueTokens(wanted);
  return want.length > 0 && want.every((t) => have.has(t));
}

export function isSizeOptionName(name: string): boolean {
  return /size|größe|groesse|taille|talla|maat|taglia|length|fit/i.test(name);
}

/** Find the variant option that corresponds to a constraint's option name ("Size" ~ "Shoe size"). */
function variantOptionValue(variant: CatalogVariant, optionName: string): string | undefined {
  if (optionName in variant.options) return variant.options[optionName];
  const lower = optionName.toLowerCase();
  for (const [name, value] of Object.entries(variant.options)) {
    if (name.toLowerCase() === lower) return value;
  }
  if (isSizeOptionName(optionName)) {
    for (const [name, value] of Object.entries(variant.options)) if (isSizeOptionName(name)) return value;
  }
  return undefined;
}

export interface VariantConstraints {
  options?: Record<string, string>;
  inStock?: boolean;
  priceMin?: number;
  priceMax?: number;
}

export function variantSatisfies(variant: CatalogVariant, c: VariantConstraints): boolean {
  if (c.inStock && !variant.available) return false;
  if (c.priceMax !== undefined && variant.price > c.priceMax) return false;
  if (c.priceMin !== undefined && variant.price < c.priceMin) return false;
  for (const [name, wanted] of Object.entries(c.options ?? {})) {
    const value = variantOptionValue(variant, name);
    if (value === undefined || !optionValueMatches(value, wanted)) return false;
  }
  return true;
}

export function matchingVariants(product: CatalogProduct, c: VariantConstraints): CatalogVariant[] {
  return product.variants.filter((v) => variantSatisfies(v, c));
}

/** The product has the option at all (a hat has no "Size 8" to miss). */
export function productHasOption(product: CatalogProduct, optionName: string): boolean {
  return product.variants.some((v) => variantOptionValue(v, optionName) !== undefined);
}

/** Short human label for a variant: its option values, or its title. */
export function variantLabel(variant: CatalogVariant, onlyOptions?: string[], separator = " / "): string {
  const entries = Object.entries(variant.options).filter(
    ([name, value]) =>
      value &&
      value.toLowerCase() !== "default title" &&
      (!onlyOptions || onlyOptions.some((o) => o.toLowerCase() === name.toLowerCase())),
  );
  if (entries.length === 0) return !onlyOptions && variant.title && variant.title !== "Default Title" ? variant.title : "";
  return entries.map(([, v]) => v).join(separator);
}
