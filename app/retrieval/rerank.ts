/**
 * A lexical, feature-based reranker: no reranker weights can be had offline, and
 * what a shopper asks is usually literal (a product name, a size, "returns").
 * Fused retrieval score + word overlap + structured field matches + intent priors.
 * Pure; each feature is returned so a log can say why a chunk won.
 */
import type { Intent } from "../answering/types";
import type { IndexChunk } from "../stores/types";
import { contentTokens, containsPhrase, lexicalOverlap } from "./text";
import type { PolicyTopic, QueryConstraints, Region } from "./understand-query";
import { applicableWishes, hasWishes, productSatisfies } from "./product-match";

export interface RerankCandidate {
  chunk: IndexChunk;
  /** Score from fusion; only its rank within the list matters. */
  score: number;
}

export interface RerankContext {
  question: string;
  intent?: Intent;
  constraints?: QueryConstraints;
  policyTopic?: PolicyTopic;
  /** The product the shopper is looking at. */
  productInContext?: string;
  /** For "what goes with this": the type not to repeat. */
  complementOf?: string;
  /** Products the shopper named. */
  mentionedProducts?: string[];
}

export interface RerankedCandidate extends RerankCandidate {
  features: Record<string, number>;
  rerankScore: number;
}

export const RERANK_WEIGHTS = {
  rank: 1.0,
  overlap: 1.0,
  titleMatch: 0.6,
  productType: 0.3,
  variantMatch: 0.5,
  policyTopic: 0.6,
  region: 0.3,
  sale: 0.2,
  intentPrior: 0.5,
  productInContext: 1.5,
  mentioned: 1.2,
};

const TOPIC_WORDS: Record<PolicyTopic, string[]> = {
  refund: ["return", "refund", "exchange", "withdrawal"],
  shipping: ["shipping", "delivery", "ship", "dispatch"],
  warranty: ["warranty", "guarantee", "defective"],
  privacy: ["privacy", "data"],
  terms: ["terms", "conditions"],
  contact: ["contact", "email", "phone"],
};

const REGION_WORDS: Record<Region, string[]> = {
  EU: ["EU", "European Union", "Europe", "European", "EEA"],
  UK: ["UK", "United Kingdom", "Great Britain"],
  US: ["US", "USA", "United States", "domestic"],
  CA: ["Canada"],
  AU: ["Australia"],
};

function policyTopicOf(chunk: IndexChunk): string | undefined {
  return chunk.fields.policyType;
}

// Chunks recur across questions; tokenizing a long facts chunk costs more than the search itself.
const TOKEN_CACHE_SIZE = 20_000;
const tokenCache = new Map<string, string[]>();

function chunkTokens(chunk: IndexChunk): string[] {
  const key = `${chunk.id}\u0000${chunk.contentHash}`;
  const hit = tokenCache.get(key);
  if (hit) return hit;
  const tokens = contentTokens(`${chunk.title} ${chunk.text}`);
  if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.delete(tokenCache.keys().next().value as string);
  tokenCache.set(key, tokens);
  return tokens;
}

function featuresOf(candidate: RerankCandidate, rankScore: number, queryTokens: string[], context: RerankContext): Record<string, number> {
  const { chunk } = candidate;
  const f: Record<string, number> = { rank: rankScore };
  const docTokens = chunkTokens(chunk);
  f.overlap = lexicalOverlap(queryTokens, docTokens);

  const titleTokens = contentTokens(chunk.title);
  if (titleTokens.length > 0 && chunk.sourceType === "product") {
    const q = new Set(queryTokens);
    f.titleMatch = titleTokens.filter((t) => q.has(t)).length / titleTokens.length;
    if (f.titleMatch === 1 && containsPhrase(context.question, chunk.title)) f.titleMatch += 0.5;
  }

  const c = context.constraints;
  if (c?.productType && chunk.fields.productType) {
    f.productType = chunk.fields.productType.toLowerCase() === c.productType.toLowerCase() ? 1 : -0.5;
  }
  const variants = chunk.fields.variants;
  if (c && hasWishes(c) && variants && variants.length > 0 && context.intent === "recommendation") {
    // The chunk carries its product's variants: the wishes are met by that product's own options.
    const product = { title: chunk.title, variants };
    f.variantMatch = productSatisfies(product, context.complementOf ? applicableWishes(product, c) : c) ? 1 : -1;
  }
  if (context.complementOf && chunk.fields.productType) {
    f.productType = (f.productType ?? 0) + (chunk.fields.productType.toLowerCase() === context.complementOf.toLowerCase() ? -1 : 0.3);
  }

  if (context.intent === "policy") {
    f.intentPrior = chunk.sourceType === "policy" ? 1 : chunk.sourceType === "page" ? 0.3 : -1;
    if (context.policyTopic) {
      const words = TOPIC_WORDS[context.policyTopic];
      const typed = policyTopicOf(chunk) === context.policyTopic || (context.policyTopic === "warranty" && /warrant/i.test(chunk.text));
      const mentions = words.some((w) => docTokens.includes(w));
      f.policyTopic = typed ? 1 : mentions ? 0.5 : 0;
    }
    if (c?.region) {
      f.region = REGION_WORDS[c.region].some((w) => containsPhrase(chunk.text, w)) ? 1 : 0;
    }
    if (c?.saleItems) f.sale = /\b(sale|clearance|discount|final sale|reduced)\b/i.test(chunk.text) ? 1 : 0;
  } else if (context.intent && context.intent !== "off_topic" && context.intent !== "order_status") {
    f.intentPrior = chunk.sourceType === "product" ? 0.5 : chunk.sourceType === "policy" ? -0.5 : 0;
  }

  const handle = chunk.fields.productHandle;
  if (handle && context.productInContext === handle) {
    // Recommendations are about other products; the one in context stays as evidence only.
    f.productInContext = context.intent === "recommendation" ? -0.5 : 1;
  }
  if (handle && context.mentionedProducts?.includes(handle) && handle !== context.productInContext) f.mentioned = 1;
  return f;
}

export function rerank(candidates: RerankCandidate[], context: RerankContext): RerankedCandidate[] {
  const queryTokens = contentTokens(context.question);
  const ordered = [...candidates].sort((a, b) => b.score - a.score);
  const n = ordered.length;
  return ordered
    .map((candidate, index) => {
      // Rank, not raw score: scores from different retrievers do not share a scale.
      const rankScore = n <= 1 ? 1 : 1 - index / n;
      const features = featuresOf(candidate, rankScore, queryTokens, context);
      let rerankScore = 0;
      for (const [name, value] of Object.entries(features)) {
        rerankScore += (RERANK_WEIGHTS[name as keyof typeof RERANK_WEIGHTS] ?? 0) * value;
      }
      return { ...candidate, features, rerankScore };
    })
    .sort((a, b) => b.rerankScore - a.rerankScore);
}
