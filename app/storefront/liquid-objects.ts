/** CatalogProduct and friends turned into the Liquid objects a Shopify theme sees. */
import type { CatalogProduct } from "../catalog/types";
import { toCents, toShopifyId } from "./preview-cart";
import type { PreviewShop, StorefrontPageType } from "./types";

export interface LiquidVariant {
  id: number | string;
  title: string;
  price: number;
  compare_at_price: number | null;
  available: boolean;
  sku: string | null;
  option1: string | null;
  option2: string | null;
  option3: string | null;
  options: string[];
}

export interface LiquidProduct {
  id: number | string;
  handle: string;
  title: string;
  description: string;
  url: string;
  vendor: string;
  type: string;
  tags: string[];
  available: boolean;
  price: number;
  price_min: number;
  price_max: number;
  compare_at_price: number | null;
  options: string[];
  options_with_values: { name: string; position: number; values: string[] }[];
  has_only_default_variant: boolean;
  variants: LiquidVariant[];
  selected_or_first_available_variant: LiquidVariant | null;
  featured_image: { src: string; alt: string } | null;
  images: { src: string; alt: string }[];
}

/** Shoppers only ever see active, published products. */
export function isVisibleOnStorefront(product: CatalogProduct): boolean {
  return product.status === "active" && product.published;
}

export function findStorefrontProduct(products: CatalogProduct[], handle: string): CatalogProduct | null {
  return products.find((p) => p.handle === handle && isVisibleOnStorefront(p)) ?? null;
}

export function toLiquidProduct(product: CatalogProduct): LiquidProduct {
  const optionNames = product.options.map((o) => o.name);
  const variants: LiquidVariant[] = product.variants.map((v) => {
    const values = optionNames.map((name) => v.options[name] ?? null);
    return {
      id: toShopifyId(v.id),
      title: v.title,
      price: toCents(v.price),
      compare_at_price: v.compareAtPrice === null ? null : toCents(v.compareAtPrice),
      available: v.available,
      sku: v.sku,
      option1: values[0] ?? null,
      option2: values[1] ?? null,
      option3: values[2] ?? null,
      options: values.filter((x): x is string => x !== null),
    };
  });
  const prices = variants.map((v) => v.price);
  const first = variants.find((v) => v.available) ?? variants[0] ?? null;
  const onlyDefault =
    product.variants.length <= 1 &&
    (product.options.length === 0 ||
      (product.options.length === 1 && product.options[0].values.length === 1 && product.options[0].values[0] === "Default Title"));
  const images = product.images.map((i) => ({ src: i.url, alt: i.altText ?? product.title }));
  return {
    id: toShopifyId(product.id),
    handle: product.handle,
    title: product.title,
    description: product.descriptionHtml,
    url: product.url || `/products/${product.handle}`,
    vendor: product.vendor,
    type: product.productType,
    tags: product.tags,
    available: variants.some((v) => v.available),
    price: prices.length ? Math.min(...prices) : 0,
    price_min: prices.length ? Math.min(...prices) : 0,
    price_max: prices.length ? Math.max(...prices) : 0,
    compare_at_price: first?.compare_at_price ?? null,
    options: optionNames,
    options_with_values: product.options.map((o, i) => ({ name: o.name, position: i + 1, values: o.values })),
    has_only_default_variant: onlyDefault,
    variants,
    selected_or_first_available_variant: first,
    featured_image: images[0] ?? null,
    images,
  };
}

const PAGE_TYPES: Record<StorefrontPageType, string> = { home: "index", product: "product", collection: "collection" };

/** shop, request and routes: what every template and snippet can read. */
export function storefrontGlobals(shop: PreviewShop, locale: string, page: StorefrontPageType, path: string) {
  return {
    shop: {
      name: shop.name,
      currency: shop.currency,
      url: shop.url ?? "",
      email: shop.email ?? "",
      locale,
    },
    request: {
      page_type: PAGE_TYPES[page],
      path,
      design_mode: false,
      locale: { iso_code: locale, primary: true, root_url: "/" },
    },
    routes: {
      root_url: "/",
      cart_url: "/cart",
      cart_add_url: "/cart/add",
      cart_change_url: "/cart/change",
      cart_update_url: "/cart/update",
      all_products_collection_url: "/collections/all",
      collections_url: "/collections",
      search_url: "/search",
    },
  };
}
