/** The answer shape shared by the storefront, the playground, the CLI's --json and the logs. */

export type Intent =
  | "product_fact"
  | "availability"
  | "recommendation"
  | "comparison"
  | "policy"
  | "off_topic"
  | "order_status"
  /** "Which of your dresses come in size 8?": every product meeting the constraints. */
  | "listing";

export interface Citation {
  id: string;
  type: "product" | "policy" | "page" | "document";
  title: string;
  url: string;
}

export interface ProductCardVariant {
  id: string;
  title: string;
  available: boolean;
  price: number;
  options: Record<string, string>;
}

export interface ProductCard {
  handle: string;
  title: string;
  url: string;
  price: number;
  compareAtPrice?: number | null;
  imageUrl?: string | null;
  available: boolean;
  variants: ProductCardVariant[];
}

export interface AnswerUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
}

export interface AnswerResult {
  answer: string;
  refused: boolean;
  intent: Intent;
  citations: Citation[];
  products: ProductCard[];
  /** Side-by-side attributes for comparisons: header row then one row per attribute. */
  comparison?: { columns: string[]; rows: { attribute: string; values: string[] }[] };
  /**
   * Listing questions: every product handle meeting the constraints (all of them, not only the
   * cards shown). Complementary recommendations: the handles recommended.
   */
  matches?: { total: number; handles: string[] };
  usage: AnswerUsage;
}

/** A retrieved source as the answerer sees it: numbered, with structured facts. */
export interface AnswerSource {
  /** Citation id shown to the model and validated afterwards, e.g. "S1". */
  id: string;
  type: Citation["type"];
  title: string;
  url: string;
  text: string;
  score: number;
  /** Present for product sources: the facts claims are checked against. */
  product?: import("../catalog/types").CatalogProduct;
  policyType?: string;
}

export interface AnswerRequest {
  shop: string;
  question: string;
  intent: Intent;
  sources: AnswerSource[];
  locale: string;
  /** Handle of the product the shopper is looking at, if any. */
  productHandle?: string;
  storeContact: { email?: string; url?: string };
  /** Set on the one retry after a failed validation: what was wrong. */
  validationFeedback?: string;
  /** The store's name, for handoffs ("contact Northwind Outfitters at ..."). */
  storeName?: string;
  /** What query understanding read from the question (constraints, region, aspect). */
  understanding?: import("../retrieval/understand-query").QueryUnderstanding;
  /** Listings and complements: every product meeting the constraints; the sources hold the first few. */
  matches?: AnswerResult["matches"];
  /**
   * A replay (the phase 3 gate): the exact messages an LLM answerer sends instead of building them,
   * the teacher's stored prompt, so a student is judged on what the teacher was asked, whatever its own
   * store name, tone or length settings. The other fields still serve answerers that read them.
   */
  promptMessages?: import("../providers/types").ChatMessage[];
}

/** What an answerer produces before validation. */
export interface DraftAnswer {
  answer: string;
  citationIds: string[];
  productHandles: string[];
  refused: boolean;
  usage: { model: string; inputTokens: number; outputTokens: number };
  /** Side-by-side table for comparisons (same shape as AnswerResult.comparison). */
  comparison?: AnswerResult["comparison"];
  /** The exact messages an LLM answerer sent (kept as a distillation trace); absent for the local answerer. */
  prompt?: import("../providers/types").ChatMessage[];
}

export interface Answerer {
  readonly id: string;
  answer(request: AnswerRequest, options?: { abortSignal?: AbortSignal }): Promise<DraftAnswer>;
  /** Streams text deltas, then the complete draft. */
  stream?(request: AnswerRequest, options?: { abortSignal?: AbortSignal }): AsyncIterable<
    { type: "delta"; text: string } | { type: "done"; draft: DraftAnswer }
  >;
}
