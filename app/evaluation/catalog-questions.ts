/**
 * Questions with ground truth, generated from a catalog batch: sizes (yes and no),
 * stock per size, prices, return windows the policies state, and questions the
 * data cannot answer (warranty where nothing mentions one, attributes absent
 * from every text). Ground truth comes from the catalog facts directly, never
 * from the answering code. Pure.
 */
import { htmlToText } from "../catalog/html-to-text";
import type { CatalogBatch, CatalogProduct } from "../catalog/types";
import { containsPhrase, splitSentences } from "../retrieval/text";
import { isSizeOptionName, optionValueMatches } from "../retrieval/variant-match";

export type EvalQuestionKind = "size_yes" | "size_no" | "stock" | "price" | "policy_window" | "unanswerable_warranty" | "unanswerable_attribute";

export interface EvalQuestion {
  id: string;
  kind: EvalQuestionKind;
  question: string;
  /** The product page the shopper is on, when the question is asked from one. */
  productHandle?: string;
  expected: {
    refused: boolean;
    /** The product the answer must be about and cite. */
    productHandle?: string;
    option?: { name: string; value: string };
    comesIn?: boolean;
    inStock?: boolean;
    price?: { min: number; max: number };
    /** Any of these day counts answers a policy question. */
    days?: number[];
  };
}

export interface GenerateQuestionsOptions {
  /** Products to draw questions from (evenly spread over the catalog). Default 12. */
  maxProducts?: number;
}

const ABSENT_ATTRIBUTES: { question: (title: string) => string; words: RegExp }[] = [
  { question: (t) => `What is the battery life of the ${t}?`, words: /\bbatter(y|ies)\b/i },
  { question: (t) => `Is the ${t} compatible with Bluetooth?`, words: /\bbluetooth\b/i },
  { question: (t) => `What voltage does the ${t} need?`, words: /\bvolt(s|age)?\b/i },
  { question: (t) => `How many calories are in the ${t}?`, words: /\bcalories?\b/i },
];

function isVisible(p: CatalogProduct): boolean {
  return p.status === "active" && p.published && p.variants.length > 0;
}

function allText(batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">): string {
  return [
    ...batch.products.map((p) => `${p.title}\n${htmlToText(p.descriptionHtml)}\n${p.metafields.map((m) => `${m.label} ${m.value}`).join("\n")}\n${p.tags.join(" ")}`),
    ...batch.policies.map((p) => p.body),
    ...batch.pages.map((p) => p.body),
    ...batch.documents.map((d) => d.text),
  ].join("\n");
}

/** A size value written so a shopper (and the question reader) would recognise it. */
function askable(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9 .'-]{0,14}$/.test(value) && !/^default title$/i.test(value);
}

function sizeOptionName(p: CatalogProduct): string | undefined {
  return p.options.map((o) => o.name).find((n) => isSizeOptionName(n) && !/length|fit/i.test(n));
}

function offers(p: CatalogProduct, name: string, value: string): boolean {
  return p.variants.some((v) => v.options[name] !== undefined && optionValueMatches(v.options[name], value));
}

function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)]);
}

export function generateCatalogQuestions(
  batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">,
  options: GenerateQuestionsOptions = {},
): EvalQuestion[] {
  const products = batch.products.filter(isVisible);
  const chosen = spread(products, options.maxProducts ?? 12);
  const corpus = allText(batch);
  const out: EvalQuestion[] = [];
  const titles = new Map<string, number>();
  for (const p of products) titles.set(p.title.toLowerCase(), (titles.get(p.title.toLowerCase()) ?? 0) + 1);

  // Every size value the shop uses, by option name: where "no" questions come from.
  const shopSizes = new Map<string, Set<string>>();
  for (const p of products) {
    const name = sizeOptionName(p);
    if (!name) continue;
    for (const v of p.variants) if (v.options[name] && askable(v.options[name])) (shopSizes.get(name) ?? shopSizes.set(name, new Set()).get(name)!).add(v.options[name]);
  }

  chosen.forEach((p, index) => {
    const base = `${p.handle}`;
    const uniqueTitle = (titles.get(p.title.toLowerCase()) ?? 0) === 1 && p.title.length >= 4;
    const named = uniqueTitle && index % 3 === 2;
    const prices = p.variants.map((v) => v.price);
    out.push({
      id: `${base}:price`,
      kind: "price",
      question: named ? `How much is the ${p.title}?` : "How much does this cost?",
      productHandle: named ? undefined : p.handle,
      expected: { refused: false, productHandle: p.handle, price: { min: Math.min(...prices), max: Math.max(...prices) } },
    });

    const name = sizeOptionName(p);
    if (name) {
      const values = [...new Set(p.variants.map((v) => v.options[name]).filter((v): v is string => !!v && askable(v)))];
      const yes = values[Math.floor(values.length / 2)];
      if (yes) {
        out.push({
          id: `${base}:size-yes`,
          kind: "size_yes",
          question: `Does this come in size ${yes}?`,
          productHandle: p.handle,
          expected: { refused: false, productHandle: p.handle, option: { name, value: yes }, comesIn: true },
        });
        const available = p.variants.some((v) => v.options[name] !== undefined && optionValueMatches(v.options[name], yes) && v.available);
        out.push({
          id: `${base}:stock`,
          kind: "stock",
          question: `Is this in stock in size ${yes}?`,
          productHandle: p.handle,
          expected: { refused: false, productHandle: p.handle, option: { name, value: yes }, inStock: available },
        });
      }
      const no = [...(shopSizes.get(name) ?? [])].find((v) => !offers(p, name, v) && !values.some((x) => optionValueMatches(v, x)));
      if (no) {
        out.push({
          id: `${base}:size-no`,
          kind: "size_no",
          question: `Does this come in size ${no}?`,
          productHandle: p.handle,
          expected: { refused: false, productHandle: p.handle, option: { name, value: no }, comesIn: false },
        });
      }
    }

    const productText = `${htmlToText(p.descriptionHtml)} ${p.metafields.map((m) => m.value).join(" ")}`;
    const absent = ABSENT_ATTRIBUTES[index % ABSENT_ATTRIBUTES.length];
    if (!absent.words.test(productText)) {
      out.push({
        id: `${base}:absent`,
        kind: "unanswerable_attribute",
        question: absent.question("product").replace("the product", "this"),
        productHandle: p.handle,
        expected: { refused: true },
      });
    }
  });

  if (!/\b(warrant(y|ies)|guarantee[ds]?)\b/i.test(corpus)) {
    for (const p of chosen.slice(0, 3)) {
      out.push({ id: `${p.handle}:warranty`, kind: "unanswerable_warranty", question: "Does this come with a warranty?", productHandle: p.handle, expected: { refused: true } });
    }
  }

  out.push(...policyQuestions(batch));
  return out;
}

const REGION_NAMES: [string, RegExp][] = [
  ["EU", /\b(EU|European Union)\b/],
  ["UK", /\b(UK|United Kingdom)\b/],
];

/** Return windows, only where a policy sentence states one (and, for sale items, the region rule). */
function policyQuestions(batch: Pick<CatalogBatch, "policies">): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  for (const policy of batch.policies.filter((p) => p.type === "refund")) {
    const sentences = splitSentences(policy.body);
    const days = (s: string) => [...s.matchAll(/\b(\d{1,3})[\s-]*(?:calendar |business )?days?\b/gi)].map((m) => Number(m[1]));
    const general = sentences.filter((s) => /\breturn/i.test(s) && /\bwithin\b/i.test(s) && days(s).length > 0 && !/\bsale\b/i.test(s));
    if (general.length > 0) {
      out.push({
        id: `${policy.id}:window`,
        kind: "policy_window",
        question: "How many days do I have to return an item?",
        expected: { refused: false, days: [...new Set(general.flatMap(days))] },
      });
    }
    for (const [region, pattern] of REGION_NAMES) {
      const rule = sentences.filter((s) => /\bsale\b/i.test(s) && pattern.test(s) && days(s).length > 0);
      const ruleSameSection = sentences.filter((s) => /\bsale\b/i.test(s) && days(s).length > 0 && containsPhrase(s, "withdraw"));
      const found = rule.length > 0 ? rule : [];
      if (found.length > 0) {
        out.push({
          id: `${policy.id}:sale-${region}`,
          kind: "policy_window",
          question: `What is the return window for sale items in the ${region}?`,
          expected: { refused: false, days: [...new Set([...found, ...ruleSameSection].flatMap(days))] },
        });
      }
    }
  }
  return out;
}
