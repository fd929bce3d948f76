/**
 * Policy and page files (Markdown or HTML) -> CatalogBatch. The policy type
 * comes from the file name (refund-policy.md, shipping-policy.html, ...);
 * other names become pages. Front matter is read for a title and dropped;
 * HTML (whole files, or blocks inside Markdown) is turned into text with
 * Markdown headings kept, so policies can be chunked by section.
 */
import { createEmptyBatch, UNKNOWN_TIMESTAMP } from "./batch";
import { decodeEntities, htmlToText } from "./html-to-text";
import { slugify } from "./slug";
import type { CatalogBatch, PolicyType } from "./types";

export interface PolicyFile {
  name: string;
  content: string;
  /** ISO timestamp, e.g. the file's modification time. */
  updatedAt?: string;
}

const POLICY_NAMES: Record<string, { type: PolicyType; title: string }> = {
  "refund-policy": { type: "refund", title: "Refund policy" },
  "shipping-policy": { type: "shipping", title: "Shipping policy" },
  "privacy-policy": { type: "privacy", title: "Privacy policy" },
  "terms-of-service": { type: "terms", title: "Terms of service" },
  "contact-information": { type: "contact", title: "Contact information" },
  contact: { type: "contact", title: "Contact information" },
  "legal-notice": { type: "legal_notice", title: "Legal notice" },
  "subscription-policy": { type: "subscription", title: "Subscription policy" },
};

export const POLICY_FILE_EXTENSIONS = [".md", ".markdown", ".html", ".htm", ".txt"];

/** The policy type a file name stands for, or null when it is not a policy name. */
export function policyTypeForFileName(name: string): PolicyType | null {
  return POLICY_NAMES[baseName(name).toLowerCase()]?.type ?? null;
}

export function parsePolicyFiles(files: PolicyFile[]): CatalogBatch {
  const batch = createEmptyBatch();
  for (const file of files) {
    const ext = extension(file.name);
    if (!POLICY_FILE_EXTENSIONS.includes(ext)) {
      batch.issues.push({ file: file.name, line: 0, message: `Unsupported policy/page file type "${ext || "(none)"}": use .md or .html.` });
      continue;
    }
    const { title: frontTitle, body: rawBody } = splitFrontMatter(file.content);
    const body = ext === ".html" || ext === ".htm" ? htmlToText(rawBody, { markdownHeadings: true }) : cleanMarkdown(rawBody);
    if (!body.trim()) {
      batch.issues.push({ file: file.name, line: 1, message: "The file has no text; nothing was imported from it." });
      continue;
    }
    const name = baseName(file.name);
    const known = POLICY_NAMES[name.toLowerCase()];
    const title = frontTitle || firstH1(body) || known?.title || titleFromName(name);
    const updatedAt = file.updatedAt ?? UNKNOWN_TIMESTAMP;
    if (known) {
      batch.policies.push({ id: name.toLowerCase(), type: known.type, title, body, url: `/policies/${name.toLowerCase()}`, updatedAt });
    } else {
      const handle = slugify(name) || "page";
      batch.pages.push({ id: handle, handle, title, body, url: `/pages/${handle}`, published: true, updatedAt });
    }
  }
  return batch;
}

/** YAML front matter: only a `title:` is read; the block never reaches the text. */
export function splitFrontMatter(content: string): { title: string | null; body: string } {
  const text = content.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!match) return { title: null, body: text };
  const titleLine = /^title:\s*(.+)$/m.exec(match[1]);
  const title = titleLine ? decodeEntities(titleLine[1].trim().replace(/^(["'])(.*)\1$/, "$2")).trim() : null;
  return { title: title || null, body: text.slice(match[0].length) };
}

/** Markdown that may hold HTML blocks: drop the markup, keep the Markdown. */
export function cleanMarkdown(markdown: string): string {
  if (!/<[a-zA-Z!/]/.test(markdown)) return tidyLines(markdown);
  const parts = markdown.split(/\n{2,}/).map((block) =>
    /^\s*<[a-zA-Z!/]/.test(block) || /<\/(div|p|table|ul|ol|li)>/i.test(block)
      ? htmlToText(block, { markdownHeadings: true })
      : // Inline tags inside Markdown: drop the tags, keep the text and its line breaks.
        decodeEntities(block.replace(/<br\s*\/?>/gi, "\n").replace(/<\/?[a-zA-Z][^>]*>/g, "")),
  );
  return tidyLines(parts.join("\n\n"));
}

function tidyLines(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function firstH1(markdown: string): string | null {
  const m = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  return m ? m[1].trim() : null;
}

function titleFromName(name: string): string {
  const words = name.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function extension(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf(".");
  return dot > 0 ? file.slice(dot).toLowerCase() : "";
}

function baseName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf(".");
  return dot > 0 ? file.slice(0, dot) : file;
}
