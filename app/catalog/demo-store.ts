/** The demo store that ships with Groundwork (demo-store/), imported on the demo's first start. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEMO_SHOP } from "../config";
import type { IndexDeps } from "../indexing/index-catalog";
import { importCatalogFiles, type ImportFilesResult } from "./import-files";

export interface DemoStoreProfile {
  name: string;
  currency: string;
  contactEmail: string;
  locale: string;
}

export function demoStoreDir(root: string): string {
  return path.join(root, "demo-store");
}

export function readDemoStoreProfile(root: string): DemoStoreProfile {
  return JSON.parse(readFileSync(path.join(demoStoreDir(root), "store.json"), "utf8")) as DemoStoreProfile;
}

/** Creates the demo shop and imports the demo store when the shop has no catalog yet. */
export async function ensureDemoStore(deps: IndexDeps, root: string, log: (line: string) => void = () => {}): Promise<ImportFilesResult | null> {
  if (!existsSync(demoStoreDir(root))) return null;
  const profile = readDemoStoreProfile(root);
  await deps.db.shop.upsert({
    where: { domain: DEMO_SHOP },
    create: { domain: DEMO_SHOP, name: profile.name, currency: profile.currency, contactEmail: profile.contactEmail, locale: profile.locale, isDemo: true },
    update: {},
  });
  if ((await deps.db.catalogItem.count({ where: { shop: DEMO_SHOP } })) > 0) return null;
  log(`Importing the demo store (${profile.name})…`);
  const result = await importCatalogFiles(deps, DEMO_SHOP, [demoStoreDir(root)], { currency: profile.currency });
  log(`Demo store ready: ${result.products} products, ${result.policies} policies, ${result.pages} pages, ${result.chunks} chunks in ${result.seconds.toFixed(1)} s`);
  return result;
}
