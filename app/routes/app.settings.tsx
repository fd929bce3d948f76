import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Banner, Box, Button, Card, Checkbox, ChoiceList, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { describeReindex, loadReindexStatus } from "../indexing/reindex-status";
import { POLICY_TYPES, TONES, formatPriceTable } from "../settings/options";
import { loadSettingsView, saveShopSettings, testSettingsConnection, type SettingsView } from "../settings/shop-settings";
import { getServices } from "../services.server";
import { TrainingProviderSection, type TrainingSettingsActionData } from "../admin-ui/training-provider-section";
import { loadTrainingSettingsView, saveTrainingSettings } from "../settings/training-settings";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { db, config, indexes } = getServices();
  const target = await indexes.targetFor(shop);
  const reindex = await loadReindexStatus(db, shop, target.index);
  // The view carries hasApiKey and a masked hint only: the key itself never reaches the browser.
  return {
    view: await loadSettingsView(db, shop, config.encryptionKey),
    training: await loadTrainingSettingsView(db, shop, config.encryptionKey),
    reindex: reindex && { state: reindex.state, line: describeReindex(reindex) },
  };
};

export type SettingsActionData =
  | { intent: "save"; ok: true; view: SettingsView; message: string }
  | { intent: "test"; ok: true; message: string }
  | { intent: "save" | "test"; ok: false; fieldErrors: Record<string, string>; error: { code: string; message: string } | null };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const services = getServices();
  const { db, config } = services;
  const form = await request.formData();
  if (form.get("intent") === "training") {
    const saved = await saveTrainingSettings(db, shop, form, { encryptionKey: config.encryptionKey, demoMode: config.demo, endpointPolicy: config.merchantEndpoints });
    const data: TrainingSettingsActionData = saved.ok ? { intent: "training", ok: true, view: saved.view, message: saved.message } : { intent: "training", ok: false, fieldErrors: saved.fieldErrors };
    return Response.json(data, { status: saved.ok ? 200 : 400 });
  }
  // A changed embedding model re-indexes the shop's catalog into that model's index.
  const deps = { encryptionKey: config.encryptionKey, endpointPolicy: config.merchantEndpoints, reindex: (s: string) => services.reindexShop(s) };
  if (form.get("intent") === "test") {
    const result = await testSettingsConnection(db, shop, form, deps);
    const data: SettingsActionData = result.ok ? { intent: "test", ok: true, message: result.message } : { intent: "test", ok: false, fieldErrors: result.fieldErrors, error: result.error };
    return Response.json(data, { status: result.ok ? 200 : 400 });
  }
  const result = await saveShopSettings(db, shop, form, deps);
  if (!result.ok) {
    return Response.json({ intent: "save", ok: false, fieldErrors: result.fieldErrors, error: result.error } satisfies SettingsActionData, { status: 400 });
  }
  // Data sources may have changed: re-apply them to the indexed policies and pages.
  await services.queue.enqueue({ shop, kind: "sources.reapply", key: "sources" });
  const purged = result.purged.answers ? ` ${result.purged.answers} questions older than ${result.view.settings.retentionDays} days were deleted.` : "";
  return Response.json({
    intent: "save",
    ok: true,
    view: result.view,
    message: `Settings saved${result.tested ? " and the connection works" : ""}.${purged}${result.reindexing ? " Your catalog is being re-indexed with the new embedding model." : ""}`,
  } satisfies SettingsActionData);
};

const POLICY_LABELS: Record<string, string> = {
  refund: "Refund policy",
  shipping: "Shipping policy",
  privacy: "Privacy policy",
  terms: "Terms of service",
  contact: "Contact information",
  legal_notice: "Legal notice",
  subscription: "Subscription policy",
};

export default function Settings() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<SettingsActionData | TrainingSettingsActionData>();
  const result = actionData?.intent === "training" ? undefined : actionData;
  const trainingResult = actionData?.intent === "training" ? actionData : null;
  const navigation = useNavigation();
  const view = result?.intent === "save" && result.ok ? result.view : loaded.view;
  const s = view.settings;
  const errors = result && !result.ok ? result.fieldErrors : {};
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const revalidator = useRevalidator();
  const reindexBusy = loaded.reindex?.state === "queued" || loaded.reindex?.state === "running";

  // Poll while a re-index is under way, so its progress line moves without a reload.
  useEffect(() => {
    if (!reindexBusy) return;
    const t = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(t);
  }, [reindexBusy, revalidator]);

  const [answererKind, setAnswererKind] = useState<string>(s.answerer.kind);
  const [baseUrl, setBaseUrl] = useState(s.answerer.kind === "openai-compatible" ? s.answerer.baseUrl : "https://api.openai.com/v1");
  const [chatModel, setChatModel] = useState(s.answerer.kind === "openai-compatible" ? s.answerer.chatModel : "gpt-4o-mini");
  const [embeddingModel, setEmbeddingModel] = useState(s.answerer.kind === "openai-compatible" ? (s.answerer.embeddingModel ?? "") : "");
  const [apiKey, setApiKey] = useState("");
  const [clearApiKey, setClearApiKey] = useState(false);
  const [tone, setTone] = useState<string>(s.tone);
  const [maxAnswerLength, setMaxAnswerLength] = useState(String(s.maxAnswerLength));
  const [refuseOffTopic, setRefuseOffTopic] = useState(s.refuseOffTopic);
  const [policyTypes, setPolicyTypes] = useState<string[]>(s.dataSources.policyTypes);
  const [pages, setPages] = useState<string>(s.dataSources.pages);
  const [pageHandles, setPageHandles] = useState(s.dataSources.pageHandles.join(", "));
  const [retentionDays, setRetentionDays] = useState(String(s.retentionDays));
  const [traceRetentionDays, setTraceRetentionDays] = useState(String(s.traceRetentionDays));
  const [spendThresholdUsd, setSpendThresholdUsd] = useState(String(s.spendThresholdUsd));
  const [priceTable, setPriceTable] = useState(formatPriceTable(s.priceTable));

  // A saved key is never shown again: clear the field once the save succeeded.
  useEffect(() => {
    if (result?.intent === "save" && result.ok) {
      setApiKey("");
      setClearApiKey(false);
    }
  }, [result]);

  const formRef = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  // Polaris buttons carry no name/value, so "Test connection" sends the form with its own intent.
  const testConnection = () => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    data.set("intent", "test");
    submit(data, { method: "post" });
  };

  const remote = answererKind === "openai-compatible";
  return (
    <Page title="Settings" subtitle="How the assistant answers, what it reads, and how long questions are kept">
      <Form method="post" noValidate ref={formRef}>
        <input type="hidden" name="intent" value="save" />
        <Layout>
          <Layout.Section>
            {/* Messages live in one fixed slot above the form so they do not push fields around as they change. */}
            <Box minHeight="0">
              {result?.ok && (
                <Banner tone="success" title={result.message} />
              )}
              {result && !result.ok && result.error && (
                <Banner tone="critical" title={result.intent === "test" ? "The connection test failed" : "Settings not saved"}>
                  <p>{result.error.message}</p>
                </Banner>
              )}
            </Box>
          </Layout.Section>

          <Layout.AnnotatedSection title="Answerer" description="The local answerer needs no account. An OpenAI-compatible endpoint writes fuller answers; every claim is still checked against your data.">
            <Card>
              <FormLayout>
                <Select
                  label="Answerer"
                  name="answererKind"
                  options={[
                    { label: "Local (no LLM, free)", value: "local" },
                    { label: "OpenAI-compatible endpoint", value: "openai-compatible" },
                  ]}
                  value={answererKind}
                  onChange={setAnswererKind}
                  error={errors.answererKind}
                />
                {remote && (
                  <>
                    <TextField label="Base URL" name="baseUrl" value={baseUrl} onChange={setBaseUrl} autoComplete="off" helpText="Ends with the API version, e.g. https://api.openai.com/v1" error={errors.baseUrl} />
                    <FormLayout.Group>
                      <TextField label="Chat model" name="chatModel" value={chatModel} onChange={setChatModel} autoComplete="off" error={errors.chatModel} />
                      <TextField label="Embedding model (optional)" name="embeddingModel" value={embeddingModel} onChange={setEmbeddingModel} autoComplete="off" helpText="Empty: embeddings stay local" error={errors.embeddingModel} />
                    </FormLayout.Group>
                    <TextField
                      label="API key"
                      name="apiKey"
                      type="password"
                      value={apiKey}
                      onChange={setApiKey}
                      autoComplete="off"
                      placeholder={view.apiKey.hasApiKey ? `Saved key ${view.apiKey.hint ?? ""} (leave empty to keep it)` : "Paste your API key"}
                      helpText={view.apiKey.problem ?? "Stored encrypted; it is never shown again."}
                      error={errors.apiKey}
                    />
                    {view.apiKey.hasApiKey && <Checkbox label="Remove the saved API key" name="clearApiKey" checked={clearApiKey} onChange={setClearApiKey} />}
                  </>
                )}
                {/* The key may be typed even for the local answerer; the server then says it is not used. */}
                {!remote && apiKey && <input type="hidden" name="apiKey" value={apiKey} />}
                {loaded.reindex && (
                  <Text as="p" tone={loaded.reindex.state === "failed" ? "critical" : loaded.reindex.state === "done" ? "success" : "subdued"}>
                    {loaded.reindex.line}
                  </Text>
                )}
                {errors.form && (
                  <Text as="p" tone="critical">
                    {errors.form}
                  </Text>
                )}
                <InlineStack gap="200">
                  <Button onClick={testConnection} disabled={!remote} loading={busyIntent === "test"}>
                    Test connection
                  </Button>
                </InlineStack>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Answers" description="Tone and length of answers, and whether questions unrelated to your store are declined.">
            <Card>
              <FormLayout>
                <Select label="Tone" name="tone" options={TONES.map((t) => ({ label: t[0].toUpperCase() + t.slice(1), value: t }))} value={tone} onChange={setTone} error={errors.tone} />
                <TextField label="Maximum answer length (characters)" name="maxAnswerLength" type="number" value={maxAnswerLength} onChange={setMaxAnswerLength} autoComplete="off" min={200} max={4000} error={errors.maxAnswerLength} />
                <Checkbox label="Decline questions unrelated to the store" name="refuseOffTopic" checked={refuseOffTopic} onChange={setRefuseOffTopic} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Data sources" description="Which policies and pages the assistant reads. Products are always included.">
            <Card>
              {/* The ticked policies travel as plain fields; outside FormLayout so they take no space. */}
              {policyTypes.map((p) => (
                <input key={p} type="hidden" name="policyTypes" value={p} />
              ))}
              <FormLayout>
                <ChoiceList
                  allowMultiple
                  title="Policies"
                  name="policyTypeChoices"
                  choices={POLICY_TYPES.map((p) => ({ label: POLICY_LABELS[p] ?? p, value: p }))}
                  selected={policyTypes}
                  onChange={setPolicyTypes}
                  error={errors.policyTypes}
                />
                <Select
                  label="Pages"
                  name="pages"
                  options={[
                    { label: "All published pages", value: "all" },
                    { label: "Only the pages listed below", value: "only" },
                    { label: "No pages", value: "none" },
                  ]}
                  value={pages}
                  onChange={setPages}
                  error={errors.pages}
                />
                <TextField label="Page handles" name="pageHandles" value={pageHandles} onChange={setPageHandles} autoComplete="off" disabled={pages !== "only"} helpText="Comma-separated, e.g. size-guide, faq" error={errors.pageHandles} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Costs and retention" description="Prices used to cost each model call, the monthly spend at which a distilled model pays off, and how long shoppers' questions are kept.">
            <Card>
              <FormLayout>
                <TextField
                  label="Price table (USD per million tokens)"
                  name="priceTable"
                  value={priceTable}
                  onChange={setPriceTable}
                  multiline={4}
                  autoComplete="off"
                  placeholder="gpt-4o-mini 0.15 0.60"
                  helpText="One model a line: name, input price, output price. Overrides the built-in prices; local models cost nothing."
                  error={errors.priceTable}
                />
                <FormLayout.Group>
                  <TextField label="Distillation threshold (USD a month)" name="spendThresholdUsd" type="number" value={spendThresholdUsd} onChange={setSpendThresholdUsd} autoComplete="off" min={0} error={errors.spendThresholdUsd} />
                  <TextField label="Keep questions for (days)" name="retentionDays" type="number" value={retentionDays} onChange={setRetentionDays} autoComplete="off" min={7} max={730} error={errors.retentionDays} />
                  <TextField
                    label="Keep distillation traces for (days)"
                    name="traceRetentionDays"
                    type="number"
                    value={traceRetentionDays}
                    onChange={setTraceRetentionDays}
                    autoComplete="off"
                    min={1}
                    max={730}
                    helpText="The teacher's prompts and sources, kept to train a cheaper model; never longer than the questions."
                    error={errors.traceRetentionDays}
                  />
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.Section>
            <InlineStack align="end">
              <Button submit variant="primary" loading={busyIntent === "save"}>
                Save
              </Button>
            </InlineStack>
            <Box paddingBlockEnd="800" />
          </Layout.Section>
        </Layout>
      </Form>
      <TrainingProviderSection view={loaded.training} result={trainingResult} />
    </Page>
  );
}
