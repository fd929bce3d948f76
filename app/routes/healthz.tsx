import { getServices } from "../services.server";

// Liveness and database reachability, for load balancers, process managers and tests.
export const loader = async () => {
  try {
    await getServices().db.shop.count();
    return Response.json({ ok: true });
  } catch (error) {
    return Response.json({ ok: false, error: (error as Error).message }, { status: 503 });
  }
};
