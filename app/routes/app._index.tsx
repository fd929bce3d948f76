import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { loadHomeSummary } from "../insights/home-summary";
import { getServices } from "../services.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return { shop, summary: await loadHomeSummary(getServices().db, shop, new Date()) };
};

export default function Home() {
  const { shop, summary } = useLoaderData<typeof loader>();
  const stats: [string, string][] = [
    ["Products indexed", String(summary.productsIndexed)],
    ["Policies and pages", String(summary.contentIndexed)],
    ["Questions this week", String(summary.questionsThisWeek)],
    ["Answer rate", summary.answerRate === null ? "–" : `${Math.round(summary.answerRate * 100)}%`],
  ];
  return (
    <Page title="Groundwork" subtitle={shop}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            {stats.map(([label, value]) => (
              <Card key={label}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    {label}
                  </Text>
                  <Text as="p" variant="heading2xl">
                    {value}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
