/**
 * The built-in model on onnxruntime-node's native CPU kernels: the ONNX rewrite of the TF.js
 * graph (use-lite-onnx.ts), one intra-op thread per session because the worker pool already
 * runs one session per core. About 5x less CPU per text than tfjs wasm, same vectors.
 */
import { normalizeVector } from "./normalize-vector";
import { buildUseLiteOnnx, USE_LITE_INPUT, USE_LITE_MAX_POSITIONS, USE_LITE_OUTPUT, USE_LITE_TOKEN_OUTPUT, useLitePackageDir } from "./use-lite-onnx";

/** The slice of onnxruntime-node used here; typed locally because the package is optional. */
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}
interface OrtModule {
  Tensor: new (type: "int32", data: Int32Array, dims: number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
}

const ORT_PACKAGE = "onnxruntime-node";

/** Row-major output of one run: `count` vectors of `width` floats. */
export interface ModelOutput {
  count: number;
  width: number;
  data: Float32Array;
}

export interface UseLiteOrt {
  run(rows: number[][]): Promise<ModelOutput>;
}

async function importOrt(): Promise<OrtModule> {
  const loaded = (await import(/* @vite-ignore */ ORT_PACKAGE)) as OrtModule & { default?: OrtModule };
  // A CommonJS package: its exports sit on `default` when imported from ESM.
  return loaded.InferenceSession ? loaded : loaded.default!;
}

/** Token ids in a [rows, longest] grid, -1 where a row has ended (what the graph calls padding). */
export function paddedIds(rows: number[][]): { ids: Int32Array; tokens: number } {
  const clipped = rows.map((row) => (row.length > USE_LITE_MAX_POSITIONS ? row.slice(0, USE_LITE_MAX_POSITIONS) : row));
  const tokens = Math.max(1, ...clipped.map((row) => row.length));
  const ids = new Int32Array(rows.length * tokens).fill(-1);
  clipped.forEach((row, r) => ids.set(row, r * tokens));
  return { ids, tokens };
}

/** Opens a session on the model; `run` returns one named output, checked to have `rank` dimensions. */
async function openSession(tokenVectors: boolean): Promise<(rows: number[][], name: string, rank: number) => Promise<{ data: Float32Array; dims: readonly number[] }>> {
  const ort = await importOrt();
  const session = await ort.InferenceSession.create(await buildUseLiteOnnx(useLitePackageDir(), { tokenVectors }), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  return async (rows, name, rank) => {
    const { ids, tokens } = paddedIds(rows);
    const output = (await session.run({ [USE_LITE_INPUT]: new ort.Tensor("int32", ids, [rows.length, tokens]) }))[name];
    if (!output || !(output.data instanceof Float32Array) || output.dims.length !== rank) throw new Error(`onnxruntime returned no ${name} output`);
    return { data: output.data, dims: output.dims };
  };
}

/** Builds the model from the installed package and opens a session; throws when onnxruntime-node cannot load. */
export async function loadUseLiteOrt(): Promise<UseLiteOrt> {
  const run = await openSession(false);
  return {
    async run(rows) {
      const { data, dims } = await run(rows, USE_LITE_OUTPUT, 2);
      return { count: dims[0], width: dims[1], data };
    },
  };
}

/** The model with its per-token output: for each row, one unit vector per token it read (at most 128). */
export interface UseLiteTokenOrt {
  run(rows: number[][]): Promise<Float32Array[][]>;
}

/** A second session whose model also returns token vectors (the evaluation's late interaction); throws when onnxruntime-node cannot load. */
export async function loadUseLiteTokenOrt(): Promise<UseLiteTokenOrt> {
  const run = await openSession(true);
  return {
    async run(rows) {
      const { data, dims } = await run(rows, USE_LITE_TOKEN_OUTPUT, 3);
      const [, tokens, width] = dims;
      const at = (r: number, t: number) => Float32Array.from(normalizeVector(data.subarray((r * tokens + t) * width, (r * tokens + t + 1) * width)));
      return rows.map((row, r) => Array.from({ length: Math.min(row.length, USE_LITE_MAX_POSITIONS) }, (_, t) => at(r, t)));
    },
  };
}
