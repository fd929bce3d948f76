/**
 * A liquidjs engine that renders theme app extension Liquid the way a Shopify
 * storefront does, for the filters and tags the extension uses: `t` (escaped
 * unless the key ends in _html, {{ name }} interpolation, plural forms),
 * `asset_url`, `json`, `money`, and `{% schema %}` / `{% doc %}` rendering nothing.
 */
import { Liquid, Tag, type TagToken, type TopLevelToken, type Liquid as LiquidEngine } from "liquidjs";
import type { StorefrontExtension } from "./extension";

export interface StorefrontLiquidOptions {
  extension: StorefrontExtension;
  locale: string;
  currency: string;
  assetUrlBase: string;
  /** Extra in-memory templates (the theme shell), by name. */
  templates?: Record<string, string>;
  /** Objects every template and snippet sees (shop, request, routes). */
  globals?: Record<string, unknown>;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** JSON that is also safe inside HTML: <, >, & and line separators are \u-escaped. */
export function toSafeJson(value: unknown): string {
  return (JSON.stringify(value ?? null) ?? "null").replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Locale codes to try, most specific first: "de-CH" -> ["de-CH", "de", <default>]. */
export function localeChain(locale: string, available: Iterable<string>, fallback: string): string[] {
  const have = new Set(available);
  const wanted = [locale, locale.split("-")[0], fallback];
  return [...new Set(wanted.filter((code) => have.has(code)))];
}

function lookup(tree: unknown, key: string): unknown {
  let node = tree;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** Shopify's `t`: missing keys say so visibly, as a storefront does. */
export function createTranslate(extension: StorefrontExtension, locale: string): Translate {
  const chain = localeChain(locale, extension.locales.keys(), extension.defaultLocale);
  const plural = new Intl.PluralRules(locale.split("-")[0] || "en");
  return (key, vars = {}) => {
    let found: unknown;
    for (const code of chain) {
      found = lookup(extension.locales.get(code), key);
      if (found !== undefined) break;
    }
    if (found && typeof found === "object" && typeof vars.count === "number") {
      const forms = found as Record<string, unknown>;
      found = forms[vars.count === 0 && "zero" in forms ? "zero" : plural.select(vars.count)] ?? forms.other;
    }
    if (typeof found !== "string") return `translation missing: ${locale}.${key}`;
    const raw = key.endsWith("_html");
    const text = raw ? found : escapeHtml(found);
    return text.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) =>
      name in vars ? (raw ? String(vars[name] ?? "") : escapeHtml(vars[name])) : "",
    );
  };
}

export function formatMoney(cents: unknown, currency: string, locale: string): string {
  const amount = Number(cents) / 100;
  if (!Number.isFinite(amount)) return "";
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** A block tag whose body is kept out of the output ({% schema %}, {% doc %}). */
function silentBlock(name: string) {
  return class extends Tag {
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: LiquidEngine) {
      super(token, remainTokens, liquid);
      let closed = false;
      while (remainTokens.length) {
        const next = remainTokens.shift()!;
        if ((next as TagToken).name === `end${name}`) {
          closed = true;
          break;
        }
      }
      if (!closed) throw new Error(`{% ${name} %} is not closed`);
    }
    *render(): Generator<unknown, void, unknown> {}
  };
}

/** Keyword arguments arrive from liquidjs as [name, value] pairs. */
function keywordArgs(args: unknown[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const arg of args) {
    if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") vars[arg[0]] = arg[1];
  }
  return vars;
}

export function createStorefrontLiquid(options: StorefrontLiquidOptions): Liquid {
  const { extension, locale, currency } = options;
  const templates: Record<string, string> = { ...options.templates };
  for (const [name, source] of extension.snippets) templates[`${name}.liquid`] = source;
  for (const [name, block] of extension.blocks) templates[`blocks/${name}.liquid`] = block.source;

  const engine = new Liquid({
    templates,
    extname: ".liquid",
    globals: options.globals ?? {},
    strictFilters: true,
    ownPropertyOnly: true,
  });
  const translate = createTranslate(extension, locale);
  const assetBase = options.assetUrlBase.replace(/\/+$/, "");

  engine.registerTag("schema", silentBlock("schema"));
  engine.registerTag("doc", silentBlock("doc"));
  engine.registerFilter("t", (key: unknown, ...args: unknown[]) => translate(String(key), keywordArgs(args)));
  engine.registerFilter("translate", (key: unknown, ...args: unknown[]) => translate(String(key), keywordArgs(args)));
  engine.registerFilter("asset_url", (name: unknown) => `${assetBase}/${encodeURIComponent(String(name))}`);
  engine.registerFilter("json", (value: unknown) => toSafeJson(value));
  engine.registerFilter("money", (cents: unknown) => formatMoney(cents, currency, locale));
  engine.registerFilter("money_with_currency", (cents: unknown) => `${formatMoney(cents, currency, locale)} ${currency}`);
  return engine;
}
