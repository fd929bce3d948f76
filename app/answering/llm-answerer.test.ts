import { describe, expect, it } from "vitest";
import { ProviderError, type ChatModel, type ChatRequest, type ChatResult, type ChatStreamPart } from "../providers/types";
import { createLlmAnswerer } from "./llm-answerer";
import type { AnswerRequest } from "./types";

/** A scripted chat model that records what it was asked and when it was read. */
class ScriptedChatModel implements ChatModel {
  readonly id = "scripted";
  readonly requests: ChatRequest[] = [];
  readonly events: string[] = [];
  constructor(
    private readonly reply: string,
    private readonly pieceSize = 5,
    private readonly finish = true,
  ) {}

  async generate(request: ChatRequest): Promise<ChatResult> {
    this.requests.push(request);
    return { text: this.reply, usage: { model: "scripted-1", inputTokens: 100, outputTokens: 20 } };
  }

  async *stream(request: ChatRequest): AsyncIterable<ChatStreamPart> {
    this.requests.push(request);
    for (let i = 0; i < this.reply.length; i += this.pieceSize) {
      this.events.push(`chunk@${i}`);
      yield { type: "delta", text: this.reply.slice(i, i + this.pieceSize) };
    }
    if (this.finish) yield { type: "done", text: this.reply, usage: { model: "scripted-1", inputTokens: 100, outputTokens: 20 } };
  }
}

const request: AnswerRequest = {
  shop: "northwind.myshopify.com",
  question: "Est-ce que la veste est imperméable ?",
  intent: "product_fact",
  sources: [{ id: "S1", type: "product", title: "Alpine Rain Shell", url: "/products/alpine-rain-shell", text: "Waterproof 3-layer shell.", score: 1 }],
  locale: "fr",
  storeContact: { email: "help@northwind.example" },
};

const reply = JSON.stringify({
  answer: "Oui, la veste \"Alpine\" est imperméable\u00a0: 3 couches.",
  citation_ids: ["S1"],
  product_handles: ["alpine-rain-shell"],
  refused: false,
});

describe("createLlmAnswerer", () => {
  it("asks for the grounded-answer schema and returns the parsed draft", async () => {
    const chat = new ScriptedChatModel(reply);
    const answerer = createLlmAnswerer({ chat, storeName: "Northwind", maxOutputTokens: 500 });

    const draft = await answerer.answer(request);

    expect(answerer.id).toBe("llm:scripted");
    expect(chat.requests[0].jsonSchema?.name).toBe("grounded_answer");
    expect(chat.requests[0].maxOutputTokens).toBe(500);
    expect(chat.requests[0].temperature).toBeUndefined();
    expect(chat.requests[0].messages[1].content).toContain("Est-ce que la veste est imperméable ?");
    expect(draft).toEqual({
      answer: 'Oui, la veste "Alpine" est imperméable\u00a0: 3 couches.',
      citationIds: ["S1"],
      productHandles: ["alpine-rain-shell"],
      refused: false,
      usage: { model: "scripted-1", inputTokens: 100, outputTokens: 20 },
      // The exact messages sent, kept as the distillation trace.
      prompt: chat.requests[0].messages,
    });
  });

  it("streams the answer text as it arrives, then the draft", async () => {
    const chat = new ScriptedChatModel(reply, 4);
    const answerer = createLlmAnswerer({ chat, storeName: "Northwind" });
    const deltas: string[] = [];
    let done: unknown;
    for await (const part of answerer.stream!(request)) {
      if (part.type === "delta") {
        deltas.push(part.text);
        chat.events.push("delta");
      } else done = part.draft;
    }
    // THEN the deltas spell the answer exactly (escapes decoded), in many pieces
    expect(deltas.join("")).toBe('Oui, la veste "Alpine" est imperméable\u00a0: 3 couches.');
    expect(deltas.length).toBeGreaterThan(5);
    // and the first text went out long before the model had finished the object
    expect(chat.events.indexOf("delta")).toBeLessThan(chat.events.length / 2);
    expect(done).toMatchObject({ citationIds: ["S1"], refused: false });
  });

  it("sends the whole answer at once when a server delivers the object in one piece", async () => {
    const chat = new ScriptedChatModel(reply, reply.length);
    const parts = [];
    for await (const part of createLlmAnswerer({ chat, storeName: "N" }).stream!(request)) parts.push(part.type);
    expect(parts).toEqual(["delta", "done"]);
  });

  it("reports prose instead of JSON as a bad response, generated or streamed", async () => {
    const chat = new ScriptedChatModel("Yes, it is waterproof.");
    const answerer = createLlmAnswerer({ chat, storeName: "Northwind" });
    await expect(answerer.answer(request)).rejects.toMatchObject({ name: "ProviderError", code: "bad_response" });
    const drain = async () => {
      for await (const _ of answerer.stream!(request)) void _;
    };
    await expect(drain()).rejects.toBeInstanceOf(ProviderError);
  });

  it("reports a stream that stops before its end as a bad response", async () => {
    const chat = new ScriptedChatModel(reply.slice(0, 30), 5, false);
    const drain = async () => {
      for await (const _ of createLlmAnswerer({ chat, storeName: "N" }).stream!(request)) void _;
    };
    await expect(drain()).rejects.toMatchObject({ code: "bad_response" });
  });
});
