/**
 * The local pipeline in the storefront's languages: GIVEN the sample catalog indexed
 * (built-in embeddings, in-memory sqlite-vec), WHEN a shopper on a de/fr/es/nl storefront
 * asks in their language, THEN the answer is in that language, keeps its citations and
 * passes the validator; what the sources cannot answer is refused naming the store's contact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryCatalog } from "../catalog/memory-catalog";
import { indexBatch } from "../evaluation/index-batch";
import { createLocalEmbeddingModel } from "../providers/local-embedding";
import { createSqliteVecStore } from "../stores/sqlite-vec-store";
import type { VectorStore } from "../stores/types";
import { answerQuestionDetailed, type AnswerQuestionDeps } from "./answer-question";
import { createLocalAnswerer } from "./local-answerer";
import { messagesFor } from "./messages";
import { canvasBelt, espadrille, rainShell, refundPolicy, wrapDress } from "./sample-catalog";
import { validateAnswer } from "./validate-answer";

const SHOP = "northwind.example";
const CONTACT = "help@northwind.example";
let store: VectorStore;
let deps: AnswerQuestionDeps;

beforeAll(async () => {
  const batch = { products: [rainShell, wrapDress, canvasBelt, espadrille], policies: [refundPolicy], pages: [], documents: [] };
  const embedder = createLocalEmbeddingModel();
  store = createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: embedder.dimensions });
  await indexBatch(store, embedder, SHOP, batch);
  const catalog = createMemoryCatalog({ [SHOP]: batch });
  deps = {
    store,
    embedder,
    catalog,
    answerer: createLocalAnswerer(),
    shopProfile: async () => ({ name: "Northwind", contactEmail: CONTACT }),
    vocabulary: (shop) => catalog.vocabulary(shop),
  };
});

afterAll(async () => {
  await store?.close();
});

async function ask(locale: string, question: string, productHandle?: string) {
  const out = await answerQuestionDetailed(deps, { shop: SHOP, question, locale, productHandle });
  // Every shown answer passes the validator on the first attempt: no retry, no fallback.
  expect(out.attemptValidations.every((v) => v.ok), JSON.stringify(out.attemptValidations)).toBe(true);
  expect(validateAnswer({ answer: out.result.answer, citationIds: out.result.citations.map((c) => c.id), refused: out.result.refused }, out.sources).ok).toBe(true);
  return out.result;
}

interface LanguageCase {
  locale: string;
  tallQuestion: string;
  tallAnswer: string;
  noSizeQuestion: string;
  noSizeAnswer: RegExp;
  stockQuestion: string;
  stockAnswer: string;
  priceQuestion: string;
  priceAnswer: string[];
  returnQuestion: string;
  returnWords: RegExp;
  unknownQuestion: string;
  unknownAnswer: RegExp;
}

const cases: LanguageCase[] = [
  {
    locale: "de",
    tallQuestion: "Gibt es die Jacke in Tall-Größen?",
    tallAnswer: "Ja, Alpine Rain Shell gibt es in Tall-Größen: M Tall, L Tall (L Tall ist ausverkauft). [S1]",
    noSizeQuestion: "Gibt es das Kleid in Größe 12?",
    noSizeAnswer: /^Nein, Linen Wrap Dress gibt es nicht in Größe 12\. Erhältlich in: 6, 8, 10\. \[S\d\]$/,
    stockQuestion: "Ist die Jacke auf Lager?",
    stockAnswer: "Alpine Rain Shell ist in S, M, M Tall auf Lager; L, L Tall sind ausverkauft.",
    priceQuestion: "Was kostet das Kleid?",
    priceAnswer: ["Linen Wrap Dress kostet 89,00\u00a0$.", "Gerade im Angebot: 89,00\u00a0$ statt 120,00\u00a0$."],
    returnQuestion: "Wie lange habe ich Zeit für eine Rückgabe?",
    returnWords: /^Das sagt der Shop dazu/,
    unknownQuestion: "Ist die Jacke maschinenwaschbar?",
    unknownAnswer: /^Das kann ich Ihnen zu Alpine Rain Shell leider nicht sagen .* Sie erreichen Northwind unter help@northwind\.example\.$/,
  },
  {
    locale: "fr",
    tallQuestion: "Est-ce que la veste existe en tailles Tall ?",
    tallAnswer: "Oui, Alpine Rain Shell existe en tailles Tall\u00a0: M Tall, L Tall (L Tall est en rupture de stock). [S1]",
    noSizeQuestion: "La robe existe-t-elle en taille 12 ?",
    noSizeAnswer: /^Non, Linen Wrap Dress n'existe pas en taille 12\. Options proposées\u00a0: 6, 8, 10\. \[S\d\]$/,
    stockQuestion: "La veste est-elle en stock ?",
    stockAnswer: "Alpine Rain Shell est en stock en S, M, M Tall\u00a0; L, L Tall sont en rupture de stock.",
    priceQuestion: "Combien coûte la robe ?",
    priceAnswer: ["Linen Wrap Dress coûte 89,00\u00a0$.", "En promotion\u00a0: 89,00\u00a0$ (au lieu de 120,00\u00a0$)."],
    returnQuestion: "Combien de jours ai-je pour un retour ?",
    returnWords: /^Voici ce qu'indique la boutique/,
    unknownQuestion: "La veste passe-t-elle en machine ?",
    unknownAnswer: /^Je n'ai pas cette information sur Alpine Rain Shell.* Vous pouvez contacter Northwind\u00a0: help@northwind\.example\.$/,
  },
  {
    locale: "es",
    tallQuestion: "¿La chaqueta viene en tallas Tall?",
    tallAnswer: "Sí, Alpine Rain Shell viene en tallas Tall: M Tall, L Tall (no queda stock de L Tall). [S1]",
    noSizeQuestion: "¿El vestido viene en talla 12?",
    noSizeAnswer: /^No, Linen Wrap Dress no viene en talla 12\. Viene en: 6, 8, 10\. \[S\d\]$/,
    stockQuestion: "¿La chaqueta está en stock?",
    stockAnswer: "Alpine Rain Shell está en stock en S, M, M Tall; no queda stock de L, L Tall.",
    priceQuestion: "¿Cuánto cuesta el vestido?",
    priceAnswer: ["Linen Wrap Dress cuesta 89,00\u00a0$.", "Ahora está en oferta por 89,00\u00a0$ (antes 120,00\u00a0$)."],
    returnQuestion: "¿Cuántos días tengo para una devolución?",
    returnWords: /^Esto es lo que dice la tienda/,
    unknownQuestion: "¿Se puede lavar la chaqueta a máquina?",
    unknownAnswer: /^No tengo esa información sobre Alpine Rain Shell.* Puedes contactar con Northwind en help@northwind\.example\.$/,
  },
  {
    locale: "nl",
    tallQuestion: "Is de jas verkrijgbaar in Tall-maten?",
    tallAnswer: "Ja, Alpine Rain Shell is verkrijgbaar in Tall-maten: M Tall, L Tall (L Tall is uitverkocht). [S1]",
    noSizeQuestion: "Is de jurk er in maat 12?",
    noSizeAnswer: /^Nee, Linen Wrap Dress is niet verkrijgbaar in maat 12\. Wel verkrijgbaar in: 6, 8, 10\. \[S\d\]$/,
    stockQuestion: "Is de jas op voorraad?",
    stockAnswer: "Alpine Rain Shell is op voorraad in S, M, M Tall; L, L Tall zijn uitverkocht.",
    priceQuestion: "Hoeveel kost de jurk?",
    priceAnswer: ["Linen Wrap Dress kost $\u00a089,00.", "Nu in de aanbieding voor $\u00a089,00 (was $\u00a0120,00)."],
    returnQuestion: "Hoeveel dagen heb ik om te retourneren?",
    returnWords: /^Dit zegt de winkel erover/,
    unknownQuestion: "Mag de jas in de wasmachine?",
    unknownAnswer: /^Dat weet ik helaas niet van Alpine Rain Shell.* U kunt Northwind bereiken via help@northwind\.example\.$/,
  },
];

describe.each(cases)("the local pipeline in $locale", (c) => {
  it("answers a size question, yes and no, in the shopper's language", async () => {
    const yes = await ask(c.locale, c.tallQuestion, rainShell.handle);
    expect(yes.answer).toBe(c.tallAnswer);
    expect(yes.citations.map((x) => x.title)).toEqual(["Alpine Rain Shell"]);
    const no = await ask(c.locale, c.noSizeQuestion, wrapDress.handle);
    expect(no.answer).toMatch(c.noSizeAnswer);
    expect(no.refused).toBe(false);
  });

  it("answers an availability question variant by variant", async () => {
    const out = await ask(c.locale, c.stockQuestion, rainShell.handle);
    expect(out.answer).toContain(c.stockAnswer);
    expect(out.answer).toMatch(/\[S\d\]$/);
  });

  it("answers a price question with the locale's price format and the sale price", async () => {
    const out = await ask(c.locale, c.priceQuestion, wrapDress.handle);
    for (const sentence of c.priceAnswer) expect(out.answer).toContain(sentence);
    expect(out.citations.map((x) => x.title)).toEqual(["Linen Wrap Dress"]);
  });

  it("quotes the return window from the policy, cited", async () => {
    const out = await ask(c.locale, c.returnQuestion);
    expect(out.intent).toBe("policy");
    expect(out.refused).toBe(false);
    expect(out.answer).toMatch(c.returnWords);
    expect(out.answer).toContain("within 30 days of delivery");
    expect(out.answer).toMatch(/\[S\d\]/);
    expect(out.citations.length).toBeGreaterThan(0);
  });

  it("refuses what the sources do not say, naming the store's contact", async () => {
    const out = await ask(c.locale, c.unknownQuestion, rainShell.handle);
    expect(out.refused).toBe(true);
    expect(out.answer).toMatch(c.unknownAnswer);
    expect(out.citations).toEqual([]);
  });
});

describe("locales", () => {
  it("hands order questions off in the shopper's language", async () => {
    const out = await ask("de", "Wo ist meine Bestellung?");
    expect(out.intent).toBe("order_status");
    expect(out.answer).toBe(
      "Bestellungen kann ich hier leider nicht nachschlagen. Wenden Sie sich mit Ihrer Bestellnummer an Northwind (help@northwind.example) – dort hilft man Ihnen gleich weiter.",
    );
  });

  it("maps regional locales to their language and falls back to English for others", async () => {
    expect(messagesFor("de-AT").priceSingle("X", "1")).toBe("X kostet 1.");
    expect(messagesFor("fr_CA").priceSingle("X", "1")).toBe("X coûte 1.");
    expect(messagesFor("NL-be").priceSingle("X", "1")).toBe("X kost 1.");
    expect(messagesFor("ja").priceSingle("X", "1")).toBe("The X is 1.");
    expect(messagesFor(undefined).priceSingle("X", "1")).toBe("The X is 1.");

    const austrian = await ask("de-AT", "Was kostet das Kleid?", wrapDress.handle);
    // de-AT writes the symbol first ("$ 89,00"): the words are German, the format Austrian, and it validates.
    expect(austrian.answer).toContain("Linen Wrap Dress kostet $\u00a089,00.");
    const canadian = await ask("fr_CA", "La veste est-elle en stock ?", rainShell.handle);
    expect(canadian.answer).toContain("est en stock en S, M, M Tall");
    const japanese = await ask("ja", "how much is this dress?", wrapDress.handle);
    expect(japanese.answer).toContain("The Linen Wrap Dress is $89.00.");
  });

  it("gives every language a complete catalog", () => {
    const en = messagesFor("en");
    for (const locale of ["de", "fr", "es", "nl"]) {
      const m = messagesFor(locale);
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        // Nothing falls through to English: every sentence is the language's own ("Type" may stay "Type").
        if (typeof en[key] === "function") expect(m[key], `${locale}.${key}`).not.toBe(en[key]);
      }
      expect(m.theStore).not.toBe(en.theStore);
      expect(m.notOnSale).not.toBe(en.notOnSale);
      expect(Object.keys(m.regionNames).sort()).toEqual(Object.keys(en.regionNames).sort());
    }
  });

  it("joins lists with the language's own 'and'", () => {
    expect(messagesFor("de").list(["S", "M", "L"])).toBe("S, M und L");
    expect(messagesFor("fr").list(["S", "M", "L"])).toBe("S, M et L");
    expect(messagesFor("es").list(["S", "M", "L"])).toBe("S, M y L");
    expect(messagesFor("nl").list(["S", "M", "L"])).toBe("S, M en L");
    expect(messagesFor("de").comesInYes("X", "Größe M", ["M", "M Tall"], ["L", "L Tall"])).toBe("Ja, X gibt es in Größe M: M, M Tall (L und L Tall sind ausverkauft).");
    expect(messagesFor("nl").inStockIn("X", "maat M", ["M"], ["M Tall"])).toBe("Ja, X is op voorraad in maat M: M (M Tall is uitverkocht).");
  });
});

describe("the answers' register matches the widget's", () => {
  const store = { name: "Northwind", email: "help@northwind.example" };
  /** Every sentence that addresses the shopper, in one language. */
  const addressed = (locale: string) => {
    const m = messagesFor(locale);
    return [m.contact(store), m.contact({ name: "Northwind" }), m.dontKnow("zu X", store), m.offTopic(store), m.orderStatus(store), m.whichProduct(store), m.whichTwoProducts(), m.constraintText({ values: [], priceMax: "50" })].join(" ");
  };

  it("German says Sie, as the widget's German strings do", () => {
    expect(addressed("de")).not.toMatch(/\b(du|dir|dich|dein\w*)\b/i);
    expect(addressed("de")).toMatch(/\b(Sie|Ihnen|Ihr\w*)\b/);
  });

  it("Dutch says u, as the widget's Dutch strings do", () => {
    expect(addressed("nl")).not.toMatch(/\b(je|jij|jou|jouw)\b/i);
    expect(addressed("nl")).toMatch(/\b(u|uw)\b/);
  });
});
