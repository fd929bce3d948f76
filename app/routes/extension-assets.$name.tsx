import type { LoaderFunctionArgs } from "@remix-run/node";
import { isPreviewEnabled, notFound, previewAsset } from "../storefront-api/storefront-preview.server";

// Demo storefront preview: the theme app extension's assets/ (what asset_url points at).
export const loader = ({ request, params }: LoaderFunctionArgs) => (isPreviewEnabled() ? previewAsset(request, params.name ?? "") : notFound());
