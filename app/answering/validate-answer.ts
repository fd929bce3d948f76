/**
 * The answer validator: every citation refers to a retrieved source, and every
 * price, size/option value, stock statement and day count in the answer matches
 * the sources it cites. Pure; works on any answerer's text (local or LLM).
 *
 * Claims are read per sentence and checked against the sources cited in that
 * sentence (or, when a sentence cites nothing, against every source the answer cites).
 *
 * Claims are read in every language the assistant answers in (en, de, fr, es, nl):
 * "30 Tage", "30 jours", "30 días", "30 dagen"; "auf Lager", "en rupture de stock",
 * "no queda stock", "uitverkocht"; "Größe 12", "taille 12"; "45,00 €", "149,00 $".
 * A phrasing no pattern reads is a claim nobody checks, so the local answerer's
 * catalogs (`messages.ts`) use only phrasings listed here.
 */
import { htmlToText } from "../catalog/html-to-text";
import type { CatalogProduct, CatalogVariant } from "../catalog/types";
import { containsPhrase, escapeRegExp } from "../retrieval/text";
import { optionValueMatches } from "../retrieval/variant-match";
import { extractMoneyAmounts, sameAmount } from "./money";
import type { AnswerResult, AnswerSource } from "./types";

export type ValidationCode =
  | "unknown_citation"
  | "missing_citation"
  | "unsupported_price"
  | "unsupported_option"
  | "wrong_option_claim"
  | "wrong_stock_claim"
  | "unsupported_day_count"
  /** A listing or complement names a product outside the set that meets the question's constraints. */
  | "unmatched_product"
  /** A listing states a number of matching products other than the catalog's count. */
  | "wrong_count"
  /** The answerer itself failed (model unreachable, rate-limited, malformed output). */
  | "answerer_error";

export interface ValidationProblem {
  code: ValidationCode;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  problems: ValidationProblem[];
}

export interface AnswerToValidate {
  answer: string;
  citationIds: string[];
  refused: boolean;
  comparison?: AnswerResult["comparison"];
  productHandles?: string[];
}

/** What a catalog-wide answer must agree with: the full set of matches, and the product it complements. */
export interface ExpectedMatches {
  matches?: AnswerResult["matches"];
  /** Complements: the product in view, which is never one of the picks. */
  productInView?: string;
}

const CITATION = /\[(S\d+)\]/g;
const SIZE_CODES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "2XL", "3XL", "4XL"];
const SIZE_WORDS = ["Tall", "Petite", "Plus", "Maternity"];

/**
 * Sentences, kept with their trailing citation markers. A sentence may open with "É", "¿" or "„".
 * A citation marker ends a sentence too: "... 14 days. [S1] You can return ... 30 days." is two
 * claims, and the second must not be checked against S1 alone.
 */
function claimUnits(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?]|\[S\d+\])\s+(?=[\p{Lu}"“„«‘¿¡(])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function clauses(unit: string): string[] {
  return unit
    .split(/[;()]|,\s(?=(?:but|while|and)\b)|\b(?:but|while|aber|jedoch|während|mais|tandis que|alors que|pero|mientras que|maar|terwijl)\b/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/**
 * "XXL / White (in stock), XXL / Sea Green (sold out)": a status alone in brackets is about the item
 * just before it (back to the last comma, colon or semicolon), so it becomes that item's own clause
 * ("; XXL / Sea Green sold out;") rather than a clause naming nothing, which would be checked against
 * every cited variant. Brackets that name a value or a product themselves ("(L Tall is out of stock)")
 * are a clause of their own as before. Full-width brackets and list marks count too.
 */
function bindParenthesisedStatus(unit: string, vocabulary: string[]): string {
  return unit.replace(/([^,;:()、，：；（）]*)[(（]([^()（）]*)[)）]/gu, (whole, before: string, inside: string) => {
    const status = OUT_OF_STOCK.test(inside) || IN_STOCK.test(inside);
    if (!status || inside.includes("\uE000") || mentionedValues(inside, vocabulary).length > 0) return whole;
    return `;${before.trimEnd()} ${inside.trim()};`;
  });
}

/** A day count's unit in each answer language, with the qualifiers written before the number's noun. */
const DAY_UNIT = String.raw`(?:(?:business |working |calendar |consecutive )?days?|(?:werk|arbeits|kalender|geschäfts)?tag(?:e|en)?|jours?|d[ií]as?|(?:werk|kalender)?dagen|dag)`;
const DAY_RANGE = String.raw`(?:-|–|to|or|bis|oder|à|a|au|ou|o|tot|of)`;
const DAY_NUMBER_WORDS: Record<string, number> = {
  seven: 7, ten: 10, fourteen: 14, fifteen: 15, thirty: 30, sixty: 60, ninety: 90, fourty: 40, forty: 40, "twenty-one": 21, "twenty one": 21, "forty-five": 45,
  sieben: 7, zehn: 10, vierzehn: 14, fünfzehn: 15, dreißig: 30, dreissig: 30, sechzig: 60, neunzig: 90,
  sept: 7, dix: 10, quatorze: 14, quinze: 15, trente: 30, soixante: 60,
  siete: 7, diez: 10, catorce: 14, quince: 15, treinta: 30, sesenta: 60, noventa: 90,
  zeven: 7, tien: 10, veertien: 14, vijftien: 15, dertig: 30, zestig: 60, negentig: 90,
};

function idsIn(text: string): string[] {
  return [...text.matchAll(CITATION)].map((m) => m[1]);
}

/** Day counts written in a text: "30 days", "5-7 business days", "14 Tagen", "5 à 7 jours", "30 días", "14-tägig". */
export function dayCounts(text: string): number[] {
  const out: number[] = [];
  const re = new RegExp(String.raw`(?<![\p{L}\p{N}])(\d{1,3})(?:\s*${DAY_RANGE}\s*(\d{1,3}))?[\s-]*${DAY_UNIT}(?![\p{L}])|(?<![\p{L}\p{N}])(\d{1,3})-?tägig`, "giu");
  for (const m of text.matchAll(re)) {
    out.push(Number(m[1] ?? m[3]));
    if (m[2]) out.push(Number(m[2]));
  }
  for (const [word, n] of Object.entries(DAY_NUMBER_WORDS)) {
    if (new RegExp(String.raw`(?<![\p{L}])${word}[\s-]*${DAY_UNIT}(?![\p{L}])`, "iu").test(text)) out.push(n);
  }
  return out;
}

// Stock and existence wording, per answer language. Negatives are read before positives
// ("nicht auf Lager" is not "auf Lager"); boundaries are Unicode-aware for "épuisé".
const W = (body: string) => new RegExp(String.raw`(?<![\p{L}])(?:${body})(?![\p{L}])`, "iu");
const OUT_OF_STOCK = W(
  [
    "out of stock|sold out|unavailable|not in stock|not available",
    "ausverkauft|vergriffen|nicht (?:mehr )?(?:auf Lager|vorrätig|verfügbar|lieferbar)",
    "(?:en )?rupture de stock|épuisée?s?|(?:plus|pas) en stock|indisponibles?|(?:plus|pas) disponibles?",
    "agotad[oa]s?|sin stock|sin existencias|fuera de stock|no (?:hay|queda|quedan) (?:stock|existencias|unidades)|no (?:está|están) disponibles?",
    "uitverkocht|niet (?:meer )?(?:op voorraad|leverbaar|beschikbaar)",
  ].join("|"),
);
const IN_STOCK = W("in stock|auf Lager|vorrätig|en stock|op voorraad");
const NEGATED_EXISTENCE = new RegExp(
  [
    String.raw`\b(doesn'?t|does not|don'?t|do not|isn'?t|is not|aren'?t|are not|not)\s+(come|comes|available|offered|made|sold|carried|have)\b|\bno\s+\w+\s+sizes?\b`,
    String.raw`\bgibt es (?:\p{L}+ ){0,2}nicht\b|\bnicht (?:in \S+ )?(?:erhältlich|angeboten)\b`,
    String.raw`\bn['’](?:existe|est) pas\b|\bn['’]est pas (?:proposée?s?|vendue?s?)\b`,
    String.raw`\bno (?:viene|existe|se vende|se fabrica|está disponible|están disponibles)\b`,
    String.raw`\bniet (?:verkrijgbaar|leverbaar|te koop)\b|\bbestaat niet\b`,
  ].join("|"),
  "iu",
);
/** A count of variants in stock, as the comparison table writes it in each answer language. */
const VARIANT_COUNT = /\d+\s+(?:of|von|van|de)\s+\d+\s+(?:options?|Varianten|opties?|opci[oó]n(?:es)?)(?=\s)|\d+\s+options?\s+sur\s+\d+(?=\s)/giu;

/** What a "does not come in" sentence of the answerers denies, in each answer language. */
const NEGATED_OBJECT = new RegExp(
  String.raw`(?:doesn['’]t come|does not come|gibt es nicht|n['’]existe pas|no viene|niet verkrijgbaar)\s+(?:in|en)\s+(.+)$`,
  "iu",
);
const EXISTENCE_CLAIM = W("comes? in|gibt es|existe en|viene en|verkrijgbaar in");
/** "size 12", "Größe 12", "taille 12", "talla 12", "maat 12": the words that make a number a size. */
const SIZE_WORD = String.raw`(?:sizes?|[Gg]r(?:ö|oe)(?:ß|ss)en?|[Tt]ailles?|[Tt]allas?|[Mm]aat|[Mm]aten)`;
const EXPLICIT_SIZE = new RegExp(String.raw`(?<![\p{L}])${SIZE_WORD}\s+([A-Za-z]{0,3}\d{1,3}(?:\.\d)?|XXS|XS|XXL|XXXL|XL|[2-5]XL|S|M|L)(?![\p{L}\p{N}])`, "gu");

/** Sizes a text states explicitly ("size 12", "Größe M", "taille 38"): the validator's own reading, shared with the copy checks. */
export function explicitSizeClaims(text: string): string[] {
  return [...text.matchAll(EXPLICIT_SIZE)].map((m) => m[1]);
}

/** "size 8" -> "8", "Tall sizes" -> "Tall", "taille M" -> "M". */
function withoutSizeWords(text: string): string {
  return text
    .replace(new RegExp(String.raw`^${SIZE_WORD}\s+`, "u"), "")
    .replace(new RegExp(String.raw`(?:\s+|-)${SIZE_WORD}$`, "u"), "")
    .trim();
}

function variantValues(v: CatalogVariant): string[] {
  return Object.entries(v.options)
    .filter(([, value]) => value && value !== "Default Title")
    .map(([, value]) => value);
}

/** Option values (and size words) mentioned in a piece of text, from a vocabulary. */
function valuePattern(value: string): RegExp {
  const short = value.length <= 3 && /^[A-Za-z0-9]+$/.test(value);
  // "S", "M", "L" are only sizes when written as codes, not inside words or as "a"; "S20" is not in "S20+".
  return short
    ? new RegExp(`(?<![\\p{L}\\p{N}'’$€£.])${escapeRegExp(value)}(?![\\p{L}\\p{N}'’+#])`, "gu")
    : new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}+#])`, "giu");
}

function mentionedValues(text: string, vocabulary: string[]): string[] {
  const found: string[] = [];
  for (const value of vocabulary) {
    if (value && valuePattern(value).test(text)) found.push(value);
  }
  // Keep the longest: "M Tall" rather than also "M" and "Tall".
  return found.filter((v) => !found.some((o) => o !== v && o.length > v.length && containsPhrase(o, v)));
}

export function validateAnswer(draft: AnswerToValidate, sources: AnswerSource[], expected: ExpectedMatches = {}): ValidationResult {
  const problems: ValidationProblem[] = [];
  const byId = new Map(sources.map((s) => [s.id, s]));
  const textIds = idsIn(draft.answer);
  for (const id of new Set([...textIds, ...draft.citationIds])) {
    if (!byId.has(id)) problems.push({ code: "unknown_citation", message: `Citation ${id} does not refer to any retrieved source.` });
  }
  const answerIds = [...new Set([...textIds, ...draft.citationIds])].filter((id) => byId.has(id));

  // Every value any retrieved product offers, plus common size codes: what a claim may name.
  const allProducts = sources.filter((s) => s.product).map((s) => s.product as CatalogProduct);
  const vocabulary = [...new Set([...allProducts.flatMap((p) => p.variants.flatMap(variantValues)), ...SIZE_CODES, ...SIZE_WORDS])].filter(
    (v) => !/^\d+(\.\d+)?$/.test(v) || v.length > 0,
  );

  const units = claimUnits(draft.answer);
  const hasClaims = units.some((u) => extractMoneyAmounts(u).length > 0 || dayCounts(u).length > 0 || IN_STOCK.test(u) || OUT_OF_STOCK.test(u) || EXISTENCE_CLAIM.test(u));
  // "No dress is in stock in size 8" over an empty catalog match has nothing to cite.
  const nothingMatched = expected.matches?.total === 0;
  if (!draft.refused && answerIds.length === 0 && hasClaims && !nothingMatched) {
    problems.push({ code: "missing_citation", message: "The answer states facts but cites no source." });
  }

  for (const unit of units) {
    const own = idsIn(unit).filter((id) => byId.has(id));
    const cited = (own.length > 0 ? own : answerIds).map((id) => byId.get(id) as AnswerSource);
    checkUnit(unit, cited, vocabulary, problems);
  }

  if (expected.matches && !draft.refused) checkMatches(draft, answerIds.map((id) => byId.get(id) as AnswerSource), expected, problems);

  if (draft.comparison) {
    const [, ...titles] = draft.comparison.columns;
    titles.forEach((title, col) => {
      const source = sources.find((s) => s.product && s.product.title === title && answerIds.includes(s.id));
      if (!source) {
        problems.push({ code: "missing_citation", message: `The comparison column "${title}" is not a cited product.` });
        return;
      }
      for (const row of draft.comparison!.rows) checkUnit(`${title}: ${row.attribute}: ${row.values[col] ?? ""}`, [source], vocabulary, problems, true);
    });
  }
  return { ok: problems.length === 0, problems };
}

function checkUnit(unit: string, cited: AnswerSource[], vocabulary: string[], problems: ValidationProblem[], tableCell = false): void {
  const citedProducts = cited.filter((s) => s.product).map((s) => s.product as CatalogProduct);
  // A sentence naming one of the cited products is about that product only.
  const named = citedProducts.filter((p) => containsPhrase(unit, p.title));
  const products = named.length > 0 ? named : citedProducts;
  const citedText = cited.map(sourceText).join("\n");
  // Titles are names, not claims: "Size 8 Sneaker" does not claim a size 8.
  let body = unit.replace(CITATION, " ");
  for (const p of citedProducts) body = body.replace(new RegExp(escapeRegExp(p.title), "gi"), " ");
  // "1 of 1 options in stock" counts variants; its numbers are no option values.
  body = body.replace(VARIANT_COUNT, " ");

  // "doesn't come in M - Ø 50 cm": the claim is about the whole value written (or the values joined
  // by " / " meeting on one variant), not about the "M" inside it.
  const negatedObject = NEGATED_EXISTENCE.test(body)
    ? NEGATED_OBJECT.exec(body.split(/(?<!\d)[.:;(](?!\d)|,?\s(?:but|aber|mais|pero|maar)\s/)[0])?.[1]?.replace(/[\s.!?。]+$/u, "")
    : undefined;
  // Prices; a value denied as an option ("doesn't come in $10.03") is checked as an option below.
  const allowedPrices = products.flatMap((p) => p.variants.flatMap((v) => [v.price, ...(v.compareAtPrice !== null ? [v.compareAtPrice] : [])]));
  const textPrices = extractMoneyAmounts(citedText);
  const deniedAmount = negatedObject && /^\p{Sc}?\s?\d+(?:[.,]\d+)?\s?\p{Sc}?$/u.test(negatedObject);
  for (const amount of extractMoneyAmounts(deniedAmount ? body.replace(negatedObject, " ") : body)) {
    if (!allowedPrices.some((p) => sameAmount(p, amount)) && !textPrices.some((p) => sameAmount(p, amount))) {
      problems.push({ code: "unsupported_price", message: `The price ${amount} in "${trim(unit)}" matches no cited variant price or compare-at price.` });
    }
  }

  // Day counts.
  const allowedDays = new Set(dayCounts(citedText));
  for (const n of dayCounts(body)) {
    if (!allowedDays.has(n)) problems.push({ code: "unsupported_day_count", message: `"${n} days" in "${trim(unit)}" is not in the cited sources.` });
  }

  if (products.length === 0) return;
  const variants = products.flatMap((p) => p.variants);
  const mentioned = mentionedValues(body, vocabulary);
  const explicitSizes = explicitSizeClaims(body);
  const claimed = [...new Set([...mentioned, ...explicitSizes])];
  const negatedExistence = NEGATED_EXISTENCE.test(body);
  const hasValue = (value: string) => variants.some((v) => variantValues(v).some((x) => optionValueMatches(x, value)));

  if (negatedObject) {
    const wanted = withoutSizeWords(negatedObject);
    const parts = wanted.split(" / ").map(withoutSizeWords);
    const offered = variants.some((v) => holds(v, wanted)) || (parts.length > 1 && variants.some((v) => parts.every((part) => holds(v, part))));
    if (offered) problems.push({ code: "wrong_option_claim", message: `"${trim(unit)}" says it does not come in ${wanted}, but a cited variant does.` });
  }

  // Sizes and option values.
  for (const value of claimed) {
    if (negatedObject && valuePattern(value).test(negatedObject)) continue;
    if (negatedExistence) {
      // "doesn't come in size 8" is wrong when a variant is size 8 — unless that value is also listed as what it does come in.
      const firstClause = body.split(/[.:]/)[0];
      if (mentionedValues(firstClause, [value]).length > 0 || new RegExp(`${SIZE_WORD}\\s+${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, "u").test(firstClause)) {
        if (hasValue(value)) problems.push({ code: "wrong_option_claim", message: `"${trim(unit)}" says it does not come in ${value}, but a cited variant does.` });
        continue;
      }
    }
    if (!hasValue(value) && !containsPhrase(citedText, value)) {
      problems.push({
        code: "unsupported_option",
        message: `${value} in ${tableCell ? "the comparison" : `"${trim(unit)}"`} is not an option of the cited products.`,
      });
    }
  }

  // Stock claims, clause by clause. A clause naming cited products is about those only
  // ("In stock: A — out of stock; B — in stock"): titles are marked before the split, since
  // a title may hold the characters clauses split on ("Taper Candles (Pair)").
  let marked = unit.replace(CITATION, " ").replace(VARIANT_COUNT, " in stock ");
  citedProducts.forEach((p, i) => {
    marked = marked.replace(new RegExp(escapeRegExp(p.title), "gi"), ` \uE000${i}\uE000 `);
  });
  for (const markedClause of clauses(bindParenthesisedStatus(marked, vocabulary))) {
    const inClause = [...markedClause.matchAll(/\uE000(\d+)\uE000/g)].map((m) => citedProducts[Number(m[1])]).filter((p) => products.includes(p));
    const scope = (inClause.length > 0 ? inClause : products).flatMap((p) => p.variants);
    const clause = markedClause.replace(/\uE000\d+\uE000/g, " ");
    const negative = OUT_OF_STOCK.test(clause);
    const positive = !negative && IN_STOCK.test(clause);
    if (!negative && !positive) continue;
    const offered = (value: string) => scope.some((v) => variantValues(v).some((x) => optionValueMatches(x, value)));
    const values = mentionedValues(clause, vocabulary).filter(offered);
    // A listed item ("Black / Silver", "XL Tall") names one combination; items are separated by commas.
    const items = clause
      .split(/[,:、，：]/)
      .map((text) => ({ text, values: mentionedValues(text, vocabulary).filter(offered) }))
      .filter((item) => item.values.length > 0);
    const ok =
      values.length === 0
        ? stockHolds(scope, [], positive)
        : items.every(({ text, values: item }) => item.every((v) => stockHolds(scope.filter((x) => holdsAsOften(x, text, item)), combinationFor(scope, v, item), positive)));
    if (!ok) {
      problems.push({
        code: "wrong_stock_claim",
        message: `"${trim(clause)}" says ${positive ? "in stock" : "out of stock"}, but the cited variant availability says otherwise.`,
      });
    }
  }
}

// Nouns a count of products is written with, in every answer language.
const PRODUCT_NOUNS = new Set(
  "product products item items option options style styles piece pieces produkt produkte artikel option optionen produit produits article articles producto productos artículo artículos opción opciones opcion product producten artikelen optie opties"
    .split(" "),
);

/**
 * A catalog-wide answer names only products that meet the constraints (never the one in view for
 * a complement), and a listing's count of products is the catalog's count.
 */
function checkMatches(draft: AnswerToValidate, cited: AnswerSource[], expected: ExpectedMatches, problems: ValidationProblem[]): void {
  const allowed = new Set(expected.matches?.handles ?? []);
  const named = new Set([...(draft.productHandles ?? []), ...cited.filter((s) => s.product).map((s) => (s.product as CatalogProduct).handle)]);
  for (const handle of named) {
    if (handle === expected.productInView) {
      if ((draft.productHandles ?? []).includes(handle)) {
        problems.push({ code: "unmatched_product", message: `The product in view (${handle}) is recommended as going with itself.` });
      }
      continue;
    }
    if (!allowed.has(handle)) problems.push({ code: "unmatched_product", message: `The product ${handle} does not meet the question's constraints.` });
  }
  if (expected.productInView !== undefined || !expected.matches) return;
  const total = expected.matches.total;
  const nouns = new Set([...PRODUCT_NOUNS, ...cited.flatMap((s) => (s.product ? s.product.productType.toLowerCase().split(/\s+/) : []))]);
  let text = draft.answer.replace(CITATION, " ");
  for (const s of cited) text = text.replace(new RegExp(escapeRegExp(s.title), "gi"), " ");
  // Option values are names too: "L - 225 cm" is a size, not 225 products. Only whole values: size "8" is not in "18 products".
  const values = [...new Set(cited.flatMap((s) => (s.product ? s.product.variants.flatMap(variantValues) : [])))].filter((v) => /\d/.test(v));
  for (const value of values.sort((a, b) => b.length - a.length)) text = text.replace(new RegExp(String.raw`(?<![\p{L}\p{N}])${escapeRegExp(value)}(?![\p{L}\p{N}])`, "giu"), " ");
  const count = /(?<![\p{L}\p{N}.,$€£¥₹])(\d{1,6})(?![.,]\d)\s+((?:[\p{L}-]+\s+){0,2})([\p{L}-]+)/gu;
  for (const m of text.matchAll(count)) {
    // "size 8 among the dresses" is a size, not a count.
    if (new RegExp(String.raw`${SIZE_WORD}\s+$`, "u").test(text.slice(0, m.index))) continue;
    const words = [...m[2].trim().split(/\s+/).filter(Boolean), m[3]].map((w) => w.toLowerCase());
    if (!words.some((w) => nouns.has(w))) continue;
    const n = Number(m[1]);
    if (n !== total && n !== Math.min(total, cited.length)) {
      problems.push({ code: "wrong_count", message: `"${trim(m[0])}" gives ${n} products, but ${total} meet the question's constraints.` });
    }
  }
}

function holds(variant: CatalogVariant, value: string): boolean {
  return variantValues(variant).some((x) => optionValueMatches(x, value));
}

/** The option that holds a value on these variants, other than the options holding `besides` ("Silver" -> "Zipper color"). */
function optionOf(variants: CatalogVariant[], value: string, besides?: string): string | undefined {
  for (const v of variants) {
    for (const [name, x] of Object.entries(v.options)) {
      if (optionValueMatches(x, value) && !(besides !== undefined && optionValueMatches(x, besides))) return name;
    }
  }
  return undefined;
}

/**
 * "XL Regular, XL Tall are in stock": XL with Regular OR Tall. A value that never shares a variant
 * with `value` is an alternative to it; the others must meet it on one variant, and those held by
 * the same option are alternatives among themselves. Option names are read per product, so a value
 * held by two options ("Black" as the colour of one variant and the zipper of another) is not
 * mistaken for an alternative.
 */
function combinationFor(variants: CatalogVariant[], value: string, all: string[]): string[][] {
  const withValue = variants.filter((v) => holds(v, value));
  const groups = new Map<string, string[]>();
  for (const other of all) {
    if (other === value) continue;
    const together = withValue.filter((v) => holds(v, other));
    if (together.length === 0) continue;
    const name = optionOf(together, other, value);
    if (!name) continue;
    groups.set(name, [...(groups.get(name) ?? []), other]);
  }
  return [[value], ...groups.values()];
}

/** A label that repeats a value ("Black / Black": body and zipper) names a variant holding it that often. */
function holdsAsOften(variant: CatalogVariant, text: string, values: string[]): boolean {
  return values.every((value) => {
    const times = timesInLabel(text, value);
    return times <= 1 || variantValues(variant).filter((x) => optionValueMatches(x, value)).length >= times;
  });
}

/**
 * How often a variant label names a value: the parts joined by " / " ("Black / Black"), counting the
 * first part only where it ends with the value and the last only where it starts with it. The rest of
 * the sentence is no part of the label: "in stock in vela / one size among the vela" names "vela" once,
 * the second being the product type.
 */
function timesInLabel(text: string, value: string): number {
  const parts = text.split(" / ");
  if (parts.length < 2) return 1;
  return parts.filter((part, i) =>
    [...part.matchAll(valuePattern(value))].some(
      (m) => (i > 0 || part.slice(m.index + m[0].length).trim() === "") && (i < parts.length - 1 || part.slice(0, m.index).trim() === ""),
    ),
  ).length;
}

/** Each group: the variant must match one of its values. */
function stockHolds(variants: CatalogVariant[], groups: string[][], positive: boolean): boolean {
  const matching = variants.filter((v) => groups.every((group) => group.some((value) => holds(v, value))));
  if (matching.length === 0) return !positive;
  return positive ? matching.some((v) => v.available) : matching.every((v) => !v.available);
}

/** What a source says: its retrieved text, and for a product its description and filled-in facts. */
function sourceText(s: AnswerSource): string {
  const parts = [s.title, s.text];
  if (s.product) {
    parts.push(htmlToText(s.product.descriptionHtml));
    for (const f of s.product.metafields) parts.push(`${f.label}: ${f.value}`);
  }
  return parts.join("\n");
}

function trim(text: string): string {
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}

/** A short list of what was wrong, for the answerer's one retry. */
export function describeProblems(result: ValidationResult): string {
  return result.problems.map((p) => `- ${p.code}: ${p.message}`).join("\n");
}
