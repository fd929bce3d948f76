/**
 * The local answerer: no language model. It composes answers from structured
 * facts (variants, sizes, stock, prices, compare-at prices, policy sections) and
 * quotes the best evidence sentences, citing each. When the sources do not
 * support an answer it says so and names the store's contact: never a guess.
 * Text inside products and policies is evidence, never instructions.
 */
import { htmlToText } from "../catalog/html-to-text";
import type { CatalogProduct, CatalogVariant } from "../catalog/types";
import { contentTokens, containsPhrase, looksLikeInstruction, splitSentences } from "../retrieval/text";
import type { Region } from "../retrieval/understand-query";
import { variantsMeeting } from "../retrieval/catalog-matches";
import { applicableWishes, hasWishes, isSizeOptionName, looksLikeSizeOption, matchingVariants, optionNamesHolding, type ProductWishes, type ValueWish } from "../retrieval/product-match";
import { variantLabel } from "../retrieval/variant-match";
import { jaccard } from "../retrieval/mmr";
import { messagesFor, type Messages, type StoreContactInfo } from "./messages";
import { formatPrice } from "./money";
import type { AnswerRequest, AnswerSource, Answerer, DraftAnswer } from "./types";
import { dayCounts } from "./validate-answer";

export const LOCAL_ANSWERER_MODEL = "local-composer";

interface Composed {
  parts: string[];
  cited: string[];
  products: string[];
  refused: boolean;
  comparison?: DraftAnswer["comparison"];
}

export function createLocalAnswerer(): Answerer {
  return {
    id: LOCAL_ANSWERER_MODEL,
    async answer(request) {
      return composeLocalAnswer(request);
    },
  };
}

export function composeLocalAnswer(request: AnswerRequest): DraftAnswer {
  const m = messagesFor(request.locale);
  const store: StoreContactInfo = { name: request.storeName ?? m.theStore, email: request.storeContact.email, url: request.storeContact.url };
  let composed: Composed;
  switch (request.intent) {
    case "off_topic":
      composed = refusal(m.offTopic(store));
      break;
    case "order_status":
      composed = refusal(m.orderStatus(store));
      break;
    case "policy":
      composed = answerPolicy(request, m, store);
      break;
    case "recommendation":
      composed = request.understanding?.complementFor ? answerComplement(request, m, store) : answerRecommendation(request, m, store);
      break;
    case "listing":
      composed = answerListing(request, m);
      break;
    case "comparison":
      composed = answerComparison(request, m, store);
      break;
    default:
      composed = answerProduct(request, m, store);
  }
  return {
    answer: composed.parts.join(" ").replace(/\s+\n/g, "\n").trim(),
    citationIds: [...new Set(composed.cited)],
    productHandles: [...new Set(composed.products)],
    refused: composed.refused,
    usage: { model: LOCAL_ANSWERER_MODEL, inputTokens: 0, outputTokens: 0 },
    ...(composed.comparison ? { comparison: composed.comparison } : {}),
  };
}

function refusal(text: string): Composed {
  return { parts: [text], cited: [], products: [], refused: true };
}

function cite(id: string): string {
  return `[${id}]`;
}

// ---------------------------------------------------------------- products

function productSources(sources: AnswerSource[]): (AnswerSource & { product: CatalogProduct })[] {
  return sources.filter((s): s is AnswerSource & { product: CatalogProduct } => !!s.product);
}

/** The product the question is about: the one in context, one named, or one whose title the shopper typed. */
function targetProduct(request: AnswerRequest): (AnswerSource & { product: CatalogProduct }) | undefined {
  const products = productSources(request.sources);
  const handles = [request.productHandle, ...(request.understanding?.productHandles ?? [])].filter(Boolean);
  for (const h of handles) {
    const hit = products.find((s) => s.product.handle === h);
    if (hit) return hit;
  }
  const q = new Set(contentTokens(request.question));
  const typed = products
    .map((s) => {
      const t = contentTokens(s.product.title);
      return { s, share: t.length === 0 ? 0 : t.filter((x) => q.has(x)).length / t.length };
    })
    .filter((x) => x.share === 1 || containsPhrase(request.question, x.s.product.title))
    .sort((a, b) => contentTokens(b.s.product.title).length - contentTokens(a.s.product.title).length);
  return typed[0]?.s;
}

function money(amount: number, product: CatalogProduct, locale: string): string {
  return formatPrice(amount, product.currency, locale);
}

function realVariants(p: CatalogProduct): CatalogVariant[] {
  return p.variants;
}

function hasRealOptions(p: CatalogProduct): boolean {
  return p.variants.some((v) => Object.values(v.options).some((val) => val && val !== "Default Title"));
}

/** Labels of variants (restricted to some options), each once, with whether any is in stock. */
function labelStock(variants: CatalogVariant[], onlyOptions?: string[]): { label: string; available: boolean }[] {
  const map = new Map<string, boolean>();
  // Size and length read as one size ("M Tall"); other combinations keep a slash ("M / Navy").
  const separator = onlyOptions && onlyOptions.length > 0 && onlyOptions.every(isSizeOptionName) ? " " : " / ";
  for (const v of variants) {
    const label = variantLabel(v, onlyOptions, separator);
    if (!label) continue;
    map.set(label, (map.get(label) ?? false) || v.available);
  }
  return [...map].map(([label, available]) => ({ label, available }));
}

function describeWishes(wishes: ValueWish[], m: Messages): string {
  return wishes
    .map((w) => {
      if (w.group) return w.size ? m.sizeGroup(w.value) : w.value;
      return w.size ? m.sizeValue(w.value) : w.value;
    })
    .join(" / ");
}

/**
 * The product's options an answer about these wishes names: those of *this* product that hold a
 * wanted value, those of the kind the value came from, and its sizes when a size was asked.
 */
/** The product's option names that hold a real value. */
function optionsWithValues(p: CatalogProduct): string[] {
  return [...new Set(p.variants.flatMap((v) => Object.keys(v.options)))].filter((n) => p.variants.some((v) => v.options[n] && v.options[n] !== "Default Title"));
}

function optionsAskedAbout(p: CatalogProduct, wishes: ValueWish[]): string[] {
  const names = optionsWithValues(p);
  const fold = (n: string) => n.normalize("NFKC").toLowerCase();
  const asked = new Set<string>();
  for (const w of wishes) {
    for (const n of optionNamesHolding(p, w)) asked.add(n);
    for (const n of names) if (w.optionNames.some((o) => fold(o) === fold(n))) asked.add(n);
    if (w.size || w.group) for (const n of names) if (looksLikeSizeOption(p, n)) asked.add(n);
  }
  return names.filter((n) => asked.has(n));
}

function answerProduct(request: AnswerRequest, m: Messages, store: StoreContactInfo): Composed {
  const target = targetProduct(request);
  if (!target) return refusal(m.whichProduct(store));
  const p = target.product;
  const u = request.understanding;
  const wishes = u?.constraints.values ?? [];
  const aspect = u?.aspect ?? "general";
  const out: Composed = { parts: [], cited: [target.id], products: [p.handle], refused: false };

  if (aspect === "price") {
    out.parts.push(`${priceSentence(p, m, request.locale)} ${cite(target.id)}`);
    return out;
  }

  if (wishes.length > 0) {
    const what = describeWishes(wishes, m);
    const asked = optionsAskedAbout(p, wishes);
    const labelOptions = asked.length > 0 ? asked : undefined;
    const matching = matchingVariants(p, { values: wishes });
    if (matching.length === 0) {
      if (!hasRealOptions(p)) out.parts.push(`${m.comesInNo(p.title, what, [])} ${m.singleVersion(p.title)} ${cite(target.id)}`);
      else {
        // Nothing of the kind asked about: each option's values once, not every combination.
        const names = labelOptions ?? optionsWithValues(p);
        const labels = labelOptions ? labelStock(realVariants(p), labelOptions) : names.flatMap((n) => labelStock(realVariants(p), [n]));
        out.parts.push(`${m.comesInNo(p.title, what, [...new Set(labels.map((l) => l.label))])} ${cite(target.id)}`);
      }
      return out;
    }
    const labels = labelStock(matching, labelOptions);
    if (u?.constraints.inStock || aspect === "stock") {
      const inStock = labels.filter((l) => l.available).map((l) => l.label);
      out.parts.push(
        inStock.length === 0
          ? `${m.outOfStockIn(p.title, what)} ${cite(target.id)}`
          : `${m.inStockIn(p.title, what, inStock, labels.filter((l) => !l.available).map((l) => l.label))} ${cite(target.id)}`,
      );
      return out;
    }
    out.parts.push(
      `${m.comesInYes(p.title, what, labels.map((l) => l.label), labels.filter((l) => !l.available).map((l) => l.label))} ${cite(target.id)}`,
    );
    return out;
  }

  if (aspect === "stock") {
    out.parts.push(`${stockSentence(p, m)} ${cite(target.id)}`);
    return out;
  }

  if (aspect === "options") {
    const option = askedOption(request.question, p);
    if (option) {
      const labels = labelStock(realVariants(p), [option]);
      out.parts.push(
        `${m.optionValues(p.title, option, labels.map((l) => l.label), labels.filter((l) => !l.available).map((l) => l.label))} ${cite(target.id)}`,
      );
      return out;
    }
    if (!hasRealOptions(p)) {
      out.parts.push(`${m.singleVersion(p.title)} ${cite(target.id)}`);
      return out;
    }
  }

  // Facts the merchant filled in (metafields) whose label the shopper asked about.
  const keys = keyTokens(request.question, p.title);
  const facts = p.metafields.filter((f) => {
    const label = contentTokens(f.label);
    return label.length > 0 && label.some((t) => keys.includes(t)) && !looksLikeInstruction(f.value);
  });
  if (facts.length > 0) {
    out.parts.push(`${facts.map((f) => m.fact(f.label, f.value)).join(" ")} ${cite(target.id)}`);
    return out;
  }

  const sentences = bestSentences(descriptionSentences(p), request.question, p.title, aspect === "sizing" ? SIZING_WORDS : [], 2);
  if (sentences.length > 0) {
    out.parts.push(`${m.fromDescription(p.title)} ${sentences.join(" ")} ${cite(target.id)}`);
    return out;
  }
  return refusal(m.dontKnow(aboutText(request.question, p.title, m), store));
}

const SIZING_WORDS = ["fit", "size", "sizing", "runs", "true", "model", "wear", "length", "measurement", "tall", "petite", "relaxed", "slim"];

function aboutText(question: string, title: string, m: Messages): string | undefined {
  const keys = keyTokens(question, title);
  return keys.length > 0 ? m.aboutProduct(title) : undefined;
}

function askedOption(question: string, p: CatalogProduct): string | undefined {
  const names = optionsWithValues(p);
  const direct = names.find((n) => containsPhrase(question, n) || containsPhrase(question, `${n}s`));
  if (direct) return direct;
  if (/\bsizes?|sizing\b/i.test(question)) return names.find(isSizeOptionName);
  if (/\bcolou?rs?\b/i.test(question)) return names.find((n) => /colou?r|farbe|couleur/i.test(n));
  if (/\bmaterials?|fabrics?\b/i.test(question)) return names.find((n) => /material|fabric/i.test(n));
  return undefined;
}

function priceSentence(p: CatalogProduct, m: Messages, locale: string): string {
  const prices = p.variants.map((v) => v.price);
  if (prices.length === 0) return m.singleVersion(p.title);
  const min = Math.min(...prices);
  const max = Math.max(...prices);
  const base = min === max ? m.priceSingle(p.title, money(min, p, locale)) : m.priceRange(p.title, money(min, p, locale), money(max, p, locale));
  const onSale = p.variants.filter((v) => v.compareAtPrice !== null && v.compareAtPrice > v.price);
  if (onSale.length === 0) return base;
  // Group sale variants by (price, was) so "S, M is on sale for $40 (was $60)" reads once.
  const groups = new Map<string, CatalogVariant[]>();
  for (const v of onSale) {
    const key = `${v.price}|${v.compareAtPrice}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const saleParts = [...groups.values()].slice(0, 3).map((vs) => {
    const labels = onSale.length === p.variants.length && groups.size === 1 ? "" : vs.map((v) => variantLabel(v)).filter(Boolean).join(", ");
    return m.onSale(labels, money(vs[0].price, p, locale), money(vs[0].compareAtPrice as number, p, locale));
  });
  return `${base} ${saleParts.join(" ")}`;
}

function stockSentence(p: CatalogProduct, m: Messages): string {
  const labels = labelStock(p.variants);
  const inStock = labels.filter((l) => l.available).map((l) => l.label);
  const out = labels.filter((l) => !l.available).map((l) => l.label);
  if (labels.length === 0) return p.variants.some((v) => v.available) ? m.inStockSingle(p.title) : m.soldOut(p.title);
  if (inStock.length === 0) return m.soldOut(p.title);
  if (out.length === 0) return m.inStockAll(p.title, inStock);
  return m.inStockSome(p.title, inStock, out);
}

function descriptionSentences(p: CatalogProduct): string[] {
  return splitSentences(htmlToText(p.descriptionHtml));
}

const GENERIC = new Set(["product", "item", "thing", "one", "store", "shop", "buy"]);

/** Question words that carry the ask: minus stop words, the product's own title and generic nouns. */
function keyTokens(question: string, title: string): string[] {
  const titleTokens = new Set(contentTokens(title));
  return [...new Set(contentTokens(question))].filter((t) => !titleTokens.has(t) && !GENERIC.has(t) && t.length > 1);
}

/**
 * The sentences that answer the most of the question's key words. A sentence
 * must share at least half of them (one, when there are one or two), so a
 * question about something the text never mentions finds nothing.
 */
function bestSentences(sentences: string[], question: string, title: string, boostWords: string[], limit: number): string[] {
  const keys = keyTokens(question, title);
  if (keys.length === 0) return [];
  const need = keys.length <= 2 ? 1 : Math.ceil(keys.length / 2);
  const scored = sentences
    .filter((s) => s.length >= 12 && s.length <= 400 && !looksLikeInstruction(s))
    .map((s, index) => {
      const tokens = new Set(contentTokens(s));
      const hits = keys.filter((k) => tokens.has(k)).length;
      const boost = boostWords.filter((w) => tokens.has(w)).length * 0.25;
      return { s, index, hits, score: hits + boost };
    })
    .filter((x) => x.hits >= need)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .sort((a, b) => a.index - b.index);
  return scored.map((x) => x.s.replace(/\s*$/, "").replace(/([^.!?])$/, "$1."));
}

// ---------------------------------------------------------------- policies

const TOPIC_WORDS: Record<string, string[]> = {
  // Policies written in the storefront's language (de, fr, es, nl) name the topic in their own words.
  refund: [
    "return", "refund", "exchange", "withdraw", "withdrawal", "money",
    "rückgabe", "zurückgeben", "rücksendung", "retoure", "umtausch", "erstattung", "widerruf", "widerrufsrecht",
    "retour", "retourner", "remboursement", "rétractation",
    "devolución", "devolver", "reembolso", "desistimiento",
    "retourneren", "retourner", "terugsturen", "terugzenden", "terugbetal", "herroep", "herroeping", "herroepingsrecht", "ruilen",
  ],
  shipping: [
    "ship", "shipping", "delivery", "dispatch", "deliver", "postage",
    "versand", "lieferung", "lieferzeit", "livraison", "expédition", "envío", "envio", "entrega",
    "verzend", "verzending", "verzonden", "lever", "levering", "levertijd", "geleverd", "bezorg", "bezorging",
  ],
  warranty: ["warranty", "guarantee", "defective", "doa"],
  privacy: ["privacy", "data", "personal"],
  terms: ["term", "condition"],
  contact: ["contact", "email", "phone"],
};

const REGION_PATTERNS: Record<Region, RegExp> = {
  EU: /\b(EU|E\.U\.|EEA|European Union|Europe|European|Germany|France|Spain|Italy|Netherlands|Belgium|Austria|Ireland)\b/,
  UK: /\b(UK|U\.K\.|United Kingdom|Great Britain|Britain|England)\b/,
  US: /\b(US|USA|U\.S\.|United States|domestic|contiguous)\b/,
  CA: /\b(Canada|Canadian)\b/,
  AU: /\b(Australia|Australian)\b/,
};

/**
 * A policy's sentences, with each row of a Markdown table read as one and named by its section
 * ("United Kingdom: Standard — 5-8 business days — $15"); a table's header and separator rows state nothing.
 */
function policySentences(source: AnswerSource): string[] {
  const sentences = splitSentences(source.text);
  const separator = (s: string | undefined) => !!s && /^\|[\s|:-]+\|?$/.test(s);
  const section = source.title.includes(" > ") ? `${source.title.split(" > ").pop()?.trim()}: ` : "";
  return sentences.flatMap((s, i) => {
    if (!s.startsWith("|")) return [s];
    if (separator(s) || separator(sentences[i + 1])) return [];
    const cells = s
      .split("|")
      .map((cell) => cell.trim())
      .filter(Boolean);
    return [`${section}${cells.join(" — ")}`];
  });
}

function answerPolicy(request: AnswerRequest, m: Messages, store: StoreContactInfo): Composed {
  const u = request.understanding;
  const policySources = request.sources.filter((s) => s.type !== "product");
  if (policySources.length === 0) return refusal(m.dontKnow(undefined, store));
  const topic = u?.policyTopic;
  const topicWords = topic ? TOPIC_WORDS[topic] : [];
  const region = u?.constraints.region;
  const sale = u?.constraints.saleItems;
  const wantsDuration =
    /\b(how long|how many days|window|days|deadline|time limit|within|when|wie lange|wie viele tage|frist|tage|combien de (?:temps|jours)|délai|jours|cuánto tiempo|cuántos días|cuánto tarda|tarda|tardan|plazo|días|hoe lang|hoeveel dagen|termijn|dagen|dauert|duurt)\b/i.test(
      request.question,
    );
  const keys = keyTokens(request.question, "").filter((k) => !["policy", "item"].includes(k));

  // Every sentence of the store's policy on the topic is about it, whatever language the question is in; the
  // shipping table's "2-5 business days" row names no shipping word.
  const ofTopic = (source: AnswerSource) => topic !== undefined && source.policyType === topic;

  type Scored = { source: AnswerSource; sentence: string; index: number; score: number; tokens: Set<string> };
  const scored: Scored[] = [];
  policySources.forEach((source, sourceRank) => {
    policySentences(source).forEach((sentence, index) => {
      // Headings ("Refund policy > Sale items") are labels, not rules.
      if (sentence.length < 15 || looksLikeInstruction(sentence) || /^#/.test(sentence) || sentence.includes(" > ") || !/\s\S+\s/.test(sentence)) return;
      const tokens = new Set(contentTokens(sentence));
      const keyHits = keys.filter((k) => tokens.has(k)).length;
      const topicHit = ofTopic(source) || topicWords.some((w) => tokens.has(w)) ? 1 : 0;
      if (keyHits === 0 && topicHit === 0) return;
      let score = keyHits + topicHit * 1.5;
      if (wantsDuration && (/\b\d+\s*(?:-|–|to)?\s*\d*\s*(business |working |calendar )?days?\b|\b\d+-day\b/i.test(sentence) || dayCounts(sentence).length > 0)) score += 1.5;
      if (region && REGION_PATTERNS[region].test(sentence)) score += 2;
      if (sale && /\b(sale|clearance|discount|final sale|reduced|markdown)\b/i.test(sentence)) score += 2;
      score -= sourceRank * 0.1;
      scored.push({ source, sentence, index, score, tokens });
    });
  });
  // Warranty answers need a sentence that names the warranty; a return window is not one.
  const relevant = scored.filter((s) => (topic === "warranty" ? /warrant|guarantee/i.test(s.sentence) : true));
  const threshold = keys.length <= 1 ? 1.5 : 2;
  const passing = relevant.filter((s) => s.score >= threshold);
  // When the policy on the topic answers, other policies do not: a warranty's "45 days of delivery" is no delivery time.
  const fromOwnPolicy = passing.some((s) => ofTopic(s.source));
  const ranked = passing.filter((s) => !fromOwnPolicy || ofTopic(s.source) || !s.source.policyType).sort((a, b) => b.score - a.score);
  // Quote what answers the question, not everything nearby: drop sentences far behind the best.
  const best: Scored[] = [];
  for (const s of ranked) {
    if (s.score < ranked[0].score * 0.75 || best.length === 3) break;
    // The FAQ often repeats the policy: one wording of a rule is enough.
    if (best.some((b) => jaccard(b.tokens, s.tokens) > 0.45)) continue;
    best.push(s);
  }
  if (best.length === 0) return refusal(m.dontKnow(topic ? m.aboutThat : undefined, store));

  const bySource = new Map<AnswerSource, Scored[]>();
  for (const b of best) bySource.set(b.source, [...(bySource.get(b.source) ?? []), b]);
  const parts: string[] = [];
  const cited: string[] = [];
  for (const [source, items] of bySource) {
    items.sort((a, b) => a.index - b.index);
    const text = items.map((i) => i.sentence.replace(/([^.!?:])$/, "$1.")).join(" ");
    parts.push(`${parts.length === 0 ? `${m.policyIntro(source.title)} ` : ""}${text} ${cite(source.id)}`);
    cited.push(source.id);
  }
  const used = best.map((b) => b.sentence).join(" ");
  if (sale && !/\b(sale|clearance|discount|final sale|reduced|markdown)\b/i.test(used)) parts.push(m.policyNoSale());
  if (region && !REGION_PATTERNS[region].test(used)) parts.push(m.policyNoRegion(m.regionNames[region] ?? region));
  return { parts, cited, products: [], refused: false };
}

// ---------------------------------------------------------------- recommendations

function answerRecommendation(request: AnswerRequest, m: Messages, store: StoreContactInfo): Composed {
  const u = request.understanding;
  const c = u?.constraints ?? { values: [] };
  const wanted: ProductWishes = { values: c.values, inStock: c.inStock, priceMax: c.priceMax, priceMin: c.priceMin };
  const constrained = hasWishes(wanted);
  const context = request.productHandle;
  const picks: { source: AnswerSource & { product: CatalogProduct }; variants: CatalogVariant[] }[] = [];
  for (const source of productSources(request.sources)) {
    const p = source.product;
    if (p.handle === context) continue;
    if (c.productType && p.productType.toLowerCase() !== c.productType.toLowerCase()) continue;
    // "What goes with this dress?" asks for something to wear with it, not another dress.
    if (u?.complementOf && p.productType && p.productType.toLowerCase() === u.complementOf.toLowerCase()) continue;
    // Beside a product in view, a value asked for binds the items that have options of its kind.
    const own = u?.complementOf ? applicableWishes(p, wanted) : wanted;
    const variants = matchingVariants(p, own).filter((v) => (constrained ? true : v.available));
    if (variants.length === 0) continue;
    picks.push({ source, variants });
    if (picks.length === 3) break;
  }
  const anyCurrency = productSources(request.sources)[0]?.product;
  const fmt = (n: number | undefined) => (n === undefined ? undefined : anyCurrency ? money(n, anyCurrency, request.locale) : n.toFixed(2));
  const what = m.constraintText({ values: c.values.map((w) => w.value), inStock: c.inStock, priceMax: fmt(c.priceMax), priceMin: fmt(c.priceMin), productType: c.productType });
  if (picks.length === 0) return { ...refusal(m.recommendNone(what, store)) };

  const lines = picks.map(({ source, variants }) => {
    const p = source.product;
    const prices = variants.map((v) => v.price);
    const min = Math.min(...prices);
    const max = Math.max(...prices);
    const price = min === max ? money(min, p, request.locale) : `${money(min, p, request.locale)}–${money(max, p, request.locale)}`;
    const optionNames = optionsAskedAbout(p, c.values);
    const labels =
      c.values.length > 0 || c.inStock
        ? labelStock(variants.filter((v) => v.available), optionNames.length > 0 ? optionNames : undefined).map((l) => l.label).slice(0, 6)
        : [];
    return `- ${m.recommendItem(p.title, price, c.inStock ? labels : [])} ${cite(source.id)}`;
  });
  return {
    parts: [m.recommendIntro(what, picks.length), "\n" + lines.join("\n")],
    cited: picks.map((p) => p.source.id),
    products: picks.map((p) => p.source.product.handle),
    refused: false,
  };
}

// ---------------------------------------------------------------- listings and complements

/** The shopper's constraints in words; only catalog prices are ever written, never the shopper's amounts. */
function wantedText(request: AnswerRequest, m: Messages, values = request.understanding?.constraints.values.map((w) => w.value) ?? []): string {
  const c = request.understanding?.constraints;
  const bound = (n: number | undefined) => (n === undefined ? undefined : String(n));
  return m.constraintText({ values, inStock: c?.inStock, priceMax: bound(c?.priceMax), priceMin: bound(c?.priceMin) });
}

/** One line per product: its price over the variants that fit, and the asked-for values it has in stock. */
function matchLine(source: AnswerSource & { product: CatalogProduct }, variants: CatalogVariant[], request: AnswerRequest, m: Messages): string {
  const p = source.product;
  const prices = variants.map((v) => v.price);
  const min = Math.min(...prices);
  const max = Math.max(...prices);
  const price = min === max ? money(min, p, request.locale) : `${money(min, p, request.locale)}–${money(max, p, request.locale)}`;
  // Name the asked-for values only where this product has them (a scarf has no size 8).
  const wishes = (request.understanding?.constraints.values ?? []).filter((w) => optionNamesHolding(p, w).length > 0);
  const names = optionsAskedAbout(p, wishes);
  const inStock = variants.filter((v) => v.available);
  const labels = wishes.length > 0 && names.length > 0 && inStock.length > 0 ? labelStock(inStock, names).map((l) => l.label).slice(0, 6) : [];
  return `- ${m.recommendItem(p.title, price, labels)} ${cite(source.id)}`;
}

/** "Which of your dresses come in size 8?": the count of every match, then the first few, each cited. */
function answerListing(request: AnswerRequest, m: Messages): Composed {
  const u = request.understanding;
  const type = u?.constraints.productType;
  // The sources are the catalog's matches; re-checked here so no caller can slip in one that does not fit.
  const shown = productSources(request.sources)
    .filter((s) => !type || s.product.productType.toLowerCase() === type.toLowerCase())
    .map((s) => ({ s, variants: u ? variantsMeeting(s.product, u, { values: "all" }) : s.product.variants }))
    .filter((x) => x.variants.length > 0);
  const total = request.matches?.total ?? shown.length;
  const what = wantedText(request, m);
  if (shown.length === 0) return { parts: [m.listingNone(what, type)], cited: [], products: [], refused: false };
  const lines = shown.map((x) => matchLine(x.s, x.variants, request, m));
  return {
    parts: [m.listingIntro(total, shown.length, what, type), "\n" + lines.join("\n")],
    cited: shown.map((x) => x.s.id),
    products: shown.map((x) => x.s.product.handle),
    refused: false,
  };
}

/** "What goes with this dress?": the picks of other types, never the product in view, each cited. */
function answerComplement(request: AnswerRequest, m: Messages, store: StoreContactInfo): Composed {
  const u = request.understanding;
  const inView = u?.complementFor;
  const all = productSources(request.sources);
  const title = all.find((s) => s.product.handle === inView)?.product.title ?? "";
  // Never the product in view nor another of its kind, and only what can be bought in the asked size where it has sizes.
  const picks = all
    .filter((s) => s.product.handle !== inView && !(u?.complementOf && s.product.productType.toLowerCase() === u.complementOf.toLowerCase()))
    .map((s) => ({ s, variants: u ? variantsMeeting(s.product, u, { values: "held" }).filter((v) => v.available) : [] }))
    .filter((x) => x.variants.length > 0);
  // Sizes are named per pick (a scarf has none), so the opening only says whether they are in stock.
  const what = wantedText(request, m, []);
  if (picks.length === 0) return { parts: [m.complementNone(title, what, store)], cited: [], products: [], refused: false };
  const lines = picks.map((x) => matchLine(x.s, x.variants, request, m));
  return {
    parts: [m.complementIntro(title, what, picks.length), "\n" + lines.join("\n")],
    cited: picks.map((x) => x.s.id),
    products: picks.map((x) => x.s.product.handle),
    refused: false,
  };
}

// ---------------------------------------------------------------- comparisons

function answerComparison(request: AnswerRequest, m: Messages, store: StoreContactInfo): Composed {
  const products = productSources(request.sources);
  const handles = [request.productHandle, ...(request.understanding?.productHandles ?? [])].filter((h): h is string => !!h);
  const chosen: (AnswerSource & { product: CatalogProduct })[] = [];
  for (const h of handles) {
    const s = products.find((x) => x.product.handle === h);
    if (s && !chosen.includes(s)) chosen.push(s);
  }
  if (chosen.length < 2) {
    void store;
    return refusal(m.whichTwoProducts());
  }
  const [a, b] = chosen;
  const rows: { attribute: string; values: string[] }[] = [];
  const priceOf = (p: CatalogProduct) => {
    const prices = p.variants.map((v) => v.price);
    if (prices.length === 0) return m.none;
    const min = Math.min(...prices);
    const max = Math.max(...prices);
    return min === max ? money(min, p, request.locale) : `${money(min, p, request.locale)}–${money(max, p, request.locale)}`;
  };
  rows.push({ attribute: m.compareRowPrice, values: [priceOf(a.product), priceOf(b.product)] });
  const saleOf = (p: CatalogProduct) => {
    const v = p.variants.find((x) => x.compareAtPrice !== null && x.compareAtPrice > x.price);
    return v ? m.wasPrice(money(v.price, p, request.locale), money(v.compareAtPrice as number, p, request.locale)) : m.notOnSale;
  };
  if ([a, b].some((s) => saleOf(s.product) !== m.notOnSale)) rows.push({ attribute: m.compareRowOnSale, values: [saleOf(a.product), saleOf(b.product)] });
  const optionNames = [...new Set([a, b].flatMap((s) => s.product.variants.flatMap((v) => Object.keys(v.options))))].filter((n) =>
    [a, b].some((s) => s.product.variants.some((v) => v.options[n] && v.options[n] !== "Default Title")),
  );
  for (const name of optionNames) {
    const valuesOf = (p: CatalogProduct) => {
      const labels = labelStock(p.variants, [name]).map((l) => l.label);
      return labels.length > 0 ? labels.join(", ") : m.none;
    };
    rows.push({ attribute: name, values: [valuesOf(a.product), valuesOf(b.product)] });
  }
  const stockOf = (p: CatalogProduct) => m.inStockCount(p.variants.filter((v) => v.available).length, p.variants.length);
  rows.push({ attribute: m.compareRowInStock, values: [stockOf(a.product), stockOf(b.product)] });
  if (a.product.productType || b.product.productType) rows.push({ attribute: m.compareRowType, values: [a.product.productType || m.none, b.product.productType || m.none] });
  if (a.product.vendor || b.product.vendor) rows.push({ attribute: m.compareRowBrand, values: [a.product.vendor || m.none, b.product.vendor || m.none] });
  const labels = [...new Set([a, b].flatMap((s) => s.product.metafields.map((f) => f.label)))].slice(0, 6);
  for (const label of labels) {
    const valueOf = (p: CatalogProduct) => p.metafields.find((f) => f.label === label && !looksLikeInstruction(f.value))?.value ?? m.none;
    rows.push({ attribute: label, values: [valueOf(a.product), valueOf(b.product)] });
  }
  // The text carries the deciding facts; the table carries everything.
  const textRows = new Set([m.compareRowPrice, m.compareRowOnSale, m.compareRowInStock, ...optionNames]);
  const lines = rows
    .filter((r) => textRows.has(r.attribute))
    .map((r) => `- ${m.compareLine(r.attribute, a.product.title, r.values[0], b.product.title, r.values[1])}`);
  return {
    parts: [`${m.compareIntro(a.product.title, b.product.title)} ${cite(a.id)} ${cite(b.id)}`, "\n" + lines.join("\n")],
    cited: [a.id, b.id],
    products: [a.product.handle, b.product.handle],
    refused: false,
    comparison: { columns: ["", a.product.title, b.product.title], rows },
  };
}
