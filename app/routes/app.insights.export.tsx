import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "../admin-context.server";
import { INSIGHTS_WINDOWS, exportAnswersCsv } from "../insights/insights-report";
import { getServices } from "../services.server";

// A resource route: no component, the loader answers with the CSV file.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const asked = Number(new URL(request.url).searchParams.get("days"));
  const days = (INSIGHTS_WINDOWS as readonly number[]).includes(asked) ? asked : 30;
  const now = new Date();
  const csv = await exportAnswersCsv(getServices().db, shop, now, days);
  const name = `groundwork-answers-${shop.replace(/[^a-z0-9.-]/gi, "")}-${now.toISOString().slice(0, 10)}.csv`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
};
