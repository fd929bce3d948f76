/**
 * A deliberately small theme for the demo storefront: header with the cart
 * count, a product grid, a product page, a cart drawer. Like a real theme it
 * prints the merchant's product description as HTML; the assistant never does.
 */

export const THEME_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111827;background:#fff}
a{color:inherit}
.skip{position:absolute;inset-inline-start:-999px}.skip:focus{inset-inline-start:8px;inset-block-start:8px;background:#fff;padding:8px;z-index:10}
.site-header{display:flex;justify-content:space-between;align-items:center;padding-block:16px;padding-inline:24px;border-block-end:1px solid #e5e7eb}
.logo{font-weight:700;font-size:1.25rem;text-decoration:none}
main{max-inline-size:1100px;margin-inline:auto;padding:24px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:24px;list-style:none;margin:0;padding:0}
.card img,.product-media img{inline-size:100%;block-size:auto;aspect-ratio:1;object-fit:cover;border-radius:8px;background:#f3f4f6}
.card h3{font-size:1rem;margin-block:8px 4px}
.price s{color:#6b7280;margin-inline-start:6px}
.product{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:32px}
@media (max-width:760px){.product{grid-template-columns:minmax(0,1fr)}}
h1,h3{overflow-wrap:anywhere}
.product-form{display:flex;flex-direction:column;gap:8px;max-inline-size:320px}
.product-form select,.product-form button,.cart-drawer button{min-block-size:44px;font:inherit}
.product-form button{background:#111827;color:#fff;border:0;border-radius:6px}
.cart-drawer{position:fixed;inset-block:0;inset-inline-end:0;inline-size:min(360px,100vw);background:#fff;border-inline-start:1px solid #e5e7eb;padding:24px;z-index:100;overflow-y:auto}
.cart-drawer[hidden]{display:none}
`;

/** Toggles the drawer and repaints the cart from /cart.js, whoever changed it (the theme or an app). */
export const THEME_JS = `(() => {
  const body = document.body;
  const drawer = document.getElementById("cart-drawer");
  const toggle = document.querySelector("[data-cart-toggle]");
  const fmt = (cents) => { try { return new Intl.NumberFormat(document.documentElement.lang, { style: "currency", currency: body.dataset.currency }).format(cents / 100); } catch { return (cents / 100).toFixed(2); } };
  const show = (open) => { drawer.hidden = !open; toggle.setAttribute("aria-expanded", String(open)); if (open) drawer.querySelector("[data-cart-close]").focus(); };
  toggle.addEventListener("click", (e) => { e.preventDefault(); show(drawer.hidden); });
  drawer.querySelector("[data-cart-close]").addEventListener("click", () => { show(false); toggle.focus(); });
  const paint = (cart) => {
    for (const n of document.querySelectorAll("[data-cart-count]")) n.textContent = String(cart.item_count);
    const list = drawer.querySelector("[data-cart-items]");
    list.replaceChildren(...cart.items.map((item) => { const li = document.createElement("li"); li.textContent = item.quantity + " \\u00d7 " + item.title + " \\u2014 " + fmt(item.final_line_price); return li; }));
    drawer.querySelector("[data-cart-total]").textContent = fmt(cart.total_price);
  };
  const refresh = () => fetch(body.dataset.cartJs, { credentials: "same-origin" }).then((r) => r.json()).then(paint).catch(() => {});
  document.addEventListener("cart:updated", (e) => (e.detail && e.detail.cart ? paint(e.detail.cart) : refresh()));
  const form = document.querySelector("[data-product-form]");
  if (form) form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = form.querySelector("[data-form-status]");
    const r = await fetch(body.dataset.cartAddJs, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ items: [{ id: Number(form.elements.id.value) || form.elements.id.value, quantity: 1 }] }) }).catch(() => null);
    if (!r || !r.ok) { const err = r ? await r.json().catch(() => ({})) : {}; status.textContent = err.description || "Could not add to cart."; return; }
    status.textContent = "";
    await refresh();
    show(true);
  });
})();`;

export const LAYOUT_TEMPLATE = `<!doctype html>
<html lang="{{ request.locale.iso_code }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page_title | escape }} – {{ shop.name | escape }}</title>
<style>{{ theme_css }}</style>
{{ content_for_header }}
</head>
<body data-currency="{{ shop.currency }}" data-cart-js="{{ routes.cart_url }}.js" data-cart-add-js="{{ routes.cart_add_url }}.js">
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <a class="logo" href="{{ routes.root_url }}">{{ shop.name | escape }}</a>
  <a class="cart-link" href="{{ routes.cart_url }}" data-cart-toggle aria-controls="cart-drawer" aria-expanded="false">Cart (<span data-cart-count>{{ cart.item_count }}</span>)</a>
</header>
<main id="main">
{{ content_for_layout }}
</main>
<aside id="cart-drawer" class="cart-drawer" aria-labelledby="cart-drawer-title" hidden>
  <h2 id="cart-drawer-title">Your cart</h2>
  <ul data-cart-items>
    {%- for item in cart.items %}
    <li>{{ item.quantity }} × {{ item.title | escape }} — {{ item.final_line_price | money }}</li>
    {%- endfor %}
  </ul>
  <p>Total: <span data-cart-total>{{ cart.total_price | money }}</span></p>
  <button type="button" data-cart-close>Close cart</button>
</aside>
<script>{{ theme_js }}</script>
{{ content_for_body_end }}
</body>
</html>
`;

export const PRODUCT_GRID_TEMPLATE = `<ul class="grid" role="list">
{%- for product in products %}
  <li class="card">
    <a href="{{ product.url }}">
      {%- if product.featured_image %}<img src="{{ product.featured_image.src | escape }}" alt="{{ product.featured_image.alt | escape }}" width="400" height="400" loading="lazy">{% endif -%}
      <h3>{{ product.title | escape }}</h3>
    </a>
    <p class="price">{{ product.price | money }}{% if product.compare_at_price > product.price %} <s>{{ product.compare_at_price | money }}</s>{% endif %}</p>
  </li>
{%- endfor %}
</ul>`;

export const HOME_TEMPLATE = `<h1>{{ shop.name | escape }}</h1>
${PRODUCT_GRID_TEMPLATE}`;

export const COLLECTION_TEMPLATE = `<h1>{{ collection.title | escape }}</h1>
${PRODUCT_GRID_TEMPLATE}`;

export const PRODUCT_TEMPLATE = `<div class="product">
  <div class="product-media">
    {%- if product.featured_image %}<img src="{{ product.featured_image.src | escape }}" alt="{{ product.featured_image.alt | escape }}" width="600" height="600">{% endif -%}
  </div>
  <div class="product-info">
    <h1>{{ product.title | escape }}</h1>
    <p class="price">{{ product.selected_or_first_available_variant.price | default: product.price | money }}{% if product.compare_at_price > product.price %} <s>{{ product.compare_at_price | money }}</s>{% endif %}</p>
    <form class="product-form" action="{{ routes.cart_add_url }}" method="post" data-product-form>
      {%- unless product.has_only_default_variant %}
      <label for="variant-select">{{ product.options | join: " / " | escape }}</label>
      <select id="variant-select" name="id">
        {%- for variant in product.variants %}
        <option value="{{ variant.id }}"{% if variant.id == product.selected_or_first_available_variant.id %} selected{% endif %}{% unless variant.available %} disabled{% endunless %}>{{ variant.title | escape }}{% unless variant.available %} (sold out){% endunless %}</option>
        {%- endfor %}
      </select>
      {%- else %}
      <input type="hidden" name="id" value="{{ product.selected_or_first_available_variant.id }}">
      {%- endunless %}
      <button type="submit"{% unless product.available %} disabled{% endunless %}>{% if product.available %}Add to cart{% else %}Sold out{% endif %}</button>
      <p data-form-status role="status"></p>
    </form>
    <div class="product-description">{{ product.description }}</div>
    {{ app_blocks }}
  </div>
</div>`;
