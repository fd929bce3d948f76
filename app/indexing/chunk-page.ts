/** A page becomes one chunk per section, like a policy. */
import { htmlToText, looksLikeHtml } from "../catalog/html-to-text";
import type { CatalogPage } from "../catalog/types";
import type { IndexChunk } from "../stores/types";
import { chunkSections } from "./chunk-text";

export function chunkPage(page: CatalogPage): IndexChunk[] {
  return chunkSections({
    sourceType: "page",
    sourceId: page.id,
    title: page.title,
    baseUrl: page.url,
    markdown: looksLikeHtml(page.body) ? htmlToText(page.body, { markdownHeadings: true }) : page.body,
    fields: {},
  });
}
