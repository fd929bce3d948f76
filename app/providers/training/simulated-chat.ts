/**
 * The demo's simulated models, answering OpenAI-compatible chat completions. Deterministic,
 * and honest about being a simulation (labelled "simulated training" wherever it shows):
 *
 * - A "voice" model (the output of a simulated fine-tune) writes product copy from the facts in
 *   the user message, in a style mined from the examples it was trained on: their HTML layout,
 *   their usual sentence length, and their recurring opening and closing lines that carry no
 *   fact (no digit, no word from the product's own facts). It states only facts it was given.
 * - An answering model reads the grounded-answer prompt (numbered <source> blocks and a
 *   <question>) and replies in the JSON the app's LLM answerer expects, quoting the source
 *   lines that best match the question and citing them. The "teacher" quotes up to two lines;
 *   the small "student" base quotes one. A student fine-tuned on the teacher's answers quotes
 *   as many lines as its training answers did (learned from the training file, so it is only
 *   as good as its data), and on comparisons, either way, cites only one product: cheaper,
 *   and measurably worse on that intent.
 *
 * Text from prompts is data: it is quoted, never followed.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { contentTokens, splitSentences } from "../../retrieval/text";

import { SIMULATED_STUDENT_BASE } from "./simulated-prices";

export { SIMULATED_MODEL_PRICES, SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL, SIMULATED_VOICE_BASE } from "./simulated-prices";

export interface ChatMessageIn {
  role: string;
  content: string;
}

export interface SimulatedModelInfo {
  /** The training JSONL the model was fine-tuned on, when it is a fine-tuned model. */
  trainingText?: string;
  /** The base it was fine-tuned from (or the model itself when it is a base). */
  baseModel: string;
}

export interface SimulatedCompletion {
  content: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export function completeSimulatedChat(model: string, info: SimulatedModelInfo, messages: ChatMessageIn[], wantsAnswerJson: boolean): SimulatedCompletion {
  const prompt = messages.map((m) => m.content).join("\n");
  const user = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const student = info.baseModel === SIMULATED_STUDENT_BASE;
  const answering = wantsAnswerJson || /<sources>/.test(user);
  const quoteLines = student ? (info.trainingText ? learnedQuoteLines(info.trainingText) : 1) : 2;
  const content = answering ? JSON.stringify(answerFromSources(user, student, quoteLines)) : writeCopy(user, info.trainingText ? mineStyle(info.trainingText) : undefined);
  const promptTokens = countTokens(prompt) + 4 * messages.length;
  const completionTokens = countTokens(content);
  return { content, usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } };
}

// ------------------------------------------------------------------ answering from sources

interface ParsedSource {
  id: string;
  handle?: string;
  type: string;
  lines: string[];
}

function parseSources(user: string): ParsedSource[] {
  const out: ParsedSource[] = [];
  for (const m of user.matchAll(/<source ([^>]*)>\n([\s\S]*?)\n<\/source>/g)) {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(m[1])?.[1];
    const lines = m[2]
      .split("\n")
      .flatMap((line) => (line.trim().startsWith("-") ? [line.trim().replace(/^-\s*/, "")] : splitSentences(line)))
      .map((l) => l.trim())
      .filter((l) => l && l !== "Facts:");
    out.push({ id: attr("id") ?? "", handle: attr("handle"), type: attr("type") ?? "", lines });
  }
  return out.filter((s) => s.id);
}

/**
 * What a student fine-tuned on the teacher's answers learned about their length: the median
 * number of source lines the training answers quote (answers that were not refusals), at
 * least one. A student trained on one-line answers keeps quoting one line.
 */
export function learnedQuoteLines(trainingJsonl: string): number {
  const counts: number[] = [];
  for (const line of trainingJsonl.split("\n")) {
    if (!line.trim()) continue;
    try {
      const messages = (JSON.parse(line) as { messages?: ChatMessageIn[] }).messages ?? [];
      const reply = JSON.parse(messages.find((m) => m.role === "assistant")?.content ?? "{}") as { answer?: unknown; refused?: unknown };
      if (reply.refused === true || typeof reply.answer !== "string" || !reply.answer.trim()) continue;
      counts.push(splitSentences(reply.answer).length);
    } catch {
      // A line that is not a grounded answer teaches nothing about answer length.
    }
  }
  if (counts.length === 0) return 1;
  counts.sort((a, b) => a - b);
  return Math.max(1, counts[Math.floor(counts.length / 2)]);
}

export function answerFromSources(user: string, student: boolean, quoteLines = student ? 1 : 2): { answer: string; citation_ids: string[]; product_handles: string[]; refused: boolean } {
  const question = /<question>\n([\s\S]*?)\n<\/question>/.exec(user)?.[1] ?? "";
  const task = /^Task: (.*)$/m.exec(user)?.[1] ?? "";
  const refusal = { answer: "I don't know that from the store's information. Please contact the store.", citation_ids: [], product_handles: [], refused: true };
  // The task says when there is nothing to answer from (orders, other topics).
  if (/set refused to true/.test(task)) return refusal;
  const wanted = new Set(contentTokens(question));
  if (wanted.size === 0) return refusal;
  const scored = parseSources(user)
    .flatMap((source) => source.lines.map((line) => ({ source, line, score: contentTokens(line).filter((t) => wanted.has(t)).length })))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.source.id.localeCompare(b.source.id));
  if (scored.length === 0) return refusal;
  const comparison = /comparison/.test(task);
  let chosen = scored.slice(0, quoteLines);
  // The student, trained or not, reads only the best-matching product of a comparison.
  if (comparison && student) chosen = scored.filter((c) => c.source.id === scored[0].source.id).slice(0, quoteLines);
  if (comparison && !student) {
    // The teacher quotes the best line of each of the two best-matching products.
    const seen = new Set<string>();
    chosen = scored.filter((c) => !seen.has(c.source.id) && seen.add(c.source.id)).slice(0, 2);
  }
  const answer = chosen.map((c) => (/[.!?]$/.test(c.line) ? c.line : `${c.line}.`)).join(" ");
  return {
    answer,
    citation_ids: [...new Set(chosen.map((c) => c.source.id))],
    product_handles: [...new Set(chosen.map((c) => c.source.handle).filter((h): h is string => Boolean(h)))],
    refused: false,
  };
}

// ------------------------------------------------------------------ writing copy in a voice

export interface MinedStyle {
  usesParagraphs: boolean;
  usesList: boolean;
  /** Average words per sentence in the examples' copy. */
  sentenceWords: number;
  /** Recurring sentences that state no fact (no digit, no word of the product's facts), most frequent first. */
  openers: string[];
  closers: string[];
  examples: number;
}

/** Reads the assistant turns of a chat JSONL and keeps what makes them sound like the store. */
export function mineStyle(trainingJsonl: string): MinedStyle {
  const copies: { copy: string; facts: string }[] = [];
  for (const line of trainingJsonl.split("\n")) {
    if (!line.trim()) continue;
    try {
      const messages = (JSON.parse(line) as { messages?: ChatMessageIn[] }).messages ?? [];
      const copy = messages.find((m) => m.role === "assistant")?.content;
      if (copy) copies.push({ copy, facts: messages.find((m) => m.role === "user")?.content ?? "" });
    } catch {
      // A line that is not JSON teaches nothing.
    }
  }
  const texts = copies.map((c) => c.copy.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
  const sentences = texts.flatMap((t) => splitSentences(t));
  const words = sentences.reduce((n, s) => n + s.split(/\s+/).length, 0);
  // Whole sentences that recur across products and state no fact: the store's signature lines.
  const recurring = new Map<string, { text: string; count: number; first: number; last: number }>();
  for (const [i, text] of texts.entries()) {
    const factWords = new Set(contentTokens(copies[i].facts));
    const own = splitSentences(text);
    for (const [j, sentence] of own.entries()) {
      if (/\d/.test(sentence) || contentTokens(sentence).some((t) => factWords.has(t))) continue;
      const key = sentence.toLowerCase();
      const entry = recurring.get(key) ?? { text: sentence, count: 0, first: 0, last: 0 };
      entry.count++;
      if (j === 0) entry.first++;
      if (j === own.length - 1) entry.last++;
      recurring.set(key, entry);
    }
  }
  const signature = [...recurring.values()].filter((e) => e.count >= 2).sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
  const openers = signature.filter((e) => e.first >= e.last).map((e) => e.text);
  const closers = signature.filter((e) => e.last > e.first).map((e) => e.text);
  return {
    usesParagraphs: copies.some((c) => /<p[\s>]/i.test(c.copy)),
    usesList: copies.filter((c) => /<li[\s>]/i.test(c.copy)).length * 2 >= copies.length && copies.length > 0,
    sentenceWords: sentences.length ? Math.round(words / sentences.length) : 14,
    openers,
    closers,
    examples: copies.length,
  };
}

/** Facts arrive as "Label: value" lines (any labels, any language); each is stated once, as given. */
export function writeCopy(user: string, style: MinedStyle | undefined): string {
  const facts = user
    .split("\n")
    .map((l) => /^\s*-?\s*([^:]{1,60}):\s*(.+)$/.exec(l))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ label: m[1].trim(), value: m[2].trim() }));
  const title = facts.find((f) => /^(title|name)$/i.test(f.label))?.value ?? facts[0]?.value ?? "This product";
  const rest = facts.filter((f) => f.value !== title);
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  if (!style) {
    // The untrained base: plain and generic, the baseline a fine-tune should beat on voice.
    return `<p>${escape(title)}. ${rest.map((f) => `${escape(f.label)}: ${escape(f.value)}.`).join(" ")}</p>`;
  }
  const opener = style.openers.length ? `${escape(style.openers[0])} ${escape(title)}.` : `${escape(title)}.`;
  const closing = style.closers.length ? `<p>${escape(style.closers[0])}</p>` : "";
  const factSentences = rest.map((f) => `${escape(f.label)}: ${escape(f.value)}`);
  const body = style.usesList ? `<ul>${factSentences.map((s) => `<li>${s}</li>`).join("")}</ul>` : `<p>${chunk(factSentences, style.sentenceWords).join(" ")}</p>`;
  return style.usesParagraphs || style.usesList ? `<p>${opener}</p>${body}${closing}` : `${opener} ${body.replace(/<[^>]+>/g, " ").trim()} ${closing.replace(/<[^>]+>/g, "")}`.trim();
}

/** Joins facts into sentences near the examples' length. */
function chunk(parts: string[], wordsPerSentence: number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const part of parts) {
    current.push(part);
    if (current.join(" ").split(/\s+/).length >= wordsPerSentence) {
      out.push(`${current.join("; ")}.`);
      current = [];
    }
  }
  if (current.length) out.push(`${current.join("; ")}.`);
  return out;
}

