/** Switching a shop's phase, gated by the advisor on its live signals. */
import type { Db } from "../db/open-database";
import { saveShopPhase } from "../settings/shop-settings";
import { checkPhaseChange, type Phase, type PhaseChange } from "./advisor";
import { gatherPhaseSignals } from "./phase-signals";

export async function changeShopPhase(db: Db, shop: string, phase: Phase, now: Date): Promise<PhaseChange> {
  const signals = await gatherPhaseSignals(db, shop, now);
  const change = checkPhaseChange(signals, phase);
  if (change.ok) await saveShopPhase(db, shop, phase);
  return change;
}
