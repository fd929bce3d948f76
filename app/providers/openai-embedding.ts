import { createOpenAIClient, DEFAULT_TIMEOUT_MS, type OpenAIConnection } from "./openai-client";
import { toProviderError } from "./openai-errors";
import { normalizeVector } from "./normalize-vector";
import { ProviderError, type EmbeddingModel, type EmbedResult } from "./types";

export interface OpenAIEmbeddingOptions extends OpenAIConnection {
  model: string;
  /**
   * Output size. Sent to the API only when set (text-embedding-3-* can shorten vectors; other
   * servers may reject the parameter). Required for models whose native size is not known here.
   */
  dimensions?: number;
  /**
   * The size the model returns when not asked for one, as measured by a connection test:
   * checked on every response but never sent, so servers that reject `dimensions` still work.
   */
  nativeDimensions?: number;
  /** Inputs per request; lower it for compatible servers with a smaller limit than OpenAI's 2048. */
  maxEmbeddingsPerCall?: number;
}

/** OpenAI's documented limit on inputs per embeddings request. */
const MAX_INPUTS_PER_REQUEST = 2048;

const NATIVE_DIMENSIONS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

export function createOpenAIEmbeddingModel(options: OpenAIEmbeddingOptions): EmbeddingModel {
  const dimensions = options.dimensions ?? options.nativeDimensions ?? NATIVE_DIMENSIONS[options.model];
  if (!dimensions || !Number.isInteger(dimensions) || dimensions <= 0) {
    throw new ProviderError(
      "invalid_config",
      options.dimensions !== undefined
        ? `Embedding dimensions must be a positive whole number (got ${options.dimensions}).`
        : `Set the embedding dimensions for "${options.model}": its vector size is not known in advance.`,
    );
  }
  const batchSize = Math.min(options.maxEmbeddingsPerCall ?? MAX_INPUTS_PER_REQUEST, MAX_INPUTS_PER_REQUEST);
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ProviderError("invalid_config", `Embeddings per request must be a positive whole number (got ${options.maxEmbeddingsPerCall}).`);
  }
  const client = createOpenAIClient(options);
  const errorContext = { baseURL: options.baseURL, model: options.model, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };

  async function embedBatch(values: string[], abortSignal?: AbortSignal): Promise<EmbedResult> {
    let response;
    try {
      response = await client.embeddings.create(
        {
          model: options.model,
          // The API rejects empty strings; a space embeds as "nothing" without failing the batch.
          input: values.map((value) => (value.length === 0 ? " " : value)),
          // "float" is the documented default and what every compatible server speaks.
          encoding_format: "float",
          ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
        },
        { signal: abortSignal },
      );
    } catch (error) {
      throw toProviderError(error, errorContext);
    }
    const data = Array.isArray(response?.data) ? [...response.data].sort((a, b) => a.index - b.index) : [];
    if (data.length !== values.length) {
      throw new ProviderError(
        "bad_response",
        `The embeddings endpoint returned ${data.length} vectors for ${values.length} texts.`,
      );
    }
    const embeddings = data.map((item) => {
      const vector = item.embedding as unknown;
      if (!Array.isArray(vector) || vector.length !== dimensions) {
        throw new ProviderError(
          "bad_response",
          `"${options.model}" returned vectors of ${Array.isArray(vector) ? vector.length : "unknown"} dimensions, expected ${dimensions}. Check the dimensions setting.`,
        );
      }
      // Compatible servers do not all normalize; doing it here keeps cosine and dot product equal.
      return normalizeVector(vector as number[]);
    });
    return { embeddings, usage: { tokens: response.usage?.prompt_tokens ?? 0 } };
  }

  return {
    // Dimensions are part of the id: the same model at another size needs another index.
    id: `openai:${options.model}:${dimensions}`,
    dimensions,
    maxEmbeddingsPerCall: batchSize,
    async embed({ values, abortSignal }) {
      const embeddings: number[][] = [];
      let tokens = 0;
      // Sequential batches: gentle on rate limits, and the SDK retries each one on its own.
      for (let start = 0; start < values.length; start += batchSize) {
        abortSignal?.throwIfAborted();
        const batch = await embedBatch(values.slice(start, start + batchSize), abortSignal);
        embeddings.push(...batch.embeddings);
        tokens += batch.usage.tokens;
      }
      return { embeddings, usage: { tokens } };
    },
  };
}
