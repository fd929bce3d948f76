import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, DataTable, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "../admin-context.server";
import { LineChart } from "../admin-ui/charts";
import { formatDateTime, formatUsd } from "../admin-ui/format";
import { SectionCard } from "../admin-ui/section-card";
import { VoiceProgressList } from "../admin-ui/voice-progress-list";
import { htmlToText } from "../catalog/html-to-text";
import { adaptRemixAdminGraphql } from "../catalog/shopify-admin-client";
import { cancelTrainingJob } from "../phases/training-jobs";
import { createCatalogCopyWriter } from "../phases/voice/catalog-copy-writer";
import { blindOrder } from "../phases/voice/evaluate-voice";
import { fetchSalesRanking } from "../phases/voice/order-sales";
import { editDraft, listRevisions, publishDraft, restorePrevious } from "../phases/voice/publish-copy";
import { createShopifyCopyWriter } from "../phases/voice/shopify-copy-writer";
import type { ProductCopyWriter, UnbackedClaim } from "../phases/voice/types";
import { draftDescription, draftThinDescriptions, latestVoiceTraining, prepareVoiceTraining, runVoiceEvaluation, startVoiceTraining, type FineTunedChoice } from "../phases/voice/voice-journey";
import { voiceProgress } from "../phases/voice/voice-progress";
import {
  adoptFineTune,
  adoptionStatus,
  blindChoices,
  buildShopDataset,
  draftBrief,
  latestDataset,
  loadEvaluation,
  loadShopProducts,
  loadVoiceProfile,
  loadVoiceProgressInput,
  recordBlindChoice,
  saveVoiceProfile,
} from "../phases/voice/voice-store";
import { isThinCopy } from "../phases/voice/write-description";
import { trainingDepsFor } from "../jobs/handlers";
import { getServices } from "../services.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const services = getServices();
  const { db } = services;
  const [profile, dataset, training, evaluation, revisions, products] = await Promise.all([
    loadVoiceProfile(db, shop),
    latestDataset(db, shop),
    latestVoiceTraining(services, shop),
    loadEvaluation(db, shop),
    listRevisions(db, shop),
    loadShopProducts(db, shop),
  ]);
  let provider: { label: string; simulated: boolean; baseModels: string[]; error: string | null } = { label: "", simulated: false, baseModels: [], error: null };
  try {
    const p = await services.trainingProviderFor(shop);
    provider = { label: p.label, simulated: p.simulated, baseModels: (await p.listBaseModels()).map((m) => m.id), error: null };
  } catch (error) {
    provider.error = (error as Error).message;
  }
  const choices = evaluation ? await blindChoices(db, shop, evaluation.id) : [];
  const adoption = evaluation ? await adoptionStatus(db, shop, evaluation.id) : null;
  const progress = voiceProgress(
    await loadVoiceProgressInput(db, shop, training ? { status: training.status, model: training.resultModel, simulated: training.simulated } : null),
  );
  return {
    demo,
    profile,
    proposedBrief: draftBrief(shop, products),
    // The JSONL stays on the server: it is downloaded on its own route.
    dataset: dataset ? { id: dataset.id, createdAt: dataset.createdAt, result: dataset.result } : null,
    training,
    provider,
    evaluation: evaluation
      ? {
          ...evaluation,
          blind: evaluation.result.products.map((p) => {
            const [left, right] = blindOrder(evaluation.id, p.handle);
            return { handle: p.handle, title: p.title, left: p[left].html, right: p[right].html, chosen: choices.find((c) => c.handle === p.handle) ? "recorded" : null };
          }),
        }
      : null,
    adoption,
    revisions,
    products: products
      .filter((p) => p.status === "active")
      .map((p) => ({ handle: p.handle, title: p.title, thin: isThinCopy(p) }))
      .sort((a, b) => Number(b.thin) - Number(a.thin) || a.title.localeCompare(b.title)),
    progress,
  };
};

type ActionResult = { ok: boolean; message: string; code?: string; estimate?: { totalUsd: number; source: string; billedTokens: number; trainingFileId: string; validationFileId?: string; baseModel: string } };

const lines = (value: FormDataEntryValue | null) => String(value ?? "").split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);

async function copyWriterFor(request: Request, shop: string, demo: boolean): Promise<ProductCopyWriter> {
  if (demo) return createCatalogCopyWriter(getServices().db, shop);
  const { admin } = await authenticate.admin(request);
  return createShopifyCopyWriter(adaptRemixAdminGraphql(admin.graphql, shop));
}

/** The model the shop adopted, by where it came from: its training job, or the registered own model. */
async function adoptedChoice(shop: string, model: string | null): Promise<FineTunedChoice> {
  const services = getServices();
  const job = await latestVoiceTraining(services, shop);
  return job && job.resultModel && (!model || job.resultModel === model) ? { trainingJobId: job.id } : {};
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const services = getServices();
  const { db } = services;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const reply = (result: ActionResult, status = 200) => Response.json(result, { status });
  try {
    switch (intent) {
      case "save-brief":
        await saveVoiceProfile(db, shop, { brief: String(form.get("brief") ?? "") });
        return reply({ ok: true, message: "Brand brief saved." });
      case "save-picks":
        await saveVoiceProfile(db, shop, { pins: lines(form.get("pins")), excludes: lines(form.get("excludes")) });
        return reply({ ok: true, message: "Picks saved." });
      case "rank-sales": {
        if (demo) {
          await saveVoiceProfile(db, shop, { sales: null, salesNote: "The demo store has no orders" });
          return reply({ ok: false, code: "no_orders", message: "The demo store has no orders: your picks (or every product with copy) are used instead." });
        }
        const { admin, session } = await authenticate.admin(request);
        const outcome = await fetchSalesRanking(adaptRemixAdminGraphql(admin.graphql, shop), { windowDays: Number(form.get("windowDays") ?? 60), grantedScopes: (session.scope ?? "").split(",") });
        if (!outcome.ok) {
          await saveVoiceProfile(db, shop, { sales: null, salesNote: outcome.reason });
          return reply({ ok: false, code: "no_orders", message: `${outcome.reason}: your picks (or every product with copy) are used instead.` });
        }
        await saveVoiceProfile(db, shop, { sales: outcome.ranking, salesNote: outcome.note });
        return reply({ ok: true, message: `Read ${outcome.ranking.orders} orders over ${outcome.ranking.windowDays} days.${outcome.note ? ` ${outcome.note}` : ""}` });
      }
      case "build-dataset": {
        const { stored } = await buildShopDataset(db, shop);
        return reply(stored.result.ok ? { ok: true, message: `Dataset built: ${stored.result.examples} examples.` } : { ok: false, code: stored.result.errors[0].code, message: stored.result.errors.map((e) => e.message).join(" ") });
      }
      case "estimate": {
        const baseModel = String(form.get("baseModel") ?? "");
        const prepared = await prepareVoiceTraining(services, shop, baseModel);
        return reply({ ok: true, message: "Dataset uploaded. Confirm the price to start training.", estimate: { ...prepared.estimate, trainingFileId: prepared.trainingFileId, validationFileId: prepared.validationFileId, baseModel } });
      }
      case "start-training": {
        const estimate = { totalUsd: Number(form.get("totalUsd")), billedTokens: Number(form.get("billedTokens")), source: String(form.get("source")) as "provider" | "price_table" };
        const job = await startVoiceTraining(services, shop, {
          baseModel: String(form.get("baseModel")),
          trainingFileId: String(form.get("trainingFileId")),
          validationFileId: String(form.get("validationFileId") ?? "") || undefined,
          estimate,
        });
        return reply(job.status === "failed" ? { ok: false, code: job.errorCode ?? "training_failed", message: job.error ?? "The provider refused the job." } : { ok: true, message: `Training started (${formatUsd(estimate.totalUsd)} confirmed).` });
      }
      case "cancel-training":
        await cancelTrainingJob(trainingDepsFor(services), shop, Number(form.get("trainingJobId")));
        return reply({ ok: true, message: "Cancel requested." });
      case "evaluate": {
        const jobId = Number(form.get("trainingJobId") ?? 0);
        const evaluation = await runVoiceEvaluation(services, shop, jobId ? { trainingJobId: jobId } : {});
        return reply({ ok: true, message: `Evaluated on ${evaluation.result.summary.products} held-out products.` });
      }
      case "blind-choice": {
        await recordBlindChoice(db, shop, Number(form.get("evaluationId")), String(form.get("handle")), form.get("side") === "right" ? "right" : "left");
        return reply({ ok: true, message: "Choice recorded." });
      }
      case "adopt":
        await adoptFineTune(db, shop, Number(form.get("evaluationId")));
        return reply({ ok: true, message: "Adopted: Write description now uses the fine-tune." });
      case "write": {
        const profile = await loadVoiceProfile(db, shop);
        if (!profile.adoptedModel) return reply({ ok: false, code: "not_adopted", message: "Adopt a fine-tune first." }, 409);
        const { revision } = await draftDescription(services, shop, String(form.get("handle") ?? ""), await adoptedChoice(shop, profile.adoptedModel));
        return reply({ ok: true, message: `Draft written for ${revision.handle}. Review it, edit it, then publish.` });
      }
      case "write-thin": {
        const profile = await loadVoiceProfile(db, shop);
        if (!profile.adoptedModel) return reply({ ok: false, code: "not_adopted", message: "Adopt a fine-tune first." }, 409);
        const revisions = await draftThinDescriptions(services, shop, await adoptedChoice(shop, profile.adoptedModel));
        return reply(revisions.length ? { ok: true, message: `Drafts written for ${revisions.length} products with thin copy. Review each before publishing.` } : { ok: false, code: "no_thin_copy", message: "No product has thin copy." });
      }
      case "edit":
        await editDraft(db, shop, Number(form.get("revisionId")), String(form.get("html") ?? ""));
        return reply({ ok: true, message: "Draft saved." });
      case "publish":
        await publishDraft(db, await copyWriterFor(request, shop, demo), shop, Number(form.get("revisionId")));
        return reply({ ok: true, message: "Published to the store." });
      case "restore":
        await restorePrevious(db, await copyWriterFor(request, shop, demo), shop, Number(form.get("revisionId")));
        return reply({ ok: true, message: "The previous description is back." });
      default:
        return reply({ ok: false, code: "unknown_intent", message: "Unknown action." }, 400);
    }
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (!e.code) throw error;
    return reply({ ok: false, code: e.code, message: e.message ?? "Something went wrong." }, 422);
  }
};

function Intent({ value }: { value: string }) {
  return <input type="hidden" name="intent" value={value} />;
}

/** Copy as text, with each unbacked claim marked where the merchant reads it. */
function HighlightedCopy({ html, claims }: { html: string; claims: UnbackedClaim[] }) {
  const text = htmlToText(html);
  const words = [...new Set(claims.map((c) => c.text))].filter(Boolean);
  if (!words.length) return <Text as="p">{text}</Text>;
  const pattern = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "g");
  return (
    <Text as="p">
      {text.split(pattern).map((part, i) =>
        words.includes(part) ? (
          <mark key={i} title="Not in the product's facts" style={{ background: "#ffd6d6" }}>
            {part}
          </mark>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </Text>
  );
}

export default function Voice() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.formData?.get("intent") === intent;
  const [brief, setBrief] = useState(data.profile.brief);
  const [pins, setPins] = useState(data.profile.pins.join("\n"));
  const [excludes, setExcludes] = useState(data.profile.excludes.join("\n"));
  const [baseModel, setBaseModel] = useState(data.provider.baseModels[0] ?? "");
  const [handle, setHandle] = useState(data.products[0]?.handle ?? "");
  const ds = data.dataset?.result;
  const job = data.training;
  const evaluation = data.evaluation;
  const summary = evaluation?.result.summary;
  const providerLabel = data.provider.simulated ? "simulated training" : data.provider.label;

  return (
    <Page title="Phase 2: brand voice" subtitle="Train a model on your best copy, adopt it only when it writes like you without inventing facts" backAction={{ content: "Phases", url: "/app/phases" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {data.provider.simulated && <Banner tone="info" title="Demo mode: simulated training">Training here is simulated on this machine; nothing is sent to a provider and nothing is billed.</Banner>}
            {result && <Banner tone={result.ok ? "success" : "warning"} title={result.message} />}
            <SectionCard title="Where your shop is">
              <VoiceProgressList steps={data.progress} />
            </SectionCard>
          </BlockStack>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="1. Brand brief">
            <Text as="p" tone="subdued">
              The instruction every example is trained with: how your store writes, not what it sells.
            </Text>
            <Form method="post">
              <BlockStack gap="200">
                <Intent value="save-brief" />
                <TextField label="Brand brief" name="brief" value={brief} onChange={setBrief} multiline={4} autoComplete="off" />
                <InlineStack gap="200">
                  <Button submit variant="primary" loading={busy("save-brief")}>
                    Save brief
                  </Button>
                  <Button onClick={() => setBrief(data.proposedBrief)}>Propose a draft</Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="2. Dataset from your best copy">
            <Form method="post">
              <InlineStack gap="200" blockAlign="end">
                <Intent value="rank-sales" />
                <input type="hidden" name="windowDays" value="60" />
                <Button submit loading={busy("rank-sales")}>
                  Rank by units sold (last 60 days)
                </Button>
                <Text as="span" tone="subdued">
                  Reads each order line's product and quantity only, never customer details.
                </Text>
              </InlineStack>
            </Form>
            {data.profile.salesNote && (
              <Text as="p" tone="subdued">
                {data.profile.salesNote}
              </Text>
            )}
            <Form method="post">
              <BlockStack gap="200">
                <Intent value="save-picks" />
                <InlineStack gap="400" wrap>
                  <Box minWidth="280px">
                    <TextField label="Pinned products (handles, one per line)" name="pins" value={pins} onChange={setPins} multiline={3} autoComplete="off" />
                  </Box>
                  <Box minWidth="280px">
                    <TextField label="Excluded products (handles, one per line)" name="excludes" value={excludes} onChange={setExcludes} multiline={3} autoComplete="off" />
                  </Box>
                </InlineStack>
                <InlineStack>
                  <Button submit loading={busy("save-picks")}>
                    Save picks
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
            <Form method="post">
              <Intent value="build-dataset" />
              <Button submit variant="primary" loading={busy("build-dataset")}>
                Build dataset
              </Button>
            </Form>
            {ds && (
              <BlockStack gap="200">
                <Text as="p">{ds.ranking.note}</Text>
                {ds.errors.map((e) => (
                  <Banner key={e.code} tone="critical" title={e.message} />
                ))}
                {ds.advice.map((a) => (
                  <Text key={a} as="p" tone="subdued">
                    {a}
                  </Text>
                ))}
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric"]}
                  headings={["Part", "Products", "Tokens"]}
                  rows={[
                    ["Training", ds.train.handles.length, ds.train.tokens],
                    ["Validation (held out)", ds.validation.handles.length, ds.validation.tokens],
                  ]}
                />
                {ds.ok && (
                  <InlineStack gap="200">
                    <Button url="/app/voice/dataset/train" external>
                      Download train.jsonl
                    </Button>
                    <Button url="/app/voice/dataset/validation" external>
                      Download validation.jsonl
                    </Button>
                  </InlineStack>
                )}
                {ds.flagged.length > 0 && (
                  <Box>
                    <Text as="h3" variant="headingSm">
                      Flagged: copy that states facts the product data lacks ({ds.flagged.length})
                    </Text>
                    <List>
                      {ds.flagged.slice(0, 20).map((f) => (
                        <List.Item key={f.handle}>
                          <strong>{f.handle}</strong>: {f.reason}
                        </List.Item>
                      ))}
                    </List>
                  </Box>
                )}
                {ds.dropped.length > 0 && (
                  <Box>
                    <Text as="h3" variant="headingSm">
                      Left out ({ds.dropped.length})
                    </Text>
                    <List>
                      {ds.dropped.slice(0, 20).map((d) => (
                        <List.Item key={d.handle}>
                          <strong>{d.handle}</strong>: {d.reason}
                        </List.Item>
                      ))}
                    </List>
                  </Box>
                )}
              </BlockStack>
            )}
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title={`3. Training${providerLabel ? ` with ${providerLabel}` : ""}`}>
            {data.provider.error ? (
              <Banner tone="warning" title={data.provider.error} />
            ) : (
              <Form method="post">
                <InlineStack gap="200" blockAlign="end">
                  <Intent value="estimate" />
                  <Box minWidth="320px">
                    <Select label="Base model (listed by the provider)" name="baseModel" options={data.provider.baseModels} value={baseModel} onChange={setBaseModel} />
                  </Box>
                  <Button submit disabled={!ds?.ok} loading={busy("estimate")}>
                    Estimate price
                  </Button>
                </InlineStack>
              </Form>
            )}
            {result?.estimate && (
              <Form method="post">
                <BlockStack gap="200">
                  <Intent value="start-training" />
                  {(["baseModel", "trainingFileId", "validationFileId", "totalUsd", "billedTokens", "source"] as const).map((k) => (
                    <input key={k} type="hidden" name={k} value={String(result.estimate?.[k] ?? "")} />
                  ))}
                  <Text as="p">
                    Estimated price: <strong>{formatUsd(result.estimate.totalUsd)}</strong> for {result.estimate.billedTokens.toLocaleString("en")} billed tokens ({result.estimate.source === "provider" ? "the provider's estimate" : "tokens × the price table"}).
                  </Text>
                  <InlineStack>
                    <Button submit variant="primary" loading={busy("start-training")}>
                      Confirm price and start training
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            )}
            {job && (
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">
                    Job {job.id} on {job.baseModel}
                    {job.simulated ? " (simulated training)" : ""}:
                  </Text>
                  <Badge tone={job.status === "completed" ? "success" : job.status === "failed" ? "critical" : "attention"}>{job.status}</Badge>
                  {job.resultModel && <Text as="span">Model {job.resultModel}</Text>}
                  {!["completed", "failed", "cancelled"].includes(job.status) && (
                    <Form method="post">
                      <Intent value="cancel-training" />
                      <input type="hidden" name="trainingJobId" value={job.id} />
                      <Button submit tone="critical" loading={busy("cancel-training")}>
                        Cancel training
                      </Button>
                    </Form>
                  )}
                </InlineStack>
                {job.error && <Banner tone="critical" title={job.error} />}
                {job.lossPoints.length > 0 && (
                  <LineChart
                    title="Training loss"
                    description="Loss at each training step; it should fall and level out."
                    data={job.lossPoints.map((p) => ({ label: String(p.step), value: p.loss }))}
                    format={(v) => v.toFixed(3)}
                    xLabel="Step"
                    yLabel="Loss"
                  />
                )}
                {job.events.length > 0 && (
                  <List>
                    {job.events.slice(-6).map((e) => (
                      <List.Item key={e.id}>
                        {formatDateTime(new Date(e.at).toISOString())}: {e.message}
                      </List.Item>
                    ))}
                  </List>
                )}
              </BlockStack>
            )}
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="4. Evaluation on held-out products">
            <Form method="post">
              <Intent value="evaluate" />
              {job?.resultModel && <input type="hidden" name="trainingJobId" value={job.id} />}
              <Button submit variant="primary" disabled={!ds?.ok} loading={busy("evaluate")}>
                {job?.resultModel ? `Evaluate ${job.resultModel} against prompting` : "Evaluate my registered model against prompting"}
              </Button>
            </Form>
            {summary && (
              <BlockStack gap="300">
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric"]}
                  headings={["Candidate", "Model", "Voice", "Similarity", "Style", "Products with unbacked claims"]}
                  rows={[
                    ["Prompting", summary.prompting.model, summary.prompting.voice, summary.prompting.similarity, summary.prompting.style, summary.prompting.unbackedProducts],
                    ["Fine-tune", summary.fineTuned.model, summary.fineTuned.voice, summary.fineTuned.similarity, summary.fineTuned.style, summary.fineTuned.unbackedProducts],
                  ]}
                />
                <Text as="p">
                  Voice drift of prompting: <strong>{summary.voiceDrift}</strong> (0 = on your voice, 1 = far off).
                </Text>
                {evaluation!.result.products.map((p) => (
                  <Box key={p.handle} padding="200" borderColor="border" borderWidth="025" borderRadius="200">
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {p.title}
                      </Text>
                      <Text as="p" tone="subdued">
                        Fine-tune: voice {p.fineTuned.voice.score} (similarity {p.fineTuned.voice.similarity}, style {p.fineTuned.voice.style}; {p.fineTuned.voice.stats.sentenceLength} words per sentence, reading level {p.fineTuned.voice.stats.readingLevel}). Prompting: voice {p.prompting.voice.score}.
                      </Text>
                      <HighlightedCopy html={p.fineTuned.html} claims={p.fineTuned.claims} />
                      {p.fineTuned.claims.length > 0 && <Badge tone="critical">{`Fails: ${p.fineTuned.claims.length} unbacked claim${p.fineTuned.claims.length > 1 ? "s" : ""}`}</Badge>}
                    </BlockStack>
                  </Box>
                ))}
              </BlockStack>
            )}
          </SectionCard>
        </Layout.Section>

        {evaluation && (
          <Layout.Section>
            <SectionCard title="5. Blind choice">
              <Text as="p" tone="subdued">
                Two drafts for each product, unlabelled: pick the one that sounds like your store.
              </Text>
              {evaluation.blind.map((b) => (
                <Box key={b.handle} padding="200" borderColor="border" borderWidth="025" borderRadius="200">
                  <BlockStack gap="200">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {b.title}
                      </Text>
                      {b.chosen && <Badge tone="success">Choice recorded</Badge>}
                    </InlineStack>
                    <InlineStack gap="400" wrap={false}>
                      {(["left", "right"] as const).map((side) => (
                        <Box key={side} width="50%">
                          <BlockStack gap="100">
                            <Text as="p">{htmlToText(b[side])}</Text>
                            <Form method="post">
                              <Intent value="blind-choice" />
                              <input type="hidden" name="evaluationId" value={evaluation.id} />
                              <input type="hidden" name="handle" value={b.handle} />
                              <input type="hidden" name="side" value={side} />
                              <Button submit accessibilityLabel={`Choose draft ${side === "left" ? "A" : "B"} for ${b.title}`}>{`Choose draft ${side === "left" ? "A" : "B"}`}</Button>
                            </Form>
                          </BlockStack>
                        </Box>
                      ))}
                    </InlineStack>
                  </BlockStack>
                </Box>
              ))}
            </SectionCard>
          </Layout.Section>
        )}

        {evaluation && data.adoption && (
          <Layout.Section>
            <SectionCard title="6. Adopt">
              {data.profile.adoptedModel ? (
                <Text as="p">
                  Adopted {data.profile.adoptedModel} on {data.profile.adoptedAt?.slice(0, 10)}. The evaluation's numbers stay above.
                </Text>
              ) : null}
              <Text as="p">
                Blind picks: {data.adoption.blind.fineTunedChosen} of {data.adoption.blind.choices} for the fine-tune.
              </Text>
              {data.adoption.missing.length > 0 && (
                <List>
                  {data.adoption.missing.map((m) => (
                    <List.Item key={m}>{m}</List.Item>
                  ))}
                </List>
              )}
              <Form method="post">
                <Intent value="adopt" />
                <input type="hidden" name="evaluationId" value={evaluation.id} />
                <Button submit variant="primary" disabled={!data.adoption.canAdopt || data.profile.adoptedEvaluationId === evaluation.id} loading={busy("adopt")}>
                  Approve and adopt the fine-tune
                </Button>
              </Form>
            </SectionCard>
          </Layout.Section>
        )}

        <Layout.Section>
          <SectionCard title="7. Write descriptions">
            <Form method="post">
              <InlineStack gap="200" blockAlign="end">
                <Intent value="write" />
                <Box minWidth="320px">
                  <Select
                    label="Product (thin copy first)"
                    name="handle"
                    options={data.products.map((p) => ({ label: `${p.title}${p.thin ? " (thin copy)" : ""}`, value: p.handle }))}
                    value={handle}
                    onChange={setHandle}
                  />
                </Box>
                <Button submit variant="primary" disabled={!data.profile.adoptedModel} loading={busy("write")}>
                  Write description
                </Button>
              </InlineStack>
            </Form>
            <Form method="post">
              <InlineStack gap="200" blockAlign="center">
                <Intent value="write-thin" />
                <Button submit disabled={!data.profile.adoptedModel || !data.products.some((p) => p.thin)} loading={busy("write-thin")}>
                  {`Write drafts for products with thin copy (${data.products.filter((p) => p.thin).length})`}
                </Button>
                <Text as="span" tone="subdued">
                  Up to 10 at a time; nothing is published until you click Publish on each.
                </Text>
              </InlineStack>
            </Form>
            {data.revisions.map((r) => (
              <RevisionCard key={r.id} revision={r} busy={busy} />
            ))}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function RevisionCard({ revision: r, busy }: { revision: ReturnType<typeof useLoaderData<typeof loader>>["revisions"][number]; busy: (intent: string) => boolean }) {
  const [html, setHtml] = useState(r.draftHtml);
  return (
    <Box padding="200" borderColor="border" borderWidth="025" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {r.handle}
          </Text>
          <Badge tone={r.status === "published" ? "success" : r.status === "restored" ? "info" : "attention"}>{r.status}</Badge>
          <Text as="span" tone="subdued">
            {r.model}
          </Text>
        </InlineStack>
        <Text as="p" tone="subdued">
          Current copy: {htmlToText(r.previousHtml).slice(0, 300) || "(none)"}
        </Text>
        <HighlightedCopy html={r.draftHtml} claims={r.claims} />
        {r.status === "draft" && (
          <>
            <Form method="post">
              <BlockStack gap="200">
                <Intent value="edit" />
                <input type="hidden" name="revisionId" value={r.id} />
                <TextField label={`Edit the draft for ${r.handle} (HTML)`} name="html" value={html} onChange={setHtml} multiline={4} autoComplete="off" />
                <InlineStack>
                  <Button submit loading={busy("edit")}>
                    Save edit
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
            <Form method="post">
              <Intent value="publish" />
              <input type="hidden" name="revisionId" value={r.id} />
              <Button submit variant="primary" loading={busy("publish")}>
                Publish to the store
              </Button>
            </Form>
          </>
        )}
        {r.status === "published" && (
          <Form method="post">
            <Intent value="restore" />
            <input type="hidden" name="revisionId" value={r.id} />
            <Button submit loading={busy("restore")}>
              Restore the previous description
            </Button>
          </Form>
        )}
      </BlockStack>
    </Box>
  );
}
