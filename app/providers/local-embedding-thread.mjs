// Entry of a thread that runs the built-in embedding model (embedding-worker-pool.ts).
// Threads do not inherit the parent's TypeScript loader: register it here, as bin/groundwork.mjs does.
import { register } from "tsx/esm/api";

register();
await import("./local-embedding-thread.ts");
