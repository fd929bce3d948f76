import { TrainingError, type EstimatePriceInput, type PriceEstimate } from "./types";

/** Tokens × epochs × the price table's rate: for providers that give no estimate of their own. */
export function priceFromTable(label: string, input: EstimatePriceInput, table: Record<string, number> | undefined): PriceEstimate {
  const perMTok = table?.[input.baseModel];
  if (perMTok === undefined) {
    throw new TrainingError(
      "invalid_config",
      `${label} gives no price estimate for ${input.baseModel}, and the price table has no training price for it. Add one in Settings (USD per million training tokens) to see the estimate before training.`,
    );
  }
  const billedTokens = input.trainingTokens * (input.hyperparameters?.epochs ?? 1);
  return { totalUsd: Math.round(((billedTokens * perMTok) / 1e6) * 10_000) / 10_000, billedTokens, source: "price_table" };
}
