import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogFiles } from "../../catalog/load-files";
import type { CatalogProduct } from "../../catalog/types";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../../../test/support/shared-data";
import { buildVoiceDataset, DATASET_LIMITS, toJsonl } from "./build-dataset";

const BRIEF = "Write warm, plain product copy in short paragraphs. Never state a fact the product data does not give.";
const repoRoot = path.resolve(import.meta.dirname, "../../..");

/** Every line is one chat fine-tuning example: system, user, assistant, each with non-empty text. */
function expectChatJsonl(jsonl: string): number {
  const lines = jsonl.split("\n").filter(Boolean);
  for (const line of lines) {
    const parsed = JSON.parse(line) as { messages: { role: string; content: string }[] };
    expect(Object.keys(parsed)).toEqual(["messages"]);
    expect(parsed.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    for (const m of parsed.messages) expect(typeof m.content === "string" && m.content.trim().length > 0).toBe(true);
    expect(parsed.messages[2].content).not.toMatch(/<script|on\w+=|style=|href=/i);
  }
  return lines.length;
}

function product(i: number, overrides: Partial<CatalogProduct> = {}): CatalogProduct {
  return {
    id: String(1000 + i),
    handle: `item-${i}`,
    title: `Item ${i}`,
    descriptionHtml: `<p>Item ${i} is a ${["bright", "calm", "bold", "quiet", "lively", "gentle", "crisp", "soft", "warm", "cool", "fresh", "clean", "sharp"][i % 13]} piece for ${["mornings", "evenings", "weekends", "travel", "work", "gardens", "kitchens", "desks", "walks", "rainy days", "parties", "gifts", "reading"][i % 13]}, made to be used every day and loved for years by people who ${i} times over choose it.</p>`,
    productType: "Goods",
    vendor: "Maker",
    tags: [String(i)],
    status: "active",
    published: true,
    options: [],
    variants: [],
    collections: [],
    metafields: [],
    images: [],
    url: `/products/item-${i}`,
    updatedAt: "2026-01-01T00:00:00Z",
    currency: "USD",
    ...overrides,
  };
}

describe("buildVoiceDataset", () => {
  it("builds chat JSONL from the demo store, split by product", async () => {
    const batch = await loadCatalogFiles([path.join(repoRoot, "demo-store")]);
    const result = buildVoiceDataset({ brief: BRIEF, products: batch.products });
    expect(result.errors).toEqual([]);
    expect(result.examples).toBeGreaterThanOrEqual(DATASET_LIMITS.minExamples);
    expect(expectChatJsonl(toJsonl(result.trainExamples))).toBe(result.train.handles.length);
    expect(expectChatJsonl(toJsonl(result.validationExamples))).toBe(result.validation.handles.length);
    // Validation products are never trained on.
    expect(result.train.handles.filter((h) => result.validation.handles.includes(h))).toEqual([]);
    expect(result.train.tokens).toBe(result.trainExamples.reduce((s, e) => s + e.tokens, 0));
    expect(result.ranking.source).toBe("catalog");
  });

  it.skipIf(!hasSharedData)(`writes parseable chat JSONL for every store in ../shared/data/stores ${hasSharedData ? "" : `(${sharedDataSkipReason})`}`, async () => {
    const stores = readdirSync(sharedDataPath("stores"));
    expect(stores.length).toBeGreaterThan(0);
    for (const store of stores) {
      const batch = await loadCatalogFiles([sharedDataPath("stores", store)]);
      const result = buildVoiceDataset({ brief: BRIEF, products: batch.products });
      const lines = expectChatJsonl(toJsonl([...result.trainExamples, ...result.validationExamples]));
      expect(lines, store).toBe(result.examples);
      // Every product is accounted for: kept, dropped with a reason, or not active.
      for (const note of [...result.dropped, ...result.flagged]) expect(note.reason.length, store).toBeGreaterThan(10);
      if (!result.ok) expect(result.errors.map((e) => e.code), store).toEqual(["too_few_examples"]);
    }
  }, 120_000);

  it("refuses too few products, with nothing to upload", () => {
    const result = buildVoiceDataset({ brief: BRIEF, products: [product(1), product(2), product(3)] });
    expect(result.ok).toBe(false);
    expect(result.errors[0].code).toBe("too_few_examples");
    expect(result.errors[0].message).toMatch(/at least 10/);
  });

  it("drops empty copy, products with no facts, over-long examples and duplicates, each with a reason", () => {
    const products = [
      ...Array.from({ length: 12 }, (_, i) => product(i)),
      product(20, { descriptionHtml: "" }),
      product(21, { productType: "", vendor: "", tags: [] }),
      product(22, { descriptionHtml: `<p>${"Long words about a product. ".repeat(2000)}</p>` }),
      product(23, { descriptionHtml: product(3).descriptionHtml }),
    ];
    const result = buildVoiceDataset({ brief: BRIEF, products });
    const codes = Object.fromEntries(result.dropped.map((d) => [d.handle, d.code]));
    expect(codes).toMatchObject({ "item-20": "empty_copy", "item-21": "no_facts", "item-22": "too_long", "item-23": "duplicate" });
    expect(result.ok).toBe(true);
    expect(result.examples).toBe(12);
  });

  it("flags copy that invents facts, scrubs contact details, and honours pins, excludes and sales", () => {
    const products = Array.from({ length: 14 }, (_, i) => product(i));
    products[5] = product(5, { descriptionHtml: "<p>Hand-stitched from Italian leather and built to last fifteen years, this piece arrives ready to use. Write to help@maker.example or call +44 20 7946 0958.</p>" });
    const result = buildVoiceDataset({
      brief: BRIEF,
      products,
      pins: ["item-13"],
      excludes: ["item-0"],
      sales: { windowDays: 60, orders: 40, units: { "1005": 9, "1002": 4, "1007": 1 }, fetchedAt: "2026-01-01T00:00:00Z" },
      minOrders: 20,
    });
    expect(result.ranking.source).toBe("orders");
    // Pinned first, then by units sold; unsold products are not "best copy".
    expect([...result.train.handles, ...result.validation.handles].sort()).toEqual(["item-13", "item-2", "item-5", "item-7"].sort());
    expect(result.flagged.map((f) => f.handle)).toEqual(["item-5"]);
    expect(result.flagged[0].reason).toMatch(/leather/);
    expect(result.notes.find((n) => n.handle === "item-5")?.reason).toMatch(/1 email address and 1 phone number/);
    const copy = [...result.trainExamples, ...result.validationExamples].find((e) => e.handle === "item-5")!.example.messages[2].content;
    expect(copy).not.toMatch(/help@|7946/);
    expect(result.dropped.find((d) => d.handle === "item-0")?.code).toBe("excluded");
    expect(result.ok).toBe(false);
  });

  it("falls back to the merchant's picks when orders are too few, and says so", () => {
    const products = Array.from({ length: 14 }, (_, i) => product(i));
    const result = buildVoiceDataset({ brief: BRIEF, products, pins: products.slice(0, 11).map((p) => p.handle), sales: { windowDays: 60, orders: 3, units: {}, fetchedAt: "" } });
    expect(result.ranking.source).toBe("merchant-picks");
    expect(result.ranking.note).toMatch(/Only 3 orders.*11 products you picked/);
    expect(result.examples).toBe(11);
  });

  it("needs a brief", () => {
    const result = buildVoiceDataset({ brief: "  ", products: Array.from({ length: 12 }, (_, i) => product(i)) });
    expect(result.errors.map((e) => e.code)).toEqual(["missing_brief"]);
  });
});
