/**
 * Money in answers: formatted one way, and read back the same way by the
 * validator, so every amount a shopper sees can be checked. Pure.
 */

// A formatter is costly to make and answers format many prices: one per locale and currency (null: an unknown code).
const formatters = new Map<string, Intl.NumberFormat | null>();

function formatterFor(locale: string, currency: string): Intl.NumberFormat | null {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: "narrowSymbol" });
    } catch {
      formatter = null;
    }
    if (formatters.size >= 500) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatPrice(amount: number, currency: string | null | undefined, locale = "en"): string {
  if (!currency) return amount.toFixed(2);
  // An unknown code (a typo in an import) still shows the amount honestly.
  return formatterFor(locale, currency)?.format(amount) ?? `${amount.toFixed(2)} ${currency}`;
}

const SYMBOL = String.raw`(?:US\$|CA\$|A\$|C\$|\$|€|£|¥|₹|Rs\.?\s?|kr\s?|CHF\s?|zł\s?)`;
const CODE = String.raw`(?:USD|EUR|GBP|INR|CAD|AUD|JPY|CHF|SEK|NOK|DKK|PLN|NZD)`;
// Thousands grouped by ",", ".", a (narrow) no-break space ("1 299,50" in French) or an apostrophe ("1'299.50" in Swiss German).
const NUMBER = String.raw`(\d{1,3}(?:[,.\s'’]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
// German, French and Spanish put "$" after the amount ("149,00 $"); "8 $35" is a size then a price, not "8 $".
const TRAILING_SYMBOL = String.raw`(?:${CODE}|€|£|\$(?:US)?(?!\s?\d))`;

/** Every money amount written in a text ("$49.50", "€1.299,00", "49.50 USD", "Rs. 999", "149,00 $", "€ 45,00"). */
export function extractMoneyAmounts(text: string): number[] {
  const out: number[] = [];
  const re = new RegExp(String.raw`${SYMBOL}\s?${NUMBER}|${NUMBER}\s?${TRAILING_SYMBOL}(?![A-Za-z])|${CODE}\s?${NUMBER}`, "g");
  for (const m of text.matchAll(re)) {
    const raw = m[1] ?? m[2] ?? m[3];
    if (raw) out.push(parseAmount(raw));
  }
  return out;
}

/** "1,299.00" and "1.299,00" both mean 1299; "49,5" means 49.5. */
export function parseAmount(raw: string): number {
  const s = raw.replace(/[\s'’]/g, "");
  const lastSep = Math.max(s.lastIndexOf("."), s.lastIndexOf(","));
  if (lastSep === -1) return Number(s);
  const decimals = s.length - lastSep - 1;
  if (decimals === 3) return Number(s.replace(/[.,]/g, ""));
  const whole = s.slice(0, lastSep).replace(/[.,]/g, "");
  return Number(`${whole}.${s.slice(lastSep + 1)}`);
}

export function sameAmount(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.005;
}
