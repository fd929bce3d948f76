/** Writes the evaluation as eval-report.json (everything) and eval-report.md (for people). */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AnyStoreScore, AnyStoreSummary } from "./any-store-eval";
import type { CatalogEvalResult } from "./catalog-eval";
import type { EpqaRankingResult } from "./epqa-ranking";

export interface EvalTargets {
  structuredClaims: boolean;
  citationValidity: boolean;
  refusals: boolean;
  hybridBeatsBm25AndDense: boolean | null;
  /** The learned reranker's nDCG@3 at least 1.10x BM25's on ePQA (cross-validated by question). */
  learnedAtLeast110PercentOfBm25: boolean | null;
  /** Every store at or above the "any store" target accuracy. */
  anyStoreEveryStore: boolean | null;
}

export interface EvalSummary {
  generatedAt: string;
  answerer: string;
  embedder: string;
  catalogs: CatalogEvalResult[];
  totals: {
    questions: number;
    claims: { checked: number; correct: number; accuracy: number };
    citations: { checked: number; valid: number; validity: number };
    refusals: { checked: number; correct: number; accuracy: number };
  };
  /** The "any store" section: accuracy per store, question type and language (null when not run). */
  anyStore: AnyStoreSummary | null;
  epqa: EpqaRankingResult | null;
  targets: EvalTargets;
  notes: string[];
}

export function summarizeEval(input: {
  answerer: string;
  embedder: string;
  catalogs: CatalogEvalResult[];
  anyStore?: AnyStoreSummary | null;
  epqa: EpqaRankingResult | null;
  notes?: string[];
}): EvalSummary {
  const sum = (f: (c: CatalogEvalResult) => number) => input.catalogs.reduce((a, c) => a + f(c), 0);
  const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 10000) / 10000);
  const claims = { checked: sum((c) => c.claims.checked), correct: sum((c) => c.claims.correct), accuracy: 0 };
  claims.accuracy = ratio(claims.correct, claims.checked);
  const citations = { checked: sum((c) => c.citations.checked), valid: sum((c) => c.citations.valid), validity: 0 };
  citations.validity = ratio(citations.valid, citations.checked);
  const refusals = { checked: sum((c) => c.refusals.checked), correct: sum((c) => c.refusals.correct), accuracy: 0 };
  refusals.accuracy = ratio(refusals.correct, refusals.checked);
  const m = input.epqa?.methods;
  return {
    generatedAt: new Date().toISOString(),
    answerer: input.answerer,
    embedder: input.embedder,
    catalogs: input.catalogs,
    totals: { questions: sum((c) => c.questions), claims, citations, refusals },
    anyStore: input.anyStore ?? null,
    epqa: input.epqa,
    targets: {
      structuredClaims: claims.accuracy === 1,
      citationValidity: citations.validity === 1,
      refusals: refusals.accuracy >= 0.95,
      hybridBeatsBm25AndDense: m ? m.hybrid.ndcgAt3 > m.bm25.ndcgAt3 && m.hybrid.ndcgAt3 > m.dense.ndcgAt3 : null,
      learnedAtLeast110PercentOfBm25: input.epqa ? input.epqa.learnedOverBm25 >= 1.1 : null,
      anyStoreEveryStore: input.anyStore ? input.anyStore.stores.length > 0 && input.anyStore.storesMeetingTarget === input.anyStore.stores.length : null,
    },
    notes: input.notes ?? [],
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function renderEvalMarkdown(s: EvalSummary): string {
  const lines: string[] = [];
  lines.push(`# Groundwork evaluation`, "", `Generated ${s.generatedAt}. Answerer: \`${s.answerer}\`. Embeddings: \`${s.embedder}\`.`, "");
  lines.push("## Targets", "", "| target | result | met |", "|---|---|---|");
  lines.push(`| structured claims 100% correct | ${pct(s.totals.claims.accuracy)} (${s.totals.claims.correct}/${s.totals.claims.checked}) | ${s.targets.structuredClaims ? "yes" : "NO"} |`);
  lines.push(`| citation validity 100% | ${pct(s.totals.citations.validity)} (${s.totals.citations.valid}/${s.totals.citations.checked}) | ${s.targets.citationValidity ? "yes" : "NO"} |`);
  lines.push(`| correct refusals >= 95% | ${pct(s.totals.refusals.accuracy)} (${s.totals.refusals.correct}/${s.totals.refusals.checked}) | ${s.targets.refusals ? "yes" : "NO"} |`);
  if (s.epqa) {
    const m = s.epqa.methods;
    lines.push(`| hybrid beats BM25 and dense on ePQA nDCG@3 | ${m.hybrid.ndcgAt3} vs ${m.bm25.ndcgAt3} / ${m.dense.ndcgAt3} | ${s.targets.hybridBeatsBm25AndDense ? "yes" : "NO"} |`);
    lines.push(`| learned reranker >= 1.10x BM25 on ePQA nDCG@3 | ${m.learned.ndcgAt3} vs ${m.bm25.ndcgAt3} (${s.epqa.learnedOverBm25}x) | ${s.targets.learnedAtLeast110PercentOfBm25 ? "yes" : "NO"} |`);
  } else {
    lines.push("| hybrid beats BM25 and dense on ePQA nDCG@3 | not run (data absent) | — |");
  }
  if (s.anyStore) {
    const a = s.anyStore;
    lines.push(`| any store: every store >= ${pct(a.target)} | ${a.storesMeetingTarget} of ${a.stores.length} stores; ${pct(a.total.accuracy)} overall | ${s.targets.anyStoreEveryStore ? "yes" : "NO"} |`);
  }
  lines.push("", "## Catalogs", "", "| catalog | questions | claims | citations | refusals | fallbacks |", "|---|---|---|---|---|---|");
  for (const c of s.catalogs) {
    lines.push(`| ${c.catalog} | ${c.questions} | ${pct(c.claims.accuracy)} (${c.claims.correct}/${c.claims.checked}) | ${pct(c.citations.validity)} | ${pct(c.refusals.accuracy)} | ${c.fallbacks} |`);
  }
  if (s.anyStore) lines.push("", ...renderAnyStore(s.anyStore));
  if (s.epqa) {
    lines.push("", `## ePQA ranking (${s.epqa.dataset}, ${s.epqa.questions} questions; ${s.epqa.skippedNoRelevant} with no relevant candidate left out)`, "");
    lines.push("| method | nDCG@1 | nDCG@3 | MRR |", "|---|---|---|---|");
    for (const [name, m] of Object.entries(s.epqa.methods)) lines.push(`| ${name} | ${m.ndcgAt1} | ${m.ndcgAt3} | ${m.mrr} |`);
    lines.push("", ...s.epqa.notes.map((n) => `- ${n}`));
  }
  const failures = s.catalogs.flatMap((c) => c.failures.map((f) => ({ ...f, catalog: c.catalog })));
  if (failures.length > 0) {
    lines.push("", "## Failures", "");
    for (const f of failures.slice(0, 40)) lines.push(`- **${f.catalog}** \`${f.id}\` — ${f.question} — ${f.problem}. Answer: ${f.answer.replace(/\n/g, " ").slice(0, 200)}`);
  }
  if (s.notes.length > 0) lines.push("", "## Notes", "", ...s.notes.map((n) => `- ${n}`));
  return lines.join("\n") + "\n";
}

const cell = (x: AnyStoreScore | undefined) => (x ? `${pct(x.accuracy)} (${x.right}/${x.asked})` : "—");

export function renderAnyStore(a: AnyStoreSummary): string[] {
  const kinds = Object.keys(a.byKind).sort();
  const lines = [`## Any store (target ${pct(a.target)} on every store)`, ""];
  lines.push(`| store | products | accuracy | ${kinds.join(" | ")} |`, `|---|---|---|${kinds.map(() => "---|").join("")}`);
  for (const st of a.stores) lines.push(`| ${st.store} | ${st.products} | ${cell(st.score)} | ${kinds.map((k) => cell(st.byKind[k])).join(" | ")} |`);
  lines.push(`| **all** | | ${cell(a.total)} | ${kinds.map((k) => cell(a.byKind[k])).join(" | ")} |`);
  lines.push("", "| language | accuracy |", "|---|---|", ...Object.entries(a.byLocale).map(([l, x]) => `| ${l} | ${cell(x)} |`));
  const failures = a.stores.flatMap((st) => st.failures.map((f) => ({ ...f, store: st.store })));
  if (failures.length > 0) {
    lines.push("", "Failures (first 3 per store and type):", "");
    const seen = new Map<string, number>();
    for (const f of failures) {
      const key = `${f.store}\u0000${f.kind}`;
      if ((seen.get(key) ?? 0) >= 3) continue;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      lines.push(`- **${f.store}** ${f.kind} (${f.locale}) — ${f.question} — ${f.problem}. Answer: ${f.answer.replace(/\n/g, " ").slice(0, 160)}`);
    }
  }
  return lines;
}

export async function writeEvalReport(summary: EvalSummary, dir: string): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, "eval-report.json");
  const markdown = path.join(dir, "eval-report.md");
  await writeFile(json, JSON.stringify(summary, null, 2) + "\n");
  await writeFile(markdown, renderEvalMarkdown(summary));
  return { json, markdown };
}
