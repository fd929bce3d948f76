/**
 * Query understanding: intent, constraints and filters from a shopper's question,
 * read against the shop's own vocabulary (its option names and values, its
 * product types). Rules, not a model: fast, deterministic, testable. Pure.
 */
import type { Intent } from "../answering/types";
import type { CatalogProduct } from "../catalog/types";
import type { ChunkFilter } from "../stores/types";
import { asksForNow, detectListIntent } from "./detect-list-intent";
import { findFolded, foldText, type ProductWishes, wishesFromQuestion } from "./product-match";
import { escapeRegExp, tokenize } from "./text";

export type Region = "EU" | "UK" | "US" | "CA" | "AU";

export type PolicyTopic = "refund" | "shipping" | "warranty" | "privacy" | "terms" | "contact";

/**
 * What the question asks of products. The option values it names are wishes that each product
 * meets with its own options, whatever they are called (see `product-match.ts`).
 */
export interface QueryConstraints extends ProductWishes {
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
  /** "What goes with this dress" with no product in view or named: ask which product before searching. */
  needsProduct?: true;
  /** What the shopper asks about a product: its price, sizing/fit, stock... */
  aspect?: "price" | "stock" | "sizing" | "options" | "general";
}

export interface UnderstandQueryInput {
  question: string;
  locale: string;
  productInContext?: CatalogProduct;
  /** More products shown beside it (e.g. two being compared). */
  otherProductsInContext?: CatalogProduct[];
  /** The shop's option names -> values; the options of the products in context are added to them. */
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

/** Alternatives as whole words in any script ("soldé", "België"), case-insensitive. */
const words = (...alternatives: string[]) => new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${alternatives.join("|")})(?![\p{L}\p{N}])`, "iu");

const COMPARISON = words(
  String.raw`difference|differences|differ|compare|comparison|versus|vs\.?|better than|which (?:one )?is better|which should i (?:buy|get|choose)|these two|those two|both of them`,
  String.raw`unterschied(?:e)?|unterscheid\p{L}*|vergleich\p{L}*|besser als|welche[rsn]? (?:ist|sind) besser|diese beiden`,
  String.raw`différence|différences|différent|comparer|comparaison|mieux que|meilleur que|lequel est (?:le )?(?:mieux|meilleur)|ces deux`,
  String.raw`diferencia|diferencias|comparar|comparación|mejor que|cuál es mejor|estos dos|estas dos`,
  String.raw`verschil(?:len)?|vergelijk\p{L}*|beter dan|welke is beter|deze twee`,
);

const POLICY_TOPICS: [PolicyTopic, RegExp][] = [
  ["warranty", words(String.raw`warrant(?:y|ies)|guarantee|defective|broken on arrival|doa|garantie|gewährleistung|defekt|kaputt|défectueu(?:x|se)|garantía|defectuos[oa]|kapot|defect`)],
  [
    "refund",
    words(
      String.raw`return|returns|returning|refund|refunds|exchange|exchanges|money back|send (?:it )?back|withdrawal|restocking|final sale|cancel(?:l)?ation`,
      String.raw`rückgabe|rücksendung|retoure|zurück(?:zu)?(?:geben|schicken|senden)|(?:gebe|schicke|sende) \p{L}+(?: \p{L}+){0,3} zurück|umtausch(?:en)?|umzutauschen|erstattung|erstattet|widerruf`,
      String.raw`retour|retours|retourner|renvoyer|renvoi|rembourse(?:r|ment|é)|échange(?:r)?`,
      String.raw`devoluci[oó]n(?:es)?|devolver\p{L}*|devuelv\p{L}*|reembols\p{L}*|cambiar\p{L}*|cambio`,
      String.raw`retour(?:neren|neer|ren)?|terug(?: te)? (?:sturen|geven|brengen)|terugsturen|terugbrengen|(?:om)?ruilen|terugbetaling|geld terug`,
    ),
  ],
  [
    "shipping",
    words(
      String.raw`ship|shipping|shipped|delivery|deliver|delivered|postage|courier|dispatch|customs|duties|international|ships to|free shipping`,
      String.raw`versand|versandkosten|versenden|verschicken|lieferung|lieferzeit|liefern|geliefert|liefert|zustellung|porto|zoll`,
      String.raw`livraison|livrer|livrez|livré(?:e|s)?|expédi\p{L}*|envoi|frais de port|douane`,
      String.raw`env[ií]o|envíos|enviar|envían|entrega|gastos de envío|aduana`,
      String.raw`verzend\p{L}*|bezorg\p{L}*|levering|leveren|geleverd|levertijd|douane`,
    ),
  ],
  ["privacy", words(String.raw`privacy|personal data|gdpr|cookies|my data|datenschutz|dsgvo|confidentialité|données personnelles|rgpd|privacidad|datos personales|privacybeleid|persoonsgegevens|avg`)],
  ["terms", words(String.raw`terms|conditions|terms of service|legal|agb|geschäftsbedingungen|conditions générales|cgv|términos|condiciones|algemene voorwaarden|voorwaarden`)],
  [
    "contact",
    words(
      String.raw`contact|phone number|email address|customer service|opening hours|talk to (?:a )?(?:human|person)|kontakt|kundenservice|kundendienst|telefonnummer|öffnungszeiten`,
      String.raw`contacter|service client|numéro de téléphone|horaires|contacto|contactar|atención al cliente|teléfono|horario|klantenservice|telefoonnummer|openingstijden`,
    ),
  ],
];

const RECOMMENDATION = words(
  String.raw`recommend|recommendation|suggest|suggestion|go(?:es)? (?:well )?with|wear (?:it )?with|look good with|go together|match(?:es)? (?:with )?|pair(?:s)? (?:well )?with|looking for|gift|present for|something (?:for|to|that)|what should i (?:buy|wear|get)|show me|do you (?:have|sell|carry) (?:any|a|an|some)|any (?:good )?(?:options|ideas)|best .* for|alternatives?|similar`,
  String.raw`empfiehl\p{L}*|empfehl\p{L}*|vorschlag|vorschläge|passt (?:gut )?zu|passen (?:gut )?zu|dazu passt|kombinier\p{L}*|geschenk|ich suche|ähnlich\p{L}*|alternative\p{L}*`,
  String.raw`recommand\p{L}*|conseill\p{L}*|suggér\p{L}*|suggestion|va (?:bien )?avec|aller avec|assorti\p{L}*|porter avec|cadeau|je cherche|similaire\p{L}*`,
  String.raw`recomend\p{L}*|recomiend\p{L}*|suger\p{L}*|combina (?:bien )?con|va (?:bien )?con|queda (?:bien )?con|regalo|busco|parecid\p{L}*|similar(?:es)?`,
  String.raw`aanrad\p{L}*|aanbevel\p{L}*|suggesti\p{L}*|past (?:goed )?bij|passen bij|combiner\p{L}*|ik zoek|vergelijkbare|cadeau`,
);

const COMPLEMENT = words(
  String.raw`go(?:es)? (?:well )?with|wear (?:it )?with|look good with|go together|pairs? (?:well )?with|match(?:es)?|wear (?:it )?with|style (?:it )?with|complete the look`,
  String.raw`passt (?:gut )?zu|passen (?:gut )?zu|dazu passt|dazu tragen|kombinier\p{L}*|va (?:bien )?avec|aller avec|assorti\p{L}*|porter avec`,
  String.raw`combina (?:bien )?con|va (?:bien )?con|queda (?:bien )?con|llevar con|past (?:goed )?bij|passen bij|combineren met|dragen met`,
);

const SALE_ITEMS = words(
  String.raw`sale items?|on sale|sale products?|discounted|clearance|final sale|marked down|reduced`,
  String.raw`sale-artikel|reduziert\p{L}*|im angebot|ausverkauf|rabattiert\p{L}*|soldes?|soldée?s?|en promotion|démarqu\p{L}*|rebajas|rebajad[oa]s?|en oferta|liquidación|solden|solden-artikel|afgeprijsd\p{L}*|in de uitverkoop|uitverkoop|korting`,
);

const AVAILABILITY =
  /\b(come[s]? in|erhältlich|verfügbar in|disponible en|disponibles? dans|hay en|tienen en|leverbaar in|beschikbaar in|available in|availability|in stock|out of stock|sold out|back in stock|restock|have (it|this|them|one) in|sizes?|sizing|fit|fits|run(s)? (small|large|big|true)|true to size|what size|which size|colou?rs?|in (a |an )?(small|medium|large|petite|tall)|gr(?:ö|oe)(?:ß|ss)en?|tailles?|tallas?|maat|maten|auf lager|vorrätig|en stock|op voorraad|gibt es|existe|viene en|verkrijgbaar)\b/i;

const PRICE_ASPECT = /\b(price|cost|costs|how much|expensive|cheap|on sale|discount|sale price|preis|kostet|kosten|wie ?viel|prix|coûte|combien|precio|cuesta|cuánto|prijs|kost|hoeveel)\b/i;
const STOCK_ASPECT =
  /\b(in stock|out of stock|sold out|available|availability|back in stock|restock|auf lager|vorrätig|lieferbar|verfügbar|en stock|disponible|(?:hay|queda|quedan|tienen) (?:stock|existencias)|agotad[oa]|épuisée?|op voorraad|voorradig|uitverkocht|leverbaar|beschikbaar)\b/i;
const SIZING_ASPECT = /\b(run(s)? (small|large|big|true)|true to size|what size (should|do)|which size (should|do)|sizing|fit like|fits? (small|large|big))\b/i;

// Places, in the widget languages, for the regions a policy may single out.
const PLACES: [Region, string][] = [
  [
    "EU",
    "eu|e\\.u\\.|ue|europe|europa|european union|europäische union|union européenne|unión europea|europese unie|germany|deutschland|allemagne|alemania|duitsland|france|frankreich|francia|frankrijk|spain|spanien|espagne|españa|spanje|italy|italien|italie|italia|italië|netherlands|holland|niederlande|pays-bas|países bajos|nederland|belgium|belgien|belgique|bélgica|belgië|austria|österreich|autriche|oostenrijk|ireland|irland|irlande|irlanda|ierland|portugal|poland|polen|pologne|polonia|sweden|schweden|suède|suecia|zweden|denmark|dänemark|danemark|dinamarca|denemarken|finland|finnland|finlande|finlandia|greece|griechenland|grèce|grecia|griekenland|czechia|czech republic|luxembourg|luxemburg|luxemburgo",
  ],
  [
    "UK",
    "uk|u\\.k\\.|united kingdom|great britain|britain|england|scotland|wales|northern ireland|vereinigte[sn]? königreich|gro(?:ß|ss)britannien|royaume-uni|angleterre|reino unido|inglaterra|gran bretaña|verenigd koninkrijk|engeland|groot-brittannië",
  ],
  ["US", "united states|america|vereinigte(?:n)? staaten|amerika|états-unis|etats-unis|estados unidos|verenigde staten"],
  ["CA", "canada|kanada|canadá"],
  ["AU", "australia|australien|australie|australië"],
];
// Words that put the shopper (or their parcel) in a place: "to", "from", "in", "I live in", "nach", "depuis", "desde", "uit"...
const PLACE_CUE = String.raw`(?:to|from|in|into|within|inside|outside|across|for|live in|based in|nach|aus|innerhalb|außerhalb|für|vers|depuis|en|au|aux|à|dans|hors|pour|desde|a|al|dentro de|fuera de|para|naar|uit|vanuit|binnen|buiten|voor)`;
const PLACE_ARTICLE = String.raw`(?:the|der|die|dem|den|la|le|les|l['’]|el|los|las|het|de)`;
const REGIONS: [Region, RegExp][] = PLACES.map(([region, names]) => [
  region,
  new RegExp(String.raw`(?<![\p{L}])${PLACE_CUE}\s+(?:${PLACE_ARTICLE}\s*)?(?:${names})(?![\p{L}\p{N}])(?!\s*\d)`, "iu"),
]);
// "us" is a pronoun ("send us", "to us"): as an abbreviation it counts only in capitals, after a cue.
const US_ABBREVIATION = /(?<![\p{L}])(?:US|USA|U\.S\.A?\.?)(?![\p{L}\p{N}])/gu;
const CUE_BEFORE = new RegExp(String.raw`(?<![\p{L}])${PLACE_CUE}\s+(?:the\s+)?$`, "iu");

/** The region the shopper says they are in or ship to; never a place inside a product's name. */
function readRegion(q: string): Region | undefined {
  for (const [region, pattern] of REGIONS) {
    if (pattern.test(q)) return region;
    if (region === "US" && [...q.matchAll(US_ABBREVIATION)].some((m) => CUE_BEFORE.test(q.slice(0, m.index)))) return region;
  }
  return undefined;
}

function extractProductType(q: string, productTypes: string[], productInContext?: CatalogProduct): string | undefined {
  let best: { type: string; asWritten: boolean } | undefined;
  // A type named as the shop writes it beats one reached by adding or dropping a plural ending: in a shop with both
  // "Sleep Patch" and "Sleep Patches", "which Sleep Patch" names the first. Then the longest type wins.
  const better = (type: string, asWritten: boolean) => !best || (asWritten !== best.asWritten ? asWritten : type.length > best.type.length);
  for (const type of productTypes) {
    if (!type.trim()) continue;
    const forms = new Set([type, type.replace(/s$/i, ""), type.endsWith("s") ? type : `${type}s`, type.replace(/es$/i, "")]);
    for (const form of forms) {
      if (form.length < 3) continue;
      const m = new RegExp(String.raw`(^|[^\p{L}])(this|that|my|these|the same)?\s*${escapeRegExp(form)}($|[^\p{L}])`, "iu").exec(q);
      // "this dress" is the product in context, not a wish for more dresses.
      if (m && (!m[2] || productInContext === undefined) && better(type, form === type)) best = { type, asWritten: form === type };
    }
  }
  return best?.type;
}

// Titles folded once per vocabulary, longest first: a question then costs one search per title.
const titlesByVocabulary = new WeakMap<object, { handle: string; folded: string }[]>();

function foldedTitles(known: { handle: string; title: string }[]): { handle: string; folded: string }[] {
  let titles = titlesByVocabulary.get(known);
  if (!titles) {
    titles = known
      .filter((p) => p.title.trim().length >= 4)
      .map((p) => ({ handle: p.handle, folded: foldText(p.title) }))
      .sort((a, b) => b.folded.length - a.folded.length);
    titlesByVocabulary.set(known, titles);
  }
  return titles;
}

function mentionedProducts(q: string, known: { handle: string; title: string }[]): string[] {
  const hay = foldText(q);
  // A title counts where it is not part of a longer title named at that place: "Cheerful Onepiece and
  // Cheerful Onepiece - Black" names both, "Rain Shell Tall" names only itself.
  const taken: [number, number][] = [];
  const found: { handle: string; at: number }[] = [];
  for (const p of foldedTitles(known)) {
    if (!hay.includes(p.folded)) continue;
    let from = 0;
    for (let span = findFolded(hay, p.folded); span; span = findFolded(hay, p.folded, from)) {
      from = span[0] + 1;
      if (taken.some(([s, e]) => span![0] >= s && span![1] <= e)) continue;
      taken.push(span);
      found.push({ handle: p.handle, at: span[0] });
      break;
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.handle);
}

const SEARCH_FILLER = new Set(
  // Words every product chunk carries ("size", "stock", "price") match thousands of rows in BM25 and rank nothing;
  // the structured constraints carry them instead.
  "does do is are can could would will what which how when where why who this that these those it its the a an of to me i you your please tell know there any have has about for with in on and or size sizes stock available availability come comes price cost much goes go".split(" "),
);

/** The shop's values, plus those of the products on screen (a value may be new since the vocabulary was read). */
function withOptionsOf(known: Record<string, string[]>, products: (CatalogProduct | undefined)[]): Record<string, string[]> {
  const missing = products.flatMap((p) => (p?.variants ?? []).flatMap((v) => Object.entries(v.options))).filter(([name, value]) => !(known[name] ?? []).includes(value));
  // Usually the vocabulary already holds them: keep the same object, whose folded values are cached.
  if (missing.length === 0) return known;
  const out: Record<string, string[]> = { ...known };
  for (const [name, value] of missing) if (!(out[name] ?? []).includes(value)) out[name] = [...(out[name] ?? []), value];
  return out;
}

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

  const knownOptions = withOptionsOf(input.knownOptions, [context, ...(input.otherProductsInContext ?? [])]);
  const constraints: QueryConstraints = { ...wishesFromQuestion(q, { knownOptions, productTitles: titles }) };
  // A type word inside a value the shopper asks for is part of that value: "en M - 40 cm - Ø pot 21 cm" names no pots.
  let valueless = unnamed;
  const typeNames = new Set(input.productTypes.map((t) => t.trim().toLowerCase()));
  for (const wish of [...constraints.values].sort((a, b) => b.value.length - a.value.length)) {
    if (!typeNames.has(wish.value.trim().toLowerCase())) valueless = valueless.replace(new RegExp(String.raw`(?<![\p{L}\p{N}])${escapeRegExp(wish.value)}(?![\p{L}\p{N}])`, "giu"), " ");
  }
  const productType = extractProductType(valueless, input.productTypes, context);
  if (productType) constraints.productType = productType;
  const region = readRegion(unnamed);
  if (region) constraints.region = region;
  if (SALE_ITEMS.test(q)) constraints.saleItems = true;

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
  else if (AVAILABILITY.test(q) || constraints.values.length > 0) intent = "availability";
  else intent = "product_fact";

  // Catalog-wide asks: "which of your dresses…" lists every match; "what goes with this…" complements.
  const listIntent = ["order_status", "off_topic", "policy", "comparison"].includes(intent)
    ? undefined
    : detectListIntent({
        question: q,
        refersToContext,
        hasProduct: productHandles.length > 0,
        productType,
        hasConstraints: constraints.values.length > 0 || constraints.priceMax !== undefined || constraints.priceMin !== undefined || !!constraints.inStock,
      });
  if (listIntent === "listing") intent = "listing";
  if (listIntent === "complement") intent = "recommendation";
  if (listIntent && asksForNow(q)) constraints.inStock = true;

  if (intent !== "policy") policyTopic = intent === "order_status" ? undefined : policyTopic;

  let aspect: QueryUnderstanding["aspect"];
  if (intent === "availability" || intent === "product_fact") {
    if (SIZING_ASPECT.test(q)) aspect = "sizing";
    else if (PRICE_ASPECT.test(q)) aspect = "price";
    else if (constraints.values.length > 0) aspect = "options";
    else if (STOCK_ASPECT.test(q)) aspect = "stock";
    else if (/\b(sizes?|colou?rs?|options|variants|styles)\b/i.test(q)) aspect = "options";
    else aspect = "general";
  }

  let complementOf: string | undefined;
  const complementFor = listIntent === "complement" ? productHandles[0] : undefined;
  if (listIntent === "complement") {
    const target = [context, ...(input.otherProductsInContext ?? [])].find((p) => p?.handle === complementFor);
    complementOf = target?.productType || undefined;
  } else if (intent === "recommendation" && context?.productType && COMPLEMENT.test(q)) {
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
    // Option values are not filtered in the index: each product meets them with its own options,
    // whatever they are called, which the reranker and the answerer check per product.
    if (constraints.inStock) filters.variant = { available: true };
  }

  const words = q
    .replace(/[^\p{L}\p{N}$€£.\s-]/gu, " ")
    .split(/\s+/)
    .filter((w) => w && !SEARCH_FILLER.has(w.toLowerCase()));
  const prefix = context && refersToContext && intent !== "policy" ? [context.title] : [];
  const topicWords = intent === "policy" && policyTopic === "refund" ? ["return", "refund"] : [];
  const searchText = [...prefix, ...words, ...topicWords].join(" ").trim() || q;

  const needsProduct = listIntent === "complement" && !complementFor;
  return {
    intent,
    filters,
    constraints,
    productHandles,
    searchText,
    policyTopic,
    aspect,
    ...(complementOf ? { complementOf } : {}),
    ...(complementFor ? { complementFor } : {}),
    ...(needsProduct ? { needsProduct: true as const } : {}),
  };
}
