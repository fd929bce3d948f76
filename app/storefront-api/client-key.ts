/**
 * Who a storefront request comes from, as a salted hash: the logged-in customer
 * id Shopify signs into the query when there is one, else the client IP the
 * proxy forwards. Raw ids and IPs are never kept.
 */
import { createHmac } from "node:crypto";

export interface ClientIdentity {
  /** Shopify's logged_in_customer_id query parameter ("" when nobody is logged in). */
  loggedInCustomerId?: string | null;
  /** The X-Forwarded-For header: the first address is the shopper's. */
  forwardedFor?: string | null;
  /** The X-Real-IP header, used when X-Forwarded-For is absent. */
  realIp?: string | null;
}

export function clientIdentityOf(identity: ClientIdentity): string {
  const customer = identity.loggedInCustomerId?.trim();
  if (customer) return `customer:${customer}`;
  const ip = identity.forwardedFor?.split(",")[0]?.trim() || identity.realIp?.trim();
  return ip ? `ip:${ip.toLowerCase()}` : "anonymous";
}

/** A stable, salted, per-shop hash of the client: the same shopper in two shops gets two keys. */
export function clientKeyOf(shop: string, identity: ClientIdentity, salt: string): string {
  return createHmac("sha256", salt).update(`${shop}\u0000${clientIdentityOf(identity)}`).digest("hex").slice(0, 32);
}
