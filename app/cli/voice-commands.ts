/**
 * `groundwork voice dataset|evaluate|write`: phase 2 from the command line, the same
 * core as the admin's phase 2 page.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { evaluateVoice } from "../phases/voice/evaluate-voice";
import { createLocalCopywriter } from "../phases/voice/local-copywriter";
import { saveDraft } from "../phases/voice/publish-copy";
import { VoiceError } from "../phases/voice/types";
import { buildShopDataset, heldOutProducts, latestDataset, loadShopProducts, loadVoiceProfile, recordVoiceDrift, saveEvaluation, saveVoiceProfile } from "../phases/voice/voice-store";
import { writeDescription } from "../phases/voice/write-description";
import { createOpenAIChatModel } from "../providers/openai-chat";
import type { ChatModel } from "../providers/types";
import type { Config } from "../config";
import type { CliContext } from "./main";

export interface VoiceCommandDeps {
  requireShop(value: unknown): string;
  withServices<T>(ctx: CliContext, work: (services: import("../services").Services) => Promise<T>): Promise<T>;
}

export const VOICE_HELP = `groundwork voice <step> --shop <shop> [options]
  dataset  [--out DIR] [--json] [--brief TEXT]
           Builds the brand-voice dataset from the imported catalog (order ranking and your picks
           when stored, else every product with usable copy); writes DIR/train.jsonl and
           DIR/validation.jsonl only when the dataset is usable.
  evaluate --model ID [--base-url URL] [--json]
           Prompting (the configured chat model, else the app's local writer) against the
           fine-tuned model on the held-out products; records the voice drift.
  write    --product HANDLE [--model ID] [--base-url URL] [--json]
           A draft description in the brand voice (the adopted model unless --model), saved as
           a draft to review and publish from the admin. Nothing is published from here.
  Fine-tuned models are called at --base-url (default OPENAI_BASE_URL) with GROUNDWORK_VOICE_API_KEY
  (default OPENAI_API_KEY).`;

function promptingModel(config: Config): ChatModel {
  if (config.answerer.kind === "openai" && config.openai) return createOpenAIChatModel({ baseURL: config.openai.baseUrl, apiKey: config.openai.apiKey, model: config.answerer.model });
  return createLocalCopywriter();
}

function fineTunedModel(ctx: CliContext, config: Config, model: string | undefined, baseUrl: string | undefined): ChatModel {
  if (!model) throw new VoiceError("no_model", "Name the fine-tuned model with --model (or adopt one from the phase 2 page).");
  const baseURL = baseUrl ?? config.openai?.baseUrl ?? ctx.env.OPENAI_BASE_URL;
  if (!baseURL) throw new VoiceError("no_endpoint", "Give --base-url: the OpenAI-compatible endpoint that serves the fine-tuned model.");
  const apiKey = ctx.env.GROUNDWORK_VOICE_API_KEY ?? config.openai?.apiKey ?? "";
  return createOpenAIChatModel({ baseURL, apiKey, model, ...(config.merchantEndpoints ? { endpointPolicy: config.merchantEndpoints } : {}) });
}

export function createVoiceCommand(deps: VoiceCommandDeps) {
  return {
    help: VOICE_HELP,
    async run(ctx: CliContext): Promise<number> {
      const [step, ...rest] = ctx.argv;
      const { values } = parseArgs({
        args: rest,
        options: {
          shop: { type: "string" },
          out: { type: "string" },
          json: { type: "boolean" },
          brief: { type: "string" },
          model: { type: "string" },
          "base-url": { type: "string" },
          product: { type: "string" },
        },
        strict: true,
      });
      if (!["dataset", "evaluate", "write"].includes(step ?? "")) {
        ctx.err(VOICE_HELP);
        return 2;
      }
      const shop = deps.requireShop(values.shop);
      return deps.withServices(ctx, async (services) => {
        const { db } = services;
        if (step === "dataset") {
          if (values.brief !== undefined) await saveVoiceProfile(db, shop, { brief: values.brief });
          const { stored, trainJsonl, validationJsonl } = await buildShopDataset(db, shop);
          const r = stored.result;
          const outDir = path.resolve(values.out ?? ".");
          if (r.ok) {
            mkdirSync(outDir, { recursive: true });
            writeFileSync(path.join(outDir, "train.jsonl"), trainJsonl);
            writeFileSync(path.join(outDir, "validation.jsonl"), validationJsonl);
          }
          if (values.json) {
            ctx.out(JSON.stringify({ examples: r.examples, train: r.train, validation: r.validation, flagged: r.flagged.map(({ handle, reason }) => ({ handle, reason })), dropped: r.dropped.map(({ handle, reason }) => ({ handle, reason })), ranking: r.ranking, errors: r.errors, advice: r.advice }, null, 2));
          } else {
            ctx.out(r.ranking.note);
            for (const e of r.errors) ctx.err(`✖ ${e.message}`);
            for (const a of r.advice) ctx.out(`• ${a}`);
            for (const f of r.flagged.slice(0, 20)) ctx.out(`  flagged ${f.handle}: ${f.reason}`);
            for (const d of r.dropped.slice(0, 20)) ctx.out(`  dropped ${d.handle}: ${d.reason}`);
            ctx.out(`examples ${r.examples}: train ${r.train.handles.length} (${r.train.tokens} tokens), validation ${r.validation.handles.length} (${r.validation.tokens} tokens)`);
            if (r.ok) ctx.out(`Wrote ${path.join(outDir, "train.jsonl")} and validation.jsonl`);
          }
          return r.ok ? 0 : 1;
        }
        const config = services.config;
        if (step === "evaluate") {
          const dataset = await latestDataset(db, shop);
          if (!dataset?.result.ok) throw new VoiceError("no_dataset", "Build a usable dataset first: groundwork voice dataset --shop " + shop);
          const profile = await loadVoiceProfile(db, shop);
          const heldOut = await heldOutProducts(db, shop, dataset.id);
          const result = await evaluateVoice({ brief: profile.brief, heldOut, prompting: promptingModel(config), fineTuned: fineTunedModel(ctx, config, values.model, values["base-url"]), embedder: services.embedder, names: { fineTuned: values.model } });
          const stored = await saveEvaluation(db, shop, dataset.id, result);
          await recordVoiceDrift(db, shop, result.summary.voiceDrift, new Date());
          if (values.json) ctx.out(JSON.stringify({ id: stored.id, summary: result.summary, products: result.products }, null, 2));
          else {
            const s = result.summary;
            ctx.out(`Evaluation ${stored.id} on ${s.products} held-out products`);
            ctx.out(`  candidate   voice  similarity  style  products with unbacked claims`);
            for (const [name, c] of [["prompting", s.prompting], ["fine-tune", s.fineTuned]] as const) ctx.out(`  ${name.padEnd(10)}  ${c.voice.toFixed(3)}  ${c.similarity.toFixed(3).padStart(10)}  ${c.style.toFixed(3)}  ${c.unbackedProducts}`);
            ctx.out(`  voice drift (prompting): ${s.voiceDrift}`);
            ctx.out(s.fineTuneBeatsPrompting && s.noUnbackedClaims ? "The fine-tune may be adopted after your blind picks and approval (phase 2 page)." : "The fine-tune cannot be adopted: it must beat prompting on voice and state no unbacked claim.");
          }
          return 0;
        }
        // write
        const handle = (values.product ?? "").trim();
        if (!handle) throw new VoiceError("no_product", "Name the product with --product <handle>.");
        const product = (await loadShopProducts(db, shop)).find((p) => p.handle === handle);
        if (!product) throw new VoiceError("not_found", `No product "${handle}" in ${shop}.`);
        const profile = await loadVoiceProfile(db, shop);
        const model = fineTunedModel(ctx, config, values.model ?? profile.adoptedModel ?? undefined, values["base-url"]);
        const draft = await writeDescription({ brief: profile.brief, product, model });
        const revision = await saveDraft(db, shop, draft, product.descriptionHtml);
        if (values.json) ctx.out(JSON.stringify({ revision: revision.id, html: draft.html, claims: draft.claims, diff: draft.diff }, null, 2));
        else {
          ctx.out(draft.html);
          for (const c of draft.claims) ctx.out(`  ! unbacked ${c.kind}: "${c.text}" in "${c.sentence}"`);
          ctx.out(`Saved as draft ${revision.id}; review, edit and publish it on the phase 2 page.`);
        }
        return 0;
      });
    },
  };
}
