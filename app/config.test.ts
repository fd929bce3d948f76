import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const real = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  GROUNDWORK_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: "/srv/app" });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("GIVEN demo mode and nothing else THEN it runs on embedded defaults", () => {
    const c = loadConfig({ GROUNDWORK_DEMO: "1" }, { cwd: "/srv/app" });
    expect(c).toMatchObject({
      demo: true,
      dataDir: "/srv/app/data",
      database: { url: "file:/srv/app/data/groundwork.db", provider: "sqlite" },
      port: 3000,
      host: "127.0.0.1",
      embedder: { kind: "local" },
      answerer: { kind: "local" },
      qdrant: null,
    });
  });

  it("GIVEN a real install without credentials THEN every missing variable is named", () => {
    const problems = problemsOf({});
    expect(problems.map((p) => p.split(":")[0])).toEqual(["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "GROUNDWORK_ENCRYPTION_KEY"]);
  });

  it("GIVEN invalid values THEN the message says what is expected", () => {
    expect(problemsOf({ ...real, DATABASE_URL: "mysql://x" })[0]).toMatch(/^DATABASE_URL: must start with file:/);
    expect(problemsOf({ ...real, GROUNDWORK_ENCRYPTION_KEY: "short" })[0]).toMatch(/32 bytes/);
    expect(problemsOf({ ...real, PORT: "http" })[0]).toMatch(/^PORT:/);
    expect(problemsOf({ ...real, GROUNDWORK_ANSWERER: "openai" })).toEqual(["GROUNDWORK_ANSWERER=openai: needs OPENAI_API_KEY"]);
  });

  it("GROUNDWORK_EMBEDDING_THREADS: a whole number of threads, 1 or more; unset means one per core", () => {
    expect(loadConfig({ ...real, GROUNDWORK_EMBEDDING_THREADS: "2" }).embeddingThreads).toBe(2);
    expect(loadConfig({ ...real, GROUNDWORK_EMBEDDING_THREADS: "" }).embeddingThreads).toBeNull();
    expect(loadConfig(real).embeddingThreads).toBeNull();
    for (const bad of ["0", "-1", "1.5", "two"]) {
      expect(problemsOf({ ...real, GROUNDWORK_EMBEDDING_THREADS: bad })).toEqual([
        "GROUNDWORK_EMBEDDING_THREADS: must be a whole number of threads, 1 or more (1 runs the model on the calling thread)",
      ]);
    }
  });

  it("GIVEN a PostgreSQL URL and OpenAI settings THEN the providers follow", () => {
    const c = loadConfig({ ...real, DATABASE_URL: "postgresql://u@db/gw", OPENAI_API_KEY: "sk-x", GROUNDWORK_ANSWERER: "openai", GROUNDWORK_EMBEDDER: "openai" });
    expect(c.database.provider).toBe("postgresql");
    expect(c.answerer).toEqual({ kind: "openai", model: "gpt-4o-mini" });
    expect(c.embedder).toEqual({ kind: "openai", model: "text-embedding-3-small" });
    expect(c.openai).toEqual({ apiKey: "sk-x", baseUrl: "https://api.openai.com/v1" });
  });

  it("GIVEN a CLI command on local data THEN Shopify credentials are not required, and demo stays off", () => {
    const c = loadConfig({}, { cwd: "/srv/app", requireShopify: false });
    expect(c.demo).toBe(false);
  });

  it("GIVEN a real install THEN merchants' endpoints must be public unless the operator allows private ones", () => {
    expect(loadConfig(real, { cwd: "/srv/app" }).merchantEndpoints).toEqual({ allowPrivateNetworks: false });
    expect(loadConfig({ ...real, GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS: "1" }, { cwd: "/srv/app" }).merchantEndpoints).toEqual({ allowPrivateNetworks: true });
    expect(loadConfig({ GROUNDWORK_DEMO: "1" }, { cwd: "/srv/app" }).merchantEndpoints).toEqual({ allowPrivateNetworks: true });
    expect(loadConfig({ GROUNDWORK_DEMO: "1", GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS: "no" }, { cwd: "/srv/app" }).merchantEndpoints).toEqual({ allowPrivateNetworks: false });
    expect(problemsOf({ ...real, GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS: "maybe" })[0]).toMatch(/^GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS/);
  });
});
