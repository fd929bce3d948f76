/**
 * Admin GraphQL bulk operation output (JSONL) -> CatalogBatch.
 *
 * Each line is one object. Products are root lines; their variants, collections,
 * metafields and media come as separate lines carrying `__parentId` (the
 * product's gid). Without `groupObjects` a child may come before its parent, so
 * the whole file is read before products are assembled. Bad lines become
 * ImportIssues with their line number; everything else imports.
 */
import type { CatalogBatch, ImportIssue } from "./types";
import { createEmptyBatch } from "./batch";
import { gidType } from "./shopify-admin-client";
import {
  childKindOfGid,
  mapProductNode,
  type GqlProductChildren,
  type GqlProductNode,
} from "./shopify-product-mapping";

export interface ParseBulkJsonlOptions {
  /** Name used in ImportIssues (a path, or "bulk-operation:<id>"). */
  file: string;
  /** Shop currency (ISO code) stamped on every product; bulk output does not carry it. */
  currency?: string | null;
}

interface PendingProduct {
  line: number;
  node: GqlProductNode;
  children: GqlProductChildren;
}

export function parseBulkJsonl(text: string, opts: ParseBulkJsonlOptions): CatalogBatch {
  const batch = createEmptyBatch();
  const issue = (line: number, message: string, code?: string): void => {
    batch.issues.push((code ? { file: opts.file, line, message, code } : { file: opts.file, line, message }) satisfies ImportIssue);
  };

  const products = new Map<string, PendingProduct>();
  const children: { line: number; parentId: string; object: Record<string, unknown> }[] = [];

  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].trim();
    if (raw === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      issue(lineNo, "not valid JSON; line skipped");
      continue;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      issue(lineNo, "expected a JSON object; line skipped");
      continue;
    }
    const object = parsed as Record<string, unknown>;
    const parentId = object.__parentId;
    if (typeof parentId === "string") {
      children.push({ line: lineNo, parentId, object });
      continue;
    }
    const id = object.id;
    if (typeof id !== "string" || gidType(id) !== "Product") {
      issue(lineNo, `expected a product (gid://shopify/Product/...) but found id ${JSON.stringify(id)}; line skipped`);
      continue;
    }
    if (products.has(id)) {
      issue(lineNo, `product ${id} appears twice; the later line is skipped`);
      continue;
    }
    products.set(id, {
      line: lineNo,
      node: object as unknown as GqlProductNode,
      children: { variants: [], collections: [], metafields: [], media: [] },
    });
  }

  // A variant's gid is its identity: a second line with the same one is the same variant.
  const variantLines = new Map<string, number>();
  for (const child of children) {
    const parent = products.get(child.parentId);
    if (!parent) {
      issue(child.line, `refers to parent ${child.parentId}, which is not a product in this file; line skipped`);
      continue;
    }
    const childId = child.object.id;
    const kind = typeof childId === "string" ? childKindOfGid(childId) : null;
    if (!kind) {
      issue(child.line, `unrecognized child object ${JSON.stringify(childId)}; line skipped`);
      continue;
    }
    if (kind === "variants") {
      const firstLine = variantLines.get(childId as string);
      if (firstLine !== undefined) {
        issue(child.line, `repeats variant ${String(childId)} of line ${firstLine}; line ${child.line} skipped`, "duplicate_variant");
        continue;
      }
      variantLines.set(childId as string, child.line);
    }
    (parent.children[kind] as unknown[]).push(child.object);
  }

  for (const pending of products.values()) {
    const mapped = mapProductNode(pending.node, pending.children, opts.currency ?? null);
    if (!mapped.ok) {
      issue(pending.line, `${mapped.message}; product skipped`);
      continue;
    }
    for (const warning of mapped.warnings) issue(pending.line, warning);
    batch.products.push(mapped.value);
  }
  return batch;
}
