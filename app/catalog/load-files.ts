/**
 * Reads catalog files and folders from disk and hands each to its parser:
 * .csv -> Shopify product CSV; .json -> Admin REST products (or collections);
 * .jsonl -> Admin GraphQL bulk output when it carries gid:// ids or __parentId,
 * else generic documents; .md/.html/.txt -> policies (by name) or pages.
 * Folders are walked. A file that cannot be read becomes an ImportIssue; the
 * rest still imports.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseAdminRestProducts } from "./admin-rest-json";
import { createEmptyBatch, mergeBatches } from "./batch";
import { parseBulkJsonl } from "./bulk-jsonl";
import { parseGenericJsonl } from "./generic-jsonl";
import { parsePolicyFiles, POLICY_FILE_EXTENSIONS } from "./policy-files";
import { parseShopifyCsv } from "./shopify-csv";
import type { CatalogBatch } from "./types";

// Files a store folder may hold that are not catalog content.
const IGNORED_FILE_NAMES = /^(readme|license|licence|changelog|notice)(\.[a-z]+)?$|^store\.json$/i;

export interface LoadCatalogFilesOptions {
  /** Shop currency stamped on imported products (files do not carry it). */
  currency?: string | null;
}

export async function loadCatalogFiles(paths: string[], options: LoadCatalogFilesOptions = {}): Promise<CatalogBatch> {
  const { currency } = options;
  const files: string[] = [];
  const batches: CatalogBatch[] = [];
  const missing = createEmptyBatch();
  for (const p of paths) {
    try {
      files.push(...(await listFiles(p)));
    } catch (err) {
      missing.issues.push({ file: p, line: 0, message: `Cannot read "${p}": ${describeFsError(err)}` });
    }
  }
  batches.push(missing);

  const collectionTitles = new Map<string, string>();
  const collectionMembers = new Map<string, string[]>();

  for (const file of files) {
    const ext = path.extname(file).toLowerCase();
    let text: string;
    let updatedAt: string;
    try {
      text = await readFile(file, "utf8");
      updatedAt = (await stat(file)).mtime.toISOString();
    } catch (err) {
      batches.push(issueBatch(file, 0, `Cannot read the file: ${describeFsError(err)}`));
      continue;
    }

    if (ext === ".csv") {
      batches.push(parseShopifyCsv(text, { file, updatedAt, currency }));
    } else if (ext === ".json") {
      const collections = readCollectionsFile(text);
      if (collections) {
        for (const [handle, title] of collections.titles) collectionTitles.set(handle, title);
        for (const [handle, ids] of collections.members) collectionMembers.set(handle, ids);
      } else {
        batches.push(parseAdminRestProducts(text, { file, currency }));
      }
    } else if (ext === ".jsonl" || ext === ".ndjson") {
      batches.push(isBulkOperationOutput(text) ? parseBulkJsonl(text, { file, currency }) : parseGenericJsonl(text, { file, updatedAt }));
    } else if (POLICY_FILE_EXTENSIONS.includes(ext)) {
      const batch = parsePolicyFiles([{ name: path.basename(file), content: text, updatedAt }]);
      // Issues name the file by its full path, like every other parser's.
      batch.issues = batch.issues.map((i) => ({ ...i, file }));
      batches.push(batch);
    } else {
      batches.push(issueBatch(file, 0, `Unsupported file type "${ext || "(none)"}": use .csv, .json, .jsonl, .md or .html.`));
    }
  }

  const merged = mergeBatches(batches);
  applyCollections(merged, collectionTitles, collectionMembers);
  return merged;
}

async function listFiles(p: string): Promise<string[]> {
  const info = await stat(p);
  if (!info.isDirectory()) return [p];
  const out: string[] = [];
  const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const child = path.join(p, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(child)));
    else if (entry.isFile() && !IGNORED_FILE_NAMES.test(entry.name)) out.push(child);
  }
  return out;
}

/** Bulk operation output names objects by gid and links children with __parentId. */
export function isBulkOperationOutput(text: string): boolean {
  const firstLine = text.replace(/^\ufeff/, "").split(/\r?\n/).find((l) => l.trim()) ?? "";
  try {
    const first = JSON.parse(firstLine) as Record<string, unknown>;
    return (typeof first?.id === "string" && first.id.startsWith("gid://shopify/")) || "__parentId" in (first ?? {});
  } catch {
    return firstLine.includes('"gid://shopify/') || firstLine.includes('"__parentId"');
  }
}

/**
 * Admin REST collection lists ({"collections"|"custom_collections"|"smart_collections": [...]})
 * give titles; a map of collection handle -> product ids gives membership.
 */
function readCollectionsFile(text: string): { titles: Map<string, string>; members: Map<string, string[]> } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const obj = value as Record<string, unknown>;
  const titles = new Map<string, string>();
  const members = new Map<string, string[]>();
  const lists = ["collections", "custom_collections", "smart_collections"].map((k) => obj[k]).filter(Array.isArray) as unknown[][];
  if (lists.length > 0) {
    for (const c of lists.flat()) {
      const rec = c as Record<string, unknown>;
      if (typeof rec?.handle === "string" && typeof rec.title === "string") titles.set(rec.handle, rec.title);
    }
    return { titles, members };
  }
  const entries = Object.entries(obj);
  const isMembership =
    entries.length > 0 &&
    entries.every(([, ids]) => Array.isArray(ids) && ids.every((id) => typeof id === "number" || typeof id === "string"));
  if (!isMembership) return null;
  for (const [handle, ids] of entries) members.set(handle, (ids as (string | number)[]).map(String));
  return { titles, members };
}

function applyCollections(batch: CatalogBatch, titles: Map<string, string>, members: Map<string, string[]>) {
  if (members.size === 0) return;
  const byId = new Map(batch.products.map((p) => [p.id, p]));
  for (const [handle, ids] of members) {
    const title = titles.get(handle) ?? handle;
    for (const id of ids) {
      const product = byId.get(id);
      if (product && !product.collections.includes(title)) product.collections.push(title);
    }
  }
}

function issueBatch(file: string, line: number, message: string): CatalogBatch {
  const batch = createEmptyBatch();
  batch.issues.push({ file, line, message });
  return batch;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "no such file or folder.";
  if (code === "EACCES") return "permission denied.";
  return (err as Error)?.message ?? String(err);
}
