import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { localeFromPathPrefix, signAppProxyQuery } from "./app-proxy-signature";

const api = shopifyApi({ apiKey: "k", apiSecretKey: "s3cret", apiVersion: ApiVersion.October25, hostName: "app.example", isEmbeddedApp: true, logger: { level: 0 } });
const now = () => Math.floor(Date.now() / 1000);

describe("signAppProxyQuery", () => {
  it("GIVEN a shopper query with a forged shop WHEN signed THEN Shopify's own validator accepts it and the shop is the proxy's", async () => {
    const query = signAppProxyQuery({
      query: new URLSearchParams({ product: "wool-hat", locale: "fr", shop: "evil.myshopify.com", signature: "forged" }),
      shop: "demo.myshopify.com",
      pathPrefix: "/apps/groundwork",
      timestamp: now(),
      secret: "s3cret",
    });
    expect(query.get("shop")).toBe("demo.myshopify.com");
    expect(query.get("product")).toBe("wool-hat");
    expect(query.getAll("shop")).toHaveLength(1);
    await expect(api.utils.validateHmac(Object.fromEntries(query), { signator: "appProxy" })).resolves.toBe(true);
  });

  it("is refused by the validator with another secret, or when stale", async () => {
    const base = { query: new URLSearchParams(), shop: "demo.myshopify.com", pathPrefix: "/apps/groundwork" };
    const wrong = signAppProxyQuery({ ...base, timestamp: now(), secret: "other" });
    await expect(api.utils.validateHmac(Object.fromEntries(wrong), { signator: "appProxy" })).resolves.toBe(false);
    const stale = signAppProxyQuery({ ...base, timestamp: now() - 3600, secret: "s3cret" });
    await expect(api.utils.validateHmac(Object.fromEntries(stale), { signator: "appProxy" })).rejects.toThrow(/timestamp/);
  });
});

describe("localeFromPathPrefix", () => {
  it("reads a locale folder in front of the proxy prefix", () => {
    expect(localeFromPathPrefix("/fr/apps/groundwork")).toBe("fr");
    expect(localeFromPathPrefix("/en-ca/apps/groundwork")).toBe("en-ca");
    expect(localeFromPathPrefix("/apps/groundwork")).toBeUndefined();
    expect(localeFromPathPrefix(null)).toBeUndefined();
  });
});
