/**
 * What the shopper wants from a product, and which of a product's variants give it.
 *
 * The model: a value named in a question ("Gold", "size 8", "S20+") is a wish. A
 * wish is not tied to an option name: each product is asked whether one of *its
 * own* options holds the value, whatever the merchant called that option
 * ("Choose Material", "Zipper color", "Kleur", "Größe"). Several wishes combine
 * with AND on one variant. Values are compared after Unicode normalisation (NFKC)
 * and case folding, never by dropping characters, so "S20" is not "S20+".
 *
 * Shared by understanding, retrieval, both answerers, the validator and listings.
 * Pure: no I/O.
 */
import { parseAmount as parseMoney } from "../answering/money";
import { escapeRegExp } from "./text";

/** What matching reads of a variant: a catalog variant, or the copy an indexed chunk carries. */
export interface MatchableVariant {
  options: Record<string, string>;
  available: boolean;
  price: number;
}

/** What matching reads of a product: its title (a name can hold a value: "Gold Hoops"), options and variants. */
export interface MatchableProduct<V extends MatchableVariant = MatchableVariant> {
  title: string;
  options?: { name: string; values: string[] }[];
  variants: V[];
}

/** One value the shopper asked for. */
export interface ValueWish {
  /** As the store writes it when the store sells it ("EU 38", "Gold"), else as the shopper wrote it ("14"). */
  value: string;
  /** Option names in the shop that hold the value; empty when no product sells it. Informative only: never required of a product. */
  optionNames: string[];
  /** The shopper asked for a size ("size 8", "in a medium"), or the value is held by an option that reads as a size. */
  size: boolean;
  /** A word shared by several values ("Tall" of "M Tall", "L Tall"): any value holding it as a word meets it. */
  group: boolean;
}

/** Everything the shopper asked of a product's variants; every part must hold on the same variant. */
export interface ProductWishes {
  values: ValueWish[];
  inStock?: boolean;
  priceMin?: number;
  priceMax?: number;
}

export interface MatchOptions {
  /** Only variants that can be bought now (overrides `wishes.inStock` when set). */
  inStock?: boolean;
}

export interface WishVocabulary {
  /** The shop's option names -> values, as the store writes them. */
  knownOptions: Record<string, string[]>;
  /** Product titles named in the question: their words are a name, not a wish ("Dainty Gold Necklace" asks for no "Gold"). */
  productTitles?: string[];
}

// ---------------------------------------------------------------- comparing values

/**
 * A pure function of one string, remembered: a shop's option values and titles are few and
 * are compared again for every product and every question (a listing reads them all).
 * Bounded: the memory is dropped whole when full, which costs only recomputation.
 */
function memoized<T>(compute: (value: string) => T, limit = 50_000): (value: string) => T {
  const memory = new Map<string, T>();
  return (value) => {
    let out = memory.get(value);
    if (out === undefined) {
      if (memory.size >= limit) memory.clear();
      out = compute(value);
      memory.set(value, out);
    }
    return out;
  };
}

/** Case-folded NFKC form with runs of white space made one space; nothing else is dropped. */
export const foldText: (value: string) => string = memoized((value) =>
  // Upper then lower approximates Unicode full case folding ("ß" and "SS" meet, final sigma folds).
  value.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC").replace(/\s+/g, " ").trim(),
);

// English size words and their letter codes: the one place a spelling is translated, because shoppers
// write "medium" where a store writes "M".
const SIZE_WORDS: [RegExp, string][] = (
  [
    ["extra extra large", "xxl"],
    ["extra large", "xl"],
    ["extra small", "xs"],
    ["x-large", "xl"],
    ["x large", "xl"],
    ["xx-large", "xxl"],
    ["xx large", "xxl"],
    ["x-small", "xs"],
    ["x small", "xs"],
    ["small", "s"],
    ["medium", "m"],
    ["large", "l"],
    ["2xl", "xxl"],
    ["3xl", "xxxl"],
    ["2xs", "xxs"],
  ] as [string, string][]
).map(([long, short]) => [new RegExp(`(^|[\\s/,;|()])${escapeRegExp(long)}(?=$|[\\s/,;|()])`, "gu"), short]);

/** The form two option values are compared in: folded, with English size words as their codes. */
export const comparableValue: (value: string) => string = memoized((value) => {
  let v = foldText(value);
  for (const [pattern, short] of SIZE_WORDS) v = v.replace(pattern, `$1${short}`);
  return v;
});

const wordSetOf = memoized((value: string): ReadonlySet<string> => new Set(valueWords(value)));

/** Words of a value, split only where a store separates parts of a value ("UK 8 / EU 36", "M Tall"); "S20+" stays whole. */
export function valueWords(value: string): string[] {
  return comparableValue(value)
    .split(/[\s/,;|()]+/u)
    .filter(Boolean);
}

/** How a store's value meets a wanted value: the same value, a value that holds it as a word, or not at all. */
export function compareValue(storeValue: string, wanted: string): "exact" | "part" | "none" {
  const have = comparableValue(storeValue);
  const want = comparableValue(wanted);
  if (!want) return "none";
  if (have === want) return "exact";
  const words = wordSetOf(storeValue);
  const wantWords = wordSetOf(wanted);
  if (wantWords.size === 0) return "none";
  for (const w of wantWords) if (!words.has(w)) return "none";
  return "part";
}

function isRealValue(value: string | undefined): value is string {
  return !!value && value.trim() !== "" && foldText(value) !== "default title";
}

/** The product's values (from every option) that meet a wish: exact ones when the product has any, else those holding it as a word. */
export function productValuesFor(product: MatchableProduct, wish: ValueWish): Set<string> {
  const values = new Set<string>();
  for (const option of product.options ?? []) for (const v of option.values) if (isRealValue(v)) values.add(v);
  for (const variant of product.variants) for (const v of Object.values(variant.options)) if (isRealValue(v)) values.add(v);
  const exact = [...values].filter((v) => compareValue(v, wish.value) === "exact");
  // "M" asked of a store with both "M" and "M Tall" means "M"; "Tall" alone means every Tall size.
  if (exact.length > 0 && !wish.group) return new Set(exact);
  return new Set([...values].filter((v) => compareValue(v, wish.value) !== "none"));
}

/** True when one of the product's own options holds the value, whatever that option is called. */
export function productOffers(product: MatchableProduct, wish: ValueWish): boolean {
  return productValuesFor(product, wish).size > 0;
}

/** The product's options that hold the value ("Choose Material" for "Gold" on a ring). */
export function optionNamesHolding(product: MatchableProduct, wish: ValueWish): string[] {
  const values = productValuesFor(product, wish);
  const names = new Set<string>();
  for (const variant of product.variants) for (const [name, v] of Object.entries(variant.options)) if (values.has(v)) names.add(name);
  return [...names];
}

/**
 * The product has an option of the kind the wish is about, so a missing value is a real "no"
 * (a hoodie with a colour option that lacks Gold) rather than a question that does not apply
 * (a candle with no options at all asked for "size 8").
 */
export function wishAppliesTo(product: MatchableProduct, wish: ValueWish): boolean {
  if (productOffers(product, wish)) return true;
  const names = new Set(product.variants.flatMap((v) => Object.entries(v.options).filter(([, value]) => isRealValue(value)).map(([name]) => name)));
  if (names.size === 0) return false;
  if (wish.optionNames.some((n) => [...names].some((m) => foldText(m) === foldText(n)))) return true;
  return wish.size && [...names].some((n) => looksLikeSizeOption(product, n));
}

/**
 * The wishes that bind this product: the values one of its own options holds, with stock and price
 * kept. For items recommended beside another ("goes with this dress, in stock in size 8"): the size
 * binds the items sold in that size, and says nothing about a bag that has no such value.
 */
export function applicableWishes(product: MatchableProduct, wishes: ProductWishes): ProductWishes {
  return { ...wishes, values: wishes.values.filter((w) => productOffers(product, w)) };
}

/** `matchingVariants(product, applicableWishes(product, wishes))`, each wish's values looked up once. */
export function variantsMeetingHeld<V extends MatchableVariant>(product: MatchableProduct<V>, wishes: ProductWishes, options: MatchOptions = {}): V[] {
  const held: ValueWish[] = [];
  const sets: (Set<string> | "title")[] = [];
  for (const wish of wishes.values) {
    const values = productValuesFor(product, wish);
    if (values.size === 0) continue;
    held.push(wish);
    sets.push(findValue(product.title, wish.value) !== undefined ? "title" : values);
  }
  const bound = { ...wishes, values: held };
  return product.variants.filter((v) => meets(product, v, bound, sets, options));
}

/** A size option, read from its values as much as its name: numbers and letter codes ("8", "EU 38", "M Tall"), or a name that says size. */
export function looksLikeSizeOption(product: MatchableProduct, name: string): boolean {
  if (isSizeOptionName(name)) return true;
  const values = [...new Set(product.variants.map((v) => v.options[name]).filter(isRealValue))];
  return values.length > 0 && values.every((v) => valueWords(v).some((w) => /^\d+([.,]\d+)?$/.test(w) || SIZE_CODE.test(w)));
}

const SIZE_CODE = /^(xxs|xs|s|m|l|xl|xxl|xxxl|[2-6]xl|os)$/;

/** Option names that read as a size in the widget languages; used for phrasing ("size 8") and as one hint among others, never to decide a match. */
export function isSizeOptionName(name: string): boolean {
  return /size|gr(?:ö|oe)(?:ß|ss)e|taille|talla|maat|taglia|length|fit/i.test(name);
}

/** Does the variant meet every wish (values, price, stock)? Values are looked up among the product's own options. */
export function variantMeets(product: MatchableProduct, variant: MatchableVariant, wishes: ProductWishes, options: MatchOptions = {}): boolean {
  return meets(product, variant, wishes, valueSetsFor(product, wishes), options);
}

/** Per wish, the product's values that meet it, or "title" when the product's own name holds the value. */
function valueSetsFor(product: MatchableProduct, wishes: ProductWishes): (Set<string> | "title")[] {
  // A product whose own title names the value ("Gold Hoops") has it on every variant; "S20" is not named by "S20+".
  return wishes.values.map((wish) => (findValue(product.title, wish.value) !== undefined ? "title" : productValuesFor(product, wish)));
}

function meets(product: MatchableProduct, variant: MatchableVariant, wishes: ProductWishes, sets: (Set<string> | "title")[], options: MatchOptions): boolean {
  const inStock = options.inStock ?? wishes.inStock;
  if (inStock && !variant.available) return false;
  if (wishes.priceMax !== undefined && variant.price > wishes.priceMax) return false;
  if (wishes.priceMin !== undefined && variant.price < wishes.priceMin) return false;
  const own = Object.values(variant.options);
  return sets.every((set) => set === "title" || own.some((v) => set.has(v)));
}

/** The product's variants that meet every wish. */
export function matchingVariants<V extends MatchableVariant>(product: MatchableProduct<V>, wishes: ProductWishes, options: MatchOptions = {}): V[] {
  const sets = valueSetsFor(product, wishes);
  return product.variants.filter((v) => meets(product, v, wishes, sets, options));
}

/** True when one variant of the product meets every wish. */
export function productSatisfies(product: MatchableProduct, wishes: ProductWishes, options: MatchOptions = {}): boolean {
  const sets = valueSetsFor(product, wishes);
  return product.variants.some((v) => meets(product, v, wishes, sets, options));
}

/** True when the wishes ask anything of a variant. */
export function hasWishes(wishes: ProductWishes): boolean {
  return wishes.values.length > 0 || !!wishes.inStock || wishes.priceMax !== undefined || wishes.priceMin !== undefined;
}

// ---------------------------------------------------------------- reading wishes from a question

/**
 * Where a value stands in a text as a whole value: not inside a longer word or number, and not
 * followed by a character that makes it another value ("S20" in "S20+", "C" in "C#").
 * Returns [start, end) in the folded text, or undefined.
 */
export function findValue(text: string, value: string, from = 0): [number, number] | undefined {
  return findFolded(foldText(text), foldText(value), from);
}

/** `findValue` on texts already folded (`foldText`): a question is folded once, not once per store value. */
export function findFolded(hay: string, needle: string, from = 0): [number, number] | undefined {
  if (!needle) return undefined;
  // Scripts written without spaces between words ("有黑色吗") have no word edges to look for.
  const unspaced = UNSPACED.test(needle);
  let at = hay.indexOf(needle, from);
  while (at >= 0) {
    const before = at === 0 ? "" : hay[at - 1];
    const after = hay.slice(at + needle.length, at + needle.length + 1);
    const edgeBefore = !before || !/[\p{L}\p{N}\p{M}+#&_]/u.test(before) || !/[\p{L}\p{N}]/u.test(needle[0]);
    const edgeAfter = !after || !/[\p{L}\p{N}\p{M}+#&_]/u.test(after) || !/[\p{L}\p{N}]/u.test(needle[needle.length - 1]);
    if (unspaced || (edgeBefore && edgeAfter)) return [at, at + needle.length];
    at = hay.indexOf(needle, at + 1);
  }
  return undefined;
}

const UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}ー\s]+$/u;

// Words before a short value that say it is an option ("size M", "in an 8", "Größe 38", "en talla 8", "maat 40").
const SHORT_VALUE_LEAD = String.raw`(?:size|sz|in(?: an?| size)?|an?|gr(?:ö|oe)(?:ß|ss)e|in gr(?:ö|oe)(?:ß|ss)e|taille|en taille|en|talla|en talla|maat|in maat)`;
// ...and words after a number that say it is something else ("in 2 days", "en 8 jours").
const NOT_A_VALUE_AFTER = String.raw`(?!\s*(?:days?|weeks?|hours?|months?|years?|items?|pieces?|tage[n]?|wochen|jours?|semaines?|d[ií]as?|semanas?|dagen|weken|uur)\b)`;
const SHORT_SIZE = /^(xxs|xs|s|m|l|xl|xxl|xxxl|[2-6]xl|os)$/i;

/** A value too short or too common to be read alone ("M", "8", "A"): the shopper must say it is an option. */
function needsLead(value: string): boolean {
  const v = value.trim();
  if (SHORT_SIZE.test(v) || /^\d+([.,]\d+)?$/.test(v)) return true;
  // A single letter of a script without case ("ب", "あ") stands alone only as a value.
  if ([...v].length <= 2 && /\p{Lu}|\p{Ll}/u.test(v)) return true;
  return false;
}

function shortValueSpan(question: string, value: string): [number, number] | undefined {
  const folded = foldText(question);
  const v = escapeRegExp(foldText(value));
  const lead = new RegExp(String.raw`(?<![\p{L}\p{N}])${SHORT_VALUE_LEAD}\s+(${v})(?![\p{L}\p{N}+#])${NOT_A_VALUE_AFTER}`, "u").exec(folded);
  if (lead) {
    const start = lead.index + lead[0].length - lead[1].length;
    return [start, start + lead[1].length];
  }
  // A capitalised code standing alone as the shopper typed it ("XL", "XS") is a size, not a word.
  const raw = value.trim();
  if (raw.length >= 2 && !/\d/.test(raw) && /\p{L}/u.test(raw)) {
    const m = new RegExp(String.raw`(?<![\p{L}\p{N}'’])${escapeRegExp(raw.toUpperCase())}(?![\p{L}\p{N}'’+#])`, "u").exec(question.normalize("NFKC"));
    if (m) {
      const span = findValue(question, raw);
      if (span) return span;
    }
  }
  return undefined;
}

const SIZE_WORD_ONLY = /^(?:size|sizes|gr(?:ö|oe)(?:ß|ss)en?|tailles?|tallas?|maat|maten)$/u;
const SIZE_SAID = /(?<![\p{L}])(?:size|sizes|sz|gr(?:ö|oe)(?:ß|ss)en?|tailles?|tallas?|maat|maten)(?![\p{L}])/u;

// Words that join or qualify other words; never a group of values on their own.
const NOT_A_GROUP = new Set(
  "with without and for the mit ohne und für avec sans et pour con sin y para met zonder en voor".split(" "),
);

// A shop's vocabulary is read once per question; folding its values once per vocabulary keeps a
// question's cost to one pass over the values.
const valuesByVocabulary = new WeakMap<Record<string, string[]>, Map<string, { value: string; names: Set<string> }>>();

/** Every value the shop sells, once (by folded form), with the options that hold it. */
function shopValues(knownOptions: Record<string, string[]>): Map<string, { value: string; names: Set<string> }> {
  const cached = valuesByVocabulary.get(knownOptions);
  if (cached) return cached;
  const byValue = new Map<string, { value: string; names: Set<string> }>();
  for (const [name, values] of Object.entries(knownOptions)) {
    for (const raw of values) {
      if (!isRealValue(raw)) continue;
      const key = foldText(raw);
      const entry = byValue.get(key) ?? { value: raw.trim(), names: new Set<string>() };
      entry.names.add(name);
      byValue.set(key, entry);
    }
  }
  valuesByVocabulary.set(knownOptions, byValue);
  return byValue;
}

interface Found {
  value: string;
  span: [number, number];
  optionNames: Set<string>;
  group: boolean;
  size: boolean;
}

/**
 * The wishes in a question, read against the shop's own values (any option name, any script).
 * Price and stock wishes are read too. Named product titles are removed first.
 */
export function wishesFromQuestion(question: string, vocabulary: WishVocabulary): ProductWishes {
  let q = question.replace(/\s+/g, " ").trim();
  for (const title of [...(vocabulary.productTitles ?? [])].filter((t) => t.trim().length >= 4).sort((a, b) => b.length - a.length)) {
    q = q.replace(new RegExp(escapeRegExp(title.trim()), "giu"), " · ");
  }
  const folded = foldText(q);
  const sizeSaid = SIZE_SAID.test(folded);

  const byValue = shopValues(vocabulary.knownOptions);

  const found: Found[] = [];
  for (const [key, { value, names }] of byValue) {
    // A value that is the word "size" itself names no choice: "in size 8" asks for the 8.
    if (SIZE_WORD_ONLY.test(foldText(value))) continue;
    const span = needsLead(value) ? shortValueSpan(q, value) : findFolded(folded, key);
    if (!span) continue;
    const size = [...names].some(isSizeOptionName) || (sizeSaid && /\d|^(xxs|xs|s|m|l|xl|xxl|xxxl|[2-6]xl)$/i.test(value));
    found.push({ value, span, optionNames: names, group: false, size });
  }

  // A word several values of one option share ("Tall" of "M Tall", "L Tall"), asked as a group: "tall sizes".
  for (const [name, values] of Object.entries(vocabulary.knownOptions)) {
    const counts = new Map<string, { word: string; count: number }>();
    for (const raw of values) {
      if (!isRealValue(raw)) continue;
      const words = raw.trim().split(/[\s/,;|()]+/u);
      if (words.length < 2) continue;
      for (const word of new Set(words)) {
        const key = foldText(word);
        // "Size" shared by "Small Size 60x45cm" and "Large Size 70x50cm" names the option, not a
        // group of its values: "in size 51x91cm" asks for the 51x91cm alone.
        if ([...key].length < 3 || !/^\p{L}+$/u.test(key) || NOT_A_GROUP.has(key) || SIZE_WORD_ONLY.test(key) || byValue.has(key)) continue;
        const c = counts.get(key) ?? { word, count: 0 };
        c.count += 1;
        counts.set(key, c);
      }
    }
    for (const { word, count } of counts.values()) {
      if (count < 2) continue;
      const span = findFolded(folded, foldText(word));
      if (!span) continue;
      const existing = found.find((f) => f.group && foldText(f.value) === foldText(word));
      if (existing) existing.optionNames.add(name);
      else found.push({ value: word, span, optionNames: new Set([name]), group: true, size: isSizeOptionName(name) || sizeSaid });
    }
  }

  // A longer value wins over the values inside it ("Antique Black" over "Black").
  found.sort((a, b) => b.span[1] - b.span[0] - (a.span[1] - a.span[0]));
  const kept: Found[] = [];
  for (const f of found) {
    if (kept.some((k) => f.span[0] >= k.span[0] && f.span[1] <= k.span[1])) continue;
    kept.push(f);
  }
  kept.sort((a, b) => a.span[0] - b.span[0]);

  const values: ValueWish[] = kept.map((f) => ({ value: f.value, optionNames: [...f.optionNames], size: f.size, group: f.group }));

  if (!values.some((v) => v.size)) {
    const asked = askedSize(folded, vocabulary.knownOptions);
    if (asked) values.push(asked);
  }

  return { values, ...readPrice(q), ...(readInStock(q) ? { inStock: true } : {}) };
}

/** Words that qualify a size range ("Tall", "Petite"): asked for as a group even where the shop sells none, so the answer can say no. */
const SIZE_QUALIFIERS = ["tall", "petite", "plus", "regular", "long", "short", "maternity", "wide", "narrow", "slim", "relaxed"];
const SIZE_WORD_NAMES = ["extra small", "small", "medium", "large", "extra large"];

/** A size the shop may not sell ("size 14", "in a medium"), kept so the answer can say no. */
function askedSize(folded: string, knownOptions: Record<string, string[]>): ValueWish | undefined {
  const sized = new RegExp(
    String.raw`(?<![\p{L}])(?:size|sz|gr(?:ö|oe)(?:ß|ss)e|taille|talla|maat)\s+((?:[a-z]{1,3}\s?)?\d[\w.,/×-]*|xxs|xs|s|m|l|xl|xxl|xxxl|[2-6]xl)(?![\p{L}\p{N}])`,
    "u",
  ).exec(folded);
  if (sized) {
    const value = sized[1].replace(/[.,]$/, "");
    return { value: /\d/.test(value) ? value : value.toUpperCase(), optionNames: [], size: true, group: false };
  }
  const qualifier = SIZE_QUALIFIERS.find((w) => new RegExp(String.raw`(?<![\p{L}])(?:${w}\s+(?:sizes?|fit|length)|in\s+${w})(?![\p{L}])`, "u").test(folded));
  if (qualifier) return { value: qualifier.charAt(0).toUpperCase() + qualifier.slice(1), optionNames: [], size: true, group: true };
  const word = new RegExp(String.raw`(?<![\p{L}])(?:in|a|an)\s+(${SIZE_WORD_NAMES.join("|")})(?![\p{L}])`, "u").exec(folded);
  if (word) {
    // Prefer the shop's own spelling: "medium" is "M" where the shop says "M".
    const all = Object.values(knownOptions).flat();
    const own = all.find((v) => comparableValue(v) === comparableValue(word[1]));
    return { value: own ?? word[1].charAt(0).toUpperCase() + word[1].slice(1), optionNames: [], size: true, group: false };
  }
  return undefined;
}

// ---------------------------------------------------------------- price and stock

// An amount as shoppers write it: any currency sign before or after (\p{Sc}: $ € £ ₹ ₺ ₪ ...), thousands grouped by
// ",", ".", an apostrophe or a (narrow no-break) space ("₹14,001", "14 001 ₹", "1.299 €"), up to two decimals.
const CURRENCY_BEFORE = String.raw`(?:\p{Sc}|rs\.?|usd|eur|gbp|inr)`;
const CURRENCY_AFTER = String.raw`(?:\p{Sc}|dollars?|euros?|pounds?|usd|eur|gbp|inr|rupees)`;
const NUMBER = String.raw`(\d{1,3}(?:[,.'’\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
const AMOUNT = String.raw`(?:${CURRENCY_BEFORE}\s?)?${NUMBER}(?:\s?${CURRENCY_AFTER})?`;
// The amount ends where its number does ("$200." ends a sentence) and is not a quantity of something else.
const NOT_MONEY = String.raw`(?!\d|[.,]\d)(?!\s?(?:days?|hours?|weeks?|months?|years?|kg|g|cm|mm|m|ml|l|inch|inches|"|%|pcs|pieces|items)(?![\p{L}]))`;
const UNDER = String.raw`under|below|less than|cheaper than|up to|max(?:imum)?|at most|no more than|within(?: a budget of)?|budget(?: of)?|unter|bis|maximal|höchstens|moins de|jusqu'à|en dessous de|menos de|hasta|por debajo de|onder|minder dan|tot|maximaal`;
const OVER = String.raw`over|above|more than|at least|starting at|über|mindestens|ab|plus de|au moins|más de|al menos|desde|boven|meer dan|minstens|vanaf`;
const BETWEEN = String.raw`between|from|zwischen|von|entre|de|tussen|van`;
const AND = String.raw`and|to|-|–|und|bis|et|à|y|a|en|tot`;

/** A price range the shopper gives ("under $200", "zwischen 20 und 50 €"). */
export function readPrice(q: string): { priceMin?: number; priceMax?: number } {
  const between = new RegExp(String.raw`(?<![\p{L}])(?:${BETWEEN})\s+${AMOUNT}\s*(?:${AND})\s*${AMOUNT}${NOT_MONEY}`, "iu").exec(q);
  if (between) {
    const a = parseMoney(between[1]);
    const b = parseMoney(between[2]);
    if (/\p{Sc}|\d\s?(dollars?|euros?|pounds?|usd|eur|gbp)/iu.test(between[0]) || /^(between|from|zwischen|entre|tussen)/i.test(between[0])) {
      return { priceMin: Math.min(a, b), priceMax: Math.max(a, b) };
    }
  }
  const out: { priceMin?: number; priceMax?: number } = {};
  const max = new RegExp(String.raw`(?<![\p{L}])(?:${UNDER})\s+${AMOUNT}${NOT_MONEY}`, "iu").exec(q);
  if (max) out.priceMax = parseMoney(max[1]);
  const min = new RegExp(String.raw`(?<![\p{L}])(?:${OVER})\s+${AMOUNT}${NOT_MONEY}`, "iu").exec(q);
  if (min) out.priceMin = parseMoney(min[1]);
  return out;
}

const IN_STOCK =
  /(?<![\p{L}])(in[- ]stock|auf lager|vorrätig|lieferbar|sofort verfügbar|en stock|(?:hay|queda|quedan|tienen|tenéis) (?:stock|existencias)|reste-t-il|(?:nog )?voorradig|disponible (maintenant|tout de suite|ahora|ya)|op voorraad|direct leverbaar|leverbaar|right now|available (now|today|to (buy|order|ship))|currently available|ready to ship|ships? (now|today|immediately)|buy (it |one )?(right )?now|can i (buy|order|get) .* (now|today))(?![\p{L}])/iu;
const OUT_OF_STOCK = /(?<![\p{L}])(out of stock|sold out|ausverkauft|nicht (auf lager|vorrätig)|épuisé|rupture de stock|agotado|uitverkocht|niet op voorraad)(?![\p{L}])/iu;

/** The shopper wants something they can buy now ("in stock", "right now", "op voorraad"). */
export function readInStock(q: string): boolean {
  return IN_STOCK.test(q) && !OUT_OF_STOCK.test(q);
}
