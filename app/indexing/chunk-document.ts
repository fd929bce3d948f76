/** A generic document becomes section chunks; one tied to a product carries its handle for filtering. */
import type { CatalogDocument } from "../catalog/types";
import type { ChunkFields, IndexChunk } from "../stores/types";
import { chunkSections } from "./chunk-text";

export function chunkDocument(doc: CatalogDocument): IndexChunk[] {
  const fields: ChunkFields = doc.productHandle ? { productHandle: doc.productHandle } : {};
  const url = doc.url ?? (doc.productHandle ? `/products/${doc.productHandle}` : "");
  return chunkSections({ sourceType: "document", sourceId: doc.id, title: doc.title, baseUrl: url, markdown: doc.text, fields });
}
