import { describe, expect, it } from "vitest";
import { eventOf } from "../providers/training/together-training";
import { parseTrainingPrices } from "../settings/training-settings";
import { lossCurveOf } from "./training-jobs";

describe("the loss curve", () => {
  it("reads training and validation losses from provider event messages", () => {
    const at = "2026-11-02T09:00:00Z";
    expect(eventOf({ created_at: at, message: "Step 3/12: train loss 1.2345", step: 3 })).toMatchObject({ step: 3, loss: 1.2345, validationLoss: undefined, level: "info" });
    expect(eventOf({ created_at: at, message: "Evaluation at step 4: eval loss: 0.98, train_loss=1.10", step: 4 })).toMatchObject({ loss: 1.1, validationLoss: 0.98 });
    expect(eventOf({ created_at: at, message: "Checkpoint saved", type: "checkpoint_save" }).loss).toBeUndefined();
    expect(eventOf({ created_at: at, message: "Job failed", type: "job_error", level: null }).level).toBe("error");
  });

  it("merges points by step, keeps them in order, and skips events without a loss", () => {
    const at = new Date("2026-11-02T09:00:00Z");
    const curve = lossCurveOf([
      { id: "a", at, level: "info", message: "", step: 2, loss: 1.5 },
      { id: "b", at, level: "info", message: "started" },
      { id: "c", at, level: "info", message: "", step: 1, loss: 2.1 },
      { id: "d", at, level: "info", message: "", step: 2, validationLoss: 1.7 },
    ]);
    expect(curve).toEqual([
      { step: 1, loss: 2.1 },
      { step: 2, loss: 1.5, validationLoss: 1.7 },
    ]);
  });
});

describe("training price table", () => {
  it("reads one base model and its price per line, and names the line it cannot read", () => {
    expect(parseTrainingPrices("# comment\nQwen/Qwen3-4B 0.48\ngpt-4o-mini-2024-07-18, 3")).toEqual({ table: { "Qwen/Qwen3-4B": 0.48, "gpt-4o-mini-2024-07-18": 3 } });
    expect(parseTrainingPrices("Qwen/Qwen3-4B 0.48 0.5")).toMatchObject({ error: expect.stringMatching(/^Line 1/) });
    expect(parseTrainingPrices("model -1")).toMatchObject({ error: expect.stringMatching(/USD per million tokens/) });
  });
});
