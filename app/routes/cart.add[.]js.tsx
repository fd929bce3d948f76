import type { ActionFunctionArgs } from "@remix-run/node";
import { isPreviewEnabled, notFound, previewCartAdd } from "../storefront-api/storefront-preview.server";

// Demo storefront preview: POST /cart/add.js, as Shopify's Cart AJAX API answers it.
export const action = ({ request }: ActionFunctionArgs) => (isPreviewEnabled() ? previewCartAdd(request) : notFound());
export const loader = () => new Response("Use POST.", { status: isPreviewEnabled() ? 405 : 404, headers: { Allow: "POST" } });
