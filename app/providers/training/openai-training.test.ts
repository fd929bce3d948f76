import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAITraining, type FakeOpenAITraining, OPENAI_CONTRACT_PATH } from "../../../test/fakes/openai-training-server";
import { createOpenAITraining } from "./openai-training";

const LINE = JSON.stringify({ messages: [{ role: "user", content: "Title: Mug" }, { role: "assistant", content: "<p>Holds coffee.</p>" }] });

describe("OpenAI training adapter, against the OpenAI fake over HTTP", () => {
  let fake: FakeOpenAITraining;
  let refusing: FakeOpenAITraining;
  beforeAll(async () => {
    fake = await startFakeOpenAITraining({ failSuffix: /^bad/ });
    refusing = await startFakeOpenAITraining({ refuseJobs: true });
  });
  afterAll(async () => {
    expect(fake.violations).toEqual([]);
    expect(refusing.violations).toEqual([]);
    await fake.close();
    await refusing.close();
  });
  const provider = (f = fake) => createOpenAITraining({ apiKey: "sk-train-fake", baseURL: f.url, maxRetries: 0, trainingPricePerMTok: { "gpt-4o-mini-2024-07-18": 3 } });

  it("lists chat base models from the provider, leaving out embeddings and already fine-tuned models", async () => {
    expect((await provider().listBaseModels()).map((m) => m.id)).toEqual(["gpt-4.1-mini-2025-04-14", "gpt-4o-mini-2024-07-18"]);
    // Requests are checked against the contract whenever ../shared holds it (the fake says so when it does not).
    expect(fake.validated).toBe(existsSync(OPENAI_CONTRACT_PATH));
  });

  it("uploads, trains through validating, queued and running to a fine-tuned model, with the loss curve from metrics events", async () => {
    const p = provider();
    const file = await p.uploadDataset({ filename: "voice-train.jsonl", jsonl: `${LINE}\n` });
    const job = await p.createJob({ baseModel: "gpt-4o-mini-2024-07-18", trainingFileId: file.fileId, suffix: "voice", hyperparameters: { epochs: 2 } });
    expect(fake.requests.find((r) => r.path === "/v1/fine_tuning/jobs")?.body).toMatchObject({ method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 2 } } } });
    const seen = [job.providerStatus];
    for (let i = 0; i < 12; i++) {
      fake.advance(700);
      const s = await p.getJob(job.providerJobId);
      if (seen.at(-1) !== s.providerStatus) seen.push(s.providerStatus);
    }
    expect(seen).toEqual(["validating_files", "queued", "running", "succeeded"]);
    const done = await p.getJob(job.providerJobId);
    expect(done).toMatchObject({ status: "completed", resultModel: expect.stringMatching(/^ft:gpt-4o-mini-2024-07-18:acme:voice:/) });
    const losses = (await p.listEvents(job.providerJobId)).filter((e) => e.loss !== undefined);
    expect(losses.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(losses.at(-1)!.loss!).toBeLessThan(losses[0].loss!);
    expect((await p.listCheckpoints(job.providerJobId)).map((c) => c.step)).toEqual([5, 10]);
  });

  it("a failed job carries OpenAI's reason; a cancelled one says cancelled", async () => {
    const p = provider();
    const file = await p.uploadDataset({ filename: "d.jsonl", jsonl: `${LINE}\n` });
    const bad = await p.createJob({ baseModel: "gpt-4o-mini-2024-07-18", trainingFileId: file.fileId, suffix: "bad" });
    const other = await p.createJob({ baseModel: "gpt-4o-mini-2024-07-18", trainingFileId: file.fileId });
    fake.advance(2500);
    expect((await p.cancelJob(other.providerJobId)).status).toBe("cancelled");
    fake.advance(10_000);
    expect(await p.getJob(bad.providerJobId)).toMatchObject({ status: "failed", error: expect.stringMatching(/context length/) });
  });

  it("when OpenAI refuses to fine-tune for the organisation, the merchant reads why and what else to do", async () => {
    const p = provider(refusing);
    const file = await p.uploadDataset({ filename: "d.jsonl", jsonl: `${LINE}\n` });
    const error = await p.createJob({ baseModel: "gpt-4o-mini-2024-07-18", trainingFileId: file.fileId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "training_refused", retryable: false });
    expect((error as Error).message).toMatch(/Together AI/);
    expect((error as Error).message).toMatch(/download the dataset/);
    expect((error as Error).message).toMatch(/not available to your organization/);
  });

  it("estimates from tokens × the price table, and a 429 is retryable with its Retry-After", async () => {
    expect(await provider().estimatePrice({ baseModel: "gpt-4o-mini-2024-07-18", trainingTokens: 100_000, hyperparameters: { epochs: 3 } })).toEqual({ totalUsd: 0.9, billedTokens: 300_000, source: "price_table" });
    fake.rateLimitNext(1, 20);
    expect(await provider().getJob("ftjob-x").catch((e: unknown) => e)).toMatchObject({ code: "rate_limited", retryable: true, retryAfterMs: 20_000 });
  });
});
