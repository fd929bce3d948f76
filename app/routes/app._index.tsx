import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { BarChart, LineChart } from "../admin-ui/charts";
import { formatCount, formatDateTime, formatMs, formatPercent, formatUsd } from "../admin-ui/format";
import { PhaseTracker, ReadinessChecklist } from "../admin-ui/phase-tracker";
import { StatCard } from "../admin-ui/stat-card";
import { SectionCard } from "../admin-ui/section-card";
import { loadHomeSummary } from "../insights/home-summary";
import { advisePhases } from "../phases/advisor";
import { gatherPhaseSignals } from "../phases/phase-signals";
import { getServices } from "../services.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { db } = getServices();
  const now = new Date();
  const [summary, signals] = await Promise.all([loadHomeSummary(db, shop, now), gatherPhaseSignals(db, shop, now)]);
  return { shop, summary, advice: advisePhases(signals) };
};

export default function Home() {
  const { shop, summary, advice } = useLoaderData<typeof loader>();
  const s = summary;
  const stats: { label: string; value: string; help?: string }[] = [
    { label: "Questions this week", value: formatCount(s.questionsThisWeek), help: "Last 7 days, all surfaces" },
    { label: "Answer rate", value: formatPercent(s.answerRate), help: "Answered from your data" },
    { label: "Refusal rate", value: formatPercent(s.refusalRate), help: "Honest “I don’t know”s" },
    { label: "Thumbs up", value: formatPercent(s.thumbsUpRate), help: `${formatCount(s.ratingsThisWeek)} ratings this week` },
    { label: "p95 latency", value: formatMs(s.p95LatencyMs), help: "95% of answers were faster" },
    {
      label: "Inference cost this month",
      value: formatUsd(s.costThisMonthUsd),
      help: s.projectedMonthUsd === null ? "Projection after the first hour" : `Projected ${formatUsd(s.projectedMonthUsd)} for the month`,
    },
  ];
  const days = s.daily;
  return (
    <Page title="Groundwork" subtitle={shop}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
            {stats.map((st) => (
              <StatCard key={st.label} {...st} />
            ))}
          </InlineGrid>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Your path
                </Text>
                <Link to="/app/phases">Open the phase advisor</Link>
              </InlineStack>
              <PhaseTracker enabledPhase={advice.enabledPhase} gates={advice.gates} />
              {advice.next ? (
                <ReadinessChecklist gate={advice.next} />
              ) : (
                <Text as="p">All three phases are on.</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <SectionCard title="Questions per day" gap="200">
              <BarChart
                title="Questions per day, last 30 days"
                description={`${formatCount(days.reduce((n, d) => n + d.questions, 0))} questions in 30 days.`}
                data={days.map((d) => ({ label: d.day, value: d.questions }))}
                format={(v) => formatCount(Math.round(v))}
                integer
                xLabel="Day (UTC)"
                yLabel="Questions"
              />
            </SectionCard>
            <SectionCard title="Answer rate per day" gap="200">
              <LineChart
                title="Answer rate per day, last 30 days"
                description="Share of questions answered from your data each day; gaps are days without questions."
                data={days.map((d) => ({ label: d.day, value: d.answerRate }))}
                format={(v) => formatPercent(v)}
                yMax={1}
                xLabel="Day (UTC)"
                yLabel="Answered"
              />
            </SectionCard>
            <SectionCard title="Inference cost per day" gap="200">
              <BarChart
                title="Inference cost per day, last 30 days"
                description={`${formatUsd(days.reduce((n, d) => n + d.costUsd, 0))} in 30 days, chat, embeddings and training together.`}
                data={days.map((d) => ({ label: d.day, value: d.costUsd }))}
                format={(v) => formatUsd(v)}
                xLabel="Day (UTC)"
                yLabel="USD"
              />
            </SectionCard>
            <SectionCard title="Sync health">
              <InlineGrid columns={2} gap="200">
                <Text as="p">Products indexed</Text>
                <Text as="p" alignment="end">
                  {formatCount(s.sync.itemsBySourceType.product ?? 0)}
                </Text>
                <Text as="p">Policies</Text>
                <Text as="p" alignment="end">
                  {formatCount(s.sync.itemsBySourceType.policy ?? 0)}
                </Text>
                <Text as="p">Pages</Text>
                <Text as="p" alignment="end">
                  {formatCount(s.sync.itemsBySourceType.page ?? 0)}
                </Text>
                <Text as="p">Documents</Text>
                <Text as="p" alignment="end">
                  {formatCount(s.sync.itemsBySourceType.document ?? 0)}
                </Text>
                <Text as="p">Hidden (unpublished)</Text>
                <Text as="p" alignment="end">
                  {formatCount(s.sync.hiddenItems)}
                </Text>
                <Text as="p">Jobs waiting</Text>
                <Text as="p" alignment="end">
                  {formatCount(s.sync.jobsQueued)}
                </Text>
                <Text as="p">Jobs failed</Text>
                <Text as="p" alignment="end" tone={s.sync.jobsDead ? "critical" : undefined}>
                  {formatCount(s.sync.jobsDead)}
                </Text>
              </InlineGrid>
              <Box>
                <Text as="p" tone="subdued">
                  {s.sync.lastWebhook
                    ? `Last update from Shopify: ${s.sync.lastWebhook.topic}, ${formatDateTime(s.sync.lastWebhook.receivedAt)}.`
                    : "No updates from Shopify received yet."}{" "}
                  <Link to="/app/sync">Sync</Link>
                </Text>
              </Box>
            </SectionCard>
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
