/** Embeds chunks in batches the model accepts, keeping their order. */
import type { EmbeddingModel } from "../providers/types";
import type { EmbeddedChunk, IndexChunk } from "../stores/types";

/**
 * The text a chunk's vector is made from: its title, then its text. Product chunks already
 * open with the title (so a description chunk reads as being about its product); the title
 * is then not repeated, which would spend the model's token budget on it twice.
 */
export function embeddingInput(chunk: IndexChunk): string {
  return chunk.text.startsWith(chunk.title) ? chunk.text : `${chunk.title}\n${chunk.text}`;
}

/**
 * Embeds each distinct input once: variants and translations of one product often produce
 * chunks with the same text, and the model is the cost of a sync. Duplicates share the vector.
 */
export async function embedChunks(
  embedder: EmbeddingModel,
  chunks: IndexChunk[],
  options: { batchSize?: number; abortSignal?: AbortSignal } = {},
): Promise<{ chunks: EmbeddedChunk[]; tokens: number }> {
  const inputs = chunks.map(embeddingInput);
  const slotOf = new Map<string, number>();
  const distinct: string[] = [];
  const slots = inputs.map((input) => {
    let slot = slotOf.get(input);
    if (slot === undefined) {
      slot = distinct.push(input) - 1;
      slotOf.set(input, slot);
    }
    return slot;
  });
  const vectors: number[][] = [];
  let tokens = 0;
  const size = Math.max(1, Math.min(options.batchSize ?? 256, embedder.maxEmbeddingsPerCall));
  for (let i = 0; i < distinct.length; i += size) {
    const { embeddings, usage } = await embedder.embed({ values: distinct.slice(i, i + size), abortSignal: options.abortSignal });
    tokens += usage.tokens;
    vectors.push(...embeddings);
  }
  return { chunks: chunks.map((c, i) => ({ ...c, vector: vectors[slots[i]] })), tokens };
}
