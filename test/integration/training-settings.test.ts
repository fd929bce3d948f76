/** The training provider in Settings: choice, sealed key, and "bring your own" checked by a real call. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { loadOwnModel, loadTrainingProvider, loadTrainingSettingsView, saveTrainingSettings, type TrainingSettingsDeps } from "../../app/settings/training-settings";
import { startFakeOpenAI, FAKE_API_KEY, type FakeOpenAI } from "../fakes/openai-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";

const SHOP = "harbor-knits.myshopify.com";
const KEY = Buffer.alloc(32, 7).toString("base64");

describe("training provider settings", () => {
  let database: TestDatabase;
  let db: Db;
  let openai: FakeOpenAI;
  const deps: TrainingSettingsDeps = { encryptionKey: KEY, demoMode: false, endpointPolicy: { allowPrivateNetworks: true } };
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    openai = await startFakeOpenAI({ chatModels: ["my-voice-model"] });
  });
  afterAll(async () => {
    await openai?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("defaults to Together AI, and asks for a key before it can train", async () => {
    const view = await loadTrainingSettingsView(db, SHOP, KEY);
    expect(view).toMatchObject({ label: "Together AI", hasApiKey: false, simulated: false });
    await expect(loadTrainingProvider(db, SHOP, deps)).rejects.toMatchObject({ code: "invalid_config", message: expect.stringMatching(/Together AI API key/) });
  });

  it("stores the training key sealed, shows only a hint, and keeps the answering settings' key apart", async () => {
    await db.shopSettings.upsert({ where: { shop: SHOP }, create: { shop: SHOP, secrets: "answerer-sealed" }, update: { secrets: "answerer-sealed" } });
    const saved = await saveTrainingSettings(db, SHOP, form({ trainingProvider: "openai", trainingApiKey: "sk-train-123456789abcd", trainingPriceTable: "gpt-4o-mini-2024-07-18 3" }), deps);
    expect(saved).toMatchObject({ ok: true, view: { label: "OpenAI", hasApiKey: true, apiKeyHint: "sk-…abcd", settings: { trainingPricePerMTok: { "gpt-4o-mini-2024-07-18": 3 } } } });
    const row = await db.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.trainingSecrets).not.toContain("sk-train");
    expect(row.secrets).toBe("answerer-sealed");
    expect((await loadTrainingProvider(db, SHOP, deps)).label).toBe("OpenAI");
  });

  it("explains a bad price table line on its field", async () => {
    const saved = await saveTrainingSettings(db, SHOP, form({ trainingProvider: "together", trainingPriceTable: "Qwen/Qwen3-4B cheap" }), deps);
    expect(saved).toMatchObject({ ok: false, fieldErrors: { trainingPriceTable: expect.stringMatching(/Line 1/) } });
  });

  it("registers your own model only after a test call answers, and says what failed otherwise", async () => {
    const wrongModel = await saveTrainingSettings(db, SHOP, form({ trainingProvider: "byo", ownBaseUrl: openai.url, ownModel: "no-such-model", ownApiKey: "sk-wrong" }), deps);
    expect(wrongModel.ok).toBe(false);
    expect(await loadOwnModel(db, SHOP, KEY)).toBeNull();

    const saved = await saveTrainingSettings(db, SHOP, form({ trainingProvider: "byo", ownBaseUrl: openai.url, ownModel: "my-voice-model", ownApiKey: FAKE_API_KEY }), deps);
    expect(saved).toMatchObject({ ok: true, view: { label: "Your own model", hasOwnApiKey: true } });
    expect(openai.requests.some((r) => r.path === "/v1/chat/completions" && r.body.model === "my-voice-model")).toBe(true);
    expect(await loadOwnModel(db, SHOP, KEY)).toMatchObject({ baseURL: openai.url, model: "my-voice-model", apiKey: FAKE_API_KEY });
    await expect(loadTrainingProvider(db, SHOP, deps)).rejects.toMatchObject({ code: "not_supported", message: expect.stringMatching(/download the dataset/) });
  });

  it("refuses a private endpoint when only public ones are allowed, before any call", async () => {
    const before = openai.requests.length;
    const saved = await saveTrainingSettings(db, SHOP, form({ trainingProvider: "byo", ownBaseUrl: "http://10.0.0.8/v1", ownModel: "m" }), { ...deps, endpointPolicy: { allowPrivateNetworks: false } });
    expect(saved).toMatchObject({ ok: false, fieldErrors: { ownBaseUrl: expect.stringMatching(/not a public internet address/) } });
    expect(openai.requests.length).toBe(before);
  });

  it("simulated training is refused outside demo mode", async () => {
    await db.shopSettings.update({ where: { shop: SHOP }, data: { training: JSON.stringify({ provider: "simulated", baseUrl: "http://127.0.0.1:9/v1" }) } });
    await expect(loadTrainingProvider(db, SHOP, deps)).rejects.toMatchObject({ code: "invalid_config", message: expect.stringMatching(/only in demo mode/) });
    expect((await loadTrainingProvider(db, SHOP, { ...deps, demoMode: true })).label).toBe("simulated training");
  });
});
