import { describe, expect, it } from "vitest";
import { assertChunks, chunkPriceRange, fuseByReciprocalRank, normalizeFilter } from "./store-input";
import { VectorStoreError } from "./types";

describe("store input", () => {
  it("normalizes filters: trims and lowercases text, drops empty parts", () => {
    expect(
      normalizeFilter({
        sourceTypes: [],
        productType: "  Running Shoes ",
        policyType: "",
        variant: { options: { " Size ": " 8 ", "": "x" } },
      }),
    ).toEqual({ productType: "running shoes", variant: { options: [["size", "8"]], available: undefined } });
    expect(normalizeFilter({ variant: {} })).toEqual({});
  });

  it("rejects a price filter that is not a number", () => {
    expect(() => normalizeFilter({ priceMin: Number.NaN })).toThrow(VectorStoreError);
  });

  it("reads one known price bound as both", () => {
    expect(chunkPriceRange({ priceMin: 10 })).toEqual({ min: 10, max: 10 });
    expect(chunkPriceRange({})).toBeUndefined();
  });

  it("rejects zero and non-finite vectors", () => {
    const base = {
      id: "c",
      sourceType: "page" as const,
      sourceId: "p",
      title: "t",
      url: "/",
      text: "x",
      contentHash: "h",
      fields: {},
    };
    expect(() => assertChunks([{ ...base, vector: [0, 0] }], 2)).toThrow(/all zeros/);
    expect(() => assertChunks([{ ...base, vector: [1, Number.POSITIVE_INFINITY] }], 2)).toThrow(/finite/);
    expect(() => assertChunks([{ ...base, vector: [1, 0] }], 2)).not.toThrow();
  });

  it("fuses ranked lists by reciprocal rank (k=60, ranks from 1)", () => {
    const fused = fuseByReciprocalRank(
      [
        ["a", "b"],
        ["b", "c"],
      ],
      (x) => x,
    );
    expect(fused.map((f) => f.item)).toEqual(["b", "a", "c"]);
    expect(fused[0].score).toBeCloseTo(1 / 62 + 1 / 61);
  });
});
