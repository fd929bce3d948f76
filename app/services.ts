/**
 * Builds the app's parts once from validated config and passes them around.
 * Routes (through services.server.ts), the CLI, the worker and tests all use this
 * one factory, so every door runs the same core.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { answerQuestionDetailed, type AnswerQuestionDeps, type AnswerQuestionDetailedResult, type ShopProfile } from "./answering/answer-question";
import { createLlmAnswerer } from "./answering/llm-answerer";
import { createLocalAnswerer } from "./answering/local-answerer";
import type { Answerer, AnswerResult } from "./answering/types";
import { createDbCatalog, type DbCatalog } from "./catalog/db-catalog";
import type { Config } from "./config";
import { openDatabase, type Db } from "./db/open-database";
import type { IndexDeps } from "./indexing/index-catalog";
import { createIndexRouter, NO_OLDER_INDEXES, type IndexOpener, type IndexRouter, type SearchIndexRef } from "./indexing/index-generations";
import { recordAnswer } from "./insights/answer-log";
import { createRoute } from "./phases/distill/route";
import { loadRollout } from "./phases/distill/rollout";
import { withStudentPrice } from "./phases/distill/student-price";
import type { StudentModel } from "./phases/distill/types";
import type { PriceTable } from "./insights/usage-ledger";
import { createQueue, type Queue } from "./jobs/queue";
import { createWebhookStore, type WebhookStore } from "./catalog/webhook-store";
import { createLocalEmbeddingModel } from "./providers/local-embedding";
import { createOnnxEmbeddingModel } from "./providers/onnx-embedding";
import { createOpenAIChatModel } from "./providers/openai-chat";
import { createOpenAIEmbeddingModel } from "./providers/openai-embedding";
import type { EndpointPolicy } from "./providers/endpoint-guard";
import type { EmbeddingModel } from "./providers/types";
import { effectivePriceTable, type ShopSettingsData } from "./settings/schema";
import { loadAnswererConnection, loadShopAnswering, type AnswererConnection } from "./settings/shop-settings";
import { loadTrainingProvider } from "./settings/training-settings";
import type { TrainingProvider, TrainingProviderKind } from "./providers/training/types";
import { createQdrantStore } from "./stores/qdrant-store";
import { createSqliteVecStore, dropSqliteIndex, listSqliteIndexes } from "./stores/sqlite-vec-store";
import type { VectorStore } from "./stores/types";

export type AskSurface = "storefront" | "playground" | "cli";

export interface AskInput {
  shop: string;
  question: string;
  locale?: string;
  productHandle?: string;
  productHandles?: string[];
  surface: AskSurface;
  /** A salted hash identifying the shopper's client, for rate limits and insights; never raw IPs. */
  clientHash?: string;
  abortSignal?: AbortSignal;
}

export interface AskOutcome extends AnswerQuestionDetailedResult {
  answerId: string;
}

export type AskStreamPart = { type: "delta"; text: string } | { type: "done"; result: AnswerResult; answerId: string };

export interface Services {
  config: Config;
  db: Db;
  queue: Queue;
  /** Webhook deliveries and their jobs, written together (the acknowledgement's one write). */
  webhooks: WebhookStore;
  /** The server-wide embedding model (shops with their own in Settings use that: indexes.targetFor). */
  embedder: EmbeddingModel;
  /** The shop-aware index: writes to the shop's target index, reads from whichever is ready (see indexes). */
  store: VectorStore;
  /** The same store with its routing exposed: each shop's target, older indexes, rebuild bookkeeping. */
  indexes: IndexRouter;
  catalog: DbCatalog;
  indexDeps: IndexDeps;
  shopProfile(shop: string): Promise<ShopProfile>;
  /**
   * After a Settings save changed which model embeds the shop's catalog: forgets its cached
   * target and queues the rebuild into the new one (docs/decisions/009).
   */
  reindexShop(shop: string): Promise<void>;
  /** The shop's training adapter (Settings); `kind` picks the one a tracked job started on. */
  trainingProviderFor(shop: string, kind?: Exclude<TrainingProviderKind, "byo">): Promise<TrainingProvider>;
  ask(input: AskInput): Promise<AskOutcome>;
  askStream(input: AskInput): AsyncGenerator<AskStreamPart>;
  close(): Promise<void>;
}

export function createEmbedder(config: Config): EmbeddingModel {
  const e = config.embedder;
  if (e.kind === "openai") return createOpenAIEmbeddingModel({ baseURL: config.openai!.baseUrl, apiKey: config.openai!.apiKey, model: e.model });
  if (e.kind === "onnx") return createOnnxEmbeddingModel({ modelDir: e.modelDir });
  return createLocalEmbeddingModel(config.embeddingThreads ? { threads: config.embeddingThreads } : {});
}

/** One index per embedding model: a model change builds a new index beside the old. */
export function indexNameFor(embedder: Pick<EmbeddingModel, "id">): string {
  return `chunks-${embedder.id}`.replace(/[^a-zA-Z0-9_-]+/g, "-");
}

/**
 * The index of a shop's own OpenAI-compatible embedding model: one per endpoint, model and
 * vector size, shared by the shops that choose the same. The endpoint is hashed: it can be
 * long, and a name must keep to the characters every backend accepts.
 */
export function shopIndexNameFor(connection: { baseURL: string; model: string; dimensions: number }): string {
  const endpoint = createHash("sha256").update(connection.baseURL.trim().replace(/\/+$/, "").toLowerCase()).digest("hex").slice(0, 8);
  return `chunks-openai-${connection.model}-${connection.dimensions}-${endpoint}`.replace(/[^a-zA-Z0-9_-]+/g, "-");
}

/**
 * A shop's own embedding target from its Settings connection, or null when it names no
 * embedding model. Throws (ProviderError invalid_config) when the vector size is unknown.
 */
export function shopEmbeddingTarget(
  connection: { baseURL: string; apiKey: string; embeddingModel: string | null; embeddingDimensions: number | null },
  endpointPolicy?: EndpointPolicy,
): { index: SearchIndexRef; embedder: EmbeddingModel } | null {
  if (!connection.embeddingModel) return null;
  const embedder = createOpenAIEmbeddingModel({
    baseURL: connection.baseURL,
    apiKey: connection.apiKey,
    ...(endpointPolicy ? { endpointPolicy } : {}),
    model: connection.embeddingModel,
    // The size measured when the connection was tested; never sent, so any compatible server works.
    ...(connection.embeddingDimensions ? { nativeDimensions: connection.embeddingDimensions } : {}),
  });
  const name = shopIndexNameFor({ baseURL: connection.baseURL, model: connection.embeddingModel, dimensions: embedder.dimensions });
  return { index: { name, model: embedder.id, dimensions: embedder.dimensions }, embedder };
}

function sqliteIndexPath(config: Config): string {
  return path.join(config.dataDir, "index.sqlite");
}

export function createStore(config: Config, embedder: EmbeddingModel): VectorStore {
  const indexName = indexNameFor(embedder);
  if (config.qdrant) return createQdrantStore({ url: config.qdrant.url, apiKey: config.qdrant.apiKey, indexName, dimensions: embedder.dimensions });
  mkdirSync(config.dataDir, { recursive: true });
  return createSqliteVecStore({ db: sqliteIndexPath(config), indexName, dimensions: embedder.dimensions });
}

/** Reaches other indexes than the default in the configured backend: older models' and shops' own (docs/decisions/008, 009). */
export function createIndexOpener(config: Config): IndexOpener {
  const qdrant = config.qdrant;
  if (qdrant) {
    // The registry knows each collection's name and vector size; Qdrant would create a missing one empty.
    const openQdrant = (index: SearchIndexRef) => createQdrantStore({ url: qdrant.url, apiKey: qdrant.apiKey, indexName: index.name, dimensions: index.dimensions });
    return { open: openQdrant, create: openQdrant };
  }
  const file = sqliteIndexPath(config);
  // The file's own list is the truth: opening an index it lacks would create empty tables.
  const list = () => listSqliteIndexes(file);
  return {
    open(index) {
      const found = list().find((i) => i.name === index.name);
      return found ? createSqliteVecStore({ db: file, indexName: found.name, dimensions: found.dimensions }) : null;
    },
    create(index) {
      mkdirSync(config.dataDir, { recursive: true });
      return createSqliteVecStore({ db: file, indexName: index.name, dimensions: index.dimensions });
    },
    list: () => list().map((i) => ({ name: i.name, model: i.name, dimensions: i.dimensions })),
    async dropIfEmpty(name) {
      const found = list().find((i) => i.name === name);
      return found !== undefined && found.chunkCount === 0 && dropSqliteIndex(file, name);
    },
  };
}

export interface ServiceOverrides {
  db?: Db;
  embedder?: EmbeddingModel;
  /** The server default's index; older indexes (and shops' own) are then unknown unless `indexes` reaches them. */
  store?: VectorStore;
  indexes?: IndexOpener;
}

export function createServices(config: Config, overrides: ServiceOverrides = {}): Services {
  const db = overrides.db ?? openDatabase(config.database.url);
  const queue = createQueue(db, config.database.url);
  const webhooks = createWebhookStore(db, config.database.url);
  const embedder = overrides.embedder ?? createEmbedder(config);
  let warnedTarget = false;
  const store = createIndexRouter({
    db,
    store: overrides.store ?? createStore(config, embedder),
    embedder,
    opener: overrides.indexes ?? (overrides.store ? NO_OLDER_INDEXES : createIndexOpener(config)),
    // A shop with an embedding model in Settings (and a readable key) has its own target index.
    async shopTarget(shop) {
      const connection = await loadAnswererConnection(db, shop, config.encryptionKey);
      if (!connection?.embeddingModel) return null;
      try {
        return shopEmbeddingTarget(connection, config.merchantEndpoints);
      } catch (error) {
        // Settings saved before vector sizes were recorded: keep the default rather than fail every search.
        if (!warnedTarget) console.warn(`[index] ${shop}: embedding model ${connection.embeddingModel} not usable (${(error as Error).message}); using the server default.`);
        warnedTarget = true;
        return null;
      }
    },
  });
  const catalog = createDbCatalog(db);
  const localAnswerer = createLocalAnswerer();
  const trainingContext = { encryptionKey: config.encryptionKey, demoMode: config.demo, endpointPolicy: config.merchantEndpoints };

  async function shopProfile(shop: string): Promise<ShopProfile> {
    const row = await db.shop.findUnique({ where: { domain: shop } });
    return {
      name: row?.name ?? shop,
      currency: row?.currency ?? undefined,
      contactEmail: row?.contactEmail ?? undefined,
      contactUrl: row?.primaryDomain ? `${row.primaryDomain.replace(/\/$/, "")}/pages/contact` : undefined,
    };
  }

  /** The shop's own OpenAI-compatible endpoint when set in Settings, else the server default. */
  async function answererFor(shop: string, settings: ShopSettingsData, connection: AnswererConnection | null): Promise<Answerer> {
    // The merchant's voice and length limit shape the model's answers.
    const style = { storeName: (await shopProfile(shop)).name, tone: settings.tone, maxAnswerChars: settings.maxAnswerLength };
    if (connection) {
      try {
        return createLlmAnswerer({
          chat: createOpenAIChatModel({ baseURL: connection.baseURL, apiKey: connection.apiKey, model: connection.chatModel, endpointPolicy: config.merchantEndpoints }),
          ...style,
        });
      } catch (error) {
        // Saved before the operator tightened which endpoints may be called: answer locally
        // rather than fail every question; Settings shows the error on the next test or save.
        console.warn(`[answerer] ${shop}: ${error instanceof Error ? error.message : String(error)} Answering with the local answerer.`);
        return localAnswerer;
      }
    }
    if (config.answerer.kind === "openai" && config.openai) {
      return createLlmAnswerer({ chat: createOpenAIChatModel({ baseURL: config.openai.baseUrl, apiKey: config.openai.apiKey, model: config.answerer.model }), ...style });
    }
    return localAnswerer;
  }

  /**
   * The fine-tuned student, called like any OpenAI-compatible model where it is served, with
   * the key of the training provider that trained it (the shop's training settings, sealed),
   * never the answerer's key or the server's. Without one the teacher answers.
   */
  async function studentAnswerer(shop: string, settings: ShopSettingsData, student: StudentModel): Promise<Answerer | undefined> {
    let apiKey: string;
    try {
      apiKey = (await loadTrainingProvider(db, shop, trainingContext, student.providerKind)).endpointFor(student.model).apiKey;
    } catch (error) {
      console.warn(`[distill] ${shop}: the student cannot be called (${error instanceof Error ? error.message : String(error)}); the teacher answers.`);
      return undefined;
    }
    return createLlmAnswerer({
      chat: createOpenAIChatModel({ baseURL: student.baseURL, apiKey, model: student.model, endpointPolicy: config.merchantEndpoints }),
      storeName: (await shopProfile(shop)).name,
      tone: settings.tone,
      maxAnswerChars: settings.maxAnswerLength,
    });
  }

  async function depsFor(shop: string, answerId?: string): Promise<{ deps: AnswerQuestionDeps; maxQuestionLength: number }> {
    const { settings, connection } = await loadShopAnswering(db, shop, config.encryptionKey);
    const answerer = await answererFor(shop, settings, connection);
    const priceTable: PriceTable = effectivePriceTable(settings, { demo: config.demo });
    let route: AnswerQuestionDeps["route"];
    const rollout = answerId ? await loadRollout(db, shop) : null;
    // Phase 3 routes a question only once the merchant started a rollout; the teacher answers otherwise.
    if (rollout && answerId && rollout.stage !== "off") {
      const student = rollout.student ? await studentAnswerer(shop, settings, rollout.student) : undefined;
      if (rollout.student) Object.assign(priceTable, withStudentPrice(priceTable, rollout.student));
      route = createRoute({ db, shop, state: rollout, teacher: answerer, answerers: { local: localAnswerer, ...(student ? { student } : {}) }, answerId });
    }
    return {
      deps: {
        store,
        // Queries are embedded by the model of the shop's target index.
        embedder: (await store.targetFor(shop)).embedder,
        catalog,
        answerer,
        shopProfile,
        vocabulary: catalog.vocabulary,
        priceTable,
        ...(route ? { route } : {}),
      },
      maxQuestionLength: 500,
    };
  }

  async function log(
    input: AskInput,
    answerId: string,
    outcome: Pick<AnswerQuestionDetailedResult, "result" | "sources" | "validation" | "tier" | "routeReason" | "teacherPrompt" | "understanding">,
  ) {
    await recordAnswer(db, {
      id: answerId,
      shop: input.shop,
      surface: input.surface,
      question: input.question,
      locale: input.locale ?? "en",
      productHandle: input.productHandle ?? null,
      result: outcome.result,
      sources: outcome.sources,
      validation: { ok: outcome.validation.ok, problems: outcome.validation.problems.map((p) => ({ code: p.code, message: p.message })) },
      clientHash: input.clientHash ?? null,
      tier: outcome.tier,
      routeReason: outcome.routeReason,
      teacherPrompt: outcome.teacherPrompt,
      understanding: outcome.understanding,
    });
  }

  return {
    config,
    db,
    queue,
    webhooks,
    embedder,
    store,
    indexes: store,
    catalog,
    indexDeps: { db, store, embedder, embedderFor: async (shop) => (await store.targetFor(shop)).embedder },
    shopProfile,
    async reindexShop(shop) {
      store.invalidate(shop);
      await queue.enqueue({ shop, kind: "index.rebuild", key: "reindex" });
    },
    trainingProviderFor: (shop, kind) => loadTrainingProvider(db, shop, trainingContext, kind),
    async ask(input) {
      const answerId = randomUUID();
      const { deps, maxQuestionLength } = await depsFor(input.shop, answerId);
      const outcome = await answerQuestionDetailed(deps, {
        shop: input.shop,
        question: input.question,
        locale: input.locale ?? "en",
        productHandle: input.productHandle,
        productHandles: input.productHandles,
        maxQuestionLength,
        abortSignal: input.abortSignal,
      });
      await log(input, answerId, outcome);
      return { ...outcome, answerId };
    },
    async *askStream(input) {
      // Only validated text is streamed (see streamAnswer): answer fully, then replay it.
      const outcome = await this.ask(input);
      for (const piece of outcome.result.answer.match(/\S+\s*/g) ?? []) yield { type: "delta", text: piece };
      yield { type: "done", result: outcome.result, answerId: outcome.answerId };
    },
    async close() {
      await store.close();
      await webhooks.close();
      await db.$disconnect();
    },
  };
}
