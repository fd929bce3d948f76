import { describe, expect, it } from "vitest";
import type { EmbeddingModel } from "../providers/types";
import type { IndexChunk } from "../stores/types";
import { HashedWordsEmbedder } from "../../test/support/hashed-words-embedder";
import { embedChunks, embeddingInput } from "./embed-chunks";

function chunk(id: string, title: string, text: string): IndexChunk {
  return { id, sourceType: "product", sourceId: id, title, url: `/products/${id}`, text, contentHash: id, fields: {} };
}

/** Records what the model was asked to embed. */
function recording(model: EmbeddingModel) {
  const seen: string[][] = [];
  const wrapped: EmbeddingModel = { ...model, embed: (input) => (seen.push(input.values), model.embed(input)) };
  return { wrapped, seen };
}

describe("embedChunks", () => {
  it("embeds each distinct input once and gives every chunk its own text's vector, in order", async () => {
    // GIVEN chunks where two products share a description, and a small batch size
    const model = new HashedWordsEmbedder("hashed", 64);
    const { wrapped, seen } = recording(model);
    const chunks = [
      chunk("a", "Tote", "Tote\n\nRecycled canvas, brass rivets"),
      chunk("b", "Tote", "Tote\n\nRecycled canvas, brass rivets"),
      chunk("c", "Cap", "Cap\n\nWaxed cotton, one size"),
      chunk("d", "Scarf", "Merino wool, 180 cm"),
      chunk("e", "Cap", "Cap\n\nWaxed cotton, one size"),
    ];

    // WHEN they are embedded two at a time
    const { chunks: out } = await embedChunks(wrapped, chunks, { batchSize: 2 });

    // THEN the model saw three distinct texts, and each chunk has the vector of its own text
    expect(seen.flat()).toEqual(["Tote\n\nRecycled canvas, brass rivets", "Cap\n\nWaxed cotton, one size", "Scarf\nMerino wool, 180 cm"]);
    expect(out.map((c) => c.id)).toEqual(["a", "b", "c", "d", "e"]);
    const direct = (await model.embed({ values: chunks.map(embeddingInput) })).embeddings;
    out.forEach((c, i) => expect(c.vector).toEqual(direct[i]));
    expect(out[0].vector).not.toEqual(out[2].vector);
  });

  it("does not repeat a title the text already opens with", () => {
    expect(embeddingInput(chunk("a", "Tote", "Tote\n\nCanvas"))).toBe("Tote\n\nCanvas");
    expect(embeddingInput(chunk("p", "Refund policy", "Returns within 30 days."))).toBe("Refund policy\nReturns within 30 days.");
  });
});
