import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { acceptWebhook } from "../webhooks.server";

// products/create: HMAC verified by authenticate.webhook (401 otherwise), then queued.
export const action = async ({ request }: ActionFunctionArgs) => acceptWebhook(await authenticate.webhook(request));
