import { describe, expect, it } from "vitest";
import { shopEmbeddingTarget, shopIndexNameFor } from "../services";
import { DEFAULT_SETTINGS, type ShopSettingsData } from "../settings/schema";
import { embeddingChoiceOf } from "../settings/shop-settings";
import { describeReindex, modelLabel } from "./reindex-status";

function withAnswerer(answerer: ShopSettingsData["answerer"]): ShopSettingsData {
  return { ...DEFAULT_SETTINGS, answerer };
}

describe("a shop's own embedding index", () => {
  it("is named after the model and size, with a short hash of the endpoint, in characters every backend accepts", () => {
    const name = shopIndexNameFor({ baseURL: "https://api.openai.com/v1", model: "text-embedding-3-small", dimensions: 1536 });
    expect(name).toMatch(/^chunks-openai-text-embedding-3-small-1536-[0-9a-f]{8}$/);
    // Odd characters in a model name become hyphens, as in indexNameFor.
    expect(shopIndexNameFor({ baseURL: "http://localhost:11434/v1", model: "nomic/embed:v1.5", dimensions: 768 })).toMatch(/^chunks-openai-nomic-embed-v1-5-768-[0-9a-f]{8}$/);
  });

  it("is one per endpoint: a trailing slash or letter case does not make another, another host does", () => {
    const base = { model: "m", dimensions: 8 };
    const a = shopIndexNameFor({ ...base, baseURL: "https://api.example.com/v1" });
    expect(shopIndexNameFor({ ...base, baseURL: "https://API.example.com/v1/" })).toBe(a);
    expect(shopIndexNameFor({ ...base, baseURL: "https://other.example.com/v1" })).not.toBe(a);
    expect(shopIndexNameFor({ ...base, dimensions: 16, baseURL: "https://api.example.com/v1" })).not.toBe(a);
  });

  it("uses the size the connection test measured, for models whose size is not known in advance", () => {
    const target = shopEmbeddingTarget({ baseURL: "http://127.0.0.1:9/v1", apiKey: "sk-x", embeddingModel: "custom-embed", embeddingDimensions: 48 });
    expect(target?.index).toEqual({ name: shopIndexNameFor({ baseURL: "http://127.0.0.1:9/v1", model: "custom-embed", dimensions: 48 }), model: "openai:custom-embed:48", dimensions: 48 });
    expect(target?.embedder.dimensions).toBe(48);
    expect(shopEmbeddingTarget({ baseURL: "http://127.0.0.1:9/v1", apiKey: "sk-x", embeddingModel: null, embeddingDimensions: null })).toBeNull();
    expect(() => shopEmbeddingTarget({ baseURL: "http://127.0.0.1:9/v1", apiKey: "sk-x", embeddingModel: "custom-embed", embeddingDimensions: null })).toThrow(/dimensions/);
  });
});

describe("embeddingChoiceOf", () => {
  const remote = { kind: "openai-compatible" as const, baseUrl: "https://api.openai.com/v1", chatModel: "gpt-4o-mini" };

  it("is null whenever the server's model embeds the shop's catalog", () => {
    expect(embeddingChoiceOf(DEFAULT_SETTINGS, false)).toBeNull();
    expect(embeddingChoiceOf(withAnswerer(remote), true)).toBeNull();
    expect(embeddingChoiceOf(withAnswerer({ ...remote, embeddingModel: "text-embedding-3-small" }), false)).toBeNull();
  });

  it("changes with the endpoint, the model or the size, not with the chat model", () => {
    const base = withAnswerer({ ...remote, embeddingModel: "text-embedding-3-small", embeddingDimensions: 1536 });
    const choice = embeddingChoiceOf(base, true);
    expect(choice).not.toBeNull();
    expect(embeddingChoiceOf(withAnswerer({ ...remote, chatModel: "gpt-4.1-mini", embeddingModel: "text-embedding-3-small", embeddingDimensions: 1536 }), true)).toBe(choice);
    expect(embeddingChoiceOf(withAnswerer({ ...remote, embeddingModel: "text-embedding-3-large", embeddingDimensions: 3072 }), true)).not.toBe(choice);
    expect(embeddingChoiceOf(withAnswerer({ ...remote, baseUrl: "https://proxy.example.com/v1", embeddingModel: "text-embedding-3-small", embeddingDimensions: 1536 }), true)).not.toBe(choice);
  });
});

describe("the re-index line on Settings", () => {
  it("names the model as merchants know it", () => {
    expect(modelLabel("openai:text-embedding-3-small:1536")).toBe("text-embedding-3-small");
    expect(modelLabel("use-lite-512")).toBe("the built-in model");
  });

  it("shows progress while running and the passages when done", () => {
    const base = { model: "text-embedding-3-small", chunks: null, error: null, finishedAt: null };
    expect(describeReindex({ ...base, state: "running", processed: 120, total: 150 })).toMatch(/^Re-indexing with text-embedding-3-small: 120 of 150 items\./);
    expect(describeReindex({ ...base, state: "queued", processed: 0, total: null })).toMatch(/^Re-indexing with text-embedding-3-small is about to start/);
    expect(describeReindex({ ...base, state: "done", processed: 150, total: 150, chunks: 1234, finishedAt: "2025-01-01T00:00:00Z" })).toBe("Re-indexed with text-embedding-3-small: 1,234 passages. Answers now use it.");
  });
});
