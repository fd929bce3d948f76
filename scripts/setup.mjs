#!/usr/bin/env node
// Prepares a checkout to run: dependencies, both Prisma clients, the server build.
// Each step runs only when its output is missing or older than its inputs, so
// `npm run demo` and `npm test` work on a fresh clone and are quick afterwards.
// Node built-ins only: this runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir, skip = /node_modules|\.test\.tsx?$/) {
  let latest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (skip.test(p)) continue;
    latest = Math.max(latest, entry.isDirectory() ? newest(p, skip) : mtime(p));
  }
  return latest;
}

export function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options, env: { ...process.env, ...options.env } });
  if (result.status !== 0) {
    console.error(`\n✖ ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  return Date.now() - started;
}

function step(label, fn) {
  process.stdout.write(`• ${label}…\n`);
  const ms = fn();
  process.stdout.write(`  done in ${(ms / 1000).toFixed(1)} s\n`);
}

export function ensureReady({ build = true } = {}) {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 20) {
    console.error(`Groundwork needs Node.js 20 or newer (this is ${process.version}).`);
    process.exit(1);
  }
  const lock = path.join(root, "package-lock.json");
  const installed = path.join(root, "node_modules/.package-lock.json");
  if (!existsSync(installed) || mtime(lock) > mtime(installed)) {
    // onnxruntime-node's installer fetches an optional CUDA add-on; its CPU binary is already in the package.
    step("Installing dependencies (npm ci)", () =>
      run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { env: { ONNXRUNTIME_NODE_INSTALL: "skip" } }),
    );
  }
  const schemaInputs = Math.max(mtime(path.join(root, "prisma/schema.source.prisma")), mtime(path.join(root, "prisma/sqlite/schema.prisma")));
  const clients = ["sqlite", "postgresql"].map((p) => path.join(root, `node_modules/@groundwork/prisma-${p}/index.js`));
  if (clients.some((c) => !existsSync(c) || mtime(c) < schemaInputs)) {
    step("Generating the Prisma clients", () => run(process.execPath, ["scripts/prisma-schemas.mjs", "generate"]));
  }
  if (build) {
    const serverBuild = path.join(root, "build/server/index.js");
    const inputs = Math.max(newest(path.join(root, "app")), mtime(path.join(root, "vite.config.ts")), mtime(lock));
    if (!existsSync(serverBuild) || mtime(serverBuild) < inputs) {
      step("Building the app", () => run(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { stdio: ["ignore", "ignore", "inherit"] }));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureReady();
