/**
 * The training set from the merchant's best copy. Pure: products, the brand brief and
 * (when the app may read orders) units sold in; examples, a product-wise train and
 * validation split, and every reason a product was flagged or left out come back.
 *
 * Ranking: units sold when orders are readable and there are enough of them; else the
 * merchant's own picks; else every product with usable copy. Pins always come first and
 * excludes never count. Nothing is usable unless `ok`: a caller writes or uploads nothing else.
 */
import { createHash } from "node:crypto";
import { htmlToText } from "../../catalog/html-to-text";
import type { CatalogProduct } from "../../catalog/types";
import { countExampleTokens, countTextTokens } from "./count-tokens";
import { describeClaim, factBasisOf, findUnbackedClaims } from "./fact-check";
import { hasFacts, productFactsText } from "./product-facts";
import { toSafeHtml } from "./safe-html";
import { scrubContactDetails } from "./scrub-contact";
import type { ChatExample, DatasetNote, DatasetOptions, RankingSource, VoiceDatasetResult, VoiceExample } from "./types";

export const DATASET_LIMITS = {
  minExamples: 10,
  recommendedExamples: 50,
  maxExamples: 500,
  minOrders: 20,
  /** Longer examples are truncated by most trainers, which teaches copy that stops mid-sentence. */
  maxExampleTokens: 4096,
  maxBriefTokens: 1000,
  validationShare: 0.2,
  /** Shared share of three-word runs above which two descriptions count as one. */
  nearDuplicate: 0.8,
  /** Fewer visible characters than this is no copy to learn from. */
  minCopyChars: 40,
} as const;

/** Three-word runs of a text, for near-duplicate detection. */
function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  if (words.length < 3 && words.length > 0) out.add(words.join(" "));
  return out;
}

/**
 * Descriptions seen so far, indexed by phrase: a new one is compared only with those
 * sharing a phrase, so a catalog of thousands is not compared pair by pair.
 */
class NearDuplicateIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly sizes: number[] = [];
  private readonly handles: string[] = [];

  /** The most similar earlier description at or above `threshold`, if any. */
  closest(own: Set<string>, threshold: number): { handle: string; similarity: number } | null {
    const shared = new Map<number, number>();
    for (const s of own) for (const doc of this.postings.get(s) ?? []) shared.set(doc, (shared.get(doc) ?? 0) + 1);
    let best: { handle: string; similarity: number } | null = null;
    for (const [doc, count] of shared) {
      const similarity = count / (own.size + this.sizes[doc] - count);
      if (similarity >= threshold && (!best || similarity > best.similarity)) best = { handle: this.handles[doc], similarity };
    }
    return best;
  }

  add(handle: string, own: Set<string>): void {
    const doc = this.handles.length;
    this.handles.push(handle);
    this.sizes.push(own.size);
    for (const s of own) {
      const list = this.postings.get(s);
      if (list) list.push(doc);
      else this.postings.set(s, [doc]);
    }
  }
}

function numericId(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}

/** Validation membership by a hash of the handle: the same product stays held out across rebuilds. */
function splitKey(handle: string): string {
  return createHash("sha256").update(handle).digest("hex");
}

export function buildChatExample(brief: string, product: CatalogProduct, copyHtml: string): ChatExample {
  return {
    messages: [
      { role: "system", content: brief.trim() },
      { role: "user", content: productFactsText(product) },
      { role: "assistant", content: copyHtml },
    ],
  };
}

interface Ranked {
  products: CatalogProduct[];
  source: RankingSource;
  note: string;
}

function rankProducts(options: DatasetOptions, usable: CatalogProduct[], unknownPins: string[]): Ranked {
  const pins = new Set(options.pins ?? []);
  const pinned = usable.filter((p) => pins.has(p.handle));
  const rest = usable.filter((p) => !pins.has(p.handle));
  const minOrders = options.minOrders ?? DATASET_LIMITS.minOrders;
  const sales = options.sales;
  const pinNote = unknownPins.length ? ` Pinned products not found: ${unknownPins.join(", ")}.` : "";
  if (sales && sales.orders >= minOrders) {
    const units = (p: CatalogProduct) => sales.units[numericId(p.id)] ?? 0;
    const sold = rest.filter((p) => units(p) > 0).sort((a, b) => units(b) - units(a) || a.handle.localeCompare(b.handle));
    return {
      products: [...pinned, ...sold],
      source: "orders",
      note: `Ranked by units sold over the last ${sales.windowDays} days (${sales.orders} orders); ${pinned.length} pinned first.${pinNote}`,
    };
  }
  const why = sales ? `Only ${sales.orders} orders in the last ${sales.windowDays} days (${minOrders} needed to rank by sales)` : (options.salesUnavailable ?? "Orders were not read");
  if (pinned.length > 0) {
    return { products: pinned, source: "merchant-picks", note: `${why}: using the ${pinned.length} products you picked.${pinNote}` };
  }
  return { products: rest, source: "catalog", note: `${why}, and no products are picked: using every product with copy.${pinNote}` };
}

export function buildVoiceDataset(options: DatasetOptions): VoiceDatasetResult {
  const brief = options.brief.trim();
  const flagged: DatasetNote[] = [];
  const dropped: DatasetNote[] = [];
  const notes: DatasetNote[] = [];
  const errors: VoiceDatasetResult["errors"] = [];
  const advice: string[] = [];
  if (!brief) errors.push({ code: "missing_brief", message: "Write the brand brief first: it is the instruction every example is trained with." });
  else if (countTextTokens(brief) > DATASET_LIMITS.maxBriefTokens) {
    errors.push({ code: "brief_too_long", message: `The brand brief is over ${DATASET_LIMITS.maxBriefTokens} tokens; keep it to the voice, not the catalog.` });
  }

  const excludes = new Set(options.excludes ?? []);
  const handles = new Set(options.products.map((p) => p.handle));
  const unknownPins = (options.pins ?? []).filter((h) => !handles.has(h));
  for (const handle of unknownPins) dropped.push({ handle, code: "unknown_pin", reason: "Pinned, but no product has this handle." });
  const usable: CatalogProduct[] = [];
  for (const product of options.products) {
    if (excludes.has(product.handle)) {
      dropped.push({ handle: product.handle, code: "excluded", reason: "Excluded by you." });
      continue;
    }
    if (product.status !== "active") continue;
    usable.push(product);
  }
  const ranked = rankProducts(options, usable, unknownPins);
  const maxExamples = options.maxExamples ?? DATASET_LIMITS.maxExamples;
  const maxTokens = options.maxExampleTokens ?? DATASET_LIMITS.maxExampleTokens;

  const kept: VoiceExample[] = [];
  const seenPhrases = new NearDuplicateIndex();
  const seenText = new Map<string, string>();
  for (const product of ranked.products) {
    if (kept.length >= maxExamples) break;
    const scrub = scrubContactDetails(toSafeHtml(product.descriptionHtml));
    const copyHtml = toSafeHtml(scrub.text);
    const plain = htmlToText(copyHtml).trim();
    if (plain.length < DATASET_LIMITS.minCopyChars) {
      dropped.push({ handle: product.handle, code: "empty_copy", reason: plain ? `The description is too short to learn from (${plain.length} characters).` : "The description is empty." });
      continue;
    }
    if (!hasFacts(product)) {
      dropped.push({ handle: product.handle, code: "no_facts", reason: "The product has no facts besides its title (no type, vendor, options, tags or metafields): the model could only learn to invent." });
      continue;
    }
    if (scrub.emails + scrub.phones > 0) {
      const what = [scrub.emails ? `${scrub.emails} email address${scrub.emails > 1 ? "es" : ""}` : "", scrub.phones ? `${scrub.phones} phone number${scrub.phones > 1 ? "s" : ""}` : ""].filter(Boolean).join(" and ");
      notes.push({ handle: product.handle, code: "scrubbed_contact", reason: `Removed ${what} from the copy.` });
    }
    const normalized = plain.toLowerCase().replace(/\s+/g, " ");
    const twin = seenText.get(normalized);
    if (twin) {
      dropped.push({ handle: product.handle, code: "duplicate", reason: `The same description as ${twin}.` });
      continue;
    }
    const own = shingles(plain);
    const near = seenPhrases.closest(own, DATASET_LIMITS.nearDuplicate);
    if (near) {
      dropped.push({ handle: product.handle, code: "near_duplicate", reason: `Nearly the same description as ${near.handle} (${Math.round(near.similarity * 100)}% shared phrases).` });
      continue;
    }
    const example = buildChatExample(brief, product, copyHtml);
    const tokens = countExampleTokens(example);
    if (tokens > maxTokens) {
      dropped.push({ handle: product.handle, code: "too_long", reason: `The example is ${tokens} tokens; the limit is ${maxTokens}. Shorten the description or exclude it.` });
      continue;
    }
    const claims = findUnbackedClaims(copyHtml, factBasisOf(product));
    if (claims.length > 0) {
      const note: DatasetNote = { handle: product.handle, code: "unbacked_claim", reason: `The copy states facts the product data lacks: ${claims.slice(0, 5).map(describeClaim).join("; ")}${claims.length > 5 ? `; and ${claims.length - 5} more` : ""}. Add them as facts (tags, metafields) or exclude the product.` };
      if (options.dropFlagged) {
        dropped.push(note);
        continue;
      }
      flagged.push(note);
    }
    seenText.set(normalized, product.handle);
    seenPhrases.add(product.handle, own);
    kept.push({ productId: product.id, handle: product.handle, title: product.title, example, tokens });
  }

  const examples = kept;
  if (examples.length < DATASET_LIMITS.minExamples) {
    errors.push({
      code: "too_few_examples",
      message: `Only ${examples.length} product${examples.length === 1 ? " has" : "s have"} usable copy; at least ${DATASET_LIMITS.minExamples} are needed (${DATASET_LIMITS.recommendedExamples} or more recommended). Pin more products or improve their descriptions.`,
    });
  } else if (examples.length < DATASET_LIMITS.recommendedExamples) {
    advice.push(`${examples.length} examples will train, but ${DATASET_LIMITS.recommendedExamples} or more hold the voice better.`);
  }

  const share = options.validationShare ?? DATASET_LIMITS.validationShare;
  const validationCount = examples.length < 2 ? 0 : Math.max(1, Math.round(examples.length * share));
  const held = new Set([...examples].sort((a, b) => splitKey(a.handle).localeCompare(splitKey(b.handle))).slice(0, validationCount).map((e) => e.handle));
  const trainExamples = examples.filter((e) => !held.has(e.handle));
  const validationExamples = examples.filter((e) => held.has(e.handle));
  const side = (list: VoiceExample[]) => ({ handles: list.map((e) => e.handle), tokens: list.reduce((s, e) => s + e.tokens, 0) });
  return {
    ok: errors.length === 0,
    examples: examples.length,
    train: side(trainExamples),
    validation: side(validationExamples),
    flagged,
    dropped,
    notes,
    ranking: { source: ranked.source, note: ranked.note },
    errors,
    advice,
    trainExamples,
    validationExamples,
  };
}

/** One chat example per line: what OpenAI, Together and most open trainers read. */
export function toJsonl(examples: VoiceExample[]): string {
  return examples.map((e) => JSON.stringify(e.example)).join("\n") + (examples.length ? "\n" : "");
}
