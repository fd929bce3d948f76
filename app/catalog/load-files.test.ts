import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBulkOperationOutput, loadCatalogFiles } from "./load-files";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "catalog-files-"));
  await mkdir(path.join(root, "store", "policies"), { recursive: true });
  await mkdir(path.join(root, "store", "pages"), { recursive: true });
  await writeFile(path.join(root, "store", "products.csv"), "Handle,Title,Variant Price\nmug,Mug,12\ncup,Cup,oops\n");
  await writeFile(
    path.join(root, "store", "rest.json"),
    JSON.stringify({ products: [{ id: 42, title: "Throw", handle: "throw", status: "active", published_at: "2025-01-01", variants: [{ id: 1, price: "80.00" }] }] }),
  );
  await writeFile(path.join(root, "store", "collections.json"), JSON.stringify({ collections: [{ id: 1, handle: "home", title: "Home comforts" }] }));
  await writeFile(path.join(root, "store", "collection_product_ids.json"), JSON.stringify({ home: [42] }));
  await writeFile(path.join(root, "store", "docs.jsonl"), '{"id":"d1","title":"Lookbook","text":"Autumn."}\n');
  await writeFile(path.join(root, "store", "bulk.jsonl"), '{"id":"gid://shopify/Product/11","handle":"bulk-tee","title":"Bulk Tee","status":"ACTIVE"}\n');
  await writeFile(path.join(root, "store", "policies", "refund-policy.md"), "# Refunds\n\n30 days.");
  await writeFile(path.join(root, "store", "policies", "shipping-policy.html"), "<h1>Shipping</h1><p>Fast.</p>");
  await writeFile(path.join(root, "store", "pages", "faq.md"), "# FAQ\n\n## Sizing\n\nTrue to size.");
  await writeFile(path.join(root, "store", "README.md"), "Not catalog content.");
  await writeFile(path.join(root, "store", "store.json"), '{"name":"Shop"}');
  await writeFile(path.join(root, "store", "logo.png"), "png");
  await writeFile(path.join(root, "store", ".DS_Store"), "x");
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("loadCatalogFiles", () => {
  it("GIVEN a folder of mixed files WHEN loaded THEN each goes to its parser and problems become issues", async () => {
    const batch = await loadCatalogFiles([path.join(root, "store")]);

    // "cup" has a bad price on its product row: the product stays, without that variant.
    expect(batch.products.map((p) => p.handle).sort()).toEqual(["bulk-tee", "cup", "mug", "throw"]);
    expect(batch.products.find((p) => p.handle === "cup")?.variants).toEqual([]);
    expect(batch.products.find((p) => p.handle === "throw")?.collections).toEqual(["Home comforts"]);
    expect(batch.policies.map((p) => p.type).sort()).toEqual(["refund", "shipping"]);
    expect(batch.pages.map((p) => p.url)).toEqual(["/pages/faq"]);
    expect(batch.documents.map((d) => d.id)).toEqual(["d1"]);

    // The bad CSV row and the unknown extension are reported; README, store.json and dot files are not content.
    expect(batch.issues.map((i) => [path.basename(i.file), i.line])).toEqual([
      ["logo.png", 0],
      ["products.csv", 3],
    ]);
    expect(batch.issues[0].message).toMatch(/Unsupported file type ".png"/);
  });

  it("stamps the shop currency on products when given one", async () => {
    const batch = await loadCatalogFiles([path.join(root, "store", "products.csv"), path.join(root, "store", "rest.json")], { currency: "USD" });
    expect(batch.products.map((p) => p.currency)).toEqual(["USD", "USD", "USD"]);
  });

  it("reports a path that does not exist and still loads the others", async () => {
    const batch = await loadCatalogFiles([path.join(root, "missing"), path.join(root, "store", "products.csv")]);
    expect(batch.products.map((p) => p.handle)).toEqual(["mug", "cup"]);
    expect(batch.issues[0]).toMatchObject({ file: path.join(root, "missing"), line: 0, message: expect.stringMatching(/no such file/) });
  });
});

describe("isBulkOperationOutput", () => {
  it("recognises gid ids and __parentId on the first record", () => {
    expect(isBulkOperationOutput('\n{"id":"gid://shopify/Product/1"}')).toBe(true);
    expect(isBulkOperationOutput('{"id":"v","__parentId":"p"}')).toBe(true);
    expect(isBulkOperationOutput('{"id":"doc-1","title":"t","text":"x"}')).toBe(false);
  });
});
