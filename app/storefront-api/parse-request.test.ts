import { describe, expect, it } from "vitest";
import { feedbackBodySchema, parseWithSchema, readAskBody, readJsonBody, readLimitedText } from "./parse-request";
import { StorefrontApiError } from "./responses";

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://x/ask", { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });

async function failure(promise: Promise<unknown>): Promise<StorefrontApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorefrontApiError);
  return error as StorefrontApiError;
}

describe("readAskBody", () => {
  it("GIVEN a good body with an extra shop field THEN the question is trimmed and the shop is dropped", async () => {
    const body = await readAskBody(post(JSON.stringify({ question: "  Is it warm?\u0007 ", locale: "fr_CA", productHandle: "wool-hat", shop: "evil.myshopify.com" })));
    expect(body).toEqual({ question: "Is it warm?", locale: "fr-CA", productHandle: "wool-hat" });
  });

  it("refuses a question over 500 characters with question_too_long (413)", async () => {
    const error = await failure(readAskBody(post(JSON.stringify({ question: "a".repeat(501) }))));
    expect([error.status, error.code]).toEqual([413, "question_too_long"]);
    expect(error.message).toMatch(/under 500 characters/);
  });

  it("refuses bodies over 8 KB with 413, by header or by counting", async () => {
    const big = JSON.stringify({ question: "x", pad: "y".repeat(9000) });
    expect((await failure(readAskBody(post(big)))).status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("z".repeat(1000)));
        c.close();
      },
    });
    const chunked = new Request("http://x", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect((await failure(readLimitedText(chunked))).code).toBe("body_too_large");
  });

  it("answers bad JSON, a wrong shape and an empty question with clear 400s", async () => {
    expect((await failure(readAskBody(post("{not json")))).code).toBe("invalid_json");
    expect((await failure(readAskBody(post("[1,2]")))).code).toBe("invalid_json");
    const wrong = await failure(readAskBody(post(JSON.stringify({ question: 42 }))));
    expect([wrong.status, wrong.code, wrong.message]).toEqual([400, "invalid_request", "question must be text"]);
    expect((await failure(readAskBody(post(JSON.stringify({ question: "   " }))))).code).toBe("empty_question");
    const badHandle = await failure(readAskBody(post(JSON.stringify({ question: "q", productHandle: "../../etc" }))));
    expect(badHandle.message).toMatch(/^productHandle: /);
  });
});

describe("feedback body", () => {
  it("accepts up/down with an optional reason and refuses anything else", async () => {
    expect(await readJsonBody(post(JSON.stringify({ answerId: "a-1", rating: "down", reason: "wrong size" })), feedbackBodySchema)).toEqual({
      answerId: "a-1",
      rating: "down",
      reason: "wrong size",
    });
    expect(() => parseWithSchema(feedbackBodySchema, { answerId: "a-1", rating: 5 })).toThrow('rating must be "up" or "down"');
    expect(() => parseWithSchema(feedbackBodySchema, { answerId: "a-1", rating: "up", reason: "r".repeat(501) })).toThrow(/under 500/);
  });
});
