import { describe, expect, it } from "vitest";
import type { IndexChunk, SearchHit } from "../stores/types";
import { fuseRrf } from "./fuse-rrf";

const hit = (id: string, score = 1): SearchHit => ({
  chunk: { id, sourceType: "product", sourceId: id, title: id, url: "/", text: id, contentHash: id, fields: {} } as IndexChunk,
  score,
});

describe("fuseRrf", () => {
  it("ranks an item found by both lists above items found by one", () => {
    const fused = fuseRrf([[hit("a"), hit("b")], [hit("c"), hit("b")]]);
    expect(fused.map((h) => h.chunk.id)).toEqual(["b", "a", "c"]);
    expect(fused[0].score).toBeCloseTo(2 / 62, 10);
  });

  it("ignores the raw scores of each list", () => {
    const fused = fuseRrf([[hit("a", 0.001), hit("b", 1000)]]);
    expect(fused.map((h) => h.chunk.id)).toEqual(["a", "b"]);
  });

  it("honours a custom k and empty lists", () => {
    expect(fuseRrf([[hit("a")], []], 0)[0].score).toBe(1);
    expect(fuseRrf([])).toEqual([]);
  });
});
