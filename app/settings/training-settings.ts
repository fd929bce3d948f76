/**
 * The shop's training provider (Together AI by default, OpenAI, or its own model), kept apart
 * from the answering settings: ShopSettings.training holds the choice, trainingSecrets the keys,
 * sealed like the answerer's. Views carry masked hints only.
 */
import { z } from "zod";
import type { Db } from "../db/open-database";
import type { EndpointPolicy } from "../providers/endpoint-guard";
import { createOpenAIChatModel } from "../providers/openai-chat";
import { ProviderError } from "../providers/types";
import { createTrainingProvider, type TrainingProviderContext } from "../providers/training/training-provider";
import { TrainingError, type ModelEndpoint, type OwnModelRegistration, type TrainingProvider, type TrainingProviderKind } from "../providers/training/types";
import { decryptSecret, encryptSecret, maskSecret, SecretError } from "./secrets";
import type { FieldErrors } from "./schema";

const url = z
  .string()
  .trim()
  .url("Enter a URL like https://api.together.xyz/v1")
  .refine((u) => /^https?:\/\//.test(u), "The URL must start with https:// or http://");

export const trainingSettingsSchema = z.object({
  provider: z.enum(["together", "openai", "byo", "simulated"]).default("together"),
  /** The provider's API base URL when it is not the provider's own. */
  baseUrl: url.optional(),
  /** USD per million training tokens by base model, for estimates the provider cannot give. */
  trainingPricePerMTok: z.record(z.string(), z.number().min(0).max(10_000)).default({}),
  /** "Bring your own": the registered model, once a test call succeeded. */
  own: z.object({ baseUrl: url, model: z.string().trim().min(1).max(200), verifiedAt: z.string() }).optional(),
});
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

interface TrainingSecrets {
  apiKey?: string;
  ownApiKey?: string;
}

export interface TrainingSettingsView {
  settings: TrainingSettings;
  label: string;
  simulated: boolean;
  hasApiKey: boolean;
  apiKeyHint: string | null;
  hasOwnApiKey: boolean;
  problem: string | null;
}

export const PROVIDER_LABELS: Record<TrainingProviderKind, string> = {
  together: "Together AI",
  openai: "OpenAI",
  byo: "Your own model",
  simulated: "simulated training",
};

export function readTrainingSettings(json: string | null | undefined): TrainingSettings {
  try {
    const parsed = trainingSettingsSchema.safeParse(json ? JSON.parse(json) : {});
    if (parsed.success) return parsed.data;
  } catch {
    // Unreadable JSON: the defaults, as for the answering settings.
  }
  return trainingSettingsSchema.parse({});
}

function openTrainingSecrets(sealed: string | null | undefined, encryptionKey: string | null): { secrets: TrainingSecrets; problem: string | null } {
  if (!sealed) return { secrets: {}, problem: null };
  try {
    return { secrets: JSON.parse(decryptSecret(sealed, encryptionKey)) as TrainingSecrets, problem: null };
  } catch (error) {
    return { secrets: {}, problem: error instanceof SecretError ? error.message : "The stored training API key could not be read. Enter it again." };
  }
}

export async function loadTrainingSettingsView(db: Db, shop: string, encryptionKey: string | null): Promise<TrainingSettingsView> {
  const row = await db.shopSettings.findUnique({ where: { shop }, select: { training: true, trainingSecrets: true } });
  const settings = readTrainingSettings(row?.training);
  const { secrets, problem } = openTrainingSecrets(row?.trainingSecrets, encryptionKey);
  return {
    settings,
    label: PROVIDER_LABELS[settings.provider],
    simulated: settings.provider === "simulated",
    hasApiKey: Boolean(secrets.apiKey),
    apiKeyHint: secrets.apiKey ? maskSecret(secrets.apiKey) : null,
    hasOwnApiKey: Boolean(secrets.ownApiKey),
    problem,
  };
}

export interface TrainingSettingsDeps extends TrainingProviderContext {
  encryptionKey: string | null;
  now?: () => Date;
  /** The test call for "bring your own" (the default calls the endpoint once). */
  testChat?: (endpoint: ModelEndpoint, policy: EndpointPolicy) => Promise<void>;
}

/** The adapter a shop trains with; `kind` picks the one a job started on. */
export async function loadTrainingProvider(db: Db, shop: string, deps: TrainingSettingsDeps, kind?: Exclude<TrainingProviderKind, "byo">): Promise<TrainingProvider> {
  const row = await db.shopSettings.findUnique({ where: { shop }, select: { training: true, trainingSecrets: true } });
  const settings = readTrainingSettings(row?.training);
  const { secrets, problem } = openTrainingSecrets(row?.trainingSecrets, deps.encryptionKey);
  if (problem) throw new TrainingError("invalid_config", problem);
  const chosen = kind ?? settings.provider;
  // A job keeps polling the provider it started on, with that provider's stored base URL only if it is still the chosen one.
  const sameProvider = chosen === settings.provider;
  return createTrainingProvider(
    { kind: chosen, apiKey: sameProvider ? secrets.apiKey ?? null : null, baseUrl: sameProvider ? settings.baseUrl : undefined, trainingPricePerMTok: settings.trainingPricePerMTok },
    deps,
  );
}

/** The registered own model, with its key, for evaluation and use. */
export async function loadOwnModel(db: Db, shop: string, encryptionKey: string | null): Promise<OwnModelRegistration | null> {
  const row = await db.shopSettings.findUnique({ where: { shop }, select: { training: true, trainingSecrets: true } });
  const settings = readTrainingSettings(row?.training);
  if (!settings.own) return null;
  const { secrets } = openTrainingSecrets(row?.trainingSecrets, encryptionKey);
  return { baseURL: settings.own.baseUrl, model: settings.own.model, apiKey: secrets.ownApiKey ?? "", verifiedAt: new Date(settings.own.verifiedAt) };
}

const formSchema = z.object({
  trainingProvider: z.enum(["together", "openai", "byo"], { errorMap: () => ({ message: "Choose Together AI, OpenAI or your own model" }) }),
  trainingApiKey: z.string().max(500, "That API key is too long").optional(),
  clearTrainingApiKey: z.string().optional(),
  ownBaseUrl: z.string().optional(),
  ownModel: z.string().max(200).optional(),
  ownApiKey: z.string().max(500, "That API key is too long").optional(),
  trainingPriceTable: z.string().max(20_000).optional(),
});

export type SaveTrainingSettingsResult = { ok: true; view: TrainingSettingsView; message: string } | { ok: false; fieldErrors: FieldErrors };

/**
 * Saves the Settings page's training section. With "your own model", the endpoint is
 * called once before it is stored; a refused or private endpoint is reported on its field.
 * The demo's simulated provider is kept as it is: the form cannot choose it.
 */
export async function saveTrainingSettings(db: Db, shop: string, form: FormData | URLSearchParams, deps: TrainingSettingsDeps): Promise<SaveTrainingSettingsResult> {
  const one = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const parsed = formSchema.safeParse({
    trainingProvider: one("trainingProvider"),
    trainingApiKey: one("trainingApiKey"),
    clearTrainingApiKey: one("clearTrainingApiKey"),
    ownBaseUrl: one("ownBaseUrl"),
    ownModel: one("ownModel"),
    ownApiKey: one("ownApiKey"),
    trainingPriceTable: one("trainingPriceTable"),
  });
  if (!parsed.success) return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  const f = parsed.data;
  const row = await db.shopSettings.findUnique({ where: { shop }, select: { training: true, trainingSecrets: true } });
  const current = readTrainingSettings(row?.training);
  const { secrets } = openTrainingSecrets(row?.trainingSecrets, deps.encryptionKey);
  const fieldErrors: FieldErrors = {};

  const prices = parseTrainingPrices(f.trainingPriceTable ?? "");
  if ("error" in prices) fieldErrors.trainingPriceTable = prices.error;
  const typedKey = f.trainingApiKey?.trim() || null;
  if (typedKey && /\s/.test(typedKey)) fieldErrors.trainingApiKey = "API keys have no spaces: paste the key alone";

  const next: TrainingSettings = { ...current, provider: current.provider === "simulated" && deps.demoMode ? "simulated" : f.trainingProvider, trainingPricePerMTok: "table" in prices ? prices.table : current.trainingPricePerMTok };
  if (next.provider !== current.provider) delete next.baseUrl; // a base URL belongs to the provider it was set for
  const nextSecrets: TrainingSecrets = { ...secrets };
  if (f.clearTrainingApiKey === "on") delete nextSecrets.apiKey;
  if (typedKey) nextSecrets.apiKey = typedKey;

  if (f.trainingProvider === "byo") {
    const baseUrl = url.safeParse(f.ownBaseUrl ?? "");
    const model = (f.ownModel ?? "").trim();
    if (!baseUrl.success) fieldErrors.ownBaseUrl = baseUrl.error.issues[0].message;
    if (!model) fieldErrors.ownModel = "Enter the model id your endpoint serves";
    const ownKey = f.ownApiKey?.trim() || secrets.ownApiKey || "";
    if (baseUrl.success && model && Object.keys(fieldErrors).length === 0) {
      const changed = current.own?.baseUrl !== baseUrl.data || current.own?.model !== model || Boolean(f.ownApiKey?.trim());
      if (changed || !current.own) {
        const test = deps.testChat ?? testOwnModel;
        try {
          await test({ baseURL: baseUrl.data, model, apiKey: ownKey || "none" }, deps.endpointPolicy);
        } catch (error) {
          const message = error instanceof ProviderError || error instanceof TrainingError ? error.message : `The test call failed: ${(error as Error).message}`;
          return { ok: false, fieldErrors: { [error instanceof ProviderError && error.code === "model_not_found" ? "ownModel" : "ownBaseUrl"]: message } };
        }
        next.own = { baseUrl: baseUrl.data, model, verifiedAt: (deps.now?.() ?? new Date()).toISOString() };
      }
      if (f.ownApiKey?.trim()) nextSecrets.ownApiKey = f.ownApiKey.trim();
    }
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };

  let sealed: string | null = null;
  if (nextSecrets.apiKey || nextSecrets.ownApiKey) {
    try {
      sealed = encryptSecret(JSON.stringify(nextSecrets), deps.encryptionKey);
    } catch (error) {
      return { ok: false, fieldErrors: { trainingApiKey: (error as Error).message } };
    }
  }
  const training = JSON.stringify(next);
  await db.shopSettings.upsert({ where: { shop }, create: { shop, training, trainingSecrets: sealed }, update: { training, trainingSecrets: sealed } });
  const view = await loadTrainingSettingsView(db, shop, deps.encryptionKey);
  return { ok: true, view, message: next.provider === "byo" ? `Training settings saved: ${next.own?.model} answered the test call.` : `Training settings saved: jobs will train on ${PROVIDER_LABELS[next.provider]}.` };
}

/**
 * Demo mode: points the demo shop at this run's simulated training server (its port changes
 * with each start), unless the merchant chose another provider in the demo's Settings.
 */
export async function pointDemoShopAtSimulatedTraining(db: Db, shop: string, baseUrl: string): Promise<void> {
  const row = await db.shopSettings.findUnique({ where: { shop }, select: { training: true } });
  const current = readTrainingSettings(row?.training);
  const untouched = !row || row.training === "{}" || current.provider === "simulated";
  if (!untouched) return;
  const training = JSON.stringify({ ...current, provider: "simulated", baseUrl } satisfies TrainingSettings);
  await db.shopSettings.upsert({ where: { shop }, create: { shop, training }, update: { training } });
}

/** One short chat completion: the endpoint exists, the key works, the model answers. */
async function testOwnModel(endpoint: ModelEndpoint, policy: EndpointPolicy): Promise<void> {
  const chat = createOpenAIChatModel({ baseURL: endpoint.baseURL, apiKey: endpoint.apiKey, model: endpoint.model, maxRetries: 0, timeoutMs: 20_000, endpointPolicy: policy });
  await chat.generate({ messages: [{ role: "user", content: "Reply with the word OK." }], maxOutputTokens: 5 });
}

/** "model price" per line, USD per million training tokens, e.g. "meta-llama/Llama-3.1-8B 0.48". */
export function parseTrainingPrices(text: string): { table: Record<string, number> } | { error: string } {
  const table: Record<string, number> = {};
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  for (const [i, line] of lines.entries()) {
    const [model, price, ...rest] = line.split(/[\s,]+/);
    const value = Number(price);
    if (!model || rest.length || !Number.isFinite(value) || value < 0) {
      return { error: `Line ${i + 1} ("${line.slice(0, 60)}"): write the base model, then its training price in USD per million tokens, e.g. "Qwen/Qwen3-4B 0.48".` };
    }
    table[model] = value;
  }
  return { table };
}
