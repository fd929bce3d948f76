import { describe, expect, it } from "vitest";
import { canvasBelt, espadrille, rainShell, refundPolicy, wrapDress } from "../answering/sample-catalog";
import { generateCatalogQuestions } from "./catalog-questions";

const batch = { products: [rainShell, wrapDress, canvasBelt, espadrille], policies: [refundPolicy], pages: [], documents: [] };

describe("generateCatalogQuestions", () => {
  const questions = generateCatalogQuestions(batch, { maxProducts: 4 });

  it("asks yes and no size questions whose truth comes from the variants", () => {
    const yes = questions.filter((q) => q.kind === "size_yes");
    const no = questions.filter((q) => q.kind === "size_no");
    expect(yes.length).toBeGreaterThan(0);
    expect(no.length).toBeGreaterThan(0);
    for (const q of no) {
      const product = batch.products.find((p) => p.handle === q.productHandle)!;
      expect(product.variants.some((v) => v.options.Size === q.expected.option?.value)).toBe(false);
    }
  });

  it("knows stock per size and price ranges", () => {
    const stock = questions.find((q) => q.kind === "stock" && q.productHandle === "canvas-espadrille");
    expect(stock?.expected).toMatchObject({ option: { value: "9" }, inStock: true });
    expect(questions.find((q) => q.kind === "price" && q.expected.productHandle === "alpine-rain-shell")?.expected.price).toEqual({ min: 149, max: 159 });
  });

  it("asks the policy's sale-item window for a region only when the policy states one", () => {
    const eu = questions.find((q) => q.id.endsWith("sale-EU"));
    expect(eu?.expected.days).toContain(14);
    expect(questions.some((q) => q.id.endsWith("sale-UK"))).toBe(false);
  });

  it("includes questions the data cannot answer", () => {
    expect(questions.filter((q) => q.expected.refused).map((q) => q.kind)).toEqual(expect.arrayContaining(["unanswerable_warranty", "unanswerable_attribute"]));
  });
});
