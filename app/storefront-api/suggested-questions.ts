/**
 * Questions to suggest for a product: what this shop's shoppers ask most (only
 * questions the assistant answered, asked by at least two different shoppers,
 * and free of anything that looks personal), then questions built from the
 * product's own options in the shop's words, as the ask-product block does.
 */
import type { CatalogProduct, CatalogReader } from "../catalog/types";
import type { Db } from "../db/open-database";

export interface QuestionPhrases {
  comesIn(value: string): string;
  inStock(value: string): string;
}

type LocaleTree = Record<string, unknown>;

function lookup(tree: LocaleTree | undefined, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/**
 * The ask-product phrases from the theme extension's locale files, most specific
 * locale first ("de-CH" -> "de" -> default), so the block and this API agree.
 * Plain text: the widget inserts it as text, so nothing is HTML-escaped here.
 */
export function questionPhrasesFor(locales: ReadonlyMap<string, LocaleTree>, defaultLocale: string, locale: string): QuestionPhrases {
  const chain = [locale, locale.split("-")[0], defaultLocale].filter((code, i, all) => locales.has(code) && all.indexOf(code) === i);
  const phrase = (key: string, fallback: string) => {
    const template = chain.map((code) => lookup(locales.get(code), key)).find((v) => v !== undefined) ?? fallback;
    return (value: string) => template.replace(/{{\s*value\s*}}/g, value);
  };
  return {
    comesIn: phrase("ask_product.question_comes_in", "Does it come in {{ value }}?"),
    inStock: phrase("ask_product.question_in_stock", "Is {{ value }} in stock?"),
  };
}

const COLOUR_OPTION = /colo|farbe|kleur|couleur/i;

/** Mirrors blocks/ask-product.liquid: up to two options; colours ask about stock, others about the last value. */
export function optionQuestions(product: CatalogProduct, phrases: QuestionPhrases): string[] {
  const onlyDefault =
    product.variants.length <= 1 &&
    (product.options.length === 0 || (product.options.length === 1 && product.options[0].values.length <= 1));
  if (onlyDefault) return [];
  const questions: string[] = [];
  for (const option of product.options.slice(0, 2)) {
    if (!option.values.length) continue;
    questions.push(COLOUR_OPTION.test(option.name) ? phrases.inStock(option.values[0]) : phrases.comesIn(option.values[option.values.length - 1]));
  }
  return questions;
}

const MAX_SUGGESTED_LENGTH = 140;

/** Emails, phone or order numbers, links: a shopper's own details are never shown to other shoppers. */
export function looksPersonal(question: string): boolean {
  return /@|\d[\d\s().-]{4,}\d|#\s*\d{3,}|https?:|www\./i.test(question);
}

export interface AskedQuestionRow {
  question: string;
  productHandle: string | null;
  clientHash: string | null;
}

/** Ranks logged questions: this product's first, then the shop's, by how many different shoppers asked. */
export function rankAskedQuestions(rows: AskedQuestionRow[], productHandle: string | undefined, options: { minShoppers?: number; limit?: number } = {}): string[] {
  const minShoppers = options.minShoppers ?? 2;
  const groups = new Map<string, { text: string; shoppers: Set<string>; forProduct: boolean }>();
  for (const row of rows) {
    const text = row.question.trim().replace(/\s+/g, " ");
    if (!text || !row.clientHash || text.length > MAX_SUGGESTED_LENGTH || looksPersonal(text)) continue;
    const key = text.toLowerCase().replace(/[?!.\s]+$/, "");
    const group = groups.get(key) ?? { text, shoppers: new Set<string>(), forProduct: false };
    group.shoppers.add(row.clientHash);
    if (productHandle && row.productHandle === productHandle) group.forProduct = true;
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((g) => g.shoppers.size >= minShoppers)
    .sort((a, b) => Number(b.forProduct) - Number(a.forProduct) || b.shoppers.size - a.shoppers.size || a.text.localeCompare(b.text))
    .slice(0, options.limit ?? 6)
    .map((g) => g.text);
}

export interface SuggestQuestionsInput {
  shop: string;
  productHandle?: string;
  locale: string;
  now?: Date;
}

export interface SuggestQuestionsDeps {
  db: Db;
  catalog: Pick<CatalogReader, "productByHandle">;
  phrases(locale: string): QuestionPhrases;
}

const LOOKBACK_DAYS = 90;
const MAX_SUGGESTIONS = 8;

export async function suggestQuestions(deps: SuggestQuestionsDeps, input: SuggestQuestionsInput): Promise<string[]> {
  const since = new Date((input.now ?? new Date()).getTime() - LOOKBACK_DAYS * 86_400_000);
  const language = input.locale.split("-")[0].toLowerCase();
  const [product, rows] = await Promise.all([
    input.productHandle ? deps.catalog.productByHandle(input.shop, input.productHandle) : Promise.resolve(null),
    deps.db.answerLog.findMany({
      where: { shop: input.shop, surface: "storefront", refused: false, createdAt: { gte: since }, locale: { startsWith: language } },
      select: { question: true, productHandle: true, clientHash: true },
      orderBy: { createdAt: "desc" },
      take: 2000,
    }),
  ]);
  const asked = rankAskedQuestions(rows, product?.handle);
  const fromOptions = product ? optionQuestions(product, deps.phrases(input.locale)) : [];
  const seen = new Set<string>();
  return [...asked, ...fromOptions]
    .filter((q) => {
      const key = q.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_SUGGESTIONS);
}
