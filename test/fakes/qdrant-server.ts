/**
 * A local stand-in for Qdrant's REST API: the real @qdrant/js-client-rest talks to it over
 * HTTP. Every request is checked against Qdrant's OpenAPI contract (path, method, query
 * parameters, JSON body); a request the contract does not allow is recorded in `violations`
 * and answered 400 in Qdrant's error shape. It also checks its own answers against the
 * contract's response schemas, so the fake cannot drift from the wire format unnoticed.
 *
 * Request bodies are checked more strictly than the contract states: objects that list their
 * properties are treated as closed, so a misspelt field is caught rather than ignored.
 *
 * In memory it implements what the stores use: collections, payload indexes, points
 * upsert/delete/count/scroll, and the Query API with prefetch, RRF fusion and filters.
 */
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { sharedDataDir } from "../support/shared-data";
import { describeErrors, isObject, pathPattern, toJsonSchema, type SchemaNode } from "./openapi-contract";

export const QDRANT_CONTRACT_PATH = path.join(path.dirname(sharedDataDir), "contracts", "qdrant-openapi-v1.19.0.json");
const FAKE_VERSION = "1.19.0";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface FakeQdrant {
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  violations: string[];
  /** False when the contract file was missing and requests went unvalidated. */
  validated: boolean;
}

export interface FakeQdrantOptions {
  /** Require this key in the `api-key` header, as a secured Qdrant does. */
  apiKey?: string;
  contractPath?: string;
}

export async function startFakeQdrant(options: FakeQdrantOptions = {}): Promise<FakeQdrant> {
  const contract = loadContract(options.contractPath ?? QDRANT_CONTRACT_PATH);
  const state = new QdrantState();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const started = process.hrtime.bigint();
      const send = (status: number, payload: unknown) => {
        const body = JSON.stringify(payload);
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      };
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
      const fail = (status: number, message: string) => send(status, { status: { error: message }, time: elapsed() });

      const url = new URL(req.url ?? "/", "http://fake-qdrant");
      const method = (req.method ?? "GET").toLowerCase();
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      if (raw !== "") {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const query = Object.fromEntries(url.searchParams);
      requests.push({ method: method.toUpperCase(), path: url.pathname, query, body });

      if (options.apiKey && req.headers["api-key"] !== options.apiKey) {
        fail(401, "Must provide an API key or an Authorization bearer token");
        return;
      }

      const route = matchRoute(contract, method, url.pathname);
      if (contract) {
        const problems = route.operation
          ? validateRequest(route.operation, url.searchParams, raw, body, req.headers["content-type"])
          : [route.problem!];
        if (problems.length > 0) {
          const message = `${method.toUpperCase()} ${url.pathname}: ${problems.join("; ")}`;
          violations.push(message);
          fail(400, `Format error in request: ${problems.join("; ")}`);
          return;
        }
      }

      let outcome: Outcome;
      try {
        outcome = handle(state, route.operationId, route.params, body);
      } catch (error) {
        if (error instanceof QdrantHttpError) outcome = { status: error.status, error: error.message };
        else throw error;
      }
      if ("error" in outcome) {
        if (outcome.status === 501) violations.push(`${method.toUpperCase()} ${url.pathname}: ${outcome.error}`);
        fail(outcome.status, outcome.error);
        return;
      }
      const envelope = outcome.bare ? outcome.result : { result: outcome.result, status: "ok", time: elapsed() };
      if (route.operation?.responseValidator && !route.operation.responseValidator(envelope)) {
        violations.push(
          `response to ${method.toUpperCase()} ${url.pathname}: ${describeErrors(route.operation.responseValidator)}`,
        );
      }
      send(200, envelope);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    validated: contract !== undefined,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---------------------------------------------------------------------------
// Contract: operations, and their JSON Schemas compiled with ajv

interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  validate?: ValidateFunction;
  type?: string;
}

interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  paramNames: string[];
  literalSegments: number;
  parameters: ParameterSpec[];
  bodyRequired: boolean;
  bodyMediaTypes: string[];
  bodyValidator?: ValidateFunction;
  responseValidator?: ValidateFunction;
}

interface Contract {
  operations: Operation[];
}

const contractCache = new Map<string, Contract | undefined>();
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch"]);
const REQUEST_DOC = "https://contract.test/qdrant-request.json";
const RESPONSE_DOC = "https://contract.test/qdrant-response.json";

function loadContract(file: string): Contract | undefined {
  if (contractCache.has(file)) return contractCache.get(file);
  let contract: Contract | undefined;
  if (!existsSync(file)) {
    console.warn(
      `Qdrant OpenAPI contract not found at ${file}: the fake Qdrant answers without validating requests ` +
        "(set GROUNDWORK_SHARED_DIR to the folder holding contracts/).",
    );
  } else {
    contract = compileContract(JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc);
  }
  contractCache.set(file, contract);
  return contract;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, SchemaNode>>;
  components: { schemas: Record<string, SchemaNode> };
}

function compileContract(doc: OpenApiDoc): Contract {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  const integer = (max: number) => ({
    type: "number" as const,
    validate: (x: number) => Number.isInteger(x) && x >= 0 && x <= max,
  });
  ajv.addFormat("float", { type: "number", validate: (x: number) => Number.isFinite(x) });
  ajv.addFormat("double", { type: "number", validate: (x: number) => Number.isFinite(x) });
  ajv.addFormat("uint8", integer(255));
  ajv.addFormat("uint32", integer(2 ** 32 - 1));
  ajv.addFormat("uint64", integer(Number.MAX_SAFE_INTEGER));
  ajv.addFormat("uint", integer(Number.MAX_SAFE_INTEGER));
  ajv.addFormat("int64", { type: "number", validate: (x: number) => Number.isInteger(x) });
  ajv.addFormat("partial-date-time", () => true);

  for (const [id, close] of [
    [REQUEST_DOC, true],
    [RESPONSE_DOC, false],
  ] as const) {
    const schemas = Object.fromEntries(
      Object.entries(doc.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema, id, close)]),
    );
    ajv.addSchema({ $id: id, components: { schemas } } as SchemaNode);
  }

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters as unknown as SchemaNode[] | undefined) ?? [];
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const { pattern, paramNames } = pathPattern(template);
      const parameters = [...shared, ...((op.parameters as SchemaNode[] | undefined) ?? [])].map((p) => {
        const schema = toJsonSchema(p.schema as SchemaNode, REQUEST_DOC, true);
        return {
          name: p.name as string,
          in: p.in as ParameterSpec["in"],
          required: p.required === true,
          type: typeof schema.type === "string" ? schema.type : undefined,
          validate: ajv.compile(schema),
        };
      });
      const requestBody = op.requestBody as SchemaNode | undefined;
      const content = (requestBody?.content ?? {}) as Record<string, SchemaNode>;
      const jsonSchema = content["application/json"]?.schema as SchemaNode | undefined;
      const okSchema = (
        ((op.responses as Record<string, SchemaNode>)?.["200"]?.content as Record<string, SchemaNode> | undefined)?.[
          "application/json"
        ] as SchemaNode | undefined
      )?.schema as SchemaNode | undefined;
      operations.push({
        operationId: op.operationId as string,
        method,
        template,
        pattern,
        paramNames,
        literalSegments: template.split("/").filter((s) => s && !s.startsWith("{")).length,
        parameters,
        bodyRequired: requestBody?.required === true,
        bodyMediaTypes: Object.keys(content),
        bodyValidator: jsonSchema ? ajv.compile(toJsonSchema(jsonSchema, REQUEST_DOC, true)) : undefined,
        responseValidator: okSchema ? ajv.compile(toJsonSchema(okSchema, RESPONSE_DOC, false)) : undefined,
      });
    }
  }
  // A literal segment wins over a template parameter (/collections/aliases vs /collections/{name}).
  operations.sort((a, b) => b.literalSegments - a.literalSegments);
  return { operations };
}

interface Route {
  operation?: Operation;
  operationId: string;
  params: Record<string, string>;
  problem?: string;
}

/** Routes by the contract when present; without it, by the same path table. */
function matchRoute(contract: Contract | undefined, method: string, pathname: string): Route {
  if (contract) {
    const candidates = contract.operations.filter((op) => op.pattern.test(pathname));
    const operation = candidates.find((op) => op.method === method);
    if (!operation) {
      const problem = candidates.length
        ? `method ${method.toUpperCase()} is not allowed on ${candidates[0].template}`
        : "no such path in the Qdrant API";
      return { operationId: "", params: {}, problem };
    }
    const m = operation.pattern.exec(pathname)!;
    const params = Object.fromEntries(operation.paramNames.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    return { operation, operationId: operation.operationId, params };
  }
  for (const [template, methods] of FALLBACK_ROUTES) {
    const names: string[] = [];
    const re = new RegExp(
      `^${template.replace(/\{([^}]+)\}/g, (_, n: string) => {
        names.push(n);
        return "([^/]+)";
      })}/?$`,
    );
    const m = re.exec(pathname);
    if (m && methods[method]) {
      return {
        operationId: methods[method],
        params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])),
      };
    }
  }
  return { operationId: "", params: {} };
}

const FALLBACK_ROUTES: [string, Record<string, string>][] = [
  ["/collections/aliases", {}],
  ["/", { get: "root" }],
  ["/collections", { get: "get_collections" }],
  ["/collections/{collection_name}/exists", { get: "collection_exists" }],
  ["/collections/{collection_name}/index", { put: "create_field_index" }],
  ["/collections/{collection_name}/points/delete", { post: "delete_points" }],
  ["/collections/{collection_name}/points/count", { post: "count_points" }],
  ["/collections/{collection_name}/points/scroll", { post: "scroll_points" }],
  ["/collections/{collection_name}/points/query", { post: "query_points" }],
  ["/collections/{collection_name}/points", { put: "upsert_points" }],
  ["/collections/{collection_name}", { get: "get_collection", put: "create_collection", delete: "delete_collection" }],
];

function validateRequest(
  op: Operation,
  search: URLSearchParams,
  raw: string,
  body: unknown,
  contentType: string | undefined,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of search) {
    const spec = op.parameters.find((p) => p.in === "query" && p.name === name);
    if (!spec) {
      problems.push(`unknown query parameter "${name}"`);
      continue;
    }
    const typed =
      spec.type === "integer" || spec.type === "number"
        ? Number(value)
        : spec.type === "boolean"
        ? value === "true"
          ? true
          : value === "false"
          ? false
          : value
        : value;
    if (spec.validate && !spec.validate(typed)) {
      problems.push(`query parameter "${name}"=${value}: ${describeErrors(spec.validate)}`);
    }
  }
  for (const spec of op.parameters) {
    if (spec.in === "query" && spec.required && !search.has(spec.name))
      problems.push(`missing query parameter "${spec.name}"`);
  }
  if (raw === "") {
    if (op.bodyRequired) problems.push("missing request body");
    return problems;
  }
  if (op.bodyMediaTypes.length === 0) {
    problems.push("this operation takes no request body");
    return problems;
  }
  if (!op.bodyValidator) return problems;
  if (!contentType?.includes("application/json")) problems.push(`content-type ${contentType ?? "(none)"} is not JSON`);
  if (typeof body === "string") problems.push("body is not valid JSON");
  else if (!op.bodyValidator(body)) problems.push(`body: ${describeErrors(op.bodyValidator)}`);
  return problems;
}

// ---------------------------------------------------------------------------
// In-memory semantics

type PointId = string | number;
interface SparseVector {
  indices: number[];
  values: number[];
}
interface StoredPoint {
  id: PointId;
  version: number;
  vectors: Record<string, number[] | SparseVector>;
  payload: Record<string, unknown>;
}
interface DenseConfig {
  size: number;
  distance: "Cosine" | "Euclid" | "Dot" | "Manhattan";
}
interface CollectionState {
  dense: Record<string, DenseConfig>;
  sparse: Record<string, { modifier?: string | null }>;
  payloadSchema: Record<string, { data_type: string; params?: unknown }>;
  points: Map<string, StoredPoint>;
  version: number;
}

class QdrantState {
  collections = new Map<string, CollectionState>();

  get(name: string): CollectionState {
    const collection = this.collections.get(name);
    if (!collection) throw new QdrantHttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return collection;
  }
}

class QdrantHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Outcome = { result: unknown; bare?: boolean } | { status: number; error: string };

function handle(state: QdrantState, operationId: string, params: Record<string, string>, body: unknown): Outcome {
  const b = (body ?? {}) as Record<string, unknown>;
  const name = params.collection_name;
  switch (operationId) {
    case "root":
      return { result: { title: "qdrant - vector search engine", version: FAKE_VERSION, commit: null }, bare: true };
    case "get_collections":
      return { result: { collections: [...state.collections.keys()].map((n) => ({ name: n })) } };
    case "collection_exists":
      return { result: { exists: state.collections.has(name) } };
    case "get_collection":
      return { result: describeCollection(state.get(name)) };
    case "create_collection":
      return { result: createCollection(state, name, b) };
    case "delete_collection":
      return { result: state.collections.delete(name) };
    case "create_field_index": {
      const collection = state.get(name);
      const schema = b.field_schema;
      const dataType = typeof schema === "string" ? schema : (schema as { type?: string } | undefined)?.type;
      if (!dataType) throw new QdrantHttpError(400, "Wrong input: field_schema is required to create an index");
      collection.payloadSchema[b.field_name as string] = {
        data_type: dataType,
        params: typeof schema === "object" ? schema : undefined,
      };
      return { result: updateResult(collection) };
    }
    case "upsert_points":
      return { result: upsertPoints(state.get(name), b) };
    case "delete_points": {
      const collection = state.get(name);
      for (const point of selectPoints(collection, b)) collection.points.delete(pointKey(point.id));
      return { result: updateResult(collection) };
    }
    case "count_points": {
      const collection = state.get(name);
      const count = [...collection.points.values()].filter((p) => matchesFilter(b.filter, p.payload, p.id)).length;
      return { result: { count } };
    }
    case "scroll_points":
      return { result: scrollPoints(state.get(name), b) };
    case "query_points": {
      const collection = state.get(name);
      const scored = runQuery(collection, b as QueryLike, true);
      return {
        result: {
          points: scored.map((s) => renderPoint(s.point, b.with_payload, b.with_vector, s.score)),
        },
      };
    }
    default:
      return { status: 501, error: `The fake Qdrant does not implement ${operationId || "this path"}` };
  }
}

function updateResult(collection: CollectionState) {
  collection.version += 1;
  return { operation_id: collection.version, status: "completed" };
}

function createCollection(state: QdrantState, name: string, body: Record<string, unknown>): boolean {
  if (state.collections.has(name)) {
    throw new QdrantHttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
  }
  const dense: Record<string, DenseConfig> = {};
  const vectors = body.vectors as Record<string, unknown> | undefined;
  if (vectors && typeof vectors.size === "number") dense[""] = vectors as unknown as DenseConfig;
  else for (const [vectorName, config] of Object.entries(vectors ?? {})) dense[vectorName] = config as DenseConfig;
  const sparse = (body.sparse_vectors ?? {}) as CollectionState["sparse"];
  state.collections.set(name, { dense, sparse, payloadSchema: {}, points: new Map(), version: 0 });
  return true;
}

function describeCollection(collection: CollectionState) {
  const single = Object.keys(collection.dense).length === 1 && collection.dense[""];
  return {
    status: "green",
    optimizer_status: "ok",
    indexed_vectors_count: 0,
    points_count: collection.points.size,
    segments_count: 1,
    config: {
      params: {
        vectors: single || collection.dense,
        sparse_vectors: collection.sparse,
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
      },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        max_segment_size: null,
        memmap_threshold: null,
        indexing_threshold: 10000,
        flush_interval_sec: 5,
        max_optimization_threads: null,
      },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: null,
    },
    payload_schema: Object.fromEntries(
      Object.entries(collection.payloadSchema).map(([field, info]) => [
        field,
        {
          ...info,
          points: [...collection.points.values()].filter((p) => valuesAt(p.payload, field).length > 0).length,
        },
      ]),
    ),
  };
}

function pointKey(id: PointId): string {
  return typeof id === "number" ? `n:${id}` : `u:${id.toLowerCase()}`;
}

function upsertPoints(collection: CollectionState, body: Record<string, unknown>) {
  let incoming: { id: PointId; vector: unknown; payload?: Record<string, unknown> | null }[];
  if (Array.isArray(body.points)) incoming = body.points as typeof incoming;
  else {
    const batch = body.batch as { ids: PointId[]; vectors: unknown; payloads?: (Record<string, unknown> | null)[] };
    incoming = batch.ids.map((id, i) => ({
      id,
      vector: Array.isArray(batch.vectors)
        ? batch.vectors[i]
        : Object.fromEntries(
            Object.entries(batch.vectors as Record<string, unknown[]>).map(([n, list]) => [n, list[i]]),
          ),
      payload: batch.payloads?.[i] ?? null,
    }));
  }
  // Check the whole batch before storing any of it, as Qdrant rejects a bad batch whole.
  const prepared = incoming.map((point) => ({ ...point, vectors: checkVectors(collection, point.vector) }));
  for (const point of prepared) {
    collection.points.set(pointKey(point.id), {
      id: point.id,
      version: collection.version + 1,
      vectors: point.vectors,
      payload: structuredClone(point.payload ?? {}),
    });
  }
  return updateResult(collection);
}

function checkVectors(collection: CollectionState, vector: unknown): StoredPoint["vectors"] {
  const named: Record<string, unknown> = Array.isArray(vector)
    ? { "": vector }
    : ((vector ?? {}) as Record<string, unknown>);
  const out: StoredPoint["vectors"] = {};
  for (const [name, value] of Object.entries(named)) {
    if (collection.dense[name]) {
      const config = collection.dense[name];
      if (!Array.isArray(value) || value.some((x) => typeof x !== "number")) {
        throw new QdrantHttpError(400, `Wrong input: Conversion between sparse and regular vectors failed`);
      }
      if (value.length !== config.size) {
        throw new QdrantHttpError(
          400,
          `Wrong input: Vector dimension error: expected dim: ${config.size}, got ${value.length}`,
        );
      }
      out[name] = config.distance === "Cosine" ? normalize(value as number[]) : (value as number[]);
    } else if (collection.sparse[name]) {
      const sparse = value as SparseVector;
      if (!sparse || !Array.isArray(sparse.indices) || sparse.indices.length !== sparse.values?.length) {
        throw new QdrantHttpError(400, "Wrong input: Sparse vector indices and values must have the same length");
      }
      if (new Set(sparse.indices).size !== sparse.indices.length) {
        throw new QdrantHttpError(400, "Wrong input: Sparse vector indices must be unique");
      }
      out[name] = { indices: [...sparse.indices], values: [...sparse.values] };
    } else {
      throw new QdrantHttpError(400, `Wrong input: Not existing vector name error: ${name || "(default)"}`);
    }
  }
  return out;
}

function normalize(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

function selectPoints(collection: CollectionState, selector: Record<string, unknown>): StoredPoint[] {
  if (Array.isArray(selector.points)) {
    return (selector.points as PointId[]).flatMap((id) => {
      const point = collection.points.get(pointKey(id));
      return point ? [point] : [];
    });
  }
  return [...collection.points.values()].filter((p) => matchesFilter(selector.filter, p.payload, p.id));
}

function compareIds(a: PointId, b: PointId): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function scrollPoints(collection: CollectionState, body: Record<string, unknown>) {
  if (body.order_by) throw new QdrantHttpError(501, "The fake Qdrant does not implement scroll order_by");
  const limit = (body.limit as number | undefined) ?? 10;
  const offset = body.offset as PointId | undefined | null;
  const sorted = [...collection.points.values()]
    .filter((p) => matchesFilter(body.filter, p.payload, p.id))
    .sort((a, b) => compareIds(a.id, b.id));
  const start = offset === undefined || offset === null ? 0 : sorted.findIndex((p) => compareIds(p.id, offset) >= 0);
  const page = start < 0 ? [] : sorted.slice(start, start + limit);
  const next = start < 0 ? undefined : sorted[start + limit];
  return {
    points: page.map((p) => renderPoint(p, body.with_payload ?? true, body.with_vector ?? false)),
    next_page_offset: next ? next.id : null,
  };
}

function renderPoint(point: StoredPoint, withPayload: unknown, withVector: unknown, score?: number) {
  const out: Record<string, unknown> = { id: point.id, version: point.version };
  if (score !== undefined) out.score = score;
  const payload = selectPayload(point.payload, withPayload);
  if (payload) out.payload = payload;
  if (withVector === true) out.vector = point.vectors;
  else if (Array.isArray(withVector)) {
    out.vector = Object.fromEntries(
      Object.entries(point.vectors).filter(([n]) => (withVector as string[]).includes(n)),
    );
  }
  return out;
}

function selectPayload(payload: Record<string, unknown>, selector: unknown): Record<string, unknown> | undefined {
  if (selector === true) return structuredClone(payload);
  if (Array.isArray(selector)) return pick(payload, selector as string[], true);
  if (isObject(selector)) {
    if (Array.isArray(selector.include)) return pick(payload, selector.include as string[], true);
    if (Array.isArray(selector.exclude)) return pick(payload, selector.exclude as string[], false);
  }
  return undefined;
}

function pick(payload: Record<string, unknown>, keys: string[], keep: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(structuredClone(payload)).filter(([k]) => keys.includes(k) === keep));
}

// --- Filters

/** Values at a payload path; arrays along the way are flattened (`a.b`, `a[].b`). */
function valuesAt(payload: unknown, key: string): unknown[] {
  let current: unknown[] = [payload];
  for (const rawSegment of key.split(".")) {
    const segment = rawSegment.replace(/\[\]$/, "");
    const next: unknown[] = [];
    for (const value of current) {
      const holders = Array.isArray(value) ? value : [value];
      for (const holder of holders) {
        if (isObject(holder) && segment in holder) next.push(holder[segment]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function matchesFilter(filter: unknown, payload: Record<string, unknown>, id?: PointId): boolean {
  if (!isObject(filter)) return true;
  const check = (c: unknown) => matchesCondition(c, payload, id);
  if (!asList(filter.must).every(check)) return false;
  if (asList(filter.must_not).some(check)) return false;
  const should = asList(filter.should);
  if (should.length > 0 && !should.some(check)) return false;
  if (isObject(filter.min_should)) {
    const { conditions, min_count } = filter.min_should as { conditions: unknown[]; min_count: number };
    if (conditions.filter(check).length < min_count) return false;
  }
  return true;
}

function matchesCondition(condition: unknown, payload: Record<string, unknown>, id?: PointId): boolean {
  if (!isObject(condition)) return false;
  if (isObject(condition.nested)) {
    const { key, filter } = condition.nested as { key: string; filter: unknown };
    // Each element on its own: every condition must hold on the same element.
    return valuesAt(payload, key).some((element) => isObject(element) && matchesFilter(filter, element));
  }
  if (isObject(condition.is_empty)) {
    const values = valuesAt(payload, (condition.is_empty as { key: string }).key);
    return values.every((v) => v === null);
  }
  if (isObject(condition.is_null)) {
    const key = (condition.is_null as { key: string }).key;
    return valuesAt(payload, key).some((v) => v === null);
  }
  if (Array.isArray(condition.has_id)) {
    return id !== undefined && (condition.has_id as PointId[]).some((h) => pointKey(h) === pointKey(id));
  }
  if ("must" in condition || "should" in condition || "must_not" in condition || "min_should" in condition) {
    return matchesFilter(condition, payload, id);
  }
  if (typeof condition.key !== "string") {
    throw new QdrantHttpError(501, `The fake Qdrant does not implement the condition ${JSON.stringify(condition)}`);
  }
  const values = valuesAt(payload, condition.key);
  if (condition.is_empty === true) return values.every((v) => v === null);
  if (condition.is_null === true) return values.some((v) => v === null);
  if (isObject(condition.match)) {
    const match = condition.match;
    if ("value" in match) return values.some((v) => v === match.value);
    if (Array.isArray(match.any)) return values.some((v) => (match.any as unknown[]).includes(v));
    if (Array.isArray(match.except))
      return values.length > 0 && values.some((v) => !(match.except as unknown[]).includes(v));
    if (typeof match.text === "string")
      return values.some((v) => typeof v === "string" && v.includes(match.text as string));
    throw new QdrantHttpError(501, `The fake Qdrant does not implement match ${JSON.stringify(match)}`);
  }
  if (isObject(condition.range)) {
    const range = condition.range as Record<string, number | null | undefined>;
    return values.some(
      (v) =>
        typeof v === "number" &&
        (range.gt == null || v > range.gt) &&
        (range.gte == null || v >= range.gte) &&
        (range.lt == null || v < range.lt) &&
        (range.lte == null || v <= range.lte),
    );
  }
  if (isObject(condition.values_count)) {
    const count = values.length;
    const range = condition.values_count as Record<string, number | null | undefined>;
    return (
      (range.gt == null || count > range.gt) &&
      (range.gte == null || count >= range.gte) &&
      (range.lt == null || count < range.lt) &&
      (range.lte == null || count <= range.lte)
    );
  }
  throw new QdrantHttpError(501, `The fake Qdrant does not implement the condition on ${condition.key}`);
}

// --- Query API

interface QueryLike {
  prefetch?: QueryLike | QueryLike[] | null;
  query?: unknown;
  using?: string | null;
  filter?: unknown;
  score_threshold?: number | null;
  limit?: number | null;
  offset?: number | null;
}

interface Scored {
  point: StoredPoint;
  score: number;
}

function runQuery(collection: CollectionState, request: QueryLike, top: boolean): Scored[] {
  const limit = request.limit ?? 10;
  const offset = top ? request.offset ?? 0 : 0;
  const prefetches = asList(request.prefetch) as QueryLike[];
  const passes = (p: StoredPoint) => matchesFilter(request.filter, p.payload, p.id);
  const query = request.query;

  let scored: Scored[];
  if (prefetches.length > 0) {
    const lists = prefetches.map((p) => runQuery(collection, p, false).filter((s) => passes(s.point)));
    if (isObject(query) && (query.fusion === "rrf" || isObject(query.rrf))) {
      const k = (isObject(query.rrf) && typeof query.rrf.k === "number" ? query.rrf.k : undefined) ?? 2;
      const fused = new Map<string, Scored>();
      for (const list of lists) {
        list.forEach((s, rank) => {
          const key = pointKey(s.point.id);
          const entry = fused.get(key) ?? { point: s.point, score: 0 };
          // Qdrant's RRF counts ranks from 0: 1 / (k + rank).
          entry.score += 1 / (k + rank);
          fused.set(key, entry);
        });
      }
      scored = [...fused.values()];
    } else if (query === undefined || query === null) {
      scored = lists.flat();
    } else {
      const pool = new Map(lists.flat().map((s) => [pointKey(s.point.id), s.point]));
      scored = scoreAgainst(collection, [...pool.values()], query, request.using);
    }
  } else {
    const pool = [...collection.points.values()].filter(passes);
    if (query === undefined || query === null) {
      scored = pool.sort((a, b) => compareIds(a.id, b.id)).map((point) => ({ point, score: 0 }));
      return scored.slice(offset, offset + limit);
    }
    scored = scoreAgainst(collection, pool, query, request.using);
  }
  if (typeof request.score_threshold === "number") {
    scored = scored.filter((s) => s.score >= request.score_threshold!);
  }
  scored.sort((a, b) => b.score - a.score || compareIds(a.point.id, b.point.id));
  return scored.slice(offset, offset + limit);
}

function scoreAgainst(
  collection: CollectionState,
  pool: StoredPoint[],
  query: unknown,
  using?: string | null,
): Scored[] {
  const vector = isObject(query) && "nearest" in query ? query.nearest : query;
  const name = using ?? "";
  if (Array.isArray(vector) && vector.every((x) => typeof x === "number")) {
    const config = collection.dense[name];
    if (!config) throw new QdrantHttpError(400, `Wrong input: Not existing vector name error: ${name || "(default)"}`);
    if (vector.length !== config.size) {
      throw new QdrantHttpError(
        400,
        `Wrong input: Vector dimension error: expected dim: ${config.size}, got ${vector.length}`,
      );
    }
    if (config.distance !== "Cosine" && config.distance !== "Dot") {
      throw new QdrantHttpError(501, `The fake Qdrant does not implement ${config.distance} distance`);
    }
    const q = config.distance === "Cosine" ? normalize(vector as number[]) : (vector as number[]);
    return pool.flatMap((point) => {
      const stored = point.vectors[name];
      if (!Array.isArray(stored)) return [];
      return [{ point, score: stored.reduce((sum, x, i) => sum + x * q[i], 0) }];
    });
  }
  if (isObject(vector) && Array.isArray(vector.indices) && Array.isArray(vector.values)) {
    const config = collection.sparse[name];
    if (!config) throw new QdrantHttpError(400, `Wrong input: Not existing vector name error: ${name || "(default)"}`);
    const q = vector as unknown as SparseVector;
    const idf = config.modifier === "idf" ? inverseDocumentFrequency(collection, name, q.indices) : undefined;
    return pool.flatMap((point) => {
      const stored = point.vectors[name];
      if (!stored || Array.isArray(stored)) return [];
      const weights = new Map(stored.indices.map((index, i) => [index, stored.values[i]]));
      let score = 0;
      let overlap = false;
      q.indices.forEach((index, i) => {
        const w = weights.get(index);
        if (w === undefined) return;
        overlap = true;
        score += q.values[i] * w * (idf?.get(index) ?? 1);
      });
      // Sparse search only returns points sharing at least one dimension with the query.
      return overlap ? [{ point, score }] : [];
    });
  }
  throw new QdrantHttpError(501, `The fake Qdrant does not implement the query ${JSON.stringify(query).slice(0, 80)}`);
}

/** BM25's IDF over the points holding this sparse vector, as `modifier: "idf"` applies it. */
function inverseDocumentFrequency(collection: CollectionState, name: string, indices: number[]): Map<number, number> {
  const holders = [...collection.points.values()].flatMap((p) => {
    const v = p.vectors[name];
    return v && !Array.isArray(v) ? [new Set(v.indices)] : [];
  });
  const n = holders.length;
  return new Map(
    indices.map((index) => {
      const df = holders.filter((set) => set.has(index)).length;
      return [index, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
    }),
  );
}
