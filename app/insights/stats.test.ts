import { describe, expect, it } from "vitest";
import { lastDays, percentile, ratio, startOfDays } from "./stats";

describe("percentile (nearest rank)", () => {
  it("gives the value below which 95% of the values fall", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([5, 1, 3], 95)).toBe(5);
    expect(percentile([300, 100, 200, 400], 50)).toBe(200);
    expect(percentile([42], 95)).toBe(42);
  });

  it("is null without values and does not reorder its input", () => {
    expect(percentile([], 95)).toBeNull();
    const input = [3, 1, 2];
    percentile(input, 95);
    expect(input).toEqual([3, 1, 2]);
  });
});

describe("days", () => {
  it("lists UTC days ending today, oldest first", () => {
    const now = new Date("2026-03-02T23:59:00Z");
    expect(lastDays(now, 3)).toEqual(["2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(startOfDays(now, 3).toISOString()).toBe("2026-02-28T00:00:00.000Z");
  });

  it("ratio is null for an empty whole", () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
  });
});
