import { describe, expect, it } from "vitest";
import { vocabularyOf } from "../catalog/memory-catalog";
import type { CatalogProduct } from "../catalog/types";
import { understandQuery } from "../retrieval/understand-query";
import { composeLocalAnswer } from "./local-answerer";
import { canvasBelt, espadrille, policySource, productSource, rainShell, refundPolicy, wrapDress } from "./sample-catalog";
import type { AnswerSource } from "./types";
import { validateAnswer } from "./validate-answer";

const products = [rainShell, wrapDress, canvasBelt, espadrille];
const vocab = vocabularyOf(products);

function ask(question: string, sources: AnswerSource[], context?: CatalogProduct, others: CatalogProduct[] = []) {
  const understanding = understandQuery({ question, locale: "en", productInContext: context, otherProductsInContext: others, ...vocab });
  const draft = composeLocalAnswer({
    shop: "demo",
    question,
    intent: understanding.intent,
    sources,
    locale: "en",
    productHandle: context?.handle,
    storeContact: { email: "help@northwind.example", url: "https://northwind.example/contact" },
    storeName: "Northwind",
    understanding,
  });
  return { draft, validation: validateAnswer(draft, sources) };
}

describe("composeLocalAnswer", () => {
  it("says yes to tall sizes, lists them and flags the one out of stock", () => {
    const { draft, validation } = ask("does this jacket come in tall sizes?", [productSource("S1", rainShell)], rainShell);
    expect(draft.answer).toBe("Yes — the Alpine Rain Shell comes in Tall sizes: M Tall, L Tall (L Tall is out of stock). [S1]");
    expect(draft.citationIds).toEqual(["S1"]);
    expect(draft.refused).toBe(false);
    expect(validation).toEqual({ ok: true, problems: [] });
  });

  it("says no to a size the product lacks and lists what it has", () => {
    const { draft, validation } = ask("does it come in size 12?", [productSource("S1", wrapDress)], wrapDress);
    expect(draft.answer).toMatch(/^No — the Linen Wrap Dress doesn't come in size 12\. It comes in: 6, 8, 10\. \[S1\]$/);
    expect(validation.ok).toBe(true);
  });

  it("gives availability per variant", () => {
    const { draft, validation } = ask("is this in stock?", [productSource("S1", rainShell)], rainShell);
    expect(draft.answer).toContain("in stock in S, M, M Tall; L, L Tall are out of stock");
    expect(validation.ok).toBe(true);
  });

  it("gives the sale price with the compare-at price", () => {
    const { draft, validation } = ask("how much is this dress?", [productSource("S1", wrapDress)], wrapDress);
    expect(draft.answer).toContain("The Linen Wrap Dress is $89.00.");
    expect(draft.answer).toContain("on sale for $89.00 (was $120.00)");
    expect(validation.ok).toBe(true);
  });

  it("answers from a filled-in fact, and from the description for fit", () => {
    expect(ask("what material is it?", [productSource("S1", rainShell)], rainShell).draft.answer).toBe("Material: Recycled nylon. [S1]");
    const fit = ask("does it run small?", [productSource("S1", rainShell)], rainShell).draft;
    expect(fit.answer).toContain("It runs true to size");
  });

  it("refuses, naming the contact, when the sources are silent", () => {
    const { draft } = ask("is it machine washable?", [productSource("S1", rainShell)], rainShell);
    expect(draft.refused).toBe(true);
    expect(draft.answer).toContain("I don't know");
    expect(draft.answer).toContain("help@northwind.example");
    expect(draft.citationIds).toEqual([]);
  });

  it("quotes the policy with its day counts and the EU rule for sale items", () => {
    const { draft, validation } = ask("what is the return window for sale items in the EU?", [policySource("S1", refundPolicy)]);
    expect(draft.answer).toContain("14 days");
    expect(draft.answer).toContain("European Union");
    expect(draft.answer).toContain("[S1]");
    expect(draft.answer).not.toContain("30 days");
    expect(draft.answer).not.toContain("doesn't mention");
    expect(validation.ok).toBe(true);
  });

  it("says so when the policy has no rule for the asked region", () => {
    const { draft } = ask("what is the return window in Canada?", [policySource("S1", refundPolicy)]);
    expect(draft.answer).toContain("30 days");
    expect(draft.answer).toContain("doesn't mention a separate rule for Canada");
  });

  it.each([
    ["de", "Wie lange dauert der Versand?"],
    ["fr", "Combien de temps prend la livraison ?"],
    ["es", "¿Cuánto tarda el envío?"],
    ["nl", "Hoe lang duurt de verzending?"],
  ])("answers a shipping question in %s from the shipping policy's table, not from another policy's 'days of delivery'", (locale, question) => {
    const warranty = { ...refundPolicy, id: "terms", type: "terms" as const, title: "Terms of Service > Warranty", body: "If your module fails within 45 days of delivery, it qualifies for a fast-track replacement." };
    const shipping = {
      ...refundPolicy,
      id: "shipping",
      type: "shipping" as const,
      title: "Shipping Policy > Domestic",
      body: "| Carrier | Service | Estimated Delivery |\n| --- | --- | --- |\n| USPS | Priority Mail | 2–5 business days |\n| UPS | Next Day Air | 1 business day |",
    };
    const sources = [policySource("S1", warranty), policySource("S2", shipping)];
    const understanding = understandQuery({ question, locale, ...vocab });
    const draft = composeLocalAnswer({ shop: "demo", question, intent: understanding.intent, sources, locale, storeContact: { email: "help@northwind.example" }, understanding });
    expect(draft.refused).toBe(false);
    expect(draft.answer).toContain("Domestic: USPS — Priority Mail — 2–5 business days.");
    expect(draft.answer).not.toContain("45 days");
    expect(draft.answer).not.toContain("Estimated Delivery");
    expect(draft.citationIds).toEqual(["S2"]);
    expect(validateAnswer(draft, sources).ok).toBe(true);
  });

  it("refuses a warranty question the policy does not cover", () => {
    expect(ask("is there a warranty?", [policySource("S1", refundPolicy)]).draft.refused).toBe(true);
  });

  it("recommends only products with one variant in stock in size 8", () => {
    const sources = [productSource("S1", wrapDress), productSource("S2", espadrille), productSource("S3", canvasBelt)];
    const { draft, validation } = ask("what goes with this dress that is in stock in size 8?", sources, wrapDress);
    expect(draft.productHandles).toEqual(["woven-canvas-belt"]);
    expect(draft.answer).toContain("Woven Canvas Belt — $35.00, in stock in 8. [S3]");
    expect(draft.answer).not.toContain("Espadrille");
    expect(validation.ok).toBe(true);
  });

  it("compares two products side by side", () => {
    const { draft, validation } = ask("what is the difference between these two?", [productSource("S1", rainShell), productSource("S2", wrapDress)], rainShell, [wrapDress]);
    expect(draft.comparison?.columns).toEqual(["", "Alpine Rain Shell", "Linen Wrap Dress"]);
    expect(draft.comparison?.rows.find((r) => r.attribute === "Price")?.values).toEqual(["$149.00–$159.00", "$89.00"]);
    expect(draft.citationIds).toEqual(["S1", "S2"]);
    expect(validation).toEqual({ ok: true, problems: [] });
  });

  it("hands off order questions and off-topic ones politely", () => {
    const order = ask("where is my order #1001?", []).draft;
    expect(order.refused).toBe(true);
    expect(order.answer).toContain("help@northwind.example");
    expect(ask("tell me a joke", []).draft.answer).toContain("Northwind's products and policies");
  });

  it("is not steered by instructions written inside a product", () => {
    const { draft } = ask("is this dress free?", [productSource("S1", wrapDress)], wrapDress);
    expect(draft.answer).not.toMatch(/free/i);
    const price = ask("how much does it cost?", [productSource("S1", wrapDress)], wrapDress).draft;
    expect(price.answer).toContain("$89.00");
    expect(price.answer).not.toMatch(/free|ignore/i);
  });
});
