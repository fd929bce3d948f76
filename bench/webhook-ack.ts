/**
 * Webhook acknowledgement latency under a burst: signed products/update deliveries
 * at a fixed rate (default 200/s for 30 s) to the real, built server over loopback.
 * Open loop: each request leaves at its scheduled time whether or not earlier ones
 * were answered, and latency is measured from that scheduled time, so a server that
 * stalls is charged for the requests queued behind the stall.
 *
 * The inline worker runs (the default), indexing the queued updates while the
 * routes answer; the shop has no Admin access, so each job embeds its payload with
 * the local model. --worker off measures the routes alone (separate worker processes).
 *
 * Target: p99 < 50 ms, zero errors (Shopify allows 5 s; it retries anything slower).
 * Run: npx tsx bench/webhook-ack.ts [--rate 200] [--seconds 30] [--products 100] [--worker inline|off]
 */
import { mkdir, writeFile } from "node:fs/promises";
import os, { cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../app/db/open-database";
import { startTestServer } from "../test/support/server";
import { signedWebhook, type SignedWebhook } from "../test/support/shopify-signing";
import { percentile } from "./retrieval-latency";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHOP = "bench-webhooks.myshopify.com";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function productPayload(id: number, serial: number) {
  return {
    id,
    title: `Bench Product ${id}`,
    handle: `bench-product-${id}`,
    body_html: `<p>Revision ${serial} of a canvas tote with brass rivets and a lined inner pocket.</p>`,
    product_type: "Bags",
    vendor: "Bench Co",
    tags: "bench, tote",
    status: "active",
    published_at: "2026-01-01T00:00:00Z",
    updated_at: new Date(Date.UTC(2026, 0, 1) + serial * 1000).toISOString(),
    options: [{ name: "Size", position: 1, values: ["One size"] }],
    variants: [{ id: id * 10, product_id: id, title: "One size", price: "35.00", sku: `BENCH-${id}`, inventory_quantity: 4, inventory_management: "shopify", inventory_policy: "deny", option1: "One size" }],
  };
}

async function main() {
  const rate = Number(arg("rate", "200"));
  const seconds = Number(arg("seconds", "30"));
  const productCount = Number(arg("products", "100"));
  const worker = arg("worker", "inline");
  const total = Math.round(rate * seconds);

  const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
  const server = await startTestServer({ env: { GROUNDWORK_WORKER: worker } });
  const db = openDatabase(server.database.url);
  try {
    // Sign everything first: the client's own work must not eat into the schedule.
    const requests: SignedWebhook[] = Array.from({ length: total }, (_, i) =>
      signedWebhook(server.url, { topic: "products/update", shop: SHOP, payload: productPayload(1_000_000 + (i % productCount), i), secret: server.secret }),
    );
    // Warm up the route (first-request compilation, connection pool).
    for (let i = 0; i < 20; i++) {
      const w = signedWebhook(server.url, { topic: "products/update", shop: "warmup.myshopify.com", payload: productPayload(1, i), secret: server.secret });
      await (await fetch(w.url, w.init)).arrayBuffer();
    }

    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    const interval = 1000 / rate;
    const start = performance.now() + 50;
    let sent = 0;
    let maxLateness = 0;
    const inFlight: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (sent < total && start + sent * interval <= now) {
          const scheduled = start + sent * interval;
          maxLateness = Math.max(maxLateness, now - scheduled);
          const { url, init } = requests[sent++];
          inFlight.push(
            fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
              .then(async (r) => {
                await r.arrayBuffer();
                latencies.push(performance.now() - scheduled);
                if (r.status !== 200) errors[`HTTP ${r.status}`] = (errors[`HTTP ${r.status}`] ?? 0) + 1;
              })
              .catch((e: Error) => {
                errors[e.name] = (errors[e.name] ?? 0) + 1;
              }),
          );
        }
        if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
        else resolve();
      };
      setTimeout(tick, 50);
    });
    const sendSeconds = (performance.now() - start) / 1000;
    await Promise.all(inFlight);
    const errorCount = Object.values(errors).reduce((n, c) => n + c, 0);

    const jobs = await db.job.groupBy({ by: ["status"], where: { shop: SHOP }, _count: { _all: true } });
    const deliveries = await db.webhookDelivery.count({ where: { shop: SHOP } });
    const r = (x: number) => Math.round(x * 100) / 100;
    const row = {
      requests: total,
      ratePerS: rate,
      achievedRatePerS: r(total / sendSeconds),
      p50Ms: r(percentile(latencies, 50)),
      p95Ms: r(percentile(latencies, 95)),
      p99Ms: r(percentile(latencies, 99)),
      maxMs: r(Math.max(...latencies)),
      errors: errorCount,
    };
    const met = row.p99Ms < 50 && errorCount === 0;
    console.log(`\nWebhook acknowledgement, ${rate}/s for ${seconds} s, open loop, ${productCount} products, worker ${worker}\n`);
    console.table([row]);
    console.log(`Deliveries recorded: ${deliveries}; jobs by status: ${jobs.map((j) => `${j.status} ${j._count._all}`).join(", ")} (updates to one product coalesce)`);
    if (errorCount) console.log("Errors:", errors);
    console.log(`Client lateness (worst): ${r(maxLateness)} ms`);
    console.log(`Target p99 < 50 ms and zero errors: ${met ? "met" : "NOT met"}\n`);

    await mkdir(path.join(root, "bench/results"), { recursive: true });
    await writeFile(
      // The default run (inline worker) is webhook-ack.json; other modes sit beside it.
      path.join(root, `bench/results/webhook-ack${worker === "inline" ? "" : `-worker-${worker}`}.json`),
      JSON.stringify(
        {
          name: "webhook-ack",
          date: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          loadAverage1mBefore: loadBefore,
          database: server.database.provider,
          worker,
          products: productCount,
          seconds,
          note: "Open loop; latency from each request's scheduled send time to its response, client and server on one machine over loopback.",
          results: row,
          errorsByKind: errors,
          deliveries,
          jobsByStatus: Object.fromEntries(jobs.map((j) => [j.status, j._count._all])),
          clientMaxLatenessMs: r(maxLateness),
          target: { p99Ms: 50, errors: 0 },
          met,
        },
        null,
        2,
      ) + "\n",
    );
  } finally {
    await db.$disconnect();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
