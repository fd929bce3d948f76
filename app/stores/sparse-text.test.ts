import { describe, expect, it } from "vitest";
import { embedSparseDocument, embedSparseQuery, hashToken, tokenizeForSparse } from "./sparse-text";

describe("sparse text vectors", () => {
  it("tokenizes without case, accents, stopwords or plural endings", () => {
    expect(tokenizeForSparse("The Crème JACKETS and boxes, for 2 puppies")).toEqual([
      "creme",
      "jacket",
      "box",
      "2",
      "puppy",
    ]);
    expect(tokenizeForSparse("dress glass bus")).toEqual(["dress", "glass", "bus"]);
  });

  it("matches a Chinese word inside a longer run, and Arabic with or without vowel marks", () => {
    const doc = embedSparseDocument("轻便防水夹克，适合徒步");
    for (const index of embedSparseQuery("夹克").indices) expect(doc.indices).toContain(index);
    const arabic = embedSparseDocument("فُسْتَانُ صَلَاةٍ طويل");
    for (const index of embedSparseQuery("فستان صلاة").indices) expect(arabic.indices).toContain(index);
    expect(embedSparseQuery("裤子").indices.some((i) => doc.indices.includes(i))).toBe(false);
  });

  it("gives documents and queries the same token ids", () => {
    const doc = embedSparseDocument("Waterproof rain jackets");
    const query = embedSparseQuery("rain jacket");
    for (const index of query.indices) expect(doc.indices).toContain(index);
    expect(query.values).toEqual([1, 1]);
  });

  it("saturates repeated terms and damps long documents", () => {
    const once = embedSparseDocument("boot");
    const thrice = embedSparseDocument("boot boot boot");
    const id = hashToken("boot");
    const weight = (v: { indices: number[]; values: number[] }) => v.values[v.indices.indexOf(id)];
    expect(weight(thrice)).toBeGreaterThan(weight(once));
    expect(weight(thrice)).toBeLessThan(3 * weight(once));
    const long = embedSparseDocument(`boot ${"filler ".repeat(400)}`);
    expect(weight(long)).toBeLessThan(weight(once));
  });

  it("emits sorted, unique, unsigned 32-bit indices", () => {
    const v = embedSparseDocument("a b c sandal sandal trail boot leather sole grippy");
    expect(new Set(v.indices).size).toBe(v.indices.length);
    expect([...v.indices].sort((a, b) => a - b)).toEqual(v.indices);
    for (const i of v.indices) expect(i >= 0 && i <= 0xffffffff && Number.isInteger(i)).toBe(true);
    expect(embedSparseQuery("the and of").indices).toEqual([]);
  });
});
