/**
 * An in-memory cart for the demo storefront that answers like Shopify's Cart
 * AJAX API (/cart/add.js and /cart.js): amounts in cents, line items merged by
 * variant, the same error bodies. One instance per visitor; no I/O.
 */
import type { CatalogProduct, CatalogVariant } from "../catalog/types";
import type { CartAddResult, CartErrorJson, CartJson, CartLineItem } from "./types";

export interface PreviewCart {
  /** Body of POST /cart/add.js: {items: [{id, quantity}]} or the single-item form {id, quantity}. */
  add(body: unknown): CartAddResult;
  /** Body of GET /cart.js. */
  get(): CartJson;
  clear(): void;
}

export interface CreatePreviewCartOptions {
  products: CatalogProduct[];
  currency: string;
  token?: string;
}

const MAX_QUANTITY = 999;

export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/** A numeric id stays a number, as Shopify's JSON has it; synthetic ids stay strings. */
export function toShopifyId(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

export function createPreviewCart(options: CreatePreviewCartOptions): PreviewCart {
  const byVariant = new Map<string, { product: CatalogProduct; variant: CatalogVariant }>();
  for (const product of options.products) {
    if (product.status !== "active" || !product.published) continue;
    for (const variant of product.variants) byVariant.set(String(variant.id), { product, variant });
  }
  const token = options.token ?? `preview-${Math.random().toString(36).slice(2, 12)}`;
  let lines: { variantId: string; quantity: number }[] = [];

  function fail(status: 400 | 404 | 422, description: string): CartAddResult {
    const body: CartErrorJson = { status, message: "Cart Error", description };
    return { ok: false, status, body };
  }

  function lineItem(variantId: string, quantity: number): CartLineItem {
    const found = byVariant.get(variantId);
    if (!found) throw new Error(`unknown variant ${variantId}`);
    const { product, variant } = found;
    const price = toCents(variant.price);
    const isDefault = product.variants.length === 1 && variant.title === "Default Title";
    return {
      id: toShopifyId(variant.id),
      variant_id: toShopifyId(variant.id),
      key: `${variant.id}:${hashHex(variant.id)}`,
      quantity,
      title: isDefault ? product.title : `${product.title} - ${variant.title}`,
      product_title: product.title,
      variant_title: isDefault ? null : variant.title,
      product_id: toShopifyId(product.id),
      handle: product.handle,
      url: `${product.url}?variant=${variant.id}`,
      image: product.images[0]?.url ?? null,
      sku: variant.sku,
      vendor: product.vendor,
      product_type: product.productType,
      price,
      original_price: price,
      final_price: price,
      line_price: price * quantity,
      original_line_price: price * quantity,
      final_line_price: price * quantity,
      total_discount: 0,
      discounts: [],
      options_with_values: Object.entries(variant.options).map(([name, value]) => ({ name, value })),
      properties: {},
      requires_shipping: true,
      taxable: true,
      gift_card: false,
    };
  }

  function parseItems(body: unknown): { id: string; quantity: number }[] | string {
    if (!body || typeof body !== "object") return "Send {items: [{id, quantity}]} as JSON.";
    const raw = Array.isArray((body as { items?: unknown }).items)
      ? ((body as { items: unknown[] }).items)
      : "id" in body
        ? [body]
        : null;
    if (!raw || raw.length === 0) return "Send {items: [{id, quantity}]} as JSON.";
    const items: { id: string; quantity: number }[] = [];
    for (const entry of raw) {
      const item = entry as { id?: unknown; quantity?: unknown };
      if (typeof item?.id !== "number" && typeof item?.id !== "string") return "Each item needs a variant id.";
      const quantity = item.quantity === undefined ? 1 : Number(item.quantity);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
        return `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`;
      }
      items.push({ id: String(item.id), quantity });
    }
    return items;
  }

  return {
    add(body) {
      const items = parseItems(body);
      if (typeof items === "string") return fail(400, items);
      // Check everything first so a bad item adds nothing, as Shopify does.
      for (const item of items) {
        const found = byVariant.get(item.id);
        if (!found) return fail(404, "Cannot find variant");
        const { product, variant } = found;
        if (!variant.available) return fail(422, `The product '${product.title}' is already sold out.`);
        const inCart = lines.find((l) => l.variantId === item.id)?.quantity ?? 0;
        const stock = variant.inventoryQuantity;
        if (stock !== null && stock > 0 && inCart + item.quantity > stock) {
          return fail(422, `You can only add ${stock} ${product.title} to the cart.`);
        }
      }
      const touched: string[] = [];
      for (const item of items) {
        const line = lines.find((l) => l.variantId === item.id);
        if (line) line.quantity += item.quantity;
        else lines.push({ variantId: item.id, quantity: item.quantity });
        if (!touched.includes(item.id)) touched.push(item.id);
      }
      const added = touched.map((id) => lineItem(id, lines.find((l) => l.variantId === id)!.quantity));
      const single = !Array.isArray((body as { items?: unknown }).items);
      return { ok: true, status: 200, body: single ? added[0] : { items: added } };
    },

    get() {
      const items = lines.map((l) => lineItem(l.variantId, l.quantity));
      const total = items.reduce((sum, item) => sum + item.final_line_price, 0);
      return {
        token,
        note: null,
        attributes: {},
        original_total_price: total,
        total_price: total,
        total_discount: 0,
        total_weight: 0,
        item_count: items.reduce((sum, item) => sum + item.quantity, 0),
        items,
        requires_shipping: items.some((item) => item.requires_shipping),
        currency: options.currency,
        items_subtotal_price: total,
        cart_level_discount_applications: [],
      };
    },

    clear() {
      lines = [];
    },
  };
}

/** Short stable hex of a string (FNV-1a), for line item keys. */
function hashHex(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
