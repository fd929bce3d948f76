/*
 * Groundwork loader. Defines <groundwork-assistant> and <groundwork-ask-product>
 * and does nothing else until the shopper reaches for one of them: no fetch, no
 * conversation code. Hover, focus or touch warms the chat bundle; a click opens it.
 */
(() => {
  if (!window.customElements || customElements.get("groundwork-assistant")) return;

  let bundle = null;

  // Loads groundwork-chat.js and .css once; the URLs come from asset_url in Liquid.
  const load = (host) =>
    (bundle ||= new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = host.dataset.chatCss;
      const js = document.createElement("script");
      js.src = host.dataset.chatJs;
      js.async = true;
      js.onload = () => (window.GroundworkChat ? resolve(window.GroundworkChat) : js.onerror());
      js.onerror = () => {
        bundle = null;
        js.remove();
        reject(new Error("groundwork-chat failed to load"));
      };
      document.head.append(css, js);
    }));

  const warmOn = (el, host) => {
    const warm = () => load(host()).catch(() => {});
    for (const type of ["pointerenter", "focusin", "touchstart"]) {
      el.addEventListener(type, warm, { once: true, passive: true });
    }
  };

  // The page's assistant: the app embed's when enabled, else the block's own.
  const pageHost = (fallback) =>
    document.querySelector("groundwork-assistant:not([data-headless])") || fallback;

  class GroundworkAssistant extends HTMLElement {
    connectedCallback() {
      const launcher = this.querySelector("[data-gw-launcher]");
      if (!launcher || this.wired) return;
      this.wired = true;
      warmOn(launcher, () => this);
      launcher.addEventListener("click", () => this.open({ trigger: launcher }));
    }

    // options: { trigger, question?, product? }
    open(options) {
      this.toggleAttribute("data-busy", true);
      return load(this)
        .then((chat) => chat.open(this, options))
        .catch(() => {
          // A failed load must not leave a dead button: say so and let a retry reload.
          const t = this.querySelector("template[data-gw-strings]");
          const msg = t && t.content.querySelector('[data-k="load_failed"]');
          if (msg && options.trigger) options.trigger.title = msg.textContent;
        })
        .finally(() => this.removeAttribute("data-busy"));
    }
  }

  class GroundworkAskProduct extends HTMLElement {
    connectedCallback() {
      if (this.wired) return;
      this.wired = true;
      const own = this.querySelector("groundwork-assistant");
      const host = () => pageHost(own);
      warmOn(this, host);
      let asked = false;
      const popular = () => {
        if (asked || !this.hasAttribute("data-popular")) return;
        asked = true;
        load(host())
          .then((chat) => chat.showPopular(this, host()))
          .catch(() => (asked = false));
      };
      this.addEventListener("pointerenter", popular);
      this.addEventListener("focusin", popular);
      this.addEventListener("click", (event) => {
        const button = event.target.closest("[data-gw-question],[data-gw-ask]");
        if (!button) return;
        host().open({
          trigger: button,
          question: button.hasAttribute("data-gw-question") ? button.textContent.trim() : "",
          productHandle: this.dataset.productHandle,
        });
      });
    }
  }

  customElements.define("groundwork-assistant", GroundworkAssistant);
  customElements.define("groundwork-ask-product", GroundworkAskProduct);
})();
