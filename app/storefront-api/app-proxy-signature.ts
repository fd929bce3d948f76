/**
 * The app proxy's query signing, as Shopify does it: HMAC-SHA256 (hex) with the
 * app secret over the parameters sorted by name, each written name=value
 * (repeated values joined with commas), with no separator. Used by the demo to
 * stand in for Shopify's proxy; real requests are verified by the Shopify library.
 */
import { createHmac } from "node:crypto";

/** Parameters the proxy itself adds; a shopper's own values for them are never passed on. */
export const APP_PROXY_PARAMS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"] as const;

export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.keys()]
    .sort((a, b) => a.localeCompare(b))
    .map((key) => `${key}=${grouped.get(key)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface SignAppProxyQueryInput {
  /** The shopper's query (e.g. product=...&locale=...); proxy parameters in it are dropped. */
  query: URLSearchParams;
  shop: string;
  pathPrefix: string;
  loggedInCustomerId?: string;
  /** Seconds since the epoch. */
  timestamp: number;
  secret: string;
}

export function signAppProxyQuery(input: SignAppProxyQueryInput): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of input.query) {
    if (!(APP_PROXY_PARAMS as readonly string[]).includes(key)) params.append(key, value);
  }
  params.set("shop", input.shop);
  params.set("logged_in_customer_id", input.loggedInCustomerId ?? "");
  params.set("path_prefix", input.pathPrefix);
  params.set("timestamp", String(input.timestamp));
  params.set("signature", appProxySignature(params, input.secret));
  return params;
}

/** "/fr/apps/groundwork" -> "fr": a storefront served under a locale folder says its locale in the prefix. */
export function localeFromPathPrefix(pathPrefix: string | null | undefined): string | undefined {
  const match = /^\/([a-z]{2,3}(?:-[a-z]{2,4})?)\/apps\//i.exec(pathPrefix ?? "");
  return match ? match[1] : undefined;
}
