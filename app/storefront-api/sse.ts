/** Server-sent events: the framing the chat widget reads (event: delta | done | error). */
import { stringifySafeJson, STOREFRONT_HEADERS } from "./responses";

export interface SseEvent {
  event: string;
  data: unknown;
}

/** One event; the data is one line of JSON, so no framing can be injected by its content. */
export function encodeSseEvent(event: string, data: unknown): string {
  if (!/^[a-z_]+$/.test(event)) throw new Error(`invalid SSE event name "${event}"`);
  return `event: ${event}\ndata: ${stringifySafeJson(data)}\n\n`;
}

export const SSE_HEADERS: Record<string, string> = {
  ...STOREFRONT_HEADERS,
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform keeps compression middleware from buffering the stream; nginx reads X-Accel-Buffering.
  "Cache-Control": "no-store, no-transform",
  "X-Accel-Buffering": "no",
};

/** A streaming Response of the events; a cancelled body (the shopper left) stops the source. */
export function sseResponse(events: AsyncIterator<SseEvent>, headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(encodeSseEvent(next.value.event, next.value.data)));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await events.return?.();
    },
  });
  return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
}
