#!/usr/bin/env node
// `npm test`: prepares the checkout, then runs every check: schema drift, types,
// lint, and the unit, integration and browser tests (docs/decisions/003).
// Browser tests need Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH):
// without it they are skipped with a message, unless E2E_REQUIRED=1.
import { existsSync, readFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ensureReady, root, run } from "./setup.mjs";

ensureReady();
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  if (process.env.E2E_REQUIRED === "1") {
    console.error(`✖ Chromium not found at ${chromium} and E2E_REQUIRED=1: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.warn(`! Chromium not found at ${chromium}: browser tests will be skipped (apt-get install -y chromium).`);
}
const db = process.env.DATABASE_URL?.startsWith("postgres") ? "PostgreSQL" : "SQLite";
console.log(`• Test database: ${db}`);

run(process.execPath, ["scripts/prisma-schemas.mjs", "check"]);
console.log("• Typecheck");
run(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit"]);
console.log("• Lint");
run(process.execPath, ["node_modules/eslint/bin/eslint.js", "--max-warnings", "0", "."]);

const results = path.join(root, "test-results");
mkdirSync(results, { recursive: true });
const report = path.join(results, "vitest.json");
const args = ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const started = Date.now();
const { spawnSync } = await import("node:child_process");
const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env });
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, "utf8"));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  // A file that failed outside any test (a setup hook) counts as a failure too.
  const brokenFiles = (j.testResults ?? []).filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed")).length;
  console.log(`\nnpm test (${db}, ${((Date.now() - started) / 1000).toFixed(0)} s):`);
  console.log(`${j.numPassedTests} passed, ${j.numFailedTests + brokenFiles} failed, ${skipped} skipped`);
}
process.exit(r.status ?? 1);
