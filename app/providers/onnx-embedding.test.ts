import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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
    expect(error.message).toContain("missing tokenizer.json, onnx/model.onnx");
  });

  it("rejects a config.json that is not JSON", () => {
    const dir = makeFolder({ "config.json": "{oops", "tokenizer.json": "{}", "onnx/model.onnx": "" });
    const error = captureError(() => createOnnxEmbeddingModel({ modelDir: dir }));
    expect(error.message).toMatch(/config\.json is not valid JSON/);
  });

  it("asks for dimensions when the config does not say", () => {
    const dir = makeFolder({ "config.json": "{}", "tokenizer.json": "{}", "onnx/model_quantized.onnx": "" });
    expect(captureError(() => createOnnxEmbeddingModel({ modelDir: dir })).code).toBe("invalid_config");
  });

  it("reads the vector size from config.json and names the model by folder and size", () => {
    const dir = makeFolder({ "config.json": '{"hidden_size":384}', "tokenizer.json": "{}", "onnx/model.onnx": "" });
    const model = createOnnxEmbeddingModel({ modelDir: dir });
    expect(model.dimensions).toBe(384);
    expect(model.id).toBe(`onnx:${path.basename(dir)}:384`);
  });

  it("fails embedding with a clear error when the weights cannot be used", async () => {
    // GIVEN a folder that looks right but holds no real weights (none are obtainable offline)
    const dir = makeFolder({ "config.json": '{"hidden_size":8}', "tokenizer.json": "{}", "onnx/model.onnx": "not onnx" });
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
