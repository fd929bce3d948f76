/**
 * Shopper-facing sentences of the local answerer and the pipeline's handoffs,
 * keyed by locale. English is complete; another locale adds a `Messages` object
 * and falls back to English for anything it leaves out.
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
  constraintText(c: { options: Record<string, string>; inStock?: boolean; priceMax?: string; priceMin?: string; productType?: string }): string;
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
  sizesWord: string;
  regionNames: Record<string, string>;
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
  constraintText(c) {
    const parts: string[] = [];
    const opts = Object.values(c.options);
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
    const clean = (v: string) => v.replace(/[.\s]+$/, "");
    return `${attribute}: ${a} — ${clean(aValue)}; ${b} — ${clean(bValue)}.`;
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
  sizesWord: "sizes",
  regionNames: { EU: "the EU", UK: "the UK", US: "the US", CA: "Canada", AU: "Australia" },
};

const catalogs: Record<string, Partial<Messages>> = { en };

export function messagesFor(locale: string | undefined): Messages {
  const lang = (locale ?? "en").toLowerCase().split(/[-_]/)[0];
  return { ...en, ...(catalogs[lang] ?? {}) } as Messages;
}
