/** Settings constants and formatting shared by the server and the Settings page (no zod, so the page stays small). */
import type { PolicyType } from "../catalog/types";
import type { PriceTable } from "../insights/usage-ledger";

export const POLICY_TYPES: PolicyType[] = ["refund", "shipping", "privacy", "terms", "contact", "legal_notice", "subscription"];
export const TONES = ["friendly", "concise", "formal"] as const;
export type Tone = (typeof TONES)[number];

export function formatPriceTable(table: PriceTable): string {
  return Object.entries(table)
    .map(([model, p]) => `${model} ${p.inputPerMTok} ${p.outputPerMTok}`)
    .join("\n");
}
