import { describe, expect, it } from "vitest";
import { hashChunkContent, packParagraphs, splitMarkdownSections, stableStringify } from "./chunk-text";

describe("packParagraphs", () => {
  it("packs whole paragraphs up to the limit and splits a too-long one on sentences", () => {
    expect(packParagraphs(["aaaa", "bbbb", "cccc"], 10)).toEqual(["aaaa\n\nbbbb", "cccc"]);
    const pieces = packParagraphs(["One two three. Four five six. Seven eight nine."], 20);
    expect(pieces).toEqual(["One two three.", "Four five six.", "Seven eight nine."]);
  });

  it("cuts a single run-on sentence on word boundaries", () => {
    const pieces = packParagraphs(["word ".repeat(50).trim()], 40);
    expect(pieces.every((p) => p.length <= 40 && !p.startsWith(" ") && !p.endsWith(" "))).toBe(true);
    expect(pieces.join(" ").split(" ")).toHaveLength(50);
  });
});

describe("packParagraphs in any script", () => {
  it("splits a long Chinese or Japanese paragraph after its ideographic stops, not mid-sentence", () => {
    const zh = "这款夹克完全防水。它重量很轻，可以收进口袋！适合徒步和城市通勤吗？当然适合。";
    expect(packParagraphs([zh], 20)).toEqual(["这款夹克完全防水。", "它重量很轻，可以收进口袋！", "适合徒步和城市通勤吗？当然适合。"]);
    const ja = "このジャケットは防水です。軽くてポケットに収納できます。";
    expect(packParagraphs([ja], 16)).toEqual(["このジャケットは防水です。", "軽くてポケットに収納できます。"]);
  });

  it("splits a long Arabic or Hebrew paragraph after its own question mark and full stop", () => {
    const ar = "هل هذا الفستان مناسب للصلاة؟ نعم، إنه طويل وواسع۔ القماش ناعم وخفيف.";
    expect(packParagraphs([ar], 32)).toEqual(["هل هذا الفستان مناسب للصلاة؟", "نعم، إنه طويل وواسع۔", "القماش ناعم وخفيف."]);
    const he = "המחברת בגודל A5. הדפים מנוקדים ועבים? כן, 120 גרם.";
    expect(packParagraphs([he], 22)).toEqual(["המחברת בגודל A5.", "הדפים מנוקדים ועבים?", "כן, 120 גרם."]);
  });
});

describe("splitMarkdownSections", () => {
  it("ignores # lines inside code fences", () => {
    const sections = splitMarkdownSections("## A\n\n```\n# not a heading\n```\n\n## B\n\nb");
    expect(sections.map((s) => s.headings.join("/"))).toEqual(["A", "B"]);
  });
});

describe("hashChunkContent", () => {
  it("does not depend on field key order", () => {
    expect(hashChunkContent("t", "T", "/u", { vendor: "v", tags: ["x"] })).toBe(hashChunkContent("t", "T", "/u", { tags: ["x"], vendor: "v" }));
    expect(hashChunkContent("t", "T", "/u", { vendor: "v" })).not.toBe(hashChunkContent("t", "T", "/u", { vendor: "w" }));
    expect(stableStringify({ b: 1, a: undefined, c: [{ y: 1, x: 2 }] })).toBe('{"b":1,"c":[{"x":2,"y":1}]}');
  });
});
