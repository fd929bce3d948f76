/**
 * Runs generated questions through the answering pipeline and scores them against
 * the catalog's own facts: structured claims (in the answer text AND in the
 * product cards), citation validity, and whether it refused exactly when it should.
 */
import { answerQuestionDetailed, type AnswerQuestionDeps } from "../answering/answer-question";
import { formatPrice } from "../answering/money";
import type { AnswerResult } from "../answering/types";
import type { CatalogProduct } from "../catalog/types";
import { optionValueMatches } from "../retrieval/variant-match";
import type { EvalQuestion } from "./catalog-questions";

export interface CatalogEvalFailure {
  id: string;
  question: string;
  problem: string;
  answer: string;
}

export interface CatalogEvalResult {
  catalog: string;
  questions: number;
  byKind: Record<string, number>;
  claims: { checked: number; correct: number; accuracy: number };
  citations: { checked: number; valid: number; validity: number };
  refusals: { checked: number; correct: number; accuracy: number };
  /** Answers replaced by a refusal after failing validation twice. */
  fallbacks: number;
  failures: CatalogEvalFailure[];
}

export interface RunCatalogEvalInput {
  catalog: string;
  shop: string;
  questions: EvalQuestion[];
  products: CatalogProduct[];
  locale?: string;
  /** The shop's currency, for products imported without one. */
  currency?: string;
}

export async function runCatalogEval(deps: AnswerQuestionDeps, input: RunCatalogEvalInput): Promise<CatalogEvalResult> {
  const byHandle = new Map(input.products.map((p) => [p.handle, p]));
  const result: CatalogEvalResult = {
    catalog: input.catalog,
    questions: input.questions.length,
    byKind: {},
    claims: { checked: 0, correct: 0, accuracy: 1 },
    citations: { checked: 0, valid: 0, validity: 1 },
    refusals: { checked: 0, correct: 0, accuracy: 1 },
    fallbacks: 0,
    failures: [],
  };
  for (const q of input.questions) {
    result.byKind[q.kind] = (result.byKind[q.kind] ?? 0) + 1;
    const detailed = await answerQuestionDetailed(deps, { shop: input.shop, question: q.question, locale: input.locale ?? "en", productHandle: q.productHandle });
    const r = detailed.result;
    if (detailed.fellBack) result.fallbacks++;
    const fail = (problem: string) => result.failures.push({ id: q.id, question: q.question, problem, answer: r.answer });

    result.refusals.checked++;
    if (r.refused === q.expected.refused) result.refusals.correct++;
    else fail(q.expected.refused ? "answered a question the data cannot answer" : "refused an answerable question");

    // Citations: every one names a retrieved source, and the answer passed the claim checks against them.
    if (!r.refused || r.citations.length > 0) {
      result.citations.checked++;
      const ids = new Set(detailed.sources.map((s) => s.id));
      const allKnown = r.citations.every((c) => ids.has(c.id));
      const aboutRight =
        !q.expected.productHandle || r.refused || detailed.sources.some((s) => s.product?.handle === q.expected.productHandle && r.citations.some((c) => c.id === s.id));
      const policyCited = q.kind !== "policy_window" || r.refused || r.citations.some((c) => c.type === "policy" || c.type === "page");
      if (allKnown && detailed.validation.ok && aboutRight && policyCited && (r.refused || r.citations.length > 0)) result.citations.valid++;
      else fail(`invalid citations (${!allKnown ? "unknown id" : !detailed.validation.ok ? detailed.validation.problems[0]?.message : !aboutRight ? "wrong product cited" : "no policy cited"})`);
    }

    if (r.refused || q.expected.refused) continue;
    const found = q.expected.productHandle ? byHandle.get(q.expected.productHandle) : undefined;
    const product = found && !found.currency && input.currency ? { ...found, currency: input.currency } : found;
    const claim = checkClaim(q, r, product);
    result.claims.checked++;
    if (claim === null) result.claims.correct++;
    else fail(claim);
  }
  result.claims.accuracy = ratio(result.claims.correct, result.claims.checked);
  result.citations.validity = ratio(result.citations.valid, result.citations.checked);
  result.refusals.accuracy = ratio(result.refusals.correct, result.refusals.checked);
  return result;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : Math.round((a / b) * 10000) / 10000;
}

/** null when the answer's text and its structured part both state the ground truth. */
export function checkClaim(q: EvalQuestion, r: AnswerResult, product: CatalogProduct | undefined): string | null {
  const card = r.products.find((c) => c.handle === q.expected.productHandle);
  const e = q.expected;
  switch (q.kind) {
    case "size_yes":
    case "size_no": {
      const yes = /^yes\b/i.test(r.answer);
      const no = /^no\b/i.test(r.answer);
      if (e.comesIn ? !yes : !no) return `text should say ${e.comesIn ? "yes" : "no"} to size ${e.option?.value}`;
      if (!card) return "no product card for the product asked about";
      const has = card.variants.some((v) => v.options[e.option!.name] !== undefined && optionValueMatches(v.options[e.option!.name], e.option!.value));
      if (has !== e.comesIn) return `product card ${has ? "shows" : "lacks"} size ${e.option?.value}`;
      return null;
    }
    case "stock": {
      const yes = /^yes\b/i.test(r.answer) && /\bin stock\b/i.test(r.answer);
      const no = /^no\b/i.test(r.answer) && /\bout of stock\b/i.test(r.answer);
      if (e.inStock ? !yes : !no) return `text should say ${e.inStock ? "in stock" : "out of stock"} in size ${e.option?.value}`;
      if (!card) return "no product card for the product asked about";
      const matching = card.variants.filter((v) => v.options[e.option!.name] !== undefined && optionValueMatches(v.options[e.option!.name], e.option!.value));
      if (matching.length === 0) return "product card lacks the asked size";
      if (matching.some((v) => v.available) !== e.inStock) return "product card availability disagrees";
      return null;
    }
    case "price": {
      if (!product || !e.price) return "no product";
      const expectedText = [formatPrice(e.price.min, product.currency), ...(e.price.max > e.price.min ? [formatPrice(e.price.max, product.currency)] : [])];
      const missing = expectedText.filter((t) => !r.answer.includes(t));
      if (missing.length > 0) return `text lacks the price ${missing.join(", ")}`;
      if (!card) return "no product card for the product asked about";
      if (Math.abs(card.price - e.price.min) > 0.005) return `product card price ${card.price} is not ${e.price.min}`;
      return null;
    }
    case "policy_window": {
      const days = e.days ?? [];
      const said = days.some((d) => new RegExp(`\\b${d}[\\s-]*(business |calendar )?days?\\b|\\b${d}-day\\b`, "i").test(r.answer));
      return said ? null : `text states none of the day counts ${days.join(", ")}`;
    }
    default:
      return null;
  }
}
