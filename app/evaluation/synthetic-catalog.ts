/**
 * Synthetic catalogs for latency benchmarks: products built from a real store's
 * vocabulary (titles, types, options, descriptions) at any size, and random unit
 * vectors clustered by product type. Embedding 50,000 products with the real model
 * would take hours on two cores, and latency depends on vector count and
 * dimensions, not on what the vectors mean. Deterministic (seeded).
 */
import type { CatalogProduct } from "../catalog/types";
import { chunkProduct } from "../indexing/chunk-product";
import type { EmbeddedChunk } from "../stores/types";

export function createRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const ADJECTIVES = ["Classic", "Coastal", "Everyday", "Heritage", "Studio", "Trail", "Harbor", "Summit", "Meadow", "Urban", "Nordic", "Field", "Drift", "Ember", "Willow"];

export function synthesizeProducts(base: CatalogProduct[], count: number, seed = 42): CatalogProduct[] {
  const random = createRandom(seed);
  const out: CatalogProduct[] = [];
  for (let i = 0; i < count; i++) {
    const b = base[i % base.length];
    const adjective = ADJECTIVES[Math.floor(random() * ADJECTIVES.length)];
    const handle = `${b.handle}-${i}`;
    const factor = 0.7 + random() * 0.6;
    out.push({
      ...b,
      id: `syn-${i}`,
      handle,
      title: `${adjective} ${b.title} ${i}`,
      url: `/products/${handle}`,
      variants: b.variants.map((v, j) => ({
        ...v,
        id: `syn-${i}-${j}`,
        price: Math.round(v.price * factor * 100) / 100,
        compareAtPrice: v.compareAtPrice ? Math.round(v.compareAtPrice * factor * 100) / 100 : null,
        available: random() > 0.25,
      })),
    });
  }
  return out;
}

export function randomUnitVector(dimensions: number, random: () => number, center?: number[], spread = 0.5): number[] {
  const v = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // Box-Muller would be nicer; a centred uniform is enough for a latency benchmark.
    const x = (random() - 0.5) * (center ? spread : 1) + (center ? center[i] : 0);
    v[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) v[i] /= norm;
  return v;
}

/** Chunks of the products with random vectors clustered by product type. */
export function syntheticChunks(products: CatalogProduct[], dimensions: number, seed = 7): EmbeddedChunk[] {
  const random = createRandom(seed);
  const centers = new Map<string, number[]>();
  const out: EmbeddedChunk[] = [];
  for (const p of products) {
    const center = centers.get(p.productType) ?? randomUnitVector(dimensions, random);
    centers.set(p.productType, center);
    for (const chunk of chunkProduct(p)) out.push({ ...chunk, vector: randomUnitVector(dimensions, random, center, 0.15) });
  }
  return out;
}
