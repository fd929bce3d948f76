/**
 * Starts the real, built server as a child process (`groundwork serve`) on a free
 * port with its own data directory and database, and talks HTTP to it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "./database";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface TestServer {
  url: string;
  secret: string;
  apiKey: string;
  dataDir: string;
  database: TestDatabase;
  env: Record<string, string>;
  output(): string;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.once("error", reject);
  });
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not become healthy in ${timeoutMs} ms:\n${log()}`);
}

export async function startTestServer(options: { demo?: boolean; env?: Record<string, string>; database?: TestDatabase; readyTimeoutMs?: number } = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-data-"));
  const database = options.database ?? (await createTestDatabase());
  const secret = randomBytes(16).toString("hex");
  const apiKey = "test-api-key";
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    GROUNDWORK_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    GROUNDWORK_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    // The local fakes of OpenAI-compatible servers listen on loopback.
    GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS: "1",
    ...(options.demo ? { GROUNDWORK_DEMO: "1" } : {}),
    ...options.env,
  };
  // Launched as `npm start` launches it.
  const child = spawn(process.execPath, ["--max-semi-space-size=64", path.join(repoRoot, "bin/groundwork.mjs"), "serve"], { cwd: repoRoot, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, child, () => log, options.readyTimeoutMs);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped = false;
  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && !stopped) child.kill(signal);
    await exited;
  };
  return {
    url,
    secret,
    apiKey,
    dataDir,
    database,
    env,
    output: () => log,
    kill,
    async stop() {
      await kill("SIGTERM");
      stopped = true;
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
