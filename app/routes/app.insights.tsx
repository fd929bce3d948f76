import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Badge, BlockStack, Box, Button, Card, DataTable, EmptyState, InlineStack, Layout, List, Page, Select, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { BarChart } from "../admin-ui/charts";
import { formatCount, formatDateTime, formatPercent } from "../admin-ui/format";
import { SectionCard } from "../admin-ui/section-card";
import { INSIGHTS_WINDOWS, loadInsights } from "../insights/insights-report";
import { getServices } from "../services.server";

function windowDays(url: URL): number {
  const asked = Number(url.searchParams.get("days"));
  return (INSIGHTS_WINDOWS as readonly number[]).includes(asked) ? asked : 30;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const days = windowDays(new URL(request.url));
  return { report: await loadInsights(getServices().db, shop, new Date(), days) };
};

export default function Insights() {
  const { report } = useLoaderData<typeof loader>();
  const r = report;
  const [days, setDays] = useState(String(r.days));
  return (
    <Page
      title="Insights"
      subtitle={`Last ${r.days} days: ${formatCount(r.questions)} ${r.questions === 1 ? "question" : "questions"}, ${formatCount(r.refused)} unanswered`}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <Form method="get">
              <InlineStack gap="300" blockAlign="end">
                <Select
                  label="Period"
                  name="days"
                  options={INSIGHTS_WINDOWS.map((d) => ({ label: `Last ${d} days`, value: String(d) }))}
                  value={days}
                  onChange={setDays}
                />
                <Button submit>Show</Button>
                {/* A plain link: the admin's router would fetch it as page data instead of downloading it. */}
                <a href={`/app/insights/export?days=${r.days}`} download style={{ lineHeight: "2rem" }}>
                  Export CSV
                </a>
              </InlineStack>
            </Form>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Unanswered questions, by theme">
            <Text as="p" tone="subdued">
              The assistant refused these because your store&apos;s data did not say. Each fix below adds the missing facts.
            </Text>
            {r.themes.length === 0 ? (
              <Text as="p">No unanswered questions in this period.</Text>
            ) : (
              <BlockStack gap="400">
                {r.themes.map((t) => (
                  <Box key={t.id} borderWidth="025" borderColor="border" borderRadius="200" padding="300">
                    <BlockStack gap="200">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {t.label}
                        </Text>
                        <Badge tone="attention">{`${t.count} unanswered`}</Badge>
                      </InlineStack>
                      <Text as="p" fontWeight="semibold">
                        Suggested fix: {t.suggestedFix}
                      </Text>
                      <List type="bullet">
                        {t.examples.map((e) => (
                          <List.Item key={e}>“{e}”</List.Item>
                        ))}
                      </List>
                    </BlockStack>
                  </Box>
                ))}
              </BlockStack>
            )}
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Unanswered per day">
            <BarChart
              title={`Unanswered questions per day, last ${r.days} days`}
              description={`${formatCount(r.refused)} of ${formatCount(r.questions)} questions went unanswered.`}
              data={r.daily.map((d) => ({ label: d.day, value: d.refused }))}
              format={(v) => formatCount(Math.round(v))}
                integer
              xLabel="Day (UTC)"
              yLabel="Unanswered"
            />
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Top questions">
            {r.topQuestions.length === 0 ? (
              <EmptyState heading="No questions yet" image="">
                <p>Ask one in the Playground, or add the assistant to your theme.</p>
              </EmptyState>
            ) : (
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["Question", "Asked", "Unanswered"]}
                rows={r.topQuestions.map((q) => [q.question, formatCount(q.count), formatCount(q.refused)])}
              />
            )}
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Feedback">
            <Text as="p">
              {r.feedback.up + r.feedback.down === 0
                ? "No ratings in this period."
                : `${formatCount(r.feedback.up)} thumbs up, ${formatCount(r.feedback.down)} thumbs down (${formatPercent(r.feedback.up / (r.feedback.up + r.feedback.down))} positive).`}
            </Text>
            {r.feedback.reasons.length > 0 && (
              <DataTable columnContentTypes={["text", "numeric"]} headings={["Reason given", "Times"]} rows={r.feedback.reasons.map((x) => [x.reason, formatCount(x.count)])} />
            )}
            {r.feedback.rows.length > 0 && (
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["When", "Rating", "Question", "Reason"]}
                rows={r.feedback.rows.map((f) => [formatDateTime(f.createdAt), f.rating > 0 ? "Thumbs up" : "Thumbs down", f.question, f.reason ?? ""])}
              />
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
