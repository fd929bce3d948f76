import { describe, expect, it } from "vitest";
import { slugify } from "./slug";

describe("slugify", () => {
  it("makes heading anchors the way Markdown renderers do", () => {
    expect(slugify("Women's clothing (numeric sizes)")).toBe("womens-clothing-numeric-sizes");
    expect(slugify("Returns — Assembled Modules")).toBe("returns-assembled-modules");
    expect(slugify("Shipping Carriers & Services")).toBe("shipping-carriers-and-services");
    expect(slugify("Größe & Café")).toBe("grosse-and-cafe");
    expect(slugify("?!")).toBe("");
  });
});

describe("slugify in any script", () => {
  it("keeps Hebrew, Arabic and CJK letters, and folds only Latin accents", () => {
    expect(slugify("מחברת A5 מנוקדת")).toBe("מחברת-a5-מנוקדת");
    expect(slugify("إسدال صلاة")).toBe("إسدال-صلاة");
    expect(slugify("防水 ジャケット")).toBe("防水-ジャケット");
    expect(slugify("Crème brûlée")).toBe("creme-brulee");
  });
});
