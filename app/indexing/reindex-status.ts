/**
 * What Settings tells a merchant about the re-index its embedding model change started:
 * queued, running (with progress), or how the last one ended. Read from the queue's
 * index.rebuild jobs and the SyncRun of kind "reindex" each run records.
 */
import type { Db } from "../db/open-database";

export interface ReindexStatus {
  state: "queued" | "running" | "done" | "failed";
  /** The model filling the shop's index, as people name it (e.g. "text-embedding-3-small"). */
  model: string;
  /** Catalog items (products, policies, pages, documents) indexed so far, and in all. */
  processed: number;
  total: number | null;
  /** Passages in the finished index. */
  chunks: number | null;
  error: string | null;
  finishedAt: string | null;
}

/** A finished re-index is mentioned for this long; after that Settings says nothing. */
const RECENT_MS = 24 * 60 * 60 * 1000;

/** "openai:text-embedding-3-small:1536" -> "text-embedding-3-small"; other ids are the app's own models. */
export function modelLabel(modelId: string | null | undefined): string {
  const openai = /^openai:(.+):\d+$/.exec(modelId ?? "");
  return openai ? openai[1] : "the built-in model";
}

/** `target`: the shop's target index now (the index router's targetFor), which the re-index fills. */
export async function loadReindexStatus(db: Db, shop: string, target: { name: string; model: string }, now: Date = new Date()): Promise<ReindexStatus | null> {
  const [job, run, row] = await Promise.all([
    db.job.findFirst({ where: { shop, kind: "index.rebuild", status: { in: ["queued", "running"] } }, orderBy: { id: "desc" }, select: { status: true } }),
    db.syncRun.findFirst({ where: { shop, kind: "reindex" }, orderBy: { id: "desc" } }),
    db.searchIndex.findUnique({ where: { shop_name: { shop, name: target.name } }, select: { status: true, chunks: true } }),
  ]);
  const model = modelLabel(target.model);
  if (run?.status === "running") {
    return { state: "running", model, processed: run.processed, total: run.total, chunks: null, error: null, finishedAt: null };
  }
  if (job) return { state: job.status === "running" ? "running" : "queued", model, processed: 0, total: null, chunks: null, error: null, finishedAt: null };
  if (!run?.finishedAt || now.getTime() - run.finishedAt.getTime() > RECENT_MS) return null;
  return {
    state: run.status === "done" ? "done" : "failed",
    model,
    processed: run.processed,
    total: run.total,
    chunks: run.status === "done" && row?.status === "ready" ? row.chunks : null,
    error: run.error,
    finishedAt: run.finishedAt.toISOString(),
  };
}

/** The one line Settings shows, e.g. "Re-indexing with text-embedding-3-small: 120 of 150 items." */
export function describeReindex(status: ReindexStatus): string {
  switch (status.state) {
    case "queued":
      return `Re-indexing with ${status.model} is about to start. Answers keep coming from the previous index meanwhile.`;
    case "running":
      return status.total
        ? `Re-indexing with ${status.model}: ${status.processed.toLocaleString("en-US")} of ${status.total.toLocaleString("en-US")} items. Answers keep coming from the previous index meanwhile.`
        : `Re-indexing with ${status.model}… Answers keep coming from the previous index meanwhile.`;
    case "done":
      return `Re-indexed with ${status.model}${status.chunks !== null ? `: ${status.chunks.toLocaleString("en-US")} passages` : ""}. Answers now use it.`;
    case "failed":
      return `Re-indexing with ${status.model} stopped: ${status.error ?? "unknown error"}. Answers still come from the previous index; the Sync page can run it again.`;
  }
}
