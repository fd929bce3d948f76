/** A deterministic embedding model for integration tests that need no network and no weights. */
import { createHash } from "node:crypto";
import type { EmbeddingModel, EmbedResult } from "../../app/providers/types";

/** A hashed bag of words: deterministic, instant, and different per id and size. */
export class HashedWordsEmbedder implements EmbeddingModel {
  readonly maxEmbeddingsPerCall = 256;
  calls = 0;
  constructor(
    readonly id: string,
    readonly dimensions: number,
  ) {}

  async embed(input: { values: string[] }): Promise<EmbedResult> {
    this.calls++;
    let tokens = 0;
    const embeddings = input.values.map((text) => {
      const v = new Array<number>(this.dimensions).fill(0);
      const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
      tokens += words.length;
      for (const w of words) {
        const h = createHash("sha1").update(`${this.id}:${w}`).digest();
        v[h.readUInt32BE(0) % this.dimensions] += h[4] & 1 ? 1 : -1;
      }
      const norm = Math.hypot(...v);
      if (norm === 0) v[0] = 1;
      return norm === 0 ? v : v.map((x) => x / norm);
    });
    return { embeddings, usage: { tokens } };
  }
}
