/** Embeds chunks in batches the model accepts, keeping their order. */
import type { EmbeddingModel } from "../providers/types";
import type { EmbeddedChunk, IndexChunk } from "../stores/types";

export function embeddingInput(chunk: IndexChunk): string {
  return `${chunk.title}\n${chunk.text}`;
}

export async function embedChunks(
  embedder: EmbeddingModel,
  chunks: IndexChunk[],
  options: { batchSize?: number; abortSignal?: AbortSignal } = {},
): Promise<{ chunks: EmbeddedChunk[]; tokens: number }> {
  const out: EmbeddedChunk[] = [];
  let tokens = 0;
  const size = Math.max(1, Math.min(options.batchSize ?? 64, embedder.maxEmbeddingsPerCall));
  for (let i = 0; i < chunks.length; i += size) {
    const slice = chunks.slice(i, i + size);
    const { embeddings, usage } = await embedder.embed({ values: slice.map(embeddingInput), abortSignal: options.abortSignal });
    tokens += usage.tokens;
    slice.forEach((c, j) => out.push({ ...c, vector: embeddings[j] }));
  }
  return { chunks: out, tokens };
}
