import { describe, expect, it } from "vitest";
import type { KernelRegistry } from "./fast-batch-matmul";
import { embedTokenRows, loadTfjsGraph } from "./local-embedding";

/** The tfjs ops used here (the bundle's types do not resolve). */
interface Tf {
  tensor(values: Float32Array, shape: number[], dtype: "float32"): { dispose(): void };
  matMul(a: unknown, b: unknown, transposeA: boolean, transposeB: boolean): { shape: number[]; dataSync(): Float32Array; dispose(): void };
  getBackend(): string;
}

// The wasm runtime, whichever runtime the app picks (onnxruntime runs the model where it loads).
let tfjs: ReturnType<typeof loadTfjsGraph> | undefined;
const tfjsGraph = () => (tfjs ??= loadTfjsGraph());

/** Deterministic values in [-1, 1). */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out[i] = state / 2 ** 30 - 1;
  }
  return out;
}

/** The product of every matrix pair of two stacks, by the definition, in float64. */
function reference(a: Float32Array, b: Float32Array, batch: number, shapeA: [number, number], shapeB: [number, number], ta: boolean, tb: boolean): Float64Array {
  const [ra, ca] = shapeA;
  const [rb, cb] = shapeB;
  const m = ta ? ca : ra;
  const k = ta ? ra : ca;
  const n = tb ? rb : cb;
  const out = new Float64Array(batch * m * n);
  const at = (x: Float32Array, base: number, cols: number, r: number, c: number) => x[base + r * cols + c];
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const left = ta ? at(a, s * ra * ca, ca, p, i) : at(a, s * ra * ca, ca, i, p);
          const right = tb ? at(b, s * rb * cb, cb, j, p) : at(b, s * rb * cb, cb, p, j);
          sum += left * right;
        }
        out[s * m * n + i * n + j] = sum;
      }
    }
  }
  return out;
}

describe("the built-in model's stacked matrix products", () => {
  it("are routed through the fast single-product path once the wasm model is loaded", async () => {
    // GIVEN the built-in model, loaded
    await tfjsGraph();
    const tf = (await import("@energetic-ai/core")) as unknown as KernelRegistry & Tf;

    // THEN the wasm backend's BatchMatMul is the replacement, keeping the original beside it
    expect(tf.getBackend()).toBe("wasm");
    expect(tf.getKernel("BatchMatMul", "wasm")?.groundworkOriginal).toBeTypeOf("function");
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])("equal the definition for a [2,3] stack with transposeA=%s, transposeB=%s", async (ta, tb) => {
    // GIVEN stacks of 2×3 matrices shaped as the attention's are (batch, heads, rows, cols)
    await tfjsGraph();
    const tf = (await import("@energetic-ai/core")) as unknown as Tf;
    const shapeA: [number, number] = ta ? [7, 5] : [5, 7];
    const shapeB: [number, number] = tb ? [4, 7] : [7, 4];
    const a = values(6 * 35, 1);
    const b = values(6 * 28, 2);
    const ta4 = tf.tensor(a, [2, 3, ...shapeA], "float32");
    const tb4 = tf.tensor(b, [2, 3, ...shapeB], "float32");

    // WHEN they are multiplied through tfjs
    const product = tf.matMul(ta4, tb4, ta, tb);

    // THEN the shape and every entry match the definition
    expect(product.shape).toEqual([2, 3, 5, 4]);
    const expected = reference(a, b, 6, shapeA, shapeB, ta, tb);
    const actual = product.dataSync();
    expect(actual).toHaveLength(expected.length);
    for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-4);
    [ta4, tb4, product].forEach((t) => t.dispose());
  });

  it("leave broadcast stacks to the backend's own kernel, still correct", async () => {
    // GIVEN one matrix against a stack of three (broadcast over the batch)
    await tfjsGraph();
    const tf = (await import("@energetic-ai/core")) as unknown as Tf;
    const a = values(15, 3);
    const b = values(3 * 20, 4);
    const left = tf.tensor(a, [1, 3, 5], "float32");
    const right = tf.tensor(b, [3, 5, 4], "float32");

    // WHEN multiplied
    const product = tf.matMul(left, right, false, false);

    // THEN each slice is the one matrix times that slice
    expect(product.shape).toEqual([3, 3, 4]);
    const stacked = new Float32Array(3 * 15);
    for (let s = 0; s < 3; s++) stacked.set(a, s * 15);
    const expected = reference(stacked, b, 3, [3, 5], [5, 4], false, false);
    const actual = product.dataSync();
    for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-4);
    [left, right, product].forEach((t) => t.dispose());
  });

  it("leave the model's vectors as the backend's own kernel makes them", async () => {
    // GIVEN the loaded model and texts of several lengths (token ids as the tokenizer gives them)
    const graph = await tfjsGraph();
    const tf = (await import("@energetic-ai/core")) as unknown as KernelRegistry;
    const config = tf.getKernel("BatchMatMul", "wasm")!;
    const rows = [12, 40, 128].map((length, r) => Array.from({ length }, (_, p) => 50 + ((p * 7919 + r * 131) % 7900)));

    // WHEN the same rows are embedded with the replacement and with the original kernel
    const fast = await embedTokenRows(graph, rows);
    const replacement = config.kernelFunc;
    config.kernelFunc = config.groundworkOriginal!;
    let plain: number[][];
    try {
      plain = await embedTokenRows(graph, rows);
    } finally {
      config.kernelFunc = replacement;
    }

    // THEN every vector is the same up to float rounding
    fast.forEach((vector, r) => {
      const cosine = vector.reduce((sum, x, d) => sum + x * plain[r][d], 0);
      expect(cosine).toBeGreaterThan(0.99999);
    });
  });
});
