/**
 * Reads one top-level string field out of a JSON object that is still arriving, so a streamed
 * structured answer can be shown to the shopper while the rest of the object is generated.
 * Pure; tolerant of any cut point: an escape sequence or surrogate pair split across chunks is
 * held back until it is complete, so each result is a prefix of the final value.
 */

export interface PartialStringField {
  value: string;
  /** The closing quote has arrived. */
  complete: boolean;
}

export function extractPartialStringField(text: string, field: string): PartialStringField | undefined {
  const start = text.indexOf("{");
  if (start < 0) return undefined;
  let i = start + 1;
  let depth = 1;
  let expectingKey = true;
  while (i < text.length && depth > 0) {
    const char = text[i];
    if (char === '"') {
      const read = readString(text, i);
      if (depth === 1 && expectingKey) {
        if (!read.complete) return undefined;
        let j = skipWhitespace(text, read.end);
        if (j >= text.length || text[j] !== ":") return undefined;
        j = skipWhitespace(text, j + 1);
        if (read.value === field) {
          if (j >= text.length || text[j] !== '"') return undefined;
          const value = readString(text, j);
          return { value: value.value, complete: value.complete };
        }
        expectingKey = false;
        i = j;
        continue;
      }
      if (!read.complete) return undefined;
      i = read.end;
      continue;
    }
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    else if (char === "," && depth === 1) expectingKey = true;
    i++;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Decodes the JSON string starting at the quote at `quote`; `end` is the index after its closing quote. */
function readString(text: string, quote: number): { value: string; complete: boolean; end: number } {
  let value = "";
  let i = quote + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') return { value, complete: true, end: i + 1 };
    if (char !== "\\") {
      value += char;
      i++;
      continue;
    }
    const escape = text[i + 1];
    if (escape === undefined) break; // the escape's second half has not arrived
    if (escape === "u") {
      const hex = text.slice(i + 2, i + 6);
      if (hex.length < 4) break;
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        i += 6; // malformed; a full parse will reject it later
        continue;
      }
      value += String.fromCharCode(parseInt(hex, 16));
      i += 6;
      continue;
    }
    value += SIMPLE_ESCAPES[escape] ?? escape;
    i += 2;
  }
  // Unterminated: hold back half of a surrogate pair so no partial character is shown.
  if (value.length > 0 && isHighSurrogate(value.charCodeAt(value.length - 1))) value = value.slice(0, -1);
  return { value, complete: false, end: text.length };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  return i;
}
