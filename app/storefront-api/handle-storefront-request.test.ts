import { describe, expect, it } from "vitest";
import type { AnswerResult } from "../answering/types";
import type { RecordFeedbackInput } from "../insights/answer-log";
import type { AskInput, AskOutcome, AskStreamPart } from "../services";
import { handleStorefrontRequest, type StorefrontApiDeps } from "./handle-storefront-request";
import { createRateLimiter } from "./rate-limiter";

const SHOP = "a.myshopify.com";
const result: AnswerResult = {
  answer: "Yes, <b>M</b> is in stock. [S1]",
  refused: false,
  intent: "availability",
  citations: [{ id: "S1", type: "product", title: "Shell <script>x</script>", url: "/products/shell" }],
  products: [],
  usage: { model: "fake", inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 1 },
};

/** Records what the handler passes on; answers from a fixed result. */
class FakeAssistant {
  asked: AskInput[] = [];
  feedback: RecordFeedbackInput[] = [];
  failWith: Error | null = null;
  deps(overrides: Partial<StorefrontApiDeps> = {}): StorefrontApiDeps {
    return {
      ask: async (input) => {
        this.asked.push(input);
        if (this.failWith) throw this.failWith;
        return { result, answerId: "ans-1" } as AskOutcome;
      },
      askStream: (input) => this.stream(input),
      recordFeedback: async (input) => {
        this.feedback.push(input);
        if (input.answerLogId !== "ans-1") throw Object.assign(new Error("That answer was not found; it may have expired."), { name: "FeedbackError", code: "answer_not_found" });
        return { replaced: false };
      },
      suggestQuestions: async ({ productHandle, locale }) => [`About ${productHandle} in ${locale}?`],
      askLimiter: createRateLimiter({ perClientPerMinute: 100, perShopPerMinute: 1000 }),
      lightLimiter: createRateLimiter({ perClientPerMinute: 100, perShopPerMinute: 1000 }),
      ...overrides,
    };
  }
  async *stream(input: AskInput): AsyncGenerator<AskStreamPart> {
    this.asked.push(input);
    if (this.failWith) throw this.failWith;
    yield { type: "delta", text: "Yes, " };
    yield { type: "delta", text: "<b>M</b> is in stock." };
    yield { type: "done", result, answerId: "ans-1" };
  }
}

const context = { shop: SHOP, clientKey: "client-1" };
const ask = (body: unknown, headers: Record<string, string> = {}) =>
  new Request("http://app/proxy/ask", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } });

describe("handleStorefrontRequest: ask", () => {
  it("GIVEN a body naming another shop WHEN asked THEN the verified shop is used and the answer is escaped JSON", async () => {
    const fake = new FakeAssistant();
    const response = await handleStorefrontRequest(fake.deps(), context, "ask", ask({ question: "Is M in stock?", shop: "b.myshopify.com", productHandle: "shell" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).not.toMatch(/[<>]/);
    expect(JSON.parse(text)).toMatchObject({ answerId: "ans-1", answer: result.answer, citations: result.citations });
    expect(fake.asked[0]).toMatchObject({ shop: SHOP, surface: "storefront", productHandle: "shell", locale: "en", clientHash: "client-1" });
  });

  it("streams delta events then done (with the answer id) when the client accepts text/event-stream", async () => {
    const fake = new FakeAssistant();
    const response = await handleStorefrontRequest(fake.deps(), { ...context, proxyLocale: "fr" }, "ask", ask({ question: "M?" }, { Accept: "text/event-stream" }));
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = (await response.text()).trim().split("\n\n").map((frame) => frame.split("\n")[0]);
    expect(events).toEqual(["event: delta", "event: delta", "event: done"]);
    expect(fake.asked[0].locale).toBe("fr");
  });

  it("an input error from the pipeline before the stream starts is a plain HTTP error, not a 200 stream", async () => {
    const fake = new FakeAssistant();
    fake.failWith = Object.assign(new Error("Please type a question."), { name: "AnswerInputError", code: "empty_question" });
    const response = await handleStorefrontRequest(fake.deps(), context, "ask", ask({ question: "x" }, { Accept: "text/event-stream" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "empty_question", message: "Please type a question." } });
  });

  it("hides internal errors behind a shopper-readable message and logs them", async () => {
    const fake = new FakeAssistant();
    const logged: string[] = [];
    fake.failWith = new Error("SQLITE_BUSY: database is locked");
    const response = await handleStorefrontRequest(fake.deps({ logError: (m) => logged.push(m) }), context, "ask", ask({ question: "x" }));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("internal_error");
    expect(body.error.message).not.toMatch(/SQLITE/);
    expect(logged).toHaveLength(1);
  });

  it("GIVEN 2 questions per minute WHEN a third comes THEN 429 with Retry-After and nothing is asked", async () => {
    const fake = new FakeAssistant();
    const deps = fake.deps({ askLimiter: createRateLimiter({ perClientPerMinute: 2, perShopPerMinute: 100 }) });
    for (let i = 0; i < 2; i++) expect((await handleStorefrontRequest(deps, context, "ask", ask({ question: "q" }))).status).toBe(200);
    const limited = await handleStorefrontRequest(deps, context, "ask", ask({ question: "q" }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(fake.asked).toHaveLength(2);
  });

  it("refuses the wrong method with 405 and an unknown or uninstalled shop with 404", async () => {
    const fake = new FakeAssistant();
    const get = await handleStorefrontRequest(fake.deps(), context, "ask", new Request("http://app/proxy/ask"));
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    const gone = await handleStorefrontRequest(fake.deps({ shopIsActive: async () => false }), context, "ask", ask({ question: "q" }));
    expect(gone.status).toBe(404);
    expect(fake.asked).toHaveLength(0);
  });
});

describe("handleStorefrontRequest: feedback and questions", () => {
  it("records up as 1 for the verified shop, and answers 404 for an answer it does not know", async () => {
    const fake = new FakeAssistant();
    const post = (body: unknown) => new Request("http://app/proxy/feedback", { method: "POST", body: JSON.stringify(body) });
    const ok = await handleStorefrontRequest(fake.deps(), context, "feedback", post({ answerId: "ans-1", rating: "up", shop: "b.myshopify.com" }));
    expect(await ok.json()).toEqual({ ok: true, replaced: false });
    expect(fake.feedback[0]).toEqual({ shop: SHOP, answerLogId: "ans-1", rating: 1, reason: null });
    const missing = await handleStorefrontRequest(fake.deps(), context, "feedback", post({ answerId: "other", rating: "down" }));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("answer_not_found");
  });

  it("passes the product and locale of the query to the suggestions", async () => {
    const fake = new FakeAssistant();
    const response = await handleStorefrontRequest(fake.deps(), context, "questions", new Request("http://app/proxy/questions?product=shell&locale=de"));
    expect(await response.json()).toEqual({ questions: ["About shell in de?"] });
    const bad = await handleStorefrontRequest(fake.deps(), context, "questions", new Request("http://app/proxy/questions?product=%3Cscript%3E"));
    expect(bad.status).toBe(400);
  });
});
