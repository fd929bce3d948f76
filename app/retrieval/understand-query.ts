/**
 * Query understanding: intent, constraints and filters from a shopper's question,
 * read against the shop's own vocabulary (its option names and values, its
 * product types). Rules, not a model: fast, deterministic, testable. Pure.
 */
import type { Intent } from "../answering/types";
import type { CatalogProduct } from "../catalog/types";
import type { ChunkFilter } from "../stores/types";
import { asksForNow, detectListIntent } from "./detect-list-intent";
import { containsPhrase, escapeRegExp, tokenize } from "./text";
import { canonicalValue, isSizeOptionName } from "./variant-match";

export type Region = "EU" | "UK" | "US" | "CA" | "AU";

export type PolicyTopic = "refund" | "shipping" | "warranty" | "privacy" | "terms" | "contact";

export interface QueryConstraints {
  /** Option name -> wanted value, e.g. { Size: "Tall" }. */
  options: Record<string, string>;
  priceMax?: number;
  priceMin?: number;
  inStock?: boolean;
  productType?: string;
  region?: Region;
  /** The question is about items on sale ("sale items", "discounted"). */
  saleItems?: boolean;
}

export interface QueryUnderstanding {
  intent: Intent;
  filters: ChunkFilter;
  constraints: QueryConstraints;
  /** Products the question is about: the one in context when referred to, and any named. */
  productHandles: string[];
  /** What to search for, with the product in context named instead of "this". */
  searchText: string;
  /** For policy questions: which policy it is about. */
  policyTopic?: PolicyTopic;
  /** "What goes with this dress": the product type to complement, not to repeat. */
  complementOf?: string;
  /** "What goes with this dress": the handle of the product to complement (never recommended itself). */
  complementFor?: string;
  /** What the shopper asks about a product: its price, sizing/fit, stock... */
  aspect?: "price" | "stock" | "sizing" | "options" | "general";
}

export interface UnderstandQueryInput {
  question: string;
  locale: string;
  productInContext?: CatalogProduct;
  /** More products shown beside it (e.g. two being compared). */
  otherProductsInContext?: CatalogProduct[];
  /** The shop's option names -> values. */
  knownOptions: Record<string, string[]>;
  productTypes: string[];
  /** Titles the shop sells, so a named product is recognised. */
  knownProducts?: { handle: string; title: string }[];
}

// Rules read English first; a few words per storefront language (de, fr, es, nl) let a shopper
// on a translated storefront ask the common questions (size, stock, price, returns) in their own words.
const ORDER_STATUS =
  /\b(meine bestellung|bestellnummer|ma commande|mi pedido|mijn bestelling|my order|order status|order number|order #|order no|where is my|track(ing)? (my )?(order|package|parcel|number)|tracking|has my .* shipped|when will my .* (arrive|ship)|cancel my order|change my order|my (package|parcel|delivery|refund)\b)/i;

const OFF_TOPIC =
  /\b(weather|joke|poem|song|lyrics|president|election|politic|recipe|capital of|homework|bitcoin|crypto|stock market|football score|who won|meaning of life|write (me )?(a|an|some) (essay|story|code|program|poem)|translate|horoscope|what time is it|how old are you|are you (human|a robot|an ai))\b/i;

const GREETING_ONLY = /^\s*(hi|hello|hey|yo|good (morning|afternoon|evening)|thanks|thank you|ok|okay)[\s!.?]*$/i;

const COMPARISON = /\b(difference|differences|differ|compare|comparison|versus|vs\.?|better than|which (one )?is better|which should i (buy|get|choose)|these two|those two|both of them)\b/i;

const POLICY_TOPICS: [PolicyTopic, RegExp][] = [
  ["warranty", /\b(warrant(y|ies)|guarantee|defective|broken on arrival|doa)\b/i],
  ["refund", /\b(return|returns|returning|refund|refunds|exchange|exchanges|money back|send (it )?back|withdrawal|restocking|final sale|cancel(l)?ation|rückgabe|zurück(?:zu)?geben|zurück(?:zu)?schicken|umtausch(?:en)?|erstattung|widerruf|retour(?:ner|s)?|rembourse(?:r|ment)|devoluci[oó]n(?:es)?|devolver|reembolso|retourneren|terugsturen|ruilen|terugbetaling)\b/i],
  ["shipping", /\b(ship|shipping|shipped|delivery|deliver|postage|courier|dispatch|customs|duties|international|ships to|free shipping)\b/i],
  ["privacy", /\b(privacy|personal data|gdpr|cookies|my data)\b/i],
  ["terms", /\b(terms|conditions|terms of service|legal)\b/i],
  ["contact", /\b(contact|phone number|email address|customer service|opening hours|talk to (a )?(human|person))\b/i],
];

const RECOMMENDATION =
  /\b(recommend|recommendation|suggest|suggestion|goes? (well )?with|go together|match(es)? (with )?|pair(s)? (well )?with|looking for|gift|present for|something (for|to|that)|what should i (buy|wear|get)|show me|do you (have|sell|carry) (any|a|an|some)|any (good )?(options|ideas)|best .* for|alternatives?|similar)\b/i;

const AVAILABILITY =
  /\b(come[s]? in|available in|availability|in stock|out of stock|sold out|back in stock|restock|have (it|this|them|one) in|sizes?|sizing|fit|fits|run(s)? (small|large|big|true)|true to size|what size|which size|colou?rs?|in (a |an )?(small|medium|large|petite|tall)|gr(?:ö|oe)(?:ß|ss)en?|tailles?|tallas?|maat|maten|auf lager|vorrätig|en stock|op voorraad|gibt es|existe|viene en|verkrijgbaar)\b/i;

const PRICE_ASPECT = /\b(price|cost|costs|how much|expensive|cheap|on sale|discount|sale price|preis|kostet|kosten|wie ?viel|prix|coûte|combien|precio|cuesta|cuánto|prijs|kost|hoeveel)\b/i;
const STOCK_ASPECT =
  /\b(in stock|out of stock|sold out|available|availability|back in stock|restock|auf lager|vorrätig|lieferbar|verfügbar|en stock|disponible|op voorraad|leverbaar|beschikbaar)\b/i;
const SIZING_ASPECT = /\b(run(s)? (small|large|big|true)|true to size|what size (should|do)|which size (should|do)|sizing|fit like|fits? (small|large|big))\b/i;

const IN_STOCK = /\b(in[- ]stock|auf lager|vorrätig|en stock|op voorraad|available (now|today|to (buy|order|ship))|currently available|ready to ship|ships? (now|today|immediately))\b/i;

const REGIONS: [Region, RegExp, boolean][] = [
  ["EU", /\b(EU|E\.U\.|europe|european( union)?|germany|deutschland|france|spain|italy|netherlands|belgium|austria|ireland|portugal|poland|sweden|denmark|finland|greece|czechia|luxembourg)\b/i, false],
  ["UK", /\b(UK|U\.K\.|united kingdom|great britain|britain|england|scotland|wales|northern ireland)\b/i, false],
  // "us" is a pronoun: only the capitalised abbreviations count.
  ["US", /\b(US|USA|U\.S\.A?\.?)(?=[\s,.?!]|$)|\b(united states|america)\b/, true],
  ["CA", /\b(canada|canadian)\b/i, false],
  ["AU", /\b(australia|australian)\b/i, false],
];

const AMOUNT = String.raw`(?:[$€£₹]|rs\.?\s?)?\s?(\d+(?:[.,]\d{1,2})?)\s?(?:dollars?|euros?|pounds?|usd|eur|gbp|inr|rupees)?`;
const NOT_MONEY = String.raw`(?![\d.,])(?!\s?(?:days?|hours?|weeks?|months?|years?|kg|g|cm|mm|m|ml|l|inch|inches|"|%|pcs|pieces|items))`;

function parseAmount(raw: string): number {
  return Number(raw.replace(",", "."));
}

function extractPrice(q: string): { priceMin?: number; priceMax?: number } {
  const between = new RegExp(String.raw`\b(?:between|from)\s+${AMOUNT}\s*(?:and|to|-|–)\s*${AMOUNT}${NOT_MONEY}`, "i").exec(q);
  if (between) {
    const a = parseAmount(between[1]);
    const b = parseAmount(between[2]);
    return { priceMin: Math.min(a, b), priceMax: Math.max(a, b) };
  }
  const out: { priceMin?: number; priceMax?: number } = {};
  const max = new RegExp(String.raw`\b(?:under|below|less than|cheaper than|up to|max(?:imum)?|at most|no more than|within(?: a budget of)?|budget(?: of)?)\s+${AMOUNT}${NOT_MONEY}`, "i").exec(q);
  if (max) out.priceMax = parseAmount(max[1]);
  const min = new RegExp(String.raw`\b(?:over|above|more than|at least|starting at)\s+${AMOUNT}${NOT_MONEY}`, "i").exec(q);
  if (min) out.priceMin = parseAmount(min[1]);
  return out;
}

/** Words that qualify a size range ("Tall", "Petite") and may stand for a group of values. */
const SIZE_QUALIFIERS = ["tall", "petite", "plus", "regular", "long", "short", "maternity", "wide", "narrow", "slim", "relaxed"];
const SHORT_SIZES = /^(xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl|os)$/i;

function extractOptions(q: string, knownOptions: Record<string, string[]>): Record<string, string> {
  const found: Record<string, string> = {};
  const sizeOption = Object.keys(knownOptions).find(isSizeOptionName) ?? "Size";

  for (const [name, values] of Object.entries(knownOptions)) {
    let best: string | undefined;
    const consider = (candidate: string) => {
      if (!best || candidate.length > best.length) best = candidate;
    };
    for (const raw of values) {
      const value = raw.trim();
      if (!value || /^default title$/i.test(value)) continue;
      if (SHORT_SIZES.test(value) || value.length <= 2 || /^\d+(\.\d+)?$/.test(value)) {
        // "M" or "8" alone is too ambiguous: accept "size M", "in M", "an 8", or a capitalised code like "XL".
        const v = escapeRegExp(value);
        const prefixed = new RegExp(
          String.raw`\b(?:size|sz|in(?: an?)?|an?|gr(?:ö|oe)(?:ß|ss)e|taille|talla|maat|en)\s+${v}(?![\p{L}\p{N}])(?!\s*(?:days?|weeks?|hours?|months?|years?|items?|pieces?|tage|tagen|jours?|d[ií]as?|dagen)\b)`,
          "iu",
        );
        const capital = value.length >= 2 && !/\d/.test(value) && new RegExp(String.raw`(?<![\p{L}\p{N}'’])${escapeRegExp(value.toUpperCase())}(?![\p{L}\p{N}'’])`, "u");
        if (prefixed.test(q) || (capital && capital.test(q))) consider(value);
        continue;
      }
      if (containsPhrase(q, value)) consider(value);
    }
    if (!best && isSizeOptionName(name)) {
      // A qualifier shared by several values ("M Tall", "L Tall") asked for as a group: "tall sizes".
      const words = new Set(values.flatMap((v) => tokenize(v)));
      for (const word of SIZE_QUALIFIERS) {
        if (words.has(word) && containsPhrase(q, word)) {
          best = capitalise(word);
          break;
        }
      }
    }
    if (best) found[name] = best;
  }

  if (!Object.keys(found).some(isSizeOptionName)) {
    // The shop's vocabulary does not name it, but the shopper asks for a size: keep it so we can say no.
    const sizeN = /\b(?:size|gr(?:ö|oe)(?:ß|ss)e|taille|talla|maat)\s+([A-Za-z]{0,3}\d[\w./×-]*|xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl)(?![\w])/i.exec(q);
    const word = /\b(?:in|a|an)\s+(extra small|small|medium|large|extra large)\b/i.exec(q);
    const qualifier = SIZE_QUALIFIERS.find((w) => new RegExp(String.raw`\b${w}\s+(sizes?|fit|length)\b|\bin\s+${w}\b`, "i").test(q));
    if (sizeN) found[sizeOption] = /\d/.test(sizeN[1]) ? sizeN[1] : sizeN[1].toUpperCase();
    else if (word) {
      // Prefer the shop's own spelling: "medium" is "M" where the shop says "M".
      const own = (knownOptions[sizeOption] ?? []).find((v) => canonicalValue(v) === canonicalValue(word[1]));
      found[sizeOption] = own ?? capitalise(word[1]);
    }
    else if (qualifier) found[sizeOption] = capitalise(qualifier);
  }
  return found;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function extractProductType(q: string, productTypes: string[], productInContext?: CatalogProduct): string | undefined {
  let best: string | undefined;
  for (const type of productTypes) {
    if (!type.trim()) continue;
    const forms = new Set([type, type.replace(/s$/i, ""), type.endsWith("s") ? type : `${type}s`, type.replace(/es$/i, "")]);
    for (const form of forms) {
      if (form.length < 3) continue;
      const m = new RegExp(String.raw`(^|[^\p{L}])(this|that|my|these|the same)?\s*${escapeRegExp(form)}($|[^\p{L}])`, "iu").exec(q);
      // "this dress" is the product in context, not a wish for more dresses.
      if (m && !m[2] && (!best || type.length > best.length)) best = type;
      if (m && m[2] && productInContext === undefined && (!best || type.length > best.length)) best = type;
    }
  }
  return best;
}

function mentionedProducts(q: string, known: { handle: string; title: string }[]): string[] {
  const lower = q.toLowerCase();
  const hits = known
    .filter((p) => p.title.length >= 4 && lower.includes(p.title.toLowerCase()))
    .sort((a, b) => b.title.length - a.title.length);
  // A longer title that contains a shorter one ("Rain Shell Tall" vs "Rain Shell") wins.
  const kept: { handle: string; title: string }[] = [];
  for (const h of hits) if (!kept.some((k) => k.title.toLowerCase().includes(h.title.toLowerCase()))) kept.push(h);
  return kept.map((k) => k.handle);
}

const SEARCH_FILLER = new Set(
  // Words every product chunk carries ("size", "stock", "price") match thousands of rows in BM25 and rank nothing;
  // the structured constraints carry them instead.
  "does do is are can could would will what which how when where why who this that these those it its the a an of to me i you your please tell know there any have has about for with in on and or size sizes stock available availability come comes price cost much goes go".split(" "),
);

export function understandQuery(input: UnderstandQueryInput): QueryUnderstanding {
  const q = input.question.replace(/\s+/g, " ").trim();
  const refersToContext = /\b(this|it|its|it's|these|they|them|that one|this one|the product)\b/i.test(q);
  const context = input.productInContext;

  const named = mentionedProducts(q, input.knownProducts ?? []);
  // A product's name is not a wish: "Dainty Gold Necklace" does not ask for the option "Gold".
  const titles = [context?.title, ...(input.otherProductsInContext ?? []).map((p) => p.title), ...(input.knownProducts ?? []).filter((p) => named.includes(p.handle)).map((p) => p.title)]
    .filter((t): t is string => !!t && t.length >= 4)
    .sort((a, b) => b.length - a.length);
  let unnamed = q;
  for (const title of titles) unnamed = unnamed.replace(new RegExp(escapeRegExp(title), "gi"), " the product ");

  const constraints: QueryConstraints = { options: extractOptions(unnamed, input.knownOptions), ...extractPrice(unnamed) };
  if (IN_STOCK.test(q) && !/\bout of stock\b/i.test(q)) constraints.inStock = true;
  const productType = extractProductType(unnamed, input.productTypes, context);
  if (productType) constraints.productType = productType;
  for (const [region, pattern] of REGIONS) {
    if (pattern.test(q)) {
      constraints.region = region;
      break;
    }
  }
  if (/\b(sale items?|on sale|sale products?|discounted|clearance|final sale|marked down|reduced)\b/i.test(q)) constraints.saleItems = true;

  const productHandles: string[] = [];
  if (context && (refersToContext || named.length === 0)) productHandles.push(context.handle);
  for (const p of input.otherProductsInContext ?? []) if (!productHandles.includes(p.handle)) productHandles.push(p.handle);
  for (const h of named) if (!productHandles.includes(h)) productHandles.push(h);

  let policyTopic: PolicyTopic | undefined;
  for (const [topic, pattern] of POLICY_TOPICS) {
    if (pattern.test(q)) {
      policyTopic = topic;
      break;
    }
  }

  let intent: Intent;
  if (ORDER_STATUS.test(q)) intent = "order_status";
  else if (OFF_TOPIC.test(q) || GREETING_ONLY.test(q) || tokenize(q).length === 0) intent = "off_topic";
  else if (COMPARISON.test(q) || (productHandles.length >= 2 && /\bor\b/i.test(q))) intent = "comparison";
  else if (policyTopic && !(policyTopic === "shipping" && /\b(ship|ships) (in|within)\b/i.test(q) && context)) intent = "policy";
  else if (RECOMMENDATION.test(q)) intent = "recommendation";
  else if (AVAILABILITY.test(q) || Object.keys(constraints.options).length > 0) intent = "availability";
  else intent = "product_fact";

  // Catalog-wide asks: "which of your dresses…" lists every match; "what goes with this…" complements.
  const listIntent = ["order_status", "off_topic", "policy", "comparison"].includes(intent)
    ? undefined
    : detectListIntent({
        question: q,
        refersToContext,
        hasProduct: productHandles.length > 0,
        productType,
        hasConstraints: Object.keys(constraints.options).length > 0 || constraints.priceMax !== undefined || constraints.priceMin !== undefined || !!constraints.inStock,
      });
  if (listIntent === "listing") intent = "listing";
  if (listIntent === "complement") intent = "recommendation";
  if (listIntent && asksForNow(q)) constraints.inStock = true;

  if (intent !== "policy") policyTopic = intent === "order_status" ? undefined : policyTopic;

  let aspect: QueryUnderstanding["aspect"];
  if (intent === "availability" || intent === "product_fact") {
    if (SIZING_ASPECT.test(q)) aspect = "sizing";
    else if (PRICE_ASPECT.test(q)) aspect = "price";
    else if (Object.keys(constraints.options).length > 0) aspect = "options";
    else if (STOCK_ASPECT.test(q)) aspect = "stock";
    else if (/\b(sizes?|colou?rs?|options|variants|styles)\b/i.test(q)) aspect = "options";
    else aspect = "general";
  }

  let complementOf: string | undefined;
  const complementFor = listIntent === "complement" ? productHandles[0] : undefined;
  if (listIntent === "complement") {
    const target = [context, ...(input.otherProductsInContext ?? [])].find((p) => p?.handle === complementFor);
    complementOf = target?.productType || undefined;
  } else if (intent === "recommendation" && context?.productType && /\b(goes? (well )?with|go together|pairs? (well )?with|match(es)?|wear (it )?with|style (it )?with|complete the look)\b/i.test(q)) {
    complementOf = context.productType;
  }

  const filters: ChunkFilter = {};
  if (intent === "policy") filters.sourceTypes = ["policy", "page", "document"];
  if (intent === "recommendation") {
    filters.sourceTypes = ["product"];
    if (constraints.priceMax !== undefined) filters.priceMax = constraints.priceMax;
    if (constraints.priceMin !== undefined) filters.priceMin = constraints.priceMin;
    if (constraints.productType) filters.productType = constraints.productType;
    if (constraints.inStock) filters.available = true;
    if (Object.keys(constraints.options).length > 0 || constraints.inStock) {
      filters.variant = {};
      if (Object.keys(constraints.options).length > 0) filters.variant.options = { ...constraints.options };
      if (constraints.inStock) filters.variant.available = true;
    }
  }

  const words = q
    .replace(/[^\p{L}\p{N}$€£.\s-]/gu, " ")
    .split(/\s+/)
    .filter((w) => w && !SEARCH_FILLER.has(w.toLowerCase()));
  const prefix = context && refersToContext && intent !== "policy" ? [context.title] : [];
  const topicWords = intent === "policy" && policyTopic === "refund" ? ["return", "refund"] : [];
  const searchText = [...prefix, ...words, ...topicWords].join(" ").trim() || q;

  return { intent, filters, constraints, productHandles, searchText, policyTopic, aspect, ...(complementOf ? { complementOf } : {}), ...(complementFor ? { complementFor } : {}) };
}
