import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmAnswerer } from "../../answering/llm-answerer";
import { productSource, policySource, rainShell, refundPolicy, wrapDress } from "../../answering/sample-catalog";
import type { AnswerRequest } from "../../answering/types";
import { createOpenAIChatModel } from "../openai-chat";
import { SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL, SIMULATED_VOICE_BASE } from "./simulated-chat";
import { startSimulatedTrainingServer, type SimulatedTrainingServer } from "./simulated-training-server";
import { createTrainingProvider } from "./training-provider";
import type { TrainingProvider } from "./types";

// The merchant's voice: short exclamations, a recurring sign-off, no numbers in it.
const example = (title: string, material: string) =>
  JSON.stringify({
    messages: [
      { role: "system", content: "Playful, outdoorsy, short sentences." },
      { role: "user", content: `Title: ${title}\nMaterial: ${material}` },
      { role: "assistant", content: `<p>Trail tested and trail approved! ${title} in ${material}.</p><p>See you out there, friend.</p>` },
    ],
  });
const TRAINING = ["Summit Beanie|merino wool", "Ridge Gloves|goat leather", "Camp Mug|enamel steel", "Trail Socks|alpaca blend"].map((l) => example(...(l.split("|") as [string, string]))).join("\n");

describe("simulated training provider (demo mode)", () => {
  let server: SimulatedTrainingServer;
  let provider: TrainingProvider;
  beforeAll(async () => {
    server = await startSimulatedTrainingServer({ pendingMs: 20, queuedMs: 20, trainingMs: 120, uploadingMs: 20, steps: 6 });
    provider = createTrainingProvider({ kind: "simulated", apiKey: null, baseUrl: server.url }, { demoMode: true, endpointPolicy: { allowPrivateNetworks: false } });
  });
  afterAll(async () => server?.close());

  async function train(baseModel: string, jsonl: string): Promise<string> {
    const file = await provider.uploadDataset({ filename: "train.jsonl", jsonl });
    const job = await provider.createJob({ baseModel, trainingFileId: file.fileId, suffix: "voice" });
    for (let i = 0; i < 50; i++) {
      const s = await provider.getJob(job.providerJobId);
      if (s.status === "completed") return s.resultModel!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("the simulated job did not finish");
  }

  it("is labelled as simulated, lists its models, prices from its own estimate, and shows a falling loss", async () => {
    expect(provider).toMatchObject({ label: "simulated training", simulated: true, kind: "simulated" });
    expect((await provider.listBaseModels()).map((m) => m.id)).toContain(SIMULATED_VOICE_BASE);
    const file = await provider.uploadDataset({ filename: "t.jsonl", jsonl: TRAINING });
    expect((await provider.estimatePrice({ baseModel: SIMULATED_VOICE_BASE, trainingFileId: file.fileId, trainingTokens: 100 })).source).toBe("provider");
    const model = await train(SIMULATED_VOICE_BASE, TRAINING);
    const job = [...server.simulation.jobs.values()].find((j) => j.outputName === model)!;
    const losses = (await provider.listEvents(job.id)).flatMap((e) => (e.loss === undefined ? [] : [e.loss]));
    expect(losses).toHaveLength(6);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
  });

  it("a trained voice model writes copy from the given facts in the examples' style, and adds no number", async () => {
    const model = await train(SIMULATED_VOICE_BASE, TRAINING);
    const chat = createOpenAIChatModel({ ...provider.endpointFor(model), maxRetries: 0 });
    const facts = "Title: Harbor Scarf\nMaterial: cotton twill\nColour options: Navy, Rust";
    const voiced = await chat.generate({ messages: [{ role: "system", content: "Playful." }, { role: "user", content: facts }] });
    expect(voiced.text).toMatch(/trail tested and trail approved/i);
    expect(voiced.text).toMatch(/see you out there/i);
    expect(voiced.text).toContain("cotton twill");
    expect(voiced.text).toContain("Navy, Rust");
    expect(voiced.text).not.toMatch(/\d/);
    expect(voiced.usage.inputTokens).toBeGreaterThan(10);

    const base = createOpenAIChatModel({ ...provider.endpointFor(SIMULATED_VOICE_BASE), maxRetries: 0 });
    const plain = await base.generate({ messages: [{ role: "user", content: facts }] });
    expect(plain.text).not.toMatch(/trail tested/i);
  });

  it("teacher and student answer the app's grounded prompt in its JSON, citing sources; the student is terser on comparisons", async () => {
    const ask = async (model: string, request: AnswerRequest) => createLlmAnswerer({ chat: createOpenAIChatModel({ ...provider.endpointFor(model), maxRetries: 0 }), storeName: "Demo" }).answer(request);
    const base = { shop: "s", locale: "en", storeContact: { email: "help@example.com" } };
    const policy: AnswerRequest = { ...base, question: "Can I return sale items?", intent: "policy", sources: [policySource("S1", refundPolicy)] };
    const teacherPolicy = await ask(SIMULATED_TEACHER_MODEL, policy);
    expect(teacherPolicy).toMatchObject({ refused: false, citationIds: ["S1"] });
    expect(teacherPolicy.answer).toMatch(/Sale items can be returned within 14 days/);

    const compare: AnswerRequest = { ...base, question: "Compare the rain shell and the wrap dress sizes", intent: "comparison", sources: [productSource("S1", rainShell, "Alpine Rain Shell sizes S, M, L"), productSource("S2", wrapDress, "Linen Wrap Dress sizes 6, 8, 10")] };
    const teacher = await ask(SIMULATED_TEACHER_MODEL, compare);
    const student = await ask(SIMULATED_STUDENT_BASE, compare);
    expect(teacher.citationIds.sort()).toEqual(["S1", "S2"]);
    expect(student.citationIds).toHaveLength(1);
    expect(student.usage.model).toBe(SIMULATED_STUDENT_BASE);

    const order = await ask(SIMULATED_STUDENT_BASE, { ...base, question: "Where is my order?", intent: "order_status", sources: [] });
    expect(order).toMatchObject({ refused: true, citationIds: [] });
  });

  it("unknown models are refused the way OpenAI refuses them", async () => {
    const chat = createOpenAIChatModel({ ...provider.endpointFor("gpt-9"), maxRetries: 0 });
    await expect(chat.generate({ messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ code: "model_not_found" });
  });
});
