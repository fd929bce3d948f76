import { describe, expect, it } from "vitest";
import { createMemoryCatalog } from "../catalog/memory-catalog";
import type { EmbeddingModel } from "../providers/types";
import type { IndexChunk, SearchHit, SearchRequest, VectorStore } from "../stores/types";
import { answerQuestionDetailed, costOf, type AnswerQuestionDeps } from "./answer-question";
import { rainShell, refundPolicy } from "./sample-catalog";
import type { AnswerRequest, Answerer, DraftAnswer } from "./types";

/** A store that returns the product's chunk for every search and records the requests. */
class FakeStore implements Pick<VectorStore, "search" | "indexName"> {
  readonly indexName = "fake";
  readonly requests: SearchRequest[] = [];
  private readonly chunk: IndexChunk = {
    id: "c1",
    sourceType: "product",
    sourceId: rainShell.id,
    title: rainShell.title,
    url: rainShell.url,
    text: rainShell.title,
    contentHash: "h",
    fields: { productHandle: rainShell.handle },
  };
  async search(_shop: string, request: SearchRequest): Promise<SearchHit[]> {
    this.requests.push(request);
    return [{ chunk: this.chunk, score: 1 }];
  }
}

const embedder: EmbeddingModel = {
  id: "fake-embed",
  dimensions: 3,
  maxEmbeddingsPerCall: 8,
  async embed({ values }) {
    return { embeddings: values.map(() => [1, 0, 0]), usage: { tokens: 0 } };
  },
};

/** Returns the scripted drafts in turn and records each request it saw. */
class ScriptedAnswerer implements Answerer {
  readonly id = "scripted-model";
  readonly seen: AnswerRequest[] = [];
  constructor(private readonly drafts: string[]) {}
  async answer(request: AnswerRequest): Promise<DraftAnswer> {
    this.seen.push(request);
    const text = this.drafts[Math.min(this.seen.length - 1, this.drafts.length - 1)];
    return { answer: text, citationIds: ["S1"], productHandles: [rainShell.handle], refused: false, usage: { model: this.id, inputTokens: 1000, outputTokens: 100 } };
  }
}

function depsWith(answerer: Answerer, store = new FakeStore()): AnswerQuestionDeps {
  const catalog = createMemoryCatalog({ shop: { products: [rainShell], policies: [refundPolicy] } });
  return {
    store: store as unknown as VectorStore,
    embedder,
    catalog,
    answerer,
    shopProfile: async () => ({ name: "Northwind", contactEmail: "help@northwind.example" }),
    vocabulary: (s) => catalog.vocabulary(s),
    priceTable: { "scripted-model": { inputPerMTok: 2, outputPerMTok: 10 } },
  };
}

const request = { shop: "shop", question: "how much is this?", locale: "en", productHandle: rainShell.handle };

describe("answerQuestionDetailed", () => {
  it("retries once with the validation problems, and keeps a corrected answer", async () => {
    const answerer = new ScriptedAnswerer(["The Alpine Rain Shell is $99.00. [S1]", "The Alpine Rain Shell is $149.00. [S1]"]);
    const out = await answerQuestionDetailed(depsWith(answerer), request);
    expect(out.attempts).toBe(2);
    expect(answerer.seen[1].validationFeedback).toContain("unsupported_price");
    expect(out.result.answer).toBe("The Alpine Rain Shell is $149.00. [S1]");
    expect(out.result.citations).toEqual([{ id: "S1", type: "product", title: "Alpine Rain Shell", url: "/products/alpine-rain-shell" }]);
    expect(out.result.usage).toMatchObject({ model: "scripted-model", inputTokens: 2000, outputTokens: 200, costUsd: 0.006 });
  });

  it("replaces an answer that fails twice with an honest refusal naming the contact", async () => {
    const answerer = new ScriptedAnswerer(["The Alpine Rain Shell comes in size 14. [S1]"]);
    const out = await answerQuestionDetailed(depsWith(answerer), request);
    expect(out.attempts).toBe(2);
    expect(out.fellBack).toBe(true);
    expect(out.result.refused).toBe(true);
    expect(out.result.answer).toContain("help@northwind.example");
    expect(out.result.citations).toEqual([]);
    expect(out.result.products).toEqual([]);
  });

  it("always considers the product in context, even when the search misses it", async () => {
    const store = new FakeStore();
    const empty = { ...store, search: async (_shop: string, r: SearchRequest) => (store.requests.push(r), []) };
    const out = await answerQuestionDetailed(depsWith(new ScriptedAnswerer(["The Alpine Rain Shell is $149.00. [S1]"]), empty as unknown as FakeStore), request);
    expect(out.sources[0].product?.handle).toBe(rainShell.handle);
    expect(out.result.answer).toBe("The Alpine Rain Shell is $149.00. [S1]");
    expect(store.requests.every((r) => r.mode === "hybrid")).toBe(true);
  });

  it("filters product card variants to the shopper's constraints", async () => {
    const answerer = new ScriptedAnswerer(["Yes — the Alpine Rain Shell comes in Tall sizes: M Tall, L Tall (L Tall is out of stock). [S1]"]);
    const out = await answerQuestionDetailed(depsWith(answerer), { ...request, question: "does this come in tall sizes?" });
    expect(out.result.products[0].variants.map((v) => v.options.Size)).toEqual(["M Tall", "L Tall"]);
    expect(out.result.products[0].price).toBe(159);
  });
});

describe("costOf", () => {
  it("prices tokens per million, and unknown models at zero", () => {
    expect(costOf({ model: "m", inputTokens: 1_000_000, outputTokens: 500_000 }, { m: { inputPerMTok: 1, outputPerMTok: 4 } })).toBe(3);
    expect(costOf({ model: "x", inputTokens: 5, outputTokens: 5 }, {})).toBe(0);
  });
});
