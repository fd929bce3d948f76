import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "../webhooks.server";

// products/delete: HMAC verified by authenticate.webhook (401 otherwise), then queued.
export const action = async ({ request }: ActionFunctionArgs) => handleWebhook(request);
