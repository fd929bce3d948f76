/**
 * Full import + index of a real catalog (default: ../shared/data/stores/spacire-uk-sleep)
 * with the local embedding model, as a merchant runs it: `groundwork import` in its
 * own process, on a fresh SQLite database and embedded index. Reports products/s,
 * chunks/s, total seconds and the child's peak resident memory (VmHWM from
 * /proc/<pid>/status, sampled while it runs).
 *
 * Run: npx tsx bench/import-throughput.ts [--file path/to/products_admin_rest.json] [--currency GBP]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os, { cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../test/support/shared-data";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHOP = "bench-import.myshopify.com";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Peak resident set size of a live process, in MB (null once it has exited, or off Linux). */
function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function main() {
  if (!hasSharedData && !process.argv.includes("--file")) {
    console.log(sharedDataSkipReason);
    return;
  }
  const file = path.resolve(arg("file", sharedDataPath("stores", "spacire-uk-sleep", "products_admin_rest.json")));
  if (!existsSync(file)) throw new Error(`No catalog at ${file}`);
  const currency = arg("currency", "GBP");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-bench-import-"));
  try {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "groundwork.db")}` };
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, "bin/groundwork.mjs"), "import", "--shop", SHOP, "--currency", currency, "--json", file], {
      cwd: root,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    let peak = 0;
    const sampler = setInterval(() => {
      const v = peakRssMb(child.pid!);
      if (v !== null) peak = Math.max(peak, v);
    }, 100);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearInterval(sampler);
    const wallSeconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`groundwork import exited ${code}:\n${err}`);
    const result = JSON.parse(out.slice(out.indexOf("{"))) as { products: number; variants: number; policies: number; pages: number; chunks: number; embedded: number; skipped: number; seconds: number };

    const r = (x: number) => Math.round(x * 100) / 100;
    const row = {
      products: result.products,
      variants: result.variants,
      chunks: result.chunks,
      embedded: result.embedded,
      importSeconds: r(result.seconds),
      wallSeconds: r(wallSeconds),
      productsPerS: r(result.products / result.seconds),
      chunksPerS: r(result.chunks / result.seconds),
      peakRssMb: peak,
    };
    console.log(`\nImport throughput: ${path.relative(path.join(root, ".."), file)}, local model, SQLite + sqlite-vec\n`);
    console.table([row]);
    console.log("importSeconds: parse + chunk + embed + write, as the import reports it; wallSeconds adds process start and model load.\n");
    await mkdir(path.join(root, "bench/results"), { recursive: true });
    await writeFile(
      path.join(root, "bench/results/import-throughput.json"),
      JSON.stringify(
        {
          name: "import-throughput",
          date: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          loadAverage1m: r(os.loadavg()[0]),
          catalog: path.basename(path.dirname(file)),
          embedder: "local (use-lite-512)",
          results: row,
          note: "Peak RSS is the child's VmHWM sampled every 100 ms.",
        },
        null,
        2,
      ) + "\n",
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
