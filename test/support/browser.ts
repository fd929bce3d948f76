/**
 * Debian's Chromium driven by playwright-core. Without Chromium the browser tests
 * skip with a message, unless E2E_REQUIRED=1 makes that a failure.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { repoRoot } from "./server";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(chromiumPath);
export const browserSkipReason = `Chromium not found at ${chromiumPath}: browser tests skipped (apt-get install -y chromium, or set CHROMIUM_PATH)`;

if (!hasChromium) {
  if (process.env.E2E_REQUIRED === "1") throw new Error(`${browserSkipReason}; E2E_REQUIRED=1 makes this a failure`);
  console.warn(browserSkipReason);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
}

export const screenshotDir = path.join(repoRoot, "test-results", "screenshots");

export function screenshotPath(name: string): string {
  if (!existsSync(screenshotDir)) mkdirSync(screenshotDir, { recursive: true });
  return path.join(screenshotDir, `${name}.png`);
}
