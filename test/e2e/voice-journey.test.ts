/**
 * Phase 2 in Chromium, in demo mode, against the demo's simulated training: write the
 * brand brief, build the dataset, confirm the price and train, evaluate against
 * prompting, pick blind between unlabelled drafts, adopt, then write one description,
 * edit it and publish it. Screenshots of each step go to test-results/screenshots/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP } from "../../app/config";
import { openDatabase, type Db } from "../../app/db/open-database";
import { browserSkipReason, hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

async function waitForOutput(server: TestServer, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`server never printed "${text}":\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasChromium)(`phase 2 in Chromium${hasChromium ? "" : ` (${browserSkipReason})`}`, () => {
  let server: TestServer;
  let browser: Browser;
  let db: Db;
  let page: Page;

  beforeAll(async () => {
    // The demo store is imported before the server answers: minutes on a busy machine.
    [server, browser] = await Promise.all([startTestServer({ demo: true, readyTimeoutMs: 300_000 }), launchBrowser()]);
    db = openDatabase(server.database.url);
    await waitForOutput(server, "Demo store ready", 90_000);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  }, 360_000);
  afterAll(async () => {
    await page?.close();
    await db?.$disconnect();
    await browser?.close();
    await server?.stop();
  });

  async function submitAndSee(button: string, message: string | RegExp) {
    await page.getByRole("button", { name: button }).first().click();
    await page.getByText(message).first().waitFor({ timeout: 60_000 });
  }

  it("walks brief, dataset, training, evaluation, blind choice, adoption, and writes, edits and publishes a description", async () => {
    await page.goto(`${server.url}/app/voice`, { waitUntil: "networkidle" });
    await page.getByText("Demo mode: simulated training").waitFor({ timeout: 30_000 });

    // Brief: a proposed draft, edited and saved.
    await page.getByRole("button", { name: "Propose a draft" }).click();
    const brief = page.getByLabel("Brand brief");
    await brief.fill(`${await brief.inputValue()} Calm, concrete, short paragraphs.`);
    await submitAndSee("Save brief", "Brand brief saved.");
    await page.screenshot({ path: screenshotPath("voice-1-brief"), fullPage: true });

    // Dataset.
    await submitAndSee("Build dataset", /Dataset built: \d+ examples\./);
    await page.getByRole("link", { name: "Download train.jsonl" }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("voice-2-dataset"), fullPage: true });

    // Training: the provider's base models, a price confirmed before anything starts.
    await submitAndSee("Estimate price", /Estimated price: /);
    await submitAndSee("Confirm price and start training", /Training started/);
    const deadline = Date.now() + 90_000;
    while (!(await page.getByText(/^Model /).first().isVisible())) {
      if (Date.now() > deadline) throw new Error("training never completed");
      await page.waitForTimeout(1000);
      await page.reload({ waitUntil: "networkidle" });
    }
    await expect(page.getByRole("img", { name: /Training loss/ }).count()).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath("voice-3-training"), fullPage: true });

    // Evaluation: every number visible.
    await submitAndSee("Evaluate", /Evaluated on \d+ held-out products\./);
    await page.getByText(/Voice drift of prompting:/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("voice-4-evaluation"), fullPage: true });
    const evaluation = await db.voiceEvaluation.findFirst({ where: { shop: DEMO_SHOP }, orderBy: { id: "desc" } });
    expect(evaluation).not.toBeNull();

    // Blind choice: draft A each time, on up to three products; the page never says which model wrote it.
    const products = Math.min(3, JSON.parse(evaluation!.summary).products as number);
    for (let i = 0; i < products; i++) {
      await page.getByRole("button", { name: /^Choose draft A for / }).nth(i).click();
      await page.getByText("Choice recorded.").first().waitFor({ timeout: 30_000 });
      // The message from the first choice is already on the page: wait for this choice itself.
      await expect.poll(() => db.voiceBlindChoice.count({ where: { shop: DEMO_SHOP } }), { timeout: 30_000 }).toBe(i + 1);
    }
    await page.screenshot({ path: screenshotPath("voice-5-blind-choice"), fullPage: true });

    // Adoption, on the merchant's approval.
    await submitAndSee("Approve and adopt the fine-tune", /Adopted/);
    await page.screenshot({ path: screenshotPath("voice-6-adopted"), fullPage: true });

    // Write, edit and publish one description.
    await submitAndSee("Write description", /Draft written for /);
    const revision = await db.voiceCopyRevision.findFirst({ where: { shop: DEMO_SHOP }, orderBy: { id: "desc" } });
    const editor = page.getByLabel(`Edit the draft for ${revision!.handle} (HTML)`);
    await editor.fill(`${await editor.inputValue()}<p>Checked by hand.</p>`);
    await submitAndSee("Save edit", "Draft saved.");
    const before = await db.catalogItem.findFirst({ where: { shop: DEMO_SHOP, sourceType: "product", handle: revision!.handle } });
    expect(JSON.parse(before!.data).descriptionHtml).not.toContain("Checked by hand.");
    await submitAndSee("Publish to the store", "Published to the store.");
    const after = await db.catalogItem.findFirst({ where: { shop: DEMO_SHOP, sourceType: "product", handle: revision!.handle } });
    expect(JSON.parse(after!.data).descriptionHtml).toMatch(/<p>Checked by hand\.<\/p>$/);
    await page.getByRole("button", { name: "Restore the previous description" }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("voice-7-published"), fullPage: true });
  }, 300_000);
});
