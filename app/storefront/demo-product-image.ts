/**
 * Product "photos" for the demo store, drawn as SVG: a soft studio tile in the
 * product's colour with a simple silhouette for its kind (jacket, dress, boot,
 * candle...). Pure: no I/O. Product text never reaches the markup except the
 * title, XML-escaped inside <title>; colours come only from the palette below,
 * so a hostile option value cannot become an attribute.
 */

export type DemoShape =
  | "jacket" | "coat" | "sweater" | "cardigan" | "fleece" | "tee" | "shirt" | "trousers" | "dress"
  | "shoe" | "boot" | "sandal" | "beanie" | "scarf" | "folded" | "cushion" | "pillow" | "mug"
  | "plates" | "candle" | "tapers" | "bottle" | "bag" | "tag";

export type DemoPattern = "plain" | "check" | "dots" | "speckle" | "rim" | "cord" | "waffle" | "knit";

export interface DemoImageSpec {
  title: string;
  shape: DemoShape;
  /** Finer variant of the shape, from the title ("v-neck", "chelsea", "wide"...). */
  variant: string;
  colour: string;
  accent: string;
  pattern: DemoPattern;
  view: "front" | "detail";
}

/** What the generator needs from a product (CatalogProduct fits). */
export interface DemoImageProduct {
  handle: string;
  title: string;
  productType: string;
  options: { name: string; values: string[] }[];
}

// The demo store's colour names (demo-store/products.csv), and a few title words.
export const DEMO_PALETTE: Record<string, string> = {
  black: "#26282c", blue: "#7a9cc9", blush: "#e6b4aa", camel: "#c29a68", chalk: "#ebe6db",
  charcoal: "#404349", clay: "#b8775b", cream: "#eee4cc", "dark brown": "#5b3b2a", forest: "#2f5b45",
  grey: "#9b9ea2", "grey marl": "#a5a7aa", "harbor blue": "#2f5f8b", "heather blue": "#7e94b3",
  "heather grey": "#b3b5b8", ivory: "#f2ecdd", moss: "#6c7b4c", mustard: "#d3a433", natural: "#e4d9c2",
  navy: "#25334f", oat: "#d8cbb2", oatmeal: "#d5c7ac", ochre: "#c88b2e", olive: "#6e6c3c",
  "pale blue": "#bcd3e7", red: "#b43b31", rust: "#b3592f", sage: "#a2b39a", "sea glass": "#9cc6bd",
  "sea green": "#5f9e8f", slate: "#5d6b79", stone: "#c8bfaf", sunflower: "#efc234", tan: "#b88554",
  tobacco: "#8a5b2c", white: "#f6f5f1",
  // Words from titles of products that have no colour option.
  lavender: "#a690c5", fig: "#6e3c50", cedar: "#8c5b3d", beeswax: "#e2b54c", linen: "#d8cbb2",
  harbor: "#2f5f8b", harbour: "#2f5f8b", trench: "#bb9a6c", feather: "#f6f5f1", down: "#f6f5f1",
};

// Products with no colour in their options or title still get a steady colour of their own.
const FALLBACK_COLOURS = ["#5d6b79", "#2f5f8b", "#6c7b4c", "#b3592f", "#c29a68", "#404349", "#8a5b2c", "#5f9e8f"];

const PATTERN_WORDS: [RegExp, DemoPattern][] = [
  [/\b(check|tartan|plaid|gingham)\b/, "check"],
  [/\b(dot|dots|spot|polka)\b/, "dots"],
  [/\bspeckle/, "speckle"],
  [/\brim\b/, "rim"],
];

const COLOUR_OPTION = /^colou?r$/i;

/** The palette colour for a colour name ("Grey Check" -> grey), or null when none of its words is known. */
export function paletteColour(name: string): string | null {
  const words = name.toLowerCase().replace(/[^a-z\s]/g, " ").split(/\s+/).filter(Boolean);
  // The longest run of words that the palette knows wins: "harbor blue" over "blue".
  for (let size = Math.min(3, words.length); size >= 1; size--) {
    for (let i = 0; i + size <= words.length; i++) {
      const hex = DEMO_PALETTE[words.slice(i, i + size).join(" ")];
      if (hex) return hex;
    }
  }
  return null;
}

export function demoImageSpec(product: DemoImageProduct, position: number): DemoImageSpec {
  const colourName = product.options.find((o) => COLOUR_OPTION.test(o.name.trim()))?.values[0] ?? "";
  // "White/Navy Rim": the part before the slash is the item, the part after its trim.
  const [mainName, accentName = ""] = colourName.split("/");
  const colour = paletteColour(mainName) ?? paletteColour(product.title) ?? FALLBACK_COLOURS[hashOf(product.handle) % FALLBACK_COLOURS.length];
  const accent = paletteColour(accentName) ?? shade(colour, 0.35);
  const { shape, variant } = shapeFor(product.productType, product.title);
  return { title: product.title, shape, variant, colour, accent, pattern: patternFor(colourName, product.title), view: position <= 1 ? "front" : "detail" };
}

function patternFor(colourName: string, title: string): DemoPattern {
  const colour = colourName.toLowerCase();
  for (const [words, pattern] of PATTERN_WORDS) if (words.test(colour)) return pattern;
  const t = title.toLowerCase();
  if (/\bcorduroy\b/.test(t)) return "cord";
  if (/\bwaffle\b/.test(t)) return "waffle";
  if (/\b(chunky|cable)\b/.test(t)) return "knit";
  if (/\bstoneware\b/.test(t)) return "speckle";
  return "plain";
}

/** The silhouette for a product type and title; home goods first, so "Chunky Knit Throw" is a throw, not a sweater. */
export function shapeFor(productType: string, title: string): { shape: DemoShape; variant: string } {
  const t = ` ${productType} ${title} `.toLowerCase();
  const has = (words: string) => new RegExp(`\\b(${words})`).test(t);
  if (has("candle")) return { shape: has("taper") ? "tapers" : "candle", variant: "" };
  if (has("mug|cup")) return { shape: "mug", variant: "" };
  if (has("plate|bowl|tableware")) return { shape: "plates", variant: "" };
  if (has("cushion")) return { shape: "cushion", variant: "" };
  if (has("pillow")) return { shape: "pillow", variant: "" };
  if (has("throw|blanket|bedding|duvet|sheet|towel|quilt")) return { shape: "folded", variant: has("towel") ? "towel" : "" };
  if (has("spray|fragrance|diffuser|bottle|soap")) return { shape: "bottle", variant: "" };
  if (has("bag|tote|backpack")) return { shape: "bag", variant: "" };
  if (has("boot")) return { shape: "boot", variant: has("chelsea") ? "chelsea" : has("rain") ? "rain" : "hiking" };
  if (has("sandal")) return { shape: "sandal", variant: "" };
  if (has("shoe|runner|sneaker|trainer|loafer|slipper")) {
    return { shape: "shoe", variant: has("loafer") ? "loafer" : has("slipper") ? "slipper" : has("runner|trainer") ? "runner" : "" };
  }
  if (has("beanie|hat|cap")) return { shape: "beanie", variant: "" };
  if (has("scarf")) return { shape: "scarf", variant: "" };
  if (has("dress")) return { shape: "dress", variant: has("wrap") ? "wrap" : has("slip") ? "slip" : has("shirt dress") ? "shirt" : has("t-shirt|tee") ? "tee" : "" };
  if (has("trouser|pant|jean|chino|short")) return { shape: "trousers", variant: has("wide") ? "wide" : "" };
  if (has("coat|parka|trench")) return { shape: "coat", variant: has("trench") ? "trench" : "" };
  if (has("jacket|shell|anorak")) return { shape: "jacket", variant: has("rain|shell") ? "hood" : "" };
  if (has("cardigan")) return { shape: "cardigan", variant: "" };
  if (has("fleece")) return { shape: "fleece", variant: "" };
  if (has("hoodie")) return { shape: "sweater", variant: "hood" };
  if (has("sweater|knit|jumper|pullover")) return { shape: "sweater", variant: has("v-neck") ? "v" : has("roll-neck|turtle") ? "roll" : "" };
  if (has("tee|t-shirt")) return { shape: "tee", variant: "" };
  if (has("shirt|blouse|pyjama|sleepwear")) return { shape: "shirt", variant: "" };
  return { shape: "tag", variant: "" };
}

// --- drawing ------------------------------------------------------------------

interface Paint {
  colour: string;
  /** Darker edge of the item. */
  outline: string;
  /** Seams, ribs, laces: darker on light items, lighter on dark ones. */
  line: string;
  /** The inside of a garment or vessel. */
  inner: string;
  light: string;
  accent: string;
}

/** Body parts are filled (and patterned); details are drawn over them. */
interface Drawing {
  parts: string[];
  details: string;
  /** Where a detail view looks, and how close. */
  focus: [number, number, number];
  /** Bottom of the item, for its shadow. */
  floor: number;
  /** Moves a low item (a shoe) up towards the middle of the tile. */
  lift?: number;
}

const SIZE = 400;

export function renderDemoProductImage(spec: DemoImageSpec): string {
  const colour = isHex(spec.colour) ? spec.colour : FALLBACK_COLOURS[0];
  const accent = isHex(spec.accent) ? spec.accent : shade(colour, 0.35);
  const lum = luminance(colour);
  const paint: Paint = {
    colour,
    outline: shade(colour, lum < 0.08 ? 0.5 : 0.32),
    line: lum < 0.2 ? tint(colour, 0.3) : shade(colour, 0.26),
    inner: shade(colour, 0.45),
    light: tint(colour, 0.45),
    accent,
  };
  // Light items sit on a warm grey so they stay visible; others on a pale tint of themselves.
  const background = lum > 0.62 ? mix("#ddd6ca", colour, 0.25) : mix("#f7f4ee", colour, 0.16);
  const drawing = DRAWERS[spec.shape](paint, spec.pattern === "rim" ? "rim" : spec.variant);
  const fill = (d: string) => `<path d="${d}" fill="${colour}" stroke="${paint.outline}" stroke-width="3" stroke-linejoin="round"/>`;
  const overlay = spec.pattern === "plain" || spec.pattern === "rim" ? "" : drawing.parts.map((d) => `<path d="${d}" fill="url(#gw-pattern)"/>`).join("");
  const [fx, fy, zoom] = drawing.focus;
  const item = [
    `<ellipse cx="200" cy="${drawing.floor + 6}" rx="128" ry="11" fill="#000" opacity="0.09"/>`,
    drawing.parts.map(fill).join(""),
    overlay,
    drawing.details,
  ].join("");
  const lift = drawing.lift ?? 0;
  // The front view fills a little more of the tile than the drawings' own 400 box.
  const placed =
    spec.view === "detail"
      ? `<g transform="translate(200 200) scale(${zoom}) translate(${-fx} ${-fy})">${item}</g>`
      : `<g transform="translate(200 ${200 - lift}) scale(1.08) translate(-200 -200)">${item}</g>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}" role="img">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<defs>`,
    `<radialGradient id="gw-light" cx="50%" cy="38%" r="75%"><stop offset="0" stop-color="#fff" stop-opacity="0.55"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>`,
    patternDef(spec.pattern, paint),
    `</defs>`,
    `<rect width="${SIZE}" height="${SIZE}" fill="${background}"/>`,
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#gw-light)"/>`,
    placed,
    `</svg>`,
  ].join("");
}

function patternDef(pattern: DemoPattern, p: Paint): string {
  const open = (w: number, h: number) => `<pattern id="gw-pattern" width="${w}" height="${h}" patternUnits="userSpaceOnUse">`;
  switch (pattern) {
    case "check":
      return `${open(36, 36)}<rect width="36" height="12" fill="${p.inner}" opacity="0.35"/><rect width="12" height="36" fill="${p.inner}" opacity="0.35"/><path d="M0 30H36M30 0V36" stroke="${p.light}" stroke-width="2" opacity="0.7"/></pattern>`;
    case "dots":
      return `${open(22, 22)}<circle cx="6" cy="6" r="3" fill="#fff" opacity="0.8"/><circle cx="17" cy="17" r="3" fill="#fff" opacity="0.8"/></pattern>`;
    case "speckle":
      return `${open(40, 40)}<g fill="${p.inner}" opacity="0.45"><circle cx="5" cy="8" r="1.6"/><circle cx="22" cy="4" r="1.2"/><circle cx="33" cy="17" r="1.7"/><circle cx="14" cy="23" r="1.1"/><circle cx="28" cy="33" r="1.4"/><circle cx="7" cy="35" r="1.2"/></g></pattern>`;
    case "cord":
      return `${open(8, 8)}<path d="M4 0V8" stroke="${p.line}" stroke-width="2" opacity="0.45"/></pattern>`;
    case "waffle":
      return `${open(16, 16)}<rect x="2" y="2" width="12" height="12" rx="2" fill="none" stroke="${p.line}" stroke-width="1.5" opacity="0.45"/></pattern>`;
    case "knit":
      return `${open(20, 16)}<path d="M2 2L10 12L18 2" fill="none" stroke="${p.line}" stroke-width="2.5" stroke-linecap="round" opacity="0.4"/></pattern>`;
    default:
      return "";
  }
}

const stroke = (d: string, colour: string, width = 3, extra = "") =>
  `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round"${extra}/>`;
const shapeFill = (d: string, colour: string, outline?: string) =>
  `<path d="${d}" fill="${colour}"${outline ? ` stroke="${outline}" stroke-width="3" stroke-linejoin="round"` : ""}/>`;

const LONG_SLEEVED = (hem: number) =>
  `M165 96L122 106Q100 112 94 134L64 266L104 276L122 172L122 ${hem}L278 ${hem}L278 172L296 276L336 266L306 134Q300 112 278 106L235 96Q200 114 165 96Z`;
const SHORT_SLEEVED = (hem: number) =>
  `M165 96L122 106Q104 112 96 128L68 178L108 196L122 168L122 ${hem}L278 ${hem}L278 168L292 196L332 178L304 128Q296 112 278 106L235 96Q200 114 165 96Z`;

function ribs(x1: number, x2: number, y1: number, y2: number, colour: string): string {
  let d = "";
  for (let x = x1 + 8; x < x2; x += 9) d += `M${x} ${y1 + 3}V${y2 - 3}`;
  return `<path d="M${x1} ${y1}H${x2}" stroke="${colour}" stroke-width="2.5"/>${stroke(d, colour, 2, ' opacity="0.55"')}`;
}

function buttons(x: number, from: number, to: number, step: number, colour: string): string {
  let out = "";
  for (let y = from; y <= to; y += step) out += `<circle cx="${x}" cy="${y}" r="4" fill="${colour}"/>`;
  return out;
}

interface TopOptions {
  sleeves: "long" | "short";
  hem: number;
  neck: "crew" | "v" | "roll" | "collar" | "hood" | "stand";
  front?: "zip" | "halfzip" | "buttons" | "open" | "double";
  ribbing?: boolean;
  belt?: boolean;
  pockets?: boolean;
}

function drawTop(p: Paint, o: TopOptions): Drawing {
  const parts: string[] = [];
  let details = "";
  if (o.neck === "hood") parts.push("M158 104Q146 44 200 40Q254 44 242 104Q200 120 158 104Z");
  if (o.neck === "roll") parts.push("M162 104Q158 72 172 66L228 66Q242 72 238 104Q200 118 162 104Z");
  if (o.neck === "stand") parts.push("M166 100L170 74Q200 82 230 74L234 100Q200 114 166 100Z");
  parts.push(o.sleeves === "long" ? LONG_SLEEVED(o.hem) : SHORT_SLEEVED(o.hem));
  const neckline = "M165 96Q200 120 235 96";
  switch (o.neck) {
    case "crew":
      details += stroke(neckline, p.line, 7);
      break;
    case "v":
      details += shapeFill("M168 97L200 150L232 97Q200 112 168 97Z", p.inner) + stroke("M165 96L200 154L235 96", p.line, 6);
      break;
    case "roll":
      details += stroke("M166 78H234M164 90H236", p.line, 2.5, ' opacity="0.6"');
      break;
    case "collar":
      details += shapeFill("M165 96Q200 112 235 96L200 118Z", p.inner);
      details += shapeFill("M163 94L180 132L200 114Z", p.light, p.outline) + shapeFill("M237 94L220 132L200 114Z", p.light, p.outline);
      break;
    case "hood":
      details += shapeFill("M174 106Q170 62 200 58Q230 62 226 106Q200 118 174 106Z", p.inner);
      break;
    case "stand":
      details += stroke("M170 74Q200 82 230 74", p.line, 2.5);
      break;
  }
  const top = o.neck === "v" ? 154 : o.neck === "collar" ? 118 : 110;
  switch (o.front) {
    case "zip":
      details += stroke(`M200 ${top}V${o.hem}`, p.line, 3) + `<rect x="195" y="${top + 4}" width="10" height="18" rx="3" fill="${p.line}"/>`;
      break;
    case "halfzip":
      details += stroke(`M200 ${top - 34}V176`, p.line, 3) + `<rect x="195" y="${top - 26}" width="10" height="18" rx="3" fill="${p.line}"/>`;
      break;
    case "buttons":
      details += stroke(`M200 ${top}V${o.hem}`, p.line, 2) + buttons(207, top + 16, o.hem - 20, 34, p.line);
      break;
    case "open":
      details += stroke(`M200 ${top}V${o.hem}`, p.line, 3) + buttons(210, top + 14, o.hem - 30, 30, p.line);
      break;
    case "double":
      details += stroke(`M212 ${top}V${o.hem}`, p.line, 2) + buttons(184, top + 24, top + 90, 42, p.line) + buttons(228, top + 24, top + 90, 42, p.line);
      break;
  }
  if (o.ribbing) details += ribs(122, 278, o.hem - 20, o.hem, p.line) + stroke("M66 256L104 265M334 256L296 265", p.line, 2.5);
  if (o.pockets) details += stroke(`M140 ${o.hem - 70}L166 ${o.hem - 58}M260 ${o.hem - 70}L234 ${o.hem - 58}`, p.line, 3);
  if (o.belt) details += shapeFill(`M122 216H278V234H122Z`, p.inner) + `<rect x="186" y="212" width="28" height="26" rx="3" fill="none" stroke="${p.light}" stroke-width="3"/>`;
  return { parts, details, focus: [200, 140, 2.1], floor: o.hem };
}

function drawTrousers(p: Paint, wide: boolean): Drawing {
  const body = wide ? "M134 70H266L302 336H212L200 154L188 336H98Z" : "M130 70H270L284 336H216L200 150L184 336H116Z";
  const details =
    stroke("M132 92H268", p.line, 3) +
    stroke("M200 92V140", p.line, 2.5) +
    stroke("M146 92Q156 118 136 128M254 92Q244 118 264 128", p.line, 2.5) +
    stroke(wide ? "M160 150L148 330M240 150L252 330" : "M162 150L154 330M238 150L246 330", p.line, 1.5, ' opacity="0.5"') +
    `<rect x="150" y="78" width="6" height="14" fill="${p.line}"/><rect x="244" y="78" width="6" height="14" fill="${p.line}"/>`;
  return { parts: [body], details, focus: [200, 110, 2.1], floor: 336 };
}

function drawDress(p: Paint, variant: string): Drawing {
  const parts: string[] = [];
  if (variant === "tee" || variant === "shirt") parts.push("M174 70L142 82L126 120L162 128L168 98Z", "M226 70L258 82L274 120L238 128L232 98Z");
  const body =
    variant === "slip"
      ? "M168 96Q200 106 232 96L238 130Q232 158 224 174L292 336Q200 352 108 336L176 174Q168 158 162 130Z"
      : "M170 68L186 68Q200 90 214 68L230 68L238 128Q232 156 224 174L292 336Q200 352 108 336L176 174Q168 156 162 128Z";
  parts.push(body);
  let details = "";
  if (variant === "slip") details += stroke("M170 96L178 52M230 96L222 52", p.outline, 2.5);
  if (variant === "wrap") details += stroke("M172 74L226 172M228 74L200 120", p.line, 3) + stroke("M176 172Q200 180 224 172", p.line, 4) + stroke("M226 174L240 214M226 174L218 218", p.line, 4);
  else if (variant !== "slip") details += stroke("M176 172Q200 180 224 172", p.line, 3);
  if (variant === "shirt") details += shapeFill("M184 68L192 96L200 84Z", p.light, p.outline) + shapeFill("M216 68L208 96L200 84Z", p.light, p.outline) + buttons(200, 104, 160, 18, p.line);
  if (variant === "tee" || variant === "") details += stroke("M186 68Q200 90 214 68", p.line, 5);
  return { parts, details, focus: [200, 140, 2], floor: 342 };
}

const SHOE = "M64 264Q62 222 94 214L150 204Q170 186 200 186L226 190Q248 214 282 222L328 232Q352 240 352 262V272Q352 284 340 284H76Q64 284 64 272Z";
const SLIPPER = "M64 266Q64 226 104 224L160 220Q200 202 250 212L320 228Q352 238 352 262V272Q352 284 340 284H76Q64 284 64 272Z";

function drawShoe(p: Paint, variant: string): Drawing {
  const sole = variant === "loafer" ? p.inner : variant === "runner" ? "#ece8e0" : variant === "slipper" ? p.inner : "#f4f1ea";
  const body = variant === "slipper" ? SLIPPER : SHOE;
  let details = shapeFill("M60 270H356V278Q356 292 342 292H74Q60 292 60 278Z", sole, shade(sole, 0.3));
  if (variant === "runner") {
    details += stroke("M80 292V284M104 292V284M128 292V284M152 292V284M176 292V284M200 292V284M224 292V284M248 292V284M272 292V284M296 292V284M320 292V284", shade(sole, 0.3), 2);
    details += stroke("M112 236Q180 226 250 252", p.light, 6);
  }
  if (variant === "loafer") details += stroke("M206 196Q232 214 262 222", p.line, 5) + `<rect x="222" y="202" width="18" height="8" rx="3" fill="${p.inner}" transform="rotate(28 231 206)"/>`;
  else if (variant === "slipper") details += stroke("M150 222Q200 232 250 214", p.line, 2.5, ' stroke-dasharray="6 6"');
  else details += stroke("M210 196L200 210M222 202L212 216M234 208L224 222M246 214L236 228", p.light, 4) + stroke("M96 218Q100 250 82 266", p.line, 2);
  return { parts: [body], details, focus: [230, 226, 2.2], floor: 292, lift: 40 };
}

function drawBoot(p: Paint, variant: string): Drawing {
  const top = variant === "rain" ? 64 : 92;
  const body = `M98 ${top}H196L202 196Q238 206 286 220L328 232Q352 240 352 262V272Q352 284 340 284H92Q82 284 84 270Z`;
  const sole = variant === "hiking" ? "#3b3631" : shade(p.colour, 0.5);
  let details = shapeFill("M60 270H356V278Q356 292 342 292H74Q60 292 60 278Z", sole);
  if (variant === "chelsea") details += shapeFill("M128 96Q148 182 170 96Z", p.inner) + stroke("M100 96L96 74", p.outline, 5);
  else if (variant === "rain") details += stroke(`M98 ${top + 18}H196`, p.line, 4) + stroke("M88 240H200", p.line, 2, ' opacity="0.5"');
  else {
    details += shapeFill(`M96 ${top - 6}H198V${top + 14}H96Z`, p.inner);
    details += stroke("M196 112L182 118M198 138L184 144M200 164L186 170M206 190L194 198", p.light, 4);
    details += stroke("M88 236H346", p.line, 2, ' opacity="0.5"');
  }
  return { parts: [body], details, focus: [190, 190, 2], floor: 292, lift: 12 };
}

function drawSandal(p: Paint): Drawing {
  const sole = "M64 262Q64 246 84 246H330Q352 246 352 262V272Q352 286 336 286H80Q64 286 64 272Z";
  const details =
    stroke("M120 250Q140 188 180 250", p.colour, 16) + stroke("M200 250Q244 176 296 250", p.colour, 16) + stroke("M84 250Q80 206 118 204", p.colour, 14) +
    stroke("M120 250Q140 188 180 250M200 250Q244 176 296 250", p.line, 2, ' opacity="0.6"') +
    `<rect x="100" y="196" width="16" height="16" rx="3" fill="none" stroke="${p.light}" stroke-width="3"/>`;
  return { parts: [sole], details: shapeFill("M64 270H352V278Q352 290 338 290H78Q64 290 64 278Z", "#3b3631") + details, focus: [220, 230, 2], floor: 290, lift: 44 };
}

function drawBeanie(p: Paint): Drawing {
  const dome = "M110 236Q104 108 200 104Q296 108 290 236Z";
  const cuff = "M96 236Q96 226 106 226H294Q304 226 304 236V290Q304 300 294 300H106Q96 300 96 290Z";
  let d = "";
  for (let x = 126; x < 290; x += 16) d += `M${x} 232V294`;
  let dome_ribs = "";
  for (let x = 130; x < 280; x += 18) dome_ribs += `M${x} 224Q${x + (200 - x) * 0.25} 150 ${200 + (x - 200) * 0.15} 112`;
  return { parts: [dome, cuff], details: stroke(d, p.line, 3, ' opacity="0.55"') + stroke(dome_ribs, p.line, 2, ' opacity="0.35"'), focus: [200, 250, 2], floor: 300 };
}

function drawScarf(p: Paint): Drawing {
  const parts = ["M150 128L196 140L184 300L138 294Z", "M204 140L252 128L264 290L218 300Z", "M128 92Q200 152 272 92L264 134Q200 188 136 134Z"];
  let fringe = "";
  for (let i = 0; i < 6; i++) fringe += `M${140 + i * 8.5} ${296 + i * 1}v18M${220 + i * 8.5} ${300 - i * 1.6}v18`;
  return { parts, details: stroke(fringe, p.colour, 3) + stroke(fringe, p.outline, 1, ' opacity="0.5"'), focus: [200, 200, 1.9], floor: 318 };
}

function drawFolded(p: Paint, variant: string): Drawing {
  const layer = (y: number, inset: number) => `M${92 + inset} ${y}H${308 - inset}Q${326 - inset} ${y} ${326 - inset} ${y + 24}Q${326 - inset} ${y + 48} ${308 - inset} ${y + 48}H${92 + inset}Q${74 + inset} ${y + 48} ${74 + inset} ${y + 24}Q${74 + inset} ${y} ${92 + inset} ${y}Z`;
  const parts = [layer(254, 0), layer(202, 8), layer(150, 16)];
  let details = stroke("M110 166Q96 174 110 190M102 218Q88 226 102 242M94 270Q80 278 94 294", p.line, 2.5, ' opacity="0.6"');
  if (variant === "towel") details += stroke("M270 150V198M262 202V250M254 254V302", p.accent === p.colour ? p.line : p.accent, 4, ' opacity="0.7"');
  return { parts, details, focus: [200, 200, 1.9], floor: 302 };
}

function drawPillow(p: Paint, square: boolean): Drawing {
  const body = square ? "M96 116Q200 96 304 116Q324 200 304 284Q200 304 96 284Q76 200 96 116Z" : "M70 150Q200 128 330 150Q344 204 330 258Q200 280 70 258Q56 204 70 150Z";
  const seam = square ? "M110 130Q200 114 290 130Q306 200 290 270Q200 286 110 270Q94 200 110 130Z" : "M84 162Q200 144 316 162Q328 204 316 246Q200 264 84 246Q72 204 84 162Z";
  return { parts: [body], details: stroke(seam, p.line, 2, ' stroke-dasharray="5 6" opacity="0.6"'), focus: [200, 200, 1.8], floor: square ? 292 : 266 };
}

function drawMug(p: Paint, rim: boolean): Drawing {
  const body = "M128 150H272L266 292Q264 306 250 306H150Q136 306 134 292Z";
  const handle = "M268 184Q318 184 316 226Q314 266 264 264";
  let details = stroke(handle, p.outline, 24) + stroke(handle, p.colour, 17);
  details = details + `<ellipse cx="200" cy="150" rx="72" ry="10" fill="${p.inner}" stroke="${rim ? p.accent : p.outline}" stroke-width="${rim ? 6 : 3}"/>`;
  if (rim) details += stroke("M135 296Q140 306 150 306H250Q260 306 265 296", p.accent, 5);
  else details += shapeFill("M132 246Q168 258 200 246Q232 234 268 248L266 292Q264 306 250 306H150Q136 306 134 292Z", p.inner) + `<path d="${body}" fill="none" stroke="${p.outline}" stroke-width="3"/>`;
  return { parts: [body], details, focus: [200, 200, 1.9], floor: 306 };
}

function drawPlates(p: Paint): Drawing {
  const back = "M332 214A118 118 0 1 1 96 214A118 118 0 1 1 332 214Z";
  const front = "M316 200A120 120 0 1 1 76 200A120 120 0 1 1 316 200Z";
  return {
    parts: [back, front],
    details: `<circle cx="196" cy="200" r="82" fill="${p.light}" opacity="0.35" stroke="${p.line}" stroke-width="2" stroke-opacity="0.5"/>`,
    focus: [196, 200, 1.8],
    floor: 332,
  };
}

const FLAME = (x: number, y: number) =>
  `<path d="M${x} ${y}Q${x + 14} ${y + 22} ${x + 8} ${y + 34}Q${x} ${y + 44} ${x - 8} ${y + 34}Q${x - 14} ${y + 22} ${x} ${y}Z" fill="#f3b63f"/><path d="M${x} ${y + 16}Q${x + 6} ${y + 28} ${x} ${y + 36}Q${x - 6} ${y + 28} ${x} ${y + 16}Z" fill="#fde9a8"/>`;

function drawCandle(p: Paint): Drawing {
  const vessel = "M136 150H264V300Q264 312 252 312H148Q136 312 136 300Z";
  const details =
    `<ellipse cx="200" cy="152" rx="64" ry="7" fill="#f2ead9"/>` +
    `<rect x="152" y="204" width="96" height="64" rx="4" fill="#f7f2e8" stroke="${p.outline}" stroke-width="1.5"/>` +
    stroke("M168 228H232M176 242H224", "#b9ae9c", 2) +
    stroke("M200 150V130", "#3a3430", 3) +
    FLAME(200, 92);
  return { parts: [vessel], details, focus: [200, 200, 1.8], floor: 312 };
}

function drawTapers(): Drawing {
  const parts = ["M158 120H184V296H158Z", "M216 120H242V296H216Z"];
  const details =
    `<ellipse cx="200" cy="304" rx="92" ry="12" fill="#b8955a" stroke="#8c6d3c" stroke-width="3"/>` +
    `<rect x="150" y="284" width="42" height="18" rx="4" fill="#c9a66a"/><rect x="208" y="284" width="42" height="18" rx="4" fill="#c9a66a"/>` +
    stroke("M171 120V104M229 120V104", "#3a3430", 3) +
    FLAME(171, 66) +
    FLAME(229, 66);
  return { parts, details, focus: [200, 150, 2], floor: 312 };
}

function drawBottle(p: Paint): Drawing {
  const body = "M150 178Q150 160 168 160H232Q250 160 250 178V302Q250 316 236 316H164Q150 316 150 302Z";
  const details =
    `<rect x="184" y="134" width="32" height="28" fill="${p.inner}"/>` +
    `<rect x="174" y="104" width="52" height="32" rx="6" fill="#3a3a3c"/><rect x="224" y="112" width="22" height="10" rx="3" fill="#3a3a3c"/>` +
    `<rect x="164" y="206" width="72" height="80" rx="4" fill="#f7f2e8" stroke="${p.outline}" stroke-width="1.5"/>` +
    stroke("M178 234H222M184 250H216", "#b9ae9c", 2) +
    stroke("M162 178V292", "#fff", 4, ' opacity="0.35"');
  return { parts: [body], details, focus: [200, 200, 1.8], floor: 316 };
}

function drawBag(p: Paint): Drawing {
  const body = "M112 150H288L304 318H96Z";
  const handles = stroke("M150 152Q150 86 184 86Q200 86 200 112M250 152Q250 86 216 86Q200 86 200 112", p.outline, 10);
  return { parts: [body], details: handles + stroke("M112 178H288", p.line, 2.5), focus: [200, 220, 1.8], floor: 318 };
}

function drawTag(p: Paint): Drawing {
  const body = "M120 124Q120 112 132 112H250L310 200L250 288H132Q120 288 120 276Z";
  return { parts: [body], details: `<circle cx="262" cy="200" r="12" fill="#f7f4ee" stroke="${p.outline}" stroke-width="3"/>${stroke("M150 170H220M150 200H230M150 230H210", p.line, 5, ' opacity="0.5"')}`, focus: [220, 200, 1.8], floor: 288 };
}

const DRAWERS: Record<DemoShape, (p: Paint, variant: string) => Drawing> = {
  jacket: (p, v) => drawTop(p, { sleeves: "long", hem: 306, neck: v === "hood" ? "hood" : "stand", front: "zip", pockets: true }),
  coat: (p, v) => drawTop(p, { sleeves: "long", hem: 342, neck: v === "trench" ? "collar" : "hood", front: v === "trench" ? "double" : "zip", belt: v === "trench", pockets: v !== "trench" }),
  sweater: (p, v) => drawTop(p, { sleeves: "long", hem: 300, neck: v === "v" ? "v" : v === "roll" ? "roll" : v === "hood" ? "hood" : "crew", ribbing: true }),
  cardigan: (p) => drawTop(p, { sleeves: "long", hem: 300, neck: "v", front: "open", ribbing: true }),
  fleece: (p) => drawTop(p, { sleeves: "long", hem: 300, neck: "stand", front: "halfzip" }),
  tee: (p) => drawTop(p, { sleeves: "short", hem: 300, neck: "crew" }),
  shirt: (p) => drawTop(p, { sleeves: "long", hem: 304, neck: "collar", front: "buttons" }),
  trousers: (p, v) => drawTrousers(p, v === "wide"),
  dress: drawDress,
  shoe: drawShoe,
  boot: drawBoot,
  sandal: drawSandal,
  beanie: drawBeanie,
  scarf: drawScarf,
  folded: drawFolded,
  cushion: (p) => drawPillow(p, true),
  pillow: (p) => drawPillow(p, false),
  mug: (p, v) => drawMug(p, v === "rim"),
  plates: drawPlates,
  candle: drawCandle,
  tapers: () => drawTapers(),
  bottle: drawBottle,
  bag: drawBag,
  tag: drawTag,
};

// --- text and colour helpers -------------------------------------------------------

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text safe inside an XML element or attribute; characters XML 1.0 forbids are dropped. */
export function escapeXml(value: string): string {
  return (
    value
      .slice(0, 300)
      // eslint-disable-next-line no-control-regex -- dropping exactly the characters XML 1.0 cannot hold
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
      .replace(/[&<>"']/g, (c) => XML_ESCAPES[c])
  );
}

function isHex(value: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(value);
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Mixes `amount` of b into a. */
export function mix(a: string, b: string, amount: number): string {
  const [ar, ag, ab] = rgb(a);
  const [br, bg, bb] = rgb(b);
  const channel = (x: number, y: number) => Math.round(x + (y - x) * amount).toString(16).padStart(2, "0");
  return `#${channel(ar, br)}${channel(ag, bg)}${channel(ab, bb)}`;
}

const shade = (hex: string, amount: number) => mix(hex, "#000000", amount);
const tint = (hex: string, amount: number) => mix(hex, "#ffffff", amount);

/** Relative luminance, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function hashOf(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
