/**
 * `groundwork serve`: migrations, then the built Remix app over HTTP (Express),
 * then the background work (inline worker, demo shop) from the same build so the
 * routes and the worker share one set of services.
 */
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { Config } from "../config";
import { migrateDatabase } from "../db/open-database";

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type BuildWithBackground = ServerBuild & {
  entry: { module: { startBackgroundWork?: (o: { signal: AbortSignal }) => Promise<void> } };
};

export async function startServer(config: Config, root: string, log: (line: string) => void = console.log): Promise<RunningServer> {
  const buildFile = path.join(root, "build/server/index.js");
  if (!existsSync(buildFile)) {
    throw new Error(`No server build at ${buildFile}. Run "npm run build" first (npm run demo does it for you).`);
  }
  const migrated = await migrateDatabase(config.database.url, root);
  if (migrated.applied.length) log(`Applied migrations: ${migrated.applied.join(", ")}`);

  const build = (await import(pathToFileURL(buildFile).href)) as BuildWithBackground;
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" ? "localhost" : config.host;
  const url = `http://${host}:${port}`;

  const background = new AbortController();
  await build.entry.module.startBackgroundWork?.({ signal: background.signal });

  return {
    url,
    port,
    async close() {
      background.abort();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
