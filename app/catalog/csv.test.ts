import { describe, expect, it } from "vitest";
import { readCsvRecords } from "./csv";

describe("readCsvRecords", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, keeping each record's first line", () => {
    const text = '\ufeffa,b,c\r\n1,"two, too","say ""hi"""\r\n3,"multi\nline\nfield",x\n4,,\n';
    const { records, error } = readCsvRecords(text);
    expect(error).toBeNull();
    expect(records.map((r) => r.fields)).toEqual([
      ["a", "b", "c"],
      ["1", "two, too", 'say "hi"'],
      ["3", "multi\nline\nfield", "x"],
      ["4", "", ""],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 6]);
  });

  it("skips blank lines and reads a last record without a trailing newline", () => {
    const { records } = readCsvRecords("h\n\nx\n\ny");
    expect(records.map((r) => [r.fields[0], r.line])).toEqual([["h", 1], ["x", 3], ["y", 5]]);
  });

  it("reports an unclosed quote with the line its record starts on and keeps earlier records", () => {
    const { records, error } = readCsvRecords('h,i\nok,1\nbad,"never closed\nmore');
    expect(records).toHaveLength(2);
    expect(error?.line).toBe(3);
  });
});
