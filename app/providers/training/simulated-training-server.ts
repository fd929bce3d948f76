/**
 * The demo's local training provider over HTTP: Together's fine-tuning wire format
 * (simulated-together.ts) and OpenAI-compatible chat completions for the models it "trains"
 * (simulated-chat.ts). Started by the server in demo mode only, on loopback.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { completeSimulatedChat, SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL, SIMULATED_VOICE_BASE, type ChatMessageIn } from "./simulated-chat";
import { SimulatedTogether, type SimulatedTogetherOptions } from "./simulated-together";

export interface SimulatedTrainingServer {
  /** Base URL including /v1. */
  url: string;
  simulation: SimulatedTogether;
  close(): Promise<void>;
}

export async function startSimulatedTrainingServer(options: SimulatedTogetherOptions & { port?: number } = {}): Promise<SimulatedTrainingServer> {
  const simulation = new SimulatedTogether({ baseModels: [SIMULATED_VOICE_BASE, SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL], ...options });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void handle(simulation, req, Buffer.concat(chunks), res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: String(error), type: "server_error", param: null, code: null } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    simulation,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(simulation: SimulatedTogether, req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://simulated");
  const path = url.pathname.replace(/^\/v1/, "");
  const contentType = req.headers["content-type"] ?? "";
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method === "POST" && path === "/chat/completions") {
    const body = JSON.parse(raw.toString("utf8")) as { model: string; messages: ChatMessageIn[]; stream?: boolean; response_format?: { json_schema?: { name?: string } } };
    const base = simulation.baseModelFor(body.model) ?? body.model;
    const known = [SIMULATED_VOICE_BASE, SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL].includes(base);
    if (!known) return send(404, { error: { message: `The model ${body.model} does not exist in the simulation.`, type: "invalid_request_error", param: "model", code: "model_not_found" } });
    const completion = completeSimulatedChat(body.model, { baseModel: base, trainingText: simulation.trainingTextFor(body.model) }, body.messages, body.response_format?.json_schema?.name === "grounded_answer");
    const id = `chatcmpl-sim-${Date.now().toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    if (body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const chunk = (delta: object, finish: string | null, usage?: object) =>
        res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: finish === "usage" ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`);
      for (let i = 0; i < completion.content.length; i += 24) chunk({ content: completion.content.slice(i, i + 24) }, null);
      chunk({}, "stop");
      chunk({}, "usage", completion.usage);
      res.end("data: [DONE]\n\n");
      return;
    }
    return send(200, { id, object: "chat.completion", created, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: completion.content, refusal: null }, finish_reason: "stop", logprobs: null }], usage: completion.usage });
  }
  let body: unknown;
  let upload: { fields: Record<string, string>; fileText?: string } | undefined;
  if (raw.length > 0) {
    if (contentType.startsWith("multipart/form-data")) {
      const parts = await readMultipartForm(raw, contentType);
      body = parts.fields;
      upload = { fields: parts.fields, fileText: parts.files.file?.text };
    } else body = JSON.parse(raw.toString("utf8"));
  }
  const reply = simulation.handle(req.method ?? "GET", path, body, upload);
  send(reply.status, reply.body);
}

/** A multipart body as fields and files (files also appear among the fields, by name). */
export async function readMultipartForm(raw: Buffer, contentType: string): Promise<{ fields: Record<string, string>; files: Record<string, { name: string; text: string }> }> {
  const form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
  const fields: Record<string, string> = {};
  const files: Record<string, { name: string; text: string }> = {};
  for (const [name, value] of form) {
    if (typeof value === "string") fields[name] = value;
    else {
      files[name] = { name: value.name, text: await value.text() };
      fields[name] = value.name;
    }
  }
  return { fields, files };
}
