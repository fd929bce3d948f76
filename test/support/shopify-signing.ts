/**
 * Signs requests the way Shopify does, so tests send real HMAC-signed requests:
 * webhooks carry base64 HMAC-SHA256 of the raw body in X-Shopify-Hmac-Sha256;
 * app proxy requests carry a hex HMAC-SHA256 `signature` over the sorted query.
 */
import { createHmac, randomUUID } from "node:crypto";

export function webhookHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface SignedWebhook {
  url: string;
  init: RequestInit & { headers: Record<string, string>; body: string };
}

export function signedWebhook(
  baseUrl: string,
  options: { topic: string; shop: string; payload: unknown; secret: string; webhookId?: string; apiVersion?: string; rawBody?: string },
): SignedWebhook {
  const body = options.rawBody ?? JSON.stringify(options.payload);
  return {
    url: `${baseUrl}/webhooks/${options.topic}`,
    init: {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": options.topic,
        "X-Shopify-Shop-Domain": options.shop,
        "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
        "X-Shopify-API-Version": options.apiVersion ?? "2025-10",
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-Hmac-Sha256": webhookHmac(body, options.secret),
      },
    },
  };
}

/** The query string Shopify's app proxy adds, signed. */
export function appProxyQuery(options: { shop: string; secret: string; timestamp?: number; extra?: Record<string, string> }): string {
  const params: Record<string, string> = {
    shop: options.shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/groundwork",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...options.extra,
  };
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("");
  const signature = createHmac("sha256", options.secret).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature }).toString();
}
