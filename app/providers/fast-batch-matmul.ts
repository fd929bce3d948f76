/**
 * tfjs's wasm backend multiplies a stack of matrices (the built-in model's attention: one
 * 128×128 product per text and head) with a plain loop, about 7× slower than the XNNPACK
 * path it takes for a single matrix without transposes (docs/decisions/016). This replaces
 * the backend's BatchMatMul with a loop over the stack that hands each product to that fast
 * path, transposing in JavaScript where asked. Results equal the plain loop's up to float
 * rounding.
 */

/** The parts of tfjs's kernel interface used here (its types do not resolve from the bundle). */
export interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

export interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): unknown;
}

interface KernelArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackend;
  attrs: { transposeA: boolean; transposeB: boolean };
}

export type KernelFunc = (args: KernelArgs) => TensorInfo;

interface KernelConfig {
  kernelFunc: KernelFunc;
  /** Set on the config once replaced, so a second install leaves it alone. */
  groundworkOriginal?: KernelFunc;
}

export interface KernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
}

const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

/** Copies matrix `index` of a stack of rows×cols matrices into `into`, transposed when asked. */
function copyMatrix(from: Float32Array, index: number, rows: number, cols: number, transpose: boolean, into: Float32Array): void {
  const start = index * rows * cols;
  if (!transpose) {
    into.set(from.subarray(start, start + rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++) {
    const row = start + r * cols;
    for (let c = 0; c < cols; c++) into[c * rows + r] = from[row + c];
  }
}

/** BatchMatMul over a stack, one fast single product at a time; other cases go to `original`. */
export function stackedMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs;
    const { backend } = args;
    if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 3 || a.shape.length !== b.shape.length) return original(args);
    const outer = a.shape.slice(0, -2);
    if (outer.some((d, i) => d !== b.shape[i])) return original(args); // broadcasting: leave it to the backend
    const batch = size(outer);
    if (batch < 2) return original(args);
    const [rowsA, colsA] = a.shape.slice(-2);
    const [rowsB, colsB] = b.shape.slice(-2);
    const m = transposeA ? colsA : rowsA;
    const k = transposeA ? rowsA : colsA;
    const n = transposeB ? rowsB : colsB;
    if (k !== (transposeB ? colsB : rowsB)) return original(args);

    const out = backend.makeOutput([...outer, m, n], "float32");
    try {
      for (let i = 0; i < batch; i++) {
        // Fresh tensors for every product: the backend keeps its packed copy of the right-hand
        // matrix by tensor id, so refilling one tensor would multiply by a stale copy.
        const left = backend.makeOutput([1, m, k], "float32");
        const right = backend.makeOutput([1, k, n], "float32");
        try {
          // Views are taken afresh after every allocation: a growing wasm heap detaches old ones.
          copyMatrix(backend.typedArrayFromHeap(a), i, rowsA, colsA, transposeA, backend.typedArrayFromHeap(left));
          copyMatrix(backend.typedArrayFromHeap(b), i, rowsB, colsB, transposeB, backend.typedArrayFromHeap(right));
          const product = original({ inputs: { a: left, b: right }, backend, attrs: { transposeA: false, transposeB: false } });
          backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(product), i * m * n);
          backend.disposeData(product.dataId);
        } finally {
          backend.disposeData(left.dataId);
          backend.disposeData(right.dataId);
        }
      }
    } catch (error) {
      backend.disposeData(out.dataId);
      throw error;
    }
    return out;
  };
}

/**
 * Swaps the wasm backend's BatchMatMul for `stackedMatMul`. The kernel registry is global to
 * the thread, and the engine reads a kernel's function on every run, so replacing it on the
 * registered config takes effect whether or not the backend has started.
 */
export function installStackedMatMul(registry: KernelRegistry): boolean {
  const config = registry.getKernel("BatchMatMul", "wasm");
  if (!config) return false;
  if (!config.groundworkOriginal) {
    config.groundworkOriginal = config.kernelFunc;
    config.kernelFunc = stackedMatMul(config.kernelFunc);
  }
  return true;
}
