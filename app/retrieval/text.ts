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

/**
 * Scripts written without spaces between words. A run of them is matched by its
 * characters and its overlapping character pairs ("防水夹克" -> 防 防水 水 水夹 夹 夹克 克),
 * as CJK search engines do without a dictionary: a word of any length inside the text
 * shares its characters and pairs with the query, and more shared pairs rank higher.
 */
const UNSPACED_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]+/gu;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Lowercase word tokens in any script: NFKC (full-width letters and digits become
 * ordinary ones), marks kept inside their word (Devanagari vowel signs, Hebrew points),
 * runs of Han, Hiragana and Katakana as their characters and character pairs.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.normalize("NFKC").toLowerCase().match(WORD) ?? []) {
    if (!/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(word)) {
      tokens.push(word);
      continue;
    }
    // Mixed words ("t恤", "ipad保护套") keep their Latin and digit parts as words.
    let last = 0;
    for (const run of word.matchAll(UNSPACED_RUN)) {
      if (run.index > last) tokens.push(word.slice(last, run.index));
      tokens.push(...characterPairs(run[0]));
      last = run.index + run[0].length;
    }
    if (last < word.length) tokens.push(word.slice(last));
  }
  return tokens;
}

function characterPairs(run: string): string[] {
  const chars = [...run];
  const tokens: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    tokens.push(chars[i]);
    if (i + 1 < chars.length) tokens.push(chars[i] + chars[i + 1]);
  }
  return tokens;
}

/**
 * Text as search compares it: Arabic short vowels, tanwin and tatweel and Hebrew points
 * are optional in writing (a shopper rarely types them), so they are left out on both
 * sides of a match; the Arabic spellings people use interchangeably are matched as one
 * (alef with or without hamza or madda, final ى and ي, ة and ه), as Arabic search engines
 * normalise them. Letters are never dropped. Option values are not compared this way.
 */
export function foldForMatching(text: string): string {
  return text
    .replace(/\u0640/g, "")
    .replace(/\p{Mn}/gu, (mark) => (isOptionalMark(mark.codePointAt(0)!) ? "" : mark))
    .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
    .replace(/\u0649/g, "\u064a")
    .replace(/\u0629/g, "\u0647");
}

function isOptionalMark(code: number): boolean {
  return (
    (code >= 0x0610 && code <= 0x061a) || // Arabic honorifics and small letters above
    (code >= 0x064b && code <= 0x065f) || // Arabic harakat, tanwin, shadda, sukun
    code === 0x0670 || // Arabic superscript alef
    (code >= 0x06d6 && code <= 0x06ed) || // Quranic annotation marks
    (code >= 0x0591 && code <= 0x05c7) // Hebrew cantillation and points
  );
}

/** Tokens minus stop words, lightly stemmed so "sizes" meets "size". */
export function contentTokens(text: string): string[] {
  return tokenize(foldForMatching(text))
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

/**
 * What ends a sentence: Latin . ! ?, the ideographic and full-width stops of Chinese and
 * Japanese, the Arabic question mark and full stop, and the Devanagari danda.
 */
export const SENTENCE_END = ".!?\u3002\uff01\uff1f\uff0e\u061f\u06d4\u0964\u0965";
// Stops that need no space after them (CJK writes none) and those that do (a decimal point must not split).
const SPACELESS_END = "\u3002\uff01\uff1f\uff0e";

/** Split prose into sentences; keeps list items and headings as their own units. */
export function splitSentences(text: string): string[] {
  // After a Latin stop the next sentence starts with a capital, a digit, an opening mark or
  // a letter of a script without case (Arabic, Hebrew, CJK); after a CJK stop, at once.
  const boundary = new RegExp(
    `\\n+|(?<=[${SENTENCE_END}])\\s+(?=[\\p{Lu}\\p{Lo}0-9"'([*_\u00ab\u201c-])|(?<=[${SPACELESS_END}])(?=[^\\s${SPACELESS_END}"'\u300d\u300f)\uff09])`,
    "u",
  );
  return text
    .replace(/\r/g, "")
    .split(boundary)
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

const UNSPACED_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Whole-word (token-boundary) test, case-insensitive, on text composed alike (NFC). A mark
 * belongs to its word; a side of the phrase in a script written without spaces (CJK)
 * needs no boundary, since there words touch.
 */
export function containsPhrase(text: string, phrase: string): boolean {
  const p = phrase.trim().normalize("NFC");
  if (!p) return false;
  const chars = [...p];
  const open = UNSPACED_CHAR.test(chars[0]) ? "" : "(^|[^\\p{L}\\p{N}\\p{M}])";
  const close = UNSPACED_CHAR.test(chars[chars.length - 1]) ? "" : "($|[^\\p{L}\\p{N}\\p{M}])";
  return new RegExp(`${open}${escapeRegExp(p)}${close}`, "iu").test(text.normalize("NFC"));
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
