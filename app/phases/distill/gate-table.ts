/** The gate table as plain text, for the CLI: one line per intent and tier, every figure. */
import type { GateReport, TierFigures } from "./types";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const usd = (x: number) => `$${x.toFixed(4)}`;

function line(intent: string, f: TierFigures, chosen: boolean): string {
  const q = f.quality;
  return [
    intent.padEnd(14),
    `${f.tier}${chosen ? "*" : ""}`.padEnd(9),
    String(f.examples).padStart(5),
    pct(q.citationValidity).padStart(9),
    pct(q.claimAccuracy).padStart(9),
    pct(q.agreement).padStart(9),
    pct(q.refusalCorrectness).padStart(9),
    `${Math.round(f.p95LatencyMs)} ms`.padStart(9),
    usd(f.costPer1000Usd).padStart(11),
  ].join(" ");
}

export function formatGateTable(report: GateReport): string[] {
  const out = [
    `${"intent".padEnd(14)} ${"tier".padEnd(9)} ${"n".padStart(5)} ${"citations".padStart(9)} ${"claims".padStart(9)} ${"agree".padStart(9)} ${"refusals".padStart(9)} ${"p95".padStart(9)} ${"per 1,000".padStart(11)}`,
  ];
  for (const row of report.rows) {
    out.push(line(row.intent, row.teacher, row.chosen === "teacher" && row.intent !== "overall"));
    for (const c of row.candidates) out.push(line("", c, row.chosen === c.tier && row.intent !== "overall"));
  }
  const ratio = Number.isFinite(report.costRatio) ? `${report.costRatio.toFixed(1)}×` : "∞ (the routed tiers cost nothing)";
  out.push("");
  out.push(`Routed: ${usd(report.routed.costPer1000Usd)} per 1,000 answers vs the teacher's ${usd(report.teacher.costPer1000Usd)} (${ratio} cheaper).`);
  out.push(report.passed ? "Gate: passed (* marks each intent's tier)." : `Gate: not passed. ${report.reasons.join(" ")}`);
  return out;
}
