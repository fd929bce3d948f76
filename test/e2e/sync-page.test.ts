/** The Sync page in Chromium, in demo mode: counts per source, and Resync re-imports the demo store through the queue. */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../app/db/open-database";
import { browserSkipReason, hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

const DEMO_SHOP = "groundwork-demo.myshopify.com";

describe.skipIf(!hasChromium)(`Sync page in Chromium${hasChromium ? "" : ` (${browserSkipReason})`}`, () => {
  let server: TestServer;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
    db = openDatabase(server.database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await browser?.close();
    await server?.stop();
  });

  it("shows what is indexed per source, and Resync re-imports the demo store as a job", async () => {
    // The demo store is imported in the background on first start; the server says when it is ready.
    const deadline = Date.now() + 90_000;
    while (!server.output().includes("Demo store ready")) {
      if (Date.now() > deadline) throw new Error(`the demo store was not imported:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const products = await db.catalogItem.count({ where: { shop: DEMO_SHOP, sourceType: "product", visible: true } });
    expect(products).toBeGreaterThan(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/app/sync`);
    await expect(page.getByRole("heading", { name: "Sync", exact: true }).isVisible()).resolves.toBe(true);
    const productsRow = page.getByRole("row", { name: /^Products/ });
    await expect(productsRow.textContent()).resolves.toContain(String(products));
    await expect(page.getByText("Nothing has failed.").isVisible()).resolves.toBe(true);

    await page.getByRole("button", { name: "Re-import demo store" }).click();
    await page.getByText(/re-import of the demo store (has been queued|was already waiting)/i).waitFor({ timeout: 10_000 });
    // The page polls while the job runs, and shows the finished run without a reload.
    await page.getByText("Finished", { exact: true }).waitFor({ timeout: 60_000 });
    const job = await db.job.findFirst({ where: { shop: DEMO_SHOP, kind: "demo.reimport" } });
    expect(job).toMatchObject({ status: "done", key: "sync" });
    const run = await db.syncRun.findFirst({ where: { shop: DEMO_SHOP, kind: "demo" }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({ status: "done" });
    // Nothing changed in the files: the same products, nothing embedded twice.
    expect(JSON.parse(run!.counts)).toMatchObject({ products: expect.any(Number), embedded: 0 });
    await expect(productsRow.textContent()).resolves.toContain(String(products));
    await page.screenshot({ path: screenshotPath("sync-page"), fullPage: true });
    await page.close();
  });
});
