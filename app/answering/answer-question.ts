/**
 * The answering pipeline, the one function the storefront, the playground and
 * the CLI call: check the question, understand it, retrieve, answer, validate,
 * retry once with the problems, and fall back to an honest refusal naming the
 * store's contact when an answer still cannot be backed by its sources.
 */
import type { CatalogProduct, CatalogReader } from "../catalog/types";
import type { ShopVocabulary } from "../catalog/memory-catalog";
import type { ChatMessage, EmbeddingModel } from "../providers/types";
import { retrieve, type RetrievalTimings } from "../retrieval/retrieve";
import { understandQuery, type QueryUnderstanding } from "../retrieval/understand-query";
import { matchingVariants } from "../retrieval/product-match";
import type { VectorStore } from "../stores/types";
import { catalogWideSources, isCatalogWide } from "./catalog-sources";
import { messagesFor, type StoreContactInfo } from "./messages";
import type { AnswerRequest, AnswerResult, AnswerSource, Answerer, Citation, DraftAnswer, Intent, ProductCard } from "./types";
import { describeProblems, validateAnswer, type ValidationCode, type ValidationResult } from "./validate-answer";

export interface ShopProfile {
  name: string;
  /** The shop's currency, for products whose import did not carry one. */
  currency?: string;
  contactEmail?: string;
  contactUrl?: string;
}

/** USD per million tokens, by model id. */
export type PriceTable = Record<string, { inputPerMTok: number; outputPerMTok: number }>;

export interface AnswerQuestionDeps {
  store: VectorStore;
  embedder: EmbeddingModel;
  catalog: CatalogReader;
  answerer: Answerer;
  shopProfile: (shop: string) => Promise<ShopProfile>;
  /** The shop's option values, product types and titles; without it only the product in context informs understanding. */
  vocabulary?: (shop: string) => Promise<ShopVocabulary>;
  now?: () => number;
  priceTable?: PriceTable;
  /** Sources handed to the answerer (default 6). */
  sourceCount?: number;
  /** Phase 3: who answers a question of this intent (null or absent: `answerer`, the teacher). */
  route?: (intent: Intent) => Promise<AnswerRoute | null>;
}

/** How the teacher's own answer to a question fared: whether it passed the validator, and whether it refused. */
export interface TeacherVerdict {
  ok: boolean;
  refused: boolean;
}

/** What a background (shadow) answer did, next to the answer the shopper saw. */
export interface ShadowOutcome {
  tier: string;
  intent: Intent;
  draft: DraftAnswer | null;
  validation: ValidationResult;
  shown: AnswerResult;
  /** The teacher's first answer to the same question (the one shown, unless it failed validation). */
  teacher: TeacherVerdict;
  costUsd: number;
  latencyMs: number;
}

/** A routed tier's first answer to a question, as the rollback window counts it. */
export interface RoutedAttemptOutcome {
  validationOk: boolean;
  refused: boolean;
  /** The validator's problem codes for that answer (none when it passed). */
  problems: ValidationCode[];
  /** The teacher's answer to the same question, when it was asked (after a failed routed answer). */
  teacher?: TeacherVerdict;
}

/** A routing decision for one question: the tier that answers, why, and the checks around it. */
export interface AnswerRoute {
  tier: string;
  reason: string;
  answerer: Answerer;
  /** Asked when the routed answer fails validation, so a failing student is never shown. */
  fallback?: Answerer;
  /** Called with the routed tier's first attempt (feeds the rollback window), and the teacher's fallback when it answered. */
  onRoutedAttempt?: (outcome: RoutedAttemptOutcome) => Promise<void>;
  /** Answers the same request after the shopper's answer is ready; never shown, never awaited by the shopper. */
  shadow?: { tier: string; answerer: Answerer; onResult: (outcome: ShadowOutcome) => Promise<void> };
}

export interface AnswerQuestionRequest {
  shop: string;
  question: string;
  locale: string;
  /** The product page the shopper is on. */
  productHandle?: string;
  /** More products in view, e.g. two being compared. */
  productHandles?: string[];
  /** Default 500 characters. */
  maxQuestionLength?: number;
  abortSignal?: AbortSignal;
}

export type AnswerInputErrorCode = "empty_question" | "question_too_long";

/** Bad input from the shopper: the surface shows the message and keeps the question. */
export class AnswerInputError extends Error {
  constructor(
    readonly code: AnswerInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AnswerInputError";
  }
}

export interface AnswerQuestionDetailedResult {
  result: AnswerResult;
  sources: AnswerSource[];
  /** Validation of the answer that was shown (the refusal's, if the fallback was used). */
  validation: ValidationResult;
  /** Validation of each answerer attempt, in order. */
  attemptValidations: ValidationResult[];
  /** Answerer calls made: 0 for a handoff, 1, or 2 after a retry. */
  attempts: number;
  /** The answer was replaced by a refusal because it failed validation twice. */
  fellBack: boolean;
  understanding: QueryUnderstanding;
  timings: RetrievalTimings | null;
  /** Who wrote the shown answer ("teacher" unless phase 3 routed it) and why. */
  tier: string;
  routeReason: string | null;
  /** The first messages sent to the teacher LLM when it wrote the shown answer: the distillation trace. */
  teacherPrompt: ChatMessage[] | null;
  /** Settles when the background shadow answer is recorded (tests and benchmarks wait on it; shoppers never do). */
  shadowDone: Promise<void> | null;
}

export const DEFAULT_MAX_QUESTION_LENGTH = 500;

export function checkQuestion(question: unknown, maxLength = DEFAULT_MAX_QUESTION_LENGTH): string {
  const text = typeof question === "string" ? question.replace(/\s+/g, " ").trim() : "";
  if (!text) throw new AnswerInputError("empty_question", "Please type a question.");
  if (text.length > maxLength) {
    throw new AnswerInputError("question_too_long", `Please keep your question under ${maxLength} characters (it has ${text.length}).`);
  }
  return text;
}

export async function answerQuestion(deps: AnswerQuestionDeps, request: AnswerQuestionRequest): Promise<AnswerResult> {
  return (await answerQuestionDetailed(deps, request)).result;
}

export async function answerQuestionDetailed(deps: AnswerQuestionDeps, request: AnswerQuestionRequest): Promise<AnswerQuestionDetailedResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const question = checkQuestion(request.question, request.maxQuestionLength);
  const { shop } = request;

  const [profile, vocabulary, context, others] = await Promise.all([
    deps.shopProfile(shop),
    deps.vocabulary ? deps.vocabulary(shop) : Promise.resolve(undefined),
    request.productHandle ? deps.catalog.productByHandle(shop, request.productHandle) : Promise.resolve(null),
    Promise.all((request.productHandles ?? []).map((h) => deps.catalog.productByHandle(shop, h))),
  ]);
  const productInContext = context ?? undefined;
  const otherProducts = others.filter((p): p is CatalogProduct => p !== null && p.handle !== productInContext?.handle);
  const storeInfo: StoreContactInfo = { name: profile.name, email: profile.contactEmail, url: profile.contactUrl };
  const messages = messagesFor(request.locale);

  const understanding = understandQuery({
    question,
    locale: request.locale,
    productInContext,
    otherProductsInContext: otherProducts,
    knownOptions: vocabulary?.knownOptions ?? optionsOf([productInContext, ...otherProducts]),
    productTypes: vocabulary?.productTypes ?? [],
    knownProducts: vocabulary?.knownProducts,
  });

  // Listings and complements are read from the whole catalog; everything else is searched.
  const catalogStart = now();
  const wide = isCatalogWide(understanding) ? await catalogWideSources(deps.catalog, shop, question, understanding) : null;
  const catalogMs = now() - catalogStart;
  const matches = wide?.matches;

  const usage = { model: deps.answerer.id, inputTokens: 0, outputTokens: 0 };
  const finish = (draft: DraftAnswer, sources: AnswerSource[]): AnswerResult => ({
    answer: draft.answer,
    refused: draft.refused,
    intent: understanding.intent,
    citations: citationsOf(draft, sources),
    products: draft.refused ? [] : productCards(draft, sources, understanding),
    ...(draft.comparison && !draft.refused ? { comparison: draft.comparison } : {}),
    ...(matches && !draft.refused ? { matches } : {}),
    usage: { ...usage, costUsd: costOf(usage, deps.priceTable), latencyMs: Math.round(now() - started) },
  });

  // Answered without searching, for every answerer alike: off-topic, order status, and "what goes with
  // this dress?" with no product in view or named (which one is unknown; guessing would list dresses).
  const direct =
    understanding.intent === "off_topic"
      ? messages.offTopic(storeInfo)
      : understanding.intent === "order_status"
        ? messages.orderStatus(storeInfo)
        : understanding.needsProduct
          ? messages.whichProduct(storeInfo)
          : null;
  if (direct !== null) {
    const draft = refusalDraft(direct, deps.answerer.id);
    return {
      result: finish(draft, []),
      sources: [],
      validation: { ok: true, problems: [] },
      attemptValidations: [],
      attempts: 0,
      fellBack: false,
      understanding,
      timings: null,
      tier: "teacher",
      routeReason: null,
      teacherPrompt: null,
      shadowDone: null,
    };
  }

  const retrieval = wide
    ? { sources: wide.sources, timings: { embedMs: 0, searchMs: 0, catalogMs, rerankMs: 0, totalMs: catalogMs } }
    : await retrieve(
        { store: deps.store, embedder: deps.embedder, catalog: deps.catalog },
        {
          shop,
          question,
          understanding,
          productHandle: productInContext?.handle,
          k: deps.sourceCount ?? 6,
        },
      );
  const sources = profile.currency
    ? retrieval.sources.map((s) => (s.product && !s.product.currency ? { ...s, product: { ...s.product, currency: profile.currency as string } } : s))
    : retrieval.sources;
  const answerRequest: AnswerRequest = {
    shop,
    question,
    intent: understanding.intent,
    sources,
    locale: request.locale,
    productHandle: productInContext?.handle,
    storeContact: { email: profile.contactEmail, url: profile.contactUrl },
    storeName: profile.name,
    understanding,
    ...(matches ? { matches } : {}),
  };
  const expected = { matches, productInView: understanding.complementFor };

  const route = deps.route ? await deps.route(understanding.intent) : null;
  const attemptValidations: ValidationResult[] = [];
  let teacherPrompt: ChatMessage[] | null = null;
  // A model that fails (unreachable, rate-limited, malformed output) counts as a failed
  // attempt: the shopper still gets an honest answer naming the store's contact.
  const attempt = async (answerer: Answerer, req: AnswerRequest): Promise<{ draft: DraftAnswer | null; validation: ValidationResult }> => {
    try {
      const d = await answerer.answer(req, { abortSignal: request.abortSignal });
      addUsage(usage, d);
      if (answerer === deps.answerer && d.prompt && !req.validationFeedback) teacherPrompt = d.prompt;
      return { draft: d, validation: validateAnswer(d, sources, expected) };
    } catch (error) {
      if (request.abortSignal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return { draft: null, validation: { ok: false, problems: [{ code: "answerer_error", message }] } };
    }
  };
  const first = route?.answerer ?? deps.answerer;
  let tier = route?.tier ?? "teacher";
  let routeReason = route?.reason ?? null;
  let { draft: maybeDraft, validation } = await attempt(first, answerRequest);
  attemptValidations.push(validation);
  const firstRefused = maybeDraft?.refused ?? true;
  const routed: RoutedAttemptOutcome = { validationOk: validation.ok, refused: firstRefused, problems: validation.problems.map((p) => p.code) };
  let attempts = 1;
  let retryWith = first;
  if (!validation.ok && route?.fallback) {
    // The routed tier failed the validator: the teacher answers, exactly as without phase 3.
    attempts += 1;
    tier = "teacher";
    routeReason = `${route.reason}; the ${route.tier} answer failed validation, so the teacher answered`;
    retryWith = route.fallback;
    ({ draft: maybeDraft, validation } = await attempt(route.fallback, answerRequest));
    attemptValidations.push(validation);
    // Whether the teacher does better on this same question tells the merchant what a rollback means.
    routed.teacher = { ok: validation.ok, refused: maybeDraft?.refused ?? true };
  }
  if (route?.onRoutedAttempt) await route.onRoutedAttempt(routed);
  if (!validation.ok) {
    attempts += 1;
    ({ draft: maybeDraft, validation } = await attempt(retryWith, { ...answerRequest, validationFeedback: describeProblems(validation) }));
    attemptValidations.push(validation);
  }
  let draft: DraftAnswer = maybeDraft ?? refusalDraft("", deps.answerer.id);
  let fellBack = false;
  if (!validation.ok) {
    // Twice unsupported: an honest "I don't know" beats a confident wrong fact.
    fellBack = true;
    draft = refusalDraft(messages.dontKnow(undefined, storeInfo), deps.answerer.id);
    validation = validateAnswer(draft, sources, expected);
  }
  const result = finish(draft, sources);
  const teacherVerdict: TeacherVerdict = { ok: attemptValidations[0]?.ok ?? false, refused: firstRefused };
  const shadowDone = route?.shadow ? runShadow(route.shadow, answerRequest, sources, result, teacherVerdict, deps.priceTable, now) : null;
  return {
    result,
    sources,
    validation,
    attemptValidations,
    attempts,
    fellBack,
    understanding,
    timings: retrieval.timings,
    tier,
    routeReason,
    teacherPrompt: tier === "teacher" && !fellBack ? teacherPrompt : null,
    shadowDone,
  };
}

/**
 * The shadow answer starts on a later turn of the event loop, after the shopper's answer is
 * returned, and its failures are only logged: it can neither delay nor change what is shown.
 */
function runShadow(
  shadow: NonNullable<AnswerRoute["shadow"]>,
  request: AnswerRequest,
  sources: AnswerSource[],
  shown: AnswerResult,
  teacher: TeacherVerdict,
  priceTable: PriceTable | undefined,
  now: () => number,
): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
    const started = now();
    let draft: DraftAnswer | null = null;
    let validation: ValidationResult;
    try {
      draft = await shadow.answerer.answer(request);
      validation = validateAnswer(draft, sources);
    } catch (error) {
      validation = { ok: false, problems: [{ code: "answerer_error", message: error instanceof Error ? error.message : String(error) }] };
    }
    const costUsd = draft ? costOf(draft.usage, priceTable) : 0;
    await shadow.onResult({ tier: shadow.tier, intent: request.intent, draft, validation, shown, teacher, costUsd, latencyMs: Math.round(now() - started) });
  }).catch((error: unknown) => {
    console.warn(`[shadow] ${request.shop}: ${error instanceof Error ? error.message : String(error)}`);
  });
}

export type AnswerStreamPart = { type: "delta"; text: string } | { type: "done"; result: AnswerResult };

/**
 * Streams the answer in word chunks. Text is only streamed after it has passed
 * validation: unvalidated model text must never reach a shopper, because a
 * wrong size or price cannot be taken back once read. An LLM answerer that
 * streams is therefore buffered to completion, validated (and retried or
 * replaced), then replayed; the first delta arrives later, every delta is true.
 */
export async function* streamAnswer(deps: AnswerQuestionDeps, request: AnswerQuestionRequest): AsyncGenerator<AnswerStreamPart> {
  const { result } = await answerQuestionDetailed(deps, request);
  for (const piece of result.answer.match(/\S+\s*/g) ?? []) yield { type: "delta", text: piece };
  yield { type: "done", result };
}

function refusalDraft(text: string, model: string): DraftAnswer {
  return { answer: text, citationIds: [], productHandles: [], refused: true, usage: { model, inputTokens: 0, outputTokens: 0 } };
}

function addUsage(total: { model: string; inputTokens: number; outputTokens: number }, draft: DraftAnswer): void {
  total.model = draft.usage.model || total.model;
  total.inputTokens += draft.usage.inputTokens;
  total.outputTokens += draft.usage.outputTokens;
}

export function costOf(usage: { model: string; inputTokens: number; outputTokens: number }, table: PriceTable | undefined): number {
  const price = table?.[usage.model];
  if (!price) return 0;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

function optionsOf(products: (CatalogProduct | undefined)[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const p of products) {
    if (!p) continue;
    for (const v of p.variants) for (const [name, value] of Object.entries(v.options)) (out[name] ??= new Set()).add(value);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

/** Only the sources the answer cites, in the order first cited. */
function citationsOf(draft: DraftAnswer, sources: AnswerSource[]): Citation[] {
  const inText = [...draft.answer.matchAll(/\[(S\d+)\]/g)].map((m) => m[1]);
  const ids = [...new Set([...inText, ...draft.citationIds])];
  return ids
    .map((id) => sources.find((s) => s.id === id))
    .filter((s): s is AnswerSource => !!s)
    .map((s) => ({ id: s.id, type: s.type, title: s.title, url: s.url }));
}

/** Cards for the products the answer is about, showing the variants that meet the shopper's constraints. */
function productCards(draft: DraftAnswer, sources: AnswerSource[], u: QueryUnderstanding): ProductCard[] {
  const c = u.constraints;
  const wanted = { values: c.values, inStock: c.inStock, priceMax: c.priceMax, priceMin: c.priceMin };
  const cards: ProductCard[] = [];
  for (const handle of draft.productHandles) {
    const product = sources.find((s) => s.product?.handle === handle)?.product;
    if (!product) continue;
    const fitting = matchingVariants(product, wanted);
    // Nothing fits ("no, not in size 12"): show what the product does offer.
    const variants = fitting.length > 0 ? fitting : product.variants;
    const cheapest = [...variants].sort((a, b) => a.price - b.price)[0];
    cards.push({
      handle: product.handle,
      title: product.title,
      url: product.url,
      price: cheapest?.price ?? 0,
      compareAtPrice: cheapest?.compareAtPrice ?? null,
      imageUrl: product.images[0]?.url ?? null,
      available: variants.some((v) => v.available),
      variants: variants.map((v) => ({ id: v.id, title: v.title, available: v.available, price: v.price, options: v.options })),
    });
  }
  return cards;
}
