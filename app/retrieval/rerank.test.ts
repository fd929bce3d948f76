import { describe, expect, it } from "vitest";
import type { IndexChunk } from "../stores/types";
import { rerank } from "./rerank";

function chunk(id: string, over: Partial<IndexChunk> = {}): IndexChunk {
  return { id, sourceType: "product", sourceId: id, title: id, url: `/${id}`, text: "", contentHash: id, fields: {}, ...over };
}

describe("rerank", () => {
  it("lifts a policy chunk above a product chunk for a policy question", () => {
    const product = chunk("p", { text: "Returns accepted on this jacket? It is a rain jacket.", fields: { productHandle: "jacket" } });
    const policy = chunk("pol", { sourceType: "policy", title: "Refund policy", text: "You may return items within 30 days.", fields: { policyType: "refund" } });
    const out = rerank([{ chunk: product, score: 0.03 }, { chunk: policy, score: 0.02 }], {
      question: "what is the return window?",
      intent: "policy",
      policyTopic: "refund",
      constraints: { values: [] },
    });
    expect(out[0].chunk.id).toBe("pol");
    expect(out[0].features.policyTopic).toBe(1);
  });

  it("prefers the section that names the asked region and sale items", () => {
    const general = chunk("g", { sourceType: "policy", text: "Returns within 30 days of delivery.", fields: { policyType: "refund" } });
    const eu = chunk("eu", { sourceType: "policy", text: "Customers in the EU may withdraw within 14 days; sale items too.", fields: { policyType: "refund" } });
    const out = rerank([{ chunk: general, score: 0.05 }, { chunk: eu, score: 0.04 }], {
      question: "return window for sale items in the EU",
      intent: "policy",
      policyTopic: "refund",
      constraints: { values: [], region: "EU", saleItems: true },
    });
    expect(out.map((c) => c.chunk.id)).toEqual(["eu", "g"]);
  });

  it("boosts the product in context for a product question, and demotes it for a recommendation", () => {
    const ctx = chunk("ctx", { title: "Linen Wrap Dress", fields: { productHandle: "dress" } });
    const other = chunk("belt", { title: "Woven Belt", fields: { productHandle: "belt" } });
    const fact = rerank([{ chunk: other, score: 0.05 }, { chunk: ctx, score: 0.04 }], { question: "what is it made of?", intent: "product_fact", productInContext: "dress" });
    expect(fact[0].chunk.id).toBe("ctx");
    const rec = rerank([{ chunk: ctx, score: 0.05 }, { chunk: other, score: 0.04 }], { question: "what goes with this?", intent: "recommendation", productInContext: "dress" });
    expect(rec[0].chunk.id).toBe("belt");
  });

  it("for a recommendation, prefers a product whose one variant meets size AND stock", () => {
    const fits = chunk("fits", { fields: { productHandle: "a", variants: [{ id: "1", options: { Size: "8" }, available: true, price: 20 }] } });
    const split = chunk("split", {
      fields: {
        productHandle: "b",
        variants: [
          { id: "2", options: { Size: "8" }, available: false, price: 20 },
          { id: "3", options: { Size: "10" }, available: true, price: 20 },
        ],
      },
    });
    const out = rerank([{ chunk: split, score: 0.05 }, { chunk: fits, score: 0.04 }], {
      question: "something in stock in size 8",
      intent: "recommendation",
      constraints: { values: [{ value: "8", optionNames: ["Size"], size: true, group: false }], inStock: true },
    });
    expect(out[0].chunk.id).toBe("fits");
    expect(out[1].features.variantMatch).toBe(-1);
  });

  it("rewards a chunk whose title the shopper typed", () => {
    const a = chunk("a", { title: "Harbor Knit Sweater", text: "A sweater." });
    const b = chunk("b", { title: "Alpine Rain Shell", text: "A shell." });
    const out = rerank([{ chunk: a, score: 0.05 }, { chunk: b, score: 0.04 }], { question: "how much is the Alpine Rain Shell?", intent: "product_fact" });
    expect(out[0].chunk.id).toBe("b");
  });
});
