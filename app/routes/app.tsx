import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Box, InlineStack } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { requireAdmin } from "../admin-context.server";
import { config } from "../env.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  return { apiKey: config.shopify.apiKey, demo, shop };
};

const NAV = [
  { to: "/app", label: "Home" },
  { to: "/app/sync", label: "Sync" },
  { to: "/app/playground", label: "Playground" },
  { to: "/app/insights", label: "Insights" },
  { to: "/app/phases", label: "Phases" },
  { to: "/app/voice", label: "Brand voice" },
  { to: "/app/distill", label: "Distillation" },
  { to: "/app/settings", label: "Settings" },
];

export default function AdminLayout() {
  const { apiKey, demo, shop } = useLoaderData<typeof loader>();
  if (demo) {
    // Outside Shopify's admin there is no App Bridge: Polaris alone, with our own nav.
    return (
      <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
        <Box padding="400">
          <Banner tone="info" title="Demo mode">
            <p>
              You are looking at the demo shop {shop}, served without Shopify. Nothing here talks to a real store.
            </p>
          </Banner>
        </Box>
        <Box paddingInline="400" paddingBlockEnd="200">
          <nav aria-label="Groundwork">
            <InlineStack gap="400">
              {NAV.map((n) => (
                <Link key={n.to} to={n.to}>
                  {n.label}
                </Link>
              ))}
            </InlineStack>
          </nav>
        </Box>
        <Outlet />
      </AppProvider>
    );
  }
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        {NAV.map((n) => (
          <Link key={n.to} to={n.to} rel={n.to === "/app" ? "home" : undefined}>
            {n.label}
          </Link>
        ))}
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
