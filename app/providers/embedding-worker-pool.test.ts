import { afterEach, describe, expect, it } from "vitest";
import { createEmbeddingWorkerPool, type EmbeddingWorkerPool } from "./embedding-worker-pool";
import { createLocalEmbeddingModel } from "./local-embedding";
import { ProviderError } from "./types";

const entry = new URL("./local-embedding-thread.mjs", import.meta.url);

const texts = [
  "Waterproof hiking jacket with a hood, keeps you dry on the trail",
  "Knitted merino wool sweater for winter evenings",
  "",
  "Do you ship to Canada?",
  "Silk sleep mask that blocks all light, adjustable strap, travel pouch included, washable at 30 degrees",
  "Waterproof hiking jacket with a hood, keeps you dry on the trail",
  "Ring size 8, sterling silver, engraved",
  ...Array.from({ length: 70 }, (_, i) => `Product ${i}: ${"soft cotton ".repeat(1 + (i % 9))}t-shirt in colour ${i % 5}`),
];

let pool: EmbeddingWorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("the local model on worker threads", () => {
  it("gives the vectors of single-threaded embedding, in the caller's order", async () => {
    // GIVEN the model on the calling thread and the model on two threads
    pool = createEmbeddingWorkerPool({ size: 2, workerUrl: entry });
    const single = createLocalEmbeddingModel({ threads: 1 });
    const threaded = createLocalEmbeddingModel({ pool });

    // WHEN both embed texts of mixed lengths (several batches, run out of order by length)
    const a = await single.embed({ values: texts });
    const b = await threaded.embed({ values: texts });

    // THEN every vector matches at its position, and the token counts agree
    expect(b.embeddings).toHaveLength(texts.length);
    b.embeddings.forEach((vector, i) => {
      expect(vector).toHaveLength(512);
      for (let d = 0; d < 512; d++) expect(Math.abs(vector[d] - a.embeddings[i][d])).toBeLessThan(1e-6);
    });
    expect(b.embeddings[5]).toEqual(b.embeddings[0]);
    expect(b.embeddings[1]).not.toEqual(b.embeddings[0]);
    expect(b.usage.tokens).toBe(a.usage.tokens);
    expect(pool.threads().length).toBe(2);
  }, 120_000);

  it("fails the batch of a thread that stops with a clear error, and serves the next call on a new thread", async () => {
    // GIVEN a pool of one thread, warmed up (on tfjs: stopping a thread inside onnxruntime aborts the process)
    pool = createEmbeddingWorkerPool({ size: 1, workerUrl: entry, env: { GROUNDWORK_EMBEDDING_RUNTIME: "tfjs" } });
    const model = createLocalEmbeddingModel({ pool });
    const before = await model.embed({ values: ["Linen shirt, relaxed fit"] });
    const [thread] = pool.threads();

    // WHEN the thread is stopped while it embeds
    const running = model.embed({ values: texts });
    const error = running.then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await thread.terminate();

    // THEN the call fails with worker_stopped and a message that says what to do
    expect(await error).toBeInstanceOf(ProviderError);
    expect(((await error) as ProviderError).code).toBe("worker_stopped");
    expect(((await error) as ProviderError).message).toMatch(/Run the sync again/);

    // AND the next call runs on a fresh thread with the same result as before
    const after = await model.embed({ values: ["Linen shirt, relaxed fit"] });
    expect(pool.threads()).not.toContain(thread);
    expect(after.embeddings[0]).toEqual(before.embeddings[0]);
  }, 120_000);

  it("lets a running batch end before it closes", async () => {
    // GIVEN a pool of one thread, warmed up, embedding two long batches (128-token texts)
    pool = createEmbeddingWorkerPool({ size: 1, workerUrl: entry });
    const model = createLocalEmbeddingModel({ pool });
    await model.embed({ values: ["Linen shirt, relaxed fit"] });
    const long = Array.from({ length: 64 }, (_, i) => `Shirt ${i}: ${"soft cotton, relaxed fit, mother-of-pearl buttons. ".repeat(20)}`);
    const running = model.embed({ values: long }).then(
      () => null,
      (e: unknown) => e,
    );
    while (pool.busy() === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));

    // WHEN the pool is closed mid-call
    await pool.close();

    // THEN the process is still here, and the batches not yet started fail with "closed"
    expect(((await running) as Error).message).toMatch(/closed/);
    expect(pool.threads()).toHaveLength(0);
  }, 120_000);
});
