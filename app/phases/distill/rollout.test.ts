import { describe, expect, it } from "vitest";
import { loadRollout, observeStudentAnswer } from "./rollout";
import { DEFAULT_ROLLOUT } from "./types";

type State = Awaited<ReturnType<typeof loadRollout>>;

const fresh = (): State => ({ ...structuredClone(DEFAULT_ROLLOUT), windows: {} });

describe("rollback window", () => {
  it("GIVEN the demo's canary (unanswerable product facts the teacher also refuses) THEN the rollback says so in plain words", () => {
    const state = fresh();
    // Shadow: the teacher refused the same two questions; canary: a validated refusal is never put to the teacher.
    const answers = [
      { validationOk: true, refused: true, problems: [], teacher: { ok: true, refused: true } },
      { validationOk: true, refused: true, problems: [], teacher: { ok: true, refused: true } },
      { validationOk: true, refused: true, problems: [] },
      { validationOk: true, refused: true, problems: [] },
    ];
    for (const a of answers) expect(observeStudentAnswer(state, "product_fact", "student", a)).toBeNull();
    const rollback = observeStudentAnswer(state, "product_fact", "student", { validationOk: true, refused: true, problems: [] });
    expect(rollback?.reason).toBe(
      "refusals 100% over the last 5 student answers (limit 50%). The student said it could not answer 5 of its last 5 questions. " +
        "A refusal is right when the store's information does not answer the question, but above the limit too many shoppers asking this get no answer, so the teacher answers them again. " +
        "The teacher refused 2 of 2 questions compared as well: on those the student did what the teacher does. The teacher was not asked the other 3.",
    );
    expect(state.rollbacks).toHaveLength(1);
  });

  it("GIVEN failed answers the teacher also fails THEN the rollback names the problem and that the teacher fails it too", () => {
    const state = fresh();
    const failing = { validationOk: false, refused: false, problems: ["wrong_stock_claim"], teacher: { ok: false, refused: false } };
    const passing = { validationOk: true, refused: false, problems: [] };
    observeStudentAnswer(state, "availability", "student", passing);
    observeStudentAnswer(state, "availability", "student", passing);
    observeStudentAnswer(state, "availability", "student", failing);
    observeStudentAnswer(state, "availability", "student", { ...failing, teacher: undefined });
    const rollback = observeStudentAnswer(state, "availability", "student", failing);
    expect(rollback?.reason).toBe(
      "validator failures 60% over the last 5 student answers (limit 20%). The answer check stopped 3 student answers: gave a stock status the cited products do not show (3). " +
        "None of them reached a shopper: the teacher's answer was shown. " +
        "The teacher's own answer failed the same check on 2 of 2 questions compared: those questions trip the answer check whoever answers, not only the student. The teacher was not asked the remaining one.",
    );
  });

  it("GIVEN one failure in five THEN 20% is not above the 20% limit: no rollback", () => {
    const state = fresh();
    for (let i = 0; i < 4; i++) observeStudentAnswer(state, "product_fact", "student", { validationOk: true, refused: false });
    expect(observeStudentAnswer(state, "product_fact", "student", { validationOk: false, refused: false, problems: ["unsupported_price"] })).toBeNull();
  });

  it("GIVEN failures the teacher answers correctly THEN the rollback says so, and windows keep only codes and verdicts, never question text", () => {
    const state = fresh();
    for (let i = 0; i < 5; i++) observeStudentAnswer(state, "product_fact", "student", { validationOk: false, refused: false, problems: ["unsupported_price", "unsupported_price"], teacher: { ok: true, refused: false } });
    expect(state.rollbacks[0].reason).toContain("gave a price no cited product has (5)");
    expect(state.rollbacks[0].reason).toContain("The teacher answered 5 of these questions correctly.");
    expect(state.windows.product_fact?.[0]).toEqual({ ok: false, refused: false, problems: ["unsupported_price"], teacher: { ok: true, refused: false } });
  });
});
