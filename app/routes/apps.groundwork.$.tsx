import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { config } from "../env.server";
import { handleDemoProxyRequest } from "../storefront-api/app-proxy.server";
import { isStorefrontEndpoint } from "../storefront-api/handle-storefront-request";
import { errorResponse, StorefrontApiError } from "../storefront-api/responses";

// The demo storefront's /apps/groundwork/*: stands in for Shopify's app proxy (signs, then the
// same verifying handler as /proxy/*). A real install never serves this path: Shopify does.
function proxy({ request, params }: LoaderFunctionArgs | ActionFunctionArgs) {
  const endpoint = params["*"];
  if (!config.demo || !isStorefrontEndpoint(endpoint)) {
    return errorResponse(new StorefrontApiError(404, "not_found", "There is no such storefront endpoint."));
  }
  return handleDemoProxyRequest(request, endpoint);
}

export const loader = proxy;
export const action = proxy;
