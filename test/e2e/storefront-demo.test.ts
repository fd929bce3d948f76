/**
 * The demo storefront preview in Chromium against the real, built server in
 * demo mode: the real extension Liquid and assets, the real answering pipeline
 * through the demo's stand-in for the app proxy, and the preview cart.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP } from "../../app/config";
import { openDatabase } from "../../app/db/open-database";
import { browserSkipReason, hasChromium, launchBrowser, screenshotPath } from "../support/browser";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot, startTestServer, type TestServer } from "../support/server";

/** A merchant product whose title and description carry markup that must stay text in the assistant. */
const hostileCatalog = {
  products: [
    {
      id: 7700001,
      title: "Signal <img src=x onerror=window.__xss=1> Hoodie",
      handle: "signal-hoodie",
      // Escaped in the HTML, so the description's text holds a literal <img ...> tag.
      body_html: "<p>A soft hoodie.</p><p>Care: &lt;img src=x onerror=window.__xss=2&gt; wash cold.</p>",
      vendor: "Harbor & Heath",
      product_type: "Hoodies",
      status: "active",
      published_at: "2026-01-01T00:00:00Z",
      options: [{ name: "Size", values: ["S", "M"] }],
      variants: [
        { id: 7700011, title: "S", option1: "S", price: "59.00", inventory_quantity: 4, inventory_management: "shopify" },
        { id: 7700012, title: "M", option1: "M", price: "59.00", inventory_quantity: 4, inventory_management: "shopify" },
      ],
    },
  ],
};

describe.skipIf(!hasChromium)(`demo storefront preview in Chromium${hasChromium ? "" : ` (${browserSkipReason})`}`, () => {
  let server: TestServer;
  let browser: Browser;
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    // The demo store plus one hostile product, imported into the server's data before it starts.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-demo-e2e-"));
    database = await createTestDatabase();
    writeFileSync(path.join(dataDir, "hostile.json"), JSON.stringify(hostileCatalog));
    const env = { ...process.env, GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: database.url };
    const run = spawnSync(
      process.execPath,
      [path.join(repoRoot, "bin/groundwork.mjs"), "import", "--shop", DEMO_SHOP, "--currency", "USD", path.join(repoRoot, "demo-store"), path.join(dataDir, "hostile.json")],
      { cwd: repoRoot, env, encoding: "utf8", timeout: 150_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const profile = JSON.parse(readFileSync(path.join(repoRoot, "demo-store/store.json"), "utf8")) as { name: string; contactEmail: string; locale: string };
    const db = openDatabase(database.url);
    await db.shop.update({ where: { domain: DEMO_SHOP }, data: { name: profile.name, contactEmail: profile.contactEmail, locale: profile.locale, isDemo: true } });
    await db.$disconnect();
    [server, browser] = await Promise.all([startTestServer({ demo: true, database, env: { GROUNDWORK_DATA_DIR: dataDir } }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const dialog = (page: Page) => page.locator('[role="dialog"]');
  const xss = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: number }).__xss);

  async function askByKeyboard(page: Page, question: string) {
    const answers = await page.locator(".gw-msg--assistant .gw-answer").count();
    await page.locator(".gw-input").focus();
    await page.keyboard.type(question);
    await page.keyboard.press("Enter");
    // The welcome message has no .gw-answer; wait for this question's answer (with its feedback buttons).
    await page.locator(".gw-msg--assistant .gw-answer").nth(answers).waitFor();
    await page.locator(".gw-msg--assistant").last().locator(".gw-thumb").first().waitFor();
    return page.locator(".gw-msg--assistant").last();
  }

  it("GIVEN the home page WHEN a shopper opens the assistant by keyboard and asks about size M THEN a cited answer and a card that adds to the cart", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url, { waitUntil: "load" });
    expect(await page.title()).toBe("Home – Harbor & Heath");
    expect(await page.locator(".grid .card").count()).toBeGreaterThan(40);
    expect(await page.locator("[data-cart-count]").textContent()).toBe("0");
    // The demo store's photos are the app's own drawings: every tile in view has loaded one.
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>(".grid .card img")]
        .filter((img) => img.getBoundingClientRect().top < innerHeight)
        .every((img) => img.complete),
    );
    const tiles = await page.locator(".grid .card img").evaluateAll((imgs) =>
      (imgs as HTMLImageElement[])
        .filter((img) => img.getBoundingClientRect().top < innerHeight)
        .map((img) => ({ src: new URL(img.src).pathname, width: img.naturalWidth })),
    );
    expect(tiles.length).toBeGreaterThanOrEqual(4);
    for (const tile of tiles) {
      expect(tile.src).toMatch(/^\/demo-images\/[a-z0-9-]+-1\.svg$/);
      expect(tile.width, tile.src).toBeGreaterThan(0);
    }

    // Keyboard only: Tab to the launcher, Enter opens the dialog with focus in the input.
    let onLauncher = false;
    for (let i = 0; i < 120 && !onLauncher; i++) {
      await page.keyboard.press("Tab");
      onLauncher = await page.evaluate(() => document.activeElement?.hasAttribute("data-gw-launcher") ?? false);
    }
    expect(onLauncher).toBe(true);
    await page.keyboard.press("Enter");
    await dialog(page).waitFor({ state: "visible" });
    expect(await page.evaluate(() => document.activeElement?.classList.contains("gw-input"))).toBe(true);

    const answer = await askByKeyboard(page, "Does the Ridgeline Rain Shell come in size M?");
    expect(await answer.locator(".gw-answer").textContent()).toMatch(/Ridgeline Rain Shell comes in size M/);
    expect(await answer.locator(".gw-sources a").evaluateAll((links) => links.map((a) => new URL(a.getAttribute("href")!, location.href).pathname))).toContain(
      "/products/ridgeline-rain-shell",
    );
    const card = answer.locator(".gw-card");
    expect(await card.locator(".gw-card-title").textContent()).toBe("Ridgeline Rain Shell");
    const options = await card.locator("option").allTextContents();
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((o) => o.startsWith("M /"))).toBe(true);
    const cardImage = card.locator("img");
    await expect.poll(() => cardImage.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await cardImage.getAttribute("src")).toMatch(/\/demo-images\/ridgeline-rain-shell-1\.svg$/);
    await card.locator("select").selectOption("ridgeline-rain-shell:m-regular-slate");
    await card.locator(".gw-add").click();
    await page.locator("[data-cart-count]", { hasText: "1" }).first().waitFor();
    expect(await card.locator(".gw-card-status").textContent()).toBe("Added to your cart.");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath("storefront-demo-desktop") });
    const cart = (await (await page.request.get(`${server.url}/cart.js`)).json()) as { item_count: number; items: { variant_title: string; handle: string }[] };
    expect(cart.item_count).toBe(1);
    expect(cart.items[0]).toMatchObject({ handle: "ridgeline-rain-shell", variant_title: "M / Regular / Slate" });

    // The store's data is silent: an honest answer that says so and points to the store.
    const honest = await askByKeyboard(page, "Is the Ridgeline Rain Shell bulletproof?");
    expect(await honest.locator(".gw-answer").textContent()).toMatch(/I don't know|doesn't say/);
    expect(await honest.locator(".gw-refused").textContent()).toContain("The store team can help");
    expect(await honest.locator(".gw-cards").count()).toBe(0);
    await page.close();
  });

  it("GIVEN a product whose title and description hold <img onerror> WHEN the assistant shows them THEN they are text and nothing runs", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/products/signal-hoodie`, { waitUntil: "load" });
    expect(await page.locator(".product-info h1").textContent()).toBe("Signal <img src=x onerror=window.__xss=1> Hoodie");
    await page.screenshot({ path: screenshotPath("storefront-demo-mobile-product") });

    await page.locator("[data-gw-ask]").focus();
    await page.keyboard.press("Enter");
    await dialog(page).waitFor({ state: "visible" });
    const answer = await askByKeyboard(page, "How do I wash it?");
    expect(await answer.locator(".gw-answer").textContent()).toContain("<img src=x onerror=");
    expect(await answer.locator(".gw-card-title").textContent()).toBe("Signal <img src=x onerror=window.__xss=1> Hoodie");
    expect(await dialog(page).locator("img[src=x], img[src$='/x']").count()).toBe(0);
    expect(await xss(page)).toBeUndefined();
    // Full screen on a phone.
    expect(await dialog(page).evaluate((d) => [d.getBoundingClientRect().width, d.getBoundingClientRect().height])).toEqual([390, 844]);
    await page.screenshot({ path: screenshotPath("storefront-demo-mobile") });
    await page.close();
  });

  it("answers 404 for unknown products, and serves the extension's assets with long cache headers", async () => {
    expect((await fetch(`${server.url}/products/no-such-product`)).status).toBe(404);
    const asset = await fetch(`${server.url}/extension-assets/groundwork-loader.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("max-age=31536000");
    expect(await asset.text()).toContain("customElements.define");
    expect((await fetch(`${server.url}/extension-assets/..%2Fshopify.extension.toml`)).status).toBe(404);
    const bare = await (await fetch(`${server.url}/?embed=0`)).text();
    expect(bare).not.toContain("groundwork-loader.js");
  });

  it("serves every product picture on the home page as an SVG that cannot run script, and 404 for anything else", async () => {
    const home = await (await fetch(server.url)).text();
    const sources = [...home.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(40);
    expect(home).not.toContain("harborandheath.example/products");
    for (const src of sources) {
      const image = await fetch(new URL(src, server.url));
      expect(image.status, src).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
      expect(image.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(image.headers.get("cache-control")).toContain("max-age=");
      expect(await image.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
    const first = await fetch(new URL(sources[0], server.url));
    const again = await fetch(new URL(sources[0], server.url), { headers: { "If-None-Match": first.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
    expect((await fetch(`${server.url}/demo-images/signal-hoodie-1.svg`)).status).toBe(404); // no picture of its own
    expect((await fetch(`${server.url}/demo-images/no-such-product-1.svg`)).status).toBe(404);
    expect((await fetch(`${server.url}/demo-images/ridgeline-rain-shell-9.svg`)).status).toBe(404);
    expect((await fetch(`${server.url}/demo-images/..%2F..%2Fetc-1.svg`)).status).toBe(404);
  });
});
