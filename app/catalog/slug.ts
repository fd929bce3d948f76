/**
 * URL-safe slug: lower case, Latin accents folded, anything but a letter or digit
 * becomes a single dash. Letters of every script are kept (as Shopify's handles and
 * Markdown heading anchors keep them), so a Hebrew or Arabic title has a slug too.
 */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/&/g, " and ")
    // "Women's" -> "womens", as Markdown renderers do for heading anchors.
    .replace(/['’]/g, "")
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}
