#!/usr/bin/env node
// `npm run bench [-- name...]`: runs the benchmarks in bench/ (all, or the named ones).
// Each prints a table and writes bench/results/<name>.json.
import { readdirSync } from "node:fs";
import path from "node:path";
import { ensureReady, root, run } from "./setup.mjs";

ensureReady();
const all = readdirSync(path.join(root, "bench")).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${all.join(", ")}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : all) {
  console.log(`\n━━ ${name} ━━`);
  run(process.execPath, ["--import", "tsx", path.join("bench", `${name}.ts`)]);
}
