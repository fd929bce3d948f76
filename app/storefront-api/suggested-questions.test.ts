import { describe, expect, it } from "vitest";
import { giftCard, rainShell } from "../storefront/fixtures/preview-products";
import { looksPersonal, optionQuestions, questionPhrasesFor, rankAskedQuestions } from "./suggested-questions";

const locales = new Map<string, Record<string, unknown>>([
  ["en", { ask_product: { question_comes_in: "Does it come in {{ value }}?", question_in_stock: "Is {{ value }} in stock?" } }],
  ["fr", { ask_product: { question_comes_in: "Existe-t-il en {{ value }} ?" } }],
]);

describe("option questions", () => {
  it("asks about the last size and the first colour, in the shopper's language with fallback to the default", () => {
    expect(optionQuestions(rainShell, questionPhrasesFor(locales, "en", "en"))).toEqual(["Does it come in XL?", "Is Navy in stock?"]);
    expect(optionQuestions(rainShell, questionPhrasesFor(locales, "en", "fr-CA"))).toEqual(["Existe-t-il en XL ?", "Is Navy in stock?"]);
  });

  it("has nothing to ask for a product with only the default variant", () => {
    expect(optionQuestions(giftCard, questionPhrasesFor(locales, "en", "en"))).toEqual([]);
  });
});

describe("rankAskedQuestions", () => {
  const row = (question: string, clientHash: string | null, productHandle: string | null = null) => ({ question, clientHash, productHandle });

  it("keeps questions asked by two or more shoppers, this product's first, then by how many asked", () => {
    const rows = [
      row("Do you ship to Canada?", "a"),
      row("Do you ship to Canada", "b"),
      row("do you ship to canada?", "c"),
      row("Is it machine washable?", "a", "alpine-rain-shell"),
      row("Is it machine washable?", "b", "alpine-rain-shell"),
      row("Asked by one shopper twice?", "a"),
      row("Asked by one shopper twice?", "a"),
      row("From the playground", null),
      row("From the playground", null),
    ];
    expect(rankAskedQuestions(rows, "alpine-rain-shell")).toEqual(["Is it machine washable?", "Do you ship to Canada?"]);
    expect(rankAskedQuestions(rows, undefined)).toEqual(["Do you ship to Canada?", "Is it machine washable?"]);
  });

  it("never suggests what looks like a shopper's own details", () => {
    expect(looksPersonal("Where is order #10234?")).toBe(true);
    expect(looksPersonal("Email me at jo@example.com")).toBe(true);
    expect(looksPersonal("Call 555 123 4567")).toBe(true);
    expect(looksPersonal("Does it come in size 10?")).toBe(false);
    const rows = [row("Where is order #10234?", "a"), row("Where is order #10234?", "b")];
    expect(rankAskedQuestions(rows, undefined)).toEqual([]);
  });
});
