/**
 * Admin GraphQL product shapes -> CatalogProduct. Shared by the bulk JSONL
 * parser (children arrive on their own lines) and single-product fetches
 * (children arrive nested), so both produce identical products.
 */
import type { CatalogMetafield, CatalogProduct, CatalogVariant } from "./types";
import { gidType, numericIdFromGid } from "./shopify-admin-client";
import { UNKNOWN_TIMESTAMP } from "./batch";
import { withComplementaryProducts } from "./complementary-products";

/** Product fields selected everywhere (bulk and single fetch); connections are added per use. */
export const PRODUCT_SCALAR_FIELDS = `id
handle
title
descriptionHtml
productType
vendor
tags
status
publishedAt
onlineStoreUrl
updatedAt
options { name values }`;

export const VARIANT_FIELDS = `id
title
sku
price
compareAtPrice
availableForSale
inventoryQuantity
selectedOptions { name value }`;

export const COLLECTION_FIELDS = `id
title`;

export const METAFIELD_FIELDS = `id
namespace
key
value
type
definition { name }`;

export const MEDIA_FIELDS = `id
alt
mediaContentType
preview { image { url altText } }
... on MediaImage { image { url altText } }`;

export interface GqlProductNode {
  id: string;
  handle?: string | null;
  title?: string | null;
  descriptionHtml?: string | null;
  productType?: string | null;
  vendor?: string | null;
  tags?: string[] | null;
  status?: string | null;
  publishedAt?: string | null;
  onlineStoreUrl?: string | null;
  updatedAt?: string | null;
  options?: { name: string; values?: string[] | null }[] | null;
}

export interface GqlVariantNode {
  id: string;
  title?: string | null;
  sku?: string | null;
  price?: string | number | null;
  compareAtPrice?: string | number | null;
  availableForSale?: boolean | null;
  inventoryQuantity?: number | null;
  selectedOptions?: { name: string; value: string }[] | null;
}

export interface GqlCollectionNode {
  id?: string;
  title?: string | null;
}

export interface GqlMetafieldNode {
  id?: string;
  namespace?: string | null;
  key?: string | null;
  value?: string | null;
  type?: string | null;
  definition?: { name?: string | null } | null;
}

export interface GqlImage {
  url?: string | null;
  altText?: string | null;
}

export interface GqlMediaNode {
  id?: string;
  alt?: string | null;
  mediaContentType?: string | null;
  image?: GqlImage | null;
  preview?: { image?: GqlImage | null } | null;
}

export interface GqlProductChildren {
  variants: GqlVariantNode[];
  collections: GqlCollectionNode[];
  metafields: GqlMetafieldNode[];
  media: GqlMediaNode[];
}

export type MappingResult<T> = { ok: true; value: T; warnings: string[] } | { ok: false; message: string };

const STATUS: Record<string, CatalogProduct["status"]> = {
  ACTIVE: "active",
  DRAFT: "draft",
  ARCHIVED: "archived",
  // Unlisted (2025-10+) products are live but reachable only by direct link; kept
  // active, and treated as unpublished below so the assistant never surfaces them.
  UNLISTED: "active",
};

/** Which child collection a bulk JSONL line belongs to, from its gid type. */
export function childKindOfGid(gid: string): keyof GqlProductChildren | null {
  const type = gidType(gid);
  switch (type) {
    case "ProductVariant":
      return "variants";
    case "Collection":
      return "collections";
    case "Metafield":
      return "metafields";
    case "MediaImage":
    case "Video":
    case "ExternalVideo":
    case "Model3d":
      return "media";
    default:
      return null;
  }
}

export function mapProductNode(
  node: GqlProductNode,
  children: GqlProductChildren,
  currency: string | null,
): MappingResult<CatalogProduct> {
  const id = typeof node.id === "string" ? numericIdFromGid(node.id) : null;
  if (!id) return { ok: false, message: `product has no usable id (${JSON.stringify(node.id)})` };
  if (!node.handle) return { ok: false, message: `product ${id} has no handle` };
  if (typeof node.title !== "string") return { ok: false, message: `product ${id} has no title` };
  const statusRaw = (node.status ?? "ACTIVE").toUpperCase();
  const status = STATUS[statusRaw];
  if (!status) return { ok: false, message: `product ${id} has an unknown status "${node.status}"` };

  let options = (node.options ?? []).map((o) => ({ name: o.name, values: [...(o.values ?? [])] }));
  // A product without real options has one "Title: Default Title" option; like the
  // file parsers, keep none so nothing reads "Title" as a shopper-facing choice.
  const defaultOnly =
    options.length === 1 && options[0].name === "Title" && options[0].values.length <= 1 && (options[0].values[0] ?? "Default Title") === "Default Title";
  if (defaultOnly) options = [];

  const warnings: string[] = [];
  const variants: CatalogVariant[] = [];
  for (const v of children.variants) {
    const mapped = mapVariantNode(v);
    if (!mapped.ok) {
      warnings.push(`product ${id}: ${mapped.message}`);
      continue;
    }
    if (defaultOnly) mapped.value.options = {};
    variants.push(mapped.value);
  }

  const collections: string[] = [];
  for (const c of children.collections) {
    if (c.title && !collections.includes(c.title)) collections.push(c.title);
  }

  const metafields: CatalogMetafield[] = [];
  for (const m of children.metafields) {
    if (!m.namespace || !m.key || m.value === null || m.value === undefined) {
      warnings.push(`product ${id}: a metafield lacks namespace, key or value`);
      continue;
    }
    metafields.push({
      namespace: m.namespace,
      key: m.key,
      value: m.value,
      label: m.definition?.name?.trim() || humanizeKey(m.key),
    });
  }

  const images: CatalogProduct["images"] = [];
  for (const m of children.media) {
    const isImage = m.mediaContentType ? m.mediaContentType === "IMAGE" : gidType(m.id ?? "") === "MediaImage";
    if (!isImage) continue;
    const image = m.image ?? m.preview?.image ?? null;
    if (!image?.url) continue;
    images.push({ url: image.url, altText: image.altText || m.alt || null });
  }

  return {
    ok: true,
    warnings,
    value: withComplementaryProducts({
      id,
      handle: node.handle,
      title: node.title,
      descriptionHtml: node.descriptionHtml ?? "",
      productType: node.productType ?? "",
      vendor: node.vendor ?? "",
      tags: Array.isArray(node.tags) ? node.tags.filter((t) => typeof t === "string" && t.length > 0) : [],
      status,
      // publishedAt is the Online Store publication date: null means shoppers cannot see it.
      published: Boolean(node.publishedAt) && statusRaw !== "UNLISTED",
      options,
      variants,
      collections,
      metafields,
      images,
      url: `/products/${node.handle}`,
      updatedAt: node.updatedAt ?? UNKNOWN_TIMESTAMP,
      currency,
    }),
  };
}

export function mapVariantNode(v: GqlVariantNode): MappingResult<CatalogVariant> {
  const id = typeof v.id === "string" ? numericIdFromGid(v.id) : null;
  if (!id) return { ok: false, message: `a variant has no usable id (${JSON.stringify(v.id)})` };
  const price = parseMoney(v.price);
  if (price === null) return { ok: false, message: `variant ${id} has no valid price (${JSON.stringify(v.price)})` };
  const options: Record<string, string> = {};
  for (const o of v.selectedOptions ?? []) options[o.name] = o.value;
  return {
    ok: true,
    warnings: [],
    value: {
      id,
      title: v.title ?? "",
      sku: v.sku ? v.sku : null,
      price,
      compareAtPrice: parseMoney(v.compareAtPrice),
      available: v.availableForSale === true,
      inventoryQuantity: typeof v.inventoryQuantity === "number" ? v.inventoryQuantity : null,
      options,
    },
  };
}

/** Money scalars arrive as decimal strings ("49.50"). */
function parseMoney(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** "care_guide" -> "Care guide": a readable label when a metafield has no definition. */
export function humanizeKey(key: string): string {
  const words = key.replace(/[_\-.]+/g, " ").trim();
  return words.length === 0 ? key : words[0].toUpperCase() + words.slice(1);
}
