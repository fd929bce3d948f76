/**
 * `groundwork serve`: migrations, then the built Remix app over HTTP (Express),
 * then the background work (inline worker, demo shop) from the same build so the
 * routes and the worker share one set of services.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { Config } from "../config";
import { migrateDatabase } from "../db/open-database";
import { startSimulatedTrainingServer } from "../providers/training/simulated-training-server";

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

  // Demo mode trains on a local simulation (never outside demo mode); the app and its worker
  // process find it through the environment.
  const simulated = config.demo ? await startSimulatedTrainingServer() : null;
  if (simulated) {
    process.env.GROUNDWORK_SIMULATED_TRAINING_URL = simulated.url;
    log(`Simulated training provider (demo only) at ${simulated.url}`);
  }

  const build = (await import(pathToFileURL(buildFile).href)) as BuildWithBackground;
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));

  // Background work first (the demo store's import): /healthz answers only when ready.
  const background = new AbortController();
  await build.entry.module.startBackgroundWork?.({ signal: background.signal });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" ? "localhost" : config.host;
  const url = `http://${host}:${port}`;

  const worker = config.worker === "inline" ? startWorkerProcess(root, log) : null;

  return {
    url,
    port,
    async close() {
      background.abort();
      await worker?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await simulated?.close();
    },
  };
}

/**
 * The server's own worker, as a child process: embedding is CPU-bound, and in the
 * server's thread it would delay webhook acknowledgements and shoppers' answers.
 * The child exits when the server goes away (its IPC channel closes).
 */
function startWorkerProcess(root: string, log: (line: string) => void): { stop(): Promise<void> } {
  let stopping = false;
  let child: ChildProcess;
  const start = () => {
    child = spawn(process.execPath, [path.join(root, "bin/groundwork.mjs"), "worker"], { cwd: root, env: process.env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    // Requests first: the worker gets the CPU the server leaves. Nice 19, not 10: at 10 a busy
    // worker still takes about a tenth of a shared core from the server (docs/decisions/010).
    try {
      if (child.pid) os.setPriority(child.pid, 19);
    } catch {
      // Not permitted on this system: the worker still runs, at normal priority.
    }
    child.once("exit", (code, signal) => {
      if (stopping) return;
      log(`Worker exited (${signal ?? code}); restarting in 1 s`);
      setTimeout(() => !stopping && start(), 1000).unref();
    });
  };
  start();
  return {
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
