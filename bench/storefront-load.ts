/**
 * What the assistant costs a storefront's page load, measured in Chromium on the
 * demo storefront preview served by the real, built server: the same page with
 * and without the app embed and product block (`?embed=0`), median of 10 cold
 * loads each (a fresh browser context per load), and the bytes the page
 * transfers before the shopper interacts. Other hosts (the demo catalog's image
 * CDN) resolve to nothing in both variants, so only our bytes and time count;
 * no request interception, which would add its own latency to every request.
 *
 * Run: npx tsx bench/storefront-load.ts   (writes bench/results/storefront-load.json)
 * Needs the server build (npm run build) and Chromium (CHROMIUM_PATH or /usr/bin/chromium).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { chromiumPath, hasChromium } from "../test/support/browser";
import { repoRoot, startTestServer } from "../test/support/server";

const RUNS = 10;
const PAGES = [
  { name: "home", path: "/" },
  { name: "product", path: "/products/ridgeline-rain-shell" },
];

interface LoadSample {
  /** Server time: until the first byte of the HTML. */
  ttfbMs: number;
  /** Browser time: from the last byte of the HTML to the load event. */
  afterHtmlMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  transferBytes: number;
  decodedBytes: number;
  requests: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

async function measure(browser: Browser, url: string): Promise<LoadSample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  // Let anything the page starts by itself after load (there should be nothing) show up.
  await page.waitForTimeout(300);
  const sample = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const entries = [nav, ...resources];
    return {
      ttfbMs: nav.responseStart - nav.startTime,
      afterHtmlMs: nav.loadEventEnd - nav.responseEnd,
      domContentLoadedMs: nav.domContentLoadedEventEnd - nav.startTime,
      loadMs: nav.loadEventEnd - nav.startTime,
      transferBytes: entries.reduce((n, e) => n + e.transferSize, 0),
      decodedBytes: entries.reduce((n, e) => n + e.decodedBodySize, 0),
      requests: entries.filter((e) => e.transferSize > 0 || e === nav).length,
    };
  });
  await context.close();
  return sample;
}

/** Cold open of the assistant: the bytes and time from the click to a usable dialog. */
async function measureOpen(browser: Browser, url: string): Promise<{ openMs: number; transferBytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  const before = await page.evaluate(() => performance.getEntriesByType("resource").length);
  const started = Date.now();
  await page.click("[data-gw-launcher]");
  await page.locator('[role="dialog"]').waitFor({ state: "visible" });
  const openMs = Date.now() - started;
  const transferBytes = await page.evaluate(
    (skip) => (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).slice(skip).reduce((n, e) => n + e.transferSize, 0),
    before,
  );
  await context.close();
  return { openMs, transferBytes };
}

async function main() {
  if (!hasChromium) {
    console.error("Chromium is needed for this benchmark (apt-get install -y chromium, or set CHROMIUM_PATH).");
    process.exit(2);
  }
  const server = await startTestServer({ demo: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
  try {
    // The demo store is imported in the background on first start: wait for its products.
    const deadline = Date.now() + 180_000;
    const status = () => fetch(`${server.url}${PAGES[1].path}`).then((r) => r.status, () => 0);
    while ((await status()) !== 200) {
      if (Date.now() > deadline) throw new Error(`the demo store was not ready in time:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // One warm-up load per page so server-side caches (templates, model) do not count against the first sample.
    for (const p of PAGES) for (const q of ["", "?embed=0"]) await measure(browser, `${server.url}${p.path}${q}`);

    const rows = [];
    const samples: Record<string, { withApp: LoadSample[]; withoutApp: LoadSample[] }> = {};
    for (const p of PAGES) {
      const withApp: LoadSample[] = [];
      const withoutApp: LoadSample[] = [];
      // Interleaved, so drift on the machine lands on both variants alike.
      for (let i = 0; i < RUNS; i++) {
        withApp.push(await measure(browser, `${server.url}${p.path}`));
        withoutApp.push(await measure(browser, `${server.url}${p.path}?embed=0`));
      }
      samples[p.name] = { withApp, withoutApp };
      const m = (list: LoadSample[], key: keyof LoadSample) => median(list.map((s) => s[key]));
      for (const [variant, list] of [
        ["without app", withoutApp],
        ["with app", withApp],
      ] as const) {
        rows.push({
          page: p.name,
          variant,
          "server TTFB ms": round(m(list, "ttfbMs")),
          "HTML end to load ms": round(m(list, "afterHtmlMs")),
          "DOMContentLoaded ms (median)": round(m(list, "domContentLoadedMs")),
          "load ms (median)": round(m(list, "loadMs")),
          "bytes transferred": m(list, "transferBytes"),
          "bytes decoded": m(list, "decodedBytes"),
          requests: m(list, "requests"),
        });
      }
      rows.push({
        page: p.name,
        variant: "added by app",
        "server TTFB ms": round(m(withApp, "ttfbMs") - m(withoutApp, "ttfbMs")),
        "HTML end to load ms": round(m(withApp, "afterHtmlMs") - m(withoutApp, "afterHtmlMs")),
        "DOMContentLoaded ms (median)": round(m(withApp, "domContentLoadedMs") - m(withoutApp, "domContentLoadedMs")),
        "load ms (median)": round(m(withApp, "loadMs") - m(withoutApp, "loadMs")),
        "bytes transferred": m(withApp, "transferBytes") - m(withoutApp, "transferBytes"),
        "bytes decoded": m(withApp, "decodedBytes") - m(withoutApp, "decodedBytes"),
        requests: m(withApp, "requests") - m(withoutApp, "requests"),
      });
    }
    const opens = [];
    for (let i = 0; i < RUNS; i++) opens.push(await measureOpen(browser, `${server.url}${PAGES[0].path}`));
    const onInteraction = { "open ms (median)": median(opens.map((o) => o.openMs)), "bytes transferred": median(opens.map((o) => o.transferBytes)) };

    console.table(rows);
    console.log("First open of the assistant (cold, home page):");
    console.table([onInteraction]);

    const result = {
      benchmark: "storefront-load",
      measuredAt: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      runs: RUNS,
      method: "Chromium headless, 1280x800, fresh context per load (cold cache), localhost, no throttling; other hosts resolve to NOTFOUND; Navigation + Resource Timing after load + 300 ms; medians",
      results: rows,
      onFirstOpen: onInteraction,
      samples,
    };
    mkdirSync(path.join(repoRoot, "bench/results"), { recursive: true });
    writeFileSync(path.join(repoRoot, "bench/results/storefront-load.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log("wrote bench/results/storefront-load.json");
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
