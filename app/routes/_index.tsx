import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { config } from "../env.server";
import { login } from "../shopify.server";

// Real installs: Shopify opens /app; a visitor here gets the log-in form.
// Demo mode: this is where the storefront preview lives.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop") && !config.demo) throw redirect(`/app?${url.searchParams.toString()}`);
  return { demo: config.demo, showForm: Boolean(login) };
};

export default function Landing() {
  const { demo, showForm } = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>Groundwork</h1>
      <p>A shopping assistant whose answers come from your store's own products, policies and pages, with sources for every answer.</p>
      {demo ? (
        <p>
          <a href="/app">Open the admin</a>
        </p>
      ) : showForm ? (
        <Form method="post" action="/auth/login">
          <label>
            Shop domain <input type="text" name="shop" placeholder="example.myshopify.com" />
          </label>{" "}
          <button type="submit">Log in</button>
        </Form>
      ) : null}
    </main>
  );
}
