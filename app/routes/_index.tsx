import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { config } from "../env.server";
import { renderPreviewPage } from "../storefront-api/storefront-preview.server";

// Real installs: Shopify opens /app; a visitor here gets the log-in form.
// Demo mode: the storefront preview's home page (the real extension on a small theme).
// A resource route in both modes: the preview is a whole storefront document, not a React page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (config.demo) return renderPreviewPage(request, { type: "home" });
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response(LANDING_HTML, { headers: { "Content-Type": "text/html; charset=utf-8", "X-Content-Type-Options": "nosniff" } });
};

const LANDING_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Groundwork</title>
</head>
<body>
<main style="font-family: system-ui, sans-serif; max-width: 640px; margin: 4rem auto; padding: 0 1rem">
<h1>Groundwork</h1>
<p>A shopping assistant whose answers come from your store's own products, policies and pages, with sources for every answer.</p>
<form method="post" action="/auth/login">
<label>Shop domain <input type="text" name="shop" placeholder="example.myshopify.com" autocomplete="url"></label>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
`;
