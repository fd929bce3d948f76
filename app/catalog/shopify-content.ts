/**
 * Smaller Admin GraphQL reads: policies, pages, the shop's profile, and one
 * product at a time (webhooks and inventory updates).
 */
import type { CatalogPage, CatalogPolicy, CatalogProduct, PolicyType } from "./types";
import { htmlToText } from "./html-to-text";
import { UNKNOWN_TIMESTAMP } from "./batch";
import { ShopifyAdminError, numericIdFromGid, requireData, toGid, type AdminGraphqlClient, type AdminGraphqlResponse } from "./shopify-admin-client";
import {
  COLLECTION_FIELDS,
  MEDIA_FIELDS,
  METAFIELD_FIELDS,
  PRODUCT_SCALAR_FIELDS,
  VARIANT_FIELDS,
  mapProductNode,
  type GqlCollectionNode,
  type GqlMediaNode,
  type GqlMetafieldNode,
  type GqlProductNode,
  type GqlVariantNode,
} from "./shopify-product-mapping";

// ---------------------------------------------------------------- policies

const SHOP_POLICIES_QUERY = `#graphql
query ShopPolicies {
  shop {
    shopPolicies { id type title body url updatedAt }
  }
}`;

/** Shopify's ShopPolicyType -> ours. Terms of sale and of service both answer "terms" questions. */
const POLICY_TYPES: Record<string, PolicyType> = {
  REFUND_POLICY: "refund",
  SHIPPING_POLICY: "shipping",
  PRIVACY_POLICY: "privacy",
  TERMS_OF_SERVICE: "terms",
  TERMS_OF_SALE: "terms",
  CONTACT_INFORMATION: "contact",
  LEGAL_NOTICE: "legal_notice",
  SUBSCRIPTION_POLICY: "subscription",
};

export function mapShopPolicyType(type: string): PolicyType | null {
  return POLICY_TYPES[type] ?? null;
}

interface GqlShopPolicy {
  id: string;
  type: string;
  title: string;
  body: string;
  url: string;
  updatedAt: string;
}

/** The shop's configured policies as text; empty policies and unknown types are left out. */
export async function fetchShopPolicies(client: AdminGraphqlClient): Promise<CatalogPolicy[]> {
  const data = requireData(await client<{ shop: { shopPolicies: GqlShopPolicy[] } }>(SHOP_POLICIES_QUERY), "the shop's policies");
  const policies: CatalogPolicy[] = [];
  for (const p of data.shop?.shopPolicies ?? []) {
    const type = mapShopPolicyType(p.type);
    const body = htmlToText(p.body ?? "", { markdownHeadings: true }).trim();
    if (!type || body === "") continue;
    policies.push({
      id: numericIdFromGid(p.id) ?? p.id,
      type,
      title: p.title,
      body,
      url: storefrontPath(p.url),
      updatedAt: p.updatedAt ?? UNKNOWN_TIMESTAMP,
    });
  }
  return policies;
}

/** "https://shop.example/policies/refund-policy" -> "/policies/refund-policy", like product URLs. */
function storefrontPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------- pages

const PAGES_QUERY = `#graphql
query Pages($first: Int!, $after: String) {
  pages(first: $first, after: $after) {
    nodes { id handle title body isPublished publishedAt updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface PagesData {
  pages: { nodes: GqlPage[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface GqlPage {
  id: string;
  handle: string;
  title: string;
  body: string;
  isPublished: boolean;
  publishedAt: string | null;
  updatedAt: string;
}

/** Every online store page, following cursors; hidden pages come back with published: false. */
export async function fetchPages(client: AdminGraphqlClient, options: { pageSize?: number } = {}): Promise<CatalogPage[]> {
  const first = Math.min(250, Math.max(1, options.pageSize ?? 100));
  const pages: CatalogPage[] = [];
  let after: string | null = null;
  for (;;) {
    const response: AdminGraphqlResponse<PagesData> = await client<PagesData>(PAGES_QUERY, { first, after });
    const data: PagesData = requireData(response, "the store's pages");
    for (const p of data.pages.nodes) {
      pages.push({
        id: numericIdFromGid(p.id) ?? p.id,
        handle: p.handle,
        title: p.title,
        body: htmlToText(p.body ?? "", { markdownHeadings: true }).trim(),
        url: `/pages/${p.handle}`,
        published: p.isPublished,
        updatedAt: p.updatedAt ?? UNKNOWN_TIMESTAMP,
      });
    }
    const { hasNextPage, endCursor } = data.pages.pageInfo;
    if (!hasNextPage || !endCursor) return pages;
    after = endCursor;
  }
}

// ---------------------------------------------------------------- shop

const SHOP_PROFILE_QUERY = `#graphql
query ShopProfile {
  shop {
    name
    contactEmail
    currencyCode
    primaryDomain { url host }
    myshopifyDomain
  }
}`;

export interface ShopProfile {
  name: string;
  contactEmail: string | null;
  /** ISO 4217, e.g. "GBP". */
  currency: string;
  /** The storefront's public address, e.g. "https://www.example.com". */
  primaryDomainUrl: string;
  myshopifyDomain: string;
}

export async function fetchShopProfile(client: AdminGraphqlClient): Promise<ShopProfile> {
  const data = requireData(
    await client<{
      shop: {
        name: string;
        contactEmail: string | null;
        currencyCode: string;
        primaryDomain: { url: string; host: string };
        myshopifyDomain: string;
      };
    }>(SHOP_PROFILE_QUERY),
    "the shop's profile",
  );
  const shop = data.shop;
  return {
    name: shop.name,
    contactEmail: shop.contactEmail || null,
    currency: shop.currencyCode,
    primaryDomainUrl: shop.primaryDomain.url,
    myshopifyDomain: shop.myshopifyDomain,
  };
}

// ---------------------------------------------------------------- one product

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PRODUCT_BY_ID_QUERY = `#graphql
query ProductById($id: ID!) {
  product(id: $id) {
    ${PRODUCT_SCALAR_FIELDS}
    variants(first: 250) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } }
    collections(first: 100) { nodes { ${COLLECTION_FIELDS} } pageInfo { hasNextPage endCursor } }
    metafields(first: 100) { nodes { ${METAFIELD_FIELDS} } pageInfo { hasNextPage endCursor } }
    media(first: 50) { nodes { ${MEDIA_FIELDS} } pageInfo { hasNextPage endCursor } }
  }
}`;

// Products may have up to 2,048 variants: the rest are paged separately.
const PRODUCT_VARIANTS_PAGE_QUERY = `#graphql
query ProductVariantsPage($id: ID!, $after: String) {
  product(id: $id) {
    variants(first: 250, after: $after) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } }
  }
}`;

type GqlFullProduct = GqlProductNode & {
  variants: Connection<GqlVariantNode>;
  collections: Connection<GqlCollectionNode>;
  metafields: Connection<GqlMetafieldNode>;
  media: Connection<GqlMediaNode>;
};

/**
 * One product with its variants, collections, metafields and images, or null
 * when Shopify has no such product (deleted). `id` is numeric or a gid.
 */
export async function fetchProductById(
  client: AdminGraphqlClient,
  id: string,
  options: { currency?: string | null } = {},
): Promise<CatalogProduct | null> {
  const gid = toGid("Product", id);
  const data = requireData(await client<{ product: GqlFullProduct | null }>(PRODUCT_BY_ID_QUERY, { id: gid }), `product ${id}`);
  const product = data.product;
  if (!product) return null;

  const variants = [...product.variants.nodes];
  let pageInfo = product.variants.pageInfo;
  while (pageInfo.hasNextPage && pageInfo.endCursor) {
    const page = requireData(
      await client<{ product: { variants: Connection<GqlVariantNode> } | null }>(PRODUCT_VARIANTS_PAGE_QUERY, {
        id: gid,
        after: pageInfo.endCursor,
      }),
      `the variants of product ${id}`,
    );
    if (!page.product) return null;
    variants.push(...page.product.variants.nodes);
    pageInfo = page.product.variants.pageInfo;
  }

  const mapped = mapProductNode(
    product,
    {
      variants,
      collections: product.collections.nodes,
      metafields: product.metafields.nodes,
      media: product.media.nodes,
    },
    options.currency ?? null,
  );
  if (!mapped.ok) {
    throw new ShopifyAdminError("shopify_graphql_error", `Shopify returned product ${id} in an unusable shape: ${mapped.message}.`);
  }
  return mapped.value;
}

const INVENTORY_ITEM_QUERY = `#graphql
query InventoryItemVariant($id: ID!) {
  inventoryItem(id: $id) {
    id
    variant { id product { id } }
  }
}`;

/**
 * Inventory webhooks name an inventory item, not a variant: this finds the
 * variant and product to refetch. Null when the item no longer exists.
 */
export async function fetchVariantProductIdByInventoryItem(
  client: AdminGraphqlClient,
  inventoryItemId: string,
): Promise<{ productId: string; variantId: string } | null> {
  const data = requireData(
    await client<{ inventoryItem: { id: string; variant: { id: string; product: { id: string } } | null } | null }>(
      INVENTORY_ITEM_QUERY,
      { id: toGid("InventoryItem", inventoryItemId) },
    ),
    `inventory item ${inventoryItemId}`,
  );
  const variant = data.inventoryItem?.variant;
  if (!variant) return null;
  const productId = numericIdFromGid(variant.product.id);
  const variantId = numericIdFromGid(variant.id);
  if (!productId || !variantId) return null;
  return { productId, variantId };
}
