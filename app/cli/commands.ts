/** The CLI's commands, each a thin door onto one core function. */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { createEmbedder, createServices } from "../services";
import { migrateDatabase } from "../db/open-database";
import { demoStoreDir } from "../catalog/demo-store";
import { importCatalogFiles } from "../catalog/import-files";
import { EVAL_SECTIONS, runEvaluation, type EvalSection } from "../evaluation/run-evaluation";
import { createJobHandlers } from "../jobs/handlers";
import { planIndexRebuilds } from "../indexing/index-generations";
import { runWorker } from "../jobs/worker";
import type { CliContext } from "./main";
import { distillCommand } from "./distill-command";
import { startServer } from "./serve";
import { createVoiceCommand } from "./voice-commands";

export interface Command {
  help?: string;
  run(ctx: CliContext): Promise<number>;
}

function waitForShutdown(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

const serve: Command = {
  help: "groundwork serve [--port N]\n  Starts the built app. Needs SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL, GROUNDWORK_ENCRYPTION_KEY.",
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { port: { type: "string" } }, strict: true });
    if (values.port) ctx.env.PORT = values.port;
    const config = ctx.loadConfig();
    const server = await startServer(config, ctx.root, ctx.out);
    ctx.out(`Groundwork is running at ${server.url}`);
    await waitForShutdown();
    await server.close();
    return 0;
  },
};

const demo: Command = {
  help: "groundwork demo [--port N]\n  Starts the app in demo mode with the demo store (no Shopify, no API keys).",
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { port: { type: "string" } }, strict: true });
    if (values.port) ctx.env.PORT = values.port;
    const config = ctx.loadConfig();
    const server = await startServer(config, ctx.root, ctx.out);
    ctx.out("");
    ctx.out("Groundwork demo is running (demo shop groundwork-demo.myshopify.com):");
    ctx.out(`  Storefront preview  ${server.url}/`);
    ctx.out(`  Admin               ${server.url}/app`);
    ctx.out(`  Data directory      ${config.dataDir}`);
    ctx.out("Press Ctrl+C to stop.");
    await waitForShutdown();
    await server.close();
    return 0;
  },
};

const worker: Command = {
  help: "groundwork worker\n  Runs a background worker that shares the job queue with the server.",
  async run(ctx) {
    const config = ctx.loadConfig();
    await migrateDatabase(config.database.url, ctx.root);
    const services = createServices(config);
    // A model change queues each shop's rebuild; the older index answers meanwhile.
    await planIndexRebuilds(services.indexes, services.db, services.queue);
    const controller = new AbortController();
    const workerId = `worker-${process.pid}-${randomUUID().slice(0, 6)}`;
    ctx.out(`Worker ${workerId} started`);
    const loop = runWorker({
      queue: services.queue,
      handlers: createJobHandlers(services),
      workerId,
      signal: controller.signal,
      onError: (job, error, dead) => ctx.err(`job ${job.id} (${job.kind}) failed${dead ? " for good" : ""}: ${(error as Error).message}`),
    });
    // Started by a server: leave when the server does, even if it was killed.
    const parentGone = new Promise<void>((resolve) => process.once("disconnect", () => resolve()));
    await Promise.race([waitForShutdown(), process.send ? parentGone : new Promise<void>(() => {})]);
    controller.abort();
    await loop;
    await services.close();
    return 0;
  },
};

function requireShop(value: unknown): string {
  const shop = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) {
    throw Object.assign(new Error(`--shop must be a shop domain like example.myshopify.com (got "${shop || "nothing"}")`), { code: "bad_shop" });
  }
  return shop;
}

async function withServices<T>(ctx: CliContext, work: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const config = ctx.loadConfig();
  await migrateDatabase(config.database.url, ctx.root);
  const services = createServices(config);
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

const importCommand: Command = {
  help: `groundwork import --shop <shop-domain> [--currency USD] [--json] <path...>
  Imports Shopify product CSV, Admin REST product JSON ({"products":[...]} or an array),
  Admin GraphQL bulk JSONL, folders of policy files (refund-policy.md, shipping-policy.md, ...)
  and JSONL documents ({"id","title","text","url"?,"productHandle"?}). Bad rows are listed
  with file and line and skipped; the rest imports.`,
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      options: { shop: { type: "string" }, currency: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
    });
    const shop = requireShop(values.shop);
    if (!positionals.length) throw Object.assign(new Error("Name at least one file or folder to import"), { code: "no_input" });
    return withServices(ctx, async (services) => {
      await services.db.shop.upsert({ where: { domain: shop }, create: { domain: shop, name: shop, currency: values.currency ?? "USD" }, update: {} });
      let lastShown = 0;
      const result = await importCatalogFiles(services.indexDeps, shop, positionals, {
        currency: values.currency ?? null,
        onProgress: (done, total) => {
          if (!values.json && (Date.now() - lastShown > 1000 || done === total)) {
            lastShown = Date.now();
            ctx.err(`  indexed ${done}/${total} items`);
          }
        },
      });
      if (values.json) {
        ctx.out(JSON.stringify(result, null, 2));
      } else {
        for (const issue of result.issues.slice(0, 50)) ctx.err(`  skipped ${issue.file}:${issue.line}: ${issue.message}`);
        if (result.issues.length > 50) ctx.err(`  … and ${result.issues.length - 50} more`);
        ctx.out(
          [
            `Imported into ${shop}:`,
            `  products   ${result.products}`,
            `  variants   ${result.variants}`,
            `  documents  ${result.policies + result.pages + result.documents} (policies ${result.policies}, pages ${result.pages}, other ${result.documents})`,
            `  chunks     ${result.chunks} (${result.embedded} embedded, ${result.unchanged} unchanged)`,
            `  skipped    ${result.skipped}`,
            `  seconds    ${result.seconds.toFixed(1)}`,
          ].join("\n"),
        );
      }
      return 0;
    });
  },
};

const search: Command = {
  help: 'groundwork search --shop <shop> [--k 10] [--mode hybrid|dense|sparse] [--json] "<query>"',
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      options: { shop: { type: "string" }, k: { type: "string" }, mode: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
    });
    const shop = requireShop(values.shop);
    const query = positionals.join(" ").trim();
    if (!query) throw Object.assign(new Error("Give a query to search for"), { code: "empty_query" });
    const k = Math.max(1, Math.min(100, Number(values.k ?? 10) || 10));
    const mode = (values.mode ?? "hybrid") as "hybrid" | "dense" | "sparse";
    if (!["hybrid", "dense", "sparse"].includes(mode)) throw Object.assign(new Error("--mode is hybrid, dense or sparse"), { code: "bad_mode" });
    return withServices(ctx, async (services) => {
      // The query is embedded by the model of the shop's own index (Settings), else the server's.
      const { embedder } = await services.indexes.targetFor(shop);
      const { embeddings } = mode === "sparse" ? { embeddings: [undefined] } : await embedder.embed({ values: [query] });
      const hits = await services.store.search(shop, { mode, vector: embeddings[0], text: query, k });
      const results = hits.map((h) => ({ id: h.chunk.id, sourceId: h.chunk.sourceId, type: h.chunk.sourceType, title: h.chunk.title, url: h.chunk.url, score: h.score, text: h.chunk.text }));
      if (values.json) ctx.out(JSON.stringify({ results }, null, 2));
      else if (!results.length) ctx.out("No results.");
      else results.forEach((r, i) => ctx.out(`${String(i + 1).padStart(2)}. [${r.type}] ${r.title}  (${r.score.toFixed(4)})  ${r.url}\n    ${r.text.slice(0, 160).replace(/\s+/g, " ")}`));
      return 0;
    });
  },
};

const ask: Command = {
  help: 'groundwork ask --shop <shop> [--product <handle>] [--locale en] [--json] "<question>"',
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      options: { shop: { type: "string" }, product: { type: "string" }, locale: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
    });
    const shop = requireShop(values.shop);
    return withServices(ctx, async (services) => {
      const outcome = await services.ask({ shop, question: positionals.join(" "), productHandle: values.product, locale: values.locale ?? "en", surface: "cli" });
      const r = outcome.result;
      if (values.json) {
        ctx.out(JSON.stringify(r, null, 2));
        return 0;
      }
      ctx.out(r.answer);
      if (r.comparison) {
        ctx.out("");
        ctx.out(["", ...r.comparison.columns].join(" | "));
        for (const row of r.comparison.rows) ctx.out([row.attribute, ...row.values].join(" | "));
      }
      if (r.products.length) {
        ctx.out("");
        for (const p of r.products) ctx.out(`  • ${p.title} — ${p.price} ${p.available ? "(in stock)" : "(sold out)"}  ${p.url}`);
      }
      if (r.citations.length) {
        ctx.out("");
        ctx.out("Sources:");
        r.citations.forEach((c) => ctx.out(`  [${c.id}] ${c.title}  ${c.url}`));
      }
      ctx.out(`\n(${r.intent}${r.refused ? ", refused" : ""}; ${r.usage.model}; ${r.usage.latencyMs} ms)`);
      return 0;
    });
  },
};

const evalCommand: Command = {
  help:
    "groundwork eval [--out DIR] [--limit N] [--shared DIR] [--section catalog|any-store|epqa|phase3]... [--store NAME]...\n  With the configured embedding model (GROUNDWORK_EMBEDDER, built-in by default). Generated questions with ground truth over the demo store and ../shared/data catalogs (also per store and language: \"any store\"), ePQA evidence ranking, and phase 3 (simulated teacher, student and gate, up to 40 questions per store).",
  async run(ctx) {
    const { values } = parseArgs({
      args: ctx.argv,
      options: { out: { type: "string" }, limit: { type: "string" }, shared: { type: "string" }, section: { type: "string", multiple: true }, store: { type: "string", multiple: true } },
    });
    const unknown = (values.section ?? []).filter((s) => !(EVAL_SECTIONS as readonly string[]).includes(s));
    if (unknown.length > 0) {
      ctx.err(`Unknown --section ${unknown.join(", ")}: use ${EVAL_SECTIONS.join(", ")}.`);
      return 2;
    }
    const outDir = path.resolve(values.out ?? path.join(ctx.root, "eval-results"));
    // The configured embedding model (GROUNDWORK_EMBEDDER; the built-in one by default), so a supplied model is measured the same way.
    const embedder = createEmbedder(ctx.loadConfig());
    ctx.err(`Embedding model: ${embedder.id}`);
    const summary = await runEvaluation({
      embedder,
      dataDir: demoStoreDir(ctx.root),
      sharedDir: values.shared ?? path.join(ctx.root, "..", "shared"),
      outDir,
      limit: values.limit ? Number(values.limit) : undefined,
      sections: values.section as EvalSection[] | undefined,
      stores: values.store,
      log: (line) => ctx.err(line),
    });
    ctx.out(JSON.stringify(summary, null, 2));
    ctx.out(`Reports: ${path.join(outDir, "eval-report.md")} and eval-report.json`);
    return 0;
  },
};

const voice: Command = createVoiceCommand({ requireShop, withServices });

export const commands: Record<string, Command> = {
  serve,
  demo,
  worker,
  import: importCommand,
  search,
  ask,
  eval: evalCommand,
  voice,
  distill: distillCommand({ requireShop, withServices }),
};
