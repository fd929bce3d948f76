/**
 * Reads a theme app extension folder (blocks, snippets, locales, assets) the way
 * Shopify sees it, for the demo storefront preview.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface BlockSetting {
  id?: string;
  type: string;
  default?: unknown;
}

export interface BlockSchema {
  name: string;
  target: string;
  javascript?: string;
  stylesheet?: string;
  settings?: BlockSetting[];
  [key: string]: unknown;
}

export interface ExtensionBlock {
  /** File name without .liquid, e.g. "assistant-embed". */
  name: string;
  source: string;
  schema: BlockSchema;
}

export interface StorefrontExtension {
  dir: string;
  blocks: Map<string, ExtensionBlock>;
  /** Snippet name -> Liquid source. */
  snippets: Map<string, string>;
  /** Storefront locale files: "en" (from en.default.json), "fr", ... -> translations. */
  locales: Map<string, Record<string, unknown>>;
  defaultLocale: string;
}

export class ExtensionError extends Error {
  constructor(
    readonly code: "extension_not_found" | "extension_invalid",
    message: string,
  ) {
    super(message);
    this.name = "ExtensionError";
  }
}

const SCHEMA_TAG = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

export function parseBlockSchema(source: string, file: string): BlockSchema {
  const match = SCHEMA_TAG.exec(source);
  if (!match) throw new ExtensionError("extension_invalid", `${file} has no {% schema %} tag.`);
  try {
    return JSON.parse(match[1]) as BlockSchema;
  } catch (error) {
    throw new ExtensionError("extension_invalid", `${file}: the schema is not valid JSON (${(error as Error).message}).`);
  }
}

/** block.settings as Shopify fills them before a merchant changes anything. */
export function blockSettingDefaults(schema: BlockSchema): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const setting of schema.settings ?? []) {
    if (!setting.id) continue;
    if (setting.default !== undefined) settings[setting.id] = setting.default;
    else settings[setting.id] = setting.type === "checkbox" ? false : null;
  }
  return settings;
}

function listLiquid(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".liquid")).sort() : [];
}

export function loadStorefrontExtension(dir: string): StorefrontExtension {
  if (!existsSync(path.join(dir, "shopify.extension.toml"))) {
    throw new ExtensionError("extension_not_found", `No theme app extension at ${dir} (shopify.extension.toml is missing).`);
  }
  const blocks = new Map<string, ExtensionBlock>();
  for (const file of listLiquid(path.join(dir, "blocks"))) {
    const source = readFileSync(path.join(dir, "blocks", file), "utf8");
    const name = file.replace(/\.liquid$/, "");
    blocks.set(name, { name, source, schema: parseBlockSchema(source, `blocks/${file}`) });
  }
  const snippets = new Map<string, string>();
  for (const file of listLiquid(path.join(dir, "snippets"))) {
    snippets.set(file.replace(/\.liquid$/, ""), readFileSync(path.join(dir, "snippets", file), "utf8"));
  }
  const locales = new Map<string, Record<string, unknown>>();
  let defaultLocale = "en";
  const localeDir = path.join(dir, "locales");
  for (const file of existsSync(localeDir) ? readdirSync(localeDir) : []) {
    if (!file.endsWith(".json") || file.endsWith(".schema.json")) continue;
    const isDefault = file.endsWith(".default.json");
    const code = file.replace(/(\.default)?\.json$/, "");
    try {
      locales.set(code, JSON.parse(readFileSync(path.join(localeDir, file), "utf8")) as Record<string, unknown>);
    } catch (error) {
      throw new ExtensionError("extension_invalid", `locales/${file} is not valid JSON (${(error as Error).message}).`);
    }
    if (isDefault) defaultLocale = code;
  }
  return { dir, blocks, snippets, locales, defaultLocale };
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".json": "application/json",
};

/** An asset of the extension by file name, or null; names with a path are refused. */
export function readExtensionAsset(dir: string, name: string): { body: Buffer; contentType: string } | null {
  if (!/^[\w.-]+$/.test(name) || name.startsWith(".")) return null;
  const file = path.join(dir, "assets", name);
  if (!existsSync(file)) return null;
  return {
    body: readFileSync(file),
    contentType: CONTENT_TYPES[path.extname(name)] ?? "application/octet-stream",
  };
}
