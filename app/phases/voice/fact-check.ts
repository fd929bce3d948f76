/**
 * Claims in copy that the product's facts do not back: numbers, sizes, materials,
 * colours, prices and day counts. Used twice: on the merchant's copy before training
 * (an example that states what its facts lack teaches invention) and on generated copy
 * before adoption and publishing (an unbacked claim fails the product).
 *
 * Prices, day counts and explicit sizes are read by the phase 1 answer validator's own
 * readers, in every language the assistant answers in. Materials and colours are words,
 * so they are read from a lexicon in those languages; a script the lexicon lacks still
 * has its numbers checked.
 */
import { htmlToText } from "../../catalog/html-to-text";
import type { CatalogProduct } from "../../catalog/types";
import { extractMoneyAmounts, sameAmount } from "../../answering/money";
import { dayCounts, explicitSizeClaims } from "../../answering/validate-answer";
import { containsPhrase, escapeRegExp, splitSentences } from "../../retrieval/text";
import { optionValueMatches } from "../../retrieval/variant-match";
import { productFactLines } from "./product-facts";
import type { UnbackedClaim } from "./types";

const MATERIALS = [
  // en
  "cotton", "organic cotton", "linen", "wool", "merino", "cashmere", "alpaca", "mohair", "silk", "leather", "suede", "denim", "polyester",
  "nylon", "polyamide", "elastane", "spandex", "lycra", "viscose", "rayon", "modal", "lyocell", "tencel", "bamboo", "hemp", "acrylic",
  "fleece", "velvet", "satin", "chiffon", "lace", "canvas", "oak", "walnut", "teak", "pine", "beech", "birch", "mahogany",
  "rattan", "wicker", "stainless steel", "steel", "aluminium", "aluminum", "iron", "brass", "copper", "gold", "silver", "sterling silver",
  "platinum", "titanium", "glass", "ceramic", "porcelain", "stoneware", "terracotta", "marble", "granite", "concrete", "plastic",
  "silicone", "rubber", "latex", "cork", "resin", "neoprene", "gore-tex",
  // de
  "Baumwolle", "Bio-Baumwolle", "Leinen", "Wolle", "Seide", "Leder", "Wildleder", "Kaschmir", "Holz", "Eiche", "Nussbaum", "Buche",
  "Glas", "Keramik", "Porzellan", "Edelstahl", "Stahl", "Messing", "Kupfer", "Kunststoff", "Gummi", "Marmor", "Beton",
  // fr
  "coton", "lin", "laine", "soie", "cuir", "daim", "cachemire", "bois", "chêne", "noyer", "hêtre", "verre", "céramique", "porcelaine",
  "acier", "acier inoxydable", "laiton", "cuivre", "plastique", "caoutchouc", "marbre", "béton", "rotin", "osier",
  // es
  "algodón", "lino", "lana", "seda", "cuero", "piel", "gamuza", "madera", "roble", "nogal", "vidrio", "cerámica", "porcelana", "acero",
  "acero inoxidable", "latón", "cobre", "plástico", "caucho", "mármol", "hormigón", "mimbre", "ratán",
  // nl
  "katoen", "linnen", "wol", "zijde", "leer", "suède", "hout", "eiken", "walnoot", "keramiek", "porselein", "staal", "roestvrij staal",
  "messing", "koper", "kunststof", "rubber", "marmer", "beton", "riet",
];

const COLOURS = [
  "black", "white", "red", "blue", "navy", "green", "olive", "yellow", "orange", "pink", "purple", "violet", "brown", "beige", "grey",
  "gray", "ivory", "cream", "burgundy", "maroon", "teal", "turquoise", "khaki", "charcoal", "lilac", "coral", "mustard",
  "schwarz", "weiß", "weiss", "rot", "blau", "grün", "gelb", "rosa", "lila", "braun", "grau",
  "noir", "noire", "blanc", "blanche", "rouge", "bleu", "bleue", "vert", "verte", "jaune", "rose", "marron", "gris", "grise",
  "negro", "negra", "blanco", "blanca", "rojo", "roja", "azul", "verde", "amarillo", "amarilla", "rosado", "morado", "marrón",
  "zwart", "rood", "blauw", "groen", "geel", "roze", "paars", "bruin", "grijs",
];

// A number as written: "12", "1.5", "1,5", "3/4", "7 3/8". Prices and day counts are read separately.
const NUMBER = /(?<![\p{L}\p{N}.,/])\d+(?:[.,]\d+)?(?:\/\d+)?(?![\p{N}])/gu;

function normalizeNumber(raw: string): string {
  return raw.replace(",", ".").replace(/^0+(?=\d)/, "").replace(/\.0+$/, "");
}

/** Every number the facts contain, normalized ("1,5" and "1.5" are one). */
function numbersIn(text: string): Set<string> {
  return new Set([...text.matchAll(NUMBER)].map((m) => normalizeNumber(m[0])));
}

function lexiconPattern(words: string[]): RegExp {
  const sorted = [...new Set(words)].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}-])(?:${sorted.join("|")})(?![\\p{L}\\p{N}-])`, "giu");
}
const MATERIAL_WORDS = lexiconPattern(MATERIALS);
const COLOUR_WORDS = lexiconPattern(COLOURS);

export interface FactBasis {
  /** Every fact as one text (lower weight than option values for sizes). */
  text: string;
  optionValues: string[];
  prices: number[];
}

/** What the copy may state about a product: its facts, plus its variants' prices. */
export function factBasisOf(product: CatalogProduct): FactBasis {
  return {
    text: productFactLines(product).join("\n"),
    optionValues: [...new Set(product.options.flatMap((o) => o.values))],
    prices: product.variants.flatMap((v) => [v.price, ...(v.compareAtPrice !== null ? [v.compareAtPrice] : [])]),
  };
}

function sentenceOf(sentences: string[], needle: string): string {
  return sentences.find((s) => s.includes(needle)) ?? needle;
}

/** The claims in `copy` (HTML or text) that `basis` does not back, each once. */
export function findUnbackedClaims(copy: string, basis: FactBasis): UnbackedClaim[] {
  const text = htmlToText(copy);
  const sentences = splitSentences(text);
  const claims: UnbackedClaim[] = [];
  const seen = new Set<string>();
  const add = (kind: UnbackedClaim["kind"], value: string) => {
    const key = `${kind}:${value.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    claims.push({ kind, text: value, sentence: sentenceOf(sentences, value) });
  };
  const covered: string[] = [];

  // Prices: a variant's price or compare-at price, or an amount the facts state.
  const factPrices = extractMoneyAmounts(basis.text);
  const moneyRe = /(?:US\$|CA\$|A\$|\$|€|£|¥|₹|Rs\.?\s?)\s?\d[\d.,\s]*|\d[\d.,]*\s?(?:€|£|\$|USD|EUR|GBP|INR)/g;
  for (const m of text.matchAll(moneyRe)) {
    covered.push(m[0]);
    for (const amount of extractMoneyAmounts(m[0])) {
      if (!basis.prices.some((p) => sameAmount(p, amount)) && !factPrices.some((p) => sameAmount(p, amount))) add("price", m[0].trim());
    }
  }

  // Day counts ("30 days", "14 Tage").
  const factDays = new Set(dayCounts(basis.text));
  for (const n of dayCounts(text)) if (!factDays.has(n)) add("day_count", String(n));

  // Sizes stated as sizes ("size 12", "taille M").
  for (const size of explicitSizeClaims(text)) {
    const backed = basis.optionValues.some((v) => optionValueMatches(v, size)) || containsPhrase(basis.text, size);
    if (!backed) add("size", size);
  }

  // Any other number: a dimension, a count, a weight, a year.
  const allowed = numbersIn(basis.text);
  for (const p of basis.prices) allowed.add(normalizeNumber(String(p)));
  for (const m of text.matchAll(NUMBER)) {
    const n = normalizeNumber(m[0]);
    if (allowed.has(n)) continue;
    if (covered.some((c) => c.includes(m[0]))) continue;
    if (claims.some((c) => c.text === m[0] || c.text === n)) continue;
    add("number", m[0]);
  }

  for (const m of text.matchAll(MATERIAL_WORDS)) if (!containsPhrase(basis.text, m[0])) add("material", m[0]);
  for (const m of text.matchAll(COLOUR_WORDS)) if (!containsPhrase(basis.text, m[0])) add("colour", m[0]);
  return claims;
}

/** A claim in words a merchant reads: "“organic cotton” (a material) is not in the product's facts". */
export function describeClaim(claim: UnbackedClaim): string {
  const kind = { number: "a number", size: "a size", material: "a material", colour: "a colour", price: "a price", day_count: "a day count" }[claim.kind];
  return `“${claim.text}” (${kind}) is not in the product's facts`;
}
