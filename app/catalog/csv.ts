/**
 * RFC 4180 CSV reading: quoted fields may hold commas, doubled quotes and line
 * breaks, so a record can span several physical lines. Each record keeps the
 * physical line it starts on, so import issues point at the right place.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
}

export interface CsvReadResult {
  records: CsvRecord[];
  /** Set when the text ends inside a quoted field; records before it are kept. */
  error: { line: number; message: string } | null;
}

export function readCsvRecords(text: string): CsvReadResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteOpenedAt = 0;

  const endRecord = () => {
    fields.push(field);
    // A blank physical line is not a record.
    if (!(fields.length === 1 && fields[0] === "")) records.push({ fields, line: recordLine });
    fields = [];
    field = "";
  };

  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "") {
      inQuotes = true;
      quoteOpenedAt = line;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      // A stray quote inside an unquoted field is kept as text (lenient, like spreadsheets).
      field += ch;
    }
  }
  if (inQuotes) {
    return {
      records,
      error: { line: recordLine, message: `A quoted field opened on line ${quoteOpenedAt} is never closed; the rest of the file was not read.` },
    };
  }
  if (field !== "" || fields.length > 0) endRecord();
  return { records, error: null };
}
