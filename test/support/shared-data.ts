/**
 * Real catalogs and policies live beside the repository in ../shared/data and are
 * never copied in. Tests and benchmarks that use them skip with a clear message
 * when that folder is absent.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const sharedDataDir = path.resolve(
  process.env.GROUNDWORK_SHARED_DIR ?? path.join(repoRoot, "..", "shared"),
  "data",
);

export const hasSharedData = existsSync(sharedDataDir);

export function sharedDataPath(...parts: string[]): string {
  return path.join(sharedDataDir, ...parts);
}

export const sharedDataSkipReason = `../shared/data not found at ${sharedDataDir}: skipping tests on real catalogs (set GROUNDWORK_SHARED_DIR to its parent)`;

if (!hasSharedData) console.warn(sharedDataSkipReason);
