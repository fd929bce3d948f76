/**
 * Phase 2's stored state for one shop: the brief, pins and excludes, units sold, the
 * datasets built, evaluations with every number, and blind choices. Every read and
 * write names its shop.
 */
import type { CatalogProduct } from "../../catalog/types";
import type { Db } from "../../db/open-database";
import { buildVoiceDataset, toJsonl } from "./build-dataset";
import { blindOrder, checkAdoption, type AdoptionCheck, type CandidateName, type EvaluationSummary, type VoiceEvaluationResult } from "./evaluate-voice";
import { factBasisOf } from "./fact-check";
import type { HeldOutProduct } from "./evaluate-voice";
import { VoiceError, type SalesRanking, type VoiceDatasetResult } from "./types";
import type { VoiceProgressInput } from "./voice-progress";

export interface VoiceProfileView {
  brief: string;
  pins: string[];
  excludes: string[];
  sales: SalesRanking | null;
  salesNote: string | null;
  adoptedEvaluationId: number | null;
  adoptedModel: string | null;
  adoptedAt: string | null;
}

const parseList = (text: string | null | undefined): string[] => {
  try {
    const value = JSON.parse(text ?? "[]") as unknown;
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

export async function loadVoiceProfile(db: Db, shop: string): Promise<VoiceProfileView> {
  const row = await db.voiceProfile.findUnique({ where: { shop } });
  return {
    brief: row?.brief ?? "",
    pins: parseList(row?.pins),
    excludes: parseList(row?.excludes),
    sales: row?.salesRanking ? (JSON.parse(row.salesRanking) as SalesRanking) : null,
    salesNote: row?.salesNote ?? null,
    adoptedEvaluationId: row?.adoptedEvaluationId ?? null,
    adoptedModel: row?.adoptedModel ?? null,
    adoptedAt: row?.adoptedAt?.toISOString() ?? null,
  };
}

export async function saveVoiceProfile(
  db: Db,
  shop: string,
  changes: Partial<{ brief: string; pins: string[]; excludes: string[]; sales: SalesRanking | null; salesNote: string | null }>,
): Promise<VoiceProfileView> {
  const data = {
    ...(changes.brief !== undefined ? { brief: changes.brief.trim() } : {}),
    ...(changes.pins !== undefined ? { pins: JSON.stringify([...new Set(changes.pins.map((h) => h.trim()).filter(Boolean))]) } : {}),
    ...(changes.excludes !== undefined ? { excludes: JSON.stringify([...new Set(changes.excludes.map((h) => h.trim()).filter(Boolean))]) } : {}),
    ...(changes.sales !== undefined ? { salesRanking: changes.sales ? JSON.stringify(changes.sales) : null } : {}),
    ...(changes.salesNote !== undefined ? { salesNote: changes.salesNote } : {}),
  };
  await db.voiceProfile.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return loadVoiceProfile(db, shop);
}

/** Every imported product of the shop (drafts included: the builder keeps active ones). */
export async function loadShopProducts(db: Db, shop: string): Promise<CatalogProduct[]> {
  const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "product" }, select: { data: true }, orderBy: { id: "asc" } });
  return rows.map((r) => JSON.parse(r.data) as CatalogProduct);
}

/** A brief proposed from the catalog, for the merchant to rewrite: never used unedited without their save. */
export function draftBrief(shopName: string, products: CatalogProduct[]): string {
  const types = [...new Set(products.map((p) => p.productType).filter(Boolean))].slice(0, 3);
  return [
    `You write product descriptions for ${shopName}${types.length ? `, which sells ${types.join(", ").toLowerCase()}` : ""}.`,
    "Write the way our best descriptions read: the same length, tone and formatting.",
    "Use only the facts you are given; never invent a size, material, colour, number or claim.",
  ].join(" ");
}

export interface StoredDataset {
  id: number;
  createdAt: string;
  result: Omit<VoiceDatasetResult, "trainExamples" | "validationExamples">;
}

/** Builds the dataset from what is stored and keeps it; its JSONL is kept only when the dataset is usable. */
export async function buildShopDataset(db: Db, shop: string, options: { now?: Date } = {}): Promise<{ stored: StoredDataset; full: VoiceDatasetResult; trainJsonl: string; validationJsonl: string }> {
  const [profile, products] = await Promise.all([loadVoiceProfile(db, shop), loadShopProducts(db, shop)]);
  const full = buildVoiceDataset({
    brief: profile.brief,
    products,
    sales: profile.sales,
    salesUnavailable: profile.salesNote ?? "Orders were not read (rank by sales from the phase 2 page)",
    pins: profile.pins,
    excludes: profile.excludes,
  });
  const trainJsonl = full.ok ? toJsonl(full.trainExamples) : "";
  const validationJsonl = full.ok ? toJsonl(full.validationExamples) : "";
  const { trainExamples: _t, validationExamples: _v, ...summary } = full;
  const row = await db.voiceDataset.create({
    data: { shop, ok: full.ok, summary: JSON.stringify(summary), trainJsonl, validationJsonl, ...(options.now ? { createdAt: options.now } : {}) },
  });
  return { stored: { id: row.id, createdAt: row.createdAt.toISOString(), result: summary }, full, trainJsonl, validationJsonl };
}

export async function latestDataset(db: Db, shop: string): Promise<(StoredDataset & { trainJsonl: string; validationJsonl: string }) | null> {
  const row = await db.voiceDataset.findFirst({ where: { shop }, orderBy: { id: "desc" } });
  if (!row) return null;
  return { id: row.id, createdAt: row.createdAt.toISOString(), result: JSON.parse(row.summary), trainJsonl: row.trainJsonl, validationJsonl: row.validationJsonl };
}

/** The held-out products of a dataset: their facts and the merchant's copy as they were trained against. */
export async function heldOutProducts(db: Db, shop: string, datasetId: number): Promise<HeldOutProduct[]> {
  const row = await db.voiceDataset.findFirst({ where: { shop, id: datasetId } });
  if (!row || !row.ok) throw new VoiceError("no_dataset", "Build a usable dataset first: the evaluation runs on its held-out products.");
  const handles = (JSON.parse(row.summary) as VoiceDatasetResult).validation.handles;
  const products = new Map((await loadShopProducts(db, shop)).map((p) => [p.handle, p]));
  const lines = row.validationJsonl.split("\n").filter(Boolean);
  const out: HeldOutProduct[] = [];
  lines.forEach((line, i) => {
    const product = products.get(handles[i]);
    if (!product) return;
    const example = JSON.parse(line) as { messages: { content: string }[] };
    out.push({ handle: product.handle, title: product.title, factsText: example.messages[1].content, basis: factBasisOf(product), referenceHtml: example.messages[2].content });
  });
  return out;
}

export interface StoredEvaluation {
  id: number;
  datasetId: number;
  createdAt: string;
  approvedAt: string | null;
  result: VoiceEvaluationResult;
}

export async function saveEvaluation(db: Db, shop: string, datasetId: number, result: VoiceEvaluationResult): Promise<StoredEvaluation> {
  const row = await db.voiceEvaluation.create({
    data: {
      shop,
      datasetId,
      promptingModel: result.summary.prompting.model,
      fineTunedModel: result.summary.fineTuned.model,
      results: JSON.stringify(result.products),
      summary: JSON.stringify(result.summary),
      voiceDrift: result.summary.voiceDrift,
    },
  });
  return { id: row.id, datasetId, createdAt: row.createdAt.toISOString(), approvedAt: null, result };
}

export async function loadEvaluation(db: Db, shop: string, id?: number): Promise<StoredEvaluation | null> {
  const row = id ? await db.voiceEvaluation.findFirst({ where: { shop, id } }) : await db.voiceEvaluation.findFirst({ where: { shop }, orderBy: { id: "desc" } });
  if (!row) return null;
  return {
    id: row.id,
    datasetId: row.datasetId,
    createdAt: row.createdAt.toISOString(),
    approvedAt: row.approvedAt?.toISOString() ?? null,
    result: { products: JSON.parse(row.results), summary: JSON.parse(row.summary) as EvaluationSummary },
  };
}

export async function recordBlindChoice(db: Db, shop: string, evaluationId: number, handle: string, side: "left" | "right"): Promise<CandidateName> {
  const evaluation = await loadEvaluation(db, shop, evaluationId);
  if (!evaluation || !evaluation.result.products.some((p) => p.handle === handle)) throw new VoiceError("not_found", "That product is not part of this evaluation.");
  const chosen = blindOrder(evaluationId, handle)[side === "left" ? 0 : 1];
  await db.voiceBlindChoice.upsert({ where: { evaluationId_handle: { evaluationId, handle } }, create: { shop, evaluationId, handle, chosen }, update: { chosen } });
  return chosen;
}

export async function blindChoices(db: Db, shop: string, evaluationId: number): Promise<{ handle: string; chosen: CandidateName }[]> {
  const rows = await db.voiceBlindChoice.findMany({ where: { shop, evaluationId }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ handle: r.handle, chosen: r.chosen as CandidateName }));
}

export async function adoptionStatus(db: Db, shop: string, evaluationId: number): Promise<AdoptionCheck> {
  const evaluation = await loadEvaluation(db, shop, evaluationId);
  if (!evaluation) throw new VoiceError("not_found", "Run an evaluation first.");
  return checkAdoption(evaluation.result.summary, await blindChoices(db, shop, evaluationId));
}

/**
 * Adoption on the merchant's approval, only when the evaluation allows it. The voice drift
 * the advisor reads is stored with the shop's measurements by the caller.
 */
export async function adoptFineTune(db: Db, shop: string, evaluationId: number, now = new Date()): Promise<AdoptionCheck> {
  const check = await adoptionStatus(db, shop, evaluationId);
  if (!check.canAdopt) throw new VoiceError("not_adoptable", check.missing.join(" "));
  const evaluation = (await loadEvaluation(db, shop, evaluationId))!;
  await db.$transaction([
    db.voiceEvaluation.update({ where: { id: evaluationId }, data: { approvedAt: now } }),
    db.voiceProfile.upsert({
      where: { shop },
      create: { shop, adoptedEvaluationId: evaluationId, adoptedModel: evaluation.result.summary.fineTuned.model, adoptedAt: now },
      update: { adoptedEvaluationId: evaluationId, adoptedModel: evaluation.result.summary.fineTuned.model, adoptedAt: now },
    }),
  ]);
  return check;
}

/** The advisor's second question reads this: prompting's distance from the merchant's voice, as last measured. */
export async function recordVoiceDrift(db: Db, shop: string, score: number, at: Date): Promise<void> {
  const row = await db.shopSettings.findUnique({ where: { shop } });
  const data = (row ? JSON.parse(row.data) : {}) as { measurements?: Record<string, unknown> };
  const next = JSON.stringify({ ...data, measurements: { ...data.measurements, voiceDrift: { score, measuredAt: at.toISOString() } } });
  await db.shopSettings.upsert({ where: { shop }, create: { shop, data: next }, update: { data: next } });
}

/** The stored state phase 2's progress reads; `training` comes from the training job tracker. */
export async function loadVoiceProgressInput(db: Db, shop: string, training: VoiceProgressInput["training"]): Promise<VoiceProgressInput> {
  const [profile, dataset, evaluation] = await Promise.all([loadVoiceProfile(db, shop), latestDataset(db, shop), loadEvaluation(db, shop)]);
  return {
    brief: profile.brief,
    dataset: dataset ? { ok: dataset.result.ok, examples: dataset.result.examples, errors: dataset.result.errors.map((e) => e.message) } : null,
    // A model evaluated without a tracked job was trained elsewhere and registered.
    training: training ?? (evaluation ? { status: "completed", model: evaluation.result.summary.fineTuned.model, simulated: false } : null),
    evaluation: evaluation ? evaluation.result.summary : null,
    adopted: profile.adoptedModel && profile.adoptedAt ? { model: profile.adoptedModel, at: profile.adoptedAt } : null,
  };
}
