/** Formatting for the admin's figures; "–" stands for "no data yet". */

export const NO_DATA = "–";

export function formatPercent(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_DATA;
  return `${(value * 100).toFixed(digits)}%`;
}

/** A typographic minus: "−$0.10", never "$-0.10". */
export const MINUS = "\u2212";

/**
 * Dollars, the sign before the currency ("−$0.10"). `digits` fixes the decimals (per-1,000
 * answer costs); by default two, or four for a fraction of a cent so it is not shown as zero.
 */
export function formatUsd(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_DATA;
  const abs = Math.abs(value);
  // Small model bills are fractions of a cent: show enough digits to be non-zero.
  const places = digits ?? (abs !== 0 && abs < 0.01 ? 4 : 2);
  const text = abs.toLocaleString("en-US", { minimumFractionDigits: places, maximumFractionDigits: places });
  // A value that rounds to zero shows no sign.
  const sign = value < 0 && /[1-9]/.test(text) ? MINUS : "";
  return `${sign}$${text}`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_DATA;
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** "Nov 3" for "2026-11-03" (UTC, so the server and browser agree). */
export function formatDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}
