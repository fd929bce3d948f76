/**
 * "Write description": a draft in the brand voice for one product, its unbacked claims,
 * and the difference from the current copy, word by word. Pure apart from the model call;
 * nothing here publishes (publish-copy.ts does, and only on the merchant's click).
 */
import { htmlToText } from "../../catalog/html-to-text";
import type { CatalogProduct } from "../../catalog/types";
import type { ChatModel } from "../../providers/types";
import { fineTunedMessages } from "./evaluate-voice";
import { factBasisOf, findUnbackedClaims } from "./fact-check";
import { productFactsText } from "./product-facts";
import { toSafeHtml } from "./safe-html";
import type { UnbackedClaim } from "./types";

/** Fewer visible characters than this counts as thin copy, worth a bulk rewrite. */
export const THIN_COPY_CHARS = 300;

export interface DiffSegment {
  kind: "same" | "added" | "removed";
  text: string;
}

export interface DescriptionDraft {
  handle: string;
  productId: string;
  html: string;
  model: string;
  claims: UnbackedClaim[];
  diff: DiffSegment[];
}

export function isThinCopy(product: CatalogProduct): boolean {
  return htmlToText(product.descriptionHtml).trim().length < THIN_COPY_CHARS;
}

export async function writeDescription(input: { brief: string; product: CatalogProduct; model: ChatModel; abortSignal?: AbortSignal }): Promise<DescriptionDraft> {
  const result = await input.model.generate({ messages: fineTunedMessages(input.brief, productFactsText(input.product)), abortSignal: input.abortSignal });
  const html = toSafeHtml(result.text);
  return {
    handle: input.product.handle,
    productId: input.product.id,
    html,
    model: input.model.id,
    claims: findUnbackedClaims(html, factBasisOf(input.product)),
    diff: diffWords(htmlToText(input.product.descriptionHtml), htmlToText(html)),
  };
}

/** Word-level difference (longest common subsequence); long texts are compared in their first 2,000 words. */
export function diffWords(before: string, after: string): DiffSegment[] {
  const a = (before.match(/\S+\s*/g) ?? []).slice(0, 2000);
  const b = (after.match(/\S+\s*/g) ?? []).slice(0, 2000);
  const key = (w: string) => w.trim().toLowerCase();
  const rows = a.length + 1;
  const cols = b.length + 1;
  const lcs = new Uint16Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * cols + j] = key(a[i]) === key(b[j]) ? lcs[(i + 1) * cols + j + 1] + 1 : Math.max(lcs[(i + 1) * cols + j], lcs[i * cols + j + 1]);
    }
  }
  const out: DiffSegment[] = [];
  const push = (kind: DiffSegment["kind"], text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (key(a[i]) === key(b[j])) {
      push("same", b[j]);
      i++;
      j++;
    } else if (lcs[(i + 1) * cols + j] >= lcs[i * cols + j + 1]) push("removed", a[i++]);
    else push("added", b[j++]);
  }
  while (i < a.length) push("removed", a[i++]);
  while (j < b.length) push("added", b[j++]);
  return out;
}
