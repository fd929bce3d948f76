/**
 * The real extension assets in Chromium, on a page rendered by the preview
 * renderer, against a local stand-in for the app proxy that speaks the ask/SSE
 * wire format. Checks what only a browser can: nothing loads before the shopper
 * interacts, focus handling, streamed text stays text, add to cart, feedback,
 * error states. (Belongs with the e2e layer; it starts its own small server.)
 */
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerResult } from "../../app/answering/types";
import { readExtensionAsset } from "../../app/storefront/extension";
import { findStorefrontProduct } from "../../app/storefront/liquid-objects";
import { createPreviewCart } from "../../app/storefront/preview-cart";
import { renderStorefrontPage } from "../../app/storefront/render-storefront-page";
import { previewProducts, rainShell } from "../../app/storefront/fixtures/preview-products";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions/storefront-assistant");
const HOSTILE = `It is <img src=x onerror="window.__xss=1"> waterproof.`;

const answer: AnswerResult & { answerId: string } = {
  answerId: "ans-1",
  answer: HOSTILE,
  refused: false,
  intent: "product_fact",
  citations: [
    { id: "S1", type: "product", title: "Alpine Rain Shell", url: "/products/alpine-rain-shell" },
    { id: "S2", type: "page", title: "Evil", url: "javascript:window.__xss=2" },
  ],
  products: [
    {
      handle: rainShell.handle,
      title: rainShell.title,
      url: rainShell.url,
      price: 189,
      compareAtPrice: 229,
      imageUrl: "/extension-assets/none.png",
      available: true,
      variants: rainShell.variants.map((v) => ({ id: v.id, title: v.title, available: v.available, price: v.price, options: v.options })),
    },
  ],
  comparison: { columns: ["Rain Shell", "Hoodie"], rows: [{ attribute: "Waterproof", values: ["Yes", "<b>No</b>"] }] },
  usage: { model: "fake", inputTokens: 1, outputTokens: 1, costUsd: 0, latencyMs: 1 },
};

interface Seen {
  method: string;
  url: string;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

function startStore(seen: Seen[]): Promise<Server> {
  const cart = createPreviewCart({ products: previewProducts, currency: "EUR" });
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const body = await readBody(req);
    seen.push({ method: req.method ?? "GET", url: url.pathname + url.search, body });
    const product = url.pathname.startsWith("/products/") ? findStorefrontProduct(previewProducts, url.pathname.slice(10)) : null;
    if (url.pathname === "/" || product) {
      const html = await renderStorefrontPage({
        page: product ? "product" : "home",
        product: product ?? undefined,
        products: previewProducts,
        shop: { name: "Demo", currency: "EUR" },
        locale: "en",
        cart: cart.get(),
        extensionDir,
        assetUrlBase: "/extension-assets",
      });
      return res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
    }
    if (url.pathname.startsWith("/extension-assets/")) {
      const asset = readExtensionAsset(extensionDir, url.pathname.slice(18));
      return asset ? res.writeHead(200, { "Content-Type": asset.contentType }).end(asset.body) : json(res, 404, {});
    }
    if (url.pathname === "/cart/add.js") {
      const result = cart.add(JSON.parse(body || "null"));
      return json(res, result.status, result.body);
    }
    if (url.pathname === "/cart.js") return json(res, 200, cart.get());
    if (url.pathname === "/apps/groundwork/questions") return json(res, 200, { questions: ["Is it <i>warm</i>?"] });
    if (url.pathname === "/apps/groundwork/feedback") return json(res, 200, { ok: true });
    if (url.pathname === "/apps/groundwork/ask") {
      const { question } = JSON.parse(body) as { question: string };
      if (question.includes("busy")) return json(res, 429, { code: "rate_limited", message: "slow down" });
      if (question.includes("plain")) return json(res, 200, { ...answer, answer: "Plain JSON answer." });
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });
      for (const piece of [HOSTILE.slice(0, 10), HOSTILE.slice(10)]) {
        res.write(`event: delta\ndata: ${JSON.stringify({ text: piece })}\n\n`);
        await new Promise((r) => setTimeout(r, 20));
      }
      res.end(`event: done\ndata: ${JSON.stringify(answer)}\n\n`);
      return;
    }
    json(res, 404, {});
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe.skipIf(!existsSync(chromiumPath))("storefront assistant in Chromium", () => {
  const seen: Seen[] = [];
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startStore(seen),
      chromium.launch({
        executablePath: chromiumPath,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
      }),
    ]);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  const dialog = (page: Page) => page.locator('[role="dialog"]');

  it("loads nothing but the loader until the shopper interacts, then converses safely by keyboard", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base, { waitUntil: "load" });
    await page.waitForFunction(() => customElements.get("groundwork-assistant") !== undefined);
    await page.waitForTimeout(100);
    const before = seen.map((s) => s.url).filter((u) => u !== "/favicon.ico");
    expect(before).toEqual(["/", "/extension-assets/groundwork-loader.js"]);

    await page.evaluate(() => document.addEventListener("cart:updated", () => ((window as unknown as { cartEvents: number }).cartEvents = 1)));
    await page.focus("[data-gw-launcher]");
    await page.keyboard.press("Enter");
    await dialog(page).waitFor({ state: "visible" });
    expect(seen.map((s) => s.url)).toContain("/extension-assets/groundwork-chat.js");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("gw-input"))).toBe(true);
    expect(await page.getAttribute("[data-gw-launcher]", "aria-expanded")).toBe("true");

    await page.keyboard.type("Is it waterproof?");
    await page.keyboard.press("Enter");
    await page.locator(".gw-thumb").first().waitFor();
    const ask = JSON.parse(seen.find((s) => s.url === "/apps/groundwork/ask")!.body);
    expect(ask).toEqual({ question: "Is it waterproof?", locale: "en" });

    // Model text stays text, and only http(s) citations become links.
    expect(await page.locator(".gw-answer").last().textContent()).toBe(HOSTILE);
    expect(await dialog(page).locator("img[src=x], b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await dialog(page).locator(".gw-sources a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
      `${base}/products/alpine-rain-shell`,
    ]);
    expect(await dialog(page).locator(".gw-compare th[scope=col]").allTextContents()).toEqual(["Feature", "Rain Shell", "Hoodie"]);
    expect(await dialog(page).locator(".gw-compare td").last().textContent()).toBe("<b>No</b>");

    // Product card: shopper-locale prices, the returned variants only, add to cart.
    const card = dialog(page).locator(".gw-card");
    expect(await card.locator(".gw-price-now").textContent()).toBe("Sale price €189.00");
    expect(await card.locator(".gw-price-was").textContent()).toBe("Regular price €229.00");
    expect(await card.locator("option").allTextContents()).toEqual(["S / Navy", "M / Navy", "XL / Moss (Sold out)"]);
    await card.locator("select").selectOption("41003");
    expect(await card.locator(".gw-add").isDisabled()).toBe(true);
    await card.locator("select").selectOption("41002");
    await card.locator(".gw-add").click();
    await page.locator("[data-cart-count]", { hasText: "1" }).waitFor();
    expect(await card.locator(".gw-card-status").textContent()).toBe("Added to your cart.");
    expect(await page.evaluate(() => (window as unknown as { cartEvents?: number }).cartEvents)).toBe(1);
    expect(JSON.parse(seen.find((s) => s.url === "/cart/add.js")!.body)).toEqual({ items: [{ id: 41002, quantity: 1 }] });

    // Thumbs down with a reason: the vote at once, then the reason.
    await dialog(page).locator(".gw-thumb").nth(1).click();
    await page.locator(".gw-reason input").fill("Too vague");
    await page.locator(".gw-reason button").click();
    await page.waitForFunction(() => document.querySelector(".gw-thanks")?.textContent !== "");
    const feedback = seen.filter((s) => s.url === "/apps/groundwork/feedback").map((s) => JSON.parse(s.body));
    expect(feedback).toEqual([
      { answerId: "ans-1", rating: "down" },
      { answerId: "ans-1", rating: "down", reason: "Too vague" },
    ]);

    // Focus stays in the dialog; Escape closes and returns focus to the launcher.
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    }
    await page.keyboard.press("Escape");
    expect(await dialog(page).isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute("data-gw-launcher"))).toBe(true);
    expect(await page.getAttribute("[data-gw-launcher]", "aria-expanded")).toBe("false");

    // The conversation survives a reload in the same tab.
    await page.reload();
    await page.click("[data-gw-launcher]");
    await dialog(page).waitFor({ state: "visible" });
    expect(await dialog(page).locator(".gw-msg--user").allTextContents()).toEqual(["You: Is it waterproof?"]);
    expect(await page.locator(".gw-answer").last().textContent()).toBe(HOSTILE);
    await page.close();
  });

  it("shows rate limits, offline and plain JSON answers, and asks about the product from the product block", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    seen.length = 0;
    await page.goto(`${base}/products/${rainShell.handle}`, { waitUntil: "load" });
    await page.evaluate(() => sessionStorage.clear());
    await page.hover("groundwork-ask-product");
    await page.locator("[data-gw-popular]:not([hidden]) button").waitFor();
    expect(await page.locator("[data-gw-popular] button").textContent()).toBe("Is it <i>warm</i>?");

    await page.getByRole("button", { name: "Does it come in XL?" }).click();
    await dialog(page).waitFor({ state: "visible" });
    await page.locator(".gw-thumb").first().waitFor();
    const ask = JSON.parse(seen.find((s) => s.url === "/apps/groundwork/ask")!.body);
    expect(ask).toMatchObject({ question: "Does it come in XL?", productHandle: rainShell.handle, locale: "en" });
    expect(await page.locator(".gw-context").textContent()).toBe("About this product: Alpine Rain Shell");
    // Full screen on a small viewport.
    expect(await dialog(page).evaluate((d) => [d.getBoundingClientRect().width, d.getBoundingClientRect().height])).toEqual([390, 800]);

    await page.fill(".gw-input", "are you busy?");
    await page.keyboard.press("Enter");
    await page.locator('.gw-msg--problem[data-kind="rate_limited"]').waitFor();

    await page.fill(".gw-input", "plain please");
    await page.keyboard.press("Enter");
    await page.locator(".gw-answer", { hasText: "Plain JSON answer." }).waitFor();

    await page.context().setOffline(true);
    await page.fill(".gw-input", "anyone there?");
    await page.keyboard.press("Enter");
    await page.locator('.gw-msg--problem[data-kind="offline"]').waitFor();
    expect(await page.locator('.gw-msg--problem[data-kind="offline"] a').textContent()).toBe("Contact the store");
    await page.context().setOffline(false);
    await page.close();
  });
});
