/**
 * Recurring work, queued like any other job so it survives restarts and runs once
 * however many workers there are (jobs coalesce on their key):
 * - policies and pages are refetched every few hours, because Shopify sends no
 *   webhook when a policy changes;
 * - answer logs older than the shop's retention setting are purged daily.
 */
import type { Services } from "../services";

export const CONTENT_REFRESH_EVERY_MS = 6 * 3600_000;
export const RETENTION_PURGE_EVERY_MS = 24 * 3600_000;

export async function enqueueRecurringJobs(services: Services, now = new Date()): Promise<number> {
  const shops = await services.db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true, isDemo: true } });
  let queued = 0;
  for (const shop of shops) {
    await services.queue.enqueue({ shop: shop.domain, kind: "retention.purge", key: "retention", runAt: now });
    queued++;
    if (shop.isDemo) continue;
    const hasSession = await services.db.session.count({ where: { shop: shop.domain, isOnline: false } });
    if (hasSession) {
      await services.queue.enqueue({ shop: shop.domain, kind: "content.refresh", key: "content", runAt: now });
      queued++;
    }
  }
  return queued;
}

/** Calls enqueueRecurringJobs now and then on an interval until the signal aborts. */
export function startScheduler(services: Services, signal: AbortSignal, everyMs = CONTENT_REFRESH_EVERY_MS): void {
  const tick = () => enqueueRecurringJobs(services).catch((error) => console.error("[scheduler]", error));
  void tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}
