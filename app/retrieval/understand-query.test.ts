import { describe, expect, it } from "vitest";
import type { CatalogProduct } from "../catalog/types";
import { understandQuery } from "./understand-query";

const knownOptions = {
  Size: ["XS", "S", "M", "L", "XL", "M Tall", "L Tall", "6", "8", "10", "12"],
  Color: ["Navy", "Forest Green", "Black"],
  Material: ["Merino Wool", "Cotton"],
};
const productTypes = ["Jackets", "Dresses", "Shoes", "Belts", "Sweaters"];

const jacket = { handle: "alpine-rain-shell", title: "Alpine Rain Shell", productType: "Jackets" } as CatalogProduct;
const dress = { handle: "linen-wrap-dress", title: "Linen Wrap Dress", productType: "Dresses" } as CatalogProduct;

const values = (u: { constraints: { values: { value: string }[] } }) => u.constraints.values.map((w) => w.value);

function understand(question: string, productInContext?: CatalogProduct, extra: Partial<Parameters<typeof understandQuery>[0]> = {}) {
  return understandQuery({ question, locale: "en", productInContext, knownOptions, productTypes, ...extra });
}

describe("understandQuery on the pitch questions", () => {
  it("GIVEN a jacket in context WHEN asked about tall sizes THEN availability with Size=Tall on that jacket", () => {
    const u = understand("does this jacket come in tall sizes?", jacket);
    expect(u.intent).toBe("availability");
    expect(values(u)).toEqual(["Tall"]);
    expect(u.productHandles).toEqual(["alpine-rain-shell"]);
    expect(u.constraints.productType).toBeUndefined();
    expect(u.searchText).toContain("Alpine Rain Shell");
  });

  it("reads the return window for sale items in the EU as a refund policy question with region EU", () => {
    const u = understand("what is the return window for sale items in the EU?");
    expect(u.intent).toBe("policy");
    expect(u.policyTopic).toBe("refund");
    expect(u.constraints.region).toBe("EU");
    expect(u.constraints.saleItems).toBe(true);
    expect(u.filters.sourceTypes).toEqual(["policy", "page", "document"]);
  });

  it("reads 'what goes with this dress that is in stock in size 8' as a recommendation filtered on one variant", () => {
    const u = understand("what goes with this dress that is in stock in size 8?", dress);
    expect(u.intent).toBe("recommendation");
    expect(values(u)).toEqual(["8"]);
    expect(u.constraints.inStock).toBe(true);
    // "this dress" is the product in context, not a wish for more dresses.
    expect(u.constraints.productType).toBeUndefined();
    expect(u.filters.variant).toEqual({ available: true });
    expect(u.filters.sourceTypes).toEqual(["product"]);
  });

  it("reads 'what is the difference between these two?' as a comparison of the products in context", () => {
    const u = understand("what is the difference between these two?", jacket, { otherProductsInContext: [dress] });
    expect(u.intent).toBe("comparison");
    expect(u.productHandles).toEqual(["alpine-rain-shell", "linen-wrap-dress"]);
  });
});

describe("understandQuery constraints", () => {
  it.each([
    ["do you have it in M?", ["M"]],
    ["is this available in medium?", ["M"]],
    ["any petite sizes?", ["Petite"]],
    ["does it come in size 12", ["12"]],
    ["is the navy one in stock in L Tall?", ["Navy", "L Tall"]],
    ["do you have this in forest green?", ["Forest Green"]],
    ["I want a merino wool sweater", ["Merino Wool"]],
  ])("%s -> %j", (question, expected) => {
    expect(values(understand(question, jacket))).toEqual(expected);
  });

  it("does not read a lone 'a' or 'I'm' as a size, nor '2 days' as size 2", () => {
    expect(values(understand("I'm looking for a gift", undefined, { knownOptions: { Size: ["A", "M", "2"] } }))).toEqual([]);
    expect(values(understand("can I return it in 2 days", undefined, { knownOptions: { Size: ["2"] } }))).toEqual([]);
  });

  it("keeps a size the shop does not list, so the answer can say no", () => {
    expect(understand("does it come in size 14?", jacket, { knownOptions: {} }).constraints.values).toMatchObject([{ value: "14", size: true }]);
  });

  it.each([
    ["show me jackets under $50", { priceMax: 50 }],
    ["dresses between 20 and 40 euros", { priceMin: 20, priceMax: 40 }],
    ["anything over £100?", { priceMin: 100 }],
    ["from $15 to $30 please", { priceMin: 15, priceMax: 30 }],
    ["can I return it within 30 days", {}],
  ])("price: %s", (question, expected) => {
    const c = understand(question).constraints;
    expect({ priceMin: c.priceMin, priceMax: c.priceMax }).toEqual({ priceMin: undefined, priceMax: undefined, ...expected });
  });

  it("does not read a product type from inside an option value the shopper asks for", () => {
    const planter = { handle: "riviera-planter", title: "Riviera Planter", productType: "Pot", variants: [] } as unknown as CatalogProduct;
    const sizes = { Taille: ["S - 30 cm - Ø pot 17 cm", "M - 40 cm - Ø pot 21 cm"] };
    const u = understand("Est-ce que ça existe en M - 40 cm - Ø pot 21 cm ?", planter, { locale: "fr", knownOptions: sizes, productTypes: ["Pot", "Plante"] });
    expect(values(u)).toEqual(["M - 40 cm - Ø pot 21 cm"]);
    expect(u.constraints.productType).toBeUndefined();
    expect(u.intent).not.toBe("listing");
    expect(understand("Which pots are in stock in M - 40 cm - Ø pot 21 cm?", undefined, { knownOptions: sizes, productTypes: ["Pot"] }).constraints.productType).toBe("Pot");
    // Only the whole value is set aside: size "s" leaves "Jersey" whole.
    const jerseys = understand("Which Jersey do you have in s right now?", undefined, { knownOptions: { Size: ["s", "m", "l"] }, productTypes: ["Jersey"] });
    expect(jerseys.constraints.productType).toBe("Jersey");
    expect(jerseys.intent).toBe("listing");
  });

  it("prefers the product type named as the shop writes it over a singular or plural of another type", () => {
    const types = ["Sleep Patch", "Sleep Patches", "Pillows"];
    expect(understand("Which Sleep Patch do you have in 30 PCS right now?", undefined, { productTypes: types }).constraints.productType).toBe("Sleep Patch");
    expect(understand("Which sleep patches are in stock?", undefined, { productTypes: types }).constraints.productType).toBe("Sleep Patches");
    expect(understand("Which pillow is in stock?", undefined, { productTypes: types }).constraints.productType).toBe("Pillows");
  });

  it("reads a product type the shopper wants", () => {
    const u = understand("can you recommend shoes under $80 that are in stock?");
    expect(u.intent).toBe("recommendation");
    expect(u.constraints.productType).toBe("Shoes");
    expect(u.filters).toMatchObject({ productType: "Shoes", priceMax: 80, available: true });
  });

  it.each([
    ["do you ship to Germany?", "EU"],
    ["returns from the UK", "UK"],
    ["shipping to the US", "US"],
    ["how long does delivery take in France", "EU"],
    ["can you send us a replacement", undefined],
  ])("region: %s -> %s", (question, region) => {
    expect(understand(question).constraints.region).toBe(region);
  });
});

describe("understandQuery intents", () => {
  it.each([
    ["where is my order #1234?", "order_status"],
    ["can you track my package", "order_status"],
    ["what's the weather in Paris?", "off_topic"],
    ["tell me a joke", "off_topic"],
    ["hello!", "off_topic"],
    ["how much is this?", "product_fact"],
    ["what is it made of?", "product_fact"],
    ["is this in stock?", "availability"],
    ["does it run small?", "availability"],
    ["what colours does it come in?", "availability"],
    ["do you offer free shipping?", "policy"],
    ["is there a warranty?", "policy"],
    ["Alpine Rain Shell vs Linen Wrap Dress", "comparison"],
    ["recommend a warm sweater", "recommendation"],
  ])("%s -> %s", (question, intent) => {
    expect(understand(question, jacket).intent).toBe(intent);
  });

  it("names products the shopper mentions by title", () => {
    const u = understand("is the Linen Wrap Dress or the Alpine Rain Shell better for travel?", undefined, {
      knownProducts: [
        { handle: "linen-wrap-dress", title: "Linen Wrap Dress" },
        { handle: "alpine-rain-shell", title: "Alpine Rain Shell" },
      ],
    });
    expect(u.intent).toBe("comparison");
    expect(u.productHandles.sort()).toEqual(["alpine-rain-shell", "linen-wrap-dress"]);
  });

  it("sets a price aspect for price questions and a sizing aspect for fit questions", () => {
    expect(understand("how much does this cost?", jacket).aspect).toBe("price");
    expect(understand("does it run true to size?", jacket).aspect).toBe("sizing");
  });
});

describe("understandQuery on a translated storefront", () => {
  it("reads the common questions in German, French, Spanish and Dutch", () => {
    for (const q of ["Was kostet die Jacke?", "Combien coûte la veste ?", "¿Cuánto cuesta la chaqueta?", "Hoeveel kost de jas?"]) {
      expect(understand(q, jacket).aspect, q).toBe("price");
    }
    for (const q of ["Ist die Jacke auf Lager?", "La veste est-elle en stock ?", "¿La chaqueta está en stock?", "Is de jas op voorraad?"]) {
      expect(understand(q, jacket).aspect, q).toBe("stock");
    }
    for (const q of ["Gibt es das Kleid in Größe 12?", "La robe existe-t-elle en taille 12 ?", "¿El vestido viene en talla 12?", "Is de jurk er in maat 12?"]) {
      expect(values(understand(q, dress)), q).toEqual(["12"]);
    }
    for (const q of ["Wie lange kann ich Artikel zurückgeben?", "Combien de jours pour un retour ?", "¿Cuántos días tengo para una devolución?", "Hoeveel dagen heb ik om te retourneren?"]) {
      expect(understand(q), q).toMatchObject({ intent: "policy", policyTopic: "refund" });
    }
    expect(understand("Wo ist meine Bestellung?").intent).toBe("order_status");
    // A day count is not a size: "en 8 jours" asks about time.
    expect(values(understand("Livrée en 8 jours ?", dress))).toEqual([]);
  });
});

describe("every intent in every widget language", () => {
  const cases: Record<string, [string, Record<string, unknown>][]> = {
    en: [
      ["Can I return this if it doesn't fit?", { intent: "policy", policyTopic: "refund" }],
      ["How long does delivery take?", { intent: "policy", policyTopic: "shipping" }],
      ["Does this come in size 8?", { intent: "availability", aspect: "options" }],
      ["Is this in stock?", { intent: "availability", aspect: "stock" }],
      ["How much is this?", { aspect: "price" }],
      ["Can you recommend something to wear with this?", { intent: "recommendation" }],
      ["What's the difference between these two?", { intent: "comparison" }],
    ],
    de: [
      ["Kann ich das zurückgeben, wenn es nicht passt?", { intent: "policy", policyTopic: "refund" }],
      ["Wie lange dauert der Versand?", { intent: "policy", policyTopic: "shipping" }],
      ["Gibt es das in Größe 8?", { intent: "availability", aspect: "options" }],
      ["Ist das auf Lager?", { intent: "availability", aspect: "stock" }],
      ["Was kostet das?", { aspect: "price" }],
      ["Können Sie mir etwas empfehlen, das dazu passt?", { intent: "recommendation" }],
      ["Was ist der Unterschied zwischen diesen beiden?", { intent: "comparison" }],
    ],
    fr: [
      ["Puis-je retourner cet article s'il ne me va pas ?", { intent: "policy", policyTopic: "refund" }],
      ["Combien de temps prend la livraison ?", { intent: "policy", policyTopic: "shipping" }],
      ["Est-ce que ça existe en taille 8 ?", { intent: "availability", aspect: "options" }],
      ["Est-ce en stock ?", { intent: "availability", aspect: "stock" }],
      ["Combien ça coûte ?", { aspect: "price" }],
      ["Pouvez-vous me recommander quelque chose qui va avec ?", { intent: "recommendation" }],
      ["Quelle est la différence entre ces deux ?", { intent: "comparison" }],
    ],
    es: [
      ["¿Puedo devolverlo si no me queda bien?", { intent: "policy", policyTopic: "refund" }],
      ["¿Cuánto tarda el envío?", { intent: "policy", policyTopic: "shipping" }],
      ["¿Viene en talla 8?", { intent: "availability", aspect: "options" }],
      ["¿Está en stock?", { intent: "availability", aspect: "stock" }],
      ["¿Cuánto cuesta?", { aspect: "price" }],
      ["¿Me recomiendas algo que combine con esto?", { intent: "recommendation" }],
      ["¿Cuál es la diferencia entre estos dos?", { intent: "comparison" }],
    ],
    nl: [
      ["Kan ik dit terugsturen als het niet past?", { intent: "policy", policyTopic: "refund" }],
      ["Hoe lang duurt de verzending?", { intent: "policy", policyTopic: "shipping" }],
      ["Is dit er in maat 8?", { intent: "availability", aspect: "options" }],
      ["Is dit op voorraad?", { intent: "availability", aspect: "stock" }],
      ["Wat kost dit?", { aspect: "price" }],
      ["Kunt u iets aanraden dat hierbij past?", { intent: "recommendation" }],
      ["Wat is het verschil tussen deze twee?", { intent: "comparison" }],
    ],
  };
  it.each(Object.entries(cases).flatMap(([locale, list]) => list.map(([q, expected]) => [locale, q, expected] as const)))("%s: %s", (locale, question, expected) => {
    expect(understandQuery({ question, locale, productInContext: dress, otherProductsInContext: [jacket], knownOptions, productTypes })).toMatchObject(expected);
  });
});
