import { describe, expect, it } from "vitest";
import { canvasBelt, policySource, productSource, rainShell, refundPolicy, sampleProduct, sampleVariant, wrapDress } from "./sample-catalog";
import { validateAnswer } from "./validate-answer";

const sources = [productSource("S1", rainShell), productSource("S2", wrapDress), policySource("S3", refundPolicy), productSource("S4", canvasBelt)];

function check(answer: string, citationIds = [...answer.matchAll(/\[(S\d+)\]/g)].map((m) => m[1]), refused = false) {
  return validateAnswer({ answer, citationIds, refused }, sources);
}

function codes(answer: string) {
  return check(answer).problems.map((p) => p.code);
}

describe("validateAnswer", () => {
  it("accepts a correct, cited answer", () => {
    expect(check("Yes — the Alpine Rain Shell comes in Tall sizes: M Tall, L Tall (L Tall is out of stock). [S1]")).toEqual({ ok: true, problems: [] });
    expect(check("Sale items can be returned within 14 days of delivery for store credit only. [S3]").ok).toBe(true);
    expect(check("The Linen Wrap Dress is on sale for $89.00 (was $120.00). [S2]").ok).toBe(true);
  });

  it("rejects an invented source id", () => {
    const result = check("The Alpine Rain Shell is $149.00. [S9]");
    expect(result.ok).toBe(false);
    expect(result.problems[0].code).toBe("unknown_citation");
  });

  it("rejects an invented size", () => {
    expect(codes("Yes — the Alpine Rain Shell comes in XL Tall and XXL. [S1]")).toContain("unsupported_option");
    expect(codes("The Alpine Rain Shell also comes in size 14. [S1]")).toContain("unsupported_option");
  });

  it("rejects saying a size is missing when a variant has it", () => {
    expect(codes("No — the Alpine Rain Shell doesn't come in Tall sizes. [S1]")).toContain("wrong_option_claim");
  });

  it("rejects an invented price, and a real price cited to the wrong product", () => {
    expect(codes("The Alpine Rain Shell is $99.00. [S1]")).toEqual(["unsupported_price"]);
    expect(codes("The Linen Wrap Dress is $149.00. [S2]")).toEqual(["unsupported_price"]);
  });

  it("rejects an invented day count", () => {
    expect(codes("Sale items can be returned within 60 days. [S3]")).toEqual(["unsupported_day_count"]);
    expect(codes("Refunds take 5-7 business days. [S3]")).toEqual([]);
  });

  it("rejects wrong stock claims per variant", () => {
    expect(codes("The Alpine Rain Shell is in stock in L. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codes("M Tall is out of stock. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codes("The Alpine Rain Shell is in stock in S, M; L is out of stock. [S1]")).toEqual([]);
    expect(codes("The Woven Canvas Belt is in stock in 8. [S4]")).toEqual([]);
    expect(codes("The Woven Canvas Belt is in stock in 10. [S4]")).toEqual(["wrong_stock_claim"]);
  });

  it("binds a bracketed stock status to the variant just before it, as the prompt's variant line writes it", () => {
    const tee = sampleProduct({
      handle: "coastline-tee",
      title: "Coastline Tee",
      variants: [
        sampleVariant("t1", { Size: "XXL", Color: "White" }, 20, true),
        sampleVariant("t2", { Size: "XXL", Color: "Black" }, 20, true),
        sampleVariant("t3", { Size: "XXL", Color: "Sea Green" }, 20, false),
        sampleVariant("t4", { Size: "L", Color: "Sea Green" }, 20, true),
      ],
    });
    const teeCodes = (answer: string) => validateAnswer({ answer, citationIds: ["S1"], refused: false }, [productSource("S1", tee)]).problems.map((p) => p.code);
    const line = (seaGreen: string) => `Variants with what the shopper asks for: XXL / White (in stock), XXL / Black (in stock), XXL / Sea Green (${seaGreen}). [S1]`;
    expect(teeCodes(line("sold out"))).toEqual([]);
    expect(teeCodes(line("in stock"))).toEqual(["wrong_stock_claim"]);
    expect(teeCodes("XXL / White (sold out), XXL / Sea Green (sold out). [S1]")).toEqual(["wrong_stock_claim"]);
    // Any script and full-width brackets: the status still binds to the values before it.
    const shirt = sampleProduct({
      handle: "shirt",
      title: "シャツ",
      variants: [sampleVariant("j1", { サイズ: "特大", 色: "白" }, 20, true), sampleVariant("j2", { サイズ: "特大", 色: "緑" }, 20, false)],
    });
    const shirtCodes = (answer: string) => validateAnswer({ answer, citationIds: ["S1"], refused: false }, [productSource("S1", shirt)]).problems.map((p) => p.code);
    expect(shirtCodes("特大 / 白 (in stock)、特大 / 緑（sold out）. [S1]")).toEqual([]);
    expect(shirtCodes("特大 / 白 (in stock)、特大 / 緑（in stock）. [S1]")).toEqual(["wrong_stock_claim"]);
    // A bracket naming its own values is its own clause, as before.
    expect(codes("The Alpine Rain Shell comes in M Tall, L Tall (L Tall is in stock). [S1]")).toEqual(["wrong_stock_claim"]);
  });

  it("reads a value repeated in a variant label as two options, but not the same word later in the sentence", () => {
    const wax = sampleProduct({
      handle: "curb-wax",
      title: "Curb Wax",
      productType: "wax",
      variants: [sampleVariant("w1", { Size: "one size", Color: "yellow", Material: "wax" }, 9, true)],
    });
    const bag = sampleProduct({
      handle: "duffel",
      title: "Duffel",
      variants: [sampleVariant("b1", { Body: "Black", Zipper: "Black" }, 50, false), sampleVariant("b2", { Body: "Black", Zipper: "Silver" }, 50, true)],
    });
    const codesFor = (answer: string) =>
      validateAnswer({ answer, citationIds: ["S1", "S2"], refused: false }, [productSource("S1", wax), productSource("S2", bag)]).problems.map((p) => p.code);
    expect(codesFor("I found 1 product in stock in wax / one size among the wax: Curb Wax. [S1]")).toEqual([]);
    expect(codesFor("The Duffel is in stock in Black / Silver. [S2]")).toEqual([]);
    expect(codesFor("The Duffel is in stock in Black / Black. [S2]")).toEqual(["wrong_stock_claim"]);
  });

  it("checks each product's stock in a comparison line against that product only", () => {
    const soldOut = { ...canvasBelt, id: "sold-out-belt", handle: "sold-out-belt", title: "Braided Leather Belt (Pair)", variants: canvasBelt.variants.map((v) => ({ ...v, available: false })) };
    const withSoldOut = [...sources, productSource("S6", soldOut)];
    const line = (a: string, b: string) =>
      validateAnswer({ answer: `In stock: Alpine Rain Shell — ${a}; Braided Leather Belt (Pair) — ${b}. [S1] [S6]`, citationIds: ["S1", "S6"], refused: false }, withSoldOut);
    expect(line("in stock", "out of stock").problems).toEqual([]);
    expect(line("out of stock", "out of stock").problems.map((p) => p.code)).toEqual(["wrong_stock_claim"]);
    expect(line("in stock", "in stock").problems.map((p) => p.code)).toEqual(["wrong_stock_claim"]);
  });

  it("rejects facts with no citation at all, but lets an honest refusal through", () => {
    expect(codes("The Alpine Rain Shell is $149.00.")).toContain("missing_citation");
    expect(check("I don't know — please contact the store.", [], true).ok).toBe(true);
  });

  it("checks a comparison table against the cited products", () => {
    const ok = validateAnswer(
      {
        answer: "Here's how they compare. [S1] [S2]",
        citationIds: ["S1", "S2"],
        refused: false,
        comparison: { columns: ["", "Alpine Rain Shell", "Linen Wrap Dress"], rows: [{ attribute: "Price", values: ["$149.00–$159.00", "$89.00"] }] },
      },
      sources,
    );
    expect(ok.ok).toBe(true);
    const bad = validateAnswer(
      {
        answer: "Here's how they compare. [S1] [S2]",
        citationIds: ["S1", "S2"],
        refused: false,
        comparison: { columns: ["", "Alpine Rain Shell", "Linen Wrap Dress"], rows: [{ attribute: "Price", values: ["$149.00", "$79.00"] }] },
      },
      sources,
    );
    expect(bad.problems.map((p) => p.code)).toEqual(["unsupported_price"]);
  });
});

/** A refund policy written in German, as a German store would publish it. */
const germanPolicy = policySource("S5", {
  ...refundPolicy,
  id: "refund-de",
  title: "Widerrufsbelehrung",
  body: "Du kannst Artikel innerhalb von 30 Tagen nach Erhalt zurückgeben. Die Erstattung erfolgt innerhalb von 5 bis 7 Werktagen.",
});

describe("validateAnswer in the storefront languages", () => {
  const all = [...sources, germanPolicy];
  const checkAll = (answer: string) => validateAnswer({ answer, citationIds: [...answer.matchAll(/\[(S\d+)\]/g)].map((m) => m[1]), refused: false }, all);
  const codesOf = (answer: string) => checkAll(answer).problems.map((p) => p.code);

  it("accepts the local answerer's localized phrasings when they are true", () => {
    for (const answer of [
      "Ja, Alpine Rain Shell gibt es in Tall-Größen: M Tall, L Tall (L Tall ist ausverkauft). [S1]",
      "Nein, Linen Wrap Dress gibt es nicht in Größe 12. Erhältlich in: 6, 8, 10. [S2]",
      "Linen Wrap Dress kostet 89,00\u00a0$. Gerade im Angebot: 89,00\u00a0$ statt 120,00\u00a0$. [S2]",
      "Oui, Alpine Rain Shell est en stock en S, M, M Tall\u00a0; L, L Tall sont en rupture de stock. [S1]",
      "Linen Wrap Dress coûte 89,00\u00a0$. En promotion\u00a0: 89,00\u00a0$ (au lieu de 120,00\u00a0$). [S2]",
      "Alpine Rain Shell está en stock en S, M, M Tall; no queda stock de L, L Tall. [S1]",
      "No, Linen Wrap Dress no viene en talla 12. Viene en: 6, 8, 10. [S2]",
      "Alpine Rain Shell is op voorraad in S, M, M Tall; L, L Tall zijn uitverkocht. [S1]",
      "Linen Wrap Dress kost $\u00a089,00. Nu in de aanbieding voor $\u00a089,00 (was $\u00a0120,00). [S2]",
      "Du hast 30 Tage Zeit für eine Rückgabe; die Erstattung dauert 5 bis 7 Werktage. [S5]",
    ]) {
      expect(checkAll(answer), answer).toEqual({ ok: true, problems: [] });
    }
  });

  it("rejects a wrong price in any locale's format", () => {
    expect(codesOf("Linen Wrap Dress kostet 79,00\u00a0$. [S2]")).toEqual(["unsupported_price"]);
    expect(codesOf("Linen Wrap Dress coûte 79,00\u00a0$. [S2]")).toEqual(["unsupported_price"]);
    expect(codesOf("Linen Wrap Dress cuesta 79,00\u00a0$. [S2]")).toEqual(["unsupported_price"]);
    expect(codesOf("Linen Wrap Dress kost $\u00a079,00. [S2]")).toEqual(["unsupported_price"]);
    expect(codesOf("Alpine Rain Shell kostet CHF 1'299.50. [S1]")).toEqual(["unsupported_price"]);
  });

  it("reads day counts in every language, and rejects a wrong one", () => {
    expect(codesOf("Rückgaben sind innerhalb von 60 Tagen möglich. [S3]")).toEqual(["unsupported_day_count"]);
    expect(codesOf("Vous avez 60 jours pour retourner un article. [S3]")).toEqual(["unsupported_day_count"]);
    expect(codesOf("Tienes 60 días para devolver un artículo. [S3]")).toEqual(["unsupported_day_count"]);
    expect(codesOf("Je hebt 60 dagen om te retourneren. [S3]")).toEqual(["unsupported_day_count"]);
    expect(codesOf("Es gilt ein 60-tägiges Rückgaberecht. [S3]")).toEqual(["unsupported_day_count"]);
    expect(codesOf("Les remboursements prennent 5 à 9 jours ouvrés. [S3]")).toEqual(["unsupported_day_count"]);
    expect(codesOf("Du hast dreißig Tage Zeit. [S3]")).toEqual([]);
    expect(codesOf("Tienes sesenta días. [S3]")).toEqual(["unsupported_day_count"]);
    // A German policy's "30 Tagen" backs an answer's "30 days", and not "14 days".
    expect(codesOf("You can return items within 30 days. [S5]")).toEqual([]);
    expect(codesOf("You can return items within 14 days. [S5]")).toEqual(["unsupported_day_count"]);
  });

  it("rejects wrong stock claims in every language", () => {
    expect(codesOf("Alpine Rain Shell ist in L auf Lager. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("M Tall ist ausverkauft. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("Alpine Rain Shell est en stock en L. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("M Tall est en rupture de stock. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("M Tall est épuisé. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("Alpine Rain Shell está en stock en L. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("No queda stock de M Tall. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("Alpine Rain Shell is op voorraad in L. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("M Tall is uitverkocht. [S1]")).toEqual(["wrong_stock_claim"]);
    expect(codesOf("M Tall is niet op voorraad. [S1]")).toEqual(["wrong_stock_claim"]);
  });

  it("rejects invented sizes and denied sizes in every language", () => {
    expect(codesOf("Alpine Rain Shell gibt es auch in Größe 14. [S1]")).toContain("unsupported_option");
    expect(codesOf("Alpine Rain Shell existe aussi en taille 14. [S1]")).toContain("unsupported_option");
    expect(codesOf("Alpine Rain Shell viene también en talla 14. [S1]")).toContain("unsupported_option");
    expect(codesOf("Alpine Rain Shell is ook verkrijgbaar in maat 14. [S1]")).toContain("unsupported_option");
    expect(codesOf("Nein, Alpine Rain Shell gibt es nicht in Tall-Größen. [S1]")).toContain("wrong_option_claim");
    expect(codesOf("Non, Alpine Rain Shell n'existe pas en tailles Tall. [S1]")).toContain("wrong_option_claim");
    expect(codesOf("No, Alpine Rain Shell no viene en tallas Tall. [S1]")).toContain("wrong_option_claim");
    expect(codesOf("Nee, Alpine Rain Shell is niet verkrijgbaar in Tall-maten. [S1]")).toContain("wrong_option_claim");
  });

  it("asks for a citation when a localized answer states facts without one", () => {
    expect(codesOf("Alpine Rain Shell ist auf Lager.")).toContain("missing_citation");
    expect(codesOf("Rückgaben sind 30 Tage lang möglich.")).toContain("missing_citation");
  });
});
