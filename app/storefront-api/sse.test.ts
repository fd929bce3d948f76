import { describe, expect, it } from "vitest";
import { encodeSseEvent, sseResponse, type SseEvent } from "./sse";

describe("encodeSseEvent", () => {
  it("writes one event with one line of JSON, whatever the text holds", () => {
    const frame = encodeSseEvent("delta", { text: "line one\n\nevent: done\ndata: <script>" });
    expect(frame).toBe('event: delta\ndata: {"text":"line one\\n\\nevent: done\\ndata: \\u003cscript\\u003e"}\n\n');
    expect(frame.split("\n\n")).toHaveLength(2);
  });

  it("refuses event names that could break the framing", () => {
    expect(() => encodeSseEvent("done\ndata: x", {})).toThrow(/invalid SSE event name/);
  });
});

describe("sseResponse", () => {
  it("streams the events in order with SSE headers that keep proxies from buffering", async () => {
    async function* events(): AsyncGenerator<SseEvent> {
      yield { event: "delta", data: { text: "Hi " } };
      yield { event: "done", data: { answer: "Hi there" } };
    }
    const response = sseResponse(events());
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(await response.text()).toBe('event: delta\ndata: {"text":"Hi "}\n\nevent: done\ndata: {"answer":"Hi there"}\n\n');
  });

  it("stops the source when the reader cancels (the shopper left)", async () => {
    let stopped = false;
    async function* events(): AsyncGenerator<SseEvent> {
      try {
        for (;;) yield { event: "delta", data: { text: "x" } };
      } finally {
        stopped = true;
      }
    }
    const reader = sseResponse(events()).body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(stopped).toBe(true);
  });
});
