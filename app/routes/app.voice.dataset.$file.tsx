import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "../admin-context.server";
import { latestDataset } from "../phases/voice/voice-store";
import { getServices } from "../services.server";

/** The latest usable brand-voice dataset as chat JSONL, to train anywhere. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const part = params.file;
  if (part !== "train" && part !== "validation") return new Response("Choose train or validation.", { status: 404 });
  const dataset = await latestDataset(getServices().db, shop);
  if (!dataset?.result.ok) return new Response("Build a usable dataset first.", { status: 409 });
  return new Response(part === "train" ? dataset.trainJsonl : dataset.validationJsonl, {
    headers: { "Content-Type": "application/jsonl; charset=utf-8", "Content-Disposition": `attachment; filename="${part}.jsonl"` },
  });
};
