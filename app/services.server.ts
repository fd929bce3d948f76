// The server process's one set of services, shared by every route and the inline worker.
import prisma from "./db.server";
import { config } from "./env.server";
import { createServices, type Services } from "./services";

const globalForServices = globalThis as unknown as { groundworkServices?: Services };

export function getServices(): Services {
  globalForServices.groundworkServices ??= createServices(config, { db: prisma });
  return globalForServices.groundworkServices;
}
