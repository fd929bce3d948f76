/**
 * The phase 2 page's doors over HTTP, on the real server in demo mode with the demo's
 * simulated training: brief, dataset (and its JSONL download), price then training,
 * evaluation, blind choices, adoption, and a description written, edited, published
 * and restored. The same steps the browser test clicks, without a browser.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP } from "../../app/config";
import { openDatabase, type Db } from "../../app/db/open-database";
import { startTestServer, type TestServer } from "../support/server";

const ROUTE = "routes%2Fapp.voice";

describe.sequential("the phase 2 page in demo mode", () => {
  let server: TestServer;
  let db: Db;

  async function act(fields: Record<string, string | number>): Promise<{ status: number; body: { ok: boolean; message: string; code?: string; estimate?: Record<string, string | number> } }> {
    const response = await fetch(`${server.url}/app/voice?_data=${ROUTE}`, { method: "POST", body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])) });
    return { status: response.status, body: await response.json() };
  }
  async function page() {
    const response = await fetch(`${server.url}/app/voice?_data=${ROUTE}`);
    expect(response.status).toBe(200);
    return response.json();
  }

  beforeAll(async () => {
    // The demo store is imported before the server answers: minutes on a busy machine.
    server = await startTestServer({ demo: true, readyTimeoutMs: 300_000 });
    db = openDatabase(server.database.url);
    const deadline = Date.now() + 120_000;
    while (!server.output().includes("Demo store ready")) {
      if (Date.now() > deadline) throw new Error(`the demo store never became ready:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 360_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it("GIVEN no brief THEN building the dataset is refused and nothing is downloadable", async () => {
    const r = await act({ intent: "build-dataset" });
    expect(r.body).toMatchObject({ ok: false, code: "missing_brief" });
    expect((await fetch(`${server.url}/app/voice/dataset/train`)).status).toBe(409);
    const data = await page();
    expect(data.provider.simulated).toBe(true);
    expect(data.progress.map((s: { done: boolean }) => s.done)).toEqual([false, false, false, false, false]);
  });

  it("walks brief, dataset, training, evaluation, blind choice and adoption, then writes, edits, publishes and restores", async () => {
    const data0 = await page();
    expect((await act({ intent: "save-brief", brief: `${data0.proposedBrief} Calm, concrete, short paragraphs.` })).body.ok).toBe(true);
    const built = await act({ intent: "build-dataset" });
    expect(built.body.message).toMatch(/Dataset built: \d+ examples/);
    const jsonl = await (await fetch(`${server.url}/app/voice/dataset/train`)).text();
    expect(JSON.parse(jsonl.split("\n")[0]).messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant"]);

    const { provider } = await page();
    expect(provider.baseModels.length).toBeGreaterThan(0);
    const estimate = await act({ intent: "estimate", baseModel: provider.baseModels[0] });
    expect(estimate.body.ok, estimate.body.message).toBe(true);
    expect(Number(estimate.body.estimate!.totalUsd)).toBeGreaterThan(0);
    // Nothing trains before the price is confirmed.
    expect(await db.trainingJob.count({ where: { shop: DEMO_SHOP } })).toBe(0);
    const e = estimate.body.estimate!;
    const started = await act({ intent: "start-training", baseModel: e.baseModel, trainingFileId: e.trainingFileId, validationFileId: e.validationFileId ?? "", totalUsd: e.totalUsd, billedTokens: e.billedTokens, source: e.source });
    expect(started.body.ok, started.body.message).toBe(true);

    let data = await page();
    const deadline = Date.now() + 90_000;
    while (!data.training?.resultModel) {
      if (Date.now() > deadline) throw new Error(`training never completed: ${JSON.stringify(data.training)}`);
      await new Promise((r) => setTimeout(r, 1000));
      data = await page();
    }
    expect(data.training.simulated).toBe(true);
    expect(data.training.lossPoints.length).toBeGreaterThan(1);

    const evaluated = await act({ intent: "evaluate", trainingJobId: data.training.id });
    expect(evaluated.body.ok, evaluated.body.message).toBe(true);
    data = await page();
    const summary = data.evaluation.result.summary;
    console.log("demo evaluation", JSON.stringify({ prompting: summary.prompting, fineTuned: summary.fineTuned, voiceDrift: summary.voiceDrift }));
    expect(summary.prompting.model).toBe("local-copywriter");
    expect(summary.fineTuned.model).toBe(data.training.resultModel);
    // The blind pairs carry no label of which model wrote them.
    expect(Object.keys(data.evaluation.blind[0]).sort()).toEqual(["chosen", "handle", "left", "right", "title"]);

    // Adoption waits for blind picks.
    const early = await act({ intent: "adopt", evaluationId: data.evaluation.id });
    expect(early.body).toMatchObject({ ok: false, code: "not_adoptable" });
    for (const b of data.evaluation.blind.slice(0, 3)) expect((await act({ intent: "blind-choice", evaluationId: data.evaluation.id, handle: b.handle, side: "left" })).body.ok).toBe(true);
    data = await page();
    if (!data.adoption.canAdopt) throw new Error(`the simulated fine-tune cannot be adopted: ${data.adoption.missing.join(" ")}`);
    expect((await act({ intent: "adopt", evaluationId: data.evaluation.id })).body.ok).toBe(true);
    const settings = await db.shopSettings.findUnique({ where: { shop: DEMO_SHOP } });
    expect(JSON.parse(settings!.data).measurements.voiceDrift.score).toBe(summary.voiceDrift);

    const handle = (await page()).products[0].handle;
    const written = await act({ intent: "write", handle });
    expect(written.body.ok, written.body.message).toBe(true);
    const [revision] = (await page()).revisions;
    expect(revision.status).toBe("draft");
    const before = JSON.parse((await db.catalogItem.findFirst({ where: { shop: DEMO_SHOP, sourceType: "product", handle } }))!.data).descriptionHtml;
    await act({ intent: "edit", revisionId: revision.id, html: `${revision.draftHtml}<p>Checked by hand.</p><script>x()</script>` });
    expect(JSON.parse((await db.catalogItem.findFirst({ where: { shop: DEMO_SHOP, sourceType: "product", handle } }))!.data).descriptionHtml).toBe(before);
    expect((await act({ intent: "publish", revisionId: revision.id })).body.ok).toBe(true);
    const published = JSON.parse((await db.catalogItem.findFirst({ where: { shop: DEMO_SHOP, sourceType: "product", handle } }))!.data).descriptionHtml;
    expect(published).toBe(`${revision.draftHtml}<p>Checked by hand.</p>`);
    expect((await act({ intent: "restore", revisionId: revision.id })).body.ok).toBe(true);
    expect(JSON.parse((await db.catalogItem.findFirst({ where: { shop: DEMO_SHOP, sourceType: "product", handle } }))!.data).descriptionHtml).toBe(before);
    expect((await page()).progress.map((s: { done: boolean }) => s.done)).toEqual([true, true, true, true, true]);

    // In bulk for thin copy: one draft per thin product, none published.
    const thin = (await page()).products.filter((p: { thin: boolean }) => p.thin).map((p: { handle: string }) => p.handle);
    expect(thin.length).toBeGreaterThan(0);
    const bulk = await act({ intent: "write-thin" });
    expect(bulk.body.message).toBe(`Drafts written for ${thin.length} products with thin copy. Review each before publishing.`);
    const drafts = await db.voiceCopyRevision.findMany({ where: { shop: DEMO_SHOP, status: "draft" } });
    expect(drafts.map((d) => d.handle).sort()).toEqual([...thin].sort());

    // The Phases page shows the same steps, and the advisor now reads a measured voice drift.
    const phases = await (await fetch(`${server.url}/app/phases?_data=routes%2Fapp.phases`)).json();
    expect(phases.voiceSteps.map((s: { id: string; done: boolean }) => [s.id, s.done])).toEqual([["brief", true], ["dataset", true], ["training", true], ["evaluation", true], ["adopted", true]]);
    const voiceAnswer = phases.advice.answers.find((a: { id: string }) => a.id === "voice-or-facts");
    expect(voiceAnswer.evidence).toContain(`Voice drift: ${summary.voiceDrift.toFixed(2)}`);
  }, 300_000);
});
