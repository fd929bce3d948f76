import { describe, expect, it } from "vitest";
import { createPreviewCart } from "./preview-cart";
import { draftProduct, previewProducts, rainShell } from "./fixtures/preview-products";

const newCart = () => createPreviewCart({ products: previewProducts, currency: "EUR", token: "t1" });

describe("createPreviewCart", () => {
  it("GIVEN an empty cart WHEN two items are added THEN /cart/add.js lists them in cents and /cart.js totals them", () => {
    const cart = newCart();
    const result = cart.add({ items: [{ id: 41001, quantity: 2 }, { id: "43001" }] });
    expect(result.ok).toBe(true);
    const body = result.body as { items: { variant_id: number; quantity: number; final_line_price: number; title: string }[] };
    expect(body.items.map((i) => [i.variant_id, i.quantity, i.final_line_price])).toEqual([
      [41001, 2, 37800],
      [43001, 1, 5000],
    ]);
    expect(body.items[1].title).toBe("Gift card");
    const json = cart.get();
    expect(json).toMatchObject({ token: "t1", item_count: 3, total_price: 42800, currency: "EUR" });
    expect(json.items[0]).toMatchObject({ title: "Alpine Rain Shell - S / Navy", variant_title: "S / Navy", handle: rainShell.handle });
    expect(json.items[0].options_with_values).toEqual([{ name: "Size", value: "S" }, { name: "Color", value: "Navy" }]);
  });

  it("merges a variant added twice into one line, and the single-item form returns the line itself", () => {
    const cart = newCart();
    cart.add({ items: [{ id: 41002, quantity: 1 }] });
    const result = cart.add({ id: 41002, quantity: 2 });
    expect(result).toMatchObject({ ok: true, body: { variant_id: 41002, quantity: 3 } });
    expect(cart.get().items).toHaveLength(1);
  });

  it("answers like Shopify for unknown, sold-out and unpublished variants, and adds nothing from a bad batch", () => {
    const cart = newCart();
    expect(cart.add({ items: [{ id: 999, quantity: 1 }] })).toEqual({
      ok: false,
      status: 404,
      body: { status: 404, message: "Cart Error", description: "Cannot find variant" },
    });
    const soldOut = cart.add({ items: [{ id: 41001 }, { id: 41003 }] });
    expect(soldOut).toMatchObject({ ok: false, status: 422, body: { description: "The product 'Alpine Rain Shell' is already sold out." } });
    expect(cart.add({ items: [{ id: draftProduct.variants[0].id }] })).toMatchObject({ status: 404 });
    expect(cart.get().item_count).toBe(0);
  });

  it("refuses malformed bodies and quantities beyond stock with a readable description", () => {
    const cart = newCart();
    expect(cart.add(null)).toMatchObject({ status: 400 });
    expect(cart.add({ items: [{ id: 41001, quantity: 0 }] })).toMatchObject({ status: 400 });
    expect(cart.add({ items: [{ quantity: 1 }] })).toMatchObject({ status: 400, body: { description: "Each item needs a variant id." } });
    expect(cart.add({ items: [{ id: 41001, quantity: 11 }] })).toMatchObject({ status: 422, body: { description: "You can only add 10 Alpine Rain Shell to the cart." } });
  });

  it("clear() empties the cart", () => {
    const cart = newCart();
    cart.add({ items: [{ id: 41001 }] });
    cart.clear();
    expect(cart.get()).toMatchObject({ item_count: 0, total_price: 0, items: [] });
  });
});
