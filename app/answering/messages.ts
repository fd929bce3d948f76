/**
 * Shopper-facing sentences of the local answerer and the pipeline's handoffs,
 * keyed by language (en, de, fr, es, nl). Every catalog is complete; an unknown
 * language falls back to English. Product titles, option values and prices are
 * passed through as given (prices are already formatted for the locale).
 *
 * Stock and existence phrasings here are the ones the validator reads back
 * ("auf Lager", "en rupture de stock", "no queda stock", "op voorraad"...): a
 * change of wording must keep `validate-answer.ts` able to check it.
 */

export interface StoreContactInfo {
  name: string;
  email?: string;
  url?: string;
}

export interface Messages {
  list(items: string[]): string;
  contact(store: StoreContactInfo): string;
  dontKnow(topic: string | undefined, store: StoreContactInfo): string;
  offTopic(store: StoreContactInfo): string;
  orderStatus(store: StoreContactInfo): string;
  whichProduct(store: StoreContactInfo): string;
  whichTwoProducts(): string;
  comesInYes(title: string, what: string, values: string[], outOfStock: string[]): string;
  comesInNo(title: string, what: string, values: string[]): string;
  singleVersion(title: string): string;
  inStockIn(title: string, what: string, values: string[], outOfStock: string[]): string;
  outOfStockIn(title: string, what: string): string;
  inStockAll(title: string, values: string[]): string;
  inStockSome(title: string, inStock: string[], outOfStock: string[]): string;
  soldOut(title: string): string;
  inStockSingle(title: string): string;
  priceSingle(title: string, price: string): string;
  priceRange(title: string, min: string, max: string): string;
  onSale(labels: string, price: string, compareAt: string): string;
  optionValues(title: string, option: string, values: string[], outOfStock: string[]): string;
  fact(label: string, value: string): string;
  fromDescription(title: string): string;
  policyIntro(title: string): string;
  policyNoSale(): string;
  policyNoRegion(region: string): string;
  recommendIntro(what: string, count: number): string;
  recommendItem(title: string, price: string, variants: string[]): string;
  recommendNone(what: string, store: StoreContactInfo): string;
  /** A listing's opening: how many products meet the constraints, and how many follow when not all. */
  listingIntro(total: number, shown: number, what: string, productType?: string): string;
  /** No product of the catalog meets a listing's constraints. */
  listingNone(what: string, productType?: string): string;
  /** Complementary picks for the product in view. */
  complementIntro(title: string, what: string, count: number): string;
  complementNone(title: string, what: string, store: StoreContactInfo): string;
  constraintText(c: { values: string[]; inStock?: boolean; priceMax?: string; priceMin?: string; productType?: string }): string;
  compareIntro(a: string, b: string): string;
  compareLine(attribute: string, a: string, aValue: string, b: string, bValue: string): string;
  compareRowPrice: string;
  compareRowOnSale: string;
  notOnSale: string;
  compareRowInStock: string;
  compareRowType: string;
  compareRowBrand: string;
  inStockCount(available: number, total: number): string;
  none: string;
  /** "size 12": one size the shopper asked for. */
  sizeValue(value: string): string;
  /** "Tall sizes": a group of sizes sharing a qualifier. */
  sizeGroup(value: string): string;
  /** What the shopper's question was about, for `dontKnow` ("that about the X"). */
  aboutProduct(title: string): string;
  /** A policy topic the sources do not cover, for `dontKnow`. */
  aboutThat: string;
  /** A sale price with the price it was reduced from: "$89.00 (was $120.00)". */
  wasPrice(price: string, compareAt: string): string;
  /** The store's name when the profile has none; read in every place `contact` puts a name. */
  theStore: string;
  regionNames: Record<string, string>;
}

function joinWays(s: StoreContactInfo, or: string): string | undefined {
  const ways = [s.email, s.url].filter(Boolean);
  return ways.length > 0 ? ways.join(` ${or} `) : undefined;
}

/** A cell value inside a sentence: without its own full stop. */
function cleanValue(value: string): string {
  return value.replace(/[.\s]+$/, "");
}

function listFormat(lang: string, items: string[]): string {
  return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(items);
}

const en: Messages = {
  list(items) {
    return new Intl.ListFormat("en", { style: "long", type: "conjunction" }).format(items);
  },
  contact(s) {
    const ways = [s.email, s.url].filter(Boolean);
    return ways.length > 0 ? `You can reach ${s.name} at ${ways.join(" or ")}.` : `Please contact ${s.name} directly.`;
  },
  dontKnow(topic, s) {
    return `I don't know${topic ? ` ${topic}` : ""} — the store's information doesn't say, and I won't guess. ${en.contact(s)}`;
  },
  offTopic(s) {
    return `I can only help with questions about ${s.name}'s products and policies. ${en.contact(s)}`;
  },
  orderStatus(s) {
    const ways = [s.email, s.url].filter(Boolean);
    return `I can't look up orders here. ${
      ways.length > 0 ? `Please contact ${s.name} at ${ways.join(" or ")} with your order number` : `Please contact ${s.name} with your order number`
    } and they'll help you right away.`;
  },
  whichProduct(s) {
    return `Which product do you mean? Open its page or tell me its name and I'll check. ${en.contact(s)}`;
  },
  whichTwoProducts() {
    return "Which two products would you like me to compare? Tell me their names and I'll put them side by side.";
  },
  comesInYes(title, what, values, outOfStock) {
    const note = outOfStock.length > 0 ? ` (${en.list(outOfStock)} ${outOfStock.length === 1 ? "is" : "are"} out of stock)` : "";
    return `Yes — the ${title} comes in ${what}: ${values.join(", ")}${note}.`;
  },
  comesInNo(title, what, values) {
    return values.length > 0
      ? `No — the ${title} doesn't come in ${what}. It comes in: ${values.join(", ")}.`
      : `No — the ${title} doesn't come in ${what}.`;
  },
  inStockIn(title, what, values, outOfStock) {
    const note = outOfStock.length > 0 ? ` (${en.list(outOfStock)} ${outOfStock.length === 1 ? "is" : "are"} out of stock)` : "";
    return `Yes — the ${title} is in stock in ${what}: ${values.join(", ")}${note}.`;
  },
  outOfStockIn(title, what) {
    return `No — the ${title} is out of stock in ${what} right now.`;
  },
  singleVersion(title) {
    return `The ${title} comes in one version only.`;
  },
  inStockAll(title, values) {
    return values.length > 0 ? `Yes — the ${title} is in stock in ${values.join(", ")}.` : `Yes — the ${title} is in stock.`;
  },
  inStockSome(title, inStock, outOfStock) {
    return `The ${title} is in stock in ${inStock.join(", ")}; ${outOfStock.join(", ")} ${outOfStock.length === 1 ? "is" : "are"} out of stock.`;
  },
  soldOut(title) {
    return `The ${title} is out of stock right now.`;
  },
  inStockSingle(title) {
    return `Yes — the ${title} is in stock.`;
  },
  priceSingle(title, price) {
    return `The ${title} is ${price}.`;
  },
  priceRange(title, min, max) {
    return `The ${title} costs from ${min} to ${max}, depending on the option.`;
  },
  onSale(labels, price, compareAt) {
    return `${labels ? `${labels} is` : "It is"} on sale for ${price} (was ${compareAt}).`;
  },
  optionValues(title, option, values, outOfStock) {
    const note = outOfStock.length > 0 ? ` (${en.list(outOfStock)} ${outOfStock.length === 1 ? "is" : "are"} out of stock)` : "";
    return `The ${title} comes in these ${option.toLowerCase()} options: ${values.join(", ")}${note}.`;
  },
  fact(label, value) {
    return `${label}: ${value}.`;
  },
  fromDescription(title) {
    return `From the ${title} description:`;
  },
  policyIntro(title) {
    return `Here's what the store's ${title} says:`;
  },
  policyNoSale() {
    return "It doesn't mention a separate rule for sale items.";
  },
  policyNoRegion(region) {
    return `It doesn't mention a separate rule for ${region}.`;
  },
  recommendIntro(what, count) {
    return count === 1 ? `Here's one option${what}:` : `Here are ${count} options${what}:`;
  },
  recommendItem(title, price, variants) {
    return `${title} — ${price}${variants.length > 0 ? `, in stock in ${variants.join(", ")}` : ""}.`;
  },
  recommendNone(what, s) {
    return `I couldn't find a product${what} in the store's catalog. ${en.contact(s)}`;
  },
  listingIntro(total, shown, what, type) {
    const among = type ? ` among the ${type}` : "";
    const head = `I found ${total} ${total === 1 ? "product" : "products"}${what}${among}`;
    return shown < total ? `${head}; here are the first ${shown}:` : `${head}:`;
  },
  listingNone(what, type) {
    return `I found no product${what}${type ? ` among the ${type}` : ""} in the store's catalog.`;
  },
  complementIntro(title, what, count) {
    return `To go with the ${title}, here ${count === 1 ? "is one option" : `are ${count} options`}${what}:`;
  },
  complementNone(title, what, s) {
    return `I couldn't find anything${what} to go with the ${title} in the store's catalog. ${en.contact(s)}`;
  },
  constraintText(c) {
    const parts: string[] = [];
    const opts = c.values;
    if (c.inStock) parts.push(opts.length > 0 ? `in stock in ${opts.map((o) => (/^\d/.test(o) ? `size ${o}` : o)).join(" / ")}` : "in stock");
    else if (opts.length > 0) parts.push(`in ${opts.map((o) => (/^\d/.test(o) ? `size ${o}` : o)).join(" / ")}`);
    // The shopper's own amounts are not repeated: only catalog prices appear in answers, so each can be checked.
    if (c.priceMin || c.priceMax) parts.push("within your price range");
    return parts.length > 0 ? ` ${parts.join(", ")}` : "";
  },
  compareIntro(a, b) {
    return `Here's how the ${a} and the ${b} compare:`;
  },
  compareLine(attribute, a, aValue, b, bValue) {
    return `${attribute}: ${a} — ${cleanValue(aValue)}; ${b} — ${cleanValue(bValue)}.`;
  },
  compareRowPrice: "Price",
  compareRowOnSale: "On sale",
  notOnSale: "not on sale",
  compareRowInStock: "In stock",
  compareRowType: "Type",
  compareRowBrand: "Brand",
  inStockCount(available, total) {
    return available === 0 ? "out of stock" : `${available} of ${total} options in stock`;
  },
  none: "—",
  sizeValue: (value) => `size ${value}`,
  sizeGroup: (value) => `${value} sizes`,
  aboutProduct: (title) => `that about the ${title}`,
  aboutThat: "about that",
  wasPrice: (price, compareAt) => `${price} (was ${compareAt})`,
  theStore: "the store",
  regionNames: { EU: "the EU", UK: "the UK", US: "the US", CA: "Canada", AU: "Australia" },
};

// German: formal "Sie", as the assistant widget's German strings address the shopper. Product titles go without
// an article ("Alpine Rain Shell kostet ..."): their gender is unknown, and a wrong der/die/das reads worse.
// `theStore` is accusative ("diesen Shop") because every sentence puts the name in the accusative.
const de: Messages = {
  list: (items) => listFormat("de", items),
  contact(s) {
    const ways = joinWays(s, "oder");
    return ways ? `Sie erreichen ${s.name} unter ${ways}.` : `Wenden Sie sich bitte direkt an ${s.name}.`;
  },
  dontKnow(topic, s) {
    return `Das kann ich Ihnen${topic ? ` ${topic}` : ""} leider nicht sagen – in den Angaben des Shops steht nichts dazu, und raten möchte ich nicht. ${de.contact(s)}`;
  },
  offTopic(s) {
    return `Ich kann Ihnen nur bei Fragen rund um ${s.name} helfen: zu den Produkten und den Richtlinien. ${de.contact(s)}`;
  },
  orderStatus(s) {
    const ways = joinWays(s, "oder");
    return `Bestellungen kann ich hier leider nicht nachschlagen. Wenden Sie sich mit Ihrer Bestellnummer an ${s.name}${ways ? ` (${ways})` : ""} – dort hilft man Ihnen gleich weiter.`;
  },
  whichProduct(s) {
    return `Welches Produkt meinen Sie? Öffnen Sie seine Seite oder nennen Sie mir den Namen, dann sehe ich nach. ${de.contact(s)}`;
  },
  whichTwoProducts() {
    return "Welche zwei Produkte soll ich vergleichen? Nennen Sie mir ihre Namen, dann stelle ich sie Ihnen gegenüber.";
  },
  comesInYes(title, what, values, outOfStock) {
    return `Ja, ${title} gibt es in ${what}: ${values.join(", ")}${deSoldOutNote(outOfStock)}.`;
  },
  comesInNo(title, what, values) {
    return values.length > 0
      ? `Nein, ${title} gibt es nicht in ${what}. Erhältlich in: ${values.join(", ")}.`
      : `Nein, ${title} gibt es nicht in ${what}.`;
  },
  singleVersion(title) {
    return `${title} gibt es nur in einer Ausführung.`;
  },
  inStockIn(title, what, values, outOfStock) {
    return `Ja, ${title} ist in ${what} auf Lager: ${values.join(", ")}${deSoldOutNote(outOfStock)}.`;
  },
  outOfStockIn(title, what) {
    return `Nein, ${title} ist in ${what} gerade ausverkauft.`;
  },
  inStockAll(title, values) {
    return values.length > 0 ? `Ja, ${title} ist in ${values.join(", ")} auf Lager.` : `Ja, ${title} ist auf Lager.`;
  },
  inStockSome(title, inStock, outOfStock) {
    return `${title} ist in ${inStock.join(", ")} auf Lager; ${outOfStock.join(", ")} ${outOfStock.length === 1 ? "ist" : "sind"} ausverkauft.`;
  },
  soldOut(title) {
    return `${title} ist gerade ausverkauft.`;
  },
  inStockSingle(title) {
    return `Ja, ${title} ist auf Lager.`;
  },
  priceSingle(title, price) {
    return `${title} kostet ${price}.`;
  },
  priceRange(title, min, max) {
    return `${title} kostet je nach Ausführung ${min} bis ${max}.`;
  },
  onSale(labels, price, compareAt) {
    return labels ? `Im Angebot: ${labels} für ${price} statt ${compareAt}.` : `Gerade im Angebot: ${price} statt ${compareAt}.`;
  },
  optionValues(title, option, values, outOfStock) {
    return `${title} gibt es in diesen Ausführungen (${option}): ${values.join(", ")}${deSoldOutNote(outOfStock)}.`;
  },
  fact: (label, value) => `${label}: ${value}.`,
  fromDescription: (title) => `Aus der Beschreibung von ${title}:`,
  policyIntro: (title) => `Das sagt der Shop dazu („${title}“):`,
  policyNoSale: () => "Eine eigene Regel für reduzierte Artikel wird dort nicht erwähnt.",
  policyNoRegion: (region) => `Eine eigene Regel für ${region} wird dort nicht erwähnt.`,
  recommendIntro(what, count) {
    return count === 1 ? `Hier ist eine passende Option${what}:` : `Hier sind ${count} passende Optionen${what}:`;
  },
  recommendItem(title, price, variants) {
    return `${title} – ${price}${variants.length > 0 ? `, auf Lager in ${variants.join(", ")}` : ""}.`;
  },
  recommendNone(what, s) {
    return `Im Sortiment des Shops habe ich leider kein passendes Produkt gefunden${what}. ${de.contact(s)}`;
  },
  listingIntro(total, shown, what, type) {
    const among = type ? ` unter ${type}` : "";
    const head = `Ich habe ${total} ${total === 1 ? "Produkt" : "Produkte"}${among} gefunden${what}`;
    return shown < total ? `${head}; hier sind die ersten ${shown}:` : `${head}:`;
  },
  listingNone(what, type) {
    return `Im Sortiment des Shops habe ich kein Produkt${type ? ` unter ${type}` : ""} gefunden${what}.`;
  },
  complementIntro(title, what, count) {
    return count === 1 ? `Zu ${title} passt diese Option${what}:` : `Zu ${title} passen diese ${count} Optionen${what}:`;
  },
  complementNone(title, what, s) {
    return `Im Sortiment des Shops habe ich leider nichts gefunden, das zu ${title} passt${what}. ${de.contact(s)}`;
  },
  constraintText(c) {
    const parts: string[] = [];
    const opts = c.values.map((o) => (/^\d/.test(o) ? `Größe ${o}` : o));
    if (c.inStock) parts.push(opts.length > 0 ? `in ${opts.join(" / ")} auf Lager` : "auf Lager");
    else if (opts.length > 0) parts.push(`in ${opts.join(" / ")}`);
    if (c.priceMin || c.priceMax) parts.push("in Ihrem Preisrahmen");
    return parts.length > 0 ? ` (${parts.join(", ")})` : "";
  },
  compareIntro: (a, b) => `So unterscheiden sich ${a} und ${b}:`,
  compareLine(attribute, a, aValue, b, bValue) {
    return `${attribute}: ${a} – ${cleanValue(aValue)}; ${b} – ${cleanValue(bValue)}.`;
  },
  compareRowPrice: "Preis",
  compareRowOnSale: "Im Angebot",
  notOnSale: "nicht reduziert",
  compareRowInStock: "Auf Lager",
  compareRowType: "Art",
  compareRowBrand: "Marke",
  inStockCount(available, total) {
    return available === 0 ? "ausverkauft" : `${available} von ${total} Varianten auf Lager`;
  },
  none: "—",
  sizeValue: (value) => `Größe ${value}`,
  sizeGroup: (value) => `${value}-Größen`,
  aboutProduct: (title) => `zu ${title}`,
  aboutThat: "",
  wasPrice: (price, compareAt) => `${price} (statt ${compareAt})`,
  theStore: "diesen Shop",
  regionNames: { EU: "die EU", UK: "Großbritannien", US: "die USA", CA: "Kanada", AU: "Australien" },
};

function deSoldOutNote(outOfStock: string[]): string {
  return outOfStock.length > 0 ? ` (${de.list(outOfStock)} ${outOfStock.length === 1 ? "ist" : "sind"} ausverkauft)` : "";
}

// French: "vous", the register French shoppers expect even from a friendly shop. A no-break space
// goes before ":" and ";" as French typography wants. "En rupture de stock" needs no gender agreement.
const NB = "\u00a0";
const fr: Messages = {
  list: (items) => listFormat("fr", items),
  contact(s) {
    const ways = joinWays(s, "ou");
    return ways ? `Vous pouvez contacter ${s.name}${NB}: ${ways}.` : `Merci de contacter directement ${s.name}.`;
  },
  dontKnow(topic, s) {
    return `Je n'ai pas cette information${topic ? ` ${topic}` : ""}${NB}: les informations de la boutique n'en parlent pas, et je préfère ne pas deviner. ${fr.contact(s)}`;
  },
  offTopic(s) {
    return `Je peux uniquement répondre aux questions sur les produits et les politiques de ${s.name}. ${fr.contact(s)}`;
  },
  orderStatus(s) {
    const ways = joinWays(s, "ou");
    return `Je ne peux pas consulter les commandes ici. Merci de contacter ${s.name}${ways ? ` (${ways})` : ""} en indiquant votre numéro de commande${NB}: on vous aidera sans tarder.`;
  },
  whichProduct(s) {
    return `De quel produit parlez-vous${NB}? Ouvrez sa page ou donnez-moi son nom, et je vérifie. ${fr.contact(s)}`;
  },
  whichTwoProducts() {
    return `Quels produits souhaitez-vous comparer${NB}? Donnez-moi leurs deux noms et je les mets côte à côte.`;
  },
  comesInYes(title, what, values, outOfStock) {
    return `Oui, ${title} existe en ${what}${NB}: ${values.join(", ")}${frSoldOutNote(outOfStock)}.`;
  },
  comesInNo(title, what, values) {
    return values.length > 0
      ? `Non, ${title} n'existe pas en ${what}. Options proposées${NB}: ${values.join(", ")}.`
      : `Non, ${title} n'existe pas en ${what}.`;
  },
  singleVersion(title) {
    return `${title} n'existe qu'en une seule version.`;
  },
  inStockIn(title, what, values, outOfStock) {
    return `Oui, ${title} est en stock en ${what}${NB}: ${values.join(", ")}${frSoldOutNote(outOfStock)}.`;
  },
  outOfStockIn(title, what) {
    return `Non, ${title} est actuellement en rupture de stock en ${what}.`;
  },
  inStockAll(title, values) {
    return values.length > 0 ? `Oui, ${title} est en stock en ${values.join(", ")}.` : `Oui, ${title} est en stock.`;
  },
  inStockSome(title, inStock, outOfStock) {
    return `${title} est en stock en ${inStock.join(", ")}${NB}; ${outOfStock.join(", ")} ${outOfStock.length === 1 ? "est" : "sont"} en rupture de stock.`;
  },
  soldOut(title) {
    return `${title} est actuellement en rupture de stock.`;
  },
  inStockSingle(title) {
    return `Oui, ${title} est en stock.`;
  },
  priceSingle(title, price) {
    return `${title} coûte ${price}.`;
  },
  priceRange(title, min, max) {
    return `${title} coûte de ${min} à ${max} selon l'option choisie.`;
  },
  onSale(labels, price, compareAt) {
    return labels ? `Prix promo pour ${labels}${NB}: ${price} (au lieu de ${compareAt}).` : `En promotion${NB}: ${price} (au lieu de ${compareAt}).`;
  },
  optionValues(title, option, values, outOfStock) {
    return `Voici les options «${NB}${option}${NB}» pour ${title}${NB}: ${values.join(", ")}${frSoldOutNote(outOfStock)}.`;
  },
  fact: (label, value) => `${label}${NB}: ${value}.`,
  fromDescription: (title) => `D'après la description de ${title}${NB}:`,
  policyIntro: (title) => `Voici ce qu'indique la boutique («${NB}${title}${NB}»)${NB}:`,
  policyNoSale: () => "Aucune règle particulière n'y est mentionnée pour les articles en promotion.",
  policyNoRegion: (region) => `Aucune règle particulière n'y est mentionnée pour ${region}.`,
  recommendIntro(what, count) {
    return count === 1 ? `Voici une option${what}${NB}:` : `Voici ${count} options${what}${NB}:`;
  },
  recommendItem(title, price, variants) {
    return `${title} — ${price}${variants.length > 0 ? `, en stock en ${variants.join(", ")}` : ""}.`;
  },
  recommendNone(what, s) {
    return `Je n'ai trouvé aucun produit${what} dans le catalogue de la boutique. ${fr.contact(s)}`;
  },
  listingIntro(total, shown, what, type) {
    const among = type ? ` parmi ${type}` : "";
    const head = `J'ai trouvé ${total} ${total === 1 ? "produit" : "produits"}${what}${among}`;
    return shown < total ? `${head}${NB}; voici les ${shown} premiers${NB}:` : `${head}${NB}:`;
  },
  listingNone(what, type) {
    return `Je n'ai trouvé aucun produit${what}${type ? ` parmi ${type}` : ""} dans le catalogue de la boutique.`;
  },
  complementIntro(title, what, count) {
    return count === 1 ? `Pour aller avec ${title}, voici une option${what}${NB}:` : `Pour aller avec ${title}, voici ${count} options${what}${NB}:`;
  },
  complementNone(title, what, s) {
    return `Je n'ai rien trouvé${what} dans le catalogue de la boutique pour aller avec ${title}. ${fr.contact(s)}`;
  },
  constraintText(c) {
    const parts: string[] = [];
    const opts = c.values.map((o) => (/^\d/.test(o) ? `taille ${o}` : o));
    if (c.inStock) parts.push(opts.length > 0 ? `en stock en ${opts.join(" / ")}` : "en stock");
    else if (opts.length > 0) parts.push(`en ${opts.join(" / ")}`);
    if (c.priceMin || c.priceMax) parts.push("dans votre budget");
    return parts.length > 0 ? ` ${parts.join(", ")}` : "";
  },
  compareIntro: (a, b) => `Voici la comparaison entre ${a} et ${b}${NB}:`,
  compareLine(attribute, a, aValue, b, bValue) {
    return `${attribute}${NB}: ${a} — ${cleanValue(aValue)}${NB}; ${b} — ${cleanValue(bValue)}.`;
  },
  compareRowPrice: "Prix",
  compareRowOnSale: "En promotion",
  notOnSale: "pas en promotion",
  compareRowInStock: "En stock",
  compareRowType: "Type",
  compareRowBrand: "Marque",
  inStockCount(available, total) {
    if (available === 0) return "en rupture de stock";
    return `${available} option${available === 1 ? "" : "s"} sur ${total} en stock`;
  },
  none: "—",
  sizeValue: (value) => `taille ${value}`,
  sizeGroup: (value) => `tailles ${value}`,
  aboutProduct: (title) => `sur ${title}`,
  aboutThat: "",
  wasPrice: (price, compareAt) => `${price} (au lieu de ${compareAt})`,
  theStore: "la boutique",
  regionNames: { EU: "l'UE", UK: "le Royaume-Uni", US: "les États-Unis", CA: "le Canada", AU: "l'Australie" },
};

function frSoldOutNote(outOfStock: string[]): string {
  return outOfStock.length > 0 ? ` (${fr.list(outOfStock)} ${outOfStock.length === 1 ? "est" : "sont"} en rupture de stock)` : "";
}

// Spanish: informal "tú", usual for friendly online shops in Spain. "Viene en" says what exists and
// "en stock" / "no queda stock de" what can ship: neither needs gender agreement with a title.
const es: Messages = {
  list: (items) => listFormat("es", items),
  contact(s) {
    const ways = joinWays(s, "o");
    return ways ? `Puedes contactar con ${s.name} en ${ways}.` : `Ponte en contacto directamente con ${s.name}.`;
  },
  dontKnow(topic, s) {
    return `No tengo esa información${topic ? ` ${topic}` : ""}: los datos de la tienda no dicen nada al respecto y prefiero no adivinar. ${es.contact(s)}`;
  },
  offTopic(s) {
    return `Solo puedo ayudarte con preguntas sobre los productos y las políticas de ${s.name}. ${es.contact(s)}`;
  },
  orderStatus(s) {
    const ways = joinWays(s, "o");
    return `Desde aquí no puedo consultar pedidos. Contacta con ${s.name}${ways ? ` en ${ways}` : ""} indicando tu número de pedido y te ayudarán enseguida.`;
  },
  whichProduct(s) {
    return `¿A qué producto te refieres? Abre su página o dime su nombre y lo compruebo. ${es.contact(s)}`;
  },
  whichTwoProducts() {
    return "¿Qué dos productos quieres que compare? Dime sus nombres y te los pongo uno al lado del otro.";
  },
  comesInYes(title, what, values, outOfStock) {
    return `Sí, ${title} viene en ${what}: ${values.join(", ")}${esSoldOutNote(outOfStock)}.`;
  },
  comesInNo(title, what, values) {
    return values.length > 0 ? `No, ${title} no viene en ${what}. Viene en: ${values.join(", ")}.` : `No, ${title} no viene en ${what}.`;
  },
  singleVersion(title) {
    return `${title} viene en una única versión.`;
  },
  inStockIn(title, what, values, outOfStock) {
    return `Sí, ${title} está en stock en ${what}: ${values.join(", ")}${esSoldOutNote(outOfStock)}.`;
  },
  outOfStockIn(title, what) {
    return `No, ahora mismo no queda stock de ${title} en ${what}.`;
  },
  inStockAll(title, values) {
    return values.length > 0 ? `Sí, ${title} está en stock en ${values.join(", ")}.` : `Sí, ${title} está en stock.`;
  },
  inStockSome(title, inStock, outOfStock) {
    return `${title} está en stock en ${inStock.join(", ")}; no queda stock de ${outOfStock.join(", ")}.`;
  },
  soldOut(title) {
    return `Ahora mismo no queda stock de ${title}.`;
  },
  inStockSingle(title) {
    return `Sí, ${title} está en stock.`;
  },
  priceSingle(title, price) {
    return `${title} cuesta ${price}.`;
  },
  priceRange(title, min, max) {
    return `${title} cuesta entre ${min} y ${max}, según la opción.`;
  },
  onSale(labels, price, compareAt) {
    return labels ? `Precio de oferta para ${labels}: ${price} (antes ${compareAt}).` : `Ahora está en oferta por ${price} (antes ${compareAt}).`;
  },
  optionValues(title, option, values, outOfStock) {
    return `${title} viene en estas opciones (${option}): ${values.join(", ")}${esSoldOutNote(outOfStock)}.`;
  },
  fact: (label, value) => `${label}: ${value}.`,
  fromDescription: (title) => `Según la descripción de ${title}:`,
  policyIntro: (title) => `Esto es lo que dice la tienda («${title}»):`,
  policyNoSale: () => "No menciona ninguna norma específica para artículos rebajados.",
  policyNoRegion: (region) => `No menciona ninguna norma específica para ${region}.`,
  recommendIntro(what, count) {
    return count === 1 ? `Aquí tienes una opción${what}:` : `Aquí tienes ${count} opciones${what}:`;
  },
  recommendItem(title, price, variants) {
    return `${title} — ${price}${variants.length > 0 ? `, en stock en ${variants.join(", ")}` : ""}.`;
  },
  recommendNone(what, s) {
    return `No he encontrado ningún producto${what} en el catálogo de la tienda. ${es.contact(s)}`;
  },
  listingIntro(total, shown, what, type) {
    const among = type ? ` entre ${type}` : "";
    const head = `He encontrado ${total} ${total === 1 ? "producto" : "productos"}${what}${among}`;
    return shown < total ? `${head}; estos son los ${shown} primeros:` : `${head}:`;
  },
  listingNone(what, type) {
    return `No he encontrado ningún producto${what}${type ? ` entre ${type}` : ""} en el catálogo de la tienda.`;
  },
  complementIntro(title, what, count) {
    return count === 1 ? `Para combinar con ${title}, aquí tienes una opción${what}:` : `Para combinar con ${title}, aquí tienes ${count} opciones${what}:`;
  },
  complementNone(title, what, s) {
    return `No he encontrado nada${what} en el catálogo de la tienda que combine con ${title}. ${es.contact(s)}`;
  },
  constraintText(c) {
    const parts: string[] = [];
    const opts = c.values.map((o) => (/^\d/.test(o) ? `talla ${o}` : o));
    if (c.inStock) parts.push(opts.length > 0 ? `en stock en ${opts.join(" / ")}` : "en stock");
    else if (opts.length > 0) parts.push(`en ${opts.join(" / ")}`);
    if (c.priceMin || c.priceMax) parts.push("dentro de tu presupuesto");
    return parts.length > 0 ? ` ${parts.join(", ")}` : "";
  },
  compareIntro: (a, b) => `Así se comparan ${a} y ${b}:`,
  compareLine(attribute, a, aValue, b, bValue) {
    return `${attribute}: ${a} — ${cleanValue(aValue)}; ${b} — ${cleanValue(bValue)}.`;
  },
  compareRowPrice: "Precio",
  compareRowOnSale: "En oferta",
  notOnSale: "sin oferta",
  compareRowInStock: "En stock",
  compareRowType: "Tipo",
  compareRowBrand: "Marca",
  inStockCount(available, total) {
    if (available === 0) return "sin stock";
    return `${available} de ${total} ${total === 1 ? "opción" : "opciones"} en stock`;
  },
  none: "—",
  sizeValue: (value) => `talla ${value}`,
  sizeGroup: (value) => `tallas ${value}`,
  aboutProduct: (title) => `sobre ${title}`,
  aboutThat: "",
  wasPrice: (price, compareAt) => `${price} (antes ${compareAt})`,
  theStore: "la tienda",
  regionNames: { EU: "la UE", UK: "el Reino Unido", US: "Estados Unidos", CA: "Canadá", AU: "Australia" },
};

function esSoldOutNote(outOfStock: string[]): string {
  return outOfStock.length > 0 ? ` (no queda stock de ${es.list(outOfStock)})` : "";
}

// Dutch: "u", as the assistant widget's Dutch strings address the shopper. "Verkrijgbaar in" says what exists,
// "op voorraad" / "uitverkocht" what can ship.
const nl: Messages = {
  list: (items) => listFormat("nl", items),
  contact(s) {
    const ways = joinWays(s, "of");
    return ways ? `U kunt ${s.name} bereiken via ${ways}.` : `Neem rechtstreeks contact op met ${s.name}.`;
  },
  dontKnow(topic, s) {
    return `Dat weet ik helaas niet${topic ? ` ${topic}` : ""}: de informatie van de winkel zegt er niets over, en ik ga niet gokken. ${nl.contact(s)}`;
  },
  offTopic(s) {
    return `Ik kan alleen helpen met vragen over de producten en het beleid van ${s.name}. ${nl.contact(s)}`;
  },
  orderStatus(s) {
    const ways = joinWays(s, "of");
    return `Bestellingen kan ik hier niet opzoeken. Neem contact op met ${s.name}${ways ? ` via ${ways}` : ""} en vermeld uw bestelnummer, dan helpen ze u meteen verder.`;
  },
  whichProduct(s) {
    return `Welk product bedoelt u? Open de productpagina of noem de naam, dan zoek ik het op. ${nl.contact(s)}`;
  },
  whichTwoProducts() {
    return "Welke twee producten wilt u vergelijken? Noem de namen, dan zet ik ze naast elkaar.";
  },
  comesInYes(title, what, values, outOfStock) {
    return `Ja, ${title} is verkrijgbaar in ${what}: ${values.join(", ")}${nlSoldOutNote(outOfStock)}.`;
  },
  comesInNo(title, what, values) {
    return values.length > 0
      ? `Nee, ${title} is niet verkrijgbaar in ${what}. Wel verkrijgbaar in: ${values.join(", ")}.`
      : `Nee, ${title} is niet verkrijgbaar in ${what}.`;
  },
  singleVersion(title) {
    return `${title} is er maar in één uitvoering.`;
  },
  inStockIn(title, what, values, outOfStock) {
    return `Ja, ${title} is op voorraad in ${what}: ${values.join(", ")}${nlSoldOutNote(outOfStock)}.`;
  },
  outOfStockIn(title, what) {
    return `Nee, ${title} is in ${what} op dit moment uitverkocht.`;
  },
  inStockAll(title, values) {
    return values.length > 0 ? `Ja, ${title} is op voorraad in ${values.join(", ")}.` : `Ja, ${title} is op voorraad.`;
  },
  inStockSome(title, inStock, outOfStock) {
    return `${title} is op voorraad in ${inStock.join(", ")}; ${outOfStock.join(", ")} ${outOfStock.length === 1 ? "is" : "zijn"} uitverkocht.`;
  },
  soldOut(title) {
    return `${title} is op dit moment uitverkocht.`;
  },
  inStockSingle(title) {
    return `Ja, ${title} is op voorraad.`;
  },
  priceSingle(title, price) {
    return `${title} kost ${price}.`;
  },
  priceRange(title, min, max) {
    return `${title} kost ${min} tot ${max}, afhankelijk van de uitvoering.`;
  },
  onSale(labels, price, compareAt) {
    return labels ? `In de aanbieding: ${labels} voor ${price} (was ${compareAt}).` : `Nu in de aanbieding voor ${price} (was ${compareAt}).`;
  },
  optionValues(title, option, values, outOfStock) {
    return `${title} is verkrijgbaar in deze opties (${option}): ${values.join(", ")}${nlSoldOutNote(outOfStock)}.`;
  },
  fact: (label, value) => `${label}: ${value}.`,
  fromDescription: (title) => `Uit de beschrijving van ${title}:`,
  policyIntro: (title) => `Dit zegt de winkel erover ("${title}"):`,
  policyNoSale: () => "Er staat geen aparte regel in voor afgeprijsde artikelen.",
  policyNoRegion: (region) => `Er staat geen aparte regel in voor ${region}.`,
  recommendIntro(what, count) {
    return count === 1 ? `Hier is één optie${what}:` : `Hier zijn ${count} opties${what}:`;
  },
  recommendItem(title, price, variants) {
    return `${title} — ${price}${variants.length > 0 ? `, op voorraad in ${variants.join(", ")}` : ""}.`;
  },
  recommendNone(what, s) {
    return `Ik heb geen product${what} gevonden in de catalogus van de winkel. ${nl.contact(s)}`;
  },
  listingIntro(total, shown, what, type) {
    const among = type ? ` onder ${type}` : "";
    const head = `Ik heb ${total} ${total === 1 ? "product" : "producten"}${among} gevonden${what}`;
    return shown < total ? `${head}; hier zijn de eerste ${shown}:` : `${head}:`;
  },
  listingNone(what, type) {
    return `Ik heb in de catalogus van de winkel geen product${type ? ` onder ${type}` : ""} gevonden${what}.`;
  },
  complementIntro(title, what, count) {
    return count === 1 ? `Bij ${title} past deze optie${what}:` : `Bij ${title} passen deze ${count} opties${what}:`;
  },
  complementNone(title, what, s) {
    return `Ik heb in de catalogus van de winkel niets gevonden${what} dat bij ${title} past. ${nl.contact(s)}`;
  },
  constraintText(c) {
    const parts: string[] = [];
    const opts = c.values.map((o) => (/^\d/.test(o) ? `maat ${o}` : o));
    if (c.inStock) parts.push(opts.length > 0 ? `op voorraad in ${opts.join(" / ")}` : "op voorraad");
    else if (opts.length > 0) parts.push(`in ${opts.join(" / ")}`);
    if (c.priceMin || c.priceMax) parts.push("binnen uw budget");
    return parts.length > 0 ? ` ${parts.join(", ")}` : "";
  },
  compareIntro: (a, b) => `Zo verhouden ${a} en ${b} zich tot elkaar:`,
  compareLine(attribute, a, aValue, b, bValue) {
    return `${attribute}: ${a} — ${cleanValue(aValue)}; ${b} — ${cleanValue(bValue)}.`;
  },
  compareRowPrice: "Prijs",
  compareRowOnSale: "In de aanbieding",
  notOnSale: "niet in de aanbieding",
  compareRowInStock: "Op voorraad",
  compareRowType: "Type",
  compareRowBrand: "Merk",
  inStockCount(available, total) {
    return available === 0 ? "uitverkocht" : `${available} van ${total} ${total === 1 ? "optie" : "opties"} op voorraad`;
  },
  none: "—",
  sizeValue: (value) => `maat ${value}`,
  sizeGroup: (value) => `${value}-maten`,
  aboutProduct: (title) => `van ${title}`,
  aboutThat: "",
  wasPrice: (price, compareAt) => `${price} (was ${compareAt})`,
  theStore: "de winkel",
  regionNames: { EU: "de EU", UK: "het VK", US: "de VS", CA: "Canada", AU: "Australië" },
};

function nlSoldOutNote(outOfStock: string[]): string {
  return outOfStock.length > 0 ? ` (${nl.list(outOfStock)} ${outOfStock.length === 1 ? "is" : "zijn"} uitverkocht)` : "";
}

const catalogs: Record<string, Partial<Messages>> = { en, de, fr, es, nl };

/** "de-AT", "fr_CA", "NL" -> their language's catalog; anything else -> English. */
export function messagesFor(locale: string | undefined): Messages {
  const lang = (locale ?? "en").toLowerCase().split(/[-_]/)[0];
  return { ...en, ...(catalogs[lang] ?? {}) } as Messages;
}
