import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogFiles } from "../catalog/load-files";
import { DEMO_PALETTE, demoImageSpec, escapeXml, paletteColour, renderDemoProductImage, shapeFor, type DemoImageProduct } from "./demo-product-image";

const demoStore = path.resolve(__dirname, "../../demo-store");

function product(overrides: Partial<DemoImageProduct> = {}): DemoImageProduct {
  return { handle: "test-item", title: "Test Item", productType: "Knitwear", options: [{ name: "Color", values: ["Navy"] }], ...overrides };
}

/** Well-formed enough for an image decoder: tags nest and close, attributes are quoted, text holds no raw < or bare &. */
function wellFormedProblems(svg: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let text = "";
  for (let i = 0; i < svg.length; ) {
    if (svg[i] !== "<") {
      text += svg[i++];
      continue;
    }
    tag.lastIndex = i;
    const m = tag.exec(svg);
    if (!m) {
      problems.push(`bad markup at ${i}: ${svg.slice(i, i + 40)}`);
      break;
    }
    const [whole, closing, name, , selfClosing] = m;
    if (closing) {
      if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
    } else if (!selfClosing) stack.push(name);
    i += whole.length;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(", ")}`);
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) problems.push("a bare & in text");
  return problems;
}

describe("renderDemoProductImage", () => {
  it("GIVEN every demo store product WHEN drawn front and detail THEN well-formed SVG with palette colours only", async () => {
    const batch = await loadCatalogFiles([demoStore]);
    expect(batch.products.length).toBeGreaterThan(40);
    const shapes = new Set<string>();
    for (const p of batch.products) {
      for (const position of [1, 2]) {
        const spec = demoImageSpec(p, position);
        const svg = renderDemoProductImage(spec);
        expect(wellFormedProblems(svg), p.handle).toEqual([]);
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400"')).toBe(true);
        // Every colour in the markup is a hex value, a pattern reference or none.
        for (const [, value] of svg.matchAll(/(?:fill|stroke|stop-color)="([^"]*)"/g)) expect(value).toMatch(/^(#[0-9a-f]{3,6}|url\(#gw-[a-z]+\)|none)$/);
        expect(svg).not.toMatch(/<(script|foreignObject|image|a)\b|\bon[a-z]+=|href=/i);
        shapes.add(spec.shape);
      }
    }
    // The demo store spans many kinds of product; nothing falls back to the generic tag.
    expect(shapes.size).toBeGreaterThan(15);
    expect(shapes.has("tag")).toBe(false);
  });

  it("GIVEN a title with markup and control characters WHEN drawn THEN it is escaped text inside <title> and nothing else carries it", () => {
    const svg = renderDemoProductImage(demoImageSpec(product({ title: `</title><script>alert("x")</script> & 'co'\u0000\u0007` }), 1));
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("<title>&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;</title>");
    expect([...svg].some((c) => c.charCodeAt(0) < 9)).toBe(false);
    expect(escapeXml("a\uD800b")).toBe("ab");
  });

  it("GIVEN a hostile colour option WHEN drawn THEN only palette hex values reach attributes", () => {
    const spec = demoImageSpec(product({ options: [{ name: "Color", values: ['Navy" onload="alert(1)'] }] }), 1);
    expect(spec.colour).toBe(DEMO_PALETTE.navy);
    const svg = renderDemoProductImage({ ...spec, colour: 'red" onload="x', accent: "url(javascript:x)" });
    expect(svg).not.toContain("onload");
    expect(svg).not.toContain("javascript");
    expect(wellFormedProblems(svg)).toEqual([]);
  });

  it("WHEN the second image is drawn THEN it is a close-up of the same item", () => {
    const front = renderDemoProductImage(demoImageSpec(product(), 1));
    const detail = renderDemoProductImage(demoImageSpec(product(), 2));
    expect(demoImageSpec(product(), 2).view).toBe("detail");
    expect(detail).toMatch(/scale\(2(\.\d+)?\)/);
    expect(front).not.toBe(detail);
  });
});

describe("demo image colours", () => {
  it("maps the demo store's colour names, preferring the longest known name", () => {
    expect(paletteColour("Harbor Blue")).toBe(DEMO_PALETTE["harbor blue"]);
    expect(paletteColour("Pale Blue")).toBe(DEMO_PALETTE["pale blue"]);
    expect(paletteColour("Blue")).toBe(DEMO_PALETTE.blue);
    expect(paletteColour("Grey Check")).toBe(DEMO_PALETTE.grey);
    expect(paletteColour("Plutonium")).toBeNull();
  });

  it("takes the first colour option value, its trim after a slash, patterns from its words, else title words, else a steady colour per handle", () => {
    const mug = demoImageSpec(product({ title: "Enamel Camp Mug", productType: "Mugs", options: [{ name: "Color", values: ["White/Navy Rim", "Forest"] }] }), 1);
    expect(mug).toMatchObject({ shape: "mug", colour: DEMO_PALETTE.white, accent: DEMO_PALETTE.navy, pattern: "rim" });
    expect(demoImageSpec(product({ options: [{ name: "Colour", values: ["Red Tartan"] }] }), 1)).toMatchObject({ colour: DEMO_PALETTE.red, pattern: "check" });
    expect(demoImageSpec(product({ options: [{ name: "Color", values: ["Navy Dot"] }] }), 1).pattern).toBe("dots");
    const spray = demoImageSpec(product({ title: "Lavender Linen Spray", productType: "Home Fragrance", options: [{ name: "Title", values: ["Default Title"] }] }), 1);
    expect(spray).toMatchObject({ shape: "bottle", colour: DEMO_PALETTE.lavender });
    const a = demoImageSpec(product({ handle: "plain-thing", title: "Plain Thing", options: [] }), 1);
    const b = demoImageSpec(product({ handle: "plain-thing", title: "Plain Thing", options: [] }), 1);
    expect(a.colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(a.colour).toBe(b.colour);
  });
});

describe("shapeFor", () => {
  it.each([
    ["Jackets", "Ridgeline Rain Shell", "jacket"],
    ["Jackets", "Spring Trench Coat", "coat"],
    ["Knitwear", "Lambswool Cardigan", "cardigan"],
    ["Knitwear", "Cashmere V-Neck Sweater", "sweater"],
    ["T-Shirts", "Organic Cotton Tee", "tee"],
    ["Dresses", "Jersey T-Shirt Dress", "dress"],
    ["Trousers", "Wide-Leg Linen Trousers", "trousers"],
    ["Boots", "Tide Rain Boot", "boot"],
    ["Loafers", "Penny Leather Loafer", "shoe"],
    ["Throws", "Chunky Knit Throw", "folded"],
    ["Cushions", "Linen Cushion Cover", "cushion"],
    ["Candles", "Beeswax Taper Candles (Pair)", "tapers"],
    ["Accessories", "Ribbed Merino Beanie", "beanie"],
    ["Bags", "Market Tote", "bag"],
    ["Gift Cards", "Harbor & Heath Gift Card", "tag"],
    ["", "", "tag"],
  ])("%s / %s -> %s", (type, title, shape) => {
    expect(shapeFor(type, title).shape).toBe(shape);
  });
});
