/**
 * One behaviour for every VectorStore: each implementation runs this suite. The data is
 * small and literal (8-dimension hand-made vectors, no model) so a failure points at
 * the store, never at embeddings.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SourceType } from "../../app/catalog/types";
import type { ChunkFields, EmbeddedChunk, SearchHit, VectorStore } from "../../app/stores/types";
import { VectorStoreError } from "../../app/stores/types";

export const CONFORMANCE_DIMENSIONS = 8;

const SHOP_A = "alpha-outfitters.myshopify.com";
const SHOP_B = "beta-outfitters.myshopify.com";

/** Unit vector along `axis`, optionally blended with another axis. */
function axis(main: number, other?: number, otherWeight = 0): number[] {
  const v = new Array<number>(CONFORMANCE_DIMENSIONS).fill(0);
  v[main] = 1;
  if (other !== undefined) v[other] = otherWeight;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function chunk(
  id: string,
  sourceType: SourceType,
  sourceId: string,
  title: string,
  text: string,
  vector: number[],
  fields: ChunkFields = {},
): EmbeddedChunk {
  return {
    id,
    sourceType,
    sourceId,
    title,
    text,
    vector,
    fields,
    url: `/${sourceType}s/${encodeURIComponent(sourceId)}#${id}`,
    contentHash: `hash-${id}`,
  };
}

/** Nine chunks of a small outdoor shop. `label` marks which shop a copy belongs to. */
function catalog(label = ""): EmbeddedChunk[] {
  const mark = (s: string) => (label ? `${s} (${label})` : s);
  const chunks = [
    chunk(
      "rain-jacket",
      "product",
      "gid://shopify/Product/1",
      mark("Storm rain jacket"),
      "A waterproof shell with sealed seams for heavy rain.",
      axis(0),
      {
        productHandle: "storm-rain-jacket",
        productType: "Jackets",
        priceMin: 120,
        priceMax: 120,
        available: true,
        variants: [{ id: "v1", options: { Size: "M" }, available: true, price: 120 }],
      },
    ),
    chunk(
      "rain-jacket-care",
      "product",
      "gid://shopify/Product/1",
      mark("Storm rain jacket care"),
      "Wash cold and reproof the shell once a year.",
      axis(0, 7, 0.9),
      {
        productHandle: "storm-rain-jacket",
        productType: "Jackets",
        priceMin: 120,
        priceMax: 120,
        available: true,
      },
    ),
    chunk(
      "wool-sweater",
      "product",
      "gid://shopify/Product/2",
      mark("Merino wool sweater"),
      "A warm knitted sweater made from merino wool.",
      axis(1),
      {
        productType: "Sweaters",
        priceMin: 80,
        priceMax: 90,
        available: true,
        tags: ["wool"],
        variants: [{ id: "v2", options: { Size: "M" }, available: true, price: 80 }],
      },
    ),
    chunk(
      "trail-boot",
      "product",
      "gid://shopify/Product/3",
      mark("Trail boot"),
      "Leather hiking boot with a grippy sole.",
      axis(2),
      {
        productType: "Shoes",
        priceMin: 150,
        priceMax: 150,
        available: true,
        variants: [
          { id: "v3-8", options: { Size: "8", Color: "Brown" }, available: false, price: 150 },
          { id: "v3-10", options: { Size: "10", Color: "Brown" }, available: true, price: 150 },
        ],
      },
    ),
    chunk(
      "city-sandal",
      "product",
      "gid://shopify/Product/4",
      mark("City sandal"),
      "A light sandal for warm days in town.",
      axis(2, 3, 0.75),
      {
        productType: "Shoes",
        priceMin: 40,
        priceMax: 40,
        available: true,
        variants: [{ id: "v4-8", options: { Size: "8" }, available: true, price: 40 }],
      },
    ),
    chunk(
      "old-parka",
      "product",
      "gid://shopify/Product/5",
      mark("Archived parka"),
      "A long winter parka we no longer make.",
      axis(0, 4, 0.5),
      {
        productType: "Jackets",
        priceMin: 200,
        priceMax: 200,
        available: false,
        variants: [{ id: "v5", options: { Size: "M" }, available: false, price: 200 }],
      },
    ),
    chunk(
      "refund-policy",
      "policy",
      "refund",
      mark("Refund policy"),
      "Returns are accepted within 30 days for a full refund.",
      axis(5),
      { policyType: "refund" },
    ),
    chunk(
      "shipping-policy",
      "policy",
      "shipping",
      mark("Shipping policy"),
      "Orders ship within two business days.",
      axis(6),
      { policyType: "shipping" },
    ),
    chunk(
      "about-page",
      "page",
      "about",
      mark("About us"),
      "A family workshop making outdoor gear since 1990.",
      axis(7),
    ),
  ];
  return label ? chunks.map((c) => ({ ...c, contentHash: `${c.contentHash}-${label}` })) : chunks;
}

const ids = (hits: SearchHit[]) => hits.map((h) => h.chunk.id);

function expectSortedByScore(hits: SearchHit[]): void {
  for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
}

async function expectStoreError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VectorStoreError);
  expect((error as VectorStoreError).code).toBe(code);
}

/**
 * `makeStore` returns a fresh, empty store holding CONFORMANCE_DIMENSIONS-dimension vectors
 * (a new index each call, so tests never see each other's data).
 */
export function describeVectorStoreConformance(
  name: string,
  makeStore: (options: { dimensions: number }) => Promise<VectorStore>,
): void {
  describe(`VectorStore conformance: ${name}`, () => {
    let store: VectorStore;

    beforeEach(async () => {
      store = await makeStore({ dimensions: CONFORMANCE_DIMENSIONS });
    });

    afterEach(async () => {
      await store.close();
    });

    describe("search modes", () => {
      beforeEach(async () => {
        await store.upsert(SHOP_A, catalog());
      });

      it("dense search puts the nearest chunk first and scores in descending order", async () => {
        const hits = await store.search(SHOP_A, { mode: "dense", vector: axis(0, 4, 0.1), k: 5 });
        expect(ids(hits)[0]).toBe("rain-jacket");
        expect(hits[0].score).toBeGreaterThan(0.9);
        expectSortedByScore(hits);
      });

      it("sparse (BM25) search ranks the chunk holding the query words first", async () => {
        const hits = await store.search(SHOP_A, { mode: "sparse", text: "merino wool", k: 5 });
        expect(ids(hits)[0]).toBe("wool-sweater");
        expectSortedByScore(hits);
      });

      it("sparse search matches words as any store writes them: CJK without spaces, Arabic and Hebrew without vowel marks, Devanagari", async () => {
        await store.upsert(SHOP_A, [
          chunk("zh", "product", "zh", "轻便防水夹克", "这款夹克完全防水，适合徒步。", axis(0)),
          chunk("ja", "product", "ja", "レインジャケット", "軽くて防水です。", axis(1)),
          chunk("ar", "product", "ar", "فُسْتَانُ صَلَاةٍ", "قماش ناعم وخفيف.", axis(2)),
          chunk("he", "product", "he", "מַחְבֶּרֶת A5", "דפים מנוקדים.", axis(3)),
          chunk("hi", "product", "hi", "लाल कुर्ता", "सूती कपड़ा।", axis(4)),
        ]);
        const first = async (text: string) => ids(await store.search(SHOP_A, { mode: "sparse", text, k: 3 }))[0];
        expect(await first("夹克")).toBe("zh");
        expect(await first("ジャケット")).toBe("ja");
        expect(await first("فستان صلاة")).toBe("ar");
        expect(await first("מחברת")).toBe("he");
        expect(await first("कुर्ता")).toBe("hi");
      });

      it("sparse search finds nothing when no chunk holds a query word", async () => {
        expect(await store.search(SHOP_A, { mode: "sparse", text: "xylophone", k: 5 })).toEqual([]);
      });

      it("hybrid search fuses both lists and puts the chunk both agree on first", async () => {
        const hits = await store.search(SHOP_A, {
          mode: "hybrid",
          vector: axis(5, 6, 0.2),
          text: "full refund within 30 days",
          k: 4,
        });
        expect(ids(hits)[0]).toBe("refund-policy");
        expectSortedByScore(hits);
      });

      it("hybrid search lifts an exact word match the vector alone misses", async () => {
        // The vector points at the boot; only the words name the sandal.
        const hits = await store.search(SHOP_A, { mode: "hybrid", vector: axis(2), text: "sandal", k: 3 });
        expect(ids(hits).slice(0, 2).sort()).toEqual(["city-sandal", "trail-boot"]);
      });

      it("returns each chunk as it was stored", async () => {
        const [hit] = await store.search(SHOP_A, { mode: "dense", vector: axis(2), k: 1 });
        const { vector: _vector, ...expected } = catalog().find((c) => c.id === "trail-boot")!;
        expect(hit.chunk).toEqual(expected);
      });

      it("respects k in every mode", async () => {
        expect(await store.search(SHOP_A, { mode: "dense", vector: axis(0), k: 3 })).toHaveLength(3);
        expect(
          await store.search(SHOP_A, { mode: "sparse", text: "sweater boot sandal jacket parka", k: 2 }),
        ).toHaveLength(2);
        expect(
          await store.search(SHOP_A, { mode: "hybrid", vector: axis(0), text: "sweater boot sandal", k: 3 }),
        ).toHaveLength(3);
        expect(await store.search(SHOP_A, { mode: "dense", vector: axis(0), k: 50 })).toHaveLength(9);
      });
    });

    describe("writes", () => {
      it("upsert is idempotent: the same ids twice keep the same count", async () => {
        await store.upsert(SHOP_A, catalog());
        await store.upsert(SHOP_A, catalog());
        expect(await store.count(SHOP_A)).toBe(9);
      });

      it("upserting a changed chunk replaces it everywhere (text, hash, vector)", async () => {
        await store.upsert(SHOP_A, catalog());
        const original = catalog().find((c) => c.id === "rain-jacket")!;
        await store.upsert(SHOP_A, [
          { ...original, text: "A packable cagoule for showers.", contentHash: "hash-v2", vector: axis(6) },
        ]);
        expect(await store.count(SHOP_A)).toBe(9);
        expect((await store.contentHashes(SHOP_A)).get("rain-jacket")).toBe("hash-v2");
        expect(ids(await store.search(SHOP_A, { mode: "sparse", text: "cagoule", k: 3 }))).toEqual(["rain-jacket"]);
        expect(ids(await store.search(SHOP_A, { mode: "sparse", text: "sealed seams", k: 3 }))).not.toContain(
          "rain-jacket",
        );
        expect(ids(await store.search(SHOP_A, { mode: "dense", vector: axis(6), k: 2 }))).toContain("rain-jacket");
      });

      it("contentHashes lists every chunk of the shop, or of one source", async () => {
        await store.upsert(SHOP_A, catalog());
        const all = await store.contentHashes(SHOP_A);
        expect(all.size).toBe(9);
        expect(all.get("trail-boot")).toBe("hash-trail-boot");
        const one = await store.contentHashes(SHOP_A, { sourceType: "product", sourceId: "gid://shopify/Product/1" });
        expect([...one.keys()].sort()).toEqual(["rain-jacket", "rain-jacket-care"]);
      });

      it("deleteChunks removes the named chunks and counts only those that existed", async () => {
        await store.upsert(SHOP_A, catalog());
        expect(await store.deleteChunks(SHOP_A, ["about-page", "no-such-chunk"])).toBe(1);
        expect(await store.count(SHOP_A)).toBe(8);
        expect(
          await store.search(SHOP_A, { mode: "dense", vector: axis(7), k: 9, filter: { sourceTypes: ["page"] } }),
        ).toEqual([]);
        expect(await store.search(SHOP_A, { mode: "sparse", text: "workshop", k: 3 })).toEqual([]);
      });

      it("deleteSource removes every chunk of one source", async () => {
        await store.upsert(SHOP_A, catalog());
        expect(await store.deleteSource(SHOP_A, "product", "gid://shopify/Product/1")).toBe(2);
        const hashes = await store.contentHashes(SHOP_A);
        expect(hashes.has("rain-jacket")).toBe(false);
        expect(hashes.has("rain-jacket-care")).toBe(false);
        expect(hashes.size).toBe(7);
        expect(ids(await store.search(SHOP_A, { mode: "dense", vector: axis(0), k: 1 }))).toEqual(["old-parka"]);
      });

      it("deleteShop removes everything of the shop", async () => {
        await store.upsert(SHOP_A, catalog());
        expect(await store.deleteShop(SHOP_A)).toBe(9);
        expect(await store.count(SHOP_A)).toBe(0);
        expect(await store.search(SHOP_A, { mode: "hybrid", vector: axis(0), text: "jacket", k: 5 })).toEqual([]);
      });

      it("rejects a batch holding a vector of the wrong size and stores none of it", async () => {
        const [good] = catalog();
        const bad = { ...catalog()[1], vector: [1, 0, 0] };
        await expectStoreError(store.upsert(SHOP_A, [good, bad]), "invalid_input");
        expect(await store.count(SHOP_A)).toBe(0);
      });

      it("rejects a search without the input its mode needs", async () => {
        await expectStoreError(store.search(SHOP_A, { mode: "dense", k: 3 }), "invalid_input");
        await expectStoreError(store.search(SHOP_A, { mode: "sparse", k: 3 }), "invalid_input");
        await expectStoreError(store.search(SHOP_A, { mode: "dense", vector: axis(0), k: 0 }), "invalid_input");
      });
    });

    describe("two-shop isolation", () => {
      beforeEach(async () => {
        // Same chunk ids and vectors in both shops; titles and hashes say which shop.
        await store.upsert(SHOP_A, catalog("alpha"));
        await store.upsert(SHOP_B, catalog("beta"));
      });

      for (const [self, selfLabel, other, otherLabel] of [
        [SHOP_A, "alpha", SHOP_B, "beta"],
        [SHOP_B, "beta", SHOP_A, "alpha"],
      ] as const) {
        it(`searches and counts of ${selfLabel} see only ${selfLabel}`, async () => {
          expect(await store.count(self)).toBe(9);
          for (const hits of [
            await store.search(self, { mode: "dense", vector: axis(0), k: 50 }),
            await store.search(self, { mode: "sparse", text: `jacket sweater ${otherLabel} ${selfLabel}`, k: 50 }),
            await store.search(self, { mode: "hybrid", vector: axis(2), text: `boot ${otherLabel}`, k: 50 }),
          ]) {
            expect(hits.length).toBeGreaterThan(0);
            for (const hit of hits) expect(hit.chunk.title).toContain(`(${selfLabel})`);
          }
          expect(await store.search(self, { mode: "dense", vector: axis(0), k: 50 })).toHaveLength(9);
          const hashes = await store.contentHashes(self);
          for (const hash of hashes.values()) expect(hash).toMatch(new RegExp(`-${selfLabel}$`));
        });

        it(`every delete in ${selfLabel} leaves ${otherLabel} untouched`, async () => {
          expect(await store.deleteChunks(self, ["about-page"])).toBe(1);
          expect(await store.deleteSource(self, "product", "gid://shopify/Product/1")).toBe(2);
          expect(await store.count(self)).toBe(6);
          expect(await store.count(other)).toBe(9);
          expect(await store.deleteShop(self)).toBe(6);
          expect(await store.count(self)).toBe(0);
          expect(await store.count(other)).toBe(9);
          const hits = await store.search(other, { mode: "hybrid", vector: axis(0), text: "rain jacket", k: 3 });
          expect(hits[0].chunk.id).toBe("rain-jacket");
          expect(hits[0].chunk.title).toContain(`(${otherLabel})`);
          expect((await store.contentHashes(other)).size).toBe(9);
        });
      }
    });

    describe("filters", () => {
      beforeEach(async () => {
        await store.upsert(SHOP_A, catalog());
      });

      const dense = (filter: Parameters<VectorStore["search"]>[1]["filter"], vector = axis(0)) =>
        store.search(SHOP_A, { mode: "dense", vector, k: 20, filter }).then((hits) => ids(hits).sort());

      it("sourceTypes and sourceIds", async () => {
        expect(await dense({ sourceTypes: ["policy"] })).toEqual(["refund-policy", "shipping-policy"]);
        expect(await dense({ sourceTypes: ["policy", "page"] })).toEqual([
          "about-page",
          "refund-policy",
          "shipping-policy",
        ]);
        expect(await dense({ sourceIds: ["gid://shopify/Product/3", "about"] })).toEqual(["about-page", "trail-boot"]);
      });

      it("available", async () => {
        expect(await dense({ available: false })).toEqual(["old-parka"]);
        const inStock = await dense({ available: true });
        expect(inStock).toEqual(["city-sandal", "rain-jacket", "rain-jacket-care", "trail-boot", "wool-sweater"]);
      });

      it("price range keeps chunks whose price range overlaps it", async () => {
        expect(await dense({ priceMin: 50, priceMax: 130 })).toEqual([
          "rain-jacket",
          "rain-jacket-care",
          "wool-sweater",
        ]);
        expect(await dense({ priceMax: 85 })).toEqual(["city-sandal", "wool-sweater"]);
        expect(await dense({ priceMin: 160 })).toEqual(["old-parka"]);
      });

      it("productType and policyType, case-insensitively", async () => {
        expect(await dense({ productType: "jackets" })).toEqual(["old-parka", "rain-jacket", "rain-jacket-care"]);
        expect(await dense({ policyType: "Refund" })).toEqual(["refund-policy"]);
        expect(await dense({ productType: "Jackets", available: true, priceMax: 150 })).toEqual([
          "rain-jacket",
          "rain-jacket-care",
        ]);
      });

      it("variant conditions must hold on one and the same variant", async () => {
        // The boot has "Size 8, out of stock" and "Size 10, in stock": it must not match size 8 in stock.
        expect(await dense({ variant: { options: { Size: "8" }, available: true } }, axis(2))).toEqual(["city-sandal"]);
        expect(await dense({ variant: { options: { size: "10" }, available: true } }, axis(2))).toEqual(["trail-boot"]);
        expect(await dense({ variant: { options: { SIZE: "8" } } }, axis(2))).toEqual(["city-sandal", "trail-boot"]);
        expect(await dense({ variant: { options: { Size: "8", Color: "brown" } } }, axis(2))).toEqual(["trail-boot"]);
        expect(await dense({ variant: { options: { Size: "10", Color: "Black" } } }, axis(2))).toEqual([]);
        expect(await dense({ variant: { available: false } }, axis(2))).toEqual(["old-parka", "trail-boot"]);
      });

      it("variant values compare as written: canonically equivalent accents alike, punctuation and letters of any script never folded", async () => {
        await store.upsert(SHOP_A, [
          chunk("case", "product", "case", "Phone case", "A slim case.", axis(3), {
            variants: [
              { id: "s20", options: { Model: "Galaxy S20", Finish: "Crème" }, available: true, price: 20 },
              { id: "s20-plus", options: { Model: "Galaxy S20+", Finish: "Black/Ivory" }, available: false, price: 20 },
              { id: "ba", options: { Letter: "ب" }, available: true, price: 20 },
            ],
          }),
        ]);
        const only = (options: Record<string, string>, available?: boolean) => dense({ variant: { options, available } }, axis(3)).then((found) => found.includes("case"));
        expect(await only({ Finish: "Cre\u0300me" })).toBe(true);
        expect(await only({ Model: "Galaxy S20+" }, true)).toBe(false);
        expect(await only({ Model: "Galaxy S20" }, true)).toBe(true);
        expect(await only({ Finish: "Black, Ivory" })).toBe(false);
        expect(await only({ Letter: "ب" })).toBe(true);
        expect(await only({ Letter: "ت" })).toBe(false);
      });

      it("filters apply in sparse and hybrid modes too", async () => {
        const sparse = await store.search(SHOP_A, {
          mode: "sparse",
          text: "boot sandal",
          k: 10,
          filter: { productType: "shoes", variant: { options: { Size: "8" }, available: true } },
        });
        expect(ids(sparse)).toEqual(["city-sandal"]);
        const hybrid = await store.search(SHOP_A, {
          mode: "hybrid",
          vector: axis(0),
          text: "waterproof jacket parka",
          k: 10,
          filter: { available: true, sourceTypes: ["product"] },
        });
        expect(ids(hybrid)).not.toContain("old-parka");
        expect(ids(hybrid)[0]).toBe("rain-jacket");
        for (const hit of hybrid) expect(hit.chunk.fields.available).toBe(true);
      });

      it("a selective filter still finds its match behind many nearer chunks", async () => {
        const fillers = Array.from({ length: 300 }, (_, i) =>
          chunk(`filler-${i}`, "document", `doc-${i}`, `Filler ${i}`, "Filler text.", axis(0, 1, 0.001 * (i + 1))),
        );
        const target = chunk("far-target", "document", "doc-target", "Far target", "Far away.", axis(6));
        await store.upsert(SHOP_A, [...fillers, target]);
        const hits = await store.search(SHOP_A, {
          mode: "dense",
          vector: axis(0),
          k: 3,
          filter: { sourceIds: ["doc-target"] },
        });
        expect(ids(hits)).toEqual(["far-target"]);
        const hybrid = await store.search(SHOP_A, {
          mode: "hybrid",
          vector: axis(0),
          text: "filler",
          k: 3,
          filter: { sourceIds: ["doc-target", "doc-7"] },
        });
        expect(ids(hybrid).sort()).toEqual(["far-target", "filler-7"]);
      });
    });

    describe("close", () => {
      it("refuses calls after close, and a second close is harmless", async () => {
        await store.upsert(SHOP_A, catalog().slice(0, 2));
        await store.close();
        await expectStoreError(store.count(SHOP_A), "store_closed");
        await store.close();
      });
    });
  });
}
