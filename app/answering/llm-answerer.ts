import type { ChatModel } from "../providers/types";
import { ProviderError } from "../providers/types";
import { extractPartialStringField } from "./partial-json";
import { buildAnswerPrompt, parseAnswerJson, type AnswerPromptOptions } from "./prompt";
import type { Answerer, AnswerRequest, DraftAnswer } from "./types";

export interface LlmAnswererOptions {
  chat: ChatModel;
  storeName: string;
  /** Left unset by default: reasoning models accept only their default temperature. */
  temperature?: number;
  /** Cap on generated tokens (reasoning models count their thinking in it too). */
  maxOutputTokens?: number;
  tone?: AnswerPromptOptions["tone"];
  maxAnswerChars?: number;
}

/**
 * Grounded generation with any ChatModel that supports structured output. Produces a draft:
 * citations and facts are checked afterwards by the validator, which may ask for one retry
 * through `validationFeedback`.
 */
export function createLlmAnswerer(options: LlmAnswererOptions): Answerer {
  const { chat } = options;

  function chatRequest(request: AnswerRequest, abortSignal?: AbortSignal) {
    const prompt = buildAnswerPrompt(request, { storeName: options.storeName, tone: options.tone, maxAnswerChars: options.maxAnswerChars });
    return {
      messages: request.promptMessages && !request.validationFeedback ? request.promptMessages : prompt.messages,
      jsonSchema: prompt.jsonSchema,
      temperature: options.temperature,
      maxOutputTokens: options.maxOutputTokens,
      abortSignal,
    };
  }

  return {
    id: `llm:${chat.id}`,

    async answer(request, answerOptions) {
      const chatInput = chatRequest(request, answerOptions?.abortSignal);
      const result = await chat.generate(chatInput);
      return { ...parseAnswerJson(result.text, result.usage), prompt: chatInput.messages };
    },

    async *stream(request, answerOptions) {
      let received = "";
      let shown = "";
      const chatInput = chatRequest(request, answerOptions?.abortSignal);
      for await (const part of chat.stream(chatInput)) {
        if (part.type === "delta") {
          received += part.text;
          // Each reading is a prefix of the final answer (leading spaces dropped, as the draft
          // trims them); only the newly decoded tail is sent.
          const visible = extractPartialStringField(received, "answer")?.value.trimStart() ?? "";
          if (visible.length > shown.length && visible.startsWith(shown)) {
            const text = visible.slice(shown.length);
            shown = visible;
            yield { type: "delta", text };
          }
          continue;
        }
        const draft: DraftAnswer = { ...parseAnswerJson(part.text, part.usage), prompt: chatInput.messages };
        // Anything not yet shown (a server that sends the object in one piece) goes out now.
        if (draft.answer.length > shown.length && draft.answer.startsWith(shown)) {
          yield { type: "delta", text: draft.answer.slice(shown.length) };
        }
        yield { type: "done", draft };
        return;
      }
      throw new ProviderError("bad_response", `The stream from ${chat.id} ended before the answer was complete.`);
    },
  };
}
