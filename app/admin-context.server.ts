/**
 * Who is asking in the admin. A real install authenticates through Shopify
 * (session token / OAuth); demo mode, switched on only by how the server was
 * started, serves the demo shop without OAuth.
 */
import { DEMO_SHOP } from "./config";
import { config } from "./env.server";
import { authenticate } from "./shopify.server";

export interface AdminContext {
  shop: string;
  demo: boolean;
}

export async function requireAdmin(request: Request): Promise<AdminContext> {
  if (config.demo) return { shop: DEMO_SHOP, demo: true };
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, demo: false };
}
