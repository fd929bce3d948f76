/**
 * The Distillation page in demo mode, in Chromium: the whole phase 3 cycle runs offline on the
 * simulated provider, and the page shows the gate figures per intent, the rollout state and
 * the saving to date, labelled simulated.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSkipReason, hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

describe.skipIf(!hasChromium)(`distillation page in demo mode${hasChromium ? "" : ` (${browserSkipReason})`}`, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("GIVEN demo mode WHEN the simulated cycle runs THEN the gate figures, rollout state and savings are shown, labelled simulated", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${server.url}/app/distill`);
    await page.getByText("No gate has run yet").waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("distill-before-demo"), fullPage: true });
    await page.getByRole("button", { name: "Run the simulated cycle" }).click();
    await page.getByText(/Simulated cycle done/).waitFor({ timeout: 200_000 });
    await page.getByText("Simulated", { exact: true }).first().waitFor({ timeout: 30_000 });
    // The gate table: every quality figure per intent, teacher and candidates.
    for (const heading of ["Citations", "Claims", "Agreement", "Refusals", "Per 1,000"]) {
      await page.getByRole("columnheader", { name: heading }).waitFor({ timeout: 30_000 });
    }
    // Polaris renders a row's first column as its header.
    await page.getByRole("rowheader", { name: "overall" }).waitFor({ timeout: 30_000 });
    // The promise, as measured on the held-out answers and priced from the ledger: 5× cheaper, gate passed, rolled out.
    const summary = page.getByText(/^Routed: .* per 1,000 answers against the teacher's/);
    await summary.waitFor({ timeout: 30_000 });
    const text = (await summary.textContent()) ?? "";
    expect(text).toMatch(/Gate passed\./);
    const ratio = Number(/\(([\d.]+)× cheaper\)/.exec(text)?.[1]);
    expect(ratio).toBeGreaterThanOrEqual(5);
    const held = Number(/(\d+) held out/.exec((await page.getByText(/held out \(never trained on\)/).textContent()) ?? "")?.[1]);
    expect(held).toBeGreaterThanOrEqual(60);
    await page.getByText(/Simulated price table/).waitFor({ timeout: 30_000 });
    await page.getByText(/Rollout: full/).waitFor({ timeout: 30_000 });
    await page.getByText("Saving to date").waitFor({ timeout: 30_000 });
    await page.getByText(/From the usage ledger/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("distill-after-demo-cycle"), fullPage: true });
    await page.close();
  }, 300_000);
});
