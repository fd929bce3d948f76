import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { config } from "./env.server";

export const apiVersion = ApiVersion.October25;

const shopify = shopifyApp({
  apiKey: config.shopify.apiKey || "demo",
  apiSecretKey: config.shopify.apiSecret || "demo",
  apiVersion,
  scopes: config.shopify.scopes,
  appUrl: config.shopify.appUrl,
  authPathPrefix: "/auth",
  // The session storage is typed for the default @prisma/client; ours is generated per provider.
  sessionStorage: new PrismaSessionStorage(prisma as never),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  ...(config.shopify.customDomain ? { customShopDomains: [config.shopify.customDomain] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
