import { describe, expect, it } from "vitest";
import { advisePhases, checkPhaseChange, dailyChangeRate, isLongFormRequest, type PhaseSignals } from "./advisor";

const base: PhaseSignals = {
  catalogSize: 200,
  catalogChangeEvents: 0,
  changeWindowDays: 14,
  questionsInWindow: 0,
  longFormRequests: 0,
  demandWindowDays: 30,
  voiceDrift: null,
  monthSpendUsd: 0,
  projectedMonthSpendUsd: null,
  spendThresholdUsd: 200,
  productsWithGoodCopy: 0,
  phase1Answers: 0,
  ratings: 0,
  thumbsUpRate: null,
  enabledPhase: 1,
};

describe("the three questions", () => {
  it("reads the projected phase 3 saving into the spend question once the gate has measured it", () => {
    const large = { ...base, monthSpendUsd: 300, projectedMonthSpendUsd: 450 };
    expect(advisePhases(large).answers[2].evidence).not.toContain("saving");
    const measured = advisePhases({ ...large, projectedDistillSavingUsd: 381.25 }).answers[2];
    expect(measured.evidence).toContain("projects a saving of $381.25 a month");
  });

  it("reads a catalog changing daily from its change rate", () => {
    // 140 changes over 14 days on 200 products = 10 a day = 5% of the catalog a day.
    const s = { ...base, catalogChangeEvents: 140 };
    expect(dailyChangeRate(s)).toBeCloseTo(0.05, 10);
    const [freshness] = advisePhases(s).answers;
    expect(freshness.answer).toBe("Changing daily");
    expect(freshness.evidence).toContain("10.0 a day");
    expect(advisePhases({ ...s, catalogChangeEvents: 14 }).answers[0].answer).toBe("Mostly static");
    expect(advisePhases({ ...s, catalogSize: 0 }).answers[0]).toMatchObject({ answer: "Not measured yet", measured: false });
  });

  it("says voice drift is not measured yet, and tells writing from facts", () => {
    const facts = advisePhases({ ...base, questionsInWindow: 400, longFormRequests: 8 }).answers[1];
    expect(facts.answer).toBe("Retrieving facts");
    expect(facts.evidence).toContain("Voice drift: not measured yet.");
    const writing = advisePhases({ ...base, questionsInWindow: 100, longFormRequests: 30 }).answers[1];
    expect(writing).toMatchObject({ answer: "Writing in your voice", verdict: "fine-tune" });
    const onVoice = advisePhases({ ...base, questionsInWindow: 100, longFormRequests: 30, voiceDrift: 0.1 }).answers[1];
    expect(onVoice.verdict).toBe("retrieval");
    expect(onVoice.evidence).toContain("Voice drift: 0.10 (within");
  });

  it("compares projected monthly spend with the threshold", () => {
    expect(advisePhases({ ...base, monthSpendUsd: 120, projectedMonthSpendUsd: 240 }).answers[2]).toMatchObject({ answer: "Large", verdict: "distill" });
    expect(advisePhases({ ...base, monthSpendUsd: 120, projectedMonthSpendUsd: 180 }).answers[2].answer).toBe("Small");
    expect(advisePhases(base).answers[2].answer).toBe("None");
  });
});

describe("gates", () => {
  it("keeps phase 2 locked and says exactly what is missing", () => {
    const advice = advisePhases({ ...base, productsWithGoodCopy: 49, questionsInWindow: 100, longFormRequests: 30 });
    const gate = advice.gates[1];
    expect(gate.unlocked).toBe(false);
    expect(gate.missing).toEqual(["At least 50 products with descriptions of 300+ characters (training examples of your voice): you have 49 products, need 50 products."]);
    expect(advice.next?.phase).toBe(2);
    expect(checkPhaseChange({ ...base, productsWithGoodCopy: 49 }, 2)).toMatchObject({ ok: false, code: "phase_locked" });
  });

  it("unlocks phase 2 with enough good copy and real long-form demand", () => {
    const s = { ...base, productsWithGoodCopy: 50, questionsInWindow: 100, longFormRequests: 20 };
    expect(advisePhases(s).gates[1].unlocked).toBe(true);
    expect(checkPhaseChange(s, 2)).toEqual({ ok: true, phase: 2 });
    // 20 requests but only 5% of questions: not real demand.
    expect(advisePhases({ ...s, questionsInWindow: 400 }).gates[1].unlocked).toBe(false);
  });

  it("unlocks phase 3 only with 1,000 answers, 70% thumbs up and spend above the threshold", () => {
    const ready = { ...base, phase1Answers: 1000, ratings: 300, thumbsUpRate: 0.7, monthSpendUsd: 150, projectedMonthSpendUsd: 250 };
    expect(advisePhases(ready).gates[2].unlocked).toBe(true);
    expect(advisePhases(ready).recommendedPhase).toBe(3);
    const gate = advisePhases({ ...ready, phase1Answers: 999, thumbsUpRate: 0.69 }).gates[2];
    expect(gate.checks.map((c) => [c.id, c.met])).toEqual([
      ["answers", false],
      ["thumbs-up", false],
      ["spend", true],
    ]);
    expect(gate.missing[1]).toContain("you have 69% of 300 ratings");
    expect(advisePhases({ ...ready, projectedMonthSpendUsd: 200 }).gates[2].unlocked).toBe(false);
  });

  it("always allows going back to phase 1", () => {
    expect(checkPhaseChange({ ...base, enabledPhase: 3 }, 1)).toEqual({ ok: true, phase: 1 });
  });
});

describe("isLongFormRequest", () => {
  it("tells requests to write from questions of fact", () => {
    expect(isLongFormRequest("Write a product description for the Alpine Shell")).toBe(true);
    expect(isLongFormRequest("Can you describe this jacket in a fun way?")).toBe(true);
    expect(isLongFormRequest("Is the Alpine Shell waterproof?")).toBe(false);
  });
});
