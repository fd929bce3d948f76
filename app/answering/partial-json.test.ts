import { describe, expect, it } from "vitest";
import { extractPartialStringField } from "./partial-json";

describe("extractPartialStringField", () => {
  const full = JSON.stringify({
    answer: 'Yes: the "Alpine" shell is waterproof.\nSizes S–XL. 🌧️ \\o/',
    citation_ids: ["S1"],
    product_handles: [],
    refused: false,
  });

  it("reads a complete field", () => {
    expect(extractPartialStringField(full, "answer")).toEqual({ value: JSON.parse(full).answer, complete: true });
  });

  it("returns a growing prefix of the final value at every cut point", () => {
    // GIVEN the object arriving one character at a time
    const finalValue = JSON.parse(full).answer as string;
    let previous = "";
    for (let cut = 0; cut <= full.length; cut++) {
      const partial = extractPartialStringField(full.slice(0, cut), "answer");
      const value = partial?.value ?? "";
      // THEN every reading extends the last one and is a prefix of the final answer
      expect(finalValue.startsWith(value)).toBe(true);
      expect(value.startsWith(previous)).toBe(true);
      previous = value;
    }
    expect(previous).toBe(finalValue);
  });

  it("holds back an escape split across chunks", () => {
    expect(extractPartialStringField('{"answer": "line\\', "answer")).toEqual({ value: "line", complete: false });
    expect(extractPartialStringField('{"answer": "caf\\u00', "answer")).toEqual({ value: "caf", complete: false });
    expect(extractPartialStringField('{"answer": "caf\\u00e9', "answer")).toEqual({ value: "café", complete: false });
    // the high half of an escaped emoji waits for its low half
    expect(extractPartialStringField('{"answer": "hi \\ud83c', "answer")).toEqual({ value: "hi ", complete: false });
  });

  it("finds the field after other keys, ignoring look-alikes nested or inside strings", () => {
    const text = '{"note": "the \\"answer\\": \\"no\\"", "meta": {"answer": "nested"}, "list": ["answer"], "answer": "top lev';
    expect(extractPartialStringField(text, "answer")).toEqual({ value: "top lev", complete: false });
  });

  it("gives nothing until the value has started, or when it is not a string", () => {
    expect(extractPartialStringField("", "answer")).toBeUndefined();
    expect(extractPartialStringField('{"answ', "answer")).toBeUndefined();
    expect(extractPartialStringField('{"answer"', "answer")).toBeUndefined();
    expect(extractPartialStringField('{"answer": ', "answer")).toBeUndefined();
    expect(extractPartialStringField('{"answer": null}', "answer")).toBeUndefined();
    expect(extractPartialStringField('{"refused": true}', "answer")).toBeUndefined();
  });

  it("tolerates text before the object (a code fence from a lenient server)", () => {
    expect(extractPartialStringField('```json\n{"answer": "ok', "answer")).toEqual({ value: "ok", complete: false });
  });
});
