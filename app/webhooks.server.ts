// The shared body of every webhook route: the HMAC was checked by authenticate.webhook.
import { receiveWebhook } from "./catalog/webhook-intake";
import { getServices } from "./services.server";

export async function acceptWebhook(context: { shop: string; topic: string; webhookId: string; payload: unknown }): Promise<Response> {
  const services = getServices();
  const result = await receiveWebhook(services, context);
  if (result.status === "malformed") {
    return Response.json({ error: { code: "malformed_payload", message: result.message } }, { status: 400 });
  }
  return new Response(null, { status: 200 });
}
