/*
 * Groundwork conversation UI, loaded by groundwork-loader.js on the shopper's
 * first interaction. Framework-free. Every piece of model, product or merchant
 * text is inserted as a text node (append / textContent), never parsed as HTML.
 *
 * Wire format (app proxy, relative to config.proxy, e.g. /apps/groundwork):
 *   POST ask       {question, productHandle?, locale, history?}
 *                  Accept: text/event-stream -> SSE: delta {text} | done {AnswerResult} | error {code, message}
 *                  otherwise -> AnswerResult JSON
 *   POST feedback  {answerId, rating: "up" | "down", reason?}
 *   GET  questions?product=<handle>&locale=<iso> -> {questions: string[]}
 */
(() => {
  if (window.GroundworkChat) return;

  const STORE_KEY = "groundwork:conversation:v1";
  const KEEP_MESSAGES = 30;
  const HISTORY_MESSAGES = 6;
  const FOCUSABLE =
    'a[href],button:not([disabled]),textarea:not([disabled]),input:not([disabled]),select:not([disabled]),[tabindex]:not([tabindex="-1"])';

  let ui = null;
  let uid = 0;

  // --- small helpers -------------------------------------------------------

  /** Builds an element; children are strings (inserted as text) or nodes. */
  // Drawn, not emoji: many devices (and kiosks) lack an emoji font.
  function thumbIcon(down) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    if (down) svg.setAttribute("style", "transform: rotate(180deg)");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linejoin", "round");
    path.setAttribute("d", "M7 10v11H3V10h4zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.1 21H7");
    svg.append(path);
    return svg;
  }

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child != null && child !== false) node.append(child);
    }
    return node;
  }

  const hidden = (text) => h("span", { class: "gw-vh" }, text);
  const nextId = (prefix) => `gw-${prefix}-${++uid}`;

  /** Only http(s) links survive; anything else (javascript:, data:) is dropped. */
  function safeUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      const url = new URL(value, location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function readConfig(host) {
    try {
      return JSON.parse(host.dataset.config || "{}") || {};
    } catch {
      return {};
    }
  }

  function readStrings(host) {
    const template =
      host.querySelector("template[data-gw-strings]") || document.querySelector("template[data-gw-strings]");
    const strings = {};
    if (template) {
      for (const node of template.content.querySelectorAll("[data-k]")) {
        strings[node.dataset.k] = node.textContent.trim();
      }
    }
    return strings;
  }

  function formatPrice(amount, config) {
    if (typeof amount !== "number" || !Number.isFinite(amount)) return "";
    try {
      return new Intl.NumberFormat(config.locale || undefined, {
        style: "currency",
        currency: config.currency || "USD",
      }).format(amount);
    } catch {
      return `${amount.toFixed(2)} ${config.currency || ""}`.trim();
    }
  }

  function loadMessages() {
    try {
      const parsed = JSON.parse(sessionStorage.getItem(STORE_KEY) || "[]");
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }

  function saveMessages(messages) {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(messages.slice(-KEEP_MESSAGES)));
    } catch {
      // Private mode or a full quota: the conversation still works, it just is not kept.
    }
  }

  /** Parses a text/event-stream body into {event, data} objects. */
  async function* readEvents(body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      buffer = buffer.replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (!line || line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let text = colon < 0 ? "" : line.slice(colon + 1);
          if (text.startsWith(" ")) text = text.slice(1);
          if (field === "event") event = text;
          else if (field === "data") data += (data ? "\n" : "") + text;
        }
        if (!data) continue;
        try {
          yield { event, data: JSON.parse(data) };
        } catch {
          // A malformed event is skipped rather than ending the answer.
        }
      }
      if (done) return;
    }
  }

  class AskError extends Error {
    constructor(kind, detail) {
      super(kind);
      this.kind = kind; // "offline" | "rate_limited" | "error"
      this.detail = detail;
    }
  }

  // --- the conversation UI ---------------------------------------------------

  class ChatUI {
    constructor(host) {
      this.host = host;
      this.config = readConfig(host);
      this.strings = readStrings(host);
      this.messages = loadMessages();
      this.busy = false;
      this.trigger = null;
      this.productHandle = this.config.product ? this.config.product.handle : null;
      this.build();
      this.renderAll();
    }

    t(key) {
      return this.strings[key] || key;
    }

    get proxy() {
      return this.config.proxy || "/apps/groundwork";
    }

    build() {
      const titleId = nextId("title");
      const inputId = nextId("input");
      const style = getComputedStyle(this.host);
      const contact = safeUrl(this.config.contact) || "/pages/contact";

      this.log = h("div", { class: "gw-log", "aria-live": "polite", "aria-relevant": "additions text" });
      this.context = h("p", { class: "gw-context", hidden: true });
      this.input = h("input", {
        id: inputId,
        type: "text",
        class: "gw-input",
        maxlength: 500,
        placeholder: this.t("input_placeholder"),
        autocomplete: "off",
        enterkeyhint: "send",
      });
      this.sendButton = h("button", { type: "submit", class: "gw-send" }, this.t("send"));
      this.form = h(
        "form",
        {
          class: "gw-form",
          onsubmit: (event) => {
            event.preventDefault();
            this.ask(this.input.value);
          },
        },
        h("label", { for: inputId, class: "gw-vh" }, this.t("input_label")),
        this.input,
        this.sendButton,
      );

      this.dialog = h(
        "div",
        {
          class: "gw-dialog",
          role: "dialog",
          "aria-modal": "true",
          "aria-labelledby": titleId,
          "data-position": this.host.dataset.position || "bottom_right",
          hidden: true,
          onkeydown: (event) => this.onKeydown(event),
        },
        h(
          "div",
          { class: "gw-header" },
          h("h2", { id: titleId, class: "gw-title" }, this.t("title")),
          h("button", { type: "button", class: "gw-clear", onclick: () => this.clear() }, this.t("clear")),
          h(
            "button",
            { type: "button", class: "gw-close", "aria-label": this.t("close"), onclick: () => this.close() },
            h("span", { "aria-hidden": "true" }, "\u00d7"),
          ),
        ),
        this.log,
        this.context,
        this.form,
        h("p", { class: "gw-footer" }, this.t("contact_hint"), " ", h("a", { href: contact }, this.t("contact"))),
      );
      // Colours follow the block settings even when the dialog lives under <body>.
      for (const name of ["--gw-accent", "--gw-on-accent"]) {
        const value = style.getPropertyValue(name).trim();
        if (value) this.dialog.style.setProperty(name, value);
      }
      document.body.append(this.dialog);

      this.onFocusIn = (event) => {
        if (!this.dialog.hidden && !this.dialog.contains(event.target)) this.focusFirst();
      };
    }

    // --- open / close / focus ---

    open(options) {
      const opts = options || {};
      this.trigger = opts.trigger || this.host.querySelector("[data-gw-launcher]");
      if (opts.productHandle) this.productHandle = opts.productHandle;
      this.showContext();
      if (this.dialog.hidden) {
        this.dialog.hidden = false;
        this.setExpanded(true);
        document.addEventListener("focusin", this.onFocusIn);
      }
      this.input.focus();
      this.scrollToEnd(true);
      if (opts.question) this.ask(opts.question);
    }

    close() {
      if (this.dialog.hidden) return;
      this.dialog.hidden = true;
      this.setExpanded(false);
      document.removeEventListener("focusin", this.onFocusIn);
      const back =
        this.trigger && this.trigger.isConnected ? this.trigger : document.querySelector("[data-gw-launcher]");
      if (back) back.focus();
    }

    setExpanded(open) {
      for (const launcher of document.querySelectorAll("[data-gw-launcher]")) {
        launcher.setAttribute("aria-expanded", String(open));
      }
    }

    focusables() {
      return [...this.dialog.querySelectorAll(FOCUSABLE)].filter((node) => node.getClientRects().length > 0);
    }

    focusFirst() {
      const [first] = this.focusables();
      (first || this.input).focus();
    }

    onKeydown(event) {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close();
        return;
      }
      if (event.key !== "Tab") return;
      const nodes = this.focusables();
      if (!nodes.length) return;
      const first = nodes[0];
      const last = nodes[nodes.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }

    showContext() {
      const product = this.config.product;
      const title = product && product.handle === this.productHandle ? product.title : null;
      this.context.hidden = !title;
      this.context.replaceChildren();
      if (title) this.context.append(this.t("asking_about"), " ", h("strong", {}, title));
    }

    scrollToEnd(force) {
      const nearEnd = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
      if (force || nearEnd) this.log.scrollTop = this.log.scrollHeight;
    }

    // --- rendering ---

    renderAll() {
      this.log.replaceChildren(this.renderWelcome());
      for (const message of this.messages) {
        this.log.append(message.role === "user" ? this.renderUser(message.text) : this.renderAnswer(message));
      }
    }

    suggestions() {
      const own = String(this.config.questions || "")
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
      const list = own.length ? own : ["default_question_1", "default_question_2", "default_question_3"].map((k) => this.t(k));
      return list.slice(0, 5);
    }

    renderWelcome() {
      return h(
        "div",
        { class: "gw-welcome" },
        h("p", { class: "gw-msg gw-msg--assistant" }, this.config.greeting || this.t("greeting")),
        h("p", { class: "gw-suggest-heading" }, this.t("suggested_heading")),
        h(
          "ul",
          { class: "gw-suggestions", role: "list" },
          this.suggestions().map((question) =>
            h("li", {}, h("button", { type: "button", class: "gw-chip", onclick: () => this.ask(question) }, question)),
          ),
        ),
      );
    }

    renderUser(text) {
      return h("div", { class: "gw-msg gw-msg--user" }, hidden(`${this.t("you")}: `), text);
    }

    renderAnswer(message) {
      const view = this.answerView();
      this.fillAnswer(view, message);
      return view.root;
    }

    answerView() {
      const body = h("div", { class: "gw-answer" });
      const root = h("div", { class: "gw-msg gw-msg--assistant" }, hidden(`${this.t("assistant")}: `), body);
      return { root, body };
    }

    fillAnswer(view, message) {
      const result = message.result || {};
      view.body.replaceChildren(String(result.answer || message.text || ""));
      if (result.refused) {
        view.root.append(
          h(
            "p",
            { class: "gw-refused" },
            this.t("refused_hint"),
            " ",
            h("a", { href: safeUrl(this.config.contact) || "/pages/contact" }, this.t("contact")),
          ),
        );
      }
      if (result.comparison && Array.isArray(result.comparison.columns)) {
        view.root.append(this.renderComparison(result.comparison));
      }
      if (this.config.productCards !== false && Array.isArray(result.products) && result.products.length) {
        view.root.append(
          h("ul", { class: "gw-cards", role: "list" }, result.products.map((p) => h("li", {}, this.renderCard(p)))),
        );
      }
      const citations = (Array.isArray(result.citations) ? result.citations : [])
        .map((c) => ({ title: String(c.title || c.url || ""), url: safeUrl(c.url) }))
        .filter((c) => c.url);
      if (citations.length) {
        const headingId = nextId("sources");
        view.root.append(
          h(
            "div",
            { class: "gw-sources" },
            h("p", { id: headingId, class: "gw-sources-heading" }, this.t("sources")),
            h(
              "ol",
              { "aria-labelledby": headingId },
              citations.map((c) => h("li", {}, h("a", { href: c.url }, c.title))),
            ),
          ),
        );
      }
      if (message.answerId) view.root.append(this.renderFeedback(message));
    }

    renderComparison(comparison) {
      const columns = comparison.columns.map(String);
      const rows = Array.isArray(comparison.rows) ? comparison.rows : [];
      const captionId = nextId("cmp");
      return h(
        "div",
        { class: "gw-compare", role: "region", "aria-labelledby": captionId, tabindex: 0 },
        h(
          "table",
          {},
          h("caption", { id: captionId }, this.t("comparison_caption")),
          h(
            "thead",
            {},
            h("tr", {}, h("th", { scope: "col" }, this.t("feature")), columns.map((c) => h("th", { scope: "col" }, c))),
          ),
          h(
            "tbody",
            {},
            rows.map((row) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, String(row.attribute || "")),
                columns.map((_, i) => h("td", {}, String((row.values || [])[i] ?? ""))),
              ),
            ),
          ),
        ),
      );
    }

    renderCard(product) {
      const variants = Array.isArray(product.variants) ? product.variants : [];
      const titleId = nextId("card");
      const url = safeUrl(product.url);
      const image = safeUrl(product.imageUrl);
      const price = h("span", { class: "gw-price-now" });
      const compare = h("s", { class: "gw-price-was" });
      const stock = h("p", { class: "gw-stock" });
      const status = h("p", { class: "gw-card-status", role: "status" });
      const add = h("button", { type: "button", class: "gw-add" }, this.t("add_to_cart"));
      let select = null;

      const current = () => (select ? variants.find((v) => String(v.id) === select.value) : variants[0]);
      const update = () => {
        const variant = current();
        const amount = variant ? variant.price : product.price;
        const available = variant ? variant.available : product.available;
        price.replaceChildren(hidden(`${this.t("sale_price")} `), formatPrice(amount, this.config));
        const was = product.compareAtPrice;
        compare.hidden = !(typeof was === "number" && was > amount);
        compare.replaceChildren(hidden(`${this.t("regular_price")} `), formatPrice(was, this.config));
        stock.textContent = available ? this.t("in_stock") : this.t("sold_out");
        stock.dataset.available = String(Boolean(available));
        add.disabled = !variant || !available;
      };

      if (variants.length > 1) {
        const selectId = nextId("variant");
        select = h(
          "select",
          { id: selectId, class: "gw-variant", onchange: update },
          variants.map((v) =>
            h(
              "option",
              { value: String(v.id) },
              v.available ? String(v.title) : `${v.title} (${this.t("sold_out")})`,
            ),
          ),
        );
        const firstAvailable = variants.find((v) => v.available);
        if (firstAvailable) select.value = String(firstAvailable.id);
      }
      add.addEventListener("click", () => this.addToCart(current(), add, status));
      update();

      return h(
        "article",
        { class: "gw-card", "aria-labelledby": titleId },
        image ? h("img", { src: image, alt: "", width: 72, height: 72, loading: "lazy", decoding: "async" }) : null,
        h(
          "div",
          { class: "gw-card-body" },
          h("h3", { id: titleId, class: "gw-card-title" }, url ? h("a", { href: url }, String(product.title)) : String(product.title)),
          h("p", { class: "gw-price" }, price, " ", compare),
          stock,
          select
            ? h("div", { class: "gw-field" }, h("label", { for: select.id }, this.t("variant_label")), select)
            : null,
          add,
          status,
        ),
      );
    }

    renderFeedback(message) {
      const group = h("div", { class: "gw-feedback", role: "group", "aria-label": `${this.t("helpful")} / ${this.t("not_helpful")}` });
      const thanks = h("p", { class: "gw-thanks", role: "status" });
      const reasonId = nextId("reason");
      const reason = h("input", { id: reasonId, type: "text", maxlength: 500 });
      const reasonForm = h(
        "form",
        {
          class: "gw-reason",
          hidden: true,
          onsubmit: (event) => {
            event.preventDefault();
            this.sendFeedback(message, "down", reason.value.trim());
            reasonForm.hidden = true;
            thanks.textContent = this.t("feedback_thanks");
          },
        },
        h("label", { for: reasonId }, this.t("feedback_reason_label")),
        reason,
        h("button", { type: "submit" }, this.t("feedback_submit")),
      );
      const rate = (rating) => {
        message.rating = rating;
        saveMessages(this.messages);
        up.setAttribute("aria-pressed", String(rating === "up"));
        down.setAttribute("aria-pressed", String(rating === "down"));
        this.sendFeedback(message, rating, "");
        reasonForm.hidden = rating !== "down";
        thanks.textContent = rating === "up" ? this.t("feedback_thanks") : "";
        if (rating === "down") reason.focus();
      };
      const up = h(
        "button",
        { type: "button", class: "gw-thumb", "aria-pressed": String(message.rating === "up"), onclick: () => rate("up") },
        thumbIcon(false),
        hidden(this.t("helpful")),
      );
      const down = h(
        "button",
        { type: "button", class: "gw-thumb", "aria-pressed": String(message.rating === "down"), onclick: () => rate("down") },
        thumbIcon(true),
        hidden(this.t("not_helpful")),
      );
      group.append(up, down);
      return h("div", {}, group, reasonForm, thanks);
    }

    renderProblem(kind, retry) {
      const key = kind === "offline" ? "offline" : kind === "rate_limited" ? "rate_limited" : "error";
      const root = h("div", { class: "gw-msg gw-msg--problem", "data-kind": key }, h("p", {}, this.t(key)));
      const again = h("button", { type: "button", class: "gw-retry" }, this.t("retry"));
      again.addEventListener("click", () => {
        root.remove();
        retry();
      });
      root.append(again, " ", h("a", { href: safeUrl(this.config.contact) || "/pages/contact" }, this.t("contact")));
      return root;
    }

    // --- actions ---

    clear() {
      this.messages = [];
      saveMessages(this.messages);
      this.renderAll();
      this.input.focus();
    }

    history() {
      return this.messages
        .slice(-HISTORY_MESSAGES)
        .map((m) => ({ role: m.role, content: String(m.text || "") }))
        .filter((m) => m.content);
    }

    async ask(raw) {
      const question = String(raw || "").trim();
      if (!question || this.busy) return;
      const history = this.history();
      this.input.value = "";
      this.messages.push({ role: "user", text: question });
      saveMessages(this.messages);
      this.log.append(this.renderUser(question));
      await this.answer(question, history);
    }

    async answer(question, history) {
      this.busy = true;
      this.sendButton.disabled = true;
      const view = this.answerView();
      view.body.append(h("span", { class: "gw-thinking" }, this.t("thinking")));
      this.log.append(view.root);
      this.log.setAttribute("aria-busy", "true");
      this.scrollToEnd(true);
      try {
        if (navigator.onLine === false) throw new AskError("offline");
        const message = await this.request(question, history, view);
        this.messages.push(message);
        saveMessages(this.messages);
        const root = this.renderAnswer(message);
        view.root.replaceWith(root);
        // Show the start of a long answer (cards, table) rather than its end.
        const top = root.getBoundingClientRect().top - this.log.getBoundingClientRect().top;
        this.log.scrollTop += Math.max(0, top - 8);
      } catch (error) {
        const kind = error instanceof AskError ? error.kind : navigator.onLine === false ? "offline" : "error";
        view.root.replaceWith(this.renderProblem(kind, () => this.answer(question, history)));
      } finally {
        this.busy = false;
        this.sendButton.disabled = false;
        this.log.setAttribute("aria-busy", "false");
      }
    }

    async request(question, history, view) {
      const payload = { question, locale: this.config.locale || document.documentElement.lang || "en" };
      if (this.productHandle) payload.productHandle = this.productHandle;
      if (history.length) payload.history = history;
      let response;
      try {
        response = await fetch(`${this.proxy}/ask`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream, application/json" },
          body: JSON.stringify(payload),
          credentials: "same-origin",
        });
      } catch {
        throw new AskError(navigator.onLine === false ? "offline" : "error");
      }
      if (response.status === 429) throw new AskError("rate_limited");
      if (!response.ok) throw new AskError("error", response.status);

      const headerId = response.headers.get("X-Groundwork-Answer-Id");
      const type = response.headers.get("Content-Type") || "";
      let result = null;
      if (type.includes("text/event-stream") && response.body) {
        let text = "";
        for await (const { event, data } of readEvents(response.body)) {
          if (event === "delta" && typeof data.text === "string") {
            text += data.text;
            view.body.textContent = text;
            this.scrollToEnd(false);
          } else if (event === "done") {
            result = data;
          } else if (event === "error") {
            throw new AskError(data.code === "rate_limited" ? "rate_limited" : "error", data.message);
          }
        }
        if (!result) throw new AskError("error", "stream ended early");
      } else {
        result = await response.json().catch(() => null);
        if (!result || typeof result.answer !== "string") throw new AskError("error", "bad answer");
      }
      return { role: "assistant", text: result.answer, result, answerId: result.answerId || result.id || headerId || null };
    }

    async addToCart(variant, button, status) {
      if (!variant) return;
      button.disabled = true;
      button.textContent = this.t("adding");
      status.textContent = "";
      try {
        const numeric = Number(variant.id);
        const response = await fetch(this.config.cartAdd || "/cart/add.js", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ items: [{ id: Number.isFinite(numeric) ? numeric : variant.id, quantity: 1 }] }),
          credentials: "same-origin",
        });
        const added = await response.json().catch(() => ({}));
        if (!response.ok) {
          // Shopify's cart errors carry a shopper-readable description in the shop's language.
          status.textContent = typeof added.description === "string" ? added.description : this.t("add_failed");
          return;
        }
        status.textContent = this.t("added");
        const cart = await fetch(this.config.cart || "/cart.js", { credentials: "same-origin" })
          .then((r) => (r.ok ? r.json() : null))
          .catch(() => null);
        if (cart && typeof cart.item_count === "number") {
          for (const node of document.querySelectorAll("[data-cart-count]")) node.textContent = String(cart.item_count);
        }
        document.dispatchEvent(
          new CustomEvent("cart:updated", { bubbles: true, detail: { cart, items: added.items || [], source: "groundwork" } }),
        );
      } catch {
        status.textContent = navigator.onLine === false ? this.t("offline") : this.t("add_failed");
      } finally {
        button.textContent = this.t("add_to_cart");
        button.disabled = false;
      }
    }

    sendFeedback(message, rating, reason) {
      const body = { answerId: message.answerId, rating };
      if (reason) body.reason = reason;
      // The server keeps one rating per answer: a later reason replaces the bare vote.
      fetch(`${this.proxy}/feedback`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
        keepalive: true,
      }).catch(() => {});
    }

    async showPopular(block) {
      const box = block.querySelector("[data-gw-popular]");
      const handle = block.dataset.productHandle;
      if (!box || !handle) return;
      const params = new URLSearchParams({ product: handle, locale: this.config.locale || "" });
      const data = await fetch(`${this.proxy}/questions?${params}`, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null);
      const seen = new Set([...block.querySelectorAll("[data-gw-question]")].map((b) => b.textContent.trim()));
      const fresh = (data && Array.isArray(data.questions) ? data.questions : [])
        .map((q) => String(q).trim())
        .filter((q) => q && !seen.has(q))
        .slice(0, 4);
      if (!fresh.length) return;
      const list = box.querySelector("ul");
      for (const question of fresh) {
        list.append(h("li", {}, h("button", { type: "button", class: "gw-ask__q", "data-gw-question": true }, question)));
      }
      box.hidden = false;
    }
  }

  function ensure(host) {
    if (!ui) ui = new ChatUI(host);
    return ui;
  }

  window.GroundworkChat = {
    open(host, options) {
      ensure(host).open(options);
    },
    showPopular(block, host) {
      return ensure(host).showPopular(block);
    },
  };
})();
