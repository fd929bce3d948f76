/** The shop's products as (handle, title) pairs, for the Playground's product picker. */
import type { Db } from "../db/open-database";

export interface ProductChoice {
  handle: string;
  title: string;
}

export async function listProductChoices(db: Db, shop: string, limit = 500): Promise<ProductChoice[]> {
  const rows = await db.catalogItem.findMany({
    where: { shop, sourceType: "product", visible: true, handle: { not: null } },
    select: { handle: true, title: true },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map((r) => ({ handle: r.handle as string, title: r.title }));
}
