import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTogether, type FakeTogether, TOGETHER_CONTRACT_PATH } from "../../../test/fakes/together-server";
import { createTogetherTraining } from "./together-training";
import { TrainingError } from "./types";

const EXAMPLE = JSON.stringify({
  messages: [
    { role: "system", content: "Write like us." },
    { role: "user", content: "Title: Alpine shell\nMaterial: recycled nylon" },
    { role: "assistant", content: "<p>Built for ridgelines.</p>" },
  ],
});

describe("Together training adapter, against the Together fake over HTTP", () => {
  let fake: FakeTogether;
  beforeAll(async () => {
    fake = await startFakeTogether({ apiKey: "tg-key", failSuffix: /^broken/ });
  });
  afterAll(async () => {
    expect(fake.violations).toEqual([]);
    await fake.close();
  });
  const provider = () => createTogetherTraining({ apiKey: "tg-key", baseURL: fake.url, maxRetries: 0, trainingPricePerMTok: { "Qwen/Qwen3-4B-Instruct": 0.5 } });

  it("lists the base models the provider offers, with their names", async () => {
    const models = await provider().listBaseModels();
    expect(models.map((m) => m.id)).toEqual(["meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "Qwen/Qwen3-4B-Instruct"]);
    // Requests are checked against the contract whenever ../shared holds it (the fake says so when it does not).
    expect(fake.validated).toBe(existsSync(TOGETHER_CONTRACT_PATH));
  });

  it("uploads a chat JSONL as multipart, estimates from the provider, and trains LoRA through every state to a model", async () => {
    const p = provider();
    const file = await p.uploadDataset({ filename: "voice-train.jsonl", jsonl: `${EXAMPLE}\n${EXAMPLE}\n` });
    expect(file.fileId).toMatch(/^file-/);
    expect(fake.simulation.files.get(file.fileId)?.text.split("\n")[0]).toBe(EXAMPLE);

    const estimate = await p.estimatePrice({ baseModel: "Qwen/Qwen3-4B-Instruct", trainingFileId: file.fileId, trainingTokens: 80, hyperparameters: { epochs: 3 } });
    expect(estimate.source).toBe("provider");
    expect(estimate.totalUsd).toBeGreaterThan(0);

    const created = await p.createJob({ baseModel: "Qwen/Qwen3-4B-Instruct", trainingFileId: file.fileId, suffix: "voice", hyperparameters: { epochs: 3 } });
    const sent = fake.requests.find((r) => r.method === "POST" && r.path === "/v1/fine-tunes")!.body as Record<string, unknown>;
    expect(sent.training_type).toEqual({ type: "Lora", lora_r: 8, lora_alpha: 16 });
    expect(created.status).toBe("pending");

    const seen: string[] = [];
    for (let i = 0; i < 20 && seen.at(-1) !== "completed"; i++) {
      fake.advance(400);
      const job = await p.getJob(created.providerJobId);
      if (seen.at(-1) !== job.status) seen.push(job.status);
      if (job.status === "completed") expect(job.resultModel).toMatch(/voice/);
    }
    expect(seen).toEqual(["pending", "queued", "running", "completed"]);

    const events = await p.listEvents(created.providerJobId);
    const losses = events.filter((e) => e.loss !== undefined).map((e) => e.loss!);
    expect(losses.length).toBeGreaterThan(5);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    const checkpoints = await p.listCheckpoints(created.providerJobId);
    expect(checkpoints.at(-1)?.modelId).toBe((await p.getJob(created.providerJobId)).resultModel);
    expect(p.endpointFor("m").baseURL).toBe(fake.url);
  });

  it("reports a failed job with the provider's reason", async () => {
    const p = provider();
    const file = await p.uploadDataset({ filename: "d.jsonl", jsonl: `${EXAMPLE}\n` });
    const job = await p.createJob({ baseModel: "Qwen/Qwen3-4B-Instruct", trainingFileId: file.fileId, suffix: "broken-run" });
    fake.advance(10_000);
    const failed = await p.getJob(job.providerJobId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/loss diverged/);
  });

  it("cancels a running job", async () => {
    const p = provider();
    const file = await p.uploadDataset({ filename: "d.jsonl", jsonl: `${EXAMPLE}\n` });
    const job = await p.createJob({ baseModel: "Qwen/Qwen3-4B-Instruct", trainingFileId: file.fileId });
    fake.advance(2000);
    await p.cancelJob(job.providerJobId);
    fake.advance(1000);
    expect((await p.getJob(job.providerJobId)).status).toBe("cancelled");
  });

  it("tells retryable errors (429 with Retry-After, 5xx) from final ones (refused creation, bad key)", async () => {
    const p = provider();
    fake.inject({ method: "GET", path: /^\/fine-tunes\/models/, status: 429, message: "Rate limit exceeded", headers: { "retry-after": "7" } });
    const limited = await p.listBaseModels().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TrainingError);
    expect(limited).toMatchObject({ code: "rate_limited", retryable: true, retryAfterMs: 7000 });

    fake.inject({ method: "GET", status: 503, message: "Service unavailable" });
    expect(await p.getJob("ft-00000000-0000-0000-0000-000000000000").catch((e: unknown) => e)).toMatchObject({ code: "provider_unavailable", retryable: true });

    fake.inject({ method: "POST", path: /^\/fine-tunes$/, status: 403, message: "Fine-tuning is not enabled for this organization", type: "permission_error" });
    const refused = await p.createJob({ baseModel: "Qwen/Qwen3-4B-Instruct", trainingFileId: "file-x" }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "auth", retryable: false });
    expect((refused as Error).message).toMatch(/Fine-tuning is not enabled/);

    const wrongKey = createTogetherTraining({ apiKey: "nope", baseURL: fake.url, maxRetries: 0 });
    expect(await wrongKey.listBaseModels().catch((e: unknown) => e)).toMatchObject({ code: "auth", retryable: false });
  });

  it("falls back to tokens × the price table without an uploaded file, and says what to add when the table lacks the model", async () => {
    const p = provider();
    expect(await p.estimatePrice({ baseModel: "Qwen/Qwen3-4B-Instruct", trainingTokens: 2_000_000, hyperparameters: { epochs: 2 } })).toEqual({ totalUsd: 2, billedTokens: 4_000_000, source: "price_table" });
    await expect(p.estimatePrice({ baseModel: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", trainingTokens: 10 })).rejects.toMatchObject({ code: "invalid_config" });
  });

  it("an unknown job id is a final not-found error", async () => {
    await expect(provider().getJob("ft-11111111-1111-1111-1111-111111111111")).rejects.toMatchObject({ code: "not_found", retryable: false });
  });
});
