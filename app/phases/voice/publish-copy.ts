/**
 * Drafts, publishing and restoring descriptions. A draft is stored with the copy it
 * would replace; publishing sends the exact safe HTML through the writer only when the
 * merchant clicks; restoring sends the previous copy back. Nothing publishes by itself.
 */
import type { Db } from "../../db/open-database";
import { toSafeHtml } from "./safe-html";
import { VoiceError, type ProductCopyWriter, type UnbackedClaim } from "./types";
import type { DescriptionDraft } from "./write-description";

export interface CopyRevision {
  id: number;
  productId: string;
  handle: string;
  previousHtml: string;
  draftHtml: string;
  publishedHtml: string | null;
  status: "draft" | "published" | "restored";
  model: string;
  claims: UnbackedClaim[];
  createdAt: string;
  publishedAt: string | null;
  restoredAt: string | null;
}

type RevisionRow = Awaited<ReturnType<Db["voiceCopyRevision"]["findFirst"]>> & {};

function view(row: RevisionRow): CopyRevision {
  return {
    id: row.id,
    productId: row.productId,
    handle: row.handle,
    previousHtml: row.previousHtml,
    draftHtml: row.draftHtml,
    publishedHtml: row.publishedHtml,
    status: row.status as CopyRevision["status"],
    model: row.model,
    claims: JSON.parse(row.claims) as UnbackedClaim[],
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    restoredAt: row.restoredAt?.toISOString() ?? null,
  };
}

export async function saveDraft(db: Db, shop: string, draft: DescriptionDraft, previousHtml: string): Promise<CopyRevision> {
  const row = await db.voiceCopyRevision.create({
    data: { shop, productId: draft.productId, handle: draft.handle, previousHtml, draftHtml: draft.html, model: draft.model, claims: JSON.stringify(draft.claims) },
  });
  return view(row);
}

async function own(db: Db, shop: string, id: number): Promise<RevisionRow> {
  const row = await db.voiceCopyRevision.findFirst({ where: { shop, id } });
  if (!row) throw new VoiceError("not_found", "No such draft for this store.");
  return row;
}

/** The merchant's edit: stored as safe HTML, whatever was typed. */
export async function editDraft(db: Db, shop: string, id: number, html: string): Promise<CopyRevision> {
  const row = await own(db, shop, id);
  if (row.status !== "draft") throw new VoiceError("not_a_draft", "This description is already published; write a new draft to change it.");
  const safe = toSafeHtml(html);
  if (!safe.trim()) throw new VoiceError("empty_copy", "The description is empty; write something or discard the draft.");
  return view(await db.voiceCopyRevision.update({ where: { id }, data: { draftHtml: safe } }));
}

/** Publishes on the merchant's click: the stored draft, exactly, then marks it published. */
export async function publishDraft(db: Db, writer: ProductCopyWriter, shop: string, id: number, now = new Date()): Promise<CopyRevision> {
  const row = await own(db, shop, id);
  if (row.status !== "draft") throw new VoiceError("not_a_draft", "This description was already published.");
  await writer.updateDescription(row.productId, row.draftHtml);
  return view(await db.voiceCopyRevision.update({ where: { id }, data: { status: "published", publishedHtml: row.draftHtml, publishedAt: now } }));
}

/** One click back: the copy the product had before this revision was published. */
export async function restorePrevious(db: Db, writer: ProductCopyWriter, shop: string, id: number, now = new Date()): Promise<CopyRevision> {
  const row = await own(db, shop, id);
  if (row.status !== "published") throw new VoiceError("not_published", "Only a published description can be restored.");
  await writer.updateDescription(row.productId, row.previousHtml);
  return view(await db.voiceCopyRevision.update({ where: { id }, data: { status: "restored", restoredAt: now } }));
}

export async function listRevisions(db: Db, shop: string, handle?: string): Promise<CopyRevision[]> {
  const rows = await db.voiceCopyRevision.findMany({ where: { shop, ...(handle ? { handle } : {}) }, orderBy: { id: "desc" }, take: 50 });
  return rows.map(view);
}
