/**
 * The demo's simulated models and their prices (USD per million tokens). They join the price
 * table in demo mode only, so the simulated teacher and student are priced like any model:
 * from a table entry, never from a constant in the code that measures them. Labelled
 * "simulated" wherever they show.
 */
export const SIMULATED_TEACHER_MODEL = "simulated/answer-large-70b-instruct";
export const SIMULATED_STUDENT_BASE = "simulated/answer-mini-3b-instruct";
export const SIMULATED_VOICE_BASE = "simulated/voice-small-8b-instruct";

/** The student's base is about fifteen times cheaper than the teacher, like a 3B model against a 70B one. */
export const SIMULATED_MODEL_PRICES: Record<string, { inputPerMTok: number; outputPerMTok: number }> = {
  [SIMULATED_TEACHER_MODEL]: { inputPerMTok: 0.88, outputPerMTok: 0.88 },
  [SIMULATED_STUDENT_BASE]: { inputPerMTok: 0.06, outputPerMTok: 0.06 },
  [SIMULATED_VOICE_BASE]: { inputPerMTok: 0.18, outputPerMTok: 0.18 },
};

export function isSimulatedModelPrice(model: string): boolean {
  return Object.hasOwn(SIMULATED_MODEL_PRICES, model);
}
