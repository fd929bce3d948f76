/**
 * Publishing a description to the store: Admin GraphQL `productUpdate` (scope
 * `write_products`) with the product id and the exact safe HTML, nothing else.
 */
import { requireData, ShopifyAdminError, toGid, type AdminGraphqlClient } from "../../catalog/shopify-admin-client";
import type { ProductCopyWriter } from "./types";

const PRODUCT_UPDATE = `#graphql
mutation UpdateProductDescription($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { id descriptionHtml }
    userErrors { field message }
  }
}`;

export function createShopifyCopyWriter(client: AdminGraphqlClient): ProductCopyWriter {
  return {
    async updateDescription(productId, html) {
      const data = requireData(
        await client<{ productUpdate: { product: { id: string } | null; userErrors: { field: string[] | null; message: string }[] } | null }>(PRODUCT_UPDATE, {
          product: { id: toGid("Product", productId), descriptionHtml: html },
        }),
        "the product update",
      );
      const errors = data.productUpdate?.userErrors ?? [];
      if (errors.length > 0 || !data.productUpdate?.product) {
        throw new ShopifyAdminError("shopify_user_error", `Shopify did not save the description: ${errors.map((e) => e.message).join("; ") || "no product returned"}.`);
      }
    },
  };
}
