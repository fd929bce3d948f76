import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { GateChecks, PhaseTracker } from "../admin-ui/phase-tracker";
import { VoiceProgressList } from "../admin-ui/voice-progress-list";
import { advisePhases, type Phase } from "../phases/advisor";
import { changeShopPhase } from "../phases/change-phase";
import { gatherPhaseSignals } from "../phases/phase-signals";
import { voiceProgress } from "../phases/voice/voice-progress";
import { loadVoiceProgressInput } from "../phases/voice/voice-store";
import { getServices } from "../services.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const db = getServices().db;
  const [signals, voice] = await Promise.all([gatherPhaseSignals(db, shop, new Date()), loadVoiceProgressInput(db, shop, null)]);
  return { advice: advisePhases(signals), voiceSteps: voiceProgress(voice) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const phase = Number(form.get("phase"));
  if (phase !== 1 && phase !== 2 && phase !== 3) {
    return Response.json({ ok: false, code: "invalid_phase", message: "Choose phase 1, 2 or 3.", missing: [] }, { status: 400 });
  }
  const change = await changeShopPhase(getServices().db, shop, phase as Phase, new Date());
  return Response.json(change.ok ? { ...change, message: `Phase ${phase} is on.` } : change, { status: change.ok ? 200 : 409 });
};

type PhaseActionData = { ok: true; phase: Phase; message: string } | { ok: false; code: string; message: string; missing: string[] };

export default function Phases() {
  const { advice, voiceSteps } = useLoaderData<typeof loader>();
  const result = useActionData<PhaseActionData>();
  const navigation = useNavigation();
  return (
    <Page title="Phase advisor" subtitle="Three questions, answered from your store's live numbers, decide what to do next">
      <Layout>
        <Layout.Section>
          {result?.ok && <Banner tone="success" title={result.message} />}
          {result && !result.ok && (
            <Banner tone="warning" title="That phase is not unlocked yet">
              <List type="bullet">
                {(result.missing.length ? result.missing : [result.message]).map((m) => (
                  <List.Item key={m}>{m}</List.Item>
                ))}
              </List>
            </Banner>
          )}
        </Layout.Section>
        <Layout.Section>
          <Card>
            <PhaseTracker enabledPhase={advice.enabledPhase} gates={advice.gates} />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            {advice.answers.map((a) => (
              <Card key={a.id}>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingSm">
                    {a.question}
                  </Text>
                  <InlineStack>
                    <Badge tone={a.measured ? "info" : undefined}>{a.answer}</Badge>
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {a.evidence}
                  </Text>
                  <Text as="p" fontWeight="semibold">
                    {a.recommendation}
                  </Text>
                  <Text as="p">Why: {a.why}</Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            {advice.gates.map((g) => {
              const on = g.phase === advice.enabledPhase;
              return (
                <Card key={g.phase}>
                  <BlockStack gap="300">
                    <InlineStack align="space-between" blockAlign="center">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h2" variant="headingMd">
                          {g.title}
                        </Text>
                        <Badge tone={on ? "success" : g.unlocked ? "attention" : undefined}>{on ? "On" : g.unlocked ? "Unlocked" : "Locked"}</Badge>
                      </InlineStack>
                      {g.phase === 2 ? (
                        <Button url="/app/voice" variant="primary">
                          Open phase 2
                        </Button>
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="phase" value={g.phase} />
                          <Button submit disabled={on || !g.unlocked} loading={navigation.formData?.get("phase") === String(g.phase)}>
                            {on ? "Enabled" : g.phase === 1 ? "Switch to phase 1" : `Enable phase ${g.phase}`}
                          </Button>
                        </Form>
                      )}
                    </InlineStack>
                    {g.phase === 2 && (
                      <BlockStack gap="100">
                        <Text as="h3" variant="headingSm">
                          Where your shop is
                        </Text>
                        <VoiceProgressList steps={voiceSteps} />
                      </BlockStack>
                    )}
                    {g.checks.length === 0 ? (
                      <Text as="p">Always available: answers come from your data, with citations, or an honest refusal.</Text>
                    ) : (
                      <GateChecks checks={g.checks} />
                    )}
                  </BlockStack>
                </Card>
              );
            })}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
