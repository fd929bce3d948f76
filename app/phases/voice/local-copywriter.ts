/**
 * The app's own copywriter when no language model is configured (demo mode, the CLI
 * offline): plain copy assembled from the facts in the user message, nothing added.
 * It is the "prompting" side an evaluation compares a fine-tune with when the shop
 * has no chat model, and it never claims to be one.
 */
import type { ChatModel, ChatRequest, ChatResult } from "../../providers/types";
import { escapeHtml } from "./safe-html";

export const LOCAL_COPYWRITER_ID = "local-copywriter";

function facts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const at = line.indexOf(": ");
    if (at > 0) out.set(line.slice(0, at).trim(), line.slice(at + 2).trim());
  }
  return out;
}

export function writeFromFacts(factsText: string): string {
  const f = facts(factsText);
  const title = f.get("Title") ?? "This product";
  const known = new Set(["Title", "Type", "Vendor", "Tags", "Category"]);
  const kind = f.get("Type");
  const vendor = f.get("Vendor");
  const first = `${title}${kind ? `: ${kind.toLowerCase()}` : ""}${vendor ? ` by ${vendor}` : ""}.`;
  const details = [...f].filter(([label]) => !known.has(label)).map(([label, value]) => `<li>${escapeHtml(label)}: ${escapeHtml(value)}</li>`);
  return `<p>${escapeHtml(first)}</p>${details.length ? `<ul>${details.join("")}</ul>` : ""}`;
}

export function createLocalCopywriter(): ChatModel {
  const generate = async (request: ChatRequest): Promise<ChatResult> => {
    const user = [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const text = writeFromFacts(user);
    return { text, usage: { model: LOCAL_COPYWRITER_ID, inputTokens: 0, outputTokens: 0 } };
  };
  return {
    id: LOCAL_COPYWRITER_ID,
    generate,
    async *stream(request) {
      const result = await generate(request);
      yield { type: "delta", text: result.text };
      yield { type: "done", text: result.text, usage: result.usage };
    },
  };
}
