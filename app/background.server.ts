/**
 * Work the server process does besides answering requests: the demo shop on
 * first start and the inline worker. Called once by `groundwork serve`.
 */
import { randomUUID } from "node:crypto";
import { ensureDemoStore } from "./catalog/demo-store";
import { findRepoRoot } from "./db/open-database";
import { createJobHandlers } from "./jobs/handlers";
import { startScheduler } from "./jobs/schedule";
import { runWorker } from "./jobs/worker";
import { getServices } from "./services.server";

export async function startBackgroundWork(options: { signal: AbortSignal }): Promise<void> {
  const services = getServices();
  if (services.config.demo) await ensureDemoStore(services.indexDeps, findRepoRoot(), console.log);
  startScheduler(services, options.signal);
  if (services.config.worker === "inline") {
    void runWorker({
      queue: services.queue,
      handlers: createJobHandlers(services),
      workerId: `inline-${randomUUID().slice(0, 8)}`,
      signal: options.signal,
      onError: (job, error, dead) => console.error(`[worker] job ${job.id} (${job.kind}) failed${dead ? " for good" : ""}:`, error),
    });
  }
}
