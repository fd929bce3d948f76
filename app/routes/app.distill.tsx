import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "../admin-context.server";
import { demoStoreDir, readDemoStoreProfile } from "../catalog/demo-store";
import { loadCatalogFilesForShop } from "../catalog/import-files";
import { findRepoRoot } from "../db/open-database";
import { loadDistillReport } from "../phases/distill/distill-report";
import { changeStage, DistillError } from "../phases/distill/rollout";
import { runSimulatedCycle } from "../phases/distill/simulated-cycle";
import { ROLLOUT_STAGES, type RolloutStage, type TierFigures } from "../phases/distill/types";
import { formatUsd } from "../admin-ui/format";
import { SIMULATED_MODEL_PRICES, SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL } from "../providers/training/simulated-prices";
import { getServices } from "../services.server";
import { trainingDepsFor } from "../jobs/handlers";
import { effectivePriceTable } from "../settings/schema";
import { loadShopAnswering } from "../settings/shop-settings";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const services = getServices();
  const report = await loadDistillReport(services.db, shop);
  // Infinity does not survive JSON: a routed mix that costs nothing is shown as such.
  // In demo mode the simulated models' price table entries price the teacher and the student: shown, labelled.
  const simulatedPrices = demo ? [SIMULATED_TEACHER_MODEL, SIMULATED_STUDENT_BASE].map((model) => ({ model, ...SIMULATED_MODEL_PRICES[model] })) : [];
  return {
    report: { ...report, gate: { ...report.gate, costRatio: Number.isFinite(report.gate.costRatio) ? report.gate.costRatio : null } },
    demo,
    canSimulate: demo && !!services.config.simulatedTrainingUrl,
    simulatedPrices,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const services = getServices();
  const form = await request.formData();
  try {
    if (form.get("intent") === "simulate") {
      const url = services.config.simulatedTrainingUrl;
      if (!demo || !url) return Response.json({ ok: false, code: "not_demo", message: "The simulated cycle runs in demo mode only." }, { status: 400 });
      const root = findRepoRoot();
      const catalog = await loadCatalogFilesForShop(shop, [demoStoreDir(root)], { currency: readDemoStoreProfile(root).currency });
      const profile = await services.shopProfile(shop);
      const deps = { store: services.store, embedder: (await services.indexes.targetFor(shop)).embedder, catalog: services.catalog, shopProfile: services.shopProfile, vocabulary: services.catalog.vocabulary };
      const { settings } = await loadShopAnswering(services.db, shop, services.config.encryptionKey);
      const result = await runSimulatedCycle({
        db: services.db,
        shop,
        deps,
        catalog,
        simulatedUrl: url,
        training: trainingDepsFor(services),
        priceTable: effectivePriceTable(settings, { demo: true }),
        storeName: profile.name,
        currency: profile.currency,
      });
      return Response.json({ ok: true, message: result.gatePassed ? `Simulated cycle done: rollout is ${result.stage}.` : "Simulated cycle done: the gate did not pass, so nothing is routed." });
    }
    const stage = String(form.get("stage") ?? "") as RolloutStage;
    const percent = form.get("canaryPercent");
    await changeStage(services.db, shop, { stage, canaryPercent: percent ? Number(percent) : undefined, reason: "changed by the merchant" });
    return Response.json({ ok: true, message: `Rollout is now ${stage}.` });
  } catch (error) {
    if (error instanceof DistillError) return Response.json({ ok: false, code: error.code, message: error.message }, { status: 409 });
    throw error;
  }
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const usd = (x: number, digits?: number) => formatUsd(x, digits);
const FUNNEL = ["traces", "dataset", "training", "gate", "shadow", "canary", "full"] as const;

function figureRow(intent: string, f: TierFigures, chosen: boolean): string[] {
  return [
    intent,
    `${f.tier}${chosen ? " ✓" : ""}`,
    String(f.examples),
    pct(f.quality.citationValidity),
    pct(f.quality.claimAccuracy),
    pct(f.quality.agreement),
    pct(f.quality.refusalCorrectness),
    `${Math.round(f.p95LatencyMs)} ms`,
    usd(f.costPer1000Usd, 4),
  ];
}

export default function Distill() {
  const { report, canSimulate, simulatedPrices } = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: boolean; message: string }>();
  const busy = useNavigation().state !== "idle";
  const [stage, setStage] = useState<string>(report.rollout.stage);
  const [percent, setPercent] = useState(String(report.rollout.canaryPercent));
  const f = report.funnel;
  const stageIndex = ROLLOUT_STAGES.indexOf(f.stage);
  const done: Record<(typeof FUNNEL)[number], boolean> = {
    traces: f.traces > 0,
    dataset: f.dataset.eval > 0,
    training: f.training?.status === "completed",
    gate: !!f.gate?.passed,
    shadow: stageIndex >= 1,
    canary: stageIndex >= 2,
    full: stageIndex >= 3,
  };
  const rows = report.gate.rows.flatMap((r) => [figureRow(r.intent, r.teacher, r.chosen === "teacher" && r.intent !== "overall"), ...r.candidates.map((c) => figureRow("", c, r.chosen === c.tier && r.intent !== "overall"))]);
  return (
    <Page title="Distillation" subtitle="Phase 3: cheaper answers from a student trained on your store's validated answers, routed only where measured">
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {report.simulated && (
              <Banner tone="info" title="Simulated">
                The teacher, the training and the student here run on the demo&apos;s local simulation; no model was trained.
              </Banner>
            )}
            {result && <Banner tone={result.ok ? "success" : "warning"} title={result.message} />}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Funnel
              </Text>
              <InlineStack gap="200" wrap>
                {FUNNEL.map((step) => (
                  <Badge key={step} tone={done[step] ? "success" : undefined}>{`${step}${step === "traces" ? ` ${f.traces}` : step === "dataset" ? ` ${f.dataset.train}/${f.dataset.eval}` : step === "training" && f.training ? ` ${f.training.status}` : ""}`}</Badge>
                ))}
              </InlineStack>
              <Text as="p" tone="subdued">
                {`Dataset: ${f.dataset.train} training examples, ${f.dataset.eval} held out (never trained on). Rollout: ${report.rollout.stage}${report.rollout.stage === "canary" ? ` at ${report.rollout.canaryPercent}%` : ""}.`}
              </Text>
              <InlineStack gap="200">
                <Button url="/app/distill/export?split=train" download>
                  Download training JSONL
                </Button>
                {canSimulate && (
                  <Form method="post">
                    <input type="hidden" name="intent" value="simulate" />
                    <Button submit loading={busy}>
                      Run the simulated cycle
                    </Button>
                  </Form>
                )}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Gate: student against teacher on the held-out answers
              </Text>
              {report.gate.runId ? (
                <>
                  <DataTable
                    columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                    headings={["Intent", "Tier", "Answers", "Citations", "Claims", "Agreement", "Refusals", "p95", "Per 1,000"]}
                    rows={rows}
                  />
                  <Text as="p">
                    {`Routed: ${usd(report.gate.routed.costPer1000Usd, 4)} per 1,000 answers against the teacher's ${usd(report.gate.teacher.costPer1000Usd, 4)} (${report.gate.costRatio === null ? "the routed tiers cost nothing" : `${report.gate.costRatio.toFixed(1)}× cheaper`}). Gate ${report.gate.passed ? "passed" : "not passed"}.`}
                  </Text>
                  {simulatedPrices.length > 0 && (
                    <Text as="p" tone="subdued">
                      {`Simulated price table (USD per million tokens, input/output): ${simulatedPrices.map((p) => `${p.model} ${usd(p.inputPerMTok)}/${usd(p.outputPerMTok)}`).join("; ")}. The student is priced by its base model's entry.`}
                    </Text>
                  )}
                  {!report.gate.passed && (
                    <List type="bullet">
                      {report.gate.reasons.map((r) => (
                        <List.Item key={r}>{r}</List.Item>
                      ))}
                    </List>
                  )}
                </>
              ) : (
                <Text as="p" tone="subdued">
                  No gate has run yet. Nothing is routed before its figures are shown here.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Rollout
              </Text>
              <Form method="post">
                <BlockStack gap="200">
                  <Select label="Stage" name="stage" options={ROLLOUT_STAGES.map((s) => ({ label: s, value: s }))} value={stage} onChange={setStage} />
                  <TextField label="Canary share (%)" name="canaryPercent" type="number" value={percent} onChange={setPercent} autoComplete="off" min={1} max={100} />
                  <Button submit loading={busy}>
                    Apply
                  </Button>
                </BlockStack>
              </Form>
              <Text as="h3" variant="headingSm">
                Routing share, last 30 days
              </Text>
              <List type="bullet">
                {Object.entries(report.routingShare).map(([intent, shares]) => (
                  <List.Item key={intent}>{`${intent}: ${Object.entries(shares).map(([tier, s]) => `${tier} ${pct(s)}`).join(", ")}`}</List.Item>
                ))}
              </List>
              <Text as="h3" variant="headingSm">
                Rollbacks
              </Text>
              {report.rollout.rollbacks.length === 0 ? (
                <Text as="p" tone="subdued">
                  None.
                </Text>
              ) : (
                <List type="bullet">
                  {report.rollout.rollbacks.map((r) => (
                    <List.Item key={`${r.intent}-${r.at}`}>{`${r.intent} (${r.tier}) back to the teacher ${r.at.slice(0, 16).replace("T", " ")}: ${r.reason}`}</List.Item>
                  ))}
                </List>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Saving to date
              </Text>
              <Text as="p" variant="headingLg">
                {usd(report.cost.netSavingUsd, 2)}
              </Text>
              <Text as="p" tone="subdued">
                {`${report.cost.routed.answers} answers by cheaper tiers would have cost ${usd(report.cost.teacherEquivalentUsd)} from the teacher and cost ${usd(report.cost.routed.costUsd)}; less training ${usd(report.cost.trainingSpendUsd)}, gate ${usd(report.cost.gateSpendUsd)} and shadow ${usd(report.cost.shadowSpendUsd)} spend. From the usage ledger.`}
              </Text>
              <Text as="p">{`Shadow answers: ${report.shadow.answers} (validated ${report.shadow.validated}, agreed ${report.shadow.agreed}); spend ${usd(report.shadow.spentUsd, 4)} of a ${usd(report.shadow.capUsd)} cap.`}</Text>
              {report.cost.projectedMonthlySavingUsd !== null && <Text as="p">{`Projected at the last 30 days' volume: ${usd(report.cost.projectedMonthlySavingUsd)} a month.`}</Text>}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
