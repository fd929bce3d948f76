/**
 * Sources for catalog-wide questions. A listing ("which dresses come in size 8")
 * must cover every product that meets the constraints, and a complement ("what
 * goes with this dress") picks from the whole catalog: both read the catalog
 * instead of the top search hits, and keep the full set of matches beside the
 * few products handed to the answerer.
 */
import { htmlToText } from "../catalog/html-to-text";
import type { CatalogProduct, CatalogReader } from "../catalog/types";
import { complementMatches, listingMatches } from "../retrieval/catalog-matches";
import type { QueryUnderstanding } from "../retrieval/understand-query";
import type { AnswerResult, AnswerSource } from "./types";

/** Products named in a listing answer; the rest are counted. */
export const LISTING_SHOWN = 6;
/** Complementary products recommended at once. */
export const COMPLEMENTS_SHOWN = 3;

export interface CatalogWideSources {
  sources: AnswerSource[];
  matches: NonNullable<AnswerResult["matches"]>;
}

export function isCatalogWide(u: QueryUnderstanding): boolean {
  return u.intent === "listing" || u.complementFor !== undefined;
}

function productSource(p: CatalogProduct, id: string): AnswerSource {
  const description = htmlToText(p.descriptionHtml).replace(/\s+/g, " ").trim();
  const text = description ? `${p.title}\n\n${description.length > 400 ? `${description.slice(0, 400)} …` : description}` : p.title;
  return { id, type: "product", title: p.title, url: p.url, text, score: 1, product: p };
}

export async function catalogWideSources(
  catalog: Pick<CatalogReader, "products" | "productByHandle">,
  shop: string,
  question: string,
  u: QueryUnderstanding,
): Promise<CatalogWideSources> {
  const products = await catalog.products(shop);
  if (u.intent === "listing") {
    const found = listingMatches(products, u, question);
    return {
      sources: found.slice(0, LISTING_SHOWN).map((m, i) => productSource(m.product, `S${i + 1}`)),
      matches: { total: found.length, handles: found.map((m) => m.product.handle) },
    };
  }
  const inView = u.complementFor ? (products.find((p) => p.handle === u.complementFor) ?? (await catalog.productByHandle(shop, u.complementFor))) : null;
  if (!inView) return { sources: [], matches: { total: 0, handles: [] } };
  const picked = complementMatches(products, inView, u, COMPLEMENTS_SHOWN);
  const sources = picked.map((m, i) => productSource(m.product, `S${i + 1}`));
  // The product in view comes last, so the answer can name what the picks go with.
  sources.push(productSource(inView, `S${sources.length + 1}`));
  return { sources, matches: { total: picked.length, handles: picked.map((m) => m.product.handle) } };
}
