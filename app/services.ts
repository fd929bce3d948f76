/**
 * Builds the app's parts once from validated config and passes them around.
 * Routes (through services.server.ts), the CLI and tests all use this one factory.
 */
import type { Config } from "./config";
import { openDatabase, type Db } from "./db/open-database";
import { createQueue, type Queue } from "./jobs/queue";

export interface Services {
  config: Config;
  db: Db;
  queue: Queue;
  close(): Promise<void>;
}

export function createServices(config: Config): Services {
  const db = openDatabase(config.database.url);
  const queue = createQueue(db, config.database.url);
  return {
    config,
    db,
    queue,
    async close() {
      await db.$disconnect();
    },
  };
}
