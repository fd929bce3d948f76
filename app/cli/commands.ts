/** The CLI's commands, each a thin door onto one core function. */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createServices } from "../services";
import { migrateDatabase } from "../db/open-database";
import { createLifecycleHandlers } from "../jobs/handlers";
import { runWorker } from "../jobs/worker";
import type { CliContext } from "./main";
import { startServer } from "./serve";

export interface Command {
  help?: string;
  run(ctx: CliContext): Promise<number>;
}

function waitForShutdown(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

const serve: Command = {
  help: "groundwork serve [--port N]\n  Starts the built app. Needs SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL, GROUNDWORK_ENCRYPTION_KEY.",
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { port: { type: "string" } }, strict: true });
    if (values.port) ctx.env.PORT = values.port;
    const config = ctx.loadConfig();
    const server = await startServer(config, ctx.root, ctx.out);
    ctx.out(`Groundwork is running at ${server.url}`);
    await waitForShutdown();
    await server.close();
    return 0;
  },
};

const demo: Command = {
  help: "groundwork demo [--port N]\n  Starts the app in demo mode with the demo store (no Shopify, no API keys).",
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { port: { type: "string" } }, strict: true });
    if (values.port) ctx.env.PORT = values.port;
    const config = ctx.loadConfig();
    const server = await startServer(config, ctx.root, ctx.out);
    ctx.out("");
    ctx.out("Groundwork demo is running (demo shop groundwork-demo.myshopify.com):");
    ctx.out(`  Storefront preview  ${server.url}/`);
    ctx.out(`  Admin               ${server.url}/app`);
    ctx.out(`  Data directory      ${config.dataDir}`);
    ctx.out("Press Ctrl+C to stop.");
    await waitForShutdown();
    await server.close();
    return 0;
  },
};

const worker: Command = {
  help: "groundwork worker\n  Runs a background worker that shares the job queue with the server.",
  async run(ctx) {
    const config = ctx.loadConfig();
    await migrateDatabase(config.database.url, ctx.root);
    const services = createServices(config);
    const controller = new AbortController();
    const workerId = `worker-${process.pid}-${randomUUID().slice(0, 6)}`;
    ctx.out(`Worker ${workerId} started`);
    const loop = runWorker({
      queue: services.queue,
      handlers: { ...createLifecycleHandlers(services) },
      workerId,
      signal: controller.signal,
      onError: (job, error, dead) => ctx.err(`job ${job.id} (${job.kind}) failed${dead ? " for good" : ""}: ${(error as Error).message}`),
    });
    await waitForShutdown();
    controller.abort();
    await loop;
    await services.close();
    return 0;
  },
};

export const commands: Record<string, Command> = { serve, demo, worker };
