/**
 * The shape of a shop's settings (ShopSettings.data), their defaults, and the
 * parsing of the Settings form. Pure: no I/O.
 */
import { z } from "zod";
import type { PolicyType } from "../catalog/types";
import { DEFAULT_PRICE_TABLE, type PriceTable } from "../insights/usage-ledger";
import { SIMULATED_MODEL_PRICES } from "../providers/training/simulated-prices";

import { POLICY_TYPES, TONES } from "./options";

export { POLICY_TYPES, TONES, formatPriceTable, type Tone } from "./options";

const modelName = z.string().trim().min(1, "Enter a model name").max(200).regex(/^[\w.:/@-]+$/, "Model names have no spaces");

export const answererSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("local") }),
  z.object({
    kind: z.literal("openai-compatible"),
    baseUrl: z
      .string()
      .trim()
      .url("Enter a URL like https://api.openai.com/v1")
      .refine((u) => /^https?:\/\//.test(u), "The URL must start with https:// or http://"),
    chatModel: modelName,
    /** Empty: embeddings stay local. */
    embeddingModel: modelName.optional(),
    /** The vector size the endpoint returned when last tested. */
    embeddingDimensions: z.number().int().positive().optional(),
  }),
]);
export type AnswererSettings = z.infer<typeof answererSchema>;

const priceSchema = z.object({ inputPerMTok: z.number().min(0).max(10_000), outputPerMTok: z.number().min(0).max(10_000) });

export const settingsSchema = z.object({
  answerer: answererSchema.default({ kind: "local" }),
  priceTable: z.record(z.string(), priceSchema).default({}),
  tone: z.enum(TONES).default("friendly"),
  maxAnswerLength: z.number().int().min(200).max(4000).default(800),
  refuseOffTopic: z.boolean().default(true),
  dataSources: z
    .object({
      policyTypes: z.array(z.enum(POLICY_TYPES as [PolicyType, ...PolicyType[]])).default(POLICY_TYPES),
      pages: z.enum(["all", "none", "only"]).default("all"),
      /** With pages = "only": the page handles to index. */
      pageHandles: z.array(z.string()).default([]),
    })
    .default({}),
  retentionDays: z.number().int().min(7).max(730).default(90),
  /** Days a teacher trace (prompt and sources) is kept for distillation; never longer than the answer itself. */
  traceRetentionDays: z.number().int().min(1).max(730).default(30),
  /** Monthly inference spend (USD) above which distillation is worth it. */
  spendThresholdUsd: z.number().min(0).max(1_000_000).default(200),
  /** The phase the shop has switched on (the advisor gates 2 and 3). */
  phase: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1),
  /** Written by the phase 2 evaluation when it has measured drift from the brand voice (0 = none). */
  measurements: z.object({ voiceDrift: z.object({ score: z.number(), measuredAt: z.string() }).optional() }).default({}),
});
export type ShopSettingsData = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: ShopSettingsData = settingsSchema.parse({});

/** Stored JSON to settings; anything unreadable falls back to defaults field by field. */
export function readSettings(json: string | null | undefined): ShopSettingsData {
  let raw: unknown = {};
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    raw = {};
  }
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // Keep the fields that are valid on their own rather than losing them all.
  const out: Record<string, unknown> = {};
  const obj = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  for (const key of Object.keys(settingsSchema.shape) as (keyof typeof settingsSchema.shape)[]) {
    const field = settingsSchema.shape[key].safeParse(obj[key]);
    if (field.success) out[key] = field.data;
  }
  return settingsSchema.parse(out);
}

/**
 * The effective price table: defaults, overridden model by model by the shop's. In demo mode
 * the simulated models' entries join it (labelled simulated where shown), so the demo prices
 * its teacher and student from the table like any other model.
 */
export function effectivePriceTable(settings: ShopSettingsData, options: { demo?: boolean } = {}): PriceTable {
  return { ...DEFAULT_PRICE_TABLE, ...(options.demo ? SIMULATED_MODEL_PRICES : {}), ...settings.priceTable };
}

export type FieldErrors = Record<string, string>;

export interface SettingsFormValues {
  settings: ShopSettingsData;
  /** A new API key typed in the form (blank: keep the stored one). */
  apiKey: string | null;
  clearApiKey: boolean;
}

/** "model input output" per line, e.g. "gpt-4o-mini 0.15 0.60". */
export function parsePriceTable(text: string): { table: PriceTable } | { error: string } {
  const table: PriceTable = {};
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  for (const [i, line] of lines.entries()) {
    const parts = line.split(/[\s,]+/);
    const [model, input, output] = parts;
    const inputPerMTok = Number(input);
    const outputPerMTok = Number(output ?? "0");
    if (parts.length < 2 || parts.length > 3 || !model || !Number.isFinite(inputPerMTok) || !Number.isFinite(outputPerMTok) || inputPerMTok < 0 || outputPerMTok < 0) {
      return { error: `Line ${i + 1} ("${line.slice(0, 60)}"): write the model, then the input and output price in USD per million tokens, e.g. "gpt-4o-mini 0.15 0.60".` };
    }
    table[model] = { inputPerMTok, outputPerMTok };
  }
  return { table };
}

const formSchema = z.object({
  answererKind: z.enum(["local", "openai-compatible"], { errorMap: () => ({ message: "Choose the local answerer or an OpenAI-compatible endpoint" }) }),
  baseUrl: z.string().optional(),
  chatModel: z.string().optional(),
  embeddingModel: z.string().optional(),
  apiKey: z.string().max(500, "That API key is too long").optional(),
  clearApiKey: z.string().optional(),
  tone: z.enum(TONES, { errorMap: () => ({ message: "Choose friendly, concise or formal" }) }),
  maxAnswerLength: z.coerce.number({ invalid_type_error: "Enter a number" }).int("Enter a whole number").min(200, "At least 200 characters").max(4000, "At most 4,000 characters"),
  refuseOffTopic: z.string().optional(),
  policyTypes: z.array(z.enum(POLICY_TYPES as [PolicyType, ...PolicyType[]])),
  pages: z.enum(["all", "none", "only"], { errorMap: () => ({ message: "Choose which pages to index" }) }),
  pageHandles: z.string().max(5000).optional(),
  retentionDays: z.coerce.number({ invalid_type_error: "Enter a number of days" }).int("Enter a whole number of days").min(7, "Keep questions at least 7 days").max(730, "At most 730 days (two years)"),
  traceRetentionDays: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? undefined : v),
    z.coerce.number({ invalid_type_error: "Enter a number of days" }).int("Enter a whole number of days").min(1, "Keep traces at least 1 day").max(730, "At most 730 days (two years)").optional(),
  ),
  spendThresholdUsd: z.coerce.number({ invalid_type_error: "Enter an amount in USD" }).min(0, "Cannot be negative").max(1_000_000, "At most 1,000,000"),
  priceTable: z.string().max(20_000).optional(),
});

/** Reads the Settings form (FormData entries) into settings, or field errors keyed by input name. */
export function parseSettingsForm(form: FormData | URLSearchParams, current: ShopSettingsData): { ok: true; value: SettingsFormValues } | { ok: false; fieldErrors: FieldErrors } {
  const one = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const parsed = formSchema.safeParse({
    answererKind: one("answererKind"),
    baseUrl: one("baseUrl"),
    chatModel: one("chatModel"),
    embeddingModel: one("embeddingModel"),
    apiKey: one("apiKey"),
    clearApiKey: one("clearApiKey"),
    tone: one("tone"),
    maxAnswerLength: one("maxAnswerLength"),
    refuseOffTopic: one("refuseOffTopic"),
    policyTypes: form.getAll("policyTypes").filter((v): v is string => typeof v === "string"),
    pages: one("pages"),
    pageHandles: one("pageHandles"),
    retentionDays: one("retentionDays"),
    traceRetentionDays: one("traceRetentionDays"),
    spendThresholdUsd: one("spendThresholdUsd"),
    priceTable: one("priceTable"),
  });
  const fieldErrors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const f = parsed.data;

  let answerer: AnswererSettings = { kind: "local" };
  if (f.answererKind === "openai-compatible") {
    const candidate = answererSchema.safeParse({
      kind: "openai-compatible",
      baseUrl: f.baseUrl ?? "",
      chatModel: f.chatModel ?? "",
      embeddingModel: f.embeddingModel?.trim() ? f.embeddingModel : undefined,
    });
    if (!candidate.success) {
      for (const issue of candidate.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    } else {
      answerer = candidate.data;
      // Keep the tested vector size while the endpoint and embedding model stay the same.
      const prev = current.answerer;
      if (answerer.kind === "openai-compatible" && prev.kind === "openai-compatible" && prev.baseUrl === answerer.baseUrl && prev.embeddingModel === answerer.embeddingModel && prev.embeddingDimensions) {
        answerer.embeddingDimensions = prev.embeddingDimensions;
      }
    }
  }

  const prices = parsePriceTable(f.priceTable ?? "");
  if ("error" in prices) fieldErrors.priceTable = prices.error;

  const pageHandles = (f.pageHandles ?? "")
    .split(/[\s,]+/)
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (f.pages === "only" && pageHandles.length === 0) fieldErrors.pageHandles = "List the page handles to index, or choose all pages";
  if (pageHandles.some((h) => !/^[a-z0-9][a-z0-9-_]*$/.test(h))) fieldErrors.pageHandles = "Page handles are lowercase words joined by hyphens, e.g. size-guide";

  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  const apiKey = f.apiKey?.trim() || null;
  if (apiKey && /\s/.test(apiKey)) return { ok: false, fieldErrors: { apiKey: "API keys have no spaces: paste the key alone" } };

  return {
    ok: true,
    value: {
      settings: {
        ...current,
        answerer,
        priceTable: "table" in prices ? prices.table : {},
        tone: f.tone,
        maxAnswerLength: f.maxAnswerLength,
        refuseOffTopic: f.refuseOffTopic === "on" || f.refuseOffTopic === "true",
        dataSources: { policyTypes: f.policyTypes, pages: f.pages, pageHandles: f.pages === "only" ? pageHandles : [] },
        retentionDays: f.retentionDays,
        // A trace never outlives the answer it belongs to.
        traceRetentionDays: Math.min(f.traceRetentionDays ?? current.traceRetentionDays, f.retentionDays),
        spendThresholdUsd: f.spendThresholdUsd,
      },
      apiKey,
      clearApiKey: f.clearApiKey === "on" || f.clearApiKey === "true",
    },
  };
}
