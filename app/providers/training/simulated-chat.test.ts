import { describe, expect, it } from "vitest";
import { answerFromSources, learnedQuoteLines } from "./simulated-chat";

const prompt = (question: string, task = "Task: answer from the sources.") =>
  [
    task,
    "<sources>",
    '<source id="S1" type="product" handle="rain-shell">',
    "- Rain shell sizes S, M and L.",
    "- Rain shell size M is in stock, 3 left.",
    "</source>",
    '<source id="S2" type="product" handle="wrap-dress">',
    "- Wrap dress sizes 6, 8 and 10.",
    "</source>",
    "</sources>",
    "<question>",
    question,
    "</question>",
  ].join("\n");

const line = (answer: string, refused = false) =>
  JSON.stringify({ messages: [{ role: "system", content: "s" }, { role: "user", content: "u" }, { role: "assistant", content: JSON.stringify({ answer, citation_ids: [], product_handles: [], refused }) }] });

describe("the simulated student", () => {
  it("learns from its training answers how many source lines to quote; the untrained base quotes one", () => {
    expect(learnedQuoteLines([line("One. Two."), line("One. Two."), line("One."), line("No.", true)].join("\n"))).toBe(2);
    expect(learnedQuoteLines([line("One."), line("One."), line("One. Two.")].join("\n"))).toBe(1);
    expect(learnedQuoteLines("not json\n")).toBe(1);
    const q = prompt("Is the rain shell in stock in size M?");
    expect(answerFromSources(q, true).answer.split(". ").length).toBe(1);
    expect(answerFromSources(q, true, 2).answer).toBe(answerFromSources(q, false).answer);
  });

  it("cites only one product of a comparison, trained or not: measurably worse there", () => {
    const q = prompt("Compare the rain shell and the wrap dress sizes", "Task: a comparison of products.");
    expect(answerFromSources(q, false).citation_ids.sort()).toEqual(["S1", "S2"]);
    expect(answerFromSources(q, true, 2).citation_ids).toHaveLength(1);
  });
});
