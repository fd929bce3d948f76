import type OpenAI from "openai";
import { createOpenAIClient, DEFAULT_TIMEOUT_MS, type OpenAIConnection } from "./openai-client";
import { toProviderError } from "./openai-errors";
import { ProviderError, type ChatModel, type ChatRequest, type ChatResult, type ChatStreamPart, type ChatUsage } from "./types";

export interface OpenAIChatOptions extends OpenAIConnection {
  model: string;
}

type CompletionParams = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, "stream">;

export function createOpenAIChatModel(options: OpenAIChatOptions): ChatModel {
  const client = createOpenAIClient(options);
  const errorContext = { baseURL: options.baseURL, model: options.model, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };

  function buildParams(request: ChatRequest): CompletionParams {
    return {
      model: options.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      // Only sent when asked for: reasoning models reject any temperature but the default.
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxOutputTokens !== undefined ? { max_completion_tokens: request.maxOutputTokens } : {}),
      ...(request.jsonSchema
        ? {
            response_format: {
              type: "json_schema" as const,
              json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true },
            },
          }
        : {}),
    };
  }

  function usageFrom(usage: OpenAI.Completions.CompletionUsage | null | undefined, model: string | undefined): ChatUsage {
    return {
      model: model || options.model,
      inputTokens: usage?.prompt_tokens ?? 0,
      outputTokens: usage?.completion_tokens ?? 0,
    };
  }

  return {
    id: `openai:${options.model}`,

    async generate(request: ChatRequest): Promise<ChatResult> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          { ...buildParams(request), stream: false },
          { signal: request.abortSignal },
        );
      } catch (error) {
        throw toProviderError(error, errorContext);
      }
      const message = completion?.choices?.[0]?.message;
      if (!message) {
        throw new ProviderError("bad_response", `"${options.model}" returned no answer (empty choices).`);
      }
      if (message.refusal) {
        throw new ProviderError("bad_response", `"${options.model}" declined to answer: ${message.refusal}`);
      }
      return { text: message.content ?? "", usage: usageFrom(completion.usage, completion.model) };
    },

    async *stream(request: ChatRequest): AsyncIterable<ChatStreamPart> {
      let text = "";
      let usage: ChatUsage = usageFrom(undefined, undefined);
      let refusal = "";
      try {
        const chunks = await client.chat.completions.create(
          { ...buildParams(request), stream: true, stream_options: { include_usage: true } },
          { signal: request.abortSignal },
        );
        for await (const chunk of chunks) {
          // With include_usage the last chunk has empty choices and the totals for the whole request.
          if (chunk.usage) usage = usageFrom(chunk.usage, chunk.model);
          const delta = chunk.choices?.[0]?.delta;
          if (delta?.refusal) refusal += delta.refusal;
          if (delta?.content) {
            text += delta.content;
            yield { type: "delta", text: delta.content };
          }
        }
      } catch (error) {
        throw toProviderError(error, errorContext);
      }
      if (refusal) throw new ProviderError("bad_response", `"${options.model}" declined to answer: ${refusal}`);
      yield { type: "done", text, usage };
    },
  };
}
