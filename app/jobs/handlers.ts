/**
 * What each job kind does. Webhook jobs keep the index in line with the shop;
 * lifecycle jobs delete data when the shop asks for it.
 */
import { productFromAdminRest } from "../catalog/admin-rest-json";
import { demoStoreDir, readDemoStoreProfile } from "../catalog/demo-store";
import { loadCatalogFilesForShop } from "../catalog/import-files";
import { adminClientFor, NoShopAccessError, refreshShopContent, runFullSync, syncInventoryItem, syncOneProduct, type ShopifyAccess } from "../catalog/sync-shop";
import { DEMO_SHOP } from "../config";
import { findRepoRoot } from "../db/open-database";
import { indexCatalog, reapplySourceRules, removeMissingSources, removeSource } from "../indexing/index-catalog";
import { rebuildShopIndex } from "../indexing/index-generations";
import { deleteDistillRowsOf, purgeExpired, purgeExpiredTraces } from "../insights/answer-log";
import type { Services } from "../services";
import { clientKeyOf } from "../storefront-api/client-key";
import { syncStudentTraining } from "../phases/distill/train-student";
import { pollTrainingJob, TRAINING_POLL_KIND, type TrainingDeps } from "../phases/training-jobs";
import { loadShopSettings } from "../settings/shop-settings";
import type { JobRecord } from "./queue";
import type { JobHandler } from "./worker";

/** Deletes everything stored for a shop, the index included (shop/redact). */
export async function deleteShopData(services: Services, shop: string): Promise<void> {
  const { db } = services;
  await services.store.deleteShop(shop);
  await db.$transaction([
    db.catalogItem.deleteMany({ where: { shop } }),
    db.answerLog.deleteMany({ where: { shop } }),
    db.feedback.deleteMany({ where: { shop } }),
    db.distillExample.deleteMany({ where: { shop } }),
    db.distillEvalResult.deleteMany({ where: { shop } }),
    db.distillShadowResult.deleteMany({ where: { shop } }),
    db.distillRollout.deleteMany({ where: { shop } }),
    db.usageEvent.deleteMany({ where: { shop } }),
    db.syncRun.deleteMany({ where: { shop } }),
    db.shopSettings.deleteMany({ where: { shop } }),
    db.trainingJob.deleteMany({ where: { shop } }),
    db.webhookDelivery.deleteMany({ where: { shop } }),
    db.session.deleteMany({ where: { shop } }),
    // Rate buckets (PostgreSQL): "<limiter>|s|<shop>" and "<limiter>|c|<shop>|<client>".
    db.rateBucket.deleteMany({ where: { OR: [{ key: { endsWith: `|s|${shop}` } }, { key: { contains: `|c|${shop}|` } }] } }),
    db.voiceProfile.deleteMany({ where: { shop } }),
    db.voiceDataset.deleteMany({ where: { shop } }),
    db.voiceEvaluation.deleteMany({ where: { shop } }),
    db.voiceBlindChoice.deleteMany({ where: { shop } }),
    db.voiceCopyRevision.deleteMany({ where: { shop } }),
    db.shop.deleteMany({ where: { domain: shop } }),
    // The running job (this one) is completed by the worker afterwards.
    db.job.deleteMany({ where: { shop, status: { not: "running" } } }),
  ]);
}

function customerIdOf(payload: unknown): string {
  const customer = bodyOf(payload).customer as { id?: unknown } | undefined;
  return numericId(customer?.id);
}

/** The hash a logged-in customer's storefront questions are logged under (see clientKeyOf). */
export function customerClientHash(services: Services, shop: string, customerId: string): string {
  return clientKeyOf(shop, { loggedInCustomerId: customerId }, services.config.shopify.apiSecret || "demo");
}

/** customers/redact: the customer's logged questions, answers and feedback are deleted. */
export async function redactCustomer(services: Services, shop: string, customerId: string): Promise<number> {
  if (!customerId) return 0;
  const hash = customerClientHash(services, shop, customerId);
  const logs = await services.db.answerLog.findMany({ where: { shop, clientHash: hash }, select: { id: true } });
  const ids = logs.map((l) => l.id);
  // Dataset rows, gate and shadow results first: they point at the answers being erased.
  for (let i = 0; i < ids.length; i += 500) await deleteDistillRowsOf(services.db, shop, ids.slice(i, i + 500));
  await services.db.$transaction([
    services.db.feedback.deleteMany({ where: { shop, answerLogId: { in: ids } } }),
    services.db.usageEvent.deleteMany({ where: { shop, ref: { in: ids } } }),
    services.db.answerLog.deleteMany({ where: { shop, id: { in: ids } } }),
  ]);
  return ids.length;
}

interface WebhookJobPayload {
  topic: string;
  body: Record<string, unknown>;
}

function bodyOf(payload: unknown): Record<string, unknown> {
  return ((payload as WebhookJobPayload)?.body ?? {}) as Record<string, unknown>;
}

function numericId(value: unknown): string {
  return String(value ?? "").replace(/^gid:\/\/shopify\/\w+\//, "");
}

async function withSyncRun(services: Services, job: JobRecord, kind: string, work: (update: (phase: string, processed: number, total: number | null) => Promise<void>) => Promise<object>) {
  const run = await services.db.syncRun.create({ data: { shop: job.shop, kind, status: "running" } });
  let last = 0;
  const update = async (phase: string, processed: number, total: number | null) => {
    // Progress rows are for people watching: a few writes a second is plenty.
    if (Date.now() - last < 300 && processed !== total) return;
    last = Date.now();
    await services.db.syncRun.update({ where: { id: run.id }, data: { phase, processed, total } });
  };
  try {
    const counts = await work(update);
    await services.db.syncRun.update({ where: { id: run.id }, data: { status: "done", phase: "done", counts: JSON.stringify(counts), finishedAt: new Date() } });
  } catch (error) {
    await services.db.syncRun.update({ where: { id: run.id }, data: { status: "failed", error: (error as Error).message.slice(0, 2000), finishedAt: new Date() } });
    throw error;
  }
}

/** What training job tracking needs from the services (the demo polls faster: its jobs take seconds). */
export function trainingDepsFor(services: Services): TrainingDeps {
  return {
    db: services.db,
    queue: services.queue,
    providerFor: (shop, kind) => services.trainingProviderFor(shop, kind),
    pollIntervalMs: services.config.demo ? 1000 : 30_000,
    // A distillation job's model becomes the student, and its spend enters the ledger once.
    onCompleted: async (job) => {
      if (job.purpose === "distill") await syncStudentTraining({ db: services.db, providerFor: (shop, kind) => services.trainingProviderFor(shop, kind) }, job.shop, { trainingJobId: job.id });
    },
  };
}

/** How the worker reaches each shop's Admin API (a local double when configured). */
export function shopifyAccessFor(services: Services): ShopifyAccess {
  const origin = services.config.shopify.adminApiOrigin?.replace(/\/$/, "");
  return origin ? { endpointFor: (shop) => `${origin}/${shop}/admin/api/2025-10/graphql.json` } : {};
}

export function createJobHandlers(services: Services, access: ShopifyAccess = shopifyAccessFor(services)): Record<string, JobHandler> {
  const deps = services.indexDeps;
  const client = (shop: string) => adminClientFor(services.db, shop, access);

  return {
    "product.upsert": async (job, payload) => {
      const body = bodyOf(payload);
      const id = numericId(body.id);
      try {
        // Refetch: webhook payloads lack collections and metafields, and the latest state wins anyway.
        await syncOneProduct(deps, await client(job.shop), job.shop, id);
      } catch (error) {
        if (!(error instanceof NoShopAccessError)) throw error;
        // No Admin access (file-imported or demo shops): index the payload itself, unless the
        // product was deleted: Shopify never reuses product ids, so a late update for a deleted
        // id is stale, and with no Admin API to ask, the finished delete job is the tombstone.
        if (await services.db.job.findFirst({ where: { shop: job.shop, kind: "product.delete", key: job.key, status: "done" }, select: { id: true } })) return;
        await indexCatalog(deps, job.shop, { products: [productFromAdminRest(body)], policies: [], pages: [], documents: [] });
      }
    },
    "product.delete": async (job, payload) => {
      await removeSource(deps, job.shop, "product", numericId(bodyOf(payload).id));
    },
    "inventory.update": async (job, payload) => {
      await syncInventoryItem(deps, await client(job.shop), job.shop, numericId(bodyOf(payload).inventory_item_id));
    },
    "collection.update": async (job) => {
      // Membership changes touch many products: one coalesced full sync covers them.
      await services.queue.enqueue({ shop: job.shop, kind: "sync.full", key: "sync" });
    },
    "content.refresh": async (job) => {
      await refreshShopContent(deps, await client(job.shop), job.shop);
    },
    "sync.full": async (job) => {
      await withSyncRun(services, job, "full", async (update) => runFullSync(deps, await client(job.shop), job.shop, { onProgress: update }));
    },
    "bulk.finish": async (job, payload) => {
      const operationId = String(bodyOf(payload).admin_graphql_api_id ?? "");
      await withSyncRun(services, job, "full", async (update) => runFullSync(deps, await client(job.shop), job.shop, { operationId, onProgress: update }));
    },
    "demo.reimport": async (job) => {
      // Demo mode has no Admin API: the Resync button re-reads the demo store's files.
      if (job.shop !== DEMO_SHOP) throw Object.assign(new Error(`Only the demo shop can be re-imported from files, not ${job.shop}.`), { code: "not_demo_shop" });
      await withSyncRun(services, job, "demo", async (update) => {
        const root = findRepoRoot();
        const batch = await loadCatalogFilesForShop(job.shop, [demoStoreDir(root)], { currency: readDemoStoreProfile(root).currency });
        if (batch.products.length + batch.policies.length + batch.pages.length + batch.documents.length === 0) {
          throw Object.assign(new Error("The demo store files hold nothing to import; the index was left as it was."), { code: "empty_demo_store" });
        }
        const result = await indexCatalog(deps, job.shop, batch, { onProgress: (p) => update("index", p.processed, p.total) });
        // Anything no longer in the files leaves the index, as after a full sync.
        await removeMissingSources(deps, job.shop, "product", new Set(batch.products.map((p) => p.id)));
        await removeMissingSources(deps, job.shop, "policy", new Set(batch.policies.map((p) => p.id)));
        await removeMissingSources(deps, job.shop, "page", new Set(batch.pages.map((p) => p.id)));
        await removeMissingSources(deps, job.shop, "document", new Set(batch.documents.map((d) => d.id)));
        return result;
      });
    },
    // The embedding model changed: the shop's stored catalog fills the new model's index while
    // the older one answers, then the new one takes over (docs/decisions/008).
    "index.rebuild": async (job) => {
      await withSyncRun(services, job, "reindex", async (update) =>
        rebuildShopIndex(services.indexes, deps, job.shop, { onProgress: (p) => update("index", p.processed, p.total) }),
      );
    },
    "shop.uninstalled": async (job) => {
      await services.db.session.deleteMany({ where: { shop: job.shop } });
      await services.db.shop.updateMany({ where: { domain: job.shop }, data: { uninstalledAt: new Date() } });
    },
    "shop.redact": async (job) => deleteShopData(services, job.shop),
    // Answers are logged under a salted hash of the logged-in customer (never the id
    // itself), so the same hash finds that customer's questions to erase or report.
    "customer.redact": async (job, payload) => {
      await redactCustomer(services, job.shop, customerIdOf(payload));
    },
    "customer.data_request": async (job, payload) => {
      const held = await services.db.answerLog.count({ where: { shop: job.shop, clientHash: customerClientHash(services, job.shop, customerIdOf(payload)) } });
      console.log(`[compliance] ${job.shop}: ${held} logged question(s) held for customer ${customerIdOf(payload)}`);
    },
    "shop.scopes_update": async () => {},
    "sources.reapply": async (job) => {
      await reapplySourceRules(deps, job.shop);
    },
    // Reads the provider's state of a fine-tuning job and queues the next read while it runs.
    [TRAINING_POLL_KIND]: async (job, payload) => pollTrainingJob(trainingDepsFor(services), job.shop, payload as { trainingJobId: number; retries?: number }),
    "retention.purge": async (job) => {
      const settings = await loadShopSettings(services.db, job.shop);
      await purgeExpired(services.db, job.shop, settings.retentionDays);
      await purgeExpiredTraces(services.db, job.shop, settings.traceRetentionDays);
    },
  };
}
