/**
 * The Universal Sentence Encoder Lite tokenizer (SentencePiece unigram, Viterbi over the
 * vocabulary's log-probabilities), giving the same token ids as the one that ships with
 * @energetic-ai/embeddings. That one copies the rest of the text at every position, which
 * is quadratic in its length and cost as much as the model on long product descriptions;
 * this one walks the trie from each position in place, so it is linear for a bounded
 * longest piece.
 */

/** One vocabulary entry as model-embeddings-en ships it: [piece, log-probability]. */
export type VocabularyEntry = [string, number];

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Vocabulary index when a piece ends here, else -1. */
  index: number;
  score: number;
  /** Length of the piece in code points. */
  length: number;
}

const SEPARATOR = "\u2581";
/** Control symbols at the head of the vocabulary that never match text (as the shipped tokenizer). */
const RESERVED_SYMBOLS = 6;
const UNKNOWN = 0;

function newNode(): TrieNode {
  return { children: new Map(), index: -1, score: 0, length: 0 };
}

export interface SentencePieceTokenizer {
  encode(text: string): number[];
}

export function createSentencePieceTokenizer(vocabulary: VocabularyEntry[]): SentencePieceTokenizer {
  const root = newNode();
  for (let i = RESERVED_SYMBOLS; i < vocabulary.length; i++) {
    const symbols = Array.from(vocabulary[i][0]);
    let node = root;
    for (const symbol of symbols) {
      let next = node.children.get(symbol);
      if (!next) {
        next = newNode();
        node.children.set(symbol, next);
      }
      node = next;
    }
    node.index = i;
    node.score = vocabulary[i][1];
    node.length = symbols.length;
  }

  return {
    encode(text) {
      const normalized = text.normalize("NFKC");
      if (normalized.length === 0) return [];
      const symbols = Array.from(SEPARATOR + normalized.replace(/ /g, SEPARATOR));
      const n = symbols.length;
      // Pieces ending at each position, in order of their start: the order in which the
      // shipped tokenizer breaks ties (a later candidate with an equal score wins).
      const endingAt: { start: number; score: number; index: number }[][] = Array.from({ length: n + 1 }, () => []);
      for (let start = 0; start < n; start++) {
        let node = root.children.get(symbols[start]);
        let matched = false;
        for (let k = start; node; k++) {
          if (node.index >= 0) {
            endingAt[start + node.length].push({ start, score: node.score, index: node.index });
            matched = true;
          }
          node = k + 1 < n ? node.children.get(symbols[k + 1]) : undefined;
        }
        if (!matched) endingAt[start + 1].push({ start, score: 0, index: UNKNOWN });
      }
      const best = new Float64Array(n + 1);
      const words = new Int32Array(n + 1);
      for (let end = 0; end <= n; end++) {
        for (const piece of endingAt[end]) {
          const score = piece.score + best[piece.start];
          if (best[end] === 0 || score >= best[end]) {
            best[end] = score;
            words[end] = piece.index;
          }
        }
      }
      // Walks back by the piece's length in UTF-16 units, exactly as the shipped tokenizer
      // does (it differs from code points only outside the Basic Multilingual Plane).
      const reversed: number[] = [];
      for (let at = n; at > 0; at -= vocabulary[words[at]][0].length) reversed.push(words[at]);
      const ids: number[] = [];
      let previousUnknown = false;
      for (const id of reversed) {
        if (!(previousUnknown && id === UNKNOWN)) ids.push(id);
        previousUnknown = id === UNKNOWN;
      }
      return ids.reverse();
    },
  };
}
