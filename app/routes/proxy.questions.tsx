import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleAppProxyRequest } from "../storefront-api/app-proxy.server";

// GET /apps/groundwork/questions?product=&locale=: suggested questions for a product.
export const loader = ({ request }: LoaderFunctionArgs) => handleAppProxyRequest(request, "questions");
export const action = ({ request }: ActionFunctionArgs) => handleAppProxyRequest(request, "questions");
