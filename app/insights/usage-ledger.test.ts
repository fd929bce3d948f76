import { describe, expect, it } from "vitest";
import { costFor, DEFAULT_PRICE_TABLE, monthBounds, projectMonthlySpend } from "./usage-ledger";

describe("costFor", () => {
  it("prices input and output tokens per million from the default table", () => {
    // gpt-4o-mini: $0.15 in, $0.60 out per million tokens.
    expect(costFor(undefined, "gpt-4o-mini", 1_000_000, 500_000)).toEqual({ costUsd: 0.45, priced: true });
    expect(costFor(undefined, "gpt-4o-mini", 2000, 300).costUsd).toBeCloseTo(0.00048, 10);
  });

  it("lets the shop's table override a model and counts the local models as free", () => {
    const table = { "gpt-4o-mini": { inputPerMTok: 1, outputPerMTok: 2 } };
    expect(costFor(table, "gpt-4o-mini", 1_000_000, 1_000_000).costUsd).toBe(3);
    expect(costFor(table, "local-composer", 5000, 5000)).toEqual({ costUsd: 0, priced: true });
    expect(DEFAULT_PRICE_TABLE["use-lite-512"]).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
  });

  it("says when a model has no price instead of inventing one", () => {
    expect(costFor({}, "my-own-finetune", 1000, 1000)).toEqual({ costUsd: 0, priced: false });
  });
});

describe("monthly projection", () => {
  it("divides spend so far by the elapsed fraction of the month", () => {
    // November has 30 days; at the start of Nov 16 exactly half has elapsed.
    const now = new Date("2026-11-16T00:00:00Z");
    expect(monthBounds(now)).toEqual({ start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-12-01T00:00:00Z") });
    expect(projectMonthlySpend(12, now)).toBeCloseTo(24, 10);
  });

  it("does not project in the month's first hour", () => {
    expect(projectMonthlySpend(1, new Date("2026-11-01T00:30:00Z"))).toBeNull();
  });
});
