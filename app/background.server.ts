/**
 * Work the server process does besides answering requests: the demo store on
 * first start and the scheduler of recurring jobs. Called once by `groundwork
 * serve`, before it starts listening. The worker runs in its own process (see
 * app/cli/serve.ts) so embedding never delays a webhook's acknowledgement.
 */
import { ensureDemoStore } from "./catalog/demo-store";
import { DEMO_SHOP } from "./config";
import { pointDemoShopAtSimulatedTraining } from "./settings/training-settings";
import { findRepoRoot } from "./db/open-database";
import { planIndexRebuilds } from "./indexing/index-generations";
import { startScheduler } from "./jobs/schedule";
import { getServices } from "./services.server";

export async function startBackgroundWork(options: { signal: AbortSignal }): Promise<void> {
  const services = getServices();
  // Before anything writes: a shop whose embedding model changed keeps answering from its older index.
  await planIndexRebuilds(services.indexes, services.db, services.queue);
  if (services.config.demo) await ensureDemoStore(services.indexDeps, findRepoRoot(), console.log);
  if (services.config.demo && services.config.simulatedTrainingUrl) await pointDemoShopAtSimulatedTraining(services.db, DEMO_SHOP, services.config.simulatedTrainingUrl);
  startScheduler(services, options.signal);
}
