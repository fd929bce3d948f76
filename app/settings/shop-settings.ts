/**
 * Reading and saving a shop's settings. API keys are stored only as AES-GCM
 * ciphertext in ShopSettings.secrets and never leave the server: views carry
 * `hasApiKey` and a masked hint at most.
 */
import type { Db } from "../db/open-database";
import type { EndpointPolicy } from "../providers/endpoint-guard";
import { testProviderConnection, type ProviderConnectionConfig, type ProviderConnectionResult } from "../providers/test-connection";
import { purgeExpired } from "../insights/answer-log";
import { decryptSecret, encryptSecret, maskSecret, SecretError } from "./secrets";
import { DEFAULT_SETTINGS, parseSettingsForm, readSettings, type FieldErrors, type ShopSettingsData } from "./schema";

interface StoredSecrets {
  apiKey?: string;
}

export interface ApiKeyStatus {
  hasApiKey: boolean;
  /** e.g. "sk-…abcd"; null when there is no key or it cannot be read. */
  hint: string | null;
  /** Set when a stored key cannot be decrypted (e.g. the server's encryption key changed). */
  problem: string | null;
}

export interface SettingsView {
  settings: ShopSettingsData;
  apiKey: ApiKeyStatus;
  updatedAt: string | null;
}

export interface SettingsDeps {
  encryptionKey: string | null;
  testConnection?: (config: ProviderConnectionConfig) => Promise<ProviderConnectionResult>;
  now?: () => Date;
  /** Which addresses the merchant's endpoint may have (config.merchantEndpoints); all when left out. */
  endpointPolicy?: EndpointPolicy;
  /** Called after a save that changed which model embeds the shop's catalog: queues its re-index (services.reindexShop). */
  reindex?: (shop: string) => Promise<void>;
}

export interface SettingsError {
  code: string;
  message: string;
}

export type SaveSettingsResult =
  | { ok: true; view: SettingsView; tested: boolean; purged: { answers: number; feedback: number }; reindexing: boolean }
  | { ok: false; fieldErrors: FieldErrors; error: SettingsError | null };

export type TestConnectionResult = { ok: true; message: string; embeddingDimensions: number | null } | { ok: false; fieldErrors: FieldErrors; error: SettingsError | null };

export async function loadShopSettings(db: Db, shop: string): Promise<ShopSettingsData> {
  const row = await db.shopSettings.findUnique({ where: { shop } });
  return row ? readSettings(row.data) : DEFAULT_SETTINGS;
}

function openSecrets(sealed: string | null | undefined, encryptionKey: string | null): { secrets: StoredSecrets; problem: string | null } {
  if (!sealed) return { secrets: {}, problem: null };
  try {
    return { secrets: JSON.parse(decryptSecret(sealed, encryptionKey)) as StoredSecrets, problem: null };
  } catch (error) {
    return { secrets: {}, problem: error instanceof SecretError ? error.message : "The stored API key could not be read. Enter it again." };
  }
}

function keyStatus(sealed: string | null | undefined, encryptionKey: string | null): ApiKeyStatus {
  if (!sealed) return { hasApiKey: false, hint: null, problem: null };
  const { secrets, problem } = openSecrets(sealed, encryptionKey);
  return { hasApiKey: true, hint: secrets.apiKey ? maskSecret(secrets.apiKey) : null, problem };
}

export async function loadSettingsView(db: Db, shop: string, encryptionKey: string | null): Promise<SettingsView> {
  const row = await db.shopSettings.findUnique({ where: { shop } });
  return {
    settings: row ? readSettings(row.data) : DEFAULT_SETTINGS,
    apiKey: keyStatus(row?.secrets, encryptionKey),
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export interface AnswererConnection {
  baseURL: string;
  apiKey: string;
  chatModel: string;
  embeddingModel: string | null;
  embeddingDimensions: number | null;
}

/** For the answering pipeline: the shop's own endpoint with its decrypted key, or null for the local answerer. */
export async function loadAnswererConnection(db: Db, shop: string, encryptionKey: string | null): Promise<AnswererConnection | null> {
  return (await loadShopAnswering(db, shop, encryptionKey)).connection;
}

/** The shop's settings and its own endpoint, from one read of its row (an answer needs both). */
export async function loadShopAnswering(db: Db, shop: string, encryptionKey: string | null): Promise<{ settings: ShopSettingsData; connection: AnswererConnection | null }> {
  const row = await db.shopSettings.findUnique({ where: { shop } });
  if (!row) return { settings: DEFAULT_SETTINGS, connection: null };
  const settings = readSettings(row.data);
  return { settings, connection: connectionOf(settings, row.secrets, encryptionKey) };
}

function connectionOf(settings: ShopSettingsData, sealed: string | null, encryptionKey: string | null): AnswererConnection | null {
  if (settings.answerer.kind !== "openai-compatible") return null;
  const { secrets } = openSecrets(sealed, encryptionKey);
  if (!secrets.apiKey) return null;
  return {
    baseURL: settings.answerer.baseUrl,
    apiKey: secrets.apiKey,
    chatModel: settings.answerer.chatModel,
    embeddingModel: settings.answerer.embeddingModel ?? null,
    embeddingDimensions: settings.answerer.embeddingDimensions ?? null,
  };
}

/**
 * Which model embeds the shop's catalog, as a value to compare: null for the server default.
 * The same rule as the index router's (an embedding model on an endpoint with a key), so a
 * save changes this exactly when it changes the shop's target index.
 */
export function embeddingChoiceOf(settings: ShopSettingsData, hasApiKey: boolean): string | null {
  const a = settings.answerer;
  if (a.kind !== "openai-compatible" || !a.embeddingModel || !hasApiKey) return null;
  return JSON.stringify([a.baseUrl, a.embeddingModel, a.embeddingDimensions ?? null]);
}

/** Which form field a provider error belongs to, so the form shows it in place. */
function fieldFor(code: string): string {
  if (code === "auth") return "apiKey";
  if (code === "model_not_found") return "chatModel";
  if (code === "unreachable" || code === "timeout" || code === "blocked_endpoint") return "baseUrl";
  return "form";
}

interface Prepared {
  settings: ShopSettingsData;
  apiKey: string | null;
  newKey: boolean;
  clearKey: boolean;
  sealed: string | null;
  changedConnection: boolean;
  /** The embedding choice before this save (embeddingChoiceOf). */
  previousEmbedding: string | null;
}

async function prepare(db: Db, shop: string, form: FormData | URLSearchParams, deps: SettingsDeps): Promise<{ ok: true; value: Prepared } | { ok: false; fieldErrors: FieldErrors; error: SettingsError | null }> {
  const row = await db.shopSettings.findUnique({ where: { shop } });
  const current = row ? readSettings(row.data) : DEFAULT_SETTINGS;
  const parsed = parseSettingsForm(form, current);
  if (!parsed.ok) return { ok: false, fieldErrors: parsed.fieldErrors, error: { code: "invalid_input", message: "Some settings need fixing: see the highlighted fields." } };
  const { settings, apiKey: typedKey, clearApiKey } = parsed.value;
  const stored = openSecrets(row?.secrets, deps.encryptionKey).secrets.apiKey ?? null;
  const apiKey = clearApiKey ? null : (typedKey ?? stored);

  if (settings.answerer.kind === "local") {
    if (typedKey) return { ok: false, fieldErrors: { apiKey: "An API key is only used with an OpenAI-compatible endpoint. Choose one, or leave the key empty." }, error: null };
  } else if (!apiKey) {
    return { ok: false, fieldErrors: { apiKey: "Enter the API key for this endpoint." }, error: { code: "invalid_input", message: "Some settings need fixing: see the highlighted fields." } };
  }
  const prev = current.answerer;
  const next = settings.answerer;
  const changedConnection =
    next.kind === "openai-compatible" &&
    (prev.kind !== "openai-compatible" || prev.baseUrl !== next.baseUrl || prev.chatModel !== next.chatModel || prev.embeddingModel !== next.embeddingModel);
  const previousEmbedding = embeddingChoiceOf(current, Boolean(stored));
  return { ok: true, value: { settings, apiKey, newKey: Boolean(typedKey), clearKey: clearApiKey, sealed: row?.secrets ?? null, changedConnection, previousEmbedding } };
}

async function runTest(settings: ShopSettingsData, apiKey: string, deps: SettingsDeps): Promise<{ ok: true; embeddingDimensions: number | null; message: string } | { ok: false; fieldErrors: FieldErrors; error: SettingsError }> {
  if (settings.answerer.kind !== "openai-compatible") return { ok: true, embeddingDimensions: null, message: "The local answerer needs no connection." };
  const test = deps.testConnection ?? testProviderConnection;
  const result = await test({
    baseURL: settings.answerer.baseUrl,
    apiKey,
    chatModel: settings.answerer.chatModel,
    ...(settings.answerer.embeddingModel ? { embeddingModel: settings.answerer.embeddingModel } : {}),
    ...(deps.endpointPolicy ? { endpointPolicy: deps.endpointPolicy } : {}),
  });
  if (!result.ok) {
    const field = fieldFor(result.code);
    const fieldErrors: FieldErrors = field === "form" ? {} : { [field]: result.message };
    return { ok: false, fieldErrors, error: { code: result.code, message: result.message } };
  }
  const models = [result.chatModel, result.embeddingModel].filter(Boolean).join(" and ");
  return { ok: true, embeddingDimensions: result.embeddingDimensions, message: `Connected: ${models} answered.` };
}

/** The "Test connection" button: checks what is in the form, stores nothing. */
export async function testSettingsConnection(db: Db, shop: string, form: FormData | URLSearchParams, deps: SettingsDeps): Promise<TestConnectionResult> {
  const prepared = await prepare(db, shop, form, deps);
  if (!prepared.ok) return prepared;
  const { settings, apiKey } = prepared.value;
  if (settings.answerer.kind === "local" || !apiKey) return { ok: true, message: "The local answerer runs inside the app: there is nothing to connect to.", embeddingDimensions: null };
  const tested = await runTest(settings, apiKey, deps);
  return tested.ok ? { ok: true, message: tested.message, embeddingDimensions: tested.embeddingDimensions } : tested;
}

/**
 * Saves the form. A new key, or a changed endpoint or model, is tested first; if the
 * test fails nothing is stored and the provider's message is returned for the field.
 */
export async function saveShopSettings(db: Db, shop: string, form: FormData | URLSearchParams, deps: SettingsDeps): Promise<SaveSettingsResult> {
  const prepared = await prepare(db, shop, form, deps);
  if (!prepared.ok) return prepared;
  const { settings, apiKey, newKey, clearKey, sealed, changedConnection, previousEmbedding } = prepared.value;

  let tested = false;
  if (settings.answerer.kind === "openai-compatible" && apiKey && (newKey || changedConnection)) {
    const result = await runTest(settings, apiKey, deps);
    if (!result.ok) return result;
    tested = true;
    if (settings.answerer.embeddingModel && result.embeddingDimensions) settings.answerer.embeddingDimensions = result.embeddingDimensions;
  }

  let secrets = sealed;
  if (clearKey) secrets = null;
  if (newKey && apiKey) {
    try {
      secrets = encryptSecret(JSON.stringify({ apiKey } satisfies StoredSecrets), deps.encryptionKey);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, fieldErrors: { apiKey: message }, error: { code: error instanceof SecretError ? error.code : "encryption_failed", message } };
    }
  }
  const data = JSON.stringify(settings);
  await db.shopSettings.upsert({ where: { shop }, create: { shop, data, secrets }, update: { data, secrets } });
  const purged = await purgeExpired(db, shop, settings.retentionDays, deps.now?.() ?? new Date());
  // Another embedding model (or back to the server's): the catalog is re-embedded into its index.
  const reindexing = embeddingChoiceOf(settings, Boolean(apiKey)) !== previousEmbedding;
  if (reindexing) await deps.reindex?.(shop);
  return { ok: true, view: await loadSettingsView(db, shop, deps.encryptionKey), tested, purged, reindexing: reindexing && deps.reindex !== undefined };
}

/** Updates only the enabled phase (the Phases page gates it before calling). */
export async function saveShopPhase(db: Db, shop: string, phase: 1 | 2 | 3): Promise<void> {
  const current = await loadShopSettings(db, shop);
  const data = JSON.stringify({ ...current, phase });
  await db.shopSettings.upsert({ where: { shop }, create: { shop, data }, update: { data } });
}
