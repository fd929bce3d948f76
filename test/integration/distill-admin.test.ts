/**
 * The Distillation page of the real server in demo mode, over HTTP: the simulated cycle runs
 * offline (teacher, training and student on the local simulated provider), and the page then
 * carries the gate figures per intent, the rollout state and the saving to date, labelled
 * simulated. The stage control refuses canary before a passing gate with a clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";

describe("distillation page in demo mode", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ demo: true, env: { GROUNDWORK_WORKER: "off" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("GIVEN no gate yet THEN routing is refused with a message the merchant can act on", async () => {
    const response = await fetch(`${server.url}/app/distill?_data=routes%2Fapp.distill`, { method: "POST", body: new URLSearchParams({ stage: "canary", canaryPercent: "10" }) });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ ok: false, code: "gate_not_run", message: expect.stringMatching(/Run the gate/) });
  });

  it("GIVEN demo mode WHEN the simulated cycle runs THEN the page shows gate figures, rollout state and savings, labelled simulated", async () => {
    const before = await (await fetch(`${server.url}/app/distill`)).text();
    expect(before).toContain("No gate has run yet");
    const run = await fetch(`${server.url}/app/distill?_data=routes%2Fapp.distill`, { method: "POST", body: new URLSearchParams({ intent: "simulate" }) });
    expect(run.status).toBe(200);
    const outcome = (await run.json()) as { ok: boolean; message: string };
    expect(outcome.ok).toBe(true);
    const page = await (await fetch(`${server.url}/app/distill`)).text();
    expect(page).toContain("Simulated");
    for (const heading of ["Citations", "Claims", "Agreement", "Refusals", "Per 1,000", "overall"]) expect(page).toContain(heading);
    expect(page).toContain("Gate passed.");
    expect(page).toContain("Rollout: full");
    expect(page).toContain("Simulated price table");
    expect(page).toContain("Saving to date");
    const data = (await (await fetch(`${server.url}/app/distill?_data=routes%2Fapp.distill`)).json()) as {
      report: {
        funnel: { traces: number; dataset: { train: number; eval: number }; training: { status: string; simulated: boolean } };
        gate: { rows: unknown[]; passed: boolean; reasons: string[]; costRatio: number | null; routed: { quality: { claimAccuracy: number } }; teacher: { quality: { claimAccuracy: number } } };
        rollout: { student: unknown };
      };
    };
    expect(data.report.funnel.traces).toBeGreaterThan(10);
    // Enough held-out answers for the gate to mean something, across intents.
    expect(data.report.funnel.dataset.eval).toBeGreaterThanOrEqual(60);
    expect(data.report.funnel.training).toMatchObject({ status: "completed", simulated: true });
    expect(data.report.gate.rows.length).toBeGreaterThan(3);
    // The 5× promise, measured: every figure from the ledger and the held-out comparison.
    expect(data.report.gate).toMatchObject({ passed: true, reasons: [] });
    expect(data.report.gate.costRatio).toBeGreaterThanOrEqual(5);
    expect(data.report.gate.routed.quality.claimAccuracy).toBeGreaterThanOrEqual(0.95 * data.report.gate.teacher.quality.claimAccuracy);
    expect(data.report.rollout.student).toMatchObject({ simulated: true, baseModel: "simulated/answer-mini-3b-instruct", providerKind: "simulated" });
    const jsonl = await (await fetch(`${server.url}/app/distill/export?split=train`)).text();
    expect(JSON.parse(jsonl.split("\n")[0]).messages.at(-1).role).toBe("assistant");
  }, 240_000);
});
