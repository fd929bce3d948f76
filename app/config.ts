/**
 * Configuration, validated once. `loadConfig` is pure: it takes the environment as
 * an argument, so the server, the CLI and tests all build config the same way.
 */
import path from "node:path";
import { z } from "zod";
import type { EndpointPolicy } from "./providers/endpoint-guard";

export const DEMO_SHOP = "groundwork-demo.myshopify.com";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** Unset stays undefined, so a default can depend on other settings. */
const optionalBool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "1" || v === "true" || v === "yes"));

const rawSchema = z.object({
  GROUNDWORK_DATA_DIR: z.string().min(1).optional(),
  GROUNDWORK_DEMO: bool,
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^(file:|postgres(ql)?:\/\/)/.test(v), "must start with file: (SQLite) or postgresql:// (PostgreSQL)"),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().optional(),
  SHOPIFY_API_KEY: z.string().optional(),
  SHOPIFY_API_SECRET: z.string().optional(),
  SHOPIFY_APP_URL: z.string().url("must be a URL like https://your-app.example.com").optional(),
  SCOPES: z.string().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  SHOPIFY_ADMIN_API_ORIGIN: z.string().url("must be a URL like http://127.0.0.1:4000").optional(),
  GROUNDWORK_ENCRYPTION_KEY: z
    .string()
    .optional()
    .refine((v) => !v || Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)"),
  GROUNDWORK_WORKER: z.enum(["inline", "off"]).optional(),
  GROUNDWORK_EMBEDDER: z.enum(["local", "openai", "onnx"]).optional(),
  GROUNDWORK_ONNX_MODEL_DIR: z.string().optional(),
  GROUNDWORK_ANSWERER: z.enum(["local", "openai"]).optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url("must be a URL like https://api.openai.com/v1").optional(),
  GROUNDWORK_CHAT_MODEL: z.string().optional(),
  GROUNDWORK_EMBEDDING_MODEL: z.string().optional(),
  QDRANT_URL: z.string().url("must be a URL like http://localhost:6333").optional(),
  QDRANT_API_KEY: z.string().optional(),
  GROUNDWORK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
  GROUNDWORK_EMBEDDING_THREADS: z.coerce
    .number({ invalid_type_error: "must be a whole number of threads, 1 or more (1 runs the model on the calling thread)" })
    .int("must be a whole number of threads, 1 or more (1 runs the model on the calling thread)")
    .positive("must be a whole number of threads, 1 or more (1 runs the model on the calling thread)")
    .optional(),
  GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS: optionalBool,
  /** Set by the server itself in demo mode: where its simulated training provider listens. */
  GROUNDWORK_SIMULATED_TRAINING_URL: z.string().url().optional(),
});

export const DEFAULT_SCOPES = "read_products,read_inventory,read_content,read_legal_policies,write_app_proxy,read_orders,write_products";

export interface Config {
  demo: boolean;
  dataDir: string;
  database: { url: string; provider: "sqlite" | "postgresql" };
  port: number;
  host: string;
  shopify: {
    apiKey: string;
    apiSecret: string;
    appUrl: string;
    scopes: string[];
    customDomain?: string;
    /** Replaces https://<shop> for Admin GraphQL calls: a local Admin API double in tests. */
    adminApiOrigin?: string;
  };
  encryptionKey: string | null;
  worker: "inline" | "off";
  embedder: { kind: "local" } | { kind: "openai"; model: string } | { kind: "onnx"; modelDir: string };
  answerer: { kind: "local" } | { kind: "openai"; model: string };
  openai: { apiKey: string; baseUrl: string } | null;
  qdrant: { url: string; apiKey?: string } | null;
  rateLimitPerMinute: number;
  /** Threads that run the built-in embedding model; null: one per core. */
  embeddingThreads: number | null;
  /**
   * Which addresses a merchant's own endpoint (Settings) may have. A real install calls only
   * public ones unless GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS=1; the demo and the CLI allow all.
   */
  merchantEndpoints: EndpointPolicy;
  /** Demo mode only: the local simulated training provider (base URL with /v1). */
  simulatedTrainingUrl: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface LoadConfigOptions {
  cwd?: string;
  /** The server needs Shopify credentials; CLI commands on local data do not. */
  requireShopify?: boolean;
}

export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
  const parsed = rawSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const dataDir = path.resolve(options.cwd ?? process.cwd(), e.GROUNDWORK_DATA_DIR ?? "data");
  const demo = e.GROUNDWORK_DEMO;
  const port = e.PORT ?? 3000;

  const dbUrl = e.DATABASE_URL ?? `file:${path.join(dataDir, "groundwork.db")}`;
  const provider = dbUrl.startsWith("file:") ? "sqlite" : "postgresql";

  // A real install needs Shopify credentials; demo mode runs without them.
  const strict = !demo && options.requireShopify !== false;
  const need = (name: "SHOPIFY_API_KEY" | "SHOPIFY_API_SECRET" | "SHOPIFY_APP_URL") => {
    if (!e[name] && strict) problems.push(`${name}: required (from your app's settings in the Partner Dashboard; or run the demo with npm run demo)`);
    return e[name] ?? "";
  };
  const apiKey = need("SHOPIFY_API_KEY");
  const apiSecret = need("SHOPIFY_API_SECRET");
  const appUrl = need("SHOPIFY_APP_URL") || `http://localhost:${port}`;
  if (strict && !e.GROUNDWORK_ENCRYPTION_KEY) {
    problems.push("GROUNDWORK_ENCRYPTION_KEY: required to encrypt merchants' API keys at rest (openssl rand -base64 32)");
  }

  const openai = e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL ?? "https://api.openai.com/v1" } : null;
  const embedderKind = e.GROUNDWORK_EMBEDDER ?? "local";
  let embedder: Config["embedder"] = { kind: "local" };
  if (embedderKind === "openai") {
    if (!openai) problems.push("GROUNDWORK_EMBEDDER=openai: needs OPENAI_API_KEY");
    embedder = { kind: "openai", model: e.GROUNDWORK_EMBEDDING_MODEL ?? "text-embedding-3-small" };
  } else if (embedderKind === "onnx") {
    if (!e.GROUNDWORK_ONNX_MODEL_DIR) problems.push("GROUNDWORK_EMBEDDER=onnx: needs GROUNDWORK_ONNX_MODEL_DIR (a folder with an ONNX model)");
    embedder = { kind: "onnx", modelDir: path.resolve(options.cwd ?? process.cwd(), e.GROUNDWORK_ONNX_MODEL_DIR ?? ".") };
  }
  const answererKind = e.GROUNDWORK_ANSWERER ?? "local";
  let answerer: Config["answerer"] = { kind: "local" };
  if (answererKind === "openai") {
    if (!openai) problems.push("GROUNDWORK_ANSWERER=openai: needs OPENAI_API_KEY");
    answerer = { kind: "openai", model: e.GROUNDWORK_CHAT_MODEL ?? "gpt-4o-mini" };
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    demo,
    dataDir,
    database: { url: dbUrl, provider },
    port,
    host: e.HOST ?? (demo ? "127.0.0.1" : "0.0.0.0"),
    shopify: {
      apiKey,
      apiSecret,
      appUrl,
      scopes: (e.SCOPES ?? DEFAULT_SCOPES).split(",").map((s) => s.trim()).filter(Boolean),
      customDomain: e.SHOP_CUSTOM_DOMAIN,
      adminApiOrigin: e.SHOPIFY_ADMIN_API_ORIGIN,
    },
    encryptionKey: e.GROUNDWORK_ENCRYPTION_KEY ?? null,
    worker: e.GROUNDWORK_WORKER ?? "inline",
    embedder,
    answerer,
    openai,
    qdrant: e.QDRANT_URL ? { url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY } : null,
    rateLimitPerMinute: e.GROUNDWORK_RATE_LIMIT_PER_MINUTE ?? 30,
    embeddingThreads: e.GROUNDWORK_EMBEDDING_THREADS ?? null,
    merchantEndpoints: { allowPrivateNetworks: e.GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS ?? !strict },
    simulatedTrainingUrl: demo ? e.GROUNDWORK_SIMULATED_TRAINING_URL ?? null : null,
  };
}
