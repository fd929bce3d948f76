/**
 * Two question shapes that are about the catalog rather than one product:
 * "which of your dresses come in size 8" (a listing: every product meeting the
 * constraints) and "what goes with this dress" (complementary products of other
 * types). Read in every widget language (en, de, fr, es, nl). Pure.
 */

export type ListIntent = "listing" | "complement";

// "What would go with this", "to wear with", "matches", "pairs with", "complete the look",
// and the same asks in the other widget languages.
const COMPLEMENT = new RegExp(
  [
    String.raw`\b(?:goes?|going|go) (?:well |nicely )?(?:with|together)\b`,
    String.raw`\b(?:wear|style|combine|team) (?:it |this |them |these |that )?with\b`,
    String.raw`\bmatch(?:es|ing)?\b(?! (?:your|my) (?:question|order))`,
    String.raw`\bpairs? (?:well |nicely )?with\b|\bcomplete (?:the|my) (?:look|outfit|set)\b|\bcomplements?\b`,
    String.raw`\bpass(?:t|en|end|ende|endes|enden)? (?:gut |perfekt )?(?:zu|dazu)\b|\bdazu (?:tragen|kombinieren)\b|\bkombinier(?:e|en)? (?:ich |man )?(?:\S+ )?mit\b|\bzu (?:diesem|dieser|diesen) \S+ tragen\b`,
    String.raw`\bva(?:s|nt)? (?:bien |parfaitement )?avec\b|\bvont (?:bien )?avec\b|\bassorti(?:e|es|s|r)?\b|\bporter avec\b|\bassocier (?:avec|à)\b`,
    String.raw`\bcombina(?:n|r)? (?:bien )?con\b|\bva (?:bien )?con\b|\bqueda(?:n)? bien con\b|\bllevar con\b|\ba juego con\b`,
    String.raw`\bpas(?:t|sen|send|sende)? (?:goed |mooi )?bij\b|\bcombineren met\b|\bdragen (?:bij|met)\b|\bmatcht\b`,
  ].join("|"),
  "iu",
);

// "Which of your dresses…", "all waterproof jackets", "what X do you have", "how many",
// "show me every…"; the other widget languages' words for which / all / list.
const LISTING_CUE =
  /(?<![\p{L}])(?:which|what|all|every|list|show me|how many|welche[rsnm]?|alle[snm]?|zeig(?:e|en sie)? mir|wie viele|quel(?:le)?s|tou(?:te)?s les|liste[rz]?|combien de|cu[aá]les|qu[eé]|tod[oa]s l[oa]s|lista|cu[aá]nt[oa]s|welke|toon|hoeveel)(?![\p{L}])/iu;

// Without a product type, the shopper says they mean the whole catalog: "all", "every", "which products".
const WHOLE_CATALOG =
  /(?<![\p{L}])(?:all|every|list|show me|how many|products|items|alle[snm]?|produkte|artikel|tou(?:te)?s les|produits|articles|tod[oa]s l[oa]s|productos|art[ií]culos|producten|artikelen)(?![\p{L}])/iu;

// Asking for the best pick or a suggestion is a recommendation, not a full list.
const PICK_ONE = /\b(best|recommend|suggest|should i|favou?rite|beste[nrs]?|empfehl\w*|meilleur\w*|conseill\w*|recommand\w*|mejor(?:es)?|recomiend\w*|recomendar\w*|aanbevel\w*|aanrad\w*)\b/iu;

export interface ListIntentInput {
  question: string;
  /** The shopper refers to the product in view ("this dress", "it"). */
  refersToContext: boolean;
  /** A product is in view or named in the question. */
  hasProduct: boolean;
  /** A product type the shop sells was named as a wish ("dresses"). */
  productType?: string;
  /** Option values, price bounds or stock were asked for. */
  hasConstraints: boolean;
}

/**
 * "This", "it", "diesem", "cette", "este", "deze": the shopper points at a product they see. In
 * French, "ce" only as a determiner ("ce pantalon"), not in "qu'est-ce".
 */
const POINTS_AT_PRODUCT =
  /(?<![\p{L}-])(?:this|these|it|dies(?:e[rsmn]?|es)?|dazu|cet|cette|ces|ce(?= \p{L})|est[eao]s?|dit|deze)(?![\p{L}])/iu;

export function detectListIntent(input: ListIntentInput): ListIntent | undefined {
  const q = input.question;
  // "What goes with this dress?" with no product in view or named still asks for a complement, of
  // a product still to be named; never a listing of dresses. The pointing word must follow the cue:
  // in "is this in stock, and what goes with jeans?" nothing points at what to match.
  const cue = COMPLEMENT.exec(q);
  if (cue && (input.hasProduct || POINTS_AT_PRODUCT.test(q.slice(cue.index)))) return "complement";
  if (input.refersToContext && input.hasProduct) return undefined;
  if (!LISTING_CUE.test(q) || PICK_ONE.test(q)) return undefined;
  if (input.productType || (input.hasConstraints && WHOLE_CATALOG.test(q))) {
    return "listing";
  }
  return undefined;
}

/** "Can I buy it right now", "heute", "maintenant", "ahora", "nu": a catalog-wide ask for what is in stock. */
const NOW = /(?<![\p{L}])(?:right now|now|today|currently|immediately|jetzt|sofort|heute|aktuell|gerade|derzeit|maintenant|aujourd'hui|actuellement|en ce moment|tout de suite|ahora(?: mismo)?|hoy|ya|en este momento|nu|vandaag|direct|meteen|op dit moment|momenteel)(?![\p{L}])/iu;

export function asksForNow(question: string): boolean {
  return NOW.test(question);
}
