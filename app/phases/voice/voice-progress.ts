/**
 * Where a shop stands in phase 2, step by step, and what each missing step needs.
 * Pure: the loader gathers the stored state, this says what it means.
 */

export type VoiceStepId = "brief" | "dataset" | "training" | "evaluation" | "adopted";

export interface VoiceStep {
  id: VoiceStepId;
  label: string;
  done: boolean;
  /** What the shop has, or what is missing, in one sentence. */
  detail: string;
}

export interface VoiceProgressInput {
  brief: string;
  dataset: { ok: boolean; examples: number; errors: string[] } | null;
  training: { status: string; model: string | null; simulated: boolean } | null;
  evaluation: { fineTuneBeatsPrompting: boolean; noUnbackedClaims: boolean; voiceDrift: number } | null;
  adopted: { model: string; at: string } | null;
}

export function voiceProgress(input: VoiceProgressInput): VoiceStep[] {
  const { dataset, training, evaluation, adopted } = input;
  const label = training?.simulated ? " (simulated training)" : "";
  return [
    { id: "brief", label: "Brand brief", done: input.brief.trim().length > 0, detail: input.brief.trim() ? "Written." : "Write the brand brief: the instruction every example is trained with." },
    {
      id: "dataset",
      label: "Dataset",
      done: Boolean(dataset?.ok),
      detail: !dataset ? "Build the dataset from your best copy." : dataset.ok ? `${dataset.examples} examples.` : (dataset.errors[0] ?? "The last build was not usable."),
    },
    {
      id: "training",
      label: "Training",
      done: Boolean(training?.model),
      detail: !training ? "Train a model on the dataset, or register one you trained elsewhere." : training.model ? `Model ${training.model}${label}.` : `Training is ${training.status}${label}.`,
    },
    {
      id: "evaluation",
      label: "Evaluation",
      done: Boolean(evaluation && evaluation.fineTuneBeatsPrompting && evaluation.noUnbackedClaims),
      detail: !evaluation
        ? "Compare the fine-tune with prompting on held-out products."
        : `Voice drift of prompting ${evaluation.voiceDrift}; the fine-tune ${evaluation.fineTuneBeatsPrompting ? "beats" : "does not beat"} prompting on voice${evaluation.noUnbackedClaims ? " and states no unbacked claim" : " and stated facts the data lacks"}.`,
    },
    { id: "adopted", label: "Adopted", done: Boolean(adopted), detail: adopted ? `Writing with ${adopted.model} since ${adopted.at.slice(0, 10)}.` : "Adopt the fine-tune after the evaluation and your blind picks." },
  ];
}
