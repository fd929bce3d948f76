/** Phase 1 -> 2 -> 3 as an ordered list, and the readiness checklist for the next step. */
import { Badge, BlockStack, Box, InlineStack, List, Text } from "@shopify/polaris";
import type { PhaseGate } from "../phases/advisor";

const NAMES: Record<1 | 2 | 3, string> = { 1: "Retrieval", 2: "Brand voice", 3: "Distilled model" };

export function PhaseTracker({ enabledPhase, gates }: { enabledPhase: 1 | 2 | 3; gates: PhaseGate[] }) {
  return (
    <nav aria-label="Phases">
      <ol style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", gap: 12, flexWrap: "wrap", alignItems: "center" }}>
        {gates.map((g, i) => {
          const state = g.phase === enabledPhase ? "current" : g.phase < enabledPhase ? "done" : g.unlocked ? "ready" : "locked";
          return (
            <li key={g.phase} aria-current={state === "current" ? "step" : undefined} style={{ display: "flex", alignItems: "center", gap: 12 }}>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" variant="headingSm">
                  {g.phase}. {NAMES[g.phase]}
                </Text>
                <Badge tone={state === "current" ? "success" : state === "ready" ? "attention" : state === "done" ? "info" : undefined}>
                  {state === "current" ? "On" : state === "done" ? "Done" : state === "ready" ? "Ready" : "Locked"}
                </Badge>
              </InlineStack>
              {i < gates.length - 1 && (
                <span aria-hidden="true" style={{ color: "#8a8a8a" }}>
                  →
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export function ReadinessChecklist({ gate }: { gate: PhaseGate }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Ready for {gate.title.toLowerCase()}?
      </Text>
      <GateChecks checks={gate.checks} />
    </BlockStack>
  );
}

/** A phase's readiness criteria, each met or missing with the figures behind it. */
export function GateChecks({ checks }: { checks: { id: string; met: boolean; label: string; have: string | number; need: string | number }[] }) {
  return (
    <List type="bullet">
      {checks.map((c) => (
        <List.Item key={c.id}>
          <Box>
            <Text as="span" tone={c.met ? "success" : "critical"} fontWeight="semibold">
              {c.met ? "Met: " : "Missing: "}
            </Text>
            <Text as="span">
              {c.label}. You have {c.have}; needed: {c.need}.
            </Text>
          </Box>
        </List.Item>
      ))}
    </List>
  );
}
