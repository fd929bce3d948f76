/**
 * The OpenAI-compatible providers and the LLM answerer, through the real `openai` SDK over HTTP,
 * against a local server that speaks OpenAI's wire format (test/fakes/openai-server.ts).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLlmAnswerer } from "../../app/answering/llm-answerer";
import type { AnswerRequest } from "../../app/answering/types";
import { guardedFetch } from "../../app/providers/endpoint-guard";
import { createOpenAIChatModel } from "../../app/providers/openai-chat";
import { toProviderError } from "../../app/providers/openai-errors";
import { createOpenAIEmbeddingModel } from "../../app/providers/openai-embedding";
import { testProviderConnection } from "../../app/providers/test-connection";
import { ProviderError } from "../../app/providers/types";
import { defaultChatHandler, embedText, startFakeOpenAI, type FakeChatRequest, type FakeOpenAI } from "../fakes/openai-server";

let fake: FakeOpenAI;
let host: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  host = new URL(fake.url).host;
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setChatHandler(defaultChatHandler);
  fake.rateLimitNext(0);
  fake.failNext(0);
});

function connection(overrides: { apiKey?: string; maxRetries?: number; timeoutMs?: number; baseURL?: string } = {}) {
  return { baseURL: fake.url, apiKey: fake.apiKey, ...overrides };
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
}

async function closedPortURL(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/v1`;
}

const embeddingRequests = () => fake.requests.filter((request) => request.path === "/v1/embeddings");
const chatRequests = () => fake.requests.filter((request) => request.path === "/v1/chat/completions");

describe("the fake speaks the wire format the SDK expects", () => {
  it("serves base64 embeddings (the SDK's default) and model lookups", async () => {
    const client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
    const response = await client.embeddings.create({ model: "text-embedding-3-small", input: "rain jacket", dimensions: 16 });
    expect(embeddingRequests()[0].body.encoding_format).toBe("base64");
    expect(response.data[0].embedding).toEqual(embedText("rain jacket", 16).map((value) => expect.closeTo(value, 6)));
    await expect(client.models.retrieve("gpt-4o-mini")).resolves.toMatchObject({ id: "gpt-4o-mini", object: "model" });
    await expect(client.models.retrieve("gpt-0")).rejects.toMatchObject({ status: 404, code: "model_not_found" });
  });
});

describe("OpenAI embeddings over HTTP", () => {
  it("splits more texts than one request may carry into batches and keeps their order", async () => {
    // GIVEN 2,050 texts, two more than OpenAI accepts in one request
    const texts = Array.from({ length: 2050 }, (_, i) => `product ${i} in colour ${i % 7}`);
    const model = createOpenAIEmbeddingModel({ ...connection(), model: "text-embedding-3-small" });

    // WHEN they are embedded in one call
    const result = await model.embed({ values: texts });

    // THEN two requests went out (2,048 + 2), each vector is where its text was, normalized
    expect(model.id).toBe("openai:text-embedding-3-small:1536");
    expect(embeddingRequests().map((request) => request.body.input.length)).toEqual([2048, 2]);
    expect(embeddingRequests()[0].headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(result.embeddings).toHaveLength(2050);
    for (const i of [0, 2047, 2048, 2049]) {
      expect(result.embeddings[i]).toEqual(embedText(texts[i], 1536).map((value) => expect.closeTo(value, 9)));
    }
    expect(Math.hypot(...result.embeddings[5])).toBeCloseTo(1, 9);
    expect(result.usage.tokens).toBeGreaterThan(2050);
  });

  it("honours a smaller batch size and shortened dimensions", async () => {
    const model = createOpenAIEmbeddingModel({ ...connection(), model: "text-embedding-3-large", dimensions: 256, maxEmbeddingsPerCall: 10 });
    const result = await model.embed({ values: Array.from({ length: 25 }, (_, i) => `text ${i}`).concat([""]) });
    expect(model.id).toBe("openai:text-embedding-3-large:256");
    expect(embeddingRequests()).toHaveLength(3);
    expect(embeddingRequests()[0].body).toMatchObject({ dimensions: 256, encoding_format: "float" });
    expect(result.embeddings.every((vector) => vector.length === 256)).toBe(true);
  });

  it("rejects vectors of the wrong size with a hint to fix the setting", async () => {
    // GIVEN a compatible server whose "text-embedding-3-small" returns 768-d vectors
    const other = await startFakeOpenAI({ embeddingModels: { "text-embedding-3-small": 768 } });
    try {
      const model = createOpenAIEmbeddingModel({ baseURL: other.url, apiKey: other.apiKey, model: "text-embedding-3-small" });
      // WHEN the model, assumed to be OpenAI's 1,536-d one, embeds
      const error = await caught(model.embed({ values: ["a"] }));
      // THEN nothing mis-sized reaches the index
      expect(error.code).toBe("bad_response");
      expect(error.message).toBe('"text-embedding-3-small" returned vectors of 768 dimensions, expected 1536. Check the dimensions setting.');
    } finally {
      await other.close();
    }
  });

  it("passes on the server's reason for refusing a dimensions value", async () => {
    const error = await caught(
      createOpenAIEmbeddingModel({ ...connection(), model: "text-embedding-3-small", dimensions: 2000 }).embed({ values: ["a"] }),
    );
    expect(error.code).toBe("bad_response");
    expect(error.status).toBe(400);
    expect(error.message).toContain("dimensions=2000");
  });

  it("needs to be told the size of a model it does not know", () => {
    expect(() => createOpenAIEmbeddingModel({ ...connection(), model: "nomic-embed-text" })).toThrow(/Set the embedding dimensions for "nomic-embed-text"/);
  });
});

describe("OpenAI chat over HTTP", () => {
  it("generates a reply with usage", async () => {
    const chat = createOpenAIChatModel({ ...connection(), model: "gpt-4o-mini" });
    const result = await chat.generate({ messages: [{ role: "user", content: "Hello there" }], maxOutputTokens: 50, temperature: 0 });
    expect(result.text).toBe("You said: Hello there");
    expect(result.usage).toEqual({ model: "gpt-4o-mini", inputTokens: 3, outputTokens: 6 });
    expect(chatRequests()[0].body).toMatchObject({ model: "gpt-4o-mini", max_completion_tokens: 50, temperature: 0 });
    expect(chatRequests()[0].body.stream).toBe(false);
  });

  it("streams deltas and ends with the whole text and usage", async () => {
    const chat = createOpenAIChatModel({ ...connection(), model: "gpt-4o-mini" });
    const deltas: string[] = [];
    let done: { text: string; usage: { outputTokens: number } } | undefined;
    for await (const part of chat.stream({ messages: [{ role: "user", content: "Tell me about the Alpine shell" }] })) {
      if (part.type === "delta") deltas.push(part.text);
      else done = part;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe("You said: Tell me about the Alpine shell");
    expect(done?.text).toBe(deltas.join(""));
    expect(done?.usage.outputTokens).toBeGreaterThan(0);
    expect(chatRequests()[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("sends a strict json_schema response format and returns the structured reply", async () => {
    let seen: FakeChatRequest | undefined;
    fake.setChatHandler((request) => {
      seen = request;
      return { content: JSON.stringify({ colour: "navy", sizes: ["S", "M"] }) };
    });
    const schema = {
      type: "object",
      properties: { colour: { type: "string" }, sizes: { type: "array", items: { type: "string" } } },
      required: ["colour", "sizes"],
      additionalProperties: false,
    };
    const chat = createOpenAIChatModel({ ...connection(), model: "gpt-4.1-mini" });
    const result = await chat.generate({ messages: [{ role: "user", content: "facts?" }], jsonSchema: { name: "facts", schema } });
    expect(seen?.jsonSchema).toEqual({ name: "facts", schema, strict: true });
    expect(JSON.parse(result.text)).toEqual({ colour: "navy", sizes: ["S", "M"] });
  });
});

describe("provider errors a merchant can act on", () => {
  it("a wrong key is an auth error naming the host", async () => {
    const chat = createOpenAIChatModel({ ...connection({ apiKey: "sk-wrong-key-1234" }), model: "gpt-4o-mini" });
    const error = await caught(chat.generate({ messages: [{ role: "user", content: "hi" }] }));
    expect(error.code).toBe("auth");
    expect(error.status).toBe(401);
    expect(error.message).toBe(`The API key was rejected by ${host}. Check the key in the assistant's settings.`);
    expect(chatRequests()).toHaveLength(1); // 401 is not retried
  });

  it("an unknown model is named, for chat and for embeddings", async () => {
    const chatError = await caught(createOpenAIChatModel({ ...connection(), model: "gpt-9-ultra" }).generate({ messages: [{ role: "user", content: "hi" }] }));
    expect(chatError.code).toBe("model_not_found");
    expect(chatError.message).toContain('"gpt-9-ultra" does not exist');
    const embedError = await caught(
      createOpenAIEmbeddingModel({ ...connection(), model: "text-embedding-9", dimensions: 8 }).embed({ values: ["x"] }),
    );
    expect(embedError.code).toBe("model_not_found");
    expect(embedError.message).toContain("text-embedding-9");
  });

  it("a 429 is retried after Retry-After and then succeeds", async () => {
    fake.rateLimitNext(2, 0);
    const model = createOpenAIEmbeddingModel({ ...connection({ maxRetries: 3 }), model: "text-embedding-3-small" });
    const result = await model.embed({ values: ["rain jacket"] });
    expect(result.embeddings).toHaveLength(1);
    expect(embeddingRequests()).toHaveLength(3);
  });

  it("a 429 that outlasts the retries is a rate-limit error", async () => {
    fake.rateLimitNext(5, 0);
    const chat = createOpenAIChatModel({ ...connection({ maxRetries: 1 }), model: "gpt-4o-mini" });
    const error = await caught(chat.generate({ messages: [{ role: "user", content: "hi" }] }));
    expect(error.code).toBe("rate_limited");
    expect(error.message).toMatch(/rate limiting requests for "gpt-4o-mini"/);
    expect(chatRequests()).toHaveLength(2);
  });

  it("a server error is retried, streams included", async () => {
    fake.failNext(1, 503);
    const chat = createOpenAIChatModel({ ...connection({ maxRetries: 2 }), model: "gpt-4o-mini" });
    const parts = [];
    for await (const part of chat.stream({ messages: [{ role: "user", content: "hi" }] })) parts.push(part);
    expect(parts.at(-1)).toMatchObject({ type: "done", text: "You said: hi" });
    expect(chatRequests()).toHaveLength(2);
  });

  it("an unreachable URL is named in the error", async () => {
    const baseURL = await closedPortURL();
    const chat = createOpenAIChatModel({ ...connection({ baseURL, maxRetries: 0 }), model: "gpt-4o-mini" });
    const error = await caught(chat.generate({ messages: [{ role: "user", content: "hi" }] }));
    expect(error.code).toBe("unreachable");
    expect(error.message).toBe(`Could not reach ${baseURL} (connection refused). Check the base URL and that the server is running and reachable from this app.`);
  });

  it("a host name that does not resolve is named in the error", async () => {
    const baseURL = "http://groundwork-nowhere.invalid/v1";
    const model = createOpenAIEmbeddingModel({ baseURL, apiKey: "sk-x", model: "text-embedding-3-small", maxRetries: 0 });
    const error = await caught(model.embed({ values: ["x"] }));
    expect(error.code).toBe("unreachable");
    // ENOTFOUND with a resolver, EAI_AGAIN on a machine without one
    expect(error.message).toMatch(/^Could not reach http:\/\/groundwork-nowhere\.invalid\/v1 \((host name not found|DNS lookup failed)\)/);
  });

  it("a base URL without the version path gets a hint", async () => {
    const baseURL = fake.url.replace(/\/v1$/, "");
    const error = await caught(createOpenAIChatModel({ ...connection({ baseURL }), model: "gpt-4o-mini" }).generate({ messages: [{ role: "user", content: "hi" }] }));
    expect(error.code).toBe("model_not_found");
    expect(error.message).toContain("the base URL ends with the API version (usually /v1)");
  });

  it("a slow server is a timeout", async () => {
    fake.setChatHandler(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return defaultChatHandler(request);
    });
    const chat = createOpenAIChatModel({ ...connection({ maxRetries: 0, timeoutMs: 200 }), model: "gpt-4o-mini" });
    const error = await caught(chat.generate({ messages: [{ role: "user", content: "hi" }] }));
    expect(error.code).toBe("timeout");
    expect(error.message).toContain(`${host} did not answer within 200 ms`);
  });

  it("a malformed base URL is a configuration error before any request", () => {
    expect(() => createOpenAIChatModel({ ...connection({ baseURL: "api.openai.com/v1" }), model: "gpt-4o-mini" })).toThrow(/not a valid URL/);
  });
});

describe("testProviderConnection", () => {
  const config = () => ({ baseURL: fake.url, apiKey: fake.apiKey, chatModel: "gpt-4o-mini", embeddingModel: "text-embedding-3-small" });

  it("confirms a working endpoint and reports the embedding size", async () => {
    await expect(testProviderConnection(config())).resolves.toEqual({
      ok: true,
      chatModel: "gpt-4o-mini",
      embeddingModel: "text-embedding-3-small",
      embeddingDimensions: 1536,
    });
    expect(fake.requests.map((request) => request.path)).toEqual(["/v1/models", "/v1/chat/completions", "/v1/embeddings"]);
  });

  it("explains a wrong key, a mistyped model and an unreachable URL", async () => {
    await expect(testProviderConnection({ ...config(), apiKey: "sk-nope-0000" })).resolves.toMatchObject({
      ok: false,
      code: "auth",
      message: expect.stringContaining("The API key was rejected"),
    });
    const typo = await testProviderConnection({ ...config(), chatModel: "gpt-4o-mni" });
    expect(typo).toMatchObject({ ok: false, code: "model_not_found" });
    expect(!typo.ok && typo.message).toMatch(/"gpt-4o-mni" does not exist.*include: gpt-4o-mini/);
    const baseURL = await closedPortURL();
    await expect(testProviderConnection({ ...config(), baseURL })).resolves.toMatchObject({
      ok: false,
      code: "unreachable",
      message: expect.stringContaining(`Could not reach ${baseURL}`),
    });
  });

  it("catches a dimensions setting the model does not produce", async () => {
    const result = await testProviderConnection({ ...config(), embeddingModel: "text-embedding-3-large", embeddingDimensions: 4096 });
    expect(result).toMatchObject({ ok: false, code: "bad_response" });
  });
});

describe("a merchant's endpoint on the app's own network", () => {
  const deny = { allowPrivateNetworks: false };
  const config = (baseURL: string) => ({ baseURL, apiKey: fake.apiKey, chatModel: "gpt-4o-mini", endpointPolicy: deny });

  it("is refused before any request when the URL names a local address or name", async () => {
    const port = new URL(fake.url).port;
    for (const baseURL of [fake.url, `http://localhost:${port}/v1`, "https://169.254.169.254/v1", `http://[::1]:${port}/v1`, "https://10.1.2.3/v1"]) {
      const result = await testProviderConnection(config(baseURL));
      expect(result, baseURL).toMatchObject({ ok: false, code: "blocked_endpoint", message: expect.stringContaining("not a public internet address") });
    }
    expect(fake.requests).toHaveLength(0);
    // A public host over plain http would carry the key unencrypted.
    await expect(testProviderConnection(config("http://api.example.com/v1"))).resolves.toMatchObject({ ok: false, code: "invalid_config" });
  });

  it("is refused where the connection is made, whatever the URL looked like", async () => {
    // A name that resolves to loopback (as a rebinding name would): the socket's lookup refuses it.
    const error = await guardedFetch(`http://localhost:${new URL(fake.url).port}/v1/models`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as { cause?: unknown }).cause)).toContain("is not a public internet address");
    expect(fake.requests).toHaveLength(0);
    // Mapped to the merchant's message when it comes through the SDK.
    const client = new OpenAI({ baseURL: `http://localhost:${new URL(fake.url).port}/v1`, apiKey: fake.apiKey, maxRetries: 0, fetch: guardedFetch });
    const mapped = toProviderError(await client.models.list().catch((e: unknown) => e), { baseURL: "http://localhost/v1", model: "m", timeoutMs: 1000 });
    expect(mapped).toMatchObject({ code: "blocked_endpoint", message: expect.stringContaining("localhost (127.0.0.1) is not a public internet address") });
  });

  it("is called when the operator allows private networks", async () => {
    await expect(testProviderConnection({ ...config(fake.url), endpointPolicy: { allowPrivateNetworks: true } })).resolves.toMatchObject({ ok: true });
  });
});

describe("LLM answerer against the fake", () => {
  const request: AnswerRequest = {
    shop: "northwind.myshopify.com",
    question: "Does the Alpine shell come in XXL?",
    intent: "availability",
    sources: [
      { id: "S1", type: "product", title: "Alpine Rain Shell", url: "/products/alpine-rain-shell", text: "Alpine Rain Shell. Sizes S, M, L.", score: 0.9 },
      { id: "S2", type: "policy", title: "Refund policy", url: "/policies/refund-policy", text: "Returns within 30 days.", score: 0.4 },
    ],
    locale: "en",
    storeContact: { email: "help@northwind.example" },
  };
  const answerer = () => createLlmAnswerer({ chat: createOpenAIChatModel({ ...connection(), model: "gpt-4o-mini" }), storeName: "Northwind" });

  /** A well-behaved model: cites the first source it was actually given. */
  function honestModel(chatRequest: FakeChatRequest) {
    const prompt = chatRequest.messages.map((message) => message.content).join("\n");
    const ids = [...prompt.matchAll(/<source id="(S\d+)"/g)].map((match) => match[1]);
    return {
      content: JSON.stringify({
        answer: `The Alpine Rain Shell comes in S, M and L; XXL is not listed [${ids[0]}].`,
        citation_ids: [ids[0]],
        product_handles: [],
        refused: false,
      }),
    };
  }

  it("drafts an answer that cites only the sources it was given", async () => {
    fake.setChatHandler(honestModel);
    const draft = await answerer().answer(request);
    expect(draft.citationIds).toEqual(["S1"]);
    expect(draft.citationIds.every((id) => request.sources.some((source) => source.id === id))).toBe(true);
    expect(draft.usage.model).toBe("gpt-4o-mini");
    expect(chatRequests()[0].body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "grounded_answer", strict: true } });
  });

  it("streams the draft's answer text through the real SDK", async () => {
    fake.setChatHandler(honestModel);
    const deltas: string[] = [];
    let final: { answer: string } | undefined;
    for await (const part of answerer().stream!(request)) {
      if (part.type === "delta") deltas.push(part.text);
      else final = part.draft;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(final?.answer);
    expect(final?.answer).toContain("XXL is not listed");
  });

  it("passes an invented size and citation through untouched for the validator to catch", async () => {
    // GIVEN a model scripted to misbehave: it invents XXL stock and cites a source it never saw
    fake.setChatHandler(() => ({
      content: JSON.stringify({ answer: "Yes, XXL is in stock [S9].", citation_ids: ["S9"], product_handles: ["alpine-rain-shell"], refused: false }),
    }));
    // WHEN the answerer drafts
    const draft = await answerer().answer(request);
    // THEN the raw draft carries the invented id (checking it is the validator's job, not the answerer's)
    expect(draft.citationIds).toEqual(["S9"]);
    expect(draft.answer).toContain("XXL");
  });

  it("sends the validator's feedback on the retry", async () => {
    fake.setChatHandler(honestModel);
    await answerer().answer({ ...request, validationFeedback: "Citation S9 is not one of the sources." });
    expect(chatRequests()[0].body.messages[1].content).toContain("Citation S9 is not one of the sources.");
  });

  it("turns malformed model output into a bad_response error", async () => {
    fake.setChatHandler(() => ({ content: "Sure! XXL is available.", ignoreSchema: true }));
    const error = await caught(answerer().answer(request));
    expect(error.code).toBe("bad_response");
    expect(error.message).toContain("not valid JSON");
  });

  it("maps a provider-side request error from the handler", async () => {
    fake.setChatHandler(() => ({
      status: 400,
      error: { message: "This model's maximum context length is 128000 tokens.", type: "invalid_request_error", code: "context_length_exceeded" },
    }));
    const error = await caught(answerer().answer(request));
    expect(error.code).toBe("bad_response");
    expect(error.message).toContain("maximum context length");
  });
});
