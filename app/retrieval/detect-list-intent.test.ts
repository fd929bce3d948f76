import { describe, expect, it } from "vitest";
import { canvasBelt, rainShell, wrapDress } from "../answering/sample-catalog";
import { vocabularyOf } from "../catalog/memory-catalog";
import { understandQuery } from "./understand-query";

const vocab = vocabularyOf([rainShell, wrapDress, canvasBelt]);
/** `null`: no product page open. */
const understand = (question: string, locale = "en", productInContext: typeof wrapDress | null = wrapDress) =>
  understandQuery({ question, locale, productInContext: productInContext ?? undefined, ...vocab });

describe("listing questions", () => {
  it("reads 'which of your dresses in a size 8 right now' as a listing of in-stock dresses in 8, not a question about one product", () => {
    const u = understand("Which of your dresses can I buy in a size 8 right now?", "en", null);
    expect(u.intent).toBe("listing");
    expect(u.constraints).toMatchObject({ productType: "Dresses", inStock: true });
    expect(u.constraints.values.map((w) => w.value)).toEqual(["8"]);
    // The same question asked from a product page is still about the whole catalog.
    expect(understand("Which of your dresses can I buy in a size 8 right now?").intent).toBe("listing");
  });

  it("reads 'all waterproof jackets under $200' as a listing with a price bound", () => {
    const u = understand("all waterproof jackets under $200", "en", null);
    expect(u.intent).toBe("listing");
    expect(u.constraints).toMatchObject({ productType: "Jackets", priceMax: 200 });
    expect(u.constraints.inStock).toBeUndefined();
  });

  it("reads listings in every widget language when the shop's types are written in it", () => {
    const de = vocabularyOf([{ ...wrapDress, productType: "Kleider" }]);
    expect(understandQuery({ question: "Welche Kleider gibt es in Größe 8?", locale: "de", ...de }).intent).toBe("listing");
    const fr = vocabularyOf([{ ...wrapDress, productType: "Robes" }]);
    expect(understandQuery({ question: "Quelles robes avez-vous en taille 8 ?", locale: "fr", ...fr }).intent).toBe("listing");
    const es = vocabularyOf([{ ...wrapDress, productType: "Vestidos" }]);
    expect(understandQuery({ question: "¿Cuáles vestidos tienen en talla 8 ahora?", locale: "es", ...es })).toMatchObject({ intent: "listing", constraints: { inStock: true } });
    const nl = vocabularyOf([{ ...wrapDress, productType: "Jurken" }]);
    expect(understandQuery({ question: "Welke jurken hebben jullie in maat 8?", locale: "nl", ...nl }).intent).toBe("listing");
  });

  it("leaves questions about the product in view, recommendations and policies alone", () => {
    expect(understand("Does this dress come in size 8?").intent).toBe("availability");
    expect(understand("Which size should I get in this dress?").intent).not.toBe("listing");
    expect(understand("Which dress would you recommend for a wedding?", "en", null).intent).toBe("recommendation");
    expect(understand("What is your return policy for dresses?", "en", null).intent).toBe("policy");
  });
});

describe("complementary recommendations", () => {
  it("reads 'what would go with this dress that's in stock in size 8' as a complement of the dress in view, with its constraints", () => {
    const u = understand("What would go with this dress that's in stock in size 8?");
    expect(u.intent).toBe("recommendation");
    expect(u.complementFor).toBe(wrapDress.handle);
    expect(u.complementOf).toBe("Dresses");
    expect(u.constraints).toMatchObject({ inStock: true });
    expect(u.constraints.values.map((w) => w.value)).toEqual(["8"]);
  });

  it.each([
    ["en", "What goes with this?"],
    ["en", "What shoes could I wear with it?"],
    ["en", "Anything that matches this dress?"],
    ["en", "What pairs well with this dress?"],
    ["de", "Was passt zu diesem Kleid?"],
    ["de", "Womit kann ich das kombinieren? Was passt dazu?"],
    ["fr", "Qu'est-ce qui va avec cette robe ?"],
    ["es", "¿Qué combina con este vestido?"],
    ["es", "¿Qué queda bien con este vestido?"],
    ["nl", "Wat past bij deze jurk?"],
  ])("hears a complement ask in %s: %s", (locale, question) => {
    const u = understand(question, locale);
    expect(u.complementFor).toBe(wrapDress.handle);
    expect(u.intent).toBe("recommendation");
  });

  it("needs a product to complement: without one it stays an ordinary recommendation", () => {
    const u = understand("What goes well with a linen dress?", "en", null);
    expect(u.complementFor).toBeUndefined();
    expect(u.needsProduct).toBeUndefined();
    expect(understand("Qu'est-ce qui va avec une robe noire ?", "fr", null).needsProduct).toBeUndefined();
    expect(understand("Is this sold in stores, and what goes with jeans?", "en", null).needsProduct).toBeUndefined();
  });

  it.each([
    ["en", "What would go with this dress that's in stock in size 8?"],
    ["en", "What goes with it?"],
    ["de", "Was passt zu diesem Kleid?"],
    ["de", "Was passt dazu?"],
    ["fr", "Qu'est-ce qui va avec cette robe ?"],
    ["fr", "Qu'est-ce qui va avec ce pantalon ?"],
    ["es", "¿Qué combina con este vestido?"],
    ["nl", "Wat past bij deze jurk?"],
  ])("with no product in view or named, a complement of 'this' one waits for the product (%s: %s), never a listing", (locale, question) => {
    const u = understand(question, locale, null);
    expect(u.needsProduct).toBe(true);
    expect(u.intent).toBe("recommendation");
    expect(u.complementFor).toBeUndefined();
  });

  it("a product named in the question is the one to complement, with no page open", () => {
    const u = understand("What goes with the Linen Wrap Dress?", "en", null);
    expect(u.complementFor).toBe(wrapDress.handle);
    expect(u.needsProduct).toBeUndefined();
  });
});
