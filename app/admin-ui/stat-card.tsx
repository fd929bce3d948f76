import { BlockStack, Card, Text } from "@shopify/polaris";

export function StatCard({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {/* Always rendered (a non-breaking space when empty) so cards keep one height. */}
        <Text as="p" variant="bodySm" tone="subdued">
          {help || "\u00a0"}
        </Text>
      </BlockStack>
    </Card>
  );
}
