/**
 * Questions with ground truth for any store, in every widget language: each
 * option a sampled product has (values it comes in and values it does not, asked
 * from its page and by name), stock per variant, listings over the whole catalog
 * ("which <type> in <value> right now", price caps), complementary picks with a
 * stock constraint, return and shipping windows, prices and comparisons.
 *
 * Generic on purpose: option names, values, product types and scripts are taken
 * as the merchant wrote them; nothing is keyed on a store, an option name or a
 * language's word list. Ground truth is computed here from the catalog facts,
 * never by the answering code. Sampling uses a fixed seed. Pure.
 */
import type { CatalogPolicy, CatalogProduct } from "../catalog/types";
import { extractMoneyAmounts, formatPrice } from "../answering/money";
import { createRandom } from "./synthetic-catalog";

export const WIDGET_LOCALES = ["en", "de", "fr", "es", "nl"] as const;
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];
/** The widget languages besides English: listings and recommendations are asked in English and one of these, in turn. */
const OTHER_LOCALES = WIDGET_LOCALES.filter((l) => l !== "en");

export type AnyStoreQuestionKind =
  | "option_yes"
  | "option_no"
  | "variant_stock"
  | "listing"
  | "listing_price"
  | "complementary"
  | "complementary_unseen"
  | "policy_returns"
  | "policy_shipping"
  | "price"
  | "comparison";

export interface AnyStoreQuestion {
  id: string;
  kind: AnyStoreQuestionKind;
  locale: WidgetLocale;
  question: string;
  /** The product page the shopper is on, when asked from one. */
  productHandle?: string;
  expected: {
    /** The product the answer must be about (and show a card for). */
    productHandle?: string;
    /** Option values that pick the asked variants (all must hold on one variant). */
    values?: string[];
    comesIn?: boolean;
    inStock?: boolean;
    price?: number;
    /** Listing: the full set of handles meeting the constraints. */
    handles?: string[];
    /** Complementary: the value a recommended product must have in stock when it offers it. */
    inStockValue?: string;
    /** Comparison: both products. */
    compared?: [string, string];
    /** Policy: any of these numbers answers it. */
    numbers?: number[];
    policyType?: CatalogPolicy["type"];
  };
}

export interface AnyStoreQuestionOptions {
  /** Products asked about per store (default 6). */
  products?: number;
  /** Values asked per option name and product (default 2). */
  valuesPerOption?: number;
  seed?: number;
  /** Currency for price caps written in questions. */
  currency?: string;
}

interface Phrases {
  comesInHere: (value: string) => string;
  comesInNamed: (title: string, value: string) => string;
  stockHere: (values: string) => string;
  stockNamed: (title: string, values: string) => string;
  price: string;
  compare: (a: string, b: string) => string;
  listing: (type: string, value: string) => string;
  listingPrice: (type: string, cap: string) => string;
  complement: (type: string, value: string) => string;
  returns: string;
  shipping: string;
  /** Used for listings when the store sets no product types. */
  products: string;
}

// How a shopper would phrase each intent in each widget language. Values and titles are inserted as the store writes them.
export const PHRASES: Record<WidgetLocale, Phrases> = {
  en: {
    comesInHere: (v) => `Does this come in ${v}?`,
    comesInNamed: (t, v) => `Does the ${t} come in ${v}?`,
    stockHere: (v) => `Is this in stock in ${v}?`,
    stockNamed: (t, v) => `Is the ${t} in stock in ${v}?`,
    price: "How much does this cost?",
    compare: (a, b) => `What is the difference between the ${a} and the ${b}?`,
    listing: (t, v) => `Which ${t} do you have in ${v} right now?`,
    listingPrice: (t, c) => `Which ${t} under ${c} can I buy right now?`,
    complement: (t, v) => `What goes with this ${t} that's in stock in ${v}?`,
    returns: "How many days do I have to return an item?",
    shipping: "How long does shipping take?",
    products: "products",
  },
  de: {
    comesInHere: (v) => `Gibt es das in ${v}?`,
    comesInNamed: (t, v) => `Gibt es ${t} in ${v}?`,
    stockHere: (v) => `Ist das in ${v} auf Lager?`,
    stockNamed: (t, v) => `Ist ${t} in ${v} auf Lager?`,
    price: "Wie viel kostet das?",
    compare: (a, b) => `Was ist der Unterschied zwischen ${a} und ${b}?`,
    listing: (t, v) => `Welche ${t} haben Sie gerade in ${v}?`,
    listingPrice: (t, c) => `Welche ${t} unter ${c} kann ich jetzt kaufen?`,
    complement: (t, v) => `Was passt zu diesem ${t} und ist in ${v} auf Lager?`,
    returns: "Wie viele Tage habe ich Zeit, einen Artikel zurückzugeben?",
    shipping: "Wie lange dauert der Versand?",
    products: "Produkte",
  },
  fr: {
    comesInHere: (v) => `Est-ce que ça existe en ${v} ?`,
    comesInNamed: (t, v) => `Est-ce que ${t} existe en ${v} ?`,
    stockHere: (v) => `Est-ce en stock en ${v} ?`,
    stockNamed: (t, v) => `Est-ce que ${t} est en stock en ${v} ?`,
    price: "Combien ça coûte ?",
    compare: (a, b) => `Quelle est la différence entre ${a} et ${b} ?`,
    listing: (t, v) => `Quels ${t} avez-vous en ${v} en ce moment ?`,
    listingPrice: (t, c) => `Quels ${t} à moins de ${c} puis-je acheter maintenant ?`,
    complement: (t, v) => `Qu'est-ce qui va avec ce ${t} et qui est en stock en ${v} ?`,
    returns: "Combien de jours ai-je pour retourner un article ?",
    shipping: "Combien de temps prend la livraison ?",
    products: "produits",
  },
  es: {
    comesInHere: (v) => `¿Viene en ${v}?`,
    comesInNamed: (t, v) => `¿El ${t} viene en ${v}?`,
    stockHere: (v) => `¿Hay stock en ${v}?`,
    stockNamed: (t, v) => `¿Hay stock del ${t} en ${v}?`,
    price: "¿Cuánto cuesta?",
    compare: (a, b) => `¿Cuál es la diferencia entre ${a} y ${b}?`,
    listing: (t, v) => `¿Qué ${t} tienen en ${v} ahora mismo?`,
    listingPrice: (t, c) => `¿Qué ${t} por menos de ${c} puedo comprar ahora?`,
    complement: (t, v) => `¿Qué combina con este ${t} y está en stock en ${v}?`,
    returns: "¿Cuántos días tengo para devolver un artículo?",
    shipping: "¿Cuánto tarda el envío?",
    products: "productos",
  },
  nl: {
    comesInHere: (v) => `Is dit verkrijgbaar in ${v}?`,
    comesInNamed: (t, v) => `Is ${t} verkrijgbaar in ${v}?`,
    stockHere: (v) => `Is dit op voorraad in ${v}?`,
    stockNamed: (t, v) => `Is ${t} op voorraad in ${v}?`,
    price: "Hoeveel kost dit?",
    compare: (a, b) => `Wat is het verschil tussen ${a} en ${b}?`,
    listing: (t, v) => `Welke ${t} hebben jullie nu in ${v}?`,
    listingPrice: (t, c) => `Welke ${t} onder ${c} kan ik nu kopen?`,
    complement: (t, v) => `Wat past bij deze ${t} en is op voorraad in ${v}?`,
    returns: "Hoeveel dagen heb ik om een artikel te retourneren?",
    shipping: "Hoe lang duurt de verzending?",
    products: "producten",
  },
};

/** Unicode-normalised, case-folded, spaces collapsed: how two written values are compared. Never drops characters. */
export function foldValue(value: string): string {
  return value.normalize("NFKC").toLocaleLowerCase("und").replace(/\s+/g, " ").trim();
}

/** Word tokens of a value in any script (letters, marks and digits). */
export function valueWords(value: string): string[] {
  return foldValue(value).match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** The wanted value names the held one: equal, or every wanted word is one of its words ("Tall" in "M Tall"). */
export function valueNames(held: string, wanted: string): boolean {
  if (foldValue(held) === foldValue(wanted)) return true;
  const have = new Set(valueWords(held));
  const want = valueWords(wanted);
  return want.length > 0 && want.every((w) => have.has(w));
}

export function isVisible(p: CatalogProduct): boolean {
  return p.status === "active" && p.published && p.variants.length > 0;
}

/** Shopify's placeholder for a product without options ("Title: Default Title") is not an option a shopper picks. */
function isPlaceholderOption(name: string, values: string[]): boolean {
  return values.length === 1 && /^default title$/i.test(values[0]) && /^title$/i.test(name);
}

/** Option name -> the values its variants hold, in first-seen order. */
export function optionValuesOf(p: CatalogProduct): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of p.variants) {
    for (const [name, value] of Object.entries(v.options)) {
      if (!value) continue;
      const list = out.get(name) ?? out.set(name, []).get(name)!;
      if (!list.some((x) => foldValue(x) === foldValue(value))) list.push(value);
    }
  }
  for (const [name, values] of out) if (isPlaceholderOption(name, values)) out.delete(name);
  return out;
}

function allValues(p: CatalogProduct): string[] {
  return [...optionValuesOf(p).values()].flat();
}

/**
 * A value a shopper could type: short, with at least one letter or digit, and not written as an amount of money
 * (a "$7.75" option value, as on a shipping-insurance product, would read as a price cap, not as an option).
 */
function askable(value: string): boolean {
  return value.length <= 40 && valueWords(value).length > 0 && !/^default title$/i.test(value) && extractMoneyAmounts(value).length === 0;
}

/** Does some variant hold every value (each on any of its options)? With `available`, only in-stock variants count. */
export function variantsWith(p: CatalogProduct, values: string[], availableOnly = false) {
  return p.variants.filter((v) => (!availableOnly || v.available) && values.every((w) => Object.values(v.options).some((held) => valueNames(held, w))));
}

function sameType(a: string, b: string): boolean {
  return foldValue(a) === foldValue(b);
}

function pick<T>(items: T[], n: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

/** A value is unambiguous in a set when no other value in it contains all its words ("M" vs "M Tall"). */
function unambiguous(value: string, among: string[]): boolean {
  return !among.some((other) => foldValue(other) !== foldValue(value) && valueNames(other, value));
}

/** The title as a shopper would name it: unique in the store and not a bare value. */
function nameable(p: CatalogProduct, titleCounts: Map<string, number>): boolean {
  return (titleCounts.get(foldValue(p.title)) ?? 0) === 1 && p.title.length >= 4 && p.title.length <= 80;
}

export function generateAnyStoreQuestions(
  batch: { products: CatalogProduct[]; policies: CatalogPolicy[] },
  options: AnyStoreQuestionOptions = {},
): AnyStoreQuestion[] {
  const random = createRandom(options.seed ?? 20261203);
  const products = batch.products.filter(isVisible);
  const out: AnyStoreQuestion[] = [];
  const titleCounts = new Map<string, number>();
  for (const p of products) titleCounts.set(foldValue(p.title), (titleCounts.get(foldValue(p.title)) ?? 0) + 1);
  const storeValues = [...new Set(products.flatMap(allValues).filter(askable))];
  const withOptions = products.filter((p) => optionValuesOf(p).size > 0);
  // Products with options first (they carry most question types), then the rest, so small or option-less stores still get asked.
  const count = options.products ?? 6;
  const chosen = pick(withOptions, count, random);
  chosen.push(...pick(products.filter((p) => !withOptions.includes(p)), count - chosen.length, random));
  const perOption = options.valuesPerOption ?? 2;
  const locales = WIDGET_LOCALES;

  chosen.forEach((p, index) => {
    const locale = locales[index % locales.length];
    const phrases = PHRASES[locale];
    const named = nameable(p, titleCounts);
    const mine = allValues(p);
    // Every option name, a sample of its values: asked from the page and (when the title names it) by name.
    for (const [name, values] of optionValuesOf(p)) {
      const askableValues = values.filter(askable);
      for (const value of pick(askableValues, perOption, random)) {
        const expected = { productHandle: p.handle, values: [value], comesIn: true };
        out.push({ id: `${p.handle}:${name}:${value}:here`, kind: "option_yes", locale: "en", question: PHRASES.en.comesInHere(value), productHandle: p.handle, expected });
        if (named) out.push({ id: `${p.handle}:${name}:${value}:named`, kind: "option_yes", locale: "en", question: PHRASES.en.comesInNamed(p.title, value), expected });
        if (locale !== "en") out.push({ id: `${p.handle}:${name}:${value}:${locale}`, kind: "option_yes", locale, question: phrases.comesInHere(value), productHandle: p.handle, expected });
      }
    }
    // Values the store uses elsewhere that this product does not come in (under any of its options or in its title).
    const absent = storeValues.filter((v) => !mine.some((m) => valueNames(m, v) || valueNames(v, m)) && !valueWords(p.title).some((w) => valueWords(v).includes(w)));
    for (const value of pick(absent, 1, random)) {
      const expected = { productHandle: p.handle, values: [value], comesIn: false };
      out.push({ id: `${p.handle}:no:${value}:here`, kind: "option_no", locale: "en", question: PHRASES.en.comesInHere(value), productHandle: p.handle, expected });
      if (named) out.push({ id: `${p.handle}:no:${value}:named`, kind: "option_no", locale: "en", question: PHRASES.en.comesInNamed(p.title, value), expected });
      if (locale !== "en") out.push({ id: `${p.handle}:no:${value}:${locale}`, kind: "option_no", locale, question: phrases.comesInHere(value), productHandle: p.handle, expected });
    }
    // Availability per variant: one in stock and one sold out when both exist, named by all its option values.
    const optionNames = [...optionValuesOf(p).keys()];
    if (optionNames.length > 0) {
      const inStock = p.variants.filter((v) => v.available);
      const soldOut = p.variants.filter((v) => !v.available);
      for (const v of [...pick(inStock, 1, random), ...pick(soldOut, 1, random)]) {
        const values = optionNames.map((n) => v.options[n]).filter((x): x is string => !!x && askable(x));
        if (values.length !== optionNames.length) continue;
        // The asked values must pick variants that agree on stock, or the truth would be ambiguous.
        const picked = variantsWith(p, values);
        if (picked.some((x) => x.available !== v.available)) continue;
        const label = values.join(" / ");
        const expected = { productHandle: p.handle, values, inStock: v.available };
        const question = named ? PHRASES.en.stockNamed(p.title, label) : PHRASES.en.stockHere(label);
        out.push({ id: `${p.handle}:stock:${label}:en`, kind: "variant_stock", locale: "en", question, productHandle: named ? undefined : p.handle, expected });
        if (locale !== "en") {
          out.push({ id: `${p.handle}:stock:${label}:${locale}`, kind: "variant_stock", locale, question: phrases.stockHere(label), productHandle: p.handle, expected });
        }
      }
    }
    // Price from the product page, in the product's language slot and in English.
    const min = Math.min(...p.variants.map((v) => v.price));
    for (const loc of new Set<WidgetLocale>(["en", locale])) {
      out.push({ id: `${p.handle}:price:${loc}`, kind: "price", locale: loc, question: PHRASES[loc].price, productHandle: p.handle, expected: { productHandle: p.handle, price: min } });
    }
  });

  out.push(...comparisonQuestions(chosen, titleCounts));
  out.push(...listingQuestions(products, random, options.currency));
  out.push(...complementaryQuestions(products, chosen, random));
  out.push(...policyQuestions(batch.policies));
  return out;
}

function comparisonQuestions(chosen: CatalogProduct[], titleCounts: Map<string, number>): AnyStoreQuestion[] {
  const named = chosen.filter((p) => nameable(p, titleCounts));
  const out: AnyStoreQuestion[] = [];
  // Each pair in two languages, rotating, so three pairs cover every widget language.
  for (let i = 0; i + 1 < named.length; i += 2) {
    const [a, b] = [named[i], named[i + 1]];
    for (const locale of [WIDGET_LOCALES[i % WIDGET_LOCALES.length], WIDGET_LOCALES[(i + 1) % WIDGET_LOCALES.length]]) {
      out.push({
        id: `${a.handle}:vs:${b.handle}:${locale}`,
        kind: "comparison",
        locale,
        question: PHRASES[locale].compare(a.title, b.title),
        expected: { compared: [a.handle, b.handle] },
      });
    }
  }
  return out;
}

/** Products of a type (or all, when the store sets none) with an in-stock variant holding every value and under the cap. */
export function listingTruth(products: CatalogProduct[], type: string | undefined, values: string[], priceBelow?: number): string[] {
  return products
    .filter((p) => type === undefined || sameType(p.productType, type))
    .filter((p) => variantsWith(p, values, true).some((v) => priceBelow === undefined || v.price < priceBelow))
    .map((p) => p.handle)
    .sort();
}

function listingQuestions(products: CatalogProduct[], random: () => number, currency: string | undefined): AnyStoreQuestion[] {
  const types = [...new Set(products.map((p) => p.productType.trim()).filter(Boolean))];
  const scopes: (string | undefined)[] = types.length > 0 ? pick(types, 2, random) : [undefined];
  const out: AnyStoreQuestion[] = [];
  scopes.forEach((type, i) => {
    const scoped = products.filter((p) => type === undefined || sameType(p.productType, type));
    const values = [...new Set(scoped.flatMap(allValues).filter(askable))];
    const storeValues = [...new Set(products.flatMap(allValues))];
    const candidates = values.filter((v) => unambiguous(v, storeValues) && listingTruth(scoped, type, [v]).length > 0);
    const locale = OTHER_LOCALES[i % OTHER_LOCALES.length];
    for (const value of pick(candidates, 1, random)) {
      for (const loc of new Set<WidgetLocale>(["en", locale])) {
        const typeWord = type ?? PHRASES[loc].products;
        out.push({
          id: `listing:${typeWord}:${value}:${loc}`,
          kind: "listing",
          locale: loc,
          question: PHRASES[loc].listing(typeWord, value),
          expected: { handles: listingTruth(products, type, [value]) },
        });
      }
    }
    // A price cap between the cheapest and dearest in-stock prices of the scope, away from any exact price.
    const prices = [...new Set(scoped.flatMap((p) => p.variants.filter((v) => v.available).map((v) => v.price)))].sort((a, b) => a - b);
    if (prices.length >= 2) {
      const middle = prices[Math.floor(prices.length / 2)];
      // "Under" a price some variant has exactly would leave the truth to how "under" is read: step past every such price.
      let cap = Math.ceil(middle);
      while (prices.includes(cap)) cap++;
      for (const loc of new Set<WidgetLocale>(["en", OTHER_LOCALES[(i + 1) % OTHER_LOCALES.length]])) {
        const written = currency ? formatPrice(cap, currency, loc).replace(/[.,]00(?=\D*$)/, "") : String(cap);
        const typeWord = type ?? PHRASES[loc].products;
        out.push({
          id: `listing-price:${typeWord}:${cap}:${loc}`,
          kind: "listing_price",
          locale: loc,
          question: PHRASES[loc].listingPrice(typeWord, written),
          expected: { handles: listingTruth(products, type, [], cap) },
        });
      }
    }
  });
  return out;
}

function complementaryQuestions(products: CatalogProduct[], chosen: CatalogProduct[], random: () => number): AnyStoreQuestion[] {
  const out: AnyStoreQuestion[] = [];
  const typed = chosen.filter((p) => p.productType.trim() && products.some((o) => !sameType(o.productType, p.productType) && o.productType.trim()));
  pick(typed, 2, random).forEach((p, i) => {
    // The constraint the picks must meet: preferably a value of the product in view ("in size 8") that products of
    // another type also hold in stock; else any value those products hold in stock.
    const others = products.filter((o) => o.handle !== p.handle && !sameType(o.productType, p.productType));
    const storeValues = [...new Set(products.flatMap(allValues))];
    const inStockElsewhere = [...new Set(others.flatMap((o) => variantsWith(o, [], true).flatMap((v) => Object.values(v.options))).filter(askable))].filter((v) =>
      unambiguous(v, storeValues),
    );
    const shared = inStockElsewhere.filter((v) => allValues(p).some((m) => foldValue(m) === foldValue(v)));
    const [value] = pick(shared.length > 0 ? shared : inStockElsewhere, 1, random);
    if (!value) return;
    const locale = OTHER_LOCALES[(i + 2) % OTHER_LOCALES.length];
    for (const loc of new Set<WidgetLocale>(["en", locale])) {
      const question = PHRASES[loc].complement(p.productType, /^\d/.test(value) && loc === "en" ? `size ${value}` : value);
      out.push({
        id: `${p.handle}:goes-with:${value}:${loc}`,
        kind: "complementary",
        locale: loc,
        question,
        productHandle: p.handle,
        expected: { productHandle: p.handle, inStockValue: value },
      });
      // The same ask from a page with no product open: "this" points at nothing, so the answer asks which product.
      out.push({
        id: `${p.handle}:goes-with:${value}:${loc}:unseen`,
        kind: "complementary_unseen",
        locale: loc,
        question,
        expected: {},
      });
    }
  });
  return out;
}

const NUMBER_DAYS = /(\d{1,3})(?:\s*[–-]\s*(\d{1,3}))?[\s-]*(?:calendar |business |working )?(?:days?|tage[n]?|werktage[n]?|jours?|d[ií]as|dagen|werkdagen)\b/giu;
// Words that mark a sentence as about returns, in the widget languages; they only select which policy sentences hold the truth.
const RETURN_WORDS = /\b(return|refund|exchange|withdraw|rückgabe|zurück|widerruf|erstatt|retour|rembours|devoluci|devolver|reembolso|terug|ruil)/iu;

// Words that mark a shipping sentence as about something other than how long delivery takes (a claim for a lost,
// damaged or late parcel, a refund): "contact us within 7 days of the expected delivery date" is no delivery time.
const SHIPPING_EXCEPTION_WORDS =
  /\b(lost|damaged|claim|refund|reship|late|verloren|beschädigt|reklamation|erstatt|verspät|perdu|endommag|réclamation|rembours|retard|perdido|dañad|reclamaci|reembolso|retraso|beschadigd|terugbetal|te laat)/iu;

function numbersIn(sentence: string): number[] {
  return [...sentence.matchAll(NUMBER_DAYS)].flatMap((m) => [Number(m[1]), ...(m[2] ? [Number(m[2])] : [])]);
}

function sentencesOf(body: string): string[] {
  return body.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim());
}

/** Return and shipping windows in every widget language, where the store's policy states day counts. */
export function policyQuestions(policies: CatalogPolicy[]): AnyStoreQuestion[] {
  const out: AnyStoreQuestion[] = [];
  for (const policy of policies) {
    const kind = policy.type === "refund" ? "policy_returns" : policy.type === "shipping" ? "policy_shipping" : undefined;
    if (!kind) continue;
    const sentences = sentencesOf(policy.body).filter((s) => (kind === "policy_shipping" ? !SHIPPING_EXCEPTION_WORDS.test(s) : RETURN_WORDS.test(s)));
    const numbers = [...new Set(sentences.flatMap(numbersIn))];
    if (numbers.length === 0) continue;
    for (const locale of WIDGET_LOCALES) {
      out.push({
        id: `${policy.id}:${kind}:${locale}`,
        kind,
        locale,
        question: kind === "policy_returns" ? PHRASES[locale].returns : PHRASES[locale].shipping,
        expected: { numbers, policyType: policy.type },
      });
    }
  }
  return out;
}
