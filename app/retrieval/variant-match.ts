/**
 * Labels and value comparison for variants. Which variants meet what a shopper
 * asked lives in `product-match.ts`. Pure.
 */
import type { CatalogVariant } from "../catalog/types";
import { comparableValue, compareValue } from "./product-match";

export { isSizeOptionName } from "./product-match";

/** Canonical form of an option value for comparison: NFKC, case folded, English size words as codes. */
export function canonicalValue(value: string): string {
  return comparableValue(value);
}

/**
 * True when the wanted value names the variant's value: equal after folding, or
 * every wanted word is one of the value's words ("Tall" matches "M Tall", "8"
 * matches "UK 8 / EU 36", "medium" matches "M"); "S20" never matches "S20+".
 */
export function optionValueMatches(variantValue: string, wanted: string): boolean {
  return compareValue(variantValue, wanted) !== "none";
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
