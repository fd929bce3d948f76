/**
 * A tiny but genuine transformers.js embedding model, written to disk by the tests themselves.
 *
 * No real model can be downloaded in the test environment, yet the ONNX provider should be
 * exercised through the real transformers.js and onnxruntime-node. So this module writes the
 * folder an Optimum export would hold — config.json, tokenizer.json, tokenizer_config.json and
 * onnx/model.onnx — with a model small enough to build in code:
 *
 * - The tokenizer is a BERT-style WordPiece tokenizer (lowercasing, splitting on spaces and
 *   punctuation, [CLS] … [SEP] around each text) whose vocabulary is a few dozen catalog words;
 *   every other word becomes [UNK].
 * - The ONNX graph is one `Gather`: `last_hidden_state[b, s, :] = embeddings[input_ids[b, s], :]`.
 *   transformers.js then mean-pools over the attention mask and normalizes, as it does for BERT.
 * - The embedding table is deterministic. Words are grouped into themes (rain gear, knitwear,
 *   candles, …); each word's vector is its theme's axis plus a smaller word-specific part, so
 *   words of one theme lie near each other and texts sharing words are closer than unrelated
 *   texts. Special tokens are zero, so [CLS]/[SEP]/[PAD] do not move a text's direction.
 *
 * The protobuf encoder below covers only the ONNX messages and fields this graph needs; field
 * numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto,
 * TypeProto, TensorShapeProto, OperatorSetIdProto).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Catalog words by theme; each theme gets its own axis in the embedding space. */
export const TINY_MODEL_THEMES: Record<string, readonly string[]> = {
  rain: ["rain", "waterproof", "shell", "jacket", "packable", "storm", "hood", "seams"],
  knitwear: ["merino", "wool", "sweater", "knit", "cashmere", "cardigan", "lambswool", "beanie"],
  footwear: ["boot", "boots", "shoe", "leather", "trail", "runner", "sandal", "hiking"],
  bedding: ["linen", "duvet", "cotton", "sheet", "blanket", "pillow", "throw", "cover"],
  candles: ["candle", "candles", "cedar", "salt", "fig", "tea", "beeswax", "fragrance"],
  kitchen: ["mug", "stoneware", "enamel", "camp", "plates", "dinner", "ceramics", "kitchen"],
};

const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

export interface TinyOnnxModelOptions {
  /** Vector size, written to config.json as hidden_size; at least one axis per theme plus one. */
  hiddenSize?: number;
  /** Write bytes that are not ONNX as onnx/model.onnx, to test how a broken folder fails. */
  corruptWeights?: boolean;
}

export interface TinyOnnxModel {
  modelDir: string;
  hiddenSize: number;
  /** Token → id, specials first. */
  vocabulary: Map<string, number>;
}

/** Writes the model folder at `modelDir` (created if needed) and describes what it wrote. */
export function writeTinyOnnxModel(modelDir: string, options: TinyOnnxModelOptions = {}): TinyOnnxModel {
  const themes = Object.values(TINY_MODEL_THEMES);
  const hiddenSize = options.hiddenSize ?? 16;
  if (hiddenSize < themes.length + 1) throw new Error(`hiddenSize must be at least ${themes.length + 1}`);

  const tokens = [...SPECIAL_TOKENS, ...themes.flat()];
  const vocabulary = new Map(tokens.map((token, id) => [token, id]));

  mkdirSync(path.join(modelDir, "onnx"), { recursive: true });
  writeJson(path.join(modelDir, "config.json"), {
    model_type: "bert",
    architectures: ["BertModel"],
    hidden_size: hiddenSize,
    vocab_size: tokens.length,
    max_position_embeddings: 512,
    pad_token_id: 0,
  });
  writeJson(path.join(modelDir, "tokenizer.json"), tokenizerJson(vocabulary));
  // transformers.js only loads tokenizer.json when tokenizer_config.json sits beside it.
  writeJson(path.join(modelDir, "tokenizer_config.json"), {
    tokenizer_class: "BertTokenizer",
    do_lower_case: true,
    model_max_length: 512,
    unk_token: "[UNK]",
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    pad_token: "[PAD]",
    mask_token: "[MASK]",
  });
  const weights = options.corruptWeights
    ? Buffer.from("these bytes are not an ONNX model")
    : encodeGatherModel(embeddingTable(tokens, hiddenSize), tokens.length, hiddenSize);
  writeFileSync(path.join(modelDir, "onnx", "model.onnx"), weights);
  return { modelDir, hiddenSize, vocabulary };
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2));
}

function tokenizerJson(vocabulary: Map<string, number>): unknown {
  const id = (token: string) => vocabulary.get(token) ?? 0;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: { type: "BertProcessing", cls: ["[CLS]", id("[CLS]")], sep: ["[SEP]", id("[SEP]")] },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary),
    },
  };
}

/**
 * Row-major [vocab, hidden] table. A theme word is 1.0 on its theme's axis plus a word-specific
 * part of norm ~0.5 spread over the other axes; [UNK] sits alone on the last axis.
 */
function embeddingTable(tokens: string[], hiddenSize: number): Float32Array {
  const themeOf = new Map<string, number>();
  Object.values(TINY_MODEL_THEMES).forEach((words, theme) => words.forEach((word) => themeOf.set(word, theme)));
  const table = new Float32Array(tokens.length * hiddenSize);
  tokens.forEach((token, row) => {
    const at = row * hiddenSize;
    if (token === "[UNK]") table[at + hiddenSize - 1] = 1;
    const theme = themeOf.get(token);
    if (theme === undefined) return; // other specials stay zero
    table[at + theme] = 1;
    let seed = row * 7919 + 17;
    for (let axis = 0; axis < hiddenSize - 1; axis++) {
      // A small linear congruential generator: deterministic, no dependency, varies per word.
      seed = (seed * 1103515245 + 12345) % 2147483648;
      table[at + axis] += ((seed / 2147483648) * 2 - 1) * (0.5 / Math.sqrt(hiddenSize - 1));
    }
  });
  return table;
}

// ---- ONNX protobuf encoding --------------------------------------------------------------

const FLOAT = 1; // TensorProto.DataType
const INT64 = 7;
const IR_VERSION = 8; // onnxruntime 1.30 reads IR versions up to 11; 8 is widely supported
const OPSET = 17; // Gather has been stable since opset 13

/** Protobuf wire format: only what ONNX needs here (varints and length-delimited fields). */
class ProtoWriter {
  private readonly parts: Buffer[] = [];

  varint(field: number, value: number): this {
    return this.tag(field, 0).raw(varint(value));
  }
  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, "utf8"));
  }
  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, 2).raw(varint(value.length)).raw(value);
  }
  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }
  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
  private tag(field: number, wireType: number): this {
    return this.raw(varint(field * 8 + wireType));
  }
  private raw(bytes: Uint8Array): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }
}

/** Unsigned LEB128; every value written here is a small non-negative integer. */
function varint(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`cannot encode ${value} as a varint`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** ValueInfoProto { name = 1, type = 2 } with TypeProto.tensor_type = 1 { elem_type = 1, shape = 2 }. */
function tensorValueInfo(writer: ProtoWriter, field: number, name: string, elemType: number, dims: (string | number)[]): void {
  writer.message(field, (info) =>
    info.string(1, name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.varint(1, elemType).message(2, (shape) => {
          // TensorShapeProto.dim = 1 { dim_value = 1 | dim_param = 2 }
          for (const dim of dims) {
            shape.message(1, (d) => (typeof dim === "number" ? d.varint(1, dim) : d.string(2, dim)));
          }
        }),
      ),
    ),
  );
}

function encodeGatherModel(table: Float32Array, vocabSize: number, hiddenSize: number): Buffer {
  const model = new ProtoWriter();
  model.varint(1, IR_VERSION); // ModelProto.ir_version
  model.string(2, "groundwork-tests"); // producer_name
  model.message(7, (graph) => {
    // GraphProto.node = 1: NodeProto { input = 1, output = 2, name = 3, op_type = 4 }
    graph.message(1, (node) =>
      node.string(1, "embeddings").string(1, "input_ids").string(2, "last_hidden_state").string(3, "lookup").string(4, "Gather"),
    );
    graph.string(2, "tiny-embedder"); // GraphProto.name
    // GraphProto.initializer = 5: TensorProto { dims = 1, data_type = 2, name = 8, raw_data = 9 }
    graph.message(5, (tensor) => {
      tensor.varint(1, vocabSize).varint(1, hiddenSize).varint(2, FLOAT).string(8, "embeddings");
      // raw_data is little-endian; copy so the byte order does not depend on the host.
      const raw = Buffer.alloc(table.length * 4);
      table.forEach((value, index) => raw.writeFloatLE(value, index * 4));
      tensor.bytes(9, raw);
    });
    // GraphProto.input = 11, output = 12. A BERT export takes all three inputs; only ids are used.
    for (const name of ["input_ids", "attention_mask", "token_type_ids"]) {
      tensorValueInfo(graph, 11, name, INT64, ["batch_size", "sequence_length"]);
    }
    tensorValueInfo(graph, 12, "last_hidden_state", FLOAT, ["batch_size", "sequence_length", hiddenSize]);
  });
  // ModelProto.opset_import = 8: OperatorSetIdProto { domain = 1, version = 2 }; "" is the default domain.
  model.message(8, (opset) => opset.string(1, "").varint(2, OPSET));
  return model.finish();
}
