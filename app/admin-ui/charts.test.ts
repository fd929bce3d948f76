import { describe, expect, it } from "vitest";
import { niceIntegerMax, niceMax } from "./charts";

describe("chart axes", () => {
  it("rounds the top of the axis up to a readable number", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(0.03)).toBeCloseTo(0.05, 10);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(180)).toBe(200);
    expect(niceMax(210)).toBe(250);
  });

  it("keeps count axes even so the middle tick is a whole number", () => {
    expect(niceIntegerMax(0)).toBe(2);
    expect(niceIntegerMax(1)).toBe(2);
    expect(niceIntegerMax(3)).toBe(4);
    expect(niceIntegerMax(9)).toBe(10);
    expect(niceIntegerMax(12)).toBe(20);
    expect(niceIntegerMax(45)).toBe(60);
  });
});
