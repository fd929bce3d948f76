/**
 * A chat handler for the OpenAI-compatible fake that answers the app's grounded prompt the way
 * a careful model would: from the first source only, citing it, stating a price or a day count
 * exactly as the source writes it, and refusing when there are no sources. `misstate` makes it
 * a student that gets prices wrong (a cheap but wrong model).
 */
import type { FakeChatReply, FakeChatRequest } from "../fakes/openai-server";

export interface GroundedTeacherOptions {
  /** Added to every price stated: a student that gets facts wrong. */
  misstate?: number;
}

export function groundedReply(request: FakeChatRequest, options: GroundedTeacherOptions = {}): FakeChatReply {
  const user = request.messages.find((m) => m.role === "user")?.content ?? "";
  const first = /<source id="(S\d+)"[^>]*title="([^"]*)"[^>]*>([\s\S]*?)<\/source>/.exec(user);
  if (!first) return { content: JSON.stringify({ answer: "I don't know; please contact the store.", citation_ids: [], product_handles: [], refused: true }) };
  const [, id, title, body] = first;
  const handle = /<source id="S\d+"[^>]*handle="([^"]*)"/.exec(first[0])?.[1];
  const variant = /\|\s*([\d.]+)(?: ([A-Z]{3}))?(?: \(was [^)]*\))? \|/.exec(body);
  const days = /\b(\d{1,3}) days\b/.exec(body);
  let answer: string;
  if (variant) {
    const price = (Number(variant[1]) + (options.misstate ?? 0)).toFixed(2);
    answer = `${title} is ${price}${variant[2] ? ` ${variant[2]}` : ""} [${id}].`;
  } else if (days) {
    answer = `${title}: ${days[1]} days [${id}].`;
  } else {
    answer = `Here is what ${title} says [${id}].`;
  }
  return { content: JSON.stringify({ answer, citation_ids: [id], product_handles: handle ? [handle] : [], refused: false }) };
}
