import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadStorefrontExtension, type StorefrontExtension } from "./extension";
import { createStorefrontLiquid, createTranslate, localeChain, toSafeJson } from "./storefront-liquid";

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions/storefront-assistant");

function fakeExtension(locales: Record<string, Record<string, unknown>>): StorefrontExtension {
  return { dir: "/nowhere", blocks: new Map(), snippets: new Map(), locales: new Map(Object.entries(locales)), defaultLocale: "en" };
}

describe("createTranslate", () => {
  const ext = fakeExtension({
    en: { a: { plain: "Tom's <shop>", only_en: "English only", greet: "Hi {{ name }}", raw_html: "<b>{{ name }}</b>", items: { one: "{{ count }} item", other: "{{ count }} items" } } },
    de: { a: { plain: "Toms <Laden>", greet: "Hallo {{ name }}" } },
  });

  it("escapes translations and interpolated values unless the key ends in _html", () => {
    const t = createTranslate(ext, "en");
    expect(t("a.plain")).toBe("Tom&#39;s &lt;shop&gt;");
    expect(t("a.greet", { name: "<img>" })).toBe("Hi &lt;img&gt;");
    expect(t("a.raw_html", { name: "Ann" })).toBe("<b>Ann</b>");
  });

  it("falls back from region to language to the default locale, and says when a key is missing", () => {
    const t = createTranslate(ext, "de-CH");
    expect(t("a.greet", { name: "Ann" })).toBe("Hallo Ann");
    expect(t("a.only_en")).toBe("English only");
    expect(t("a.nope")).toBe("translation missing: de-CH.a.nope");
    expect(localeChain("pt-BR", ["en", "de"], "en")).toEqual(["en"]);
  });

  it("picks plural forms by count", () => {
    const t = createTranslate(ext, "en");
    expect(t("a.items", { count: 1 })).toBe("1 item");
    expect(t("a.items", { count: 3 })).toBe("3 items");
  });
});

describe("createStorefrontLiquid", () => {
  const extension = loadStorefrontExtension(extensionDir);
  const engine = createStorefrontLiquid({ extension, locale: "es", currency: "EUR", assetUrlBase: "/assets/" });

  it("renders nothing for {% schema %} and {% doc %}, maps asset_url, and resolves | t from the extension", async () => {
    const html = await engine.parseAndRender(
      "A{% schema %}{\"name\":\"x\"}{% endschema %}{% doc %}note{% enddoc %}B {{ 'groundwork-chat.js' | asset_url }} {{ 'assistant.send' | t }}",
    );
    expect(html).toBe("AB /assets/groundwork-chat.js Enviar");
  });

  it("| json cannot close a script tag or an attribute, and money formats cents in the shop currency", async () => {
    expect(toSafeJson("</script><b>&")).toBe('"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"');
    expect(toSafeJson(undefined)).toBe("null");
    const html = await engine.parseAndRender("{{ x | json }} {{ 1999 | money }}", { x: { a: "</script>" } });
    expect(html).toBe('{"a":"\\u003c/script\\u003e"} 19,99\u00a0€');
  });
});
