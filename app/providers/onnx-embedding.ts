import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { normalizeVector } from "./normalize-vector";
import { ProviderError, type EmbeddingModel } from "./types";

export interface OnnxEmbeddingOptions {
  /**
   * A transformers.js model folder the merchant supplies: config.json, tokenizer.json,
   * tokenizer_config.json and onnx/model.onnx (or model_quantized.onnx / model_fp16.onnx),
   * as exported by Optimum.
   */
  modelDir: string;
  /** Vector size; read from config.json (hidden_size) when not given. */
  dimensions?: number;
}

const BATCH_SIZE = 32;
const TRANSFORMERS_PACKAGE = "@huggingface/transformers";

/** The slice of transformers.js used here; typed locally because the package is optional. */
interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(
    task: "feature-extraction",
    model: string,
    options: { dtype: string; local_files_only: boolean },
  ): Promise<FeatureExtractor>;
}
type FeatureExtractor = (
  texts: string[],
  options: { pooling: "mean"; normalize: boolean },
) => Promise<{ tolist(): number[][] }>;

const WEIGHT_FILES: { file: string; dtype: string }[] = [
  { file: "model.onnx", dtype: "fp32" },
  { file: "model_quantized.onnx", dtype: "q8" },
  { file: "model_fp16.onnx", dtype: "fp16" },
];

/**
 * A stronger embedding model the merchant brings as files, run in-process by transformers.js
 * with remote downloads switched off: nothing leaves the machine.
 */
export function createOnnxEmbeddingModel(options: OnnxEmbeddingOptions): EmbeddingModel {
  const modelDir = path.resolve(options.modelDir);
  const { dtype, dimensions } = inspectModelFolder(modelDir, options.dimensions);
  const modelName = path.basename(modelDir);
  let extractorPromise: Promise<FeatureExtractor> | undefined;

  function loadExtractor(): Promise<FeatureExtractor> {
    extractorPromise ??= (async () => {
      const transformers = await importTransformers();
      // transformers.js resolves a model id as <localModelPath>/<id>; point it at the folder's parent.
      transformers.env.allowRemoteModels = false;
      transformers.env.allowLocalModels = true;
      transformers.env.localModelPath = path.dirname(modelDir) + path.sep;
      try {
        return await transformers.pipeline("feature-extraction", modelName, { dtype, local_files_only: true });
      } catch (error) {
        throw new ProviderError(
          "model_not_found",
          `The ONNX model in ${modelDir} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    })();
    extractorPromise.catch(() => {
      extractorPromise = undefined; // a fixed folder or a new install works without a restart
    });
    return extractorPromise;
  }

  return {
    id: `onnx:${modelName}:${dimensions}`,
    dimensions,
    maxEmbeddingsPerCall: BATCH_SIZE,
    async embed({ values, abortSignal }) {
      if (values.length === 0) return { embeddings: [], usage: { tokens: 0 } };
      const extract = await loadExtractor();
      const embeddings: number[][] = [];
      for (let start = 0; start < values.length; start += BATCH_SIZE) {
        abortSignal?.throwIfAborted();
        const batch = values.slice(start, start + BATCH_SIZE);
        const vectors = (await extract(batch, { pooling: "mean", normalize: true })).tolist();
        for (const vector of vectors) {
          if (vector.length !== dimensions) {
            throw new ProviderError(
              "bad_response",
              `The ONNX model in ${modelDir} returned ${vector.length}-d vectors, expected ${dimensions}. Check the dimensions setting.`,
            );
          }
          embeddings.push(normalizeVector(vector));
        }
      }
      // Token counts only matter for billing, and a local model bills nothing.
      return { embeddings, usage: { tokens: 0 } };
    },
  };
}

function inspectModelFolder(modelDir: string, dimensions: number | undefined): { dtype: string; dimensions: number } {
  const expected =
    "config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (a transformers.js export made with Optimum)";
  if (!existsSync(modelDir) || !statSync(modelDir).isDirectory()) {
    throw new ProviderError("model_not_found", `No model folder at ${modelDir}. It should contain ${expected}.`);
  }
  // transformers.js 4 loads tokenizer.json only when tokenizer_config.json is beside it; without
  // it the pipeline has no tokenizer and fails on the first text with a bare TypeError.
  const missing = ["config.json", "tokenizer.json", "tokenizer_config.json"].filter(
    (file) => !existsSync(path.join(modelDir, file)),
  );
  const weights = WEIGHT_FILES.find(({ file }) => existsSync(path.join(modelDir, "onnx", file)));
  if (!weights) missing.push("onnx/model.onnx");
  if (missing.length > 0 || !weights) {
    throw new ProviderError("model_not_found", `The model folder ${modelDir} is missing ${missing.join(", ")}. It should contain ${expected}.`);
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(path.join(modelDir, "config.json"), "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new ProviderError(
      "model_not_found",
      `${path.join(modelDir, "config.json")} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const size = dimensions ?? firstPositiveInteger(config.hidden_size, config.d_model, config.dim);
  if (!size || !Number.isInteger(size) || size <= 0) {
    throw new ProviderError(
      "invalid_config",
      `Cannot tell the vector size of the model in ${modelDir}: set the embedding dimensions (config.json has no hidden_size).`,
    );
  }
  return { dtype: weights.dtype, dimensions: size };
}

function firstPositiveInteger(...values: unknown[]): number | undefined {
  return values.find((value): value is number => typeof value === "number" && Number.isInteger(value) && value > 0);
}

async function importTransformers(): Promise<TransformersModule> {
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the optional package.
    return (await import(/* @vite-ignore */ TRANSFORMERS_PACKAGE)) as TransformersModule;
  } catch {
    throw new ProviderError(
      "not_installed",
      `ONNX embedding models need the optional package ${TRANSFORMERS_PACKAGE}. Install it with: ONNXRUNTIME_NODE_INSTALL=skip npm install ${TRANSFORMERS_PACKAGE}`,
    );
  }
}
