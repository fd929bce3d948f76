import { describe, expect, it } from "vitest";
import { clusterRefusals, listNames, normalizeQuestion, shippingDestination, topQuestions } from "./themes";

const titles = new Map([
  ["alpine-shell", "Alpine Shell"],
  ["trail-runner", "Trail Runner"],
  ["wool-beanie", "Wool Beanie"],
]);

describe("clusterRefusals", () => {
  it("groups refused questions into themes with a fix naming the products", () => {
    const themes = clusterRefusals(
      [
        { question: "Is there a size chart?", productHandle: "alpine-shell" },
        { question: "Does it run small?", productHandle: "trail-runner" },
        { question: "Is there a size chart?", productHandle: "alpine-shell" },
        { question: "What is it made of?", productHandle: "wool-beanie" },
        { question: "Can I return it after 60 days?", productHandle: null },
        { question: "Do you ship to Canada?", productHandle: null },
        { question: "Do you ship to canada?", productHandle: "alpine-shell" },
        { question: "What does the colour Moss look like?", productHandle: "wool-beanie" },
        { question: "Who designed the logo?", productHandle: null },
      ],
      { titles, optionNames: ["Size", "Colour"] },
    );
    expect(themes.map((t) => [t.id, t.count])).toEqual([
      ["size-chart", 3],
      ["shipping-to-canada", 2],
      ["material", 1],
      ["option-colour", 1],
      ["returns", 1],
      ["other", 1],
    ]);
    const size = themes[0];
    expect(size.products).toEqual([
      { handle: "alpine-shell", title: "Alpine Shell", questions: 2 },
      { handle: "trail-runner", title: "Trail Runner", questions: 1 },
    ]);
    expect(size.suggestedFix).toBe("Add a size chart (or measurements) to these 2 products: Alpine Shell and Trail Runner.");
    expect(size.examples).toEqual(["Is there a size chart?", "Does it run small?"]);
    expect(themes[1].label).toBe("Shipping to Canada");
    expect(themes[1].suggestedFix).toContain("whether you ship to Canada");
    expect(themes.find((t) => t.id === "returns")!.suggestedFix).toMatch(/refund policy/);
    expect(themes.find((t) => t.id === "option-colour")!.suggestedFix).toBe("Describe the colour details (what each option means) on this product: Wool Beanie.");
  });

  it("is deterministic: the same input in another order gives the same themes", () => {
    const qs = [
      { question: "how do I wash it", productHandle: "a" },
      { question: "dimensions?", productHandle: "b" },
      { question: "how do I wash it", productHandle: "c" },
    ];
    expect(clusterRefusals([...qs].reverse())).toEqual(clusterRefusals(qs));
  });

  it("shows handles when titles are unknown and summarises long product lists", () => {
    const qs = Array.from({ length: 12 }, (_, i) => ({ question: "Is there a size guide?", productHandle: `p-${String(i).padStart(2, "0")}` }));
    const [theme] = clusterRefusals(qs);
    expect(theme.suggestedFix).toBe("Add a size chart (or measurements) to these 12 products: p-00, p-01, p-02 and 9 more.");
  });
});

describe("helpers", () => {
  it("reads shipping destinations", () => {
    expect(shippingDestination("Do you ship to New Zealand?")).toBe("New Zealand");
    expect(shippingDestination("can you deliver to the uk by Friday")).toBe("UK");
    expect(shippingDestination("how long does shipping take")).toBeNull();
    expect(shippingDestination("do you ship to my address?")).toBeNull();
    expect(shippingDestination("Do you ship to US?")).toBe("US");
  });

  it("normalizes questions for counting and lists names", () => {
    expect(normalizeQuestion("  Is it  WATERPROOF?! ")).toBe("is it waterproof");
    expect(listNames(["a"])).toBe("a");
    expect(listNames(["a", "b", "c"])).toBe("a, b and c");
  });

  it("counts top questions by normalized text, showing the most common wording", () => {
    const top = topQuestions([
      { question: "Is it waterproof?", refused: false },
      { question: "is it waterproof", refused: true },
      { question: "Is it waterproof?", refused: false },
      { question: "Price?", refused: false },
    ]);
    expect(top).toEqual([
      { question: "Is it waterproof?", normalized: "is it waterproof", count: 3, refused: 1 },
      { question: "Price?", normalized: "price", count: 1, refused: 0 },
    ]);
  });
});
