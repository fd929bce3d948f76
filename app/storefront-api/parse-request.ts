/**
 * Reading and checking what a shopper's browser sends: a size-limited body,
 * JSON, then a zod schema. Unknown fields (a `shop` in the body, say) are
 * dropped: who is asking comes only from the verified proxy query.
 */
import { z } from "zod";
import { StorefrontApiError } from "./responses";

export const MAX_BODY_BYTES = 8 * 1024;
export const MAX_QUESTION_LENGTH = 500;
export const MAX_FEEDBACK_REASON_LENGTH = 500;

const locale = z
  .string()
  .trim()
  .max(35)
  .regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/, "must be a locale like en or fr-CA")
  .transform((v) => v.replace(/_/g, "-"));
const handle = z
  .string()
  .trim()
  .max(255)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u, "must be a product handle like blue-rain-jacket");

export const askBodySchema = z.object({
  // Length is checked after trimming, by readAskBody, so the shopper gets question_too_long.
  question: z.string({ required_error: "question is required", invalid_type_error: "question must be text" }),
  productHandle: handle.optional().nullable(),
  locale: locale.optional().nullable().or(z.literal("")),
  history: z
    .array(z.object({ role: z.enum(["user", "assistant"]), content: z.string().max(4000) }))
    .max(20)
    .optional(),
});

export const feedbackBodySchema = z.object({
  answerId: z.string().trim().min(1, "answerId is required").max(64).regex(/^[\w-]+$/, "answerId is not an answer id"),
  rating: z.enum(["up", "down"], { errorMap: () => ({ message: 'rating must be "up" or "down"' }) }),
  reason: z.string().max(MAX_FEEDBACK_REASON_LENGTH, `reason must be under ${MAX_FEEDBACK_REASON_LENGTH} characters`).optional().nullable(),
});

export const questionsQuerySchema = z.object({
  product: handle.optional(),
  locale: locale.optional(),
});

export type AskBody = z.infer<typeof askBodySchema>;
export type FeedbackBody = z.infer<typeof feedbackBodySchema>;
export type QuestionsQuery = z.infer<typeof questionsQuerySchema>;

const tooLarge = () => new StorefrontApiError(413, "body_too_large", `Requests are limited to ${MAX_BODY_BYTES / 1024} KB.`);

/** The body as text, refused with 413 as soon as it passes maxBytes (without reading the rest). */
export async function readLimitedText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.join(".");
  return where && !issue.message.startsWith(where) ? `${where}: ${issue.message}` : issue.message;
}

export function parseWithSchema<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StorefrontApiError(400, "invalid_request", describeIssues(parsed.error));
  return parsed.data;
}

export async function readJsonBody<T extends z.ZodTypeAny>(request: Request, schema: T): Promise<z.infer<T>> {
  const text = await readLimitedText(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StorefrontApiError(400, "invalid_json", "The request body must be JSON.");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new StorefrontApiError(400, "invalid_json", "The request body must be a JSON object.");
  }
  return parseWithSchema(schema, value);
}

export interface AskRequest {
  question: string;
  productHandle?: string;
  locale?: string;
}

export async function readAskBody(request: Request): Promise<AskRequest> {
  const body = await readJsonBody(request, askBodySchema);
  // Control characters carry nothing a shopper meant to ask.
  // eslint-disable-next-line no-control-regex
  const question = body.question.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ").trim();
  if (!question) throw new StorefrontApiError(400, "empty_question", "Please type a question.");
  if (question.length > MAX_QUESTION_LENGTH) {
    throw new StorefrontApiError(413, "question_too_long", `Please keep your question under ${MAX_QUESTION_LENGTH} characters (it has ${question.length}).`);
  }
  return { question, productHandle: body.productHandle || undefined, locale: body.locale || undefined };
}
