import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeTinyOnnxModel } from "../../test/support/tiny-onnx-model";
import { createOnnxEmbeddingModel } from "./onnx-embedding";
import { ProviderError } from "./types";

const folders: string[] = [];
function makeFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "onnx-model-"));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function captureError(action: () => unknown): ProviderError {
  try {
    action();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("createOnnxEmbeddingModel", () => {
  it("names the missing folder", () => {
    const error = captureError(() => createOnnxEmbeddingModel({ modelDir: "/nonexistent/bge-small" }));
    expect(error.code).toBe("model_not_found");
    expect(error.message).toContain("/nonexistent/bge-small");
    expect(error.message).toContain("onnx/model.onnx");
  });

  it("lists the files a folder lacks", () => {
    const dir = makeFolder({ "config.json": "{}" });
    const error = captureError(() => createOnnxEmbeddingModel({ modelDir: dir }));
    expect(error.code).toBe("model_not_found");
    expect(error.message).toContain("missing tokenizer.json, tokenizer_config.json, onnx/model.onnx");
  });

  it("rejects a config.json that is not JSON", () => {
    const dir = makeFolder({ "config.json": "{oops", "tokenizer.json": "{}", "tokenizer_config.json": "{}", "onnx/model.onnx": "" });
    const error = captureError(() => createOnnxEmbeddingModel({ modelDir: dir }));
    expect(error.message).toMatch(/config\.json is not valid JSON/);
  });

  it("asks for dimensions when the config does not say", () => {
    const dir = makeFolder({ "config.json": "{}", "tokenizer.json": "{}", "tokenizer_config.json": "{}", "onnx/model_quantized.onnx": "" });
    expect(captureError(() => createOnnxEmbeddingModel({ modelDir: dir })).code).toBe("invalid_config");
  });

  it("reads the vector size from config.json and names the model by folder and size", () => {
    const dir = makeFolder({ "config.json": '{"hidden_size":384}', "tokenizer.json": "{}", "tokenizer_config.json": "{}", "onnx/model.onnx": "" });
    const model = createOnnxEmbeddingModel({ modelDir: dir });
    expect(model.dimensions).toBe(384);
    expect(model.id).toBe(`onnx:${path.basename(dir)}:384`);
  });

  it("fails embedding with a clear error when the weights cannot be used", async () => {
    // GIVEN a folder that looks right but holds no real weights (none are obtainable offline)
    const dir = makeFolder({ "config.json": '{"hidden_size":8}', "tokenizer.json": "{}", "tokenizer_config.json": "{}", "onnx/model.onnx": "not onnx" });
    const model = createOnnxEmbeddingModel({ modelDir: dir });
    // WHEN it embeds, THEN the error says either how to install the runtime or which folder failed
    const error = await model.embed({ values: ["hello"] }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    const { code, message } = error as ProviderError;
    if (code === "not_installed") expect(message).toContain("npm install @huggingface/transformers");
    else expect(message).toContain(dir);
  });
});

/**
 * Through the real transformers.js and onnxruntime-node, no mocks: the model is a tiny genuine
 * export written by test/support/tiny-onnx-model.ts (a WordPiece tokenizer over catalog words
 * and a one-node ONNX graph), since no real model can be downloaded here.
 */
describe("createOnnxEmbeddingModel with the transformers.js runtime", () => {
  let parent: string;
  let modelDir: string;
  const HIDDEN = 16;

  beforeAll(() => {
    parent = mkdtempSync(path.join(tmpdir(), "onnx-runtime-"));
    modelDir = path.join(parent, "tiny-bert");
    writeTinyOnnxModel(modelDir, { hiddenSize: HIDDEN });
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);
  const embed = async (values: string[], dimensions?: number) =>
    (await createOnnxEmbeddingModel({ modelDir, dimensions }).embed({ values })).embeddings;

  it("embeds texts into unit vectors of the config's size, the same text always the same vector", async () => {
    const [shell, sweater, shellAgain] = await embed(["Ridgeline Rain Shell", "Merino Crew Sweater", "Ridgeline Rain Shell"]);
    for (const vector of [shell, sweater]) {
      expect(vector).toHaveLength(HIDDEN);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    }
    expect(shellAgain).toEqual(shell);
    expect(sweater).not.toEqual(shell);
  });

  it("puts texts that share words closer than unrelated texts", async () => {
    const [shell, jacket, sweater, mug] = await embed([
      "waterproof rain shell with a hood",
      "packable rain jacket",
      "merino wool sweater",
      "stoneware mug",
    ]);
    const related = dot(shell, jacket);
    expect(related).toBeGreaterThan(0.8);
    expect(related).toBeGreaterThan(dot(shell, sweater) + 0.5);
    expect(related).toBeGreaterThan(dot(shell, mug) + 0.5);
  });

  it("keeps the order of a batch larger than one runtime call, padding aside", async () => {
    const model = createOnnxEmbeddingModel({ modelDir });
    const words = ["rain shell", "wool sweater", "leather boot", "linen duvet cover", "cedar candle", "enamel camp mug"];
    // Lengths vary so padding differs between runtime batches; the texts outnumber two calls.
    const texts = Array.from({ length: model.maxEmbeddingsPerCall * 2 + 5 }, (_, i) => `${words[i % words.length]} ${"tea ".repeat(i % 4)}`);
    const batched = (await model.embed({ values: texts })).embeddings;
    expect(batched).toHaveLength(texts.length);
    for (const index of [0, 1, 31, 32, 33, 64, texts.length - 1]) {
      const [alone] = (await model.embed({ values: [texts[index]] })).embeddings;
      batched[index].forEach((value, axis) => expect(value).toBeCloseTo(alone[axis], 5));
    }
  });

  it("says when the vectors do not have the configured size", async () => {
    const error = await embed(["rain jacket"], 8).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("bad_response");
    expect((error as ProviderError).message).toContain(`returned ${HIDDEN}-d vectors, expected 8`);
  });

  it("names the folder when model.onnx is not a model, and recovers once the folder is fixed", async () => {
    const brokenDir = path.join(parent, "tiny-broken");
    writeTinyOnnxModel(brokenDir, { corruptWeights: true });
    const model = createOnnxEmbeddingModel({ modelDir: brokenDir });
    const error = await model.embed({ values: ["rain jacket"] }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("model_not_found");
    expect((error as ProviderError).message).toContain(brokenDir);
    expect((error as ProviderError).message).toMatch(/could not be loaded/);

    writeTinyOnnxModel(brokenDir, { hiddenSize: HIDDEN });
    const { embeddings } = await model.embed({ values: ["rain jacket"] });
    expect(embeddings[0]).toHaveLength(HIDDEN);
  });
});
