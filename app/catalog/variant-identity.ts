/**
 * Which option values make one variant, for sources that carry no Shopify variant id
 * (product CSVs). Identity is the values the merchant wrote, position by position;
 * two rows collide only when Shopify itself would call them the same variant: the same
 * value in every option once surrounding spaces are trimmed, canonically equivalent
 * Unicode is composed alike, and letter case is ignored (docs/decisions/015).
 * Punctuation, symbols and letters of any script always count: "Galaxy S20" and
 * "Galaxy S20+" are two variants, as are "Black/Ivory" and "Black, Ivory".
 */
import { createHash } from "node:crypto";
import { slugify } from "./slug";

/** The comparison key: equal keys are the same variant of one product. */
export function variantIdentityKey(values: readonly string[]): string {
  const folded = values.map((v) => v.trim().normalize("NFC").toLowerCase());
  while (folded.length > 0 && folded[folded.length - 1] === "") folded.pop();
  return JSON.stringify(folded);
}

/**
 * A stable id for the variant of `handle` with these option values (one per option
 * position, "" where the row leaves it empty). Values that are single ASCII words keep
 * the readable id earlier versions wrote ("alpine-shell:m-tall"), so existing indexes
 * keep their ids; any other values get the slug for readers plus a hash of the
 * identity key, which no two distinct variants share.
 */
export function variantIdFor(handle: string, values: readonly string[]): string {
  const trimmed = values.map((v) => v.trim());
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === "") trimmed.pop();
  const readable = slugify(trimmed.filter(Boolean).join(" "));
  // The readable id alone is unambiguous only for one value of plain words, or several
  // values of one word each with none left empty before the last.
  const plain =
    trimmed.length === 0 ||
    (trimmed.length === 1 && /^[A-Za-z0-9]+( [A-Za-z0-9]+)*$/.test(trimmed[0])) ||
    trimmed.every((v) => /^[A-Za-z0-9]+$/.test(v));
  if (plain) return `${handle}:${readable || "default"}`;
  const hash = createHash("sha256").update(variantIdentityKey(trimmed)).digest("hex").slice(0, 12);
  return `${handle}:${readable || "variant"}~${hash}`;
}
