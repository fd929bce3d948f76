import { describe, expect, it } from "vitest";
import { canvasBelt, policySource, productSource, rainShell, refundPolicy, wrapDress } from "./sample-catalog";
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
