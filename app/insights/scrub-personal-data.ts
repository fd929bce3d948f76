/**
 * Removes what identifies a shopper from a question before it is stored: email addresses,
 * phone numbers and order numbers. Questions are kept for insights and as distillation
 * traces; none of them needs these, and a stored one is a liability.
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** "order 1042", "Bestellung Nr. 1042", "commande n° 1042", "pedido #1042", "bestelling 1042". */
const ORDER_WORD = String.raw`(?:orders?|bestellung|commande|pedido|bestelling)`;
const ORDER_REFERENCE = new RegExp(
  String.raw`(\b${ORDER_WORD}\b(?:\s*(?:no\.?|number|nr\.?|nummer|numéro|n°|número|num\.?))?\s*:?\s*)#?\s?[A-Za-z]{0,4}-?\d[\dA-Za-z-]{2,}`,
  "giu",
);
const HASH_NUMBER = /#\s?\d{3,}\b/g;
/** Seven or more digits with the separators people type between them. */
const PHONE = /(?:\+|\b00)?\d[\d ().\-/]{5,}\d\b/g;

export function scrubPersonalData(text: string): string {
  return text
    .replace(EMAIL, "[email]")
    .replace(ORDER_REFERENCE, "$1[order]")
    .replace(HASH_NUMBER, "[order]")
    .replace(PHONE, (match) => (match.replace(/\D/g, "").length >= 7 ? "[phone]" : match));
}
