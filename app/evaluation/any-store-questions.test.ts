import { describe, expect, it } from "vitest";
import { messagesFor } from "../answering/messages";
import { sampleProduct, sampleVariant } from "../answering/sample-catalog";
import type { AnswerResult } from "../answering/types";
import type { CatalogPolicy } from "../catalog/types";
import { judgeAnyStoreAnswer, type AnswerWithMatches } from "./any-store-eval";
import { generateAnyStoreQuestions, listingTruth, optionValuesOf, valueNames, WIDGET_LOCALES, type AnyStoreQuestion } from "./any-store-questions";

// Option names and values as real merchants write them: nothing here is known to the generator in advance.
const ring = sampleProduct({
  handle: "stacking-ring",
  title: "Stacking Ring",
  productType: "Rings",
  variants: [
    sampleVariant("r1", { "Choose Material": "Gold", "Choose Ring Size": "6" }, 120, true),
    sampleVariant("r2", { "Choose Material": "Gold", "Choose Ring Size": "7" }, 120, false),
    sampleVariant("r3", { "Choose Material": "Silver", "Choose Ring Size": "6" }, 90, true),
  ],
});
const necklace = sampleProduct({
  handle: "letter-necklace",
  title: "Letter Necklace",
  productType: "Necklaces",
  variants: [sampleVariant("n1", { "الحرف": "ب" }, 40, true), sampleVariant("n2", { "الحرف": "ت" }, 40, false), sampleVariant("n3", { "الحرف": "ث" }, 40, true)],
});
const hoodie = sampleProduct({
  handle: "zip-hoodie",
  title: "Zip Hoodie",
  productType: "Hoodies",
  variants: [
    sampleVariant("h1", { Colors: "Black", "Zipper color": "Silver", Maat: "M" }, 60, true),
    sampleVariant("h2", { Colors: "Black", "Zipper color": "Black", Maat: "L" }, 60, false),
    sampleVariant("h3", { Colors: "Navy", "Zipper color": "Silver", Maat: "M" }, 65, true),
  ],
});
const insurance = sampleProduct({ handle: "route-insurance", title: "Route Insurance", variants: [sampleVariant("i1", { Title: "$7.75" }, 7.75, true), sampleVariant("i2", { Title: "$10.03" }, 10.03, true)] });
const plain = sampleProduct({ handle: "gift-card", title: "Gift Card", productType: "", variants: [sampleVariant("g1", { Title: "Default Title" }, 25, true)] });
const retourbeleid: CatalogPolicy = {
  id: "policy-refund",
  type: "refund",
  title: "Retourbeleid",
  body: "U kunt een artikel binnen 14 dagen na ontvangst retourneren. Cadeaubonnen zijn niet terugbetaalbaar.",
  url: "/policies/refund-policy",
  updatedAt: "2026-01-01T00:00:00Z",
};
const products = [ring, necklace, hoodie, plain, insurance];
const questions = generateAnyStoreQuestions({ products, policies: [retourbeleid] }, { products: 5, valuesPerOption: 3 });
const byHandle = new Map(products.map((p) => [p.handle, p]));

describe("generateAnyStoreQuestions", () => {
  it("asks about every option name of every sampled product, with values it holds", () => {
    for (const p of [ring, necklace, hoodie]) {
      for (const [name, values] of optionValuesOf(p)) {
        const asked = questions.filter((q) => q.kind === "option_yes" && q.expected.productHandle === p.handle && q.id.startsWith(`${p.handle}:${name}:`));
        expect(asked.length, `${p.handle} ${name}`).toBeGreaterThan(0);
        for (const q of asked) expect(values).toContain(q.expected.values?.[0]);
      }
    }
    // Non-Latin values are asked as written, never dropped.
    expect(questions.some((q) => q.kind === "option_yes" && ["ب", "ت", "ث"].includes(q.expected.values?.[0] ?? ""))).toBe(true);
  });

  it("asks with and without the product page open", () => {
    const yes = questions.filter((q) => q.kind === "option_yes" && q.locale === "en");
    expect(yes.some((q) => q.productHandle)).toBe(true);
    expect(yes.some((q) => !q.productHandle && q.question.includes(q.expected.productHandle === ring.handle ? "Stacking Ring" : ""))).toBe(true);
  });

  it("asks values a product does not come in only when no option of it holds them", () => {
    const no = questions.filter((q) => q.kind === "option_no");
    expect(no.length).toBeGreaterThan(0);
    for (const q of no) {
      const p = byHandle.get(q.expected.productHandle!)!;
      expect(p.variants.some((v) => Object.values(v.options).some((held) => valueNames(held, q.expected.values![0])))).toBe(false);
    }
  });

  it("skips Shopify's placeholder option and values written as money (they would read as a price cap)", () => {
    expect(optionValuesOf(plain).size).toBe(0);
    expect(questions.some((q) => q.expected.values?.includes("Default Title"))).toBe(false);
    expect(questions.some((q) => q.expected.values?.some((v) => v.startsWith("$")))).toBe(false);
  });

  it("knows stock per variant from all its option values", () => {
    const stock = questions.filter((q) => q.kind === "variant_stock");
    expect(stock.length).toBeGreaterThan(0);
    for (const q of stock) {
      const p = byHandle.get(q.expected.productHandle!)!;
      const v = p.variants.find((x) => q.expected.values!.every((w) => Object.values(x.options).includes(w)))!;
      expect(v.available).toBe(q.expected.inStock);
    }
  });

  it("lists every product meeting a listing's constraints, on one in-stock variant", () => {
    expect(listingTruth(products, "Rings", ["Gold"])).toEqual(["stacking-ring"]);
    expect(listingTruth(products, "Rings", ["Gold", "7"])).toEqual([]);
    expect(listingTruth(products, undefined, ["Black"])).toEqual(["zip-hoodie"]);
    expect(listingTruth(products, undefined, [], 50)).toEqual(["gift-card", "letter-necklace", "route-insurance"]);
    for (const q of questions.filter((x) => x.kind === "listing")) expect(q.expected.handles!.length).toBeGreaterThan(0);
  });

  it("writes a price cap that no in-stock variant costs exactly, even when prices are consecutive", () => {
    const mugs = [100, 101, 102, 103].map((price, i) => sampleProduct({ handle: `mug-${i}`, title: `Mug ${i}`, productType: "Mugs", variants: [sampleVariant(`m${i}`, { Colour: "White" }, price, true)] }));
    const caps = generateAnyStoreQuestions({ products: mugs, policies: [] }).filter((q) => q.kind === "listing_price");
    expect(caps.length).toBeGreaterThan(0);
    for (const q of caps) {
      const cap = Number(q.id.split(":")[2]);
      expect([100, 101, 102, 103]).not.toContain(cap);
      expect(q.expected.handles).toEqual(listingTruth(mugs, "Mugs", [], cap));
    }
  });

  it("asks return windows in every widget language from the policy's own day counts", () => {
    const returns = questions.filter((q) => q.kind === "policy_returns");
    expect(returns.map((q) => q.locale).sort()).toEqual([...WIDGET_LOCALES].sort());
    for (const q of returns) expect(q.expected.numbers).toEqual([14]);
  });

  it("asks shipping times from the sentences that state them, not from claims for lost or damaged parcels", () => {
    const shipping: CatalogPolicy = {
      ...retourbeleid,
      id: "policy-shipping",
      type: "shipping",
      title: "Shipping policy",
      body: "Orders ship within 2-3 business days.\n| UPS | Ground | 1-5 business days |\nIf your package arrives damaged, contact us within 7 days of the expected delivery date. Lost parcels are refunded after 30 business days.",
    };
    const asked = generateAnyStoreQuestions({ products: [], policies: [shipping] }).filter((q) => q.kind === "policy_shipping");
    expect(asked.map((q) => q.locale).sort()).toEqual([...WIDGET_LOCALES].sort());
    for (const q of asked) expect(q.expected.numbers?.sort((a, b) => a - b)).toEqual([1, 2, 3, 5]);
  });

  it("asks each complement also from a page with no product open, where the truth is a question back", () => {
    const seen = questions.filter((q) => q.kind === "complementary");
    const unseen = questions.filter((q) => q.kind === "complementary_unseen");
    expect(seen.length).toBeGreaterThan(0);
    expect(unseen.map((q) => [q.locale, q.question])).toEqual(seen.map((q) => [q.locale, q.question]));
    for (const q of unseen) expect(q.productHandle).toBeUndefined();
  });

  it("is the same for the same catalog (fixed seed)", () => {
    expect(generateAnyStoreQuestions({ products, policies: [retourbeleid] }, { products: 5, valuesPerOption: 3 })).toEqual(questions);
  });
});

function answer(over: Partial<AnswerWithMatches>): { result: AnswerWithMatches; sources: { id: string }[]; validation: { ok: true; problems: [] } } {
  const usage = { model: "local", inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0 };
  const result: AnswerResult = { answer: "", refused: false, intent: "availability", citations: [{ id: "S1", type: "product", title: "", url: "" }], products: [], usage };
  return { result: { ...result, ...over }, sources: [{ id: "S1" }], validation: { ok: true, problems: [] } };
}

const judge = (q: AnyStoreQuestion, a: ReturnType<typeof answer>) => judgeAnyStoreAnswer(q, a as never, byHandle);

describe("judgeAnyStoreAnswer", () => {
  const card = { handle: ring.handle, title: ring.title, url: ring.url, price: 90, available: true, variants: ring.variants.map((v) => ({ id: v.id, title: v.title, available: v.available, price: v.price, options: v.options })) };
  const yes: AnyStoreQuestion = { id: "y", kind: "option_yes", locale: "de", question: "Gibt es das in Gold?", productHandle: ring.handle, expected: { productHandle: ring.handle, values: ["Gold"], comesIn: true } };

  it("wants yes in the question's language and a card holding the value", () => {
    expect(judge(yes, answer({ answer: "Ja, Stacking Ring gibt es in Gold.", products: [card] }))).toBeNull();
    expect(judge(yes, answer({ answer: "Yes, it does.", products: [card] }))).toMatch(/yes/);
    expect(judge(yes, answer({ answer: "Ja.", products: [] }))).toMatch(/card/);
    expect(judge(yes, answer({ refused: true }))).toMatch(/refused/);
  });

  it("scores a listing by its full set of matches", () => {
    const q: AnyStoreQuestion = { id: "l", kind: "listing", locale: "en", question: "Which rings in Gold?", expected: { handles: ["stacking-ring"] } };
    expect(judge(q, answer({ answer: "1 ring", matches: { total: 1, handles: ["stacking-ring"] } }))).toBeNull();
    expect(judge(q, answer({ answer: "2", matches: { total: 2, handles: ["stacking-ring", "zip-hoodie"] } }))).toMatch(/says 2/);
    expect(judge(q, answer({ answer: "Stacking Ring", products: [card] }))).toMatch(/no matches/);
  });

  it("reads a policy answer's numbers from its words, not from its citation markers", () => {
    const q: AnyStoreQuestion = { id: "s", kind: "policy_shipping", locale: "fr", question: "Combien de temps prend la livraison ?", expected: { numbers: [2, 3, 5], policyType: "shipping" } };
    const cited = (text: string, policyType = "shipping") => ({
      ...answer({ answer: text, citations: [{ id: "S5", type: "policy", title: "", url: "" }] }),
      sources: [{ id: "S5", type: "policy", policyType }],
    });
    expect(judge(q, cited("A module that fails within 45 days of delivery qualifies for a replacement. [S5]"))).toMatch(/states none/);
    expect(judge(q, cited("Orders ship within 2–3 business days. [S5]"))).toBeNull();
    // A clause of another policy that happens to share a number is no answer to a shipping question.
    expect(judge(q, cited("You may withdraw within 5 days of delivery. [S5]", "refund"))).toMatch(/no shipping policy cited/);
  });

  it("rejects a complementary pick that is the product in view, of its type, or sold out in the asked value", () => {
    const q: AnyStoreQuestion = { id: "c", kind: "complementary", locale: "en", question: "What goes with this?", productHandle: hoodie.handle, expected: { productHandle: hoodie.handle, inStockValue: "Silver" } };
    expect(judge(q, answer({ answer: "The ring", matches: { total: 1, handles: ["stacking-ring"] } }))).toBeNull();
    expect(judge(q, answer({ answer: "This", matches: { total: 1, handles: ["zip-hoodie"] } }))).toMatch(/in view/);
    expect(judge(q, answer({ answer: "Nothing", matches: { total: 0, handles: [] } }))).toMatch(/nothing/);
    const soldOut: AnyStoreQuestion = { ...q, expected: { productHandle: hoodie.handle, inStockValue: "ت" } };
    expect(judge(soldOut, answer({ answer: "The necklace", matches: { total: 1, handles: ["letter-necklace"] } }))).toMatch(/out of stock/);
  });

  it("wants 'which product do you mean?' in the question's language for a complement asked with no product in view", () => {
    const q: AnyStoreQuestion = { id: "u", kind: "complementary_unseen", locale: "fr", question: "Qu'est-ce qui va avec ce sweat ?", expected: {} };
    expect(judge(q, answer({ refused: true, answer: messagesFor("fr").whichProduct({ name: "Boutique", email: "aide@boutique.example" }) }))).toBeNull();
    expect(judge(q, answer({ refused: true, answer: messagesFor("en").whichProduct({ name: "Boutique" }) }))).toMatch(/which product/);
    expect(judge(q, answer({ answer: "Voici 1 option", matches: { total: 1, handles: ["stacking-ring"] } }))).toMatch(/which product/);
  });
});
