import { describe, expect, it } from "vitest";
import type { AdminGraphqlClient } from "./shopify-admin-client";
import { PRODUCTS_BULK_QUERY, startProductBulkSync } from "./shopify-bulk-sync";

const answering = (data: unknown): AdminGraphqlClient => (async () => ({ data })) as unknown as AdminGraphqlClient;

describe("PRODUCTS_BULK_QUERY", () => {
  it("stays within Shopify's bulk limits: five connections, none nested deeper than two", () => {
    const connections = PRODUCTS_BULK_QUERY.match(/\b\w+ \{ edges \{|\bproducts \{/g) ?? [];
    expect(connections).toHaveLength(5);
    expect(PRODUCTS_BULK_QUERY).not.toMatch(/first:/);
  });
});

describe("startProductBulkSync", () => {
  it("GIVEN an invalid query userError WHEN starting THEN it raises shopify_user_error with Shopify's message", async () => {
    const client = answering({ bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: ["query"], message: "Invalid bulk query: x", code: "INVALID" }] } });
    await expect(startProductBulkSync(client)).rejects.toMatchObject({ code: "shopify_user_error", message: expect.stringMatching(/Invalid bulk query: x/) });
  });

  it("GIVEN a started operation WHEN starting THEN its id and status come back", async () => {
    const client = answering({ bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED" }, userErrors: [] } });
    await expect(startProductBulkSync(client)).resolves.toEqual({ operationId: "gid://shopify/BulkOperation/1", status: "CREATED" });
  });
});
