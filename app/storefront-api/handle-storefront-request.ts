/**
 * The storefront endpoints behind the app proxy, framework-free: ask (JSON or
 * SSE), feedback and suggested questions. Callers verify the request first and
 * pass who is asking as a VerifiedProxyContext; nothing here reads the shop
 * from the request itself.
 */
import type { AnswerResult } from "../answering/types";
import type { RecordFeedbackInput } from "../insights/answer-log";
import type { AskInput, AskOutcome, AskStreamPart } from "../services";
import { parseWithSchema, questionsQuerySchema, readAskBody, readJsonBody, feedbackBodySchema } from "./parse-request";
import type { RateLimiter } from "./rate-limiter";
import { errorResponse, jsonResponse, StorefrontApiError } from "./responses";
import { sseResponse, type SseEvent } from "./sse";

export type StorefrontEndpoint = "ask" | "feedback" | "questions";

export const STOREFRONT_ENDPOINTS: readonly StorefrontEndpoint[] = ["ask", "feedback", "questions"];

export function isStorefrontEndpoint(value: unknown): value is StorefrontEndpoint {
  return typeof value === "string" && (STOREFRONT_ENDPOINTS as readonly string[]).includes(value);
}

/** Who is asking, from a verified app proxy query only. */
export interface VerifiedProxyContext {
  shop: string;
  /** Salted hash of the logged-in customer or the client IP (clientKeyOf). */
  clientKey: string;
  /** The storefront locale the proxy path implies, when it implies one. */
  proxyLocale?: string;
}

export interface StorefrontApiDeps {
  ask(input: AskInput): Promise<AskOutcome>;
  askStream(input: AskInput): AsyncGenerator<AskStreamPart>;
  recordFeedback(input: RecordFeedbackInput): Promise<{ replaced: boolean }>;
  suggestQuestions(input: { shop: string; productHandle?: string; locale: string }): Promise<string[]>;
  /** Asking costs inference: its own, tighter limiter. */
  askLimiter: RateLimiter;
  /** Feedback and suggested questions. */
  lightLimiter: RateLimiter;
  /** False for an unknown or uninstalled shop. */
  shopIsActive?(shop: string): Promise<boolean>;
  logError?(message: string, error: unknown): void;
}

export type AskResponseBody = AnswerResult & { answerId: string };

const METHODS: Record<StorefrontEndpoint, string> = { ask: "POST", feedback: "POST", questions: "GET" };

export async function handleStorefrontRequest(
  deps: StorefrontApiDeps,
  context: VerifiedProxyContext,
  endpoint: StorefrontEndpoint,
  request: Request,
): Promise<Response> {
  try {
    if (request.method !== METHODS[endpoint]) {
      throw new StorefrontApiError(405, "method_not_allowed", `Use ${METHODS[endpoint]} for ${endpoint}.`);
    }
    const limiter = endpoint === "ask" ? deps.askLimiter : deps.lightLimiter;
    const limit = await limiter.take(context.shop, context.clientKey);
    if (!limit.allowed) {
      throw new StorefrontApiError(
        429,
        "rate_limited",
        limit.scope === "client"
          ? `Too many questions in a short time. Please try again in ${limit.retryAfterSeconds} seconds.`
          : `The assistant is busy right now. Please try again in ${limit.retryAfterSeconds} seconds.`,
        limit.retryAfterSeconds,
      );
    }
    if (deps.shopIsActive && !(await deps.shopIsActive(context.shop))) {
      throw new StorefrontApiError(404, "shop_not_found", "The assistant is not set up for this shop.");
    }
    if (endpoint === "ask") return await ask(deps, context, request);
    if (endpoint === "feedback") return await feedback(deps, context, request);
    return await questions(deps, context, request);
  } catch (error) {
    const known = toStorefrontError(error);
    if (known.status >= 500) deps.logError?.(`storefront ${endpoint} failed for ${context.shop}`, error);
    return errorResponse(known, known.status === 405 ? { Allow: METHODS[endpoint] } : {});
  }
}

function toStorefrontError(error: unknown): StorefrontApiError {
  if (error instanceof StorefrontApiError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const name = (error as { name?: unknown })?.name;
  if (name === "AnswerInputError" && code === "question_too_long") return new StorefrontApiError(413, code, message);
  if (name === "AnswerInputError" && typeof code === "string") return new StorefrontApiError(400, code, message);
  if (name === "FeedbackError" && code === "answer_not_found") return new StorefrontApiError(404, code, message);
  if (name === "FeedbackError" && typeof code === "string") return new StorefrontApiError(400, code, message);
  if (name === "AbortError") return new StorefrontApiError(499, "cancelled", "The request was cancelled.");
  if (name === "ProviderError") {
    return new StorefrontApiError(503, "assistant_unavailable", "The assistant cannot answer right now. Please try again shortly, or contact the store.");
  }
  // Internal details stay in the server log.
  return new StorefrontApiError(500, "internal_error", "Something went wrong on our side. Please try again, or contact the store.");
}

function wantsEventStream(request: Request): boolean {
  return (request.headers.get("accept") ?? "").toLowerCase().includes("text/event-stream");
}

async function ask(deps: StorefrontApiDeps, context: VerifiedProxyContext, request: Request): Promise<Response> {
  const body = await readAskBody(request);
  const input: AskInput = {
    shop: context.shop,
    question: body.question,
    locale: body.locale ?? context.proxyLocale ?? "en",
    productHandle: body.productHandle,
    surface: "storefront",
    clientHash: context.clientKey,
    abortSignal: request.signal,
  };
  if (!wantsEventStream(request)) {
    const outcome = await deps.ask(input);
    const result: AskResponseBody = { ...outcome.result, answerId: outcome.answerId };
    return jsonResponse(result, 200, { "X-Groundwork-Answer-Id": outcome.answerId });
  }

  // The first part decides the status: input and provider errors still get a proper HTTP error.
  const parts = deps.askStream(input);
  const first = await parts.next();
  let pending: IteratorResult<AskStreamPart> | null = first;
  let finished = false;
  const events: AsyncIterator<SseEvent> = {
    async next() {
      if (finished) return { done: true, value: undefined };
      try {
        const part = pending ?? (await parts.next());
        pending = null;
        if (part.done) {
          finished = true;
          return { done: true, value: undefined };
        }
        const value = part.value;
        if (value.type === "delta") return { done: false, value: { event: "delta", data: { text: value.text } } };
        finished = true;
        return { done: false, value: { event: "done", data: { ...value.result, answerId: value.answerId } satisfies AskResponseBody } };
      } catch (error) {
        // Headers are gone: the error travels as an event the widget shows.
        finished = true;
        const known = toStorefrontError(error);
        if (known.status >= 500) deps.logError?.(`storefront ask stream failed for ${context.shop}`, error);
        return { done: false, value: { event: "error", data: { code: known.code, message: known.message } } };
      }
    },
    async return() {
      finished = true;
      await parts.return(undefined);
      return { done: true, value: undefined };
    },
  };
  return sseResponse(events);
}

async function feedback(deps: StorefrontApiDeps, context: VerifiedProxyContext, request: Request): Promise<Response> {
  const body = await readJsonBody(request, feedbackBodySchema);
  const saved = await deps.recordFeedback({
    shop: context.shop,
    answerLogId: body.answerId,
    rating: body.rating === "up" ? 1 : -1,
    reason: body.reason ?? null,
  });
  return jsonResponse({ ok: true, replaced: saved.replaced });
}

async function questions(deps: StorefrontApiDeps, context: VerifiedProxyContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const query = parseWithSchema(questionsQuerySchema, {
    product: url.searchParams.get("product") || undefined,
    locale: url.searchParams.get("locale") || undefined,
  });
  const list = await deps.suggestQuestions({ shop: context.shop, productHandle: query.product, locale: query.locale ?? context.proxyLocale ?? "en" });
  return jsonResponse({ questions: list });
}
