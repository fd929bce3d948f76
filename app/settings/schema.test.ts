import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, effectivePriceTable, parsePriceTable, parseSettingsForm, readSettings } from "./schema";

function form(fields: Record<string, string | string[]>): URLSearchParams {
  const f = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) f.append(k, one);
  return f;
}

const valid = {
  answererKind: "openai-compatible",
  baseUrl: "https://api.openai.com/v1",
  chatModel: "gpt-4o-mini",
  embeddingModel: "",
  apiKey: "sk-test-1234",
  tone: "concise",
  maxAnswerLength: "600",
  refuseOffTopic: "on",
  policyTypes: ["refund", "shipping"],
  pages: "only",
  pageHandles: "size-guide, FAQ",
  retentionDays: "30",
  spendThresholdUsd: "150",
  priceTable: "gpt-4o-mini 0.2 0.8\n# a comment\nmy-model 1 2",
};

describe("parseSettingsForm", () => {
  it("reads a valid form into settings and the typed key", () => {
    const r = parseSettingsForm(form(valid), DEFAULT_SETTINGS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.apiKey).toBe("sk-test-1234");
    expect(r.value.settings).toMatchObject({
      answerer: { kind: "openai-compatible", baseUrl: "https://api.openai.com/v1", chatModel: "gpt-4o-mini" },
      tone: "concise",
      maxAnswerLength: 600,
      refuseOffTopic: true,
      dataSources: { policyTypes: ["refund", "shipping"], pages: "only", pageHandles: ["size-guide", "faq"] },
      retentionDays: 30,
      spendThresholdUsd: 150,
      priceTable: { "gpt-4o-mini": { inputPerMTok: 0.2, outputPerMTok: 0.8 }, "my-model": { inputPerMTok: 1, outputPerMTok: 2 } },
      phase: 1,
    });
    // An empty embedding model means embeddings stay local.
    expect(r.value.settings.answerer.kind === "openai-compatible" && r.value.settings.answerer.embeddingModel).toBeUndefined();
  });

  it("returns one error per bad field, keyed by the input's name", () => {
    const r = parseSettingsForm(form({ ...valid, baseUrl: "not a url", chatModel: "gpt 4", retentionDays: "3", priceTable: "gpt-4o-mini cheap" }), DEFAULT_SETTINGS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors).sort()).toEqual(["retentionDays"]);
    const r2 = parseSettingsForm(form({ ...valid, baseUrl: "not a url", chatModel: "gpt 4", priceTable: "gpt-4o-mini cheap" }), DEFAULT_SETTINGS);
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.fieldErrors.baseUrl).toMatch(/URL/);
    expect(r2.fieldErrors.chatModel).toMatch(/no spaces/);
    expect(r2.fieldErrors.priceTable).toMatch(/Line 1/);
  });

  it("keeps the phase and measurements it does not edit", () => {
    const current = { ...DEFAULT_SETTINGS, phase: 2 as const, measurements: { voiceDrift: { score: 0.1, measuredAt: "2026-01-01" } } };
    const r = parseSettingsForm(form({ ...valid, answererKind: "local", apiKey: "" }), current);
    expect(r.ok && r.value.settings.phase).toBe(2);
    expect(r.ok && r.value.settings.measurements.voiceDrift?.score).toBe(0.1);
    expect(r.ok && r.value.settings.answerer).toEqual({ kind: "local" });
  });
});

describe("stored settings", () => {
  it("falls back to defaults field by field when stored JSON is partly invalid", () => {
    const s = readSettings(JSON.stringify({ tone: "formal", retentionDays: -4, phase: 3 }));
    expect(s.tone).toBe("formal");
    expect(s.retentionDays).toBe(90);
    expect(s.phase).toBe(3);
    expect(readSettings("{not json")).toEqual(DEFAULT_SETTINGS);
  });

  it("overrides default prices model by model", () => {
    const table = effectivePriceTable({ ...DEFAULT_SETTINGS, priceTable: { "gpt-4o-mini": { inputPerMTok: 9, outputPerMTok: 9 } } });
    expect(table["gpt-4o-mini"].inputPerMTok).toBe(9);
    expect(table["gpt-4o"].inputPerMTok).toBe(2.5);
    expect(parsePriceTable("a 1")).toEqual({ table: { a: { inputPerMTok: 1, outputPerMTok: 0 } } });
  });
});
