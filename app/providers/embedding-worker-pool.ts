/**
 * Runs the built-in model on every core: one worker thread per core, each with its own copy
 * of the model (onnxruntime or tfjs wasm, one run at a time on one core). Batches go to whichever thread is
 * free; results come back by batch id, so the caller's order is kept whatever the timing.
 * A thread that stops mid-batch fails that batch with a clear error and is replaced for the
 * next one; nothing is retried here (indexing resumes from what it stored). A thread stopped
 * from outside while it is inside onnxruntime (which runs synchronously on the thread) aborts
 * the whole process, so close() lets running batches end before it stops the threads.
 */
import { Worker } from "node:worker_threads";
import { ProviderError } from "./types";

/** Messages between the pool and a thread. */
export type ToThread = { id: number; rows: number[][] };
export type FromThread = { id: number; vectors: number[][]; runtime: string } | { id: number; error: string };

interface Job {
  id: number;
  rows: number[][];
  resolve(vectors: number[][]): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** Called when the slot's batch ends (close() waits for it). */
  ended?: () => void;
}

export interface EmbeddingWorkerPool {
  readonly size: number;
  /** Embeds batches of token rows; each batch's vectors come back in the order of its rows. */
  run(rows: number[][]): Promise<number[][]>;
  /** The live threads (tests stop one to prove a crash surfaces). */
  threads(): Worker[];
  /** Threads running a batch now. */
  busy(): number;
  close(): Promise<void>;
}

export function createEmbeddingWorkerPool(options: {
  size: number;
  workerUrl: URL;
  /** Told which runtime a thread runs the model on, with each batch it returns. */
  onRuntime?: (runtime: string) => void;
  /** Environment variables the threads see on top of the process's (GROUNDWORK_EMBEDDING_RUNTIME). */
  env?: Record<string, string>;
}): EmbeddingWorkerPool {
  const slots: Slot[] = [];
  const waiting: Job[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const slot: Slot = { worker: new Worker(options.workerUrl, options.env ? { env: { ...process.env, ...options.env } } : {}), job: null };
    // An idle thread must not keep a finished CLI command alive.
    slot.worker.unref();
    slot.worker.on("message", (message: FromThread) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      slot.job = null;
      slot.ended?.();
      slot.worker.unref();
      if ("error" in message) job.reject(new ProviderError("bad_response", `The built-in embedding model failed: ${message.error}`));
      else {
        options.onRuntime?.(message.runtime);
        job.resolve(message.vectors);
      }
      dispatch();
    });
    const stopped = (reason: string) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      const job = slot.job;
      slot.job = null;
      slot.ended?.();
      job?.reject(
        new ProviderError(
          "worker_stopped",
          `The built-in embedding model stopped while embedding (${reason}). Run the sync again: what was already indexed is kept and only the rest is embedded.`,
        ),
      );
      if (!closed) dispatch();
    };
    slot.worker.on("error", (error) => stopped(error.message));
    slot.worker.on("exit", (code) => stopped(`thread exited with code ${code}`));
    return slot;
  }

  function dispatch() {
    while (waiting.length > 0 && !closed) {
      let slot = slots.find((s) => s.job === null);
      if (!slot && slots.length < options.size) {
        slot = spawn();
        slots.push(slot);
      }
      if (!slot) return;
      const job = waiting.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, rows: job.rows } satisfies ToThread);
    }
  }

  return {
    size: options.size,
    run(rows) {
      if (closed) return Promise.reject(new Error("The embedding worker pool is closed."));
      return new Promise<number[][]>((resolve, reject) => {
        waiting.push({ id: nextId++, rows, resolve, reject });
        dispatch();
      });
    },
    threads: () => slots.map((s) => s.worker),
    busy: () => slots.filter((s) => s.job !== null).length,
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new Error("The embedding worker pool is closed."));
      // A thread stopped inside a native onnxruntime run aborts the whole process: let running batches end first.
      await Promise.all(slots.map((s) => (s.job ? new Promise<void>((resolve) => (s.ended = resolve)) : undefined)));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
