import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { TrainingSettingsView } from "../settings/training-settings";

export type TrainingSettingsActionData = { intent: "training"; ok: true; view: TrainingSettingsView; message: string } | { intent: "training"; ok: false; fieldErrors: Record<string, string> };

/** The Settings page's training provider: its own form, so saving it never touches the answering settings. */
export function TrainingProviderSection({ view, result }: { view: TrainingSettingsView; result: TrainingSettingsActionData | null }) {
  const navigation = useNavigation();
  const current = result?.ok ? result.view : view;
  const errors = result && !result.ok ? result.fieldErrors : {};
  const [provider, setProvider] = useState<string>(current.settings.provider === "simulated" ? "together" : current.settings.provider);
  const [apiKey, setApiKey] = useState("");
  const [clearKey, setClearKey] = useState(false);
  const [ownBaseUrl, setOwnBaseUrl] = useState(current.settings.own?.baseUrl ?? "");
  const [ownModel, setOwnModel] = useState(current.settings.own?.model ?? "");
  const [ownApiKey, setOwnApiKey] = useState("");
  const [prices, setPrices] = useState(Object.entries(current.settings.trainingPricePerMTok).map(([m, p]) => `${m} ${p}`).join("\n"));
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "training";

  useEffect(() => {
    if (result?.ok) {
      setApiKey("");
      setOwnApiKey("");
      setClearKey(false);
    }
  }, [result]);

  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="training" />
      <Layout>
        <Layout.AnnotatedSection
          id="training-provider"
          title="Training provider"
          description="Where brand-voice and distilled models are trained. Together AI trains LoRA adapters on open models; OpenAI fine-tunes only for organisations it still accepts; or train anywhere and register your own model."
        >
          <Card>
            <FormLayout>
              {current.simulated && (
                <Banner tone="info" title="Demo mode: simulated training">
                  <p>Jobs run on a local simulation that trains nothing real, and stay simulated in the demo. The choices below show what a store sets up.</p>
                </Banner>
              )}
              {result?.ok && <Banner tone="success" title={result.message} />}
              <InlineStack gap="200" blockAlign="center">
                <Text as="span">Now training on</Text>
                <Badge tone={current.simulated ? "attention" : "info"}>{current.label}</Badge>
              </InlineStack>
              <Select
                label="Provider"
                name="trainingProvider"
                options={[
                  { label: "Together AI (recommended)", value: "together" },
                  { label: "OpenAI fine-tuning", value: "openai" },
                  { label: "My own model (train anywhere)", value: "byo" },
                ]}
                value={provider}
                onChange={setProvider}
                error={errors.trainingProvider}
              />
              {provider === "openai" && (
                <Text as="p" tone="subdued">
                  OpenAI stopped taking fine-tuning jobs from organisations that had not used it on 7 May 2026, and stops for everyone on 6 January 2027. If it refuses, you will see why and can switch here.
                </Text>
              )}
              {provider !== "byo" ? (
                <>
                  <TextField
                    label={provider === "openai" ? "OpenAI API key" : "Together AI API key"}
                    name="trainingApiKey"
                    type="password"
                    value={apiKey}
                    onChange={setApiKey}
                    autoComplete="off"
                    placeholder={current.hasApiKey ? `Saved key ${current.apiKeyHint ?? ""} (leave empty to keep it)` : "Paste your API key"}
                    helpText={current.problem ?? "Stored encrypted; it is never shown again."}
                    error={errors.trainingApiKey}
                  />
                  {current.hasApiKey && <Checkbox label="Remove the saved training key" name="clearTrainingApiKey" checked={clearKey} onChange={setClearKey} />}
                  <TextField
                    label="Training prices (USD per million tokens)"
                    name="trainingPriceTable"
                    value={prices}
                    onChange={setPrices}
                    multiline={3}
                    autoComplete="off"
                    placeholder="gpt-4o-mini-2024-07-18 3"
                    helpText="For estimates the provider cannot give: one base model a line, then its training price."
                    error={errors.trainingPriceTable}
                  />
                </>
              ) : (
                <>
                  <Text as="p" tone="subdued">
                    Download the dataset from the phase pages (chat JSONL, read by every trainer), train it where you like, then register the model here. It is called once to check it answers.
                  </Text>
                  <TextField label="Endpoint base URL" name="ownBaseUrl" value={ownBaseUrl} onChange={setOwnBaseUrl} autoComplete="off" helpText="OpenAI-compatible, ending with the API version, e.g. https://models.example.com/v1" error={errors.ownBaseUrl} />
                  <TextField label="Model id" name="ownModel" value={ownModel} onChange={setOwnModel} autoComplete="off" error={errors.ownModel} />
                  <TextField
                    label="Endpoint API key"
                    name="ownApiKey"
                    type="password"
                    value={ownApiKey}
                    onChange={setOwnApiKey}
                    autoComplete="off"
                    placeholder={current.hasOwnApiKey ? "Saved (leave empty to keep it)" : "If the endpoint needs one"}
                    error={errors.ownApiKey}
                  />
                  {current.settings.own && (
                    <Text as="p" tone="success">
                      {`Registered: ${current.settings.own.model}, answered a test call on ${current.settings.own.verifiedAt.slice(0, 10)}.`}
                    </Text>
                  )}
                </>
              )}
              <InlineStack align="end">
                <Button submit loading={busy}>
                  Save training settings
                </Button>
              </InlineStack>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Form>
  );
}
