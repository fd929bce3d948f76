import { describe, expect, it } from "vitest";
import type { AdminGraphqlClient } from "./shopify-admin-client";
import { fetchShopPolicies, mapShopPolicyType } from "./shopify-content";

const answering = (data: unknown): AdminGraphqlClient => (async () => ({ data })) as unknown as AdminGraphqlClient;

describe("fetchShopPolicies", () => {
  it("GIVEN every Shopify policy type WHEN mapped THEN both terms collapse to 'terms' and unknown types are dropped", async () => {
    const policy = (id: number, type: string) => ({
      id: `gid://shopify/ShopPolicy/${id}`,
      type,
      title: type,
      body: "<p>Text</p>",
      url: `https://shop.example/policies/${type.toLowerCase()}`,
      updatedAt: "2025-01-01T00:00:00Z",
    });
    const policies = await fetchShopPolicies(
      answering({ shop: { shopPolicies: [policy(1, "TERMS_OF_SALE"), policy(2, "TERMS_OF_SERVICE"), policy(3, "LEGAL_NOTICE"), policy(4, "SOMETHING_NEW")] } }),
    );
    expect(policies.map((p) => [p.id, p.type, p.url])).toEqual([
      ["1", "terms", "/policies/terms_of_sale"],
      ["2", "terms", "/policies/terms_of_service"],
      ["3", "legal_notice", "/policies/legal_notice"],
    ]);
    expect(mapShopPolicyType("SUBSCRIPTION_POLICY")).toBe("subscription");
    expect(mapShopPolicyType("CONTACT_INFORMATION")).toBe("contact");
  });

  it("GIVEN a GraphQL error WHEN fetching THEN it raises a coded error naming what failed", async () => {
    const failing = (async () => ({ errors: [{ message: "Access denied for shopPolicies field.", extensions: { code: "ACCESS_DENIED" } }] })) as unknown as AdminGraphqlClient;
    await expect(fetchShopPolicies(failing)).rejects.toMatchObject({ code: "shopify_forbidden", message: expect.stringMatching(/policies/) });
  });
});
