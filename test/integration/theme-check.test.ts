/**
 * The theme app extension as Shopify will judge it: Theme Check (the app
 * extension config, found from shopify.extension.toml) reports no errors, the
 * loader stays far under the 10 KB JavaScript budget, and every translation key
 * the Liquid, the schemas and the chat script use exists in every locale.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { check, Severity } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions/storefront-assistant");
const read = (...parts: string[]) => readFileSync(path.join(root, ...parts), "utf8");
const liquidFiles = ["blocks", "snippets"].flatMap((dir) =>
  readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith(".liquid"))
    .map((f) => `${dir}/${f}`),
);
const localeFiles = readdirSync(path.join(root, "locales"));
const storefrontLocales = localeFiles.filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"));
const schemaLocales = localeFiles.filter((f) => f.endsWith(".schema.json"));

function keysOf(tree: unknown, prefix = ""): string[] {
  if (typeof tree !== "object" || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe("theme app extension: storefront-assistant", () => {
  it("passes Theme Check with zero errors", async () => {
    const offenses = await check(root);
    const report = offenses.map(
      (o) => `${o.severity === Severity.ERROR ? "error" : "warning"} ${o.check} ${path.relative(root, fileURLToPath(o.uri))}:${(o.start?.line ?? 0) + 1} ${o.message}`,
    );
    if (report.length) console.log(`Theme Check:\n${report.join("\n")}`);
    expect(report.filter((line) => line.startsWith("error"))).toEqual([]);
  });

  it("keeps the loader (the only script before interaction) at most 10 KB gzipped", () => {
    const gzipped = gzipSync(readFileSync(path.join(root, "assets", "groundwork-loader.js")), { level: 9 }).length;
    console.log(`groundwork-loader.js: ${gzipped} B gzipped`);
    expect(gzipped).toBeLessThanOrEqual(10 * 1024);
  });

  it("has every `| t` key of the Liquid in every storefront locale, and the same keys in all of them", () => {
    const used = new Set(
      liquidFiles.flatMap((file) => [...read(file).matchAll(/'([\w.]+)'\s*\|\s*t\b/g)].map((m) => m[1])),
    );
    expect(used.size).toBeGreaterThan(40);
    const defaultKeys = keysOf(JSON.parse(read("locales", "en.default.json"))).sort();
    for (const file of storefrontLocales) {
      const keys = new Set(keysOf(JSON.parse(read("locales", file))));
      expect([...used].filter((k) => !keys.has(k)), `missing in locales/${file}`).toEqual([]);
      expect([...keys].sort(), `locales/${file} differs from en.default.json`).toEqual(defaultKeys);
    }
    expect(storefrontLocales.sort()).toEqual(["de.json", "en.default.json", "es.json", "fr.json", "nl.json"]);
  });

  it("has every `t:` schema key in every schema locale", () => {
    const used = new Set(
      liquidFiles.flatMap((file) => [...read(file).matchAll(/"t:([\w.]+)"/g)].map((m) => m[1])),
    );
    expect(used.size).toBeGreaterThan(10);
    expect(schemaLocales).toHaveLength(storefrontLocales.length);
    for (const file of schemaLocales) {
      const keys = new Set(keysOf(JSON.parse(read("locales", file))));
      expect([...used].filter((k) => !keys.has(k)), `missing in locales/${file}`).toEqual([]);
    }
  });

  it("gives the chat script every string it asks for through the strings snippet", () => {
    const provided = new Set([...read("snippets", "groundwork-strings.liquid").matchAll(/data-k="(\w+)"/g)].map((m) => m[1]));
    const chat = read("assets", "groundwork-chat.js");
    const asked = new Set([
      ...[...chat.matchAll(/this\.t\("(\w+)"\)/g)].map((m) => m[1]),
      ...[...chat.matchAll(/"(default_question_\d)"/g)].map((m) => m[1]),
    ]);
    expect(asked.size).toBeGreaterThan(25);
    expect([...asked].filter((k) => !provided.has(k))).toEqual([]);
  });

  it("never parses model or product text as HTML in the shopper-facing scripts", () => {
    for (const file of ["groundwork-loader.js", "groundwork-chat.js"]) {
      expect(read("assets", file), file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    }
  });
});
