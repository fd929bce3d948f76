// The server process's one set of services, shared by every route and the inline worker.
import prisma from "./db.server";
import { config } from "./env.server";
import { createQueue } from "./jobs/queue";
import type { Services } from "./services";

const globalForServices = globalThis as unknown as { groundworkServices?: Services };

export function getServices(): Services {
  if (!globalForServices.groundworkServices) {
    globalForServices.groundworkServices = {
      config,
      db: prisma,
      queue: createQueue(prisma, config.database.url),
      close: async () => prisma.$disconnect(),
    };
  }
  return globalForServices.groundworkServices;
}
