import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, FormLayout, InlineGrid, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { formatCount, formatMs, formatUsd } from "../admin-ui/format";
import { SectionCard } from "../admin-ui/section-card";
import type { AnswerResult } from "../answering/types";
import { listProductChoices } from "../insights/product-choices";
import { getServices } from "../services.server";

const LOCALES = ["en", "en-US", "en-GB", "en-CA", "en-AU", "fr", "fr-CA", "de", "es", "it", "nl", "pt-BR", "ja"];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { db } = getServices();
  const [products, shopRow] = await Promise.all([listProductChoices(db, shop), db.shop.findUnique({ where: { domain: shop }, select: { locale: true } })]);
  return { products, defaultLocale: shopRow?.locale ?? "en" };
};

interface SourceRow {
  id: string;
  type: string;
  title: string;
  url: string;
  score: number;
  excerpt: string;
  cited: boolean;
}

type PlaygroundActionData =
  | {
      ok: true;
      answerId: string;
      result: AnswerResult;
      sources: SourceRow[];
      validation: { ok: boolean; problems: { code: string; message: string }[] };
    }
  | { ok: false; code: string; message: string; field?: "question" };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const question = String(form.get("question") ?? "").trim();
  const locale = String(form.get("locale") ?? "en").trim() || "en";
  const productHandle = String(form.get("productHandle") ?? "").trim() || undefined;
  if (!question) return Response.json({ ok: false, code: "empty_question", message: "Type a question to ask.", field: "question" } satisfies PlaygroundActionData, { status: 400 });
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) {
    return Response.json({ ok: false, code: "invalid_locale", message: `"${locale.slice(0, 20)}" is not a locale like en or fr-CA.` } satisfies PlaygroundActionData, { status: 400 });
  }

  try {
    // The answering pipeline; it logs the answer (AnswerLog and usage) itself.
    const out = await getServices().ask({ shop, question, locale, productHandle, surface: "playground" });
    const cited = new Set(out.result.citations.map((c) => c.id));
    const data: PlaygroundActionData = {
      ok: true,
      answerId: out.answerId,
      result: out.result,
      validation: { ok: out.validation.ok, problems: out.validation.problems.map((p) => ({ code: p.code, message: p.message })) },
      // Only what the page shows: the full product facts stay on the server.
      sources: out.sources.map((s) => ({ id: s.id, type: s.type, title: s.title, url: s.url, score: s.score, excerpt: s.text.slice(0, 240), cited: cited.has(s.id) })),
    };
    return Response.json(data);
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    const message = error instanceof Error ? error.message : String(error);
    const isInput = code === "empty_question" || code === "question_too_long";
    return Response.json(
      { ok: false, code: typeof code === "string" ? code : "ask_failed", message, ...(isInput ? { field: "question" as const } : {}) } satisfies PlaygroundActionData,
      { status: isInput ? 400 : 502 },
    );
  }
};

export default function Playground() {
  const { products, defaultLocale } = useLoaderData<typeof loader>();
  const data = useActionData<PlaygroundActionData>();
  const navigation = useNavigation();
  const [question, setQuestion] = useState("");
  const [productHandle, setProductHandle] = useState("");
  const [locale, setLocale] = useState(LOCALES.includes(defaultLocale) ? defaultLocale : "en");
  const asking = navigation.state === "submitting";

  return (
    <Page title="Playground" subtitle="Ask what a shopper would ask; see the answer, its sources and what it cost">
      <Layout>
        <Layout.Section>
          <Card>
            <Form method="post">
              <FormLayout>
                <TextField
                  label="Question"
                  name="question"
                  value={question}
                  onChange={setQuestion}
                  autoComplete="off"
                  multiline={2}
                  maxLength={500}
                  placeholder="Is the rain shell waterproof, and is it in stock in medium?"
                  error={data && !data.ok && data.field === "question" ? data.message : undefined}
                />
                <FormLayout.Group>
                  <Select
                    label="Product page (optional)"
                    name="productHandle"
                    options={[{ label: "None: asked from anywhere in the store", value: "" }, ...products.map((p) => ({ label: p.title, value: p.handle }))]}
                    value={productHandle}
                    onChange={setProductHandle}
                  />
                  <Select label="Market and language" name="locale" options={LOCALES.map((l) => ({ label: l, value: l }))} value={locale} onChange={setLocale} />
                </FormLayout.Group>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={asking}>
                    Ask
                  </Button>
                </InlineStack>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>

        {data && !data.ok && data.field !== "question" && (
          <Layout.Section>
            <Banner tone="critical" title="No answer">
              <p>{data.message}</p>
            </Banner>
          </Layout.Section>
        )}

        {data?.ok && (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Answer
                    </Text>
                    <Badge tone={data.result.refused ? "warning" : "success"}>{data.result.refused ? "Refused: the data does not say" : "Answered"}</Badge>
                    <Badge tone={data.validation.ok ? "success" : "critical"}>{data.validation.ok ? "Passed the validator" : "Validator found problems"}</Badge>
                    <Badge>{`Intent: ${data.result.intent.replace(/_/g, " ")}`}</Badge>
                  </InlineStack>
                  <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                    <p style={{ whiteSpace: "pre-wrap", margin: 0 }} data-testid="playground-answer">
                      {data.result.answer}
                    </p>
                  </Box>
                  {data.validation.problems.length > 0 && (
                    <List type="bullet">
                      {data.validation.problems.map((p) => (
                        <List.Item key={`${p.code}:${p.message}`}>{p.message}</List.Item>
                      ))}
                    </List>
                  )}
                  <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                    <Figure label="Model" value={data.result.usage.model} />
                    <Figure label="Tokens (in / out)" value={`${formatCount(data.result.usage.inputTokens)} / ${formatCount(data.result.usage.outputTokens)}`} />
                    <Figure label="Cost" value={formatUsd(data.result.usage.costUsd)} />
                    <Figure label="Latency" value={formatMs(data.result.usage.latencyMs)} />
                  </InlineGrid>
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <SectionCard title="Retrieved sources">
                {data.sources.length === 0 ? (
                  <Text as="p">No sources were retrieved for this question.</Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text", "numeric", "text"]}
                    headings={["Id", "Source", "Type", "Score", "Used in the answer"]}
                    rows={data.sources.map((s) => [
                      s.id,
                      s.title,
                      s.type,
                      s.score.toFixed(3),
                      s.cited ? (data.validation.ok ? "Cited, checked" : "Cited, see problems") : "Not cited",
                    ])}
                  />
                )}
              </SectionCard>
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="100">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingSm">
        {value}
      </Text>
    </BlockStack>
  );
}
