import type { LoaderFunctionArgs } from "@remix-run/node";
import { isPreviewEnabled, notFound, previewDemoImage } from "../storefront-api/storefront-preview.server";

// Demo storefront preview: the demo store's product pictures, drawn as SVG (app/storefront/demo-product-image.ts).
export const loader = ({ request, params }: LoaderFunctionArgs) => (isPreviewEnabled() ? previewDemoImage(request, params.name ?? "") : notFound());
