// The shared body of every webhook route: verify (authenticate.webhook checks the
// HMAC: 401 otherwise), then hand the delivery to the durable queue and answer at once.
import { receiveWebhook } from "./catalog/webhook-intake";
import { getServices } from "./services.server";
import { authenticate } from "./shopify.server";

function malformed(message: string): Response {
  return Response.json({ error: { code: "malformed_payload", message } }, { status: 400 });
}

export async function handleWebhook(request: Request): Promise<Response> {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    // The library parses the body after the HMAC check: a signed body that is not
    // JSON is bad input, not a server error (a 500 would make Shopify retry it for hours).
    if (error instanceof SyntaxError) return malformed("The webhook body is not valid JSON.");
    throw error;
  }
  const result = await receiveWebhook(getServices(), context);
  if (result.status === "malformed") return malformed(result.message);
  return new Response(null, { status: 200 });
}
