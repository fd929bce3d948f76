import { describe, expect, it } from "vitest";
import { chunkDocument } from "./chunk-document";
import { chunkPage } from "./chunk-page";

describe("chunkPage", () => {
  it("chunks a page by section under /pages/<handle>#anchor", () => {
    const chunks = chunkPage({
      id: "size-guide",
      handle: "size-guide",
      title: "Size guide",
      body: "How to measure.\n\n## Tall sizes\n\nFor 6'1\" and over.\n\n## Petite sizes\n\nFor 5'3\" and under.",
      url: "/pages/size-guide",
      published: true,
      updatedAt: "2025-01-01T00:00:00.000Z",
    });
    expect(chunks.map((c) => [c.id, c.title, c.url])).toEqual([
      ["page:size-guide:0", "Size guide", "/pages/size-guide"],
      ["page:size-guide:1", "Size guide > Tall sizes", "/pages/size-guide#tall-sizes"],
      ["page:size-guide:2", "Size guide > Petite sizes", "/pages/size-guide#petite-sizes"],
    ]);
    expect(chunks[1].fields).toEqual({});
  });
});

describe("chunkDocument", () => {
  it("links a product document to its product and carries the handle", () => {
    const [chunk] = chunkDocument({ id: "d1", title: "Caring for wool", text: "Hand wash cold.", url: null, productHandle: "merino-crew", updatedAt: "x" });
    expect(chunk).toMatchObject({ id: "document:d1:0", url: "/products/merino-crew", fields: { productHandle: "merino-crew" }, text: "Caring for wool\n\nHand wash cold." });
  });

  it("keeps its own url when given one", () => {
    const [chunk] = chunkDocument({ id: "d2", title: "Lookbook", text: "Autumn.", url: "/blogs/news/lookbook", productHandle: null, updatedAt: "x" });
    expect(chunk.url).toBe("/blogs/news/lookbook");
    expect(chunk.fields).toEqual({});
  });
});
