/**
 * Brand-voice dataset build on the largest catalog in ../shared/data/stores (by product
 * count): sanitizing, scrubbing, fact checks, token counts, near-duplicate removal, the
 * split and the JSONL, as `groundwork voice dataset` runs them. Loading the catalog is
 * timed apart. Reports the median and slowest of several builds and the process's peak
 * resident memory (VmHWM) before and after building.
 *
 * Run: npx tsx bench/voice-dataset.ts [--runs 5] [--store name]
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalogFiles } from "../app/catalog/load-files";
import type { CatalogProduct } from "../app/catalog/types";
import { buildVoiceDataset, toJsonl } from "../app/phases/voice/build-dataset";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../test/support/shared-data";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BRIEF = "Write warm, plain product copy in short paragraphs, the way our best descriptions read. Use only the facts given.";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 1048576);
}

async function main() {
  if (!hasSharedData) {
    console.log(sharedDataSkipReason);
    return;
  }
  const runs = Math.max(1, Number(arg("runs", "5")));
  const only = arg("store", "");
  let largest: { store: string; products: CatalogProduct[]; loadMs: number } | null = null;
  for (const store of readdirSync(sharedDataPath("stores"))) {
    if (only && store !== only) continue;
    const started = performance.now();
    const batch = await loadCatalogFiles([sharedDataPath("stores", store)]);
    const loadMs = performance.now() - started;
    if (!largest || batch.products.length > largest.products.length) largest = { store, products: batch.products, loadMs };
  }
  if (!largest) throw new Error(`No store ${only}`);
  const rssBefore = peakRssMb();
  const times: number[] = [];
  let result = buildVoiceDataset({ brief: BRIEF, products: largest.products });
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = buildVoiceDataset({ brief: BRIEF, products: largest.products });
    bytes = toJsonl(result.trainExamples).length + toJsonl(result.validationExamples).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const row = {
    store: largest.store,
    products: largest.products.length,
    examples: result.examples,
    flagged: result.flagged.length,
    dropped: result.dropped.length,
    tokens: result.train.tokens + result.validation.tokens,
    jsonlKb: Math.round(bytes / 1024),
    loadMs: Math.round(largest.loadMs),
    buildMsMedian: Math.round(median),
    buildMsMax: Math.round(times[times.length - 1]),
    productsPerSecond: Math.round((largest.products.length / median) * 1000),
    peakRssMbBeforeBuild: rssBefore,
    peakRssMb: peakRssMb(),
  };
  console.table([row]);
  const out = { name: "voice-dataset", date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), runs, result: row };
  await mkdir(path.join(root, "bench/results"), { recursive: true });
  await writeFile(path.join(root, "bench/results/voice-dataset.json"), JSON.stringify(out, null, 2) + "\n");
  console.log("Wrote bench/results/voice-dataset.json");
}

await main();
