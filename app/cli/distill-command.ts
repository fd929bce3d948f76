/** `groundwork distill`: the phase 3 gate table and dataset export for a shop, from what is stored. */
import { parseArgs } from "node:util";
import { formatUsd } from "../admin-ui/format";
import { exportDatasetJsonl } from "../phases/distill/dataset";
import { loadDistillReport } from "../phases/distill/distill-report";
import { formatGateTable } from "../phases/distill/gate-table";
import type { Command } from "./commands";
import type { CliContext } from "./main";

export function distillCommand(deps: {
  requireShop(value: unknown): string;
  withServices<T>(ctx: CliContext, work: (services: import("../services").Services) => Promise<T>): Promise<T>;
}): Command {
  return {
    help: "groundwork distill report --shop <shop> [--json]\ngroundwork distill export --shop <shop> [--split train|eval]\n  The phase 3 gate table (per intent: citation validity, claim accuracy, agreement, refusal correctness, p95 latency, cost per 1,000) and the dataset as chat JSONL.",
    async run(ctx) {
      const { values, positionals } = parseArgs({
        args: ctx.argv,
        options: { shop: { type: "string" }, json: { type: "boolean" }, split: { type: "string" } },
        allowPositionals: true,
      });
      const action = positionals[0];
      if (action !== "report" && action !== "export") {
        ctx.err('Choose "report" or "export": groundwork distill report --shop <shop> [--json]');
        return 2;
      }
      const shop = deps.requireShop(values.shop);
      return deps.withServices(ctx, async (services) => {
        if (action === "export") {
          const split = values.split ?? "train";
          if (split !== "train" && split !== "eval") {
            ctx.err(`--split is "train" or "eval" (got "${split}").`);
            return 2;
          }
          process.stdout.write(await exportDatasetJsonl(services.db, shop, split));
          return 0;
        }
        const report = await loadDistillReport(services.db, shop);
        if (values.json) {
          // Infinity is not JSON: a routed mix that costs nothing is reported as null.
          ctx.out(JSON.stringify({ shop, gate: { ...report.gate, costRatio: Number.isFinite(report.gate.costRatio) ? report.gate.costRatio : null }, funnel: report.funnel, cost: report.cost }, null, 2));
          return 0;
        }
        ctx.out(`Phase 3 for ${shop}: ${report.funnel.traces} traces, dataset ${report.funnel.dataset.train} train / ${report.funnel.dataset.eval} held out, rollout ${report.rollout.stage}${report.simulated ? " (simulated)" : ""}`);
        if (!report.gate.runId) {
          ctx.out("No gate has run yet: the table appears once the held-out answers have been measured.");
          return 0;
        }
        for (const l of formatGateTable(report.gate)) ctx.out(l);
        ctx.out(`Saving to date: ${formatUsd(report.cost.netSavingUsd, 2)} net of training, gate and shadow spend.`);
        return 0;
      });
    },
  };
}
