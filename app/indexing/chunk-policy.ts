/** A policy becomes one chunk per section, each with its heading path and anchor. */
import { htmlToText, looksLikeHtml } from "../catalog/html-to-text";
import type { CatalogPolicy } from "../catalog/types";
import type { IndexChunk } from "../stores/types";
import { chunkSections } from "./chunk-text";

export function chunkPolicy(policy: CatalogPolicy): IndexChunk[] {
  return chunkSections({
    sourceType: "policy",
    sourceId: policy.id,
    title: policy.title,
    baseUrl: policy.url,
    // Shopify's policy bodies are HTML; file imports arrive as Markdown.
    markdown: looksLikeHtml(policy.body) ? htmlToText(policy.body, { markdownHeadings: true }) : policy.body,
    fields: { policyType: policy.type },
  });
}
