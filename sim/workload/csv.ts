// A small CSV reader for trace files: comma-separated, optional double quotes ("" inside quotes is a
// quote), no line breaks inside fields, blank lines skipped, fields trimmed. Every row keeps its line.
import { WorkloadImportError } from './import-error.js';

export interface CsvRow {
  /** 1-based line number in the input. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') return;
    rows.push({ line: i + 1, fields: splitLine(content, i + 1) });
  });
  return rows;
}

function splitLine(line: string, lineNo: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new WorkloadImportError('unterminated quoted field', lineNo);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') throw new WorkloadImportError(`unexpected '${line[i]}' after a quoted field`, lineNo);
      fields.push(value);
    } else {
      const end = line.indexOf(',', i);
      fields.push((end === -1 ? line.slice(i) : line.slice(i, end)).trim());
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** Whether a field reads as a finite number. */
export function isNumeric(field: string): boolean {
  return field.trim() !== '' && Number.isFinite(Number(field));
}

/** A field as a finite number, or a WorkloadImportError naming the line and column. */
export function numberField(row: CsvRow, index: number, column: string, options: { integer?: boolean } = {}): number {
  const raw = row.fields[index] ?? '';
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) {
    throw new WorkloadImportError(`${column} is ${raw === '' ? 'empty' : `'${raw}'`}, expected a number`, row.line);
  }
  if (options.integer && !Number.isInteger(value)) throw new WorkloadImportError(`${column} is '${raw}', expected a whole number`, row.line);
  return value;
}

/** An optional numeric field: undefined when empty. */
export function optionalNumberField(row: CsvRow, index: number, column: string): number | undefined {
  return (row.fields[index] ?? '') === '' ? undefined : numberField(row, index, column);
}

export function expectFieldCount(row: CsvRow, count: number): void {
  if (row.fields.length !== count) {
    throw new WorkloadImportError(`expected ${count} comma-separated fields, found ${row.fields.length}`, row.line);
  }
}
