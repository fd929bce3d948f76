import type { LoaderFunctionArgs } from "@remix-run/node";
import { isPreviewEnabled, notFound, previewCartJs } from "../storefront-api/storefront-preview.server";

// Demo storefront preview: GET /cart.js, as Shopify's Cart AJAX API answers it.
export const loader = ({ request }: LoaderFunctionArgs) => (isPreviewEnabled() ? previewCartJs(request) : notFound());
