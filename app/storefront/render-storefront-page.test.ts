import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createPreviewCart } from "./preview-cart";
import { renderStorefrontPage } from "./render-storefront-page";
import { findStorefrontProduct } from "./liquid-objects";
import { draftProduct, giftCard, hostileProduct, previewProducts, rainShell } from "./fixtures/preview-products";
import type { RenderStorefrontPageInput } from "./types";

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions/storefront-assistant");

function input(overrides: Partial<RenderStorefrontPageInput> = {}): RenderStorefrontPageInput {
  return {
    page: "home",
    products: previewProducts,
    shop: { name: "Demo Outfitters", currency: "EUR" },
    locale: "en",
    cart: createPreviewCart({ products: previewProducts, currency: "EUR" }).get(),
    extensionDir,
    assetUrlBase: "/extension-assets",
    ...overrides,
  };
}

const decodeAttr = (value: string) =>
  value.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The data-config JSON of every <groundwork-assistant> on the page. */
function configs(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<groundwork-assistant[^>]*?data-config="([^"]*)"/g)].map((m) => JSON.parse(decodeAttr(m[1])));
}

/** Everything the extension rendered: the app blocks Shopify would wrap. */
function appMarkup(html: string): string {
  return [...html.matchAll(/<div id="shopify-block-[^"]+" class="shopify-app-block">([\s\S]*?)<\/groundwork-(?:assistant|ask-product)>\s*<\/div>/g)]
    .map((m) => m[1])
    .join("\n");
}

describe("renderStorefrontPage", () => {
  it("GIVEN the home page THEN the grid shows published products, the embed sits before </body> and the loader is one deferred script", async () => {
    const html = await renderStorefrontPage(input());
    expect(html).toContain(`<a href="/products/${rainShell.handle}">`);
    expect(html).not.toContain(draftProduct.title);
    expect(html.match(/<script src="[^"]*groundwork-loader\.js" defer><\/script>/g)).toHaveLength(1);
    expect(html.indexOf("groundwork-loader.js")).toBeLessThan(html.indexOf("</head>"));
    expect(html).not.toMatch(/groundwork-chat\.(js|css)" *(defer|rel)/);
    expect(html).toMatch(/<groundwork-assistant[\s\S]*<\/groundwork-assistant>\s*<\/div>\s*<\/body>/);
    expect(html).toContain("<span>Ask us anything</span>");
    expect(html).not.toContain("<groundwork-ask-product");
    expect(html).toContain('<span data-cart-count>0</span>');
    expect(configs(html)[0]).toEqual({
      proxy: "/apps/groundwork",
      cartAdd: "/cart/add.js",
      cart: "/cart.js",
      locale: "en",
      currency: "EUR",
      contact: "/pages/contact",
      greeting: null,
      questions: null,
      productCards: true,
      product: null,
    });
  });

  it("GIVEN a product page THEN the ask block suggests questions from the options and both hosts know the product", async () => {
    const html = await renderStorefrontPage(input({ page: "product", product: rainShell }));
    expect(html).toContain("<h1>Alpine Rain Shell</h1>");
    expect(html).toContain("Does it come in XL?");
    expect(html).toContain("Is Navy in stock?");
    expect(html).toContain('<option value="41003" disabled>XL / Moss (sold out)</option>');
    const [blockHost, embedHost] = configs(html);
    expect(blockHost.product).toEqual({ handle: rainShell.handle, id: 7001, title: "Alpine Rain Shell" });
    expect(embedHost.product).toEqual(blockHost.product);
    expect(html).toMatch(/<groundwork-assistant\s+class="gw-host"\s+data-headless/);
    expect(html.match(/groundwork-loader\.js/g)).toHaveLength(1);
  });

  it("GIVEN a product with only the default variant THEN no option question is made up", async () => {
    const html = await renderStorefrontPage(input({ page: "product", product: giftCard }));
    expect(html).not.toContain("Default Title?");
    expect(html).toContain("What is it made of?");
  });

  it("GIVEN merchant markup in the description, title and options THEN the theme prints it as HTML but the assistant only ever holds text", async () => {
    const html = await renderStorefrontPage(input({ page: "product", product: hostileProduct }));
    // The theme shell behaves like a real theme.
    expect(html).toContain(`<img src=x onerror="window.__xss=1">`);
    const app = appMarkup(html);
    expect(app).toContain("<groundwork-ask-product");
    expect(app).not.toMatch(/<img|<b>|onerror="/);
    expect(configs(html)[0].product).toMatchObject({ title: hostileProduct.title });
  });

  it.each(["en", "de", "fr", "es", "nl", "fr-CA"])("renders every shopper string in %s with no missing translation", async (locale) => {
    const html = await renderStorefrontPage(input({ page: "product", product: rainShell, locale }));
    expect(html).not.toContain("translation missing");
    expect(html).toContain(`<html lang="${locale}">`);
    expect(configs(html)[0].locale).toBe(locale);
  });

  it("respects merchant settings: page types, labels (escaped) and product cards", async () => {
    const productsOnly = { "assistant-embed": { show_on: "product", launcher_label: "<i>Chat</i>", show_product_cards: false } };
    const home = await renderStorefrontPage(input({ blockSettings: productsOnly }));
    expect(home).not.toContain("<groundwork-assistant");
    const product = await renderStorefrontPage(input({ page: "product", product: rainShell, blockSettings: productsOnly }));
    expect(product).toContain("<span>&lt;i&gt;Chat&lt;/i&gt;</span>");
    expect(configs(product)[1].productCards).toBe(false);
  });

  it("can leave the app out entirely (for before/after measurements)", async () => {
    const html = await renderStorefrontPage(input({ page: "product", product: rainShell, withAppEmbed: false, withProductBlock: false }));
    expect(html).not.toContain("groundwork");
  });

  it("refuses a product page without a product, and finds only visible products by handle", async () => {
    await expect(renderStorefrontPage(input({ page: "product" }))).rejects.toMatchObject({ code: "product_required" });
    expect(findStorefrontProduct(previewProducts, draftProduct.handle)).toBeNull();
    expect(findStorefrontProduct(previewProducts, rainShell.handle)?.id).toBe("7001");
  });
});
