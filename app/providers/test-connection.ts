import type { EndpointPolicy } from "./endpoint-guard";
import { createOpenAIClient } from "./openai-client";
import { createOpenAIChatModel } from "./openai-chat";
import { toProviderError } from "./openai-errors";
import { ProviderError, type ProviderErrorCode } from "./types";

export interface ProviderConnectionConfig {
  baseURL: string;
  apiKey: string;
  chatModel: string;
  /** Checked too when set; leave out when embeddings stay local. */
  embeddingModel?: string;
  embeddingDimensions?: number;
  timeoutMs?: number;
  /** Which addresses the merchant's endpoint may have (endpoint-guard.ts). */
  endpointPolicy?: EndpointPolicy;
}

export type ProviderConnectionResult =
  | {
      ok: true;
      chatModel: string;
      embeddingModel: string | null;
      /** The vector size the endpoint actually returned, for the settings form to store. */
      embeddingDimensions: number | null;
    }
  | { ok: false; code: ProviderErrorCode; message: string };

const TEST_TIMEOUT_MS = 15_000;

/**
 * Checks a merchant's endpoint before it is saved: the key, the URL, and that both models answer.
 * Makes one tiny chat call and one tiny embedding call (a fraction of a cent on OpenAI).
 */
export async function testProviderConnection(config: ProviderConnectionConfig): Promise<ProviderConnectionResult> {
  const timeoutMs = config.timeoutMs ?? TEST_TIMEOUT_MS;
  // No retries: the merchant is waiting on the settings page, and a retry hides the first error.
  const connection = { baseURL: config.baseURL, apiKey: config.apiKey, maxRetries: 0, timeoutMs, endpointPolicy: config.endpointPolicy };
  try {
    const client = createOpenAIClient(connection);

    // Listing models checks the URL and the key without spending tokens. Some compatible servers
    // have no /models route, so only the failures that say something definite stop here.
    let available: string[] | null = null;
    try {
      const page = await client.models.list();
      available = page.data.map((model) => model.id);
    } catch (error) {
      const mapped = toProviderError(error, { baseURL: config.baseURL, model: config.chatModel, timeoutMs });
      if (mapped instanceof ProviderError && mapped.code !== "model_not_found" && mapped.code !== "bad_response") throw mapped;
    }

    try {
      await createOpenAIChatModel({ ...connection, model: config.chatModel }).generate({
        messages: [{ role: "user", content: "Reply with the word OK." }],
        maxOutputTokens: 16,
      });
    } catch (error) {
      throw withSuggestions(error, config.chatModel, available);
    }

    let embeddingDimensions: number | null = null;
    if (config.embeddingModel) {
      const context = { baseURL: config.baseURL, model: config.embeddingModel, timeoutMs };
      let vector: unknown;
      try {
        const response = await client.embeddings.create({
          model: config.embeddingModel,
          input: ["connection test"],
          encoding_format: "float",
          ...(config.embeddingDimensions !== undefined ? { dimensions: config.embeddingDimensions } : {}),
        });
        vector = response.data?.[0]?.embedding;
      } catch (error) {
        throw withSuggestions(toProviderError(error, context), config.embeddingModel, available);
      }
      if (!Array.isArray(vector) || vector.length === 0) {
        throw new ProviderError("bad_response", `"${config.embeddingModel}" did not return an embedding. Is it an embedding model?`);
      }
      if (config.embeddingDimensions !== undefined && vector.length !== config.embeddingDimensions) {
        throw new ProviderError(
          "invalid_config",
          `"${config.embeddingModel}" returns ${vector.length}-d vectors, not ${config.embeddingDimensions}. Change the dimensions setting to ${vector.length}.`,
        );
      }
      embeddingDimensions = vector.length;
    }

    return { ok: true, chatModel: config.chatModel, embeddingModel: config.embeddingModel ?? null, embeddingDimensions };
  } catch (error) {
    if (error instanceof ProviderError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: "bad_response", message: error instanceof Error ? error.message : String(error) };
  }
}

/** An unknown model is usually a typo: name the closest models the key can use. */
function withSuggestions(error: unknown, model: string, available: string[] | null): unknown {
  if (!(error instanceof ProviderError) || error.code !== "model_not_found" || !available?.length) return error;
  const wanted = model.toLowerCase();
  const close = [...available]
    .sort((a, b) => editDistance(wanted, a.toLowerCase()) - editDistance(wanted, b.toLowerCase()))
    .slice(0, 3);
  return new ProviderError(error.code, `${error.message} Models this key can use include: ${close.join(", ")}.`, error.status);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
