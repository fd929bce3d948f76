import { describe, expect, it } from "vitest";
import { parseGenericJsonl } from "./generic-jsonl";

describe("parseGenericJsonl", () => {
  it("imports documents and reports each bad line with its number", () => {
    const text = [
      '{"id":"care-1","title":"Washing wool","text":"Cold, by hand.","productHandle":"merino-crew"}',
      "",
      "{not json",
      '{"id":2,"title":"Lookbook","text":"Autumn looks.","url":"/blogs/news/lookbook"}',
      '{"id":"x","title":"No text"}',
      '["an array"]',
      '{"id":"care-1","title":"Again","text":"dup"}',
    ].join("\n");
    const batch = parseGenericJsonl(text, { file: "docs.jsonl" });
    expect(batch.documents.map((d) => [d.id, d.title, d.url, d.productHandle])).toEqual([
      ["care-1", "Washing wool", null, "merino-crew"],
      ["2", "Lookbook", "/blogs/news/lookbook", null],
    ]);
    expect(batch.issues.map((i) => i.line)).toEqual([3, 5, 6, 7]);
    expect(batch.issues[1].message).toMatch(/Missing text/);
  });
});
