/**
 * Groups refused (unanswered) questions into themes a merchant can fix, with a
 * suggested fix naming the products the questions were about. Deterministic:
 * keyword rules in a fixed order, then the shop's option names, then "other".
 */

export interface RefusedQuestion {
  question: string;
  productHandle: string | null;
}

export interface ThemeProduct {
  handle: string;
  title: string;
  questions: number;
}

export interface RefusalTheme {
  id: string;
  label: string;
  count: number;
  /** Up to five examples, most frequent first. */
  examples: string[];
  products: ThemeProduct[];
  suggestedFix: string;
}

interface ThemeRule {
  id: string;
  label: string;
  pattern: RegExp;
  /** What to add, phrased for products ("a size chart") and for the store ("your returns window ..."). */
  productFix: string;
  storeFix: string;
}

// Order matters: the first rule that matches a question wins.
const RULES: ThemeRule[] = [
  {
    id: "size-chart",
    label: "Size chart and fit",
    pattern: /\b(size (chart|guide)|sizing|true to size|runs? (small|large|big)|fit(s|ting)?|measurements?|inseam|chest size)\b/i,
    productFix: "a size chart (or measurements)",
    storeFix: "Add a size guide page and link it from your product pages.",
  },
  {
    id: "returns",
    label: "Returns and exchanges",
    pattern: /\b(return(s|ing|ed)?|refund(s|ed)?|exchange(s|d)?|send (it )?back)\b/i,
    productFix: "return conditions (e.g. final sale or not)",
    storeFix: "Publish a refund policy that states the return window, condition and who pays return shipping.",
  },
  {
    id: "shipping",
    label: "Shipping",
    pattern: /\b(ship(s|ping|ped)?|deliver(y|ies|ed)?|arrive|postage|courier|customs|duties)\b/i,
    productFix: "shipping details (weight, ships-from, handling time)",
    storeFix: "Add destinations, rates and delivery times to your shipping policy.",
  },
  {
    id: "material",
    label: "Material and composition",
    pattern: /\b(material|fabric|made (of|from|in)|cotton|wool|leather|polyester|nylon|linen|silk|vegan|recycled|organic|latex|allergen|waterproof|water[- ]resistant)\b/i,
    productFix: "the material (a Material metafield or a line in the description)",
    storeFix: "Add material details to your product descriptions.",
  },
  {
    id: "care",
    label: "Care instructions",
    pattern: /\b(wash(ing|able)?|machine wash|dry clean|iron(ing)?|care instructions?|clean(ing)?)\b/i,
    productFix: "care instructions",
    storeFix: "Add a care guide page.",
  },
  {
    id: "dimensions",
    label: "Dimensions and weight",
    pattern: /\b(dimensions?|how (big|large|heavy|long|wide|tall)|weigh(s|t)?|length|width|height|capacity|litres?|liters?|cm|inch(es)?|mm)\b/i,
    productFix: "dimensions and weight",
    storeFix: "Add dimensions and weight to your product descriptions.",
  },
  {
    id: "restock",
    label: "Restocks and availability dates",
    pattern: /\b(restock(ed|ing)?|back in stock|pre-?order|when will .* (be )?available|coming back)\b/i,
    productFix: "restock or pre-order information",
    storeFix: "Add a page explaining restocks and pre-orders.",
  },
  {
    id: "warranty",
    label: "Warranty and guarantees",
    pattern: /\b(warrant(y|ies)|guarantee[ds]?|lifetime|repair(s)?)\b/i,
    productFix: "warranty terms",
    storeFix: "Publish your warranty terms on a page.",
  },
];

const SHIPPING_TO = /\b(?:ship(?:s|ping)?|deliver(?:y|ies)?)\s+(?:to|into)\s+(?:the\s+)?([a-z][a-z.'-]*(?:\s+[a-z][a-z.'-]*){0,2}?)(?=\s*(?:[?.!,;]|$|\s(?:and|or|in|by|from|for|within|how|please|if|with)\b))/i;

function titleCase(s: string): string {
  return s
    .split(/\s+/)
    .map((w) => (w.length <= 2 && w !== "uk" && w !== "us" ? w : w === "uk" || w === "us" ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1)))
    .join(" ");
}

/** The destination in "do you ship to Canada?", title-cased, or null. */
export function shippingDestination(question: string): string | null {
  const m = SHIPPING_TO.exec(question);
  if (!m) return null;
  const place = m[1].toLowerCase().replace(/[.']+$/, "").trim();
  // "ship to my address", "deliver to a PO box": not a destination.
  if (!place || /^(me|my|you|your|our|a|an|this|that|it|here|there|home|address|po|p\.o\.?)(\s|$)/.test(place)) return null;
  return titleCase(place);
}

export function normalizeQuestion(question: string): string {
  return question
    .toLowerCase()
    .normalize("NFKC")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function themeOf(question: string, optionNames: readonly string[]): { id: string; label: string; rule?: ThemeRule; optionName?: string } {
  for (const rule of RULES) {
    if (!rule.pattern.test(question)) continue;
    if (rule.id === "shipping") {
      const place = shippingDestination(question);
      if (place) return { id: `shipping-to-${place.toLowerCase().replace(/\s+/g, "-")}`, label: `Shipping to ${place}`, rule };
    }
    return { id: rule.id, label: rule.label, rule };
  }
  const lower = question.toLowerCase();
  for (const name of optionNames) {
    const n = name.trim().toLowerCase();
    if (n && new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}s?\\b`).test(lower)) {
      return { id: `option-${n.replace(/\s+/g, "-")}`, label: `${name.trim()} options`, optionName: name.trim() };
    }
  }
  return { id: "other", label: "Other questions" };
}

/** "a, b and c" or "a, b, c and 9 more". */
export function listNames(names: string[], max = 3): string {
  if (names.length === 0) return "";
  if (names.length <= max) return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

function fixFor(theme: { id: string; label: string; rule?: ThemeRule; optionName?: string }, products: ThemeProduct[], count: number): string {
  const names = products.map((p) => p.title);
  const these = products.length === 1 ? "this product" : `these ${products.length} products`;
  if (theme.rule) {
    if (theme.id.startsWith("shipping-to-")) {
      const place = theme.label.replace(/^Shipping to /, "");
      return `Say in your shipping policy whether you ship to ${place}, with rates and delivery times (${count} question${count === 1 ? "" : "s"} went unanswered).`;
    }
    if (products.length) return `Add ${theme.rule.productFix} to ${these}: ${listNames(names)}.`;
    return theme.rule.storeFix;
  }
  if (theme.optionName) {
    const what = `${theme.optionName.toLowerCase()} details`;
    return products.length ? `Describe the ${what} (what each option means) on ${these}: ${listNames(names)}.` : `Explain your ${what} on a page shoppers can find.`;
  }
  return products.length
    ? `Read these questions and add the missing facts to ${these}: ${listNames(names)}, or to a FAQ page.`
    : "Read these questions and add the missing facts to a FAQ page or your policies.";
}

/**
 * Clusters refused questions. `titles` maps product handles to titles (handles are
 * shown when a title is unknown); `optionNames` are the shop's option names
 * (Size, Color, ...) for questions no keyword rule covers.
 */
export function clusterRefusals(
  questions: readonly RefusedQuestion[],
  options: { titles?: ReadonlyMap<string, string>; optionNames?: readonly string[] } = {},
): RefusalTheme[] {
  const optionNames = [...(options.optionNames ?? [])].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const groups = new Map<string, { theme: ReturnType<typeof themeOf>; count: number; examples: Map<string, { text: string; n: number }>; products: Map<string, number> }>();
  for (const q of questions) {
    const theme = themeOf(q.question, optionNames);
    const g = groups.get(theme.id) ?? { theme, count: 0, examples: new Map(), products: new Map() };
    g.count += 1;
    const key = normalizeQuestion(q.question);
    const ex = g.examples.get(key) ?? { text: q.question.trim(), n: 0 };
    ex.n += 1;
    g.examples.set(key, ex);
    if (q.productHandle) g.products.set(q.productHandle, (g.products.get(q.productHandle) ?? 0) + 1);
    groups.set(theme.id, g);
  }
  const themes: RefusalTheme[] = [];
  for (const [id, g] of groups) {
    const products = [...g.products.entries()]
      .map(([handle, n]) => ({ handle, title: options.titles?.get(handle) ?? handle, questions: n }))
      .sort((a, b) => b.questions - a.questions || a.handle.localeCompare(b.handle));
    themes.push({
      id,
      label: g.theme.label,
      count: g.count,
      examples: [...g.examples.values()].sort((a, b) => b.n - a.n || a.text.localeCompare(b.text)).slice(0, 5).map((e) => e.text),
      products,
      suggestedFix: fixFor(g.theme, products, g.count),
    });
  }
  // Biggest first; "other" last; ties by id so the order never wobbles.
  return themes.sort((a, b) => Number(a.id === "other") - Number(b.id === "other") || b.count - a.count || a.id.localeCompare(b.id));
}

export interface TopQuestion {
  question: string;
  normalized: string;
  count: number;
  refused: number;
}

/** Most asked questions by normalized text, showing the most common wording. */
export function topQuestions(rows: readonly { question: string; refused: boolean }[], limit = 20): TopQuestion[] {
  const groups = new Map<string, { count: number; refused: number; wordings: Map<string, number> }>();
  for (const r of rows) {
    const key = normalizeQuestion(r.question);
    if (!key) continue;
    const g = groups.get(key) ?? { count: 0, refused: 0, wordings: new Map() };
    g.count += 1;
    if (r.refused) g.refused += 1;
    const w = r.question.trim();
    g.wordings.set(w, (g.wordings.get(w) ?? 0) + 1);
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([normalized, g]) => ({
      normalized,
      question: [...g.wordings.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0],
      count: g.count,
      refused: g.refused,
    }))
    .sort((a, b) => b.count - a.count || a.normalized.localeCompare(b.normalized))
    .slice(0, limit);
}
