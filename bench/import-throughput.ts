/**
 * Full import + index of a real catalog with the local embedding model, as a merchant runs
 * it: `groundwork import` in its own process, on a fresh SQLite database and embedded index.
 * Runs the current code and a baseline commit (default 676ad62, before the sync was made
 * faster) one after the other in the same run, so the ratio holds however busy the machine
 * is. The baseline is checked out with `git archive` into a temporary folder that borrows
 * this checkout's node_modules. Reports products/s, chunks/s, seconds and each child's peak
 * resident memory (VmHWM from /proc/<pid>/status, sampled while it runs).
 *
 * Run: npx tsx bench/import-throughput.ts [--file path/to/catalog] [--currency GBP] [--base 676ad62|none]
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
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

/**
 * CPU seconds a live process has used so far, its threads included (utime + stime from
 * /proc/<pid>/stat, in clock ticks of 1/100 s on Linux). Unlike wall time it barely moves
 * with the machine's load, so the base/current ratio of CPU seconds is the steadier figure
 * on a shared machine.
 */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
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

interface Row {
  code: string;
  products: number;
  variants: number;
  chunks: number;
  embedded: number;
  importSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  productsPerS: number;
  chunksPerS: number;
  peakRssMb: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** One `groundwork import` of the catalog by the checkout at codeRoot, on a fresh data folder. */
async function runImport(label: string, codeRoot: string, file: string, currency: string): Promise<Row> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-bench-import-"));
  try {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "groundwork.db")}` };
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(codeRoot, "bin/groundwork.mjs"), "import", "--shop", SHOP, "--currency", currency, "--json", file], {
      cwd: codeRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    let peak = 0;
    let cpu = 0;
    // Worker threads share the process, so VmHWM and the CPU ticks cover them.
    const sampler = setInterval(() => {
      const v = peakRssMb(child.pid!);
      if (v !== null) peak = Math.max(peak, v);
      const c = cpuSeconds(child.pid!);
      if (c !== null) cpu = Math.max(cpu, c);
    }, 100);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearInterval(sampler);
    const wallSeconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`groundwork import (${label}) exited ${code}:\n${err}`);
    const result = JSON.parse(out.slice(out.indexOf("{"))) as { products: number; variants: number; chunks: number; embedded: number; seconds: number };
    return {
      code: label,
      products: result.products,
      variants: result.variants,
      chunks: result.chunks,
      embedded: result.embedded,
      importSeconds: r2(result.seconds),
      wallSeconds: r2(wallSeconds),
      cpuSeconds: r2(cpu),
      productsPerS: r2(result.products / result.seconds),
      chunksPerS: r2(result.chunks / result.seconds),
      peakRssMb: peak,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The baseline commit's files in a temporary folder. It borrows this checkout's packages one
 * by one, except the generated Prisma clients: those are generated from the baseline's own
 * schema, which has fewer columns than today's.
 */
function checkoutBase(commit: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gw-bench-base-"));
  const archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: root, maxBuffer: 512 * 1024 * 1024 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(root, "node_modules"))) {
    if (entry !== "@groundwork") symlinkSync(path.join(root, "node_modules", entry), path.join(modules, entry), "dir");
  }
  execFileSync(process.execPath, ["scripts/prisma-schemas.mjs", "generate"], { cwd: dir, stdio: "ignore" });
  return dir;
}

async function main() {
  if (!hasSharedData && !process.argv.includes("--file")) {
    console.log(sharedDataSkipReason);
    return;
  }
  const file = path.resolve(arg("file", sharedDataPath("stores", "spacire-uk-sleep", "products_admin_rest.json")));
  if (!existsSync(file)) throw new Error(`No catalog at ${file}`);
  const currency = arg("currency", "GBP");
  const base = arg("base", "676ad62");

  const rows: Row[] = [];
  const baseDir = base === "none" ? null : checkoutBase(base);
  const loadBefore = os.loadavg()[0];
  try {
    // Each row is shown as soon as it is measured: a long run interrupted still tells something.
    if (baseDir) rows.push(await runImport(`base ${base}`, baseDir, file, currency));
    if (baseDir) console.log(JSON.stringify(rows[0]));
    rows.push(await runImport("current", root, file, currency));
  } finally {
    if (baseDir) rmSync(baseDir, { recursive: true, force: true });
  }
  const current = rows[rows.length - 1];
  const baseline = baseDir ? rows[0] : null;
  const speedup = baseline ? r2(current.productsPerS / baseline.productsPerS) : null;
  const cpuRatio = baseline && current.cpuSeconds > 0 ? r2(baseline.cpuSeconds / current.cpuSeconds) : null;

  console.log(`\nImport throughput: ${path.relative(path.join(root, ".."), file)}, local model, SQLite + sqlite-vec, ${cpus().length} cores\n`);
  console.table(rows);
  if (speedup !== null) console.log(`Speed-up of the current code over ${base}: ${speedup}× (products/s, same run)`);
  if (cpuRatio !== null) console.log(`CPU seconds, base / current: ${cpuRatio}× (threads included; steadier than wall time when the machine is shared)`);
  console.log("importSeconds: parse + chunk + embed + write, as the import reports it; wallSeconds adds process start and model load.");
  console.log(`Load average (1 min) before / after: ${r2(loadBefore)} / ${r2(os.loadavg()[0])}.\n`);
  await mkdir(path.join(root, "bench/results"), { recursive: true });
  await writeFile(
    path.join(root, "bench/results/import-throughput.json"),
    JSON.stringify(
      {
        name: "import-throughput",
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        loadAverage1m: { before: r2(loadBefore), after: r2(os.loadavg()[0]) },
        catalog: path.basename(path.dirname(file)),
        embedder: "local (use-lite-512)",
        results: rows,
        speedup,
        cpuRatio,
        note: "Peak RSS is the child's VmHWM (worker threads included) sampled every 100 ms. Base and current run one after the other in one run.",
      },
      null,
      2,
    ) + "\n",
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
