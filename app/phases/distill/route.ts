/**
 * Builds the answer path's route for one question from the shop's rollout: the decision,
 * the teacher as the fallback of every routed answer, the rollback window fed by each student
 * answer, and the background shadow answer recorded beside the one the shopper saw.
 */
import type { AnswerRoute, ShadowOutcome } from "../../answering/answer-question";
import type { Answerer, Intent } from "../../answering/types";
import type { Db } from "../../db/open-database";
import { SHADOW_REF_PREFIX } from "./cost-report";
import { agreesWithTeacher } from "./gate";
import { decideRoute, recordStudentAnswer } from "./rollout";
import type { RolloutState, Tier } from "./types";

export interface RouteDeps {
  db: Db;
  shop: string;
  state: RolloutState;
  teacher: Answerer;
  answerers: Partial<Record<Exclude<Tier, "teacher">, Answerer>>;
  /** The id the shown answer will be logged under (shadow results point at it). */
  answerId: string;
  /** [0, 1): samples the canary and shadow shares. */
  draw?: () => number;
}

export function createRoute(deps: RouteDeps): (intent: Intent) => Promise<AnswerRoute | null> {
  const draw = deps.draw ?? Math.random;
  return async (intent) => {
    const decision = decideRoute(deps.state, intent, draw());
    const routed = decision.tier === "teacher" ? null : deps.answerers[decision.tier];
    const shadowAnswerer = decision.shadowTier && decision.shadowTier !== "teacher" ? deps.answerers[decision.shadowTier] : undefined;
    if (!routed) {
      return {
        tier: "teacher",
        reason: decision.tier === "teacher" ? decision.reason : `no ${decision.tier} answerer available`,
        answerer: deps.teacher,
        ...(shadowAnswerer && decision.shadowTier
          ? { shadow: { tier: decision.shadowTier, answerer: shadowAnswerer, onResult: (outcome: ShadowOutcome) => recordShadow(deps, outcome) } }
          : {}),
      };
    }
    const tier = decision.tier;
    return {
      tier,
      reason: decision.reason,
      answerer: routed,
      fallback: deps.teacher,
      onRoutedAttempt: async (outcome) => {
        await recordStudentAnswer(deps.db, deps.shop, intent, tier, outcome);
      },
    };
  };
}

async function recordShadow(deps: RouteDeps, outcome: ShadowOutcome): Promise<void> {
  const { db, shop, answerId } = deps;
  const refused = outcome.draft?.refused ?? true;
  const agreed = outcome.draft
    ? agreesWithTeacher({ answer: outcome.shown.answer, refused: outcome.shown.refused, citationIds: outcome.shown.citations.map((c) => c.id) }, outcome.draft)
    : false;
  const usage = outcome.draft?.usage ?? { model: outcome.tier, inputTokens: 0, outputTokens: 0 };
  await db.$transaction([
    db.distillShadowResult.create({
      data: { shop, answerLogId: answerId, tier: outcome.tier, intent: outcome.intent, validated: outcome.validation.ok, refused, agreed, costUsd: outcome.costUsd, latencyMs: outcome.latencyMs },
    }),
    db.usageEvent.create({
      data: { shop, kind: "chat", model: usage.model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: outcome.costUsd, latencyMs: outcome.latencyMs, ref: `${SHADOW_REF_PREFIX}${answerId}` },
    }),
  ]);
  await recordStudentAnswer(db, shop, outcome.intent, outcome.tier as Tier, {
    validationOk: outcome.validation.ok,
    refused,
    problems: outcome.validation.problems.map((p) => p.code),
    teacher: outcome.teacher,
    shadowCostUsd: outcome.costUsd,
  });
}
