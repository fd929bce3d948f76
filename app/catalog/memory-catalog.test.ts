import { describe, expect, it } from "vitest";
import { rainShell, refundPolicy, wrapDress } from "../answering/sample-catalog";
import { createMemoryCatalog } from "./memory-catalog";

describe("createMemoryCatalog", () => {
  const draft = { ...wrapDress, id: "gid-draft", handle: "draft-dress", status: "draft" as const };
  const catalog = createMemoryCatalog({ a: { products: [rainShell, draft], policies: [refundPolicy] } });

  it("reads products by id and handle, per shop, never drafts", async () => {
    expect((await catalog.productsByIds("a", [rainShell.id, "missing", draft.id])).map((p) => p.handle)).toEqual(["alpine-rain-shell"]);
    expect(await catalog.productByHandle("a", "draft-dress")).toBeNull();
    expect(await catalog.productByHandle("b", "alpine-rain-shell")).toBeNull();
    expect((await catalog.policies("a"))[0].id).toBe("refund");
  });

  it("exposes the shop's option values, product types and titles", async () => {
    const v = await catalog.vocabulary("a");
    expect(v.knownOptions.Size).toEqual(["S", "M", "L", "M Tall", "L Tall"]);
    expect(v.productTypes).toEqual(["Jackets"]);
    expect(v.knownProducts).toEqual([{ handle: "alpine-rain-shell", title: "Alpine Rain Shell" }]);
  });
});
