import type { LoaderFunctionArgs } from "@remix-run/node";
import { isPreviewEnabled, notFound, renderPreviewPage } from "../storefront-api/storefront-preview.server";

// Demo storefront preview: a product page with the assistant's app block and embed.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  isPreviewEnabled() ? renderPreviewPage(request, { type: "product", handle: params.handle ?? "" }) : notFound();
