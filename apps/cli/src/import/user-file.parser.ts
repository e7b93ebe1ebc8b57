import { extname } from 'node:path';

import { normalizeUsername } from '@ioauth/store';

import { CliError } from '../cli.error.js';
import type { NewUserRequest } from '../user-admin/user-admin.port.js';
import { parseCsv } from './csv.parser.js';

/** One user of an import file: what to add, or why the row cannot be. */
export type ImportRow = {
  /** CSV: the line the record starts on (the header is line 1); JSON: the position in the array, from 1. */
  row: number;
  /** The username the row gives, normalised, when it is a valid one; for the summary. */
  username?: string;
} & ({ user: NewUserRequest } | { error: { code: 'invalid_request' | 'conflict'; message: string } });

/** Largest import file read: about half a million users at 100 bytes each, read into memory at once. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/**
 * Longest row, in characters: far beyond any valid user (a username of 128 bytes, a password of 1024, 100 scopes and
 * 100 roles of 128 characters), and far below what the admin API takes in one request, so that an oversized row is
 * refused here with the same message whichever way the users are added.
 */
export const MAX_ROW_CHARS = 64 * 1024;
const tooLong = `the row is longer than ${MAX_ROW_CHARS} characters`;

const CSV_COLUMNS = ['username', 'password', 'scopes', 'roles'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const JSON_FIELDS = new Set<string>(CSV_COLUMNS);

/**
 * Reads the users of an import file: JSON (an array of `{username, password, scopes?, roles?}`) or CSV (header
 * `username,password,scopes,roles`, scopes and roles separated by spaces or `;` inside their cell, RFC 4180
 * quoting), told apart by the name's extension, else by the content. UTF-8, with or without a byte order mark. A
 * row that repeats an earlier row's username is refused (which of the two was meant is unknown); users the store
 * has already are the importer's business. No message quotes the file, which holds passwords.
 * @throws CliError `invalid_request` for a file that cannot be read as either format.
 */
export function parseUserFile(content: Uint8Array, fileName: string): ImportRow[] {
  if (content.byteLength > MAX_IMPORT_BYTES)
    throw new CliError('invalid_request', `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  let text: string;
  try {
    // The decoder drops a leading byte order mark.
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new CliError('invalid_request', 'the file is not UTF-8 text');
  }
  const rows = isJson(text, fileName) ? jsonRows(text) : csvRows(text);
  return markDuplicates(rows);
}

function isJson(text: string, fileName: string): boolean {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.json') return true;
  if (extension === '.csv') return false;
  return text.trimStart().startsWith('[');
}

function jsonRows(text: string): ImportRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The engine's message quotes the text around the fault: only its position is kept.
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    const where = position === undefined ? '' : ` (line ${lineAt(text, Number(position))})`;
    throw new CliError('invalid_request', `the file is not valid JSON${where}`);
  }
  if (!Array.isArray(value))
    throw new CliError('invalid_request', 'a JSON import file holds an array of users');
  return value.map((item: unknown, index) => jsonRow(item, index + 1));
}

function jsonRow(item: unknown, row: number): ImportRow {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return refused(row, 'the item is not an object');
  if (JSON.stringify(item).length > MAX_ROW_CHARS) return refused(row, tooLong);
  const fields = item as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !JSON_FIELDS.has(key));
  if (unknown !== undefined)
    return refused(row, `the item has a field that is none of ${CSV_COLUMNS.join(', ')}`);
  const { username, password, scopes, roles } = fields;
  if (typeof username !== 'string') return refused(row, 'the item has no username string');
  if (typeof password !== 'string') return refused(row, 'the item has no password string', username);
  return user(row, {
    username,
    password,
    ...(scopes === undefined ? {} : { scopes }),
    ...(roles === undefined ? {} : { roles }),
  });
}

function csvRows(text: string): ImportRow[] {
  const [header, ...records] = parseCsv(text).filter(({ fields }) => !isBlank(fields));
  if (!header) return [];
  const columns = csvColumns(header.fields, header.error);
  return records.map(({ line, fields, error }) => {
    if (error) return refused(line, error);
    if (fields.reduce((length, field) => length + field.length, 0) > MAX_ROW_CHARS)
      return refused(line, tooLong);
    if (fields.length !== columns.length)
      return refused(line, `the row has ${fields.length} fields where the header has ${columns.length}`);
    const cells = Object.fromEntries(columns.map((column, index) => [column, fields[index]])) as Partial<
      Record<CsvColumn, string>
    >;
    // Spreadsheets pad cells; a username never starts or ends with a space, a password may.
    const username = (cells.username ?? '').trim();
    const password = cells.password ?? '';
    return user(line, {
      username,
      password,
      ...(cells.scopes === undefined ? {} : { scopes: grantCell(cells.scopes) }),
      ...(cells.roles === undefined ? {} : { roles: grantCell(cells.roles) }),
    });
  });
}

function csvColumns(fields: string[], error: string | undefined): CsvColumn[] {
  // A file without a header would have its first user here: the message names positions, never the cells.
  const expected = `the first line must be a header of ${CSV_COLUMNS.join(',')} (scopes and roles optional)`;
  if (error) throw new CliError('invalid_request', `${expected}: ${error}`);
  const columns = fields.map((field) => field.trim().toLowerCase());
  columns.forEach((column, index) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(column) || columns.indexOf(column) !== index)
      throw new CliError(
        'invalid_request',
        `${expected}; column ${index + 1} is not one of them, or repeats one`,
      );
  });
  if (!columns.includes('username') || !columns.includes('password'))
    throw new CliError('invalid_request', `${expected}; username or password is missing`);
  return columns as CsvColumn[];
}

const isBlank = (fields: string[]) => fields.length === 1 && (fields[0] ?? '').trim() === '';

const grantCell = (cell: string) => cell.split(/[\s;]+/).filter(Boolean);

function user(row: number, request: NewUserRequest): ImportRow {
  const username = normalizeUsername(request.username);
  return { row, user: request, ...(username === undefined ? {} : { username }) };
}

function refused(row: number, message: string, rawUsername?: string): ImportRow {
  const username = rawUsername === undefined ? undefined : normalizeUsername(rawUsername);
  return {
    row,
    ...(username === undefined ? {} : { username }),
    error: { code: 'invalid_request', message },
  };
}

/** Refuses every row whose username an earlier row has, as the store would compare them (normalised). */
function markDuplicates(rows: ImportRow[]): ImportRow[] {
  const firstRow = new Map<string, number>();
  return rows.map((row) => {
    if (!('user' in row) || row.username === undefined) return row;
    const first = firstRow.get(row.username);
    if (first === undefined) {
      firstRow.set(row.username, row.row);
      return row;
    }
    return {
      row: row.row,
      username: row.username,
      error: { code: 'conflict', message: `the username is also on row ${first}` },
    };
  });
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < position; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}
