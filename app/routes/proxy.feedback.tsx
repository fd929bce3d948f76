import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleAppProxyRequest } from "../storefront-api/app-proxy.server";

// POST /apps/groundwork/feedback: a shopper's thumbs up or down on one answer.
export const action = ({ request }: ActionFunctionArgs) => handleAppProxyRequest(request, "feedback");
export const loader = ({ request }: LoaderFunctionArgs) => handleAppProxyRequest(request, "feedback");
