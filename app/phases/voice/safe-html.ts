/**
 * Minimal safe HTML for product descriptions: the few tags Shopify's editor writes
 * for prose (paragraphs, line breaks, lists, emphasis, headings), no attributes, text
 * escaped. Merchant copy and model output both pass through here, so whatever a model
 * writes is data: no script, link, style or event handler survives.
 */
import { decodeHTML } from "entities";

const ALLOWED = new Set(["p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h2", "h3", "h4", "h5", "h6"]);
const DROP_WITH_CONTENT = new Set(["script", "style", "noscript", "template", "iframe", "object", "svg", "head", "title", "textarea", "select"]);
const BLOCK_AS_PARAGRAPH = new Set(["div", "section", "article", "blockquote", "table", "tr", "header", "footer", "figure", "figcaption", "h1"]);
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<|[^<]+/g;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Plain text (a model's or a merchant's) as paragraphs: blank lines separate them, "- " starts a list item. */
export function textToSafeHtml(text: string): string {
  const blocks = text.replace(/\r\n?/g, "\n").split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return blocks
    .map((block) => {
      const lines = block.split("\n").map((l) => l.trim());
      if (lines.every((l) => /^[-*•]\s+/.test(l))) return `<ul>${lines.map((l) => `<li>${escapeHtml(l.replace(/^[-*•]\s+/, ""))}</li>`).join("")}</ul>`;
      return `<p>${lines.map(escapeHtml).join("<br>")}</p>`;
    })
    .join("");
}

/** Any HTML (or plain text) -> the minimal safe subset. Idempotent: safe HTML comes back unchanged. */
export function toSafeHtml(input: string): string {
  if (!/<[a-zA-Z!/?]/.test(input)) return textToSafeHtml(decodeHTML(input));
  const out: string[] = [];
  const open: string[] = [];
  let dropTag = "";
  let dropDepth = 0;
  let inParagraph = false;
  const closeParagraph = () => {
    if (inParagraph) {
      closeTo("p");
      inParagraph = false;
    }
  };
  const closeTo = (tag: string) => {
    const at = open.lastIndexOf(tag);
    if (at === -1) return;
    while (open.length > at) out.push(`</${open.pop()}>`);
  };
  const pushText = (text: string) => {
    const clean = decodeHTML(text).replace(/\s+/g, " ");
    if (!clean.trim() && !out.length) return;
    const inBlock = open.some((t) => t === "p" || t === "li" || /^h\d$/.test(t));
    if (!inBlock && clean.trim()) {
      out.push("<p>");
      open.push("p");
      inParagraph = true;
    }
    if (inBlock || clean.trim()) out.push(escapeHtml(clean));
  };
  for (const m of input.matchAll(TOKEN)) {
    const [whole, slash, rawName] = m;
    if (whole.startsWith("<!") || whole.startsWith("<?")) continue;
    if (!rawName) {
      if (dropDepth === 0) pushText(whole === "<" ? "&lt;" : whole);
      continue;
    }
    const name = rawName.toLowerCase();
    if (dropDepth > 0) {
      if (name === dropTag) dropDepth += slash ? -1 : 1;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!slash && !whole.endsWith("/>")) {
        dropTag = name;
        dropDepth = 1;
      }
      continue;
    }
    if (BLOCK_AS_PARAGRAPH.has(name) || name === "p") {
      closeParagraph();
      if (!slash && name === "p") {
        out.push("<p>");
        open.push("p");
        inParagraph = true;
      }
      continue;
    }
    if (!ALLOWED.has(name)) {
      continue;
    }
    if (name === "br") {
      if (open.length) out.push("<br>");
      continue;
    }
    if (slash) {
      closeTo(name);
      if (name === "p") inParagraph = false;
      continue;
    }
    if (["ul", "ol", "h2", "h3", "h4", "h5", "h6"].includes(name)) closeParagraph();
    if (name === "li" && open[open.length - 1] === "li") closeTo("li");
    out.push(`<${name}>`);
    open.push(name);
  }
  while (open.length) out.push(`</${open.pop()}>`);
  return out
    .join("")
    .replace(/<(p|li|strong|em|b|i|h\d)>\s*<\/\1>/g, "")
    .replace(/<(p|li|h\d)>\s+/g, "<$1>")
    .replace(/\s+<\/(p|li|h\d)>/g, "</$1>")
    .replace(/(<br>)+(<\/(p|li)>)/g, "$2")
    .trim();
}
