import { Badge, InlineStack, List, Text } from "@shopify/polaris";
import type { VoiceStep } from "../phases/voice/voice-progress";

/** Phase 2's steps, each done or missing with what it needs: on the Phases page and the phase 2 page. */
export function VoiceProgressList({ steps }: { steps: VoiceStep[] }) {
  return (
    <List type="number">
      {steps.map((step) => (
        <List.Item key={step.id}>
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={step.done ? "success" : undefined}>{step.done ? "Done" : "Missing"}</Badge>
            <Text as="span" fontWeight="semibold">
              {step.label}
            </Text>
            <Text as="span" tone="subdued">
              {step.detail}
            </Text>
          </InlineStack>
        </List.Item>
      ))}
    </List>
  );
}
