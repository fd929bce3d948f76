import { describe, expect, it } from "vitest";
import { extractMoneyAmounts, formatPrice, parseAmount } from "./money";

describe("money", () => {
  it("formats with the currency's symbol and reads it back", () => {
    for (const [amount, currency] of [[49.5, "USD"], [1299, "EUR"], [12, "GBP"], [999, "INR"]] as const) {
      const text = `It costs ${formatPrice(amount, currency)} today.`;
      expect(extractMoneyAmounts(text)).toEqual([amount]);
    }
  });

  it("reads codes after amounts, and European separators", () => {
    expect(extractMoneyAmounts("was 59.00 USD, now Rs. 1,250")).toEqual([59, 1250]);
    expect(parseAmount("1.299,00")).toBe(1299);
    expect(parseAmount("49,5")).toBe(49.5);
  });

  it("reads back every storefront locale's own format", () => {
    for (const locale of ["de", "de-AT", "de-CH", "fr", "fr-CA", "es", "nl"]) {
      for (const currency of ["USD", "EUR", "CHF", "GBP"]) {
        const text = `${formatPrice(1299.5, currency, locale)} statt ${formatPrice(45, currency, locale)}.`;
        expect(extractMoneyAmounts(text), `${locale} ${currency}: ${text}`).toEqual([1299.5, 45]);
      }
    }
    // "$" after the amount is a price; a size right before a price is not.
    expect(extractMoneyAmounts("149,00 $ bis 159,00 $")).toEqual([149, 159]);
    expect(extractMoneyAmounts("in size 10 $35.00")).toEqual([35]);
  });

  it("ignores bare numbers and day counts", () => {
    expect(extractMoneyAmounts("returns within 30 days, size 8")).toEqual([]);
  });

  it("falls back to amount and code for an unknown currency", () => {
    expect(formatPrice(5, "XQZ")).toMatch(/5\.00/);
    expect(formatPrice(5, null)).toBe("5.00");
  });
});
