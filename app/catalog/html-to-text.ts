/**
 * HTML -> plain text for product descriptions, policies and pages. A small
 * tokenizer, not a DOM: nothing is executed, no markup survives, scripts and
 * styles are dropped with their content.
 */
import { decodeHTML } from "entities";

export interface HtmlToTextOptions {
  /** Emit h1..h6 as Markdown headings ("## Title") so section chunkers can find them. */
  markdownHeadings?: boolean;
}

const BLOCK_TAGS = new Set([
  "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt",
  "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
  "html", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "ul",
]);
const DROP_WITH_CONTENT = new Set(["script", "style", "noscript", "template", "iframe", "object", "svg", "head", "title"]);

/**
 * Every HTML5 character reference (every name on the WHATWG list, numeric references,
 * and the legacy names a browser accepts without ";"), decoded as a browser decodes text.
 * Non-breaking and typographic spaces become plain spaces and soft hyphens go, so words
 * match; a reference to no character (&#0;, a lone surrogate) leaves nothing.
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return decodeHTML(text)
    .replace(/[\u00a0\u2002\u2003\u2009]/g, " ")
    .replace(/[\u00ad\ufffd]/g, "");
}

/** True when the text carries HTML markup rather than plain text or Markdown. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?(p|div|br|span|ul|ol|li|h[1-6]|strong|em|b|i|a|table|section|meta|img)\b[^>]*>/i.test(text);
}

// Tags are read quote-aware first, then loosely, so a broken attribute (`class="a" ">`)
// still ends at the next ">" instead of leaking markup; an unclosed tag at the end is dropped.
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*|[^>]*)>|<\/?[a-zA-Z][^>]*$|<|[^<]+/g;

export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  if (!html) return "";
  // Plain text in an HTML field: keep its own line breaks.
  if (!/<[a-zA-Z!/?]/.test(html)) return tidy(decodeEntities(html).replace(/\r\n?/g, "\n"));

  const out: string[] = [];
  let dropDepth = 0;
  let dropTag = "";
  let preDepth = 0;
  let cellIndex = 0;
  const listStack: string[] = [];

  // Breaks are collected and written before the next text, so nested blocks
  // (</li></ul></div>) never stack up into runs of blank lines.
  let pending = 0;
  const breakLine = (blank: boolean) => {
    pending = Math.max(pending, blank ? 2 : 1);
  };
  const emit = (text: string) => {
    if (pending > 0) {
      if (!text.trim()) return;
      out.push("\n".repeat(pending));
      pending = 0;
    }
    out.push(text);
  };

  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    const token = m[0];
    const tag = m[2]?.toLowerCase();
    if (dropDepth > 0) {
      if (tag === dropTag) dropDepth += m[1] ? -1 : 1;
      continue;
    }
    if (!tag) {
      if (token.startsWith("<!") || token.startsWith("<?") || /^<\/?[a-zA-Z]/.test(token)) continue;
      const text = decodeEntities(token === "<" ? "<" : token);
      emit(preDepth > 0 ? text : text.replace(/[\s\u00a0]+/g, " "));
      continue;
    }
    const closing = m[1] === "/";
    const selfClosing = /\/\s*$/.test(m[3] ?? "");
    if (DROP_WITH_CONTENT.has(tag)) {
      if (!closing && !selfClosing) {
        dropDepth = 1;
        dropTag = tag;
      }
      continue;
    }
    if (tag === "br") {
      pending = Math.min(pending + 1, 2);
    } else if (tag === "li") {
      breakLine(false);
      if (!closing) emit("- ");
    } else if (tag === "ul" || tag === "ol") {
      if (closing) listStack.pop();
      else listStack.push(tag);
      breakLine(listStack.length === 0);
    } else if (tag === "tr") {
      cellIndex = 0;
      breakLine(false);
    } else if (tag === "td" || tag === "th") {
      if (!closing && cellIndex++ > 0) emit(" | ");
    } else if (/^h[1-6]$/.test(tag)) {
      breakLine(true);
      if (!closing && options.markdownHeadings) emit(`${"#".repeat(Number(tag[1]))} `);
    } else if (tag === "pre") {
      preDepth += closing ? -1 : 1;
      breakLine(true);
    } else if (BLOCK_TAGS.has(tag)) {
      breakLine(tag === "p" || tag === "blockquote" || tag === "table" || tag === "hr" || tag === "section" || tag === "dl");
    }
    // Inline tags (a, span, strong, img, ...) leave only their text.
  }
  return tidy(out.join(""));
}

function tidy(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/^- *$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
