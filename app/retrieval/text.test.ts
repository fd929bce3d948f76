import { describe, expect, it } from "vitest";
import { containsPhrase, contentTokens, lexicalOverlap, splitSentences, tokenize } from "./text";

describe("tokenize", () => {
  it("reads Latin words as before, accents kept and full-width forms folded", () => {
    expect(tokenize("Größe M, Café-Tisch ＵＫ８")).toEqual(["größe", "m", "café", "tisch", "uk8"]);
  });

  it("matches Chinese and Japanese by characters and character pairs, so a word inside a longer run still matches", () => {
    expect(tokenize("防水夹克")).toEqual(["防", "防水", "水", "水夹", "夹", "夹克", "克"]);
    expect(tokenize("裙")).toEqual(["裙"]);
    // Katakana with its long-vowel mark stays one run; Latin and digits inside the run stay words.
    expect(tokenize("ジャケット")).toEqual(["ジ", "ジャ", "ャ", "ャケ", "ケ", "ケッ", "ッ", "ット", "ト"]);
    expect(tokenize("iPad保护套 2024款")).toEqual(["ipad", "保", "保护", "护", "护套", "套", "2024", "款"]);
    expect(lexicalOverlap(contentTokens("夹克"), "这款轻便的防水夹克适合徒步")).toBe(1);
    expect(lexicalOverlap(contentTokens("裙"), "碎花连衣裙")).toBe(1);
    expect(lexicalOverlap(contentTokens("夹克"), "防水裤子")).toBe(0);
  });

  it("keeps the marks of a word inside it (Devanagari vowel signs, Hebrew points)", () => {
    expect(tokenize("कुर्ता लाल")).toEqual(["कुर्ता", "लाल"]);
    expect(tokenize("שָׁלוֹם עולם")).toEqual(["שָׁלוֹם", "עולם"]);
  });

  it("matches Arabic and Hebrew with or without their optional vowel marks", () => {
    expect(lexicalOverlap(contentTokens("فستان صلاة"), "فُسْتَانُ صَلَاةٍ طويل")).toBe(1);
    expect(lexicalOverlap(contentTokens("מחברת"), "מַחְבֶּרֶת A5")).toBe(1);
    // Alef with or without hamza, and final ة / ه, are spelled either way by shoppers.
    expect(lexicalOverlap(contentTokens("اسدال صلاه"), "إسدال صلاة أسود")).toBe(1);
    // Letters are never dropped: a different letter is a different word.
    expect(lexicalOverlap(contentTokens("ب"), "ت")).toBe(0);
  });
});

describe("splitSentences", () => {
  it("splits English as before", () => {
    expect(splitSentences("Fully waterproof. Packs into its pocket! Fits size 8? Yes.")).toEqual([
      "Fully waterproof.",
      "Packs into its pocket!",
      "Fits size 8?",
      "Yes.",
    ]);
    expect(splitSentences("Weighs 3.5 kg. Made in Portugal.")).toEqual(["Weighs 3.5 kg.", "Made in Portugal."]);
  });

  it("splits Chinese and Japanese on ideographic stops with no space after them", () => {
    expect(splitSentences("这款夹克完全防水。它很轻！适合徒步吗？")).toEqual(["这款夹克完全防水。", "它很轻！", "适合徒步吗？"]);
    expect(splitSentences("防水です。「軽い」と好評。")).toEqual(["防水です。", "「軽い」と好評。"]);
  });

  it("splits Arabic and Hebrew, whose letters have no capitals", () => {
    expect(splitSentences("هل هو مناسب للصلاة؟ نعم، إنه طويل. القماش ناعم.")).toEqual(["هل هو مناسب للصلاة؟", "نعم، إنه طويل.", "القماش ناعم."]);
    expect(splitSentences("המחברת בגודל A5. הדפים מנוקדים.")).toEqual(["המחברת בגודל A5.", "הדפים מנוקדים."]);
  });
});

describe("containsPhrase", () => {
  it("finds a CJK word inside a run of text, where words touch", () => {
    expect(containsPhrase("这款防水夹克适合徒步", "夹克")).toBe(true);
    expect(containsPhrase("防水ジャケットです", "ジャケット")).toBe(true);
    expect(containsPhrase("这款防水夹克", "裤子")).toBe(false);
  });

  it("keeps whole-word matching elsewhere, with marks inside their word and accents composed alike", () => {
    expect(containsPhrase("Sizes: M, L", "M")).toBe(true);
    expect(containsPhrase("Medium", "M")).toBe(false);
    expect(containsPhrase("Cre\u0300me colour", "Crème")).toBe(true);
    expect(containsPhrase("कुर्ता", "कुर")).toBe(false);
  });
});
