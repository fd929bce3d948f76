import { describe, expect, it } from "vitest";
import { normalizeWebhookTopic, parseWebhookPayload } from "./shopify-webhook-payloads";

const restProduct = {
  id: 632910392,
  title: "IPod Nano - 8GB",
  body_html: "<p>It's the small iPod with one very big idea.</p>",
  vendor: "Apple",
  product_type: "Cult Products",
  handle: "ipod-nano",
  updated_at: "2025-01-10T12:00:00-05:00",
  published_at: "2024-12-01T00:00:00-05:00",
  status: "active",
  tags: "Emotive, Flash Memory",
  admin_graphql_api_id: "gid://shopify/Product/632910392",
  options: [{ id: 1, product_id: 632910392, name: "Color", position: 1, values: ["Pink", "Red"] }],
  variants: [
    {
      id: 808950810,
      product_id: 632910392,
      title: "Pink",
      price: "199.00",
      sku: "IPOD2008PINK",
      option1: "Pink",
      option2: null,
      option3: null,
      inventory_item_id: 808950810,
      inventory_quantity: 10,
      inventory_management: "shopify",
      inventory_policy: "deny",
      compare_at_price: null,
      updated_at: "2025-01-10T12:00:00-05:00",
    },
  ],
  images: [{ id: 850703190, src: "https://cdn.shopify.com/ipod.png", alt: "Pink iPod" }],
};

describe("parseWebhookPayload", () => {
  it("GIVEN a products/update payload WHEN parsed THEN it yields an upsert with the product and its update time", () => {
    const event = parseWebhookPayload("PRODUCTS_UPDATE", restProduct);
    expect(event).toMatchObject({ ok: true, kind: "product_upsert", topic: "products/update", productId: "632910392", updatedAt: "2025-01-10T12:00:00-05:00" });
    if (!event.ok || event.kind !== "product_upsert") throw new Error("unexpected");
    expect(event.product.handle).toBe("ipod-nano");
    expect(event.product.variants).toEqual([
      expect.objectContaining({ id: "808950810", price: 199, inventoryQuantity: 10, available: true, options: { Color: "Pink" } }),
    ]);
  });

  it("GIVEN a product payload without updated_at or with a bad price WHEN parsed THEN it is malformed with the reason", () => {
    const noTime = parseWebhookPayload("products/create", { ...restProduct, updated_at: undefined });
    expect(noTime).toMatchObject({ ok: false, code: "malformed_payload" });
    if (noTime.ok) throw new Error("unexpected");
    expect(noTime.message).toMatch(/updated_at/);

    const badPrice = parseWebhookPayload("products/create", { ...restProduct, variants: [{ ...restProduct.variants[0], price: "free" }] });
    expect(badPrice).toMatchObject({ ok: false, code: "malformed_payload" });
    if (badPrice.ok) throw new Error("unexpected");
    expect(badPrice.message).toMatch(/632910392.*price/);
  });

  it("GIVEN products/delete and inventory_levels/update WHEN parsed THEN ids come back as strings", () => {
    expect(parseWebhookPayload("products/delete", { id: 632910392 })).toEqual({
      ok: true,
      kind: "product_delete",
      topic: "products/delete",
      productId: "632910392",
    });
    expect(
      parseWebhookPayload("INVENTORY_LEVELS_UPDATE", {
        inventory_item_id: 271878346596884,
        location_id: 24826418,
        available: 3,
        updated_at: "2025-01-10T12:00:00-05:00",
        admin_graphql_api_id: "gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884",
      }),
    ).toEqual({
      ok: true,
      kind: "inventory_level_update",
      topic: "inventory_levels/update",
      inventoryItemId: "271878346596884",
      locationId: "24826418",
      available: 3,
      updatedAt: "2025-01-10T12:00:00-05:00",
    });
    expect(parseWebhookPayload("inventory_levels/update", { location_id: 1, available: 3 })).toMatchObject({
      ok: false,
      code: "malformed_payload",
      message: expect.stringMatching(/inventory_item_id/),
    });
  });

  it("GIVEN bulk_operations/finish WHEN parsed THEN status is upper-cased like the GraphQL enum", () => {
    expect(
      parseWebhookPayload("BULK_OPERATIONS_FINISH", {
        admin_graphql_api_id: "gid://shopify/BulkOperation/147595010",
        completed_at: "2025-01-28T19:10:59-05:00",
        created_at: "2025-01-28T19:10:59-05:00",
        error_code: null,
        status: "completed",
        type: "query",
      }),
    ).toEqual({
      ok: true,
      kind: "bulk_operation_finish",
      topic: "bulk_operations/finish",
      operationId: "gid://shopify/BulkOperation/147595010",
      status: "COMPLETED",
      errorCode: null,
      type: "query",
      completedAt: "2025-01-28T19:10:59-05:00",
    });
    expect(parseWebhookPayload("bulk_operations/finish", { admin_graphql_api_id: "gid://shopify/Product/1", status: "completed" })).toMatchObject({
      ok: false,
      code: "malformed_payload",
    });
  });

  it("GIVEN collections/update and shop/update WHEN parsed THEN the worker gets what it needs", () => {
    expect(parseWebhookPayload("collections/update", { id: 482865238, handle: "smartphones", title: "Smartphones", updated_at: "2025-01-01T00:00:00Z" })).toMatchObject({
      ok: true,
      kind: "collection_update",
      collectionId: "482865238",
      title: "Smartphones",
    });
    expect(
      parseWebhookPayload("SHOP_UPDATE", { id: 548380009, name: "Super Toys", currency: "USD", domain: "shop.apple.com", myshopify_domain: "jsmith.myshopify.com" }),
    ).toEqual({
      ok: true,
      kind: "shop_update",
      topic: "shop/update",
      shopId: "548380009",
      name: "Super Toys",
      currency: "USD",
      domain: "shop.apple.com",
      myshopifyDomain: "jsmith.myshopify.com",
    });
  });

  it("GIVEN the three compliance topics WHEN parsed THEN customer and shop references are kept", () => {
    expect(
      parseWebhookPayload("customers/redact", {
        shop_id: 954889,
        shop_domain: "snowdevil.myshopify.com",
        customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
        orders_to_redact: [299938, 280263],
      }),
    ).toMatchObject({ ok: true, kind: "customers_redact", customerId: "191167", email: "john@example.com", ordersToRedact: ["299938", "280263"] });
    expect(parseWebhookPayload("SHOP_REDACT", { shop_id: 954889, shop_domain: "snowdevil.myshopify.com" })).toEqual({
      ok: true,
      kind: "shop_redact",
      topic: "shop/redact",
      shopId: "954889",
      shopDomain: "snowdevil.myshopify.com",
    });
    expect(
      parseWebhookPayload("CUSTOMERS_DATA_REQUEST", {
        shop_id: 954889,
        shop_domain: "snowdevil.myshopify.com",
        orders_requested: [299938],
        customer: { id: 191167, email: "john@example.com", phone: null },
        data_request: { id: 9999 },
      }),
    ).toMatchObject({ ok: true, kind: "customers_data_request", customerId: "191167", phone: null, ordersRequested: ["299938"], dataRequestId: "9999" });
    expect(parseWebhookPayload("shop/redact", { shop_domain: "x.myshopify.com" })).toMatchObject({ ok: false, code: "malformed_payload" });
  });

  it("GIVEN an unknown topic or a non-object WHEN parsed THEN the error says which", () => {
    expect(parseWebhookPayload("orders/create", {})).toMatchObject({ ok: false, code: "unsupported_topic" });
    expect(parseWebhookPayload("products/delete", "id=1")).toMatchObject({ ok: false, code: "malformed_payload" });
    expect(normalizeWebhookTopic("APP_UNINSTALLED")).toBe("app_uninstalled");
  });
});
