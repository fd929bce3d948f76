/**
 * Emails and phone numbers out of training copy: a model trained on them repeats them
 * under other products. Pure; returns what was removed so the merchant is told.
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Eight or more digits written as a phone number is: "+44 20 7946 0958", "(555) 123-4567", "020-79460958".
const PHONE = /(?<![\p{L}\p{N}])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])\+\d{8,14}(?![\p{L}\p{N}])/gu;

function digitCount(text: string): number {
  return (text.match(/\d/g) ?? []).length;
}

export interface ScrubResult {
  text: string;
  emails: number;
  phones: number;
}

export function scrubContactDetails(text: string): ScrubResult {
  let emails = 0;
  let phones = 0;
  const withoutEmails = text.replace(EMAIL, () => {
    emails++;
    return "";
  });
  const withoutPhones = withoutEmails.replace(PHONE, (match) => {
    // Measurements ("120 x 60 cm") never reach here (the "x" breaks the run); short runs are sizes or dates.
    const looksLikePhone = digitCount(match) >= 8 && (match.startsWith("+") || match.includes("(") || /\d[\s.-]\d/.test(match));
    if (!looksLikePhone) return match;
    phones++;
    return "";
  });
  return { text: withoutPhones, emails, phones };
}
