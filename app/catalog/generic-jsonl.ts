/**
 * Generic documents, one JSON object a line:
 * {"id","title","text","url"?,"productHandle"?}. A bad line is reported with its
 * line number and skipped.
 */
import { createEmptyBatch, UNKNOWN_TIMESTAMP } from "./batch";
import type { CatalogBatch } from "./types";

export interface GenericJsonlOptions {
  file: string;
  updatedAt?: string;
}

export function parseGenericJsonl(text: string, options: GenericJsonlOptions): CatalogBatch {
  const batch = createEmptyBatch();
  const { file } = options;
  const seen = new Set<string>();
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    const issue = (message: string) => batch.issues.push({ file, line, message });
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      issue("Not valid JSON; each line must be one JSON object. The line was skipped.");
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      issue("Each line must be a JSON object. The line was skipped.");
      return;
    }
    const record = value as Record<string, unknown>;
    const id = typeof record.id === "number" ? String(record.id) : typeof record.id === "string" ? record.id.trim() : "";
    const title = typeof record.title === "string" ? record.title.trim() : "";
    const body = typeof record.text === "string" ? record.text.trim() : "";
    const missing = [!id && "id", !title && "title", !body && "text"].filter(Boolean);
    if (missing.length > 0) {
      issue(`Missing ${missing.join(", ")}; every line needs "id", "title" and "text". The line was skipped.`);
      return;
    }
    if (seen.has(id)) {
      issue(`Duplicate id "${id}"; the first line with this id was kept.`);
      return;
    }
    seen.add(id);
    batch.documents.push({
      id,
      title,
      text: body,
      url: typeof record.url === "string" && record.url.trim() ? record.url.trim() : null,
      productHandle: typeof record.productHandle === "string" && record.productHandle.trim() ? record.productHandle.trim() : null,
      updatedAt: options.updatedAt ?? UNKNOWN_TIMESTAMP,
    });
  });
  return batch;
}
