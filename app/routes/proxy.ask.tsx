import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleAppProxyRequest } from "../storefront-api/app-proxy.server";

// POST /apps/groundwork/ask on the storefront, forwarded by Shopify's app proxy: JSON, or SSE when asked for.
export const action = ({ request }: ActionFunctionArgs) => handleAppProxyRequest(request, "ask");
export const loader = ({ request }: LoaderFunctionArgs) => handleAppProxyRequest(request, "ask");
