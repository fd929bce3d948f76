/** The demo admin in Chromium: it renders, says it is a demo, and shows its figures. */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSkipReason, hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

describe.skipIf(!hasChromium)(`demo admin in Chromium${hasChromium ? "" : ` (${browserSkipReason})`}`, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("renders the Home page with the demo banner and the figures", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/app`);
    await expect(page.getByText("Demo mode", { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("heading", { name: "Groundwork" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText("Products indexed").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath("admin-home-demo"), fullPage: true });
    await page.close();
  });
});
