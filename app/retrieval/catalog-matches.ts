/**
 * Catalog-wide answers read from the catalog itself, not from the top search
 * hits: every product meeting a listing question's constraints, and the products
 * that complement the one in view. Pure; the caller passes the shop's visible
 * products.
 */
import type { CatalogProduct, CatalogVariant } from "../catalog/types";
import { contentTokens, stem, tokenize } from "./text";
import type { QueryUnderstanding } from "./understand-query";
import { matchingVariants, variantsMeetingHeld } from "./product-match";

export interface CatalogMatch {
  product: CatalogProduct;
  /** The variants that meet the constraints (every variant when none apply). */
  variants: CatalogVariant[];
}

export interface ValueRule {
  /**
   * "all": every wanted value must be one of the product's own option values (a listing: a dress
   * without size 8 is not a dress in size 8). "held": a value constrains a product only when that
   * product offers it (a complement: a scarf has no sizes, so "size 8" does not rule it out).
   */
  values: "all" | "held";
}

/**
 * The variants of a product that meet the stock, price and value constraints. Values are met by
 * the product's own options, whatever they are called (`product-match.ts`).
 */
export function variantsMeeting(product: CatalogProduct, u: QueryUnderstanding, rule: ValueRule): CatalogVariant[] {
  const c = u.constraints;
  const wishes = { values: c.values, inStock: c.inStock, priceMax: c.priceMax, priceMin: c.priceMin };
  return rule.values === "all" ? matchingVariants(product, wishes) : variantsMeetingHeld(product, wishes);
}

// Words of a listing question that are not product attributes, in every widget language.
const LISTING_FILLER = new Set(
  (
    "which what all every list show many much how your you our we have has sell carry buy order get can could would right now today currently " +
    "available availability stock size sizes price prices under below over above less more than cheaper between and from up max maximum " +
    "least most budget product products item items thing things store shop dollar dollars euro euros pound pounds usd eur gbp " +
    "welche welcher welches welchen alle allen zeig zeige zeigen mir ihr ihre habt haben gibt es kann ich kaufen jetzt sofort heute größe größen groesse " +
    "lager vorrätig verfügbar unter über bis preis produkt produkte artikel in im der die das den dem ein eine und oder mit von für " +
    "quels quelles quel quelle tous toutes les des vous avez je peux acheter maintenant taille tailles stock moins plus de prix produit produits article articles en le la un une et ou avec pour " +
    "cuáles cuales qué que todos todas los las tienen tenéis puedo comprar ahora talla tallas menos más precio producto productos artículo artículos el y o con para por " +
    "welke alle hebben jullie kan ik kopen nu vandaag maat maten voorraad onder boven prijs product producten artikel artikelen een het de en of met voor van " +
    // Asking words: "can I", "puis-je", "kann ich", "¿puedo?", "kan ik", "I'm looking for".
    "need looking look want wanted find puis peux pouvez je moi nous cherche voudrais kann können könnte möchte suche ich wir uns puedo puede quiero busco yo kunnen wil zoek mij wij gerade moment ce cette mismo"
  )
    .split(/\s+/)
    .map(stem),
);

/** What a product is, as the merchant labelled it: title, type, tags, collections, vendor, category, filled-in facts. */
function attributeTokens(p: CatalogProduct): Set<string> {
  const text = [p.title, p.productType, p.vendor, p.category ?? "", ...p.tags, ...p.collections, ...p.metafields.map((m) => m.value)].join(" \n ");
  return new Set(contentTokens(text));
}

/**
 * What listings and complements read of every product, worked out once per catalog snapshot:
 * labels and the shop's whole label vocabulary (listings), complement features and how common
 * each is (complements), each on first use. Keyed by the products array itself, so a catalog
 * that hands out the same array until it changes (memory-catalog.ts, db-catalog.ts) pays for
 * this once per change, and a new array (after any write) is read afresh. Callers never mutate
 * a snapshot.
 */
interface ListingFacts {
  labels: Set<string>[];
  known: Set<string>;
}
interface ComplementFacts {
  features: Set<string>[];
  categories: string[][];
  /** Product types as compared (`sameType`). */
  types: string[];
  /** Feature -> the positions of the products that have it. */
  postings: Map<string, number[]>;
  position: Map<CatalogProduct, number>;
}

const listingFacts = new WeakMap<readonly CatalogProduct[], ListingFacts>();
const complementFacts = new WeakMap<readonly CatalogProduct[], ComplementFacts>();

function listingFactsOf(products: readonly CatalogProduct[]): ListingFacts {
  let facts = listingFacts.get(products);
  if (!facts) {
    const labels = products.map(attributeTokens);
    const known = new Set<string>();
    for (const set of labels) for (const t of set) known.add(t);
    facts = { labels, known };
    listingFacts.set(products, facts);
  }
  return facts;
}

function complementFactsOf(products: readonly CatalogProduct[]): ComplementFacts {
  let facts = complementFacts.get(products);
  if (!facts) {
    const features = products.map(complementFeatures);
    const postings = new Map<string, number[]>();
    features.forEach((set, i) => {
      for (const f of set) {
        const list = postings.get(f);
        if (list) list.push(i);
        else postings.set(f, [i]);
      }
    });
    facts = { features, categories: products.map(categoryPath), types: products.map((p) => typeKey(p.productType)), postings, position: new Map(products.map((p, i) => [p, i])) };
    complementFacts.set(products, facts);
  }
  return facts;
}

/**
 * Words of the question that name an attribute ("waterproof", "linen"): what is left after the
 * constraints already read, kept only when some product of the shop is labelled with it. A
 * description is not a label ("showerproof rather than fully waterproof" is no waterproof claim).
 */
export function attributeWords(question: string, u: QueryUnderstanding, products: readonly CatalogProduct[]): string[] {
  const { known } = listingFactsOf(products);
  const consumed = new Set([
    ...contentTokens(u.constraints.productType ?? ""),
    ...u.constraints.values.flatMap((w) => contentTokens(w.value)),
  ]);
  // One- and two-letter words ("à", "en", "zu") are grammar in some language, never a label worth requiring.
  const words = contentTokens(question).filter((t) => t.length > 2 && !/^\d/.test(t) && !LISTING_FILLER.has(t) && !consumed.has(t) && known.has(t));
  return [...new Set(words)];
}

/** The default collation, as `localeCompare` without arguments, made once. */
const collator = new Intl.Collator();

function typeKey(type: string): string {
  return type.trim().toLowerCase();
}

function sameType(a: string, b: string): boolean {
  return typeKey(a) === typeKey(b);
}

/** Listing order: products with something in stock first, then by title; deterministic for any catalog. */
function byStockThenTitle(a: CatalogMatch, b: CatalogMatch): number {
  const sa = a.variants.some((v) => v.available) ? 0 : 1;
  const sb = b.variants.some((v) => v.available) ? 0 : 1;
  return sa - sb || collator.compare(a.product.title, b.product.title) || collator.compare(a.product.handle, b.product.handle);
}

/** Every product of the catalog that meets a listing question's constraints. */
export function listingMatches(products: readonly CatalogProduct[], u: QueryUnderstanding, question: string): CatalogMatch[] {
  const { labels } = listingFactsOf(products);
  const words = attributeWords(question, u, products);
  const type = u.constraints.productType;
  const out: CatalogMatch[] = [];
  products.forEach((product, i) => {
    if (type && !sameType(product.productType, type)) return;
    if (!words.every((w) => labels[i].has(w))) return;
    const variants = variantsMeeting(product, u, { values: "all" });
    if (variants.length === 0) return;
    out.push({ product, variants });
  });
  return out.sort(byStockThenTitle);
}

/** Product ids or handles the merchant set as complementary (Search & Discovery), resolved in their order. */
function merchantComplements(inView: CatalogProduct, products: readonly CatalogProduct[]): CatalogProduct[] {
  const refs = inView.complementaryProducts ?? [];
  const out: CatalogProduct[] = [];
  for (const ref of refs) {
    const hit = products.find((p) => p.id === ref || p.handle === ref);
    if (hit && hit.handle !== inView.handle && !out.includes(hit)) out.push(hit);
  }
  return out;
}

/** "Apparel > Clothing > Dresses" -> ["apparel", "apparel > clothing", "apparel > clothing > dresses"]. */
function categoryPath(p: CatalogProduct): string[] {
  const parts = (p.category ?? "").split(">").map((x) => x.trim().toLowerCase()).filter(Boolean);
  return parts.map((_, i) => parts.slice(0, i + 1).join(" > "));
}

/** Values that describe a look (colour, material, finish): non-size option values of the product in view. */
function styleCues(p: CatalogProduct): Set<string> {
  const out = new Set<string>();
  for (const v of p.variants) {
    for (const value of Object.values(v.options)) {
      if (!value || /\d/.test(value) || /^default title$/i.test(value)) continue;
      for (const t of tokenize(value)) if (t.length > 2) out.add(stem(t));
    }
  }
  return out;
}

/** What a product shares with others in a complement: collections, tags, vendor, category levels, style cues. */
function complementFeatures(p: CatalogProduct): Set<string> {
  return new Set([
    ...p.collections.map((c) => `c:${c.toLowerCase()}`),
    ...p.tags.map((t) => `t:${t.toLowerCase()}`),
    ...(p.vendor ? [`v:${p.vendor.toLowerCase()}`] : []),
    ...categoryPath(p).map((k) => `k:${k}`),
    ...[...styleCues(p)].map((s) => `s:${s}`),
  ]);
}

/**
 * Products of other types that go with the one in view. The merchant's own complementary
 * products come first and alone when set; otherwise candidates are scored by what they share
 * with it (collections, tags, vendor, colour and material cues), each shared label weighted by
 * how rare it is in the shop, so "All products" or a tag on everything decides nothing.
 * With a `limit`, stock and values are checked only until that many picks are found.
 */
export function complementMatches(products: readonly CatalogProduct[], inView: CatalogProduct, u: QueryUnderstanding, limit = Infinity): CatalogMatch[] {
  const meets = (product: CatalogProduct): CatalogMatch | null => {
    const variants = variantsMeeting(product, u, { values: "held" });
    // Never recommend what cannot be bought.
    const buyable = variants.filter((v) => v.available);
    return buyable.length > 0 ? { product, variants: buyable } : null;
  };
  // Stock and values are checked only on candidates in order, until `limit` meet them.
  const firstMeeting = (candidates: CatalogProduct[]): CatalogMatch[] => {
    const out: CatalogMatch[] = [];
    for (const product of candidates) {
      if (out.length >= limit) break;
      const match = meets(product);
      if (match) out.push(match);
    }
    return out;
  };
  const own = merchantComplements(inView, products);
  if (own.length > 0) return firstMeeting(own);

  const { features: featureSets, postings, position, categories, types } = complementFactsOf(products);
  const at = position.get(inView);
  const mine = at !== undefined ? featureSets[at] : complementFeatures(inView);
  const n = Math.max(products.length, 1);
  const mineCategory = at !== undefined ? categories[at] : categoryPath(inView);
  // What each product shares with the one in view, read from the products that have each of its features.
  const scores = new Float64Array(products.length);
  const labelled = new Uint8Array(products.length);
  for (const f of mine) {
    const holders = postings.get(f);
    if (!holders) continue;
    const share = holders.length / n;
    if (share > 0.5) continue;
    const weight = Math.log(1 / share) * (f.startsWith("s:") ? 0.5 : 1);
    // A colour alone does not make a pair: a shared label (collection, tag, vendor, category) must too.
    const label = !f.startsWith("s:");
    for (const i of holders) {
      scores[i] += weight;
      if (label) labelled[i] = 1;
    }
  }
  const inViewType = typeKey(inView.productType);
  const scored: { product: CatalogProduct; score: number }[] = [];
  const unscored: CatalogProduct[] = [];
  const elsewhere: CatalogProduct[] = [];
  products.forEach((product, i) => {
    if (product.handle === inView.handle) return;
    // Another of the same kind is an alternative, not a complement; one of no stated kind may be either.
    if (inView.productType && (!types[i] || types[i] === inViewType)) return;
    const theirCategory = categories[i];
    let otherDepartment = false;
    if (mineCategory.length > 0 && theirCategory.length > 0) {
      // The same kind (same category leaf) is an alternative. The leaf decides the kind only when the merchant
      // set no product type (types are finer than many stores' categories).
      if (!inView.productType && mineCategory.at(-1) === theirCategory.at(-1)) return;
      // Another department (a cushion for a dress) comes only when nothing in the same one can be bought.
      otherDepartment = mineCategory[0] !== theirCategory[0];
    }
    if (otherDepartment) elsewhere.push(product);
    else if (labelled[i] && scores[i] > 0) scored.push({ product, score: scores[i] });
    else unscored.push(product);
  });
  const byTitle = (a: CatalogProduct, b: CatalogProduct) => collator.compare(a.title, b.title);
  const picks = firstMeeting(scored.sort((a, b) => b.score - a.score || byTitle(a.product, b.product)).map((s) => s.product));
  if (picks.length > 0) return picks;
  // Nothing shares a label with it: other kinds of product that can be bought are still better than no answer.
  const others = firstMeeting(unscored.sort(byTitle));
  return others.length > 0 ? others : firstMeeting(elsewhere.sort(byTitle));
}
