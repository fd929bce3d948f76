/**
 * Builds the shop's training adapter from its settings. Chosen here once, passed in
 * everywhere else; the simulated provider is refused outside demo mode.
 */
import type { EndpointPolicy } from "../endpoint-guard";
import { createOpenAITraining } from "./openai-training";
import { createTogetherTraining } from "./together-training";
import { TrainingError, type TrainingProvider, type TrainingProviderKind } from "./types";

export const SIMULATED_TRAINING_LABEL = "simulated training";

export interface TrainingProviderChoice {
  kind: TrainingProviderKind;
  apiKey: string | null;
  /** The provider's API base URL when it is not the provider's own (the demo's local server, a proxy). */
  baseUrl?: string;
  trainingPricePerMTok?: Record<string, number>;
}

export interface TrainingProviderContext {
  demoMode: boolean;
  /** For base URLs a merchant typed in. */
  endpointPolicy: EndpointPolicy;
}

export function createTrainingProvider(choice: TrainingProviderChoice, context: TrainingProviderContext): TrainingProvider {
  const common = {
    apiKey: choice.apiKey ?? "",
    baseURL: choice.baseUrl,
    trainingPricePerMTok: choice.trainingPricePerMTok,
    endpointPolicy: choice.baseUrl ? context.endpointPolicy : undefined,
  };
  switch (choice.kind) {
    case "together":
      return createTogetherTraining(common);
    case "openai":
      return createOpenAITraining(common);
    case "simulated":
      if (!context.demoMode) throw new TrainingError("invalid_config", "Simulated training exists only in demo mode. Choose Together AI, OpenAI or your own model in Settings.");
      if (!choice.baseUrl) throw new TrainingError("invalid_config", "The demo's simulated training server is not running. Restart the demo.");
      // The demo's own local server: trusted like the rest of the demo, and labelled everywhere.
      return createTogetherTraining({ ...common, apiKey: choice.apiKey || "simulated", endpointPolicy: undefined, label: SIMULATED_TRAINING_LABEL, simulated: true });
    case "byo":
      throw new TrainingError(
        "not_supported",
        "With your own model, nothing trains here: download the dataset (chat JSONL), train it with any trainer, then register the model's OpenAI-compatible endpoint in Settings.",
      );
  }
}
