/**
 * Client-side BM25-style sparse vectors for stores without a built-in full-text index
 * (Qdrant). Documents and queries share one tokenizer; token ids are 32-bit hashes so
 * no vocabulary has to be stored. The store applies IDF (Qdrant's `modifier: "idf"`).
 */
import { foldForMatching, tokenize } from "../retrieval/text";

/** Words too common to rank by; both stores drop them from queries so they rank alike. */
export const STOPWORDS = new Set(
  "a an and are as at be by can do does for from has have how i in is it its me my of on or our so that the this to was we what with you your".split(
    " ",
  ),
);

const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** Typical chunk length in tokens; only shapes how fast long chunks are damped. */
const BM25_AVERAGE_LENGTH = 150;

export interface SparseVector {
  indices: number[];
  values: number[];
}

/**
 * Lowercase words without Latin accents or stopwords, plurals folded ("jackets" ->
 * "jacket"), cut as every search here cuts text (retrieval/text.ts): CJK runs as
 * characters and pairs, Arabic and Hebrew without their optional vowel marks.
 */
export function tokenizeForSparse(text: string): string[] {
  const unaccented = text.normalize("NFKD").replace(/[\u0300-\u036f]+/g, "").normalize("NFC");
  const tokens: string[] = [];
  for (const word of tokenize(foldForMatching(unaccented))) {
    if (STOPWORDS.has(word)) continue;
    tokens.push(foldPlural(word));
  }
  return tokens;
}

function foldPlural(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** FNV-1a, 32 bits: stable across processes and languages. */
export function hashToken(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Term frequencies saturated BM25-style and damped by length; IDF is left to the store. */
export function embedSparseDocument(text: string): SparseVector {
  const tokens = tokenizeForSparse(text);
  const counts = countByHash(tokens);
  const lengthNorm = 1 - BM25_B + BM25_B * (tokens.length / BM25_AVERAGE_LENGTH);
  return toSparse(counts, (tf) => (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * lengthNorm));
}

/** Each distinct query token weighs 1: the document side carries the term statistics. */
export function embedSparseQuery(text: string): SparseVector {
  return toSparse(countByHash(tokenizeForSparse(text)), () => 1);
}

function countByHash(tokens: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  // Colliding tokens share a dimension; Qdrant requires unique indices.
  for (const token of tokens) {
    const id = hashToken(token);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function toSparse(counts: Map<number, number>, weigh: (tf: number) => number): SparseVector {
  const indices = [...counts.keys()].sort((a, b) => a - b);
  return { indices, values: indices.map((i) => weigh(counts.get(i)!)) };
}
