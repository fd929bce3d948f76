/** Serves embedding batches for the pool: token rows in, unit vectors out, in the same order. */
import { parentPort } from "node:worker_threads";
import type { FromThread, ToThread } from "./embedding-worker-pool";
import { embedTokenRows, loadLocalGraph } from "./local-embedding";

const port = parentPort;
if (!port) throw new Error("local-embedding-thread runs as a worker thread");
port.on("message", async ({ id, rows }: ToThread) => {
  try {
    const graph = await loadLocalGraph();
    const vectors = await embedTokenRows(graph, rows);
    port.postMessage({ id, vectors, runtime: graph.runtime } satisfies FromThread);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies FromThread);
  }
});
