/** One record of a CSV text: its fields, the line it starts on, and why it is malformed, if it is. */
export interface CsvRecord {
  line: number;
  fields: string[];
  error?: string;
}

/**
 * Splits CSV text into records after RFC 4180: fields separated by commas, records by CRLF (or LF alone), a field in
 * double quotes may hold commas, quotes (doubled) and line breaks. A malformed record is returned with `error` and
 * the text after it is read on; messages never quote the text, which holds passwords. Linear in the text's length,
 * whatever the length of a field.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let at = 0;
  let line = 1;
  while (at < text.length) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      const field = text[at] === '"' ? quotedField(text, at) : plainField(text, at);
      record.fields.push(field.value);
      if (field.error) record.error ??= field.error;
      line += field.lineBreaks;
      at = field.end;
      if (text[at] !== ',') break;
      at += 1;
    }
    at += lineBreakLength(text, at);
    line += 1;
    records.push(record);
  }
  return records;
}

interface Field {
  value: string;
  /** Where the field ends: at a comma, a line break or the end of the text. */
  end: number;
  lineBreaks: number;
  error?: string;
}

function plainField(text: string, start: number): Field {
  let end = start;
  while (end < text.length && text[end] !== ',' && text[end] !== '\n') end += 1;
  // CR belongs to the line break that ends the record, not to the field.
  const valueEnd =
    end > start && text[end - 1] === '\r' && lineBreakLength(text, end - 1) > 0 ? end - 1 : end;
  const value = text.slice(start, valueEnd);
  return {
    value,
    end: valueEnd,
    lineBreaks: 0,
    ...(value.includes('"') ? { error: 'a double quote in a field not enclosed in double quotes' } : {}),
  };
}

function quotedField(text: string, start: number): Field {
  const parts: string[] = [];
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) {
      const rest = text.slice(from);
      return {
        value: parts.join('') + rest,
        end: text.length,
        lineBreaks: countLineBreaks(text, start, text.length),
        error: 'a quoted field is not closed before the end of the file',
      };
    }
    parts.push(text.slice(from, quote));
    if (text[quote + 1] === '"') {
      parts.push('"');
      from = quote + 2;
      continue;
    }
    const closed = quote + 1;
    const lineBreaks = countLineBreaks(text, start, closed);
    if (closed >= text.length || text[closed] === ',' || lineBreakLength(text, closed) > 0)
      return { value: parts.join(''), end: closed, lineBreaks };
    // Text after the closing quote: the field runs on to the next separator, and the record is refused.
    const rest = plainField(text, closed);
    return {
      value: parts.join('') + rest.value,
      end: rest.end,
      lineBreaks,
      error: 'text after the closing double quote of a field',
    };
  }
}

/** The length of the line break at `at` that ends a record: CRLF, LF, or a CR that ends the text; else 0. */
function lineBreakLength(text: string, at: number): number {
  if (text[at] === '\n') return 1;
  if (text[at] !== '\r') return 0;
  if (text[at + 1] === '\n') return 2;
  return at + 1 === text.length ? 1 : 0;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
