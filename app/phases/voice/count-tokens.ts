/**
 * Token counts with a real tokenizer (o200k_base, the encoding of current chat models),
 * so the merchant's limits and price estimates are counted, not guessed from characters.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import type { ChatExample } from "./types";

// Each chat message costs its content plus a few framing tokens; the reply is primed with three more.
const PER_MESSAGE = 4;
const PRIMING = 3;
// Text that looks like a special token ("<|endoftext|>") is counted as the plain text it is.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function countTextTokens(text: string): number {
  return countTokens(text, AS_PLAIN_TEXT);
}

export function countExampleTokens(example: ChatExample): number {
  return example.messages.reduce((sum, m) => sum + PER_MESSAGE + countTextTokens(m.content), PRIMING);
}
