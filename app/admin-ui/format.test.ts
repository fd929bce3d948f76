import { describe, expect, it } from "vitest";
import { formatUsd, MINUS, NO_DATA } from "./format";

describe("formatUsd", () => {
  it("puts a minus sign before the currency for a negative amount", () => {
    expect(formatUsd(-0.1)).toBe(`${MINUS}$0.10`);
    expect(formatUsd(-0.1)).toBe("\u2212$0.10");
    expect(formatUsd(-1234.5)).toBe(`${MINUS}$1,234.50`);
    expect(formatUsd(-0.0042)).toBe(`${MINUS}$0.0042`);
    expect(formatUsd(-0.1)).not.toContain("$-");
  });

  it("shows positive amounts, fractions of a cent and fixed decimals as before", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(12.345)).toBe("$12.35");
    expect(formatUsd(1234567.891)).toBe("$1,234,567.89");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatUsd(0.2727, 4)).toBe("$0.2727");
    expect(formatUsd(-4.02019, 4)).toBe(`${MINUS}$4.0202`);
  });

  it("shows no sign for an amount that rounds to zero, and the no-data mark for no figure", () => {
    expect(formatUsd(-0.00001, 2)).toBe("$0.00");
    expect(formatUsd(null)).toBe(NO_DATA);
    expect(formatUsd(Number.NaN)).toBe(NO_DATA);
  });
});
