/**
 * How the student is priced: by its own price table entry, else by its base model's (a
 * fine-tuned model is billed like its base), else by the price stored with it. Pure.
 */
import type { PriceTable } from "../../insights/usage-ledger";
import type { StudentModel } from "./types";

export function priceOfStudent(table: PriceTable, student: Pick<StudentModel, "model" | "baseModel" | "price">): PriceTable[string] | null {
  return table[student.model] ?? (student.baseModel ? table[student.baseModel] : undefined) ?? student.price ?? null;
}

/** The table with an entry for the student's own model id, so its ledger rows are priced. */
export function withStudentPrice(table: PriceTable, student: Pick<StudentModel, "model" | "baseModel" | "price">): PriceTable {
  const price = priceOfStudent(table, student);
  return price && !table[student.model] ? { ...table, [student.model]: price } : table;
}
