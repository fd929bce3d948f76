/**
 * The door from Remix to the storefront endpoints: verify the app proxy
 * signature (authenticate.public.appProxy: 400 when it is missing, wrong or
 * stale), take the shop from the verified query, key the client, then run the
 * framework-free handler with the server's services.
 */
import path from "node:path";
import { DEMO_SHOP } from "../config";
import { config } from "../env.server";
import { findRepoRoot } from "../db/open-database";
import { recordFeedback } from "../insights/answer-log";
import { getServices } from "../services.server";
import { authenticate } from "../shopify.server";
import { loadStorefrontExtension } from "../storefront/extension";
import { localeFromPathPrefix, signAppProxyQuery } from "./app-proxy-signature";
import { clientKeyOf } from "./client-key";
import { handleStorefrontRequest, type StorefrontApiDeps, type StorefrontEndpoint } from "./handle-storefront-request";
import { createDatabaseRateLimiter } from "./database-rate-limiter";
import { createRateLimiter } from "./rate-limiter";
import { errorResponse, StorefrontApiError } from "./responses";
import { questionPhrasesFor, suggestQuestions } from "./suggested-questions";

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** What the app secret signs; the same fallback shopify.server.ts uses when no secret is set. */
const proxySecret = () => config.shopify.apiSecret || "demo";

function createDeps(): StorefrontApiDeps {
  const services = getServices();
  const perMinute = config.rateLimitPerMinute;
  // On PostgreSQL several app processes may serve a shop: they share one budget in the database.
  const limiter = (name: string, perClientPerMinute: number, perShopPerMinute: number) =>
    config.database.provider === "postgresql"
      ? createDatabaseRateLimiter(services.db, { name, perClientPerMinute, perShopPerMinute })
      : createRateLimiter({ perClientPerMinute, perShopPerMinute });
  let phrasesSource: ReturnType<typeof loadStorefrontExtension> | null = null;
  const extensionLocales = () => {
    // The extension's own locale files: the block and the API phrase questions alike.
    phrasesSource ??= loadStorefrontExtension(path.join(findRepoRoot(), "extensions", "storefront-assistant"));
    return phrasesSource;
  };
  return {
    ask: (input) => services.ask(input),
    askStream: (input) => services.askStream(input),
    recordFeedback: (input) => recordFeedback(services.db, input),
    suggestQuestions: (input) =>
      suggestQuestions(
        {
          db: services.db,
          catalog: services.catalog,
          phrases: (locale) => {
            try {
              const extension = extensionLocales();
              return questionPhrasesFor(extension.locales, extension.defaultLocale, locale);
            } catch {
              return questionPhrasesFor(new Map(), "en", locale);
            }
          },
        },
        input,
      ),
    // A shop's budget is many shoppers' worth: it caps cost, the client limit keeps it fair.
    askLimiter: limiter("ask", perMinute, Math.max(perMinute * 20, 600)),
    lightLimiter: limiter("light", perMinute * 4, Math.max(perMinute * 80, 2400)),
    async shopIsActive(shop) {
      const row = await services.db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
      return Boolean(row && !row.uninstalledAt);
    },
    logError: (message, error) => console.error(`[storefront] ${message}:`, error),
  };
}

const globalForDeps = globalThis as unknown as { groundworkStorefrontDeps?: StorefrontApiDeps };

function storefrontDeps(): StorefrontApiDeps {
  globalForDeps.groundworkStorefrontDeps ??= createDeps();
  return globalForDeps.groundworkStorefrontDeps;
}

const invalidSignature = () =>
  errorResponse(
    new StorefrontApiError(400, "invalid_signature", "This request must come through the shop's app proxy with a valid, current signature."),
  );

/** Handles /proxy/<endpoint>: verifies the signature, then answers. */
export async function handleAppProxyRequest(request: Request, endpoint: StorefrontEndpoint): Promise<Response> {
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response) return invalidSignature();
    throw thrown;
  }
  const url = new URL(request.url);
  const shop = (url.searchParams.get("shop") ?? "").toLowerCase();
  if (!SHOP_DOMAIN.test(shop)) return invalidSignature();
  const clientKey = clientKeyOf(
    shop,
    {
      loggedInCustomerId: url.searchParams.get("logged_in_customer_id"),
      forwardedFor: request.headers.get("x-forwarded-for"),
      realIp: request.headers.get("x-real-ip"),
    },
    proxySecret(),
  );
  return handleStorefrontRequest(storefrontDeps(), { shop, clientKey, proxyLocale: localeFromPathPrefix(url.searchParams.get("path_prefix")) }, endpoint, request);
}

/**
 * Demo only: stands in for Shopify's proxy at /apps/groundwork/<endpoint>. It
 * signs the query for the demo shop with the app secret, drops cookies as the
 * proxy does, and hands the request to the same verifying door as real traffic.
 */
export async function handleDemoProxyRequest(request: Request, endpoint: StorefrontEndpoint): Promise<Response> {
  if (!config.demo) throw new Error("handleDemoProxyRequest is for demo mode only");
  const url = new URL(request.url);
  const query = signAppProxyQuery({
    query: url.searchParams,
    shop: DEMO_SHOP,
    pathPrefix: "/apps/groundwork",
    loggedInCustomerId: "",
    timestamp: Math.floor(Date.now() / 1000),
    secret: proxySecret(),
  });
  const headers = new Headers(request.headers);
  headers.delete("cookie");
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const proxied = new Request(`${url.origin}/proxy/${endpoint}?${query}`, {
    method: request.method,
    headers,
    signal: request.signal,
    ...(hasBody ? { body: request.body, duplex: "half" } : {}),
  } as RequestInit);
  return handleAppProxyRequest(proxied, endpoint);
}
