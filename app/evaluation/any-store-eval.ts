/**
 * Scores the "any store" questions through the real answering pipeline. An
 * answer is right only when it is not refused, passed validation with citations
 * of retrieved sources, and states the ground truth both in its text (yes/no in
 * the question's language, the price, the day count) and in its structured part
 * (product cards, the listing's `matches`).
 */
import { answerQuestionDetailed, type AnswerQuestionDeps, type AnswerQuestionDetailedResult } from "../answering/answer-question";
import { parseAmount } from "../answering/money";
import { messagesFor } from "../answering/messages";
import type { AnswerResult, ProductCard } from "../answering/types";
import type { CatalogProduct } from "../catalog/types";
import { valueNames, variantsWith, type AnyStoreQuestion, type WidgetLocale } from "./any-store-questions";

/** What listing and recommendation answers add: every handle meeting the constraints, or the handles recommended. */
export type AnswerWithMatches = AnswerResult & { matches?: { total: number; handles: string[] } };

export interface AnyStoreScore {
  asked: number;
  right: number;
  accuracy: number;
}

export interface AnyStoreFailure {
  id: string;
  kind: string;
  locale: string;
  question: string;
  problem: string;
  answer: string;
}

export interface AnyStoreStoreResult {
  store: string;
  products: number;
  score: AnyStoreScore;
  byKind: Record<string, AnyStoreScore>;
  byLocale: Record<string, AnyStoreScore>;
  failures: AnyStoreFailure[];
}

export interface AnyStoreSummary {
  target: number;
  total: AnyStoreScore;
  byKind: Record<string, AnyStoreScore>;
  byLocale: Record<string, AnyStoreScore>;
  stores: AnyStoreStoreResult[];
  storesMeetingTarget: number;
}

export const ANY_STORE_TARGET = 0.95;

const YES: Record<WidgetLocale, RegExp> = { en: /^yes\b/i, de: /^ja\b/i, fr: /^oui\b/i, es: /^s[ií](?![\p{L}])/iu, nl: /^ja\b/i };
const NO: Record<WidgetLocale, RegExp> = { en: /^no\b/i, de: /^nein\b/i, fr: /^non\b/i, es: /^no\b/i, nl: /^nee\b/i };

function score(asked: number, right: number): AnyStoreScore {
  return { asked, right, accuracy: asked === 0 ? 1 : Math.round((right / asked) * 10000) / 10000 };
}

function tally(into: Record<string, AnyStoreScore>, key: string, ok: boolean): void {
  const s = into[key] ?? score(0, 0);
  into[key] = score(s.asked + 1, s.right + (ok ? 1 : 0));
}

function cardHolds(card: ProductCard, values: string[]): ProductCard["variants"] {
  return card.variants.filter((v) => values.every((w) => Object.values(v.options).some((held) => valueNames(held, w))));
}

/** Every number written in a text, decimals in either convention; citation markers ("[S5]") are not numbers the answer states. */
function numbersWritten(answer: string): number[] {
  const text = answer.replace(/\[S\d+\]/g, " ");
  return (text.match(/\d+(?:[.,\s]\d+)*/g) ?? []).flatMap((raw) => [parseAmount(raw), ...raw.split(/[^\d]+/).map(Number)]);
}

function sameSet(a: string[], b: string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((h, i) => h === y[i]);
}

/** null when the answer is right; otherwise what is wrong, in words. */
export function judgeAnyStoreAnswer(q: AnyStoreQuestion, detailed: Pick<AnswerQuestionDetailedResult, "sources" | "validation"> & { result: AnswerWithMatches }, byHandle: Map<string, CatalogProduct>): string | null {
  const r = detailed.result;
  const e = q.expected;
  const listing = q.kind === "listing" || q.kind === "listing_price";
  // Asked with no product in view or named: the right answer asks which product is meant.
  if (q.kind === "complementary_unseen") {
    const asks = messagesFor(q.locale).whichProduct({ name: "" }).split(/[?？]/)[0];
    return r.refused && r.answer.startsWith(asks) && r.products.length === 0 && !r.matches ? null : "should ask which product is meant";
  }
  if (r.refused) return listing && e.handles?.length === 0 ? null : "refused an answerable question";
  const ids = new Set(detailed.sources.map((s) => s.id));
  if (!r.citations.every((c) => ids.has(c.id))) return "cites a source that was not retrieved";
  if (!detailed.validation.ok) return `failed validation: ${detailed.validation.problems[0]?.message ?? "?"}`;
  if (r.citations.length === 0) return "no citation";
  const card = e.productHandle ? r.products.find((c) => c.handle === e.productHandle) : undefined;
  const text = r.answer.trim();
  switch (q.kind) {
    case "option_yes":
    case "option_no": {
      if (!(e.comesIn ? YES : NO)[q.locale].test(text)) return `text should say ${e.comesIn ? "yes" : "no"} to ${e.values?.join(" / ")}`;
      if (!card) return "no product card for the product asked about";
      const has = cardHolds(card, e.values ?? []).length > 0;
      return has === e.comesIn ? null : `product card ${has ? "shows" : "lacks"} ${e.values?.join(" / ")}`;
    }
    case "variant_stock": {
      if (!(e.inStock ? YES : NO)[q.locale].test(text)) return `text should say ${e.inStock ? "in stock" : "out of stock"} for ${e.values?.join(" / ")}`;
      if (!card) return "no product card for the product asked about";
      const matching = cardHolds(card, e.values ?? []);
      if (matching.length === 0) return "product card lacks the asked variant";
      return matching.some((v) => v.available) === e.inStock ? null : "product card availability disagrees";
    }
    case "price": {
      if (!numbersWritten(text).some((n) => Math.abs(n - (e.price ?? NaN)) < 0.005)) return `text lacks the price ${e.price}`;
      if (!card) return "no product card for the product asked about";
      return Math.abs(card.price - (e.price ?? NaN)) < 0.005 ? null : `product card price ${card.price} is not ${e.price}`;
    }
    case "comparison": {
      const shown = new Set([...r.products.map((c) => c.handle), ...detailed.sources.filter((s) => r.citations.some((c) => c.id === s.id)).map((s) => s.product?.handle)]);
      const missing = (e.compared ?? []).filter((h) => !shown.has(h));
      return missing.length === 0 ? null : `does not show or cite ${missing.join(", ")}`;
    }
    case "listing":
    case "listing_price": {
      if (!r.matches) return "no matches in the answer";
      if (r.matches.total !== e.handles?.length) return `says ${r.matches.total} match, the catalog has ${e.handles?.length}`;
      return sameSet(r.matches.handles, e.handles ?? []) ? null : `matches differ from the catalog's ${e.handles?.length}`;
    }
    case "complementary":
      return judgeComplement(q, r, byHandle);
    case "policy_returns":
    case "policy_shipping": {
      // The truth comes from the store's policy of the asked type: a refund or warranty clause that happens to share a number is no answer.
      const cited = detailed.sources.filter((s) => r.citations.some((c) => c.id === s.id));
      if (!cited.some((s) => s.type === "page" || (s.type === "policy" && (!e.policyType || s.policyType === e.policyType)))) return e.policyType ? `no ${e.policyType} policy cited` : "no policy cited";
      const said = numbersWritten(text);
      return (e.numbers ?? []).some((n) => said.includes(n)) ? null : `text states none of ${e.numbers?.join(", ")}`;
    }
  }
}

function judgeComplement(q: AnyStoreQuestion, r: AnswerWithMatches, byHandle: Map<string, CatalogProduct>): string | null {
  const inView = byHandle.get(q.expected.productHandle ?? "");
  const value = q.expected.inStockValue ?? "";
  if (!inView) return "product in view unknown";
  const fits = (p: CatalogProduct) =>
    p.handle !== inView.handle && p.productType.trim() !== "" && p.productType.trim().toLowerCase() !== inView.productType.trim().toLowerCase() && (variantsWith(p, [value]).length === 0 || variantsWith(p, [value], true).length > 0);
  const recommended = r.matches?.handles ?? r.products.map((c) => c.handle);
  if (recommended.length === 0) return [...byHandle.values()].some(fits) ? "recommends nothing though the catalog has fitting products" : null;
  for (const handle of recommended) {
    const p = byHandle.get(handle);
    if (!p) return `recommends ${handle}, not in the catalog`;
    if (p.handle === inView.handle) return "recommends the product in view";
    if (p.productType.trim().toLowerCase() === inView.productType.trim().toLowerCase()) return `recommends ${handle}, of the same type`;
    if (!fits(p)) return `recommends ${handle}, out of stock in ${value}`;
  }
  return null;
}

export async function runAnyStoreEval(
  deps: AnswerQuestionDeps,
  input: { store: string; shop: string; questions: AnyStoreQuestion[]; products: CatalogProduct[] },
): Promise<AnyStoreStoreResult> {
  const byHandle = new Map(input.products.map((p) => [p.handle, p]));
  const result: AnyStoreStoreResult = { store: input.store, products: input.products.length, score: score(0, 0), byKind: {}, byLocale: {}, failures: [] };
  let right = 0;
  for (const q of input.questions) {
    const detailed = await answerQuestionDetailed(deps, { shop: input.shop, question: q.question, locale: q.locale, productHandle: q.productHandle });
    const problem = judgeAnyStoreAnswer(q, detailed, byHandle);
    if (problem === null) right++;
    else result.failures.push({ id: q.id, kind: q.kind, locale: q.locale, question: q.question, problem, answer: detailed.result.answer });
    tally(result.byKind, q.kind, problem === null);
    tally(result.byLocale, q.locale, problem === null);
  }
  result.score = score(input.questions.length, right);
  return result;
}

export function summarizeAnyStore(stores: AnyStoreStoreResult[]): AnyStoreSummary {
  const byKind: Record<string, AnyStoreScore> = {};
  const byLocale: Record<string, AnyStoreScore> = {};
  for (const s of stores) {
    for (const [k, v] of Object.entries(s.byKind)) byKind[k] = score((byKind[k]?.asked ?? 0) + v.asked, (byKind[k]?.right ?? 0) + v.right);
    for (const [k, v] of Object.entries(s.byLocale)) byLocale[k] = score((byLocale[k]?.asked ?? 0) + v.asked, (byLocale[k]?.right ?? 0) + v.right);
  }
  return {
    target: ANY_STORE_TARGET,
    total: score(
      stores.reduce((a, s) => a + s.score.asked, 0),
      stores.reduce((a, s) => a + s.score.right, 0),
    ),
    byKind,
    byLocale,
    stores,
    storesMeetingTarget: stores.filter((s) => s.score.accuracy >= ANY_STORE_TARGET).length,
  };
}
