import { describe, expect, it } from "vitest";
import { parseAmount, parseShopifyCsv } from "./shopify-csv";

const HEADER =
  "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Image Src,Image Alt Text,Variant Image,Fabric (product.metafields.custom.fabric),Größe (product.metafields.shopify.size),Related products (product.metafields.shopify--discovery--product_recommendation.related_products),Status";

function row(cells: Record<string, string>): string {
  const cols = HEADER.split(",");
  return cols.map((c) => {
    const v = cells[c] ?? "";
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(",");
}

const SHELL_FIRST = row({
  Handle: "alpine-shell", Title: "Alpine Shell", "Body (HTML)": "<p>Waterproof.</p>\n<p>Packable, with a hood.</p>", Vendor: "Harbor",
  "Product Category": "Apparel & Accessories > Clothing > Outerwear", Type: "Jackets", Tags: "rain, sale ,outerwear", Published: "true",
  "Option1 Name": "Size", "Option1 Value": "M", "Option2 Name": "Fit", "Option2 Value": "Tall", "Variant SKU": "AS-M-T",
  "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "0", "Variant Inventory Policy": "deny", "Variant Price": "149.00",
  "Variant Compare At Price": "189.00", "Image Src": "https://cdn.example/shell.jpg", "Image Alt Text": "Navy shell, front",
  "Fabric (product.metafields.custom.fabric)": "Recycled nylon", "Größe (product.metafields.shopify.size)": "m; l",
  "Related products (product.metafields.shopify--discovery--product_recommendation.related_products)": "other-handle", Status: "active",
});

describe("parseShopifyCsv", () => {
  it("GIVEN a product row, more variant rows and an image-only row WHEN parsed THEN one product with every variant and image", () => {
    const text = [
      HEADER,
      SHELL_FIRST,
      row({ Handle: "alpine-shell", "Option1 Value": "L", "Option2 Value": "Tall", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "3", "Variant Inventory Policy": "deny", "Variant Price": "149.00", "Variant Image": "https://cdn.example/shell-l.jpg" }),
      row({ Handle: "alpine-shell", "Option1 Value": "S", "Option2 Value": "Regular", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "0", "Variant Inventory Policy": "continue", "Variant Price": "139" }),
      row({ Handle: "alpine-shell", "Image Src": "https://cdn.example/shell-back.jpg", "Image Alt Text": "Back view" }),
    ].join("\n");
    const batch = parseShopifyCsv(text, { file: "products.csv", currency: "USD" });

    expect(batch.issues).toEqual([]);
    expect(batch.products).toHaveLength(1);
    const p = batch.products[0];
    expect(p).toMatchObject({
      id: "alpine-shell", handle: "alpine-shell", title: "Alpine Shell", vendor: "Harbor", productType: "Jackets",
      category: "Apparel & Accessories > Clothing > Outerwear", tags: ["rain", "sale", "outerwear"], status: "active",
      published: true, url: "/products/alpine-shell", currency: "USD",
    });
    expect(p.options).toEqual([{ name: "Size", values: ["M", "L", "S"] }, { name: "Fit", values: ["Tall", "Regular"] }]);
    expect(p.variants.map((v) => [v.id, v.title, v.price, v.compareAtPrice, v.available, v.inventoryQuantity])).toEqual([
      ["alpine-shell:m-tall", "M / Tall", 149, 189, false, 0],
      ["alpine-shell:l-tall", "L / Tall", 149, null, true, 3],
      ["alpine-shell:s-regular", "S / Regular", 139, null, true, 0],
    ]);
    expect(p.variants[0].options).toEqual({ Size: "M", Fit: "Tall" });
    expect(p.images).toEqual([
      { url: "https://cdn.example/shell.jpg", altText: "Navy shell, front" },
      { url: "https://cdn.example/shell-l.jpg", altText: null },
      { url: "https://cdn.example/shell-back.jpg", altText: "Back view" },
    ]);
    // Labels come from the header (German ones included); app-owned recommendation fields are not facts.
    expect(p.metafields).toEqual([
      { namespace: "custom", key: "fabric", value: "Recycled nylon", label: "Fabric" },
      { namespace: "shopify", key: "size", value: "m; l", label: "Größe" },
    ]);
  });

  it("keeps variant ids stable when rows are reordered", () => {
    const a = parseShopifyCsv([HEADER, SHELL_FIRST].join("\n"), { file: "a.csv" });
    const b = parseShopifyCsv([HEADER, SHELL_FIRST].join("\r\n") + "\r\n", { file: "b.csv" });
    expect(a.products[0].variants[0].id).toBe(b.products[0].variants[0].id);
  });

  it("treats untracked inventory and a missing quantity column as available", () => {
    const header = "Handle,Title,Option1 Name,Option1 Value,Variant Inventory Tracker,Variant Inventory Policy,Variant Price";
    const text = [header, "mug,Mug,Title,Default Title,,deny,12.50", "bowl,Bowl,Title,Default Title,shopify,deny,20"].join("\n");
    const batch = parseShopifyCsv(text, { file: "x.csv" });
    expect(batch.issues).toEqual([]);
    expect(batch.products.map((p) => p.variants[0].available)).toEqual([true, true]);
    // Shopify's "Title / Default Title" placeholder is not an option.
    expect(batch.products[0].options).toEqual([]);
    expect(batch.products[0].variants[0]).toMatchObject({ options: {}, title: "Default Title", id: "mug:default-title" });
  });

  it("reads Status and Published: missing status is active, Published false is unpublished", () => {
    const header = "Handle,Title,Published,Status,Variant Price";
    const text = [header, "a,A,true,draft,1", "b,B,false,,1", "c,C,,archived,1", "d,D,TRUE,Active,1"].join("\n");
    const products = parseShopifyCsv(text, { file: "x.csv" }).products;
    expect(products.map((p) => [p.handle, p.status, p.published])).toEqual([
      ["a", "draft", true],
      ["b", "active", false],
      ["c", "archived", true],
      ["d", "active", true],
    ]);
  });

  it("reads the newer template's header names", () => {
    const header = "Title,URL handle,Description,Vendor,Type,Tags,Published on online store,Status,SKU,Option1 name,Option1 value,Price,Compare-at price,Inventory tracker,Inventory quantity,Continue selling when out of stock,Product image URL,Image alt text";
    const text = [header, 'Wool Throw,wool-throw,<p>Warm.</p>,Harbor,Throws,home,TRUE,Active,WT-1,Colour,Oat,89.00,99.00,shopify,0,CONTINUE,https://cdn.example/t.jpg,Oat throw'].join("\n");
    const [p] = parseShopifyCsv(text, { file: "new.csv" }).products;
    expect(p).toMatchObject({ handle: "wool-throw", descriptionHtml: "<p>Warm.</p>", published: true, status: "active" });
    expect(p.variants[0]).toMatchObject({ sku: "WT-1", price: 89, compareAtPrice: 99, inventoryQuantity: 0, available: true, options: { Colour: "Oat" } });
    expect(p.images).toEqual([{ url: "https://cdn.example/t.jpg", altText: "Oat throw" }]);
  });

  it("GIVEN malformed rows WHEN parsed THEN each becomes an issue with its starting line and the rest imports", () => {
    const header = "Handle,Title,Body (HTML),Option1 Name,Option1 Value,Variant Price";
    const text = [
      header,
      'sock,Sock,"<p>Two',
      'lines</p>",Size,S,9.00',
      "sock,,,,M,nine", // line 4: bad price
      "ghost,,,,S,5", // line 5: unknown handle
      "sock,,,,L", // line 6: wrong column count
      "sock,,,,XL,9.50",
      "sock,,,,XL,9.50", // line 8: duplicate options
    ].join("\n");
    const batch = parseShopifyCsv(text, { file: "bad.csv" });
    expect(batch.issues.map((i) => [i.file, i.line])).toEqual([
      ["bad.csv", 4],
      ["bad.csv", 5],
      ["bad.csv", 6],
      ["bad.csv", 8],
    ]);
    expect(batch.issues[0].message).toMatch(/invalid price "nine"/);
    expect(batch.issues[2].message).toMatch(/5 columns but the header has 6/);
    expect(batch.products).toHaveLength(1);
    expect(batch.products[0].descriptionHtml).toBe("<p>Two\nlines</p>");
    expect(batch.products[0].variants.map((v) => v.title)).toEqual(["S", "XL"]);
  });

  it("reports a file that is not a product CSV", () => {
    const batch = parseShopifyCsv("sku,qty\nA,1\n", { file: "inv.csv" });
    expect(batch.products).toEqual([]);
    expect(batch.issues).toEqual([{ file: "inv.csv", line: 1, message: expect.stringMatching(/not a Shopify product CSV/) }]);
  });
});

describe("variant identity in a product CSV", () => {
  const header = "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant Price";
  const parse = (rows: string[]) => parseShopifyCsv([header, ...rows].join("\n"), { file: "v.csv" });

  it("GIVEN values that differ only in punctuation WHEN parsed THEN every variant is kept, each with its own id", () => {
    const batch = parse([
      "case,Phone Case,Model,Galaxy S20,Colour,Antique Black/Ivory,20",
      "case,,,Galaxy S20+,,Antique Black/Ivory,20",
      "case,,,Galaxy S20,,\"Antique Black, Ivory\",20",
      "case,,,Galaxy S20+,,\"Antique Black, Ivory\",20",
    ]);
    expect(batch.issues).toEqual([]);
    const variants = batch.products[0].variants;
    expect(variants.map((v) => v.title)).toEqual([
      "Galaxy S20 / Antique Black/Ivory",
      "Galaxy S20+ / Antique Black/Ivory",
      "Galaxy S20 / Antique Black, Ivory",
      "Galaxy S20+ / Antique Black, Ivory",
    ]);
    expect(new Set(variants.map((v) => v.id)).size).toBe(4);
  });

  it("GIVEN 27 variants whose values are single Arabic letters WHEN parsed THEN all 27 are kept", () => {
    const letters = [..."ابتثجحخدذرزسشصضطظعغفقكلمنهي"];
    expect(letters).toHaveLength(27);
    const batch = parse(letters.map((letter, i) => (i === 0 ? `necklace,قلادة الحروف,الحرف,${letter},,,350` : `necklace,,,${letter},,,350`)));
    expect(batch.issues).toEqual([]);
    const variants = batch.products[0].variants;
    expect(variants.map((v) => v.options["الحرف"])).toEqual(letters);
    expect(new Set(variants.map((v) => v.id)).size).toBe(27);
    expect(batch.products[0].options[0].values).toEqual(letters);
  });

  it("keeps values split differently across options apart", () => {
    const batch = parse(["tee,Tee,Colour,Red Dot,Size,M,10", "tee,,,Red,,Dot M,10"]);
    expect(batch.issues).toEqual([]);
    expect(new Set(batch.products[0].variants.map((v) => v.id)).size).toBe(2);
  });

  it("GIVEN two rows that Shopify treats as one variant WHEN parsed THEN the second is skipped and the issue names both lines", () => {
    const batch = parse(["tee,Tee,Colour,Red,Size,M,10", "tee,,,Navy,,M,10", "tee,,,red ,,m,12"]);
    expect(batch.products[0].variants.map((v) => v.title)).toEqual(["Red / M", "Navy / M"]);
    expect(batch.issues).toEqual([{ file: "v.csv", line: 4, code: "duplicate_variant", message: expect.stringContaining("line 4 has the same options as line 2") }]);
  });

  it("lists a value once per option when rows spell it in another case, as Shopify keeps one value", () => {
    const batch = parse(["tee,Tee,Colour,Red,Size,M,10", "tee,,,red,,L,10", "tee,,,Navy,,l,10"]);
    expect(batch.issues).toEqual([]);
    const tee = batch.products[0];
    expect(tee.options).toEqual([{ name: "Colour", values: ["Red", "Navy"] }, { name: "Size", values: ["M", "L"] }]);
    expect(tee.variants.map((v) => v.options)).toEqual([{ Colour: "Red", Size: "M" }, { Colour: "Red", Size: "L" }, { Colour: "Navy", Size: "L" }]);
  });

  it("keeps the readable ids of plain values and gives the same id to the same values on every import", () => {
    const rows = ["tee,Tee,Colour,Navy,Size,M,10", "tee,,,Black/Ivory,,M,10", "tee,,,أسود,,M,10"];
    const first = parse(rows).products[0].variants.map((v) => v.id);
    const again = parse([rows[0], rows[2], rows[1]]).products[0].variants.map((v) => v.id);
    expect(first[0]).toBe("tee:navy-m");
    expect(first[1]).toMatch(/^tee:black-ivory-m~[0-9a-f]{12}$/);
    expect(first[2]).toMatch(/^tee:أسود-m~[0-9a-f]{12}$/);
    expect([...again].sort()).toEqual([...first].sort());
  });

  it("GIVEN rows without a Handle whose titles slug alike WHEN parsed THEN they stay two products", () => {
    const text = ["Title,Option1 Name,Option1 Value,Variant Price", "Galaxy S20,Title,Default Title,5", "Galaxy S20+,Title,Default Title,6", "מחברת A5,Title,Default Title,7"].join("\n");
    const batch = parseShopifyCsv(text, { file: "t.csv" });
    expect(batch.issues).toEqual([]);
    expect(batch.products.map((p) => [p.handle, p.title])).toEqual([
      ["galaxy-s20", "Galaxy S20"],
      ["galaxy-s20-1", "Galaxy S20+"],
      ["מחברת-a5", "מחברת A5"],
    ]);
  });
});

describe("parseAmount", () => {
  it("reads plain and grouped amounts and rejects the rest", () => {
    expect([parseAmount("49.5"), parseAmount("1,199.00"), parseAmount("$12"), parseAmount("12,5"), parseAmount("-3"), parseAmount("")]).toEqual([
      49.5, 1199, 12, null, null, null,
    ]);
  });
});
