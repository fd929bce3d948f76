import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Badge, Banner, BlockStack, Box, Button, DataTable, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { formatCount, formatDateTime, formatMs } from "../admin-ui/format";
import { SectionCard } from "../admin-ui/section-card";
import { loadSyncStatus, requestResync, syncProgressFraction, type SyncRunView } from "../catalog/sync-status";
import { getServices } from "../services.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  return { shop, demo, status: await loadSyncStatus(getServices().db, shop) };
};

export type SyncActionData = { ok: true; message: string } | { ok: false; error: { code: string; message: string } };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const { queue } = getServices();
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "resync") {
    const r = await requestResync(queue, shop, { demo });
    const what = demo ? "A re-import of the demo store" : "A full sync";
    return Response.json({ ok: true, message: r.coalesced ? `${what} was already waiting; it will run once.` : `${what} has been queued.` } satisfies SyncActionData);
  }
  if (intent === "retry") {
    const id = Number(form.get("jobId"));
    // retryDead matches the shop too: a job id from another shop changes nothing.
    if (Number.isInteger(id) && id > 0 && (await queue.retryDead(shop, id))) {
      return Response.json({ ok: true, message: `Job ${id} will run again.` } satisfies SyncActionData);
    }
    return Response.json({ ok: false, error: { code: "job_not_found", message: "That failed job no longer exists; refresh the page." } } satisfies SyncActionData, { status: 404 });
  }
  return Response.json({ ok: false, error: { code: "bad_intent", message: "Unknown action." } } satisfies SyncActionData, { status: 400 });
};

const SOURCE_LABELS: Record<string, string> = { product: "Products", policy: "Policies", page: "Pages", document: "Documents" };
const PHASE_LABELS: Record<string, string> = {
  content: "Reading shop details, policies and pages",
  export: "Exporting products from Shopify",
  index: "Indexing",
  done: "Done",
};

function RunCard({ run, syncing }: { run: SyncRunView | null; syncing: boolean }) {
  if (!run) {
    return (
      <Text as="p" tone="subdued">
        {syncing ? "A sync is waiting to start…" : "No full sync has run yet."}
      </Text>
    );
  }
  const fraction = syncProgressFraction(run);
  const phase = run.phase ? (PHASE_LABELS[run.phase] ?? run.phase) : "Starting";
  const tone = run.status === "done" ? "success" : run.status === "failed" ? "critical" : "info";
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={tone}>{run.status === "running" ? "Running" : run.status === "done" ? "Finished" : "Failed"}</Badge>
        <Text as="span">
          {run.status === "running" ? phase : `Started ${formatDateTime(run.startedAt)}${run.finishedAt ? `, ended ${formatDateTime(run.finishedAt)}` : ""}`}
        </Text>
      </InlineStack>
      {run.status === "running" && (
        <BlockStack gap="100">
          <ProgressBar progress={Math.round((fraction ?? 0) * 100)} size="small" tone="primary" animated={fraction === null} />
          <Text as="p" tone="subdued" variant="bodySm">
            {run.total ? `${formatCount(run.processed)} of ${formatCount(run.total)} items` : run.processed ? `${formatCount(run.processed)} items so far` : "Counting items…"}
          </Text>
        </BlockStack>
      )}
      {run.status === "done" && run.counts.products !== undefined && (
        <Text as="p" tone="subdued">
          {formatCount(run.counts.products)} products, {formatCount(run.counts.variants ?? 0)} variants, {formatCount(run.counts.chunks ?? 0)} passages ({formatCount(run.counts.embedded ?? 0)} newly embedded).
        </Text>
      )}
      {run.error && (
        <Banner tone="critical" title="The last sync stopped">
          <p>{run.error}</p>
        </Banner>
      )}
    </BlockStack>
  );
}

export default function SyncPage() {
  const { demo, status } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const resync = useFetcher<SyncActionData>();
  const retry = useFetcher<SyncActionData>();
  const busy = status.syncing || status.queue.queued + status.queue.running > 0;

  // Poll while work is under way, so the bar moves without a reload.
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(t);
  }, [busy, revalidator]);

  const message = resync.data ?? retry.data;
  const totalVisible = status.sources.reduce((n, s) => n + s.visible, 0);
  return (
    <Page
      title="Sync"
      subtitle={demo ? "The demo store, imported from files" : "Your store's products, policies and pages, kept in step with Shopify"}
      primaryAction={
        <resync.Form method="post">
          <input type="hidden" name="intent" value="resync" />
          <Button variant="primary" submit loading={resync.state !== "idle"} disabled={status.syncing}>
            {demo ? "Re-import demo store" : "Resync everything"}
          </Button>
        </resync.Form>
      }
    >
      <Layout>
        {message && (
          <Layout.Section>
            {message.ok ? <Banner tone="success" title={message.message} /> : <Banner tone="critical" title={message.error.message} />}
          </Layout.Section>
        )}
        <Layout.Section>
          <SectionCard title="Full sync">
            <RunCard run={status.run} syncing={status.syncing} />
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <SectionCard title="What the assistant can read">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["Source", "Searchable", "Hidden"]}
                rows={status.sources.map((s) => [SOURCE_LABELS[s.sourceType] ?? s.sourceType, formatCount(s.visible), formatCount(s.hidden)])}
                totals={["", formatCount(totalVisible), formatCount(status.sources.reduce((n, s) => n + s.hidden, 0))]}
                showTotalsInFooter
              />
              <Text as="p" tone="subdued" variant="bodySm">
                Hidden items are drafts, archived or unpublished: shoppers never see them, so answers never cite them.
              </Text>
            </SectionCard>
            <SectionCard title="Updates from Shopify">
              <InlineGrid columns={2} gap="200">
                <Text as="p">Last update received</Text>
                <Text as="p" alignment="end">
                  {status.lastWebhook ? `${status.lastWebhook.topic}, ${formatDateTime(status.lastWebhook.receivedAt)}` : "None yet"}
                </Text>
                <Text as="p">Waiting</Text>
                <Text as="p" alignment="end">
                  {formatCount(status.queue.queued)}
                </Text>
                <Text as="p">In progress</Text>
                <Text as="p" alignment="end">
                  {formatCount(status.queue.running)}
                </Text>
                <Text as="p">Lag (oldest waiting)</Text>
                <Text as="p" alignment="end">
                  {status.queue.oldestQueuedAgeMs === null ? "Up to date" : formatMs(status.queue.oldestQueuedAgeMs)}
                </Text>
                <Text as="p">Failed for good</Text>
                <Text as="p" alignment="end" tone={status.queue.dead ? "critical" : undefined}>
                  {formatCount(status.queue.dead)}
                </Text>
              </InlineGrid>
            </SectionCard>
          </InlineGrid>
        </Layout.Section>

        {status.retrying.length > 0 && (
          <Layout.Section>
            <SectionCard title="Retrying">
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric"]}
                headings={["What", "Item", "Last error", "Attempts"]}
                rows={status.retrying.map((j) => [j.kind, j.key, j.lastError, `${j.attempts} of ${j.maxAttempts}`])}
              />
            </SectionCard>
          </Layout.Section>
        )}

        <Layout.Section>
          <SectionCard title="Failed updates">
            {status.deadLetters.length === 0 ? (
              <Text as="p" tone="subdued">
                Nothing has failed.
              </Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "text"]}
                headings={["What", "Item", "Last error", "Attempts", ""]}
                rows={status.deadLetters.map((j) => [
                  j.kind,
                  j.key,
                  j.lastError ?? "",
                  formatCount(j.attempts),
                  <retry.Form method="post" key={j.id}>
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="jobId" value={j.id} />
                    <Button submit size="slim" accessibilityLabel={`Retry ${j.kind} ${j.key}`} loading={retry.state !== "idle" && retry.formData?.get("jobId") === String(j.id)}>
                      Retry
                    </Button>
                  </retry.Form>,
                ])}
              />
            )}
            <Box>
              <Text as="p" tone="subdued" variant="bodySm">
                An update is tried up to five times, waiting longer each time, before it is listed here.
              </Text>
            </Box>
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
