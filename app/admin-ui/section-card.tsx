import { BlockStack, Card, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A card with a section heading above its content: the admin pages' common block. */
export function SectionCard({ title, gap = "300", children }: { title: ReactNode; gap?: "200" | "300" | "400"; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}
