/**
 * Small text helpers shared by query understanding, reranking and the local
 * answerer. Pure; no I/O.
 */

const STOP_WORDS = new Set(
  (
    "a an the and or but if of to in on at for with without from by about as into onto over under " +
    "is are was were be been being am do does did doing done have has had having can could will would " +
    "shall should may might must it its it's this that these those there here what which who whom whose " +
    "when where why how i me my mine we us our you your yours he him his she her they them their " +
    "any some all each every no not nor so than too very just also only own same such more most " +
    "up down out off again further then once please tell know want like get got come comes " +
    "s t d ll m re ve y"
  ).split(/\s+/),
);

/** Lowercase word tokens (letters and digits, accents kept). */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 0);
}

/** Tokens minus stop words, lightly stemmed so "sizes" meets "size". */
export function contentTokens(text: string): string[] {
  return tokenize(text)
    .filter((t) => !STOP_WORDS.has(t))
    .map(stem);
}

/** A deliberately tiny English stemmer: plural and -ing/-ed endings only. */
export function stem(token: string): string {
  if (token.length <= 3 || /\d/.test(token)) return token;
  if (token.endsWith("ies") && token.length > 4) return token.slice(0, -3) + "y";
  if (token.endsWith("sses")) return token.slice(0, -2);
  if (token.endsWith("es") && /(ch|sh|x|z|ss)es$/.test(token)) return token.slice(0, -2);
  if (token.endsWith("s") && !token.endsWith("ss") && !token.endsWith("us") && !token.endsWith("is")) return token.slice(0, -1);
  if (token.endsWith("ing") && token.length > 5) return token.slice(0, -3);
  if (token.endsWith("ed") && token.length > 4) return token.slice(0, -2);
  return token;
}

/** Split prose into sentences; keeps list items and headings as their own units. */
export function splitSentences(text: string): string[] {
  return text
    .replace(/\r/g, "")
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z0-9"'([*_-])/u)
    .map((s) => s.replace(/^[\s>*#_-]+/, "").replace(/[*_`]+/g, "").replace(/\s+/g, " ").trim())
    .filter((s) => s.length > 1);
}

/** Share of the query's content tokens found in the text (0..1). */
export function lexicalOverlap(queryTokens: string[], text: string | string[]): number {
  if (queryTokens.length === 0) return 0;
  const have = new Set(Array.isArray(text) ? text : contentTokens(text));
  const unique = [...new Set(queryTokens)];
  let hits = 0;
  for (const t of unique) if (have.has(t)) hits++;
  return hits / unique.length;
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whole-word (token-boundary) test, case-insensitive. */
export function containsPhrase(text: string, phrase: string): boolean {
  const p = phrase.trim();
  if (!p) return false;
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(p)}($|[^\\p{L}\\p{N}])`, "iu").test(text);
}

/**
 * Text written to steer a model rather than to describe a product. The local
 * answerer never quotes such sentences, and they carry no facts.
 */
export function looksLikeInstruction(sentence: string): boolean {
  return /\b(ignore|disregard|forget)\b.{0,40}\b(instruction|previous|above|prompt|rules)|\b(system prompt|you are now|act as|pretend to be|say (that )?everything)\b/i.test(
    sentence,
  );
}
