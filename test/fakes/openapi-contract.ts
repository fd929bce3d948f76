/**
 * Checks HTTP traffic against a published OpenAPI document (YAML or JSON), so a fake cannot
 * accept a request the real service would refuse, nor answer in a shape the real service never
 * uses. Request bodies are checked more strictly than the documents state: objects that list
 * their properties are closed, so a misspelt field is caught rather than ignored. Multipart
 * bodies are checked field by field (files stand in as strings).
 *
 * Schemas are compiled lazily, per operation: the OpenAI document is 3 MB and a test touches
 * a handful of its operations.
 */
import { existsSync, readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type SchemaNode = { [key: string]: Json };

interface OpenApiDoc {
  paths: Record<string, Record<string, SchemaNode>>;
  components: { schemas: Record<string, SchemaNode> };
}

export interface ContractOperation {
  method: string;
  template: string;
  params: Record<string, string>;
}

export interface OpenApiContract {
  /** The operation a request maps to, or why none does. */
  match(method: string, pathname: string): ContractOperation | { problem: string };
  /** Problems with a request; empty when the document allows it. */
  checkRequest(operation: ContractOperation, request: { query: URLSearchParams; contentType?: string; body: unknown }): string[];
  /** Problems with a response body for a status; empty when it matches (or the status is undocumented). */
  checkResponse(operation: ContractOperation, status: number, body: unknown): string[];
}

interface CompiledOperation {
  method: string;
  template: string;
  pattern: RegExp;
  paramNames: string[];
  literalSegments: number;
  node: SchemaNode;
  request?: { required: boolean; mediaTypes: string[]; validators: Map<string, ValidateFunction | undefined> };
  responses: Map<string, ValidateFunction | undefined>;
  queryValidators?: Map<string, { required: boolean; type?: string; validate: ValidateFunction }>;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch"]);
const cache = new Map<string, OpenApiContract | undefined>();

/** Reads an OpenAPI document once per process; undefined (with a warning) when the file is absent. */
export function loadOpenApiContract(file: string, options: { basePath?: string } = {}): OpenApiContract | undefined {
  const key = `${file}\u0000${options.basePath ?? ""}`;
  if (cache.has(key)) return cache.get(key);
  let contract: OpenApiContract | undefined;
  if (!existsSync(file)) {
    console.warn(`OpenAPI contract not found at ${file}: the fake answers without validating (set GROUNDWORK_SHARED_DIR to the folder holding contracts/).`);
  } else {
    const text = readFileSync(file, "utf8");
    const doc = (file.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 })) as OpenApiDoc;
    contract = compileContract(doc, options.basePath ?? "");
  }
  cache.set(key, contract);
  return contract;
}

function compileContract(doc: OpenApiDoc, basePath: string): OpenApiContract {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true, logger: false });
  addFormats(ajv);
  ajv.addFormat("float", { type: "number", validate: (x: number) => Number.isFinite(x) });
  ajv.addFormat("double", { type: "number", validate: (x: number) => Number.isFinite(x) });
  ajv.addFormat("int64", { type: "number", validate: (x: number) => Number.isInteger(x) });
  ajv.addFormat("int32", { type: "number", validate: (x: number) => Number.isInteger(x) });
  ajv.addFormat("unixtime", { type: "number", validate: (x: number) => Number.isInteger(x) && x >= 0 });
  ajv.addFormat("binary", () => true);
  // Together documents job ids as uuids, while its own examples and path parameters use "ft-<uuid>".
  ajv.addFormat("uuid", /^(ft-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const REQUEST_DOC = "https://contract.test/request.json";
  const RESPONSE_DOC = "https://contract.test/response.json";
  for (const [id, close] of [
    [REQUEST_DOC, true],
    [RESPONSE_DOC, false],
  ] as const) {
    const schemas = Object.fromEntries(Object.entries(doc.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema, id, close)]));
    ajv.addSchema({ $id: id, components: { schemas } } as SchemaNode);
  }

  const operations: CompiledOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, node] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const { pattern, paramNames } = pathPattern(template, basePath);
      operations.push({
        method,
        template,
        pattern,
        paramNames,
        literalSegments: template.split("/").filter((s) => s && !s.startsWith("{")).length,
        node,
        responses: new Map(),
      });
    }
  }
  operations.sort((a, b) => b.literalSegments - a.literalSegments);
  const byKey = new Map(operations.map((op) => [`${op.method} ${op.template}`, op]));

  const compile = (schema: SchemaNode | undefined, docId: string, close: boolean) => (schema ? ajv.compile(toJsonSchema(schema, docId, close)) : undefined);

  function compiledRequest(op: CompiledOperation) {
    if (op.request) return op.request;
    const body = op.node.requestBody as SchemaNode | undefined;
    const content = (body?.content ?? {}) as Record<string, SchemaNode>;
    const validators = new Map<string, ValidateFunction | undefined>();
    for (const [mediaType, media] of Object.entries(content)) validators.set(mediaType, compile(media.schema as SchemaNode | undefined, REQUEST_DOC, true));
    op.request = { required: body?.required === true, mediaTypes: Object.keys(content), validators };
    return op.request;
  }

  function compiledQuery(op: CompiledOperation) {
    if (op.queryValidators) return op.queryValidators;
    op.queryValidators = new Map();
    for (const p of (op.node.parameters as SchemaNode[] | undefined) ?? []) {
      if (p.in !== "query") continue;
      const schema = toJsonSchema((p.schema as SchemaNode) ?? {}, REQUEST_DOC, true);
      op.queryValidators.set(p.name as string, { required: p.required === true, type: typeof schema.type === "string" ? schema.type : undefined, validate: ajv.compile(schema) });
    }
    return op.queryValidators;
  }

  function responseValidator(op: CompiledOperation, status: number): ValidateFunction | undefined {
    const key = String(status);
    if (op.responses.has(key)) return op.responses.get(key);
    const responses = (op.node.responses ?? {}) as Record<string, SchemaNode>;
    const documented = responses[key] ?? responses[`${key[0]}XX`] ?? (status >= 400 ? responses.default : undefined);
    const schema = ((documented?.content as Record<string, SchemaNode> | undefined)?.["application/json"] as SchemaNode | undefined)?.schema as SchemaNode | undefined;
    const validate = compile(schema, RESPONSE_DOC, false);
    op.responses.set(key, validate);
    return validate;
  }

  return {
    match(method, pathname) {
      const lower = method.toLowerCase();
      const candidates = operations.filter((op) => op.pattern.test(pathname));
      const op = candidates.find((o) => o.method === lower);
      if (!op) return { problem: candidates.length ? `method ${method.toUpperCase()} is not allowed on ${candidates[0].template}` : `${pathname} is not a path in the API` };
      const m = op.pattern.exec(pathname)!;
      return { method: lower, template: op.template, params: Object.fromEntries(op.paramNames.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    },

    checkRequest(operation, request) {
      const op = byKey.get(`${operation.method} ${operation.template}`)!;
      const problems: string[] = [];
      const query = compiledQuery(op);
      for (const [name, value] of request.query) {
        const spec = query.get(name);
        if (!spec) {
          problems.push(`unknown query parameter "${name}"`);
          continue;
        }
        const typed = spec.type === "integer" || spec.type === "number" ? Number(value) : spec.type === "boolean" ? (value === "true" ? true : value === "false" ? false : value) : value;
        if (!spec.validate(typed)) problems.push(`query parameter "${name}"=${value}: ${describeErrors(spec.validate)}`);
      }
      for (const [name, spec] of query) if (spec.required && !request.query.has(name)) problems.push(`missing query parameter "${name}"`);
      const body = compiledRequest(op);
      if (request.body === undefined) {
        if (body.required) problems.push("missing request body");
        return problems;
      }
      if (body.mediaTypes.length === 0) return [...problems, "this operation takes no request body"];
      const mediaType = (request.contentType ?? "").split(";")[0].trim();
      if (!body.mediaTypes.includes(mediaType)) return [...problems, `content-type ${mediaType || "(none)"} is not one of ${body.mediaTypes.join(", ")}`];
      const validate = body.validators.get(mediaType);
      if (validate && !validate(request.body)) problems.push(`body: ${describeErrors(validate)}`);
      return problems;
    },

    checkResponse(operation, status, payload) {
      const op = byKey.get(`${operation.method} ${operation.template}`)!;
      const validate = responseValidator(op, status);
      return validate && !validate(payload) ? [`response ${status}: ${describeErrors(validate)}`] : [];
    },
  };
}

/** A path template ("/fine-tunes/{id}") as a regular expression and its parameter names. */
export function pathPattern(template: string, basePath = ""): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const body = template
    .split("/")
    .map((segment) => {
      const m = /^\{(.+)\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      paramNames.push(m[1]);
      return "([^/]+)";
    })
    .join("/");
  return { pattern: new RegExp(`^${basePath}${body}/?$`), paramNames };
}

/**
 * OpenAPI 3.0/3.1 schema -> JSON Schema for ajv: `nullable` becomes a null type, refs point into
 * the compiled document, and (for requests) objects listing properties are closed.
 */
export function toJsonSchema(node: SchemaNode, docId: string, closeObjects: boolean): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples" || key === "description" || key === "deprecated" || key === "nullable") continue;
    if (key === "$ref" && typeof value === "string") out.$ref = value.startsWith("#") ? `${docId}${value}` : value;
    else if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(Object.entries(value as SchemaNode).map(([name, schema]) => [name, toJsonSchema(schema as SchemaNode, docId, closeObjects)]));
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      out[key] = value.map((s) => toJsonSchema(s as SchemaNode, docId, closeObjects));
    } else if ((key === "items" || key === "additionalProperties" || key === "not") && isObject(value)) {
      out[key] = toJsonSchema(value as SchemaNode, docId, closeObjects);
    } else out[key] = value;
  }
  // OpenAPI 3.0's boolean form, still found in some 3.1 documents.
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[flag] === "boolean") {
      if (out[flag] && typeof out[bound] === "number") out[flag] = out[bound];
      else delete out[flag];
      if (typeof out[flag] === "number") delete out[bound];
    }
  }
  if (closeObjects && out.type === "object" && out.properties && out.additionalProperties === undefined && !out.allOf && !out.anyOf && !out.oneOf) {
    out.additionalProperties = false;
  }
  if (node.nullable === true) {
    const constraining = Object.keys(out).filter((k) => k !== "default" && k !== "format");
    if (constraining.length === 0) return { type: "null" };
    if (typeof out.type === "string") {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describeErrors(validate: ValidateFunction): string {
  const errors = validate.errors ?? [];
  // The deepest error is usually the one that names the mistake; anyOf wrappers add noise.
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  return sorted
    .slice(0, 4)
    .map((e) => {
      const extra = e.keyword === "additionalProperties" ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : "";
      return `${e.instancePath || "(root)"} ${e.message ?? e.keyword}${extra}`;
    })
    .join(", ");
}

/** Multipart bodies are read as the demo's simulated provider reads them. */
export { readMultipartForm as readMultipart } from "../../app/providers/training/simulated-training-server";
