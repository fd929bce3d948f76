/**
 * CPU per text of the built-in model on its two runtimes, in one process on the same texts:
 * the shipped TF.js graph on tfjs wasm, and its ONNX rewrite on onnxruntime-node (one
 * intra-op thread, as each embedding thread runs it). Texts are product chunks of
 * spacire-uk-sleep that reach 128 tokens, cut to 32, 64 and 128 tokens and run in the
 * batches a sync makes (at most 64 texts and 4,096 tokens). CPU time (user + system) rather
 * than wall time, so a busy machine moves the figures less; the runtimes alternate, twice.
 * Also reports the lowest cosine between the two runtimes' vectors.
 *
 * Run: npx tsx bench/embedding-runtime.ts [--texts 128]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalogFiles } from "../app/catalog/load-files";
import { chunkProduct } from "../app/indexing/chunk-product";
import { embeddingInput } from "../app/indexing/embed-chunks";
import { loadTfjsGraph, type LocalGraph } from "../app/providers/local-embedding";
import { normalizeVector } from "../app/providers/normalize-vector";
import { createSentencePieceTokenizer, type VocabularyEntry } from "../app/providers/sentencepiece-tokenizer";
import { useLitePackageDir } from "../app/providers/use-lite-onnx";
import { loadUseLiteOrt } from "../app/providers/use-lite-ort";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../test/support/shared-data";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const at = process.argv.indexOf("--texts");
const TEXTS = at >= 0 ? Number(process.argv[at + 1]) : 128;

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function main() {
  if (!hasSharedData) {
    console.warn(sharedDataSkipReason);
    return;
  }
  const tokenizer = createSentencePieceTokenizer(JSON.parse(await readFile(path.join(useLitePackageDir(), "vocab.json"), "utf8")) as VocabularyEntry[]);
  const batch = await loadCatalogFiles([sharedDataPath("stores", "spacire-uk-sleep")], { currency: null });
  const long = batch.products
    .flatMap(chunkProduct)
    .map((chunk) => tokenizer.encode(embeddingInput(chunk)))
    .filter((ids) => ids.length >= 128)
    .slice(0, TEXTS);
  const runtimes: [string, LocalGraph["run"]][] = [
    ["tfjs wasm", (await loadTfjsGraph()).run],
    ["onnxruntime", (await loadUseLiteOrt()).run],
  ];

  const rows: { tokens: number; texts: number; tfjsMsPerText: number; ortMsPerText: number; speedup: number; lowestCosine: number }[] = [];
  for (const tokens of [32, 64, 128]) {
    const texts = long.map((ids) => ids.slice(0, tokens));
    const perBatch = Math.min(64, Math.floor(4096 / tokens));
    const batches: number[][][] = [];
    for (let i = 0; i < texts.length; i += perBatch) batches.push(texts.slice(i, i + perBatch));

    // Warm up both, and compare their vectors on the first batch.
    const [a, b] = [await runtimes[0][1](batches[0]), await runtimes[1][1](batches[0])];
    let lowestCosine = 1;
    for (let r = 0; r < batches[0].length; r++) {
      const u = normalizeVector(a.data.subarray(r * a.width, (r + 1) * a.width));
      const v = normalizeVector(b.data.subarray(r * b.width, (r + 1) * b.width));
      lowestCosine = Math.min(lowestCosine, u.reduce((sum, x, i) => sum + x * v[i], 0));
    }

    const spent = [0, 0];
    for (let round = 0; round < 2; round++) {
      for (const [i, [, run]] of runtimes.entries()) {
        const start = process.cpuUsage();
        for (const rowsOfBatch of batches) await run(rowsOfBatch);
        spent[i] += cpuMs(start);
      }
    }
    const [tfjsMsPerText, ortMsPerText] = spent.map((ms) => ms / (2 * texts.length));
    rows.push({ tokens, texts: texts.length, tfjsMsPerText, ortMsPerText, speedup: tfjsMsPerText / ortMsPerText, lowestCosine });
  }

  console.log(`CPU ms per text, ${long.length} texts per length, batches of at most 64 texts / 4,096 tokens`);
  console.log("| tokens | tfjs wasm | onnxruntime (1 thread) | speedup | 1 - lowest cosine |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.tokens} | ${r.tfjsMsPerText.toFixed(2)} | ${r.ortMsPerText.toFixed(2)} | ${r.speedup.toFixed(1)}x | ${(1 - r.lowestCosine).toExponential(1)} |`);
  }
  const out = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), rows };
  await mkdir(path.join(root, "bench/results"), { recursive: true });
  await writeFile(path.join(root, "bench/results/embedding-runtime.json"), JSON.stringify(out, null, 2) + "\n");
  console.log("Wrote bench/results/embedding-runtime.json");
}

await main();
