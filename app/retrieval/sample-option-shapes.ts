/**
 * Products shaped like real exports, for the matching and answering tests, in our own words:
 * option names a merchant chose ("Choose Material", "Zipper color", "Maat", Arabic), a value held
 * by several options of one product, values told apart by one character, sizes written the
 * store's way, and a title that names a country.
 */
import { sampleProduct, sampleVariant } from "../answering/sample-catalog";

export const ring = sampleProduct({
  handle: "twisted-band-ring",
  title: "Twisted Band Ring",
  variants: [
    sampleVariant("r1", { "Choose Material": "Gold", "Choose Ring Size": "6" }, 120, true),
    sampleVariant("r2", { "Choose Material": "Gold", "Choose Ring Size": "7" }, 120, false),
    sampleVariant("r3", { "Choose Material": "Silver", "Choose Ring Size": "6" }, 80, true),
  ],
});

export const hoodie = sampleProduct({
  handle: "harbour-zip-hoodie",
  title: "Harbour Zip Hoodie",
  variants: [
    sampleVariant("h1", { Colors: "Black", "Zipper color": "Silver", Size: "M" }, 60, true),
    sampleVariant("h2", { Colors: "Grey", "Zipper color": "Black", Size: "M" }, 60, true),
    sampleVariant("h3", { Colors: "Black", "Zipper color": "Black", Size: "L" }, 60, false),
  ],
});

export const tee = sampleProduct({
  handle: "plain-tee",
  title: "Plain Tee",
  variants: [sampleVariant("t1", { Color: "Gold", Size: "S" }, 20, true), sampleVariant("t2", { Color: "Black", Size: "L" }, 20, true)],
});

export const phoneCase = sampleProduct({
  handle: "clear-phone-case",
  title: "Clear Phone Case",
  variants: [sampleVariant("c1", { Model: "Galaxy S20" }, 15, false), sampleVariant("c2", { Model: "Galaxy S20+" }, 15, true)],
});

export const pendant = sampleProduct({
  handle: "letter-pendant",
  title: "Letter Pendant",
  variants: ["ا", "ب", "ج", "د"].map((letter, i) => sampleVariant(`l${i}`, { "الحرف": letter }, 30, i !== 1)),
});

export const sizedDress = sampleProduct({
  handle: "wrap-dress",
  title: "Wrap Dress",
  variants: [
    sampleVariant("d1", { Maat: "UK 8 / EU 36" }, 90, true),
    sampleVariant("d2", { Maat: "UK 10 / EU 38" }, 90, false),
    sampleVariant("d3", { Maat: "M Tall" }, 90, true),
    sampleVariant("d4", { Maat: "L Tall" }, 90, true),
  ],
});

export const tote = sampleProduct({ handle: "usa-canvas-tote", title: "Made in USA Canvas Tote", variants: [sampleVariant("u1", {}, 25, true)] });

// Sizes written as a code followed by measurements: "M" alone is not the value.
export const squarePlanter = sampleProduct({
  handle: "square-planter",
  title: "Square Planter",
  variants: [
    sampleVariant("p1", { Taille: "S - 30 x 30 cm - Height 50 cm" }, 40, true),
    sampleVariant("p2", { Taille: "M - 40 x 40 cm - Height 70 cm" }, 55, true),
  ],
});
export const roundPlanter = sampleProduct({
  handle: "round-planter",
  title: "Round Planter",
  variants: [sampleVariant("q1", { Taille: "M - Ø 45 cm - Height 40 cm" }, 50, true)],
});

// An option the merchant named "Title" holds real choices (only "Title: Default Title" is Shopify's placeholder).
export const parcelCover = sampleProduct({
  handle: "parcel-cover",
  title: "Parcel Cover",
  variants: [sampleVariant("a1", { Title: "$2.50" }, 2.5, true), sampleVariant("a2", { Title: "$4.00" }, 4, true)],
});

// Two products whose titles overlap.
export const plainSwimsuit = sampleProduct({ handle: "sunny-swimsuit", title: "Sunny Swimsuit", variants: [sampleVariant("w1", { Size: "S" }, 30, true)] });
export const blackSwimsuit = sampleProduct({
  handle: "sunny-swimsuit-black",
  title: "Sunny Swimsuit - Black",
  variants: [sampleVariant("w2", { Size: "S" }, 32, true)],
});

export const optionShapes = [ring, hoodie, tee, phoneCase, pendant, sizedDress, tote, squarePlanter, roundPlanter, parcelCover, plainSwimsuit, blackSwimsuit];
