import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { CachedSessionStorage } from "./cached-session-storage";
import prisma from "./db.server";
import { config } from "./env.server";
import { getServices } from "./services.server";

export const apiVersion = ApiVersion.October25;

const shopify = shopifyApp({
  apiKey: config.shopify.apiKey || "demo",
  apiSecretKey: config.shopify.apiSecret || "demo",
  apiVersion,
  scopes: config.shopify.scopes,
  appUrl: config.shopify.appUrl,
  authPathPrefix: "/auth",
  // The session storage is typed for the default @prisma/client; ours is generated per provider.
  sessionStorage: new CachedSessionStorage(new PrismaSessionStorage(prisma as never)),
  distribution: AppDistribution.AppStore,
  // Per-request info lines cost real time under a webhook burst; warnings still show.
  logger: { level: LogSeverity.Warning },
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    // A new install (or re-install) gets a full sync; jobs coalesce if one is queued.
    afterAuth: async ({ session }) => {
      const { queue, db } = getServices();
      const known = await db.shop.findUnique({ where: { domain: session.shop } });
      if (!known || known.uninstalledAt) {
        await db.shop.upsert({ where: { domain: session.shop }, create: { domain: session.shop, name: session.shop }, update: { uninstalledAt: null } });
        await queue.enqueue({ shop: session.shop, kind: "sync.full", key: "sync" });
      }
    },
  },
  ...(config.shopify.customDomain ? { customShopDomains: [config.shopify.customDomain] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
