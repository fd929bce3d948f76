import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "../admin-context.server";
import { exportDatasetJsonl } from "../phases/distill/dataset";
import { getServices } from "../services.server";

// A resource route: the distillation dataset as chat JSONL, for the merchant's own trainer.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const split = new URL(request.url).searchParams.get("split") === "eval" ? "eval" : "train";
  const jsonl = await exportDatasetJsonl(getServices().db, shop, split);
  const name = `groundwork-distill-${split}-${shop.replace(/[^a-z0-9.-]/gi, "")}.jsonl`;
  return new Response(jsonl, {
    headers: { "Content-Type": "application/jsonl; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" },
  });
};
