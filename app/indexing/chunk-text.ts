/**
 * Shared pieces of the chunkers: paragraph packing, Markdown sections with
 * their heading path and anchor, stable ids and content hashes.
 */
import { createHash } from "node:crypto";
import { slugify } from "../catalog/slug";
import { SENTENCE_END } from "../retrieval/text";
import type { SourceType } from "../catalog/types";
import type { ChunkFields, IndexChunk } from "../stores/types";

/** About how long a chunk's body may grow before it is split (characters). */
export const TARGET_CHUNK_CHARS = 1000;

export function chunkId(sourceType: SourceType, sourceId: string, n: number): string {
  return `${sourceType}:${sourceId}:${n}`;
}

/** sha256 over text, title, url and the fields (keys sorted, so equal fields hash equally). */
export function hashChunkContent(text: string, title: string, url: string, fields: ChunkFields): string {
  return createHash("sha256")
    .update(text)
    .update("\u0000")
    .update(title)
    .update("\u0000")
    .update(url)
    .update("\u0000")
    .update(stableStringify(fields))
    .digest("hex");
}

export function buildChunk(
  parts: Omit<IndexChunk, "id" | "contentHash">,
  n: number,
): IndexChunk {
  return {
    id: chunkId(parts.sourceType, parts.sourceId, n),
    ...parts,
    contentHash: hashChunkContent(parts.text, parts.title, parts.url, parts.fields),
  };
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Packs paragraphs into pieces of at most `max` characters, never splitting a
 * paragraph unless it alone is too long (then on sentences, then on words).
 */
export function packParagraphs(paragraphs: string[], max = TARGET_CHUNK_CHARS): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const paragraph of paragraphs.flatMap((p) => (p.length > max ? splitLong(p, max) : [p]))) {
    if (current && current.length + 2 + paragraph.length > max) {
      pieces.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${paragraph}` : paragraph;
  }
  if (current) pieces.push(current);
  return pieces;
}

// A sentence with its closing marks and following space, in any script's punctuation.
const SENTENCE_PIECE = new RegExp(`[^${SENTENCE_END}\\n]+(?:[${SENTENCE_END}]+["'»”’)\\]\u300d\u300f\uff09]*|\\n|$)\\s*`, "gu");

function splitLong(paragraph: string, max: number): string[] {
  const sentences = paragraph.match(SENTENCE_PIECE) ?? [paragraph];
  const out: string[] = [];
  let current = "";
  const push = () => {
    if (current.trim()) out.push(current.trim());
    current = "";
  };
  for (const sentence of sentences) {
    if (sentence.length > max) {
      push();
      let rest = sentence.trim();
      while (rest.length > max) {
        const cut = rest.lastIndexOf(" ", max);
        const at = cut > max / 2 ? cut : max;
        out.push(rest.slice(0, at).trim());
        rest = rest.slice(at).trim();
      }
      current = rest ? `${rest} ` : "";
      continue;
    }
    if (current.length + sentence.length > max) push();
    current += sentence;
  }
  push();
  return out;
}

export interface MarkdownSection {
  /** Headings from the top down, not including the document title. */
  headings: string[];
  /** Anchor slug of the deepest heading; "" for text before the first heading. */
  anchor: string;
  body: string;
}

/**
 * Splits Markdown on ATX headings (#..######). A level-1 heading that opens the
 * document is its title and is not repeated in every path.
 */
export function splitMarkdownSections(markdown: string): MarkdownSection[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const sections: MarkdownSection[] = [];
  const stack: { level: number; text: string }[] = [];
  const usedAnchors = new Map<string, number>();
  let current: MarkdownSection = { headings: [], anchor: "", body: "" };
  let buffer: string[] = [];
  let seenContent = false;
  let inFence = false;

  const flush = () => {
    current.body = buffer.join("\n").trim();
    if (current.body) sections.push(current);
    buffer = [];
  };

  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) {
      if (line.trim()) seenContent = true;
      buffer.push(line);
      continue;
    }
    const level = heading[1].length;
    const text = heading[2].replace(/\*\*|__|`/g, "").trim();
    flush();
    if (level === 1 && !seenContent && stack.length === 0 && sections.length === 0) {
      // The document's own title.
      seenContent = true;
      current = { headings: [], anchor: "", body: "" };
      continue;
    }
    seenContent = true;
    while (stack.length > 0 && stack[stack.length - 1].level >= level) stack.pop();
    stack.push({ level, text });
    current = { headings: stack.map((h) => h.text), anchor: uniqueAnchor(text, usedAnchors), body: "" };
  }
  flush();
  return sections;
}

function uniqueAnchor(heading: string, used: Map<string, number>): string {
  const base = slugify(heading) || "section";
  const count = used.get(base) ?? 0;
  used.set(base, count + 1);
  return count === 0 ? base : `${base}-${count + 1}`;
}

/**
 * Chunks a titled Markdown document by section: each chunk starts with its
 * heading path ("Refund policy > Sale items") so it stands alone, and links to
 * the section's anchor.
 */
export function chunkSections(input: {
  sourceType: SourceType;
  sourceId: string;
  title: string;
  baseUrl: string;
  markdown: string;
  fields: ChunkFields;
}): IndexChunk[] {
  const chunks: IndexChunk[] = [];
  for (const section of splitMarkdownSections(input.markdown)) {
    const path = [input.title, ...section.headings].join(" > ");
    const url = section.anchor ? `${input.baseUrl}#${section.anchor}` : input.baseUrl;
    for (const piece of packParagraphs(splitParagraphs(section.body), TARGET_CHUNK_CHARS)) {
      chunks.push(
        buildChunk(
          { sourceType: input.sourceType, sourceId: input.sourceId, title: path, url, text: `${path}\n\n${piece}`, fields: input.fields },
          chunks.length,
        ),
      );
    }
  }
  return chunks;
}
