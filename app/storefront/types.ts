/** Shapes of the demo storefront preview: what a route passes in, what the Cart AJAX API returns. */
import type { CatalogProduct } from "../catalog/types";

export type StorefrontPageType = "home" | "product" | "collection";

export interface PreviewShop {
  name: string;
  /** ISO 4217 code of the shop currency; catalog prices are in it. */
  currency: string;
  /** Shown to shoppers as the store's address, e.g. "https://demo.example". */
  url?: string;
  email?: string;
}

export interface RenderStorefrontPageInput {
  page: StorefrontPageType;
  /** The product of a product page (look it up with findStorefrontProduct). */
  product?: CatalogProduct;
  /** Products for the home grid or the collection page. Unpublished ones are never shown. */
  products: CatalogProduct[];
  collection?: { handle: string; title: string };
  shop: PreviewShop;
  /** Shopper locale, e.g. "fr" or "de-CH"; picks the extension's locale file. */
  locale: string;
  /** The visitor's cart as /cart.js returns it (PreviewCart.get()). */
  cart: CartJson;
  /** Root of the theme app extension (the folder holding shopify.extension.toml). */
  extensionDir: string;
  /** URL prefix the extension's assets/ folder is served under, e.g. "/extension-assets". */
  assetUrlBase: string;
  /** Overrides of the blocks' schema defaults, by block file name ("assistant-embed", "ask-product"). */
  blockSettings?: Record<string, Record<string, unknown>>;
  /** Leave the app embed or the product block out, e.g. to measure a page without the app. */
  withAppEmbed?: boolean;
  withProductBlock?: boolean;
}

export interface CartLineItem {
  id: number | string;
  variant_id: number | string;
  key: string;
  quantity: number;
  title: string;
  product_title: string;
  variant_title: string | null;
  product_id: number | string;
  handle: string;
  url: string;
  image: string | null;
  sku: string | null;
  vendor: string;
  product_type: string;
  /** Amounts in the currency's subunit (cents), as the Cart AJAX API returns them. */
  price: number;
  original_price: number;
  final_price: number;
  line_price: number;
  original_line_price: number;
  final_line_price: number;
  total_discount: number;
  discounts: never[];
  options_with_values: { name: string; value: string }[];
  properties: Record<string, string>;
  requires_shipping: boolean;
  taxable: boolean;
  gift_card: boolean;
}

export interface CartJson {
  token: string;
  note: string | null;
  attributes: Record<string, string>;
  original_total_price: number;
  total_price: number;
  total_discount: number;
  total_weight: number;
  item_count: number;
  items: CartLineItem[];
  requires_shipping: boolean;
  currency: string;
  items_subtotal_price: number;
  cart_level_discount_applications: never[];
}

/** The Cart AJAX API's error body, e.g. {status: 422, message: "Cart Error", description: "..."}. */
export interface CartErrorJson {
  status: number;
  message: string;
  description: string;
}

export type CartAddResult =
  | { ok: true; status: 200; body: { items: CartLineItem[] } | CartLineItem }
  | { ok: false; status: 400 | 404 | 422; body: CartErrorJson };
