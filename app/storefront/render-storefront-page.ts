/**
 * Renders a demo storefront page: the small theme shell plus the REAL theme app
 * extension Liquid (blocks and snippets from extensionDir), with block.settings
 * from the schema defaults and `| t` from the extension's locale files. App
 * embeds are placed before </body> and each block's schema "javascript" becomes
 * one deferred <script> in <head>, as a Shopify storefront does.
 */
import { blockSettingDefaults, ExtensionError, loadStorefrontExtension, type ExtensionBlock } from "./extension";
import { isVisibleOnStorefront, storefrontGlobals, toLiquidProduct } from "./liquid-objects";
import { createStorefrontLiquid, escapeHtml } from "./storefront-liquid";
import {
  COLLECTION_TEMPLATE,
  HOME_TEMPLATE,
  LAYOUT_TEMPLATE,
  PRODUCT_TEMPLATE,
  THEME_CSS,
  THEME_JS,
} from "./theme-shell";
import type { RenderStorefrontPageInput } from "./types";

export class StorefrontRenderError extends Error {
  constructor(
    readonly code: "product_required" | "block_missing",
    message: string,
  ) {
    super(message);
    this.name = "StorefrontRenderError";
  }
}

const EMBED_BLOCK = "assistant-embed";
const PRODUCT_BLOCK = "ask-product";

export async function renderStorefrontPage(input: RenderStorefrontPageInput): Promise<string> {
  const extension = loadStorefrontExtension(input.extensionDir);
  if (input.page === "product" && !input.product) {
    throw new StorefrontRenderError("product_required", "A product page needs the product to show.");
  }
  const product = input.page === "product" && input.product ? toLiquidProduct(input.product) : null;
  const path =
    input.page === "product" && product
      ? product.url
      : input.page === "collection"
        ? `/collections/${input.collection?.handle ?? "all"}`
        : "/";
  const globals = storefrontGlobals(input.shop, input.locale, input.page, path);
  const engine = createStorefrontLiquid({
    extension,
    locale: input.locale,
    currency: input.shop.currency,
    assetUrlBase: input.assetUrlBase,
    globals,
    templates: {
      "theme/layout.liquid": LAYOUT_TEMPLATE,
      "theme/home.liquid": HOME_TEMPLATE,
      "theme/collection.liquid": COLLECTION_TEMPLATE,
      "theme/product.liquid": PRODUCT_TEMPLATE,
    },
  });

  const scripts = new Set<string>();
  const assetBase = input.assetUrlBase.replace(/\/+$/, "");
  let blockCount = 0;
  async function renderBlock(name: string): Promise<string> {
    const block: ExtensionBlock | undefined = extension.blocks.get(name);
    if (!block) throw new StorefrontRenderError("block_missing", `The extension has no blocks/${name}.liquid.`);
    if (block.schema.javascript) scripts.add(`${assetBase}/${encodeURIComponent(block.schema.javascript)}`);
    const settings = { ...blockSettingDefaults(block.schema), ...input.blockSettings?.[name] };
    const id = `groundwork-${name}-${++blockCount}`;
    const html = await engine.renderFile(`blocks/${name}`, {
      ...globals,
      product,
      cart: input.cart,
      block: { id, type: name, settings, shopify_attributes: "" },
    });
    // Shopify wraps every app block in a div of its own.
    return `<div id="shopify-block-${id}" class="shopify-app-block">${html}</div>`;
  }

  const appBlocks = product && input.withProductBlock !== false ? await renderBlock(PRODUCT_BLOCK) : "";
  const embed = input.withAppEmbed !== false ? await renderBlock(EMBED_BLOCK) : "";
  const products = input.products.filter(isVisibleOnStorefront).map(toLiquidProduct);
  const page = await engine.renderFile(`theme/${input.page}`, {
    ...globals,
    product,
    products,
    collection: input.collection ?? { handle: "all", title: "All products" },
    cart: input.cart,
    app_blocks: appBlocks,
  });
  const header = [...scripts].map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join("\n");
  const title = product ? product.title : input.page === "collection" ? (input.collection?.title ?? "All products") : "Home";
  return engine.renderFile("theme/layout", {
    ...globals,
    cart: input.cart,
    page_title: title,
    theme_css: THEME_CSS,
    theme_js: THEME_JS,
    content_for_header: header,
    content_for_layout: page,
    content_for_body_end: embed,
  });
}

export { ExtensionError };
