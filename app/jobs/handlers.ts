/**
 * What each job kind does. Indexing kinds are registered by the indexing module;
 * the shop-lifecycle kinds live here because they only touch the database.
 */
import type { Services } from "../services";
import type { JobHandler } from "./worker";

/** Deletes everything stored for a shop (shop/redact, and 48 h after uninstall). */
export async function deleteShopData(services: Services, shop: string): Promise<void> {
  const { db } = services;
  await db.$transaction([
    db.catalogItem.deleteMany({ where: { shop } }),
    db.answerLog.deleteMany({ where: { shop } }),
    db.feedback.deleteMany({ where: { shop } }),
    db.usageEvent.deleteMany({ where: { shop } }),
    db.syncRun.deleteMany({ where: { shop } }),
    db.shopSettings.deleteMany({ where: { shop } }),
    db.webhookDelivery.deleteMany({ where: { shop } }),
    db.session.deleteMany({ where: { shop } }),
    db.shop.deleteMany({ where: { domain: shop } }),
    // Jobs last but one: this very job is among them and is completed by the worker.
    db.job.deleteMany({ where: { shop, status: { not: "running" } } }),
  ]);
}

export function createLifecycleHandlers(services: Services): Record<string, JobHandler> {
  return {
    "shop.uninstalled": async (job) => {
      await services.db.session.deleteMany({ where: { shop: job.shop } });
      await services.db.shop.updateMany({ where: { domain: job.shop }, data: { uninstalledAt: new Date() } });
    },
    "shop.redact": async (job) => deleteShopData(services, job.shop),
    "shop.scopes_update": async () => {},
  };
}
