/**
 * Phase 2, brand voice: the shapes the core passes around, and its small ports.
 * Facts stay in retrieval; the voice model only learns how the store writes.
 */
import type { CatalogProduct } from "../../catalog/types";

/** One chat fine-tuning example, as every trainer reads it (one JSON object per JSONL line). */
export interface ChatExample {
  messages: [{ role: "system"; content: string }, { role: "user"; content: string }, { role: "assistant"; content: string }];
}

export interface VoiceExample {
  productId: string;
  handle: string;
  title: string;
  example: ChatExample;
  /** Tokens of the whole example (o200k_base, with the chat framing). */
  tokens: number;
}

export interface DatasetNote {
  handle: string;
  /** A sentence the merchant can act on. */
  reason: string;
  code: DatasetNoteCode;
}

export type DatasetNoteCode =
  | "excluded"
  | "empty_copy"
  | "no_facts"
  | "too_long"
  | "duplicate"
  | "near_duplicate"
  | "scrubbed_contact"
  | "unbacked_claim"
  | "unknown_pin";

/** Where the ranking of "best copy" came from, said to the merchant in `note`. */
export type RankingSource = "orders" | "merchant-picks" | "catalog";

/** Units sold per product over a window, from orders' line items (product ids and quantities only). */
export interface SalesRanking {
  windowDays: number;
  orders: number;
  /** Product id (numeric part) -> units sold. */
  units: Record<string, number>;
  fetchedAt: string;
}

export interface DatasetSide {
  handles: string[];
  tokens: number;
}

export interface DatasetError {
  code: "missing_brief" | "too_few_examples" | "brief_too_long";
  message: string;
}

export interface VoiceDatasetResult {
  ok: boolean;
  /** Examples kept (train + validation). */
  examples: number;
  train: DatasetSide;
  validation: DatasetSide;
  flagged: DatasetNote[];
  dropped: DatasetNote[];
  /** Informational notes (e.g. contact details scrubbed) that neither drop nor flag. */
  notes: DatasetNote[];
  ranking: { source: RankingSource; note: string };
  /** Why the dataset cannot be used; empty when ok. Nothing is written or uploaded unless ok. */
  errors: DatasetError[];
  /** Advice that does not block, e.g. "50 or more examples teach the voice better". */
  advice: string[];
  trainExamples: VoiceExample[];
  validationExamples: VoiceExample[];
}

export interface DatasetOptions {
  brief: string;
  products: CatalogProduct[];
  sales?: SalesRanking | null;
  /** Why orders could not be read (missing scope, too few orders), said in the ranking note. */
  salesUnavailable?: string | null;
  pins?: string[];
  excludes?: string[];
  /** At most this many products are used (the best-ranked first). */
  maxExamples?: number;
  /** Orders needed before sales decide the ranking. */
  minOrders?: number;
  maxExampleTokens?: number;
  validationShare?: number;
  /** Flagged examples (copy stating facts the product data lacks) are left out of training. */
  dropFlagged?: boolean;
}

/** A claim in generated or merchant copy that the product's facts do not back. */
export interface UnbackedClaim {
  kind: "number" | "size" | "material" | "colour" | "price" | "day_count";
  /** The words as written in the copy, for highlighting. */
  text: string;
  sentence: string;
}

export interface StyleStats {
  words: number;
  sentences: number;
  /** Mean words per sentence. */
  sentenceLength: number;
  /** A Flesch-Kincaid grade for Latin scripts; characters per word scaled alike elsewhere. */
  readingLevel: number;
  /** Distinct words over the square root of words (root type-token ratio). */
  vocabulary: number;
  paragraphs: number;
  listItems: number;
  emphasis: number;
}

export interface VoiceScore {
  /** Cosine similarity of the local embeddings of candidate and merchant copy (0..1). */
  similarity: number;
  /** Closeness of style statistics (0..1, 1 = the same). */
  style: number;
  /** The voice measure: the mean of similarity and style. */
  score: number;
  stats: StyleStats;
}

/** Sends a product's description to the store (Admin GraphQL productUpdate). */
export interface ProductCopyWriter {
  updateDescription(productId: string, html: string): Promise<void>;
}

export class VoiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "VoiceError";
  }
}
