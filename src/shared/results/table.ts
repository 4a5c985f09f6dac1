import { RESULT_COLUMNS, type RowStatus } from './columns';
import { unescapeFormula } from './formula';

/**
 * What happened to one input row. `rowKey` is the row's identity from reading to results (see
 * `prepared.ts`); `row` is the row number as Excel shows it in the input file, for messages.
 */
export interface RowResult {
  rowKey?: string;
  row: number;
  status: RowStatus;
  projectId?: string;
  projectStatus?: string;
  errorCode?: string;
  errorMessage?: string;
  httpStatus?: number;
  /** Requests sent for this row, over every session of the run. */
  attempts: number;
  /** ISO 8601 time of the final answer (or of the last attempt when there is none). */
  submittedAt?: string;
  /** The ids sent for the reference cells that held names (see `sentIdsOf`). */
  sentIds?: string;
}

/**
 * The grid a results sheet is built from: the input's header and rows, with the cells as the user
 * typed them (a phone number typed as a number stays as typed; the id it was sent as is the API's
 * business, not the sheet's).
 */
export interface ResultsSource {
  headers: readonly string[];
  rows: ReadonlyArray<{ rowKey?: string; row: number; cells: readonly string[] }>;
}

/** Results and source rows meet by row key; sources without keys (older callers) by row number. */
function resultKey(r: { rowKey?: string; row: number }): string {
  return r.rowKey !== undefined ? `k:${r.rowKey}` : `n:${r.row}`;
}

export type ResultCell = string | number;

export interface ResultsTable {
  headers: string[];
  rows: ResultCell[][];
  /** The status of each data row, in order (for colouring). */
  statuses: RowStatus[];
  /** Index of the `status` column. */
  statusColumn: number;
}

const RESULT_SET: ReadonlySet<string> = new Set(RESULT_COLUMNS);

function normalizeHeader(header: string): string {
  return header.trim().toLowerCase();
}

/** True when a header is one of the columns a results sheet adds. */
export function isResultColumn(header: string): boolean {
  return RESULT_SET.has(normalizeHeader(header));
}

/**
 * One row per input row, in input order: the original columns (without result columns a previous
 * results sheet carried), then RESULT_COLUMNS. A row without a result is `not_sent`.
 */
export function buildResultsTable(
  source: ResultsSource,
  results: Iterable<RowResult> | ReadonlyMap<number, RowResult>,
): ResultsTable {
  const byKey = new Map<string, RowResult>();
  const byRow = new Map<number, RowResult>();
  const list: Iterable<RowResult> =
    results instanceof Map ? results.values() : (results as Iterable<RowResult>);
  for (const r of list) {
    byKey.set(resultKey(r), r);
    if (r.rowKey === undefined) byRow.set(r.row, r);
  }

  const keep: number[] = [];
  source.headers.forEach((h, i) => {
    if (!isResultColumn(h)) keep.push(i);
  });
  const headers = [...keep.map((i) => source.headers[i] ?? ''), ...RESULT_COLUMNS];
  const rows: ResultCell[][] = [];
  const statuses: RowStatus[] = [];
  for (const input of source.rows) {
    const r = byKey.get(resultKey(input)) ??
      byRow.get(input.row) ?? {
        row: input.row,
        status: 'not_sent' as const,
        attempts: 0,
      };
    statuses.push(r.status);
    rows.push([
      ...keep.map((i) => input.cells[i] ?? ''),
      r.status,
      r.projectId ?? '',
      r.projectStatus ?? '',
      r.errorCode ?? '',
      r.errorMessage ?? '',
      r.httpStatus ?? '',
      r.attempts,
      r.submittedAt ?? '',
      r.sentIds ?? '',
    ]);
  }
  return { headers, rows, statuses, statusColumn: keep.length };
}

/** What an earlier results sheet said about one row. */
export interface PreviousResult {
  status: string;
  projectId: string;
}

/**
 * Reading a results sheet back: true when the header carries the result columns this program adds
 * (`status` and `project_id` at least).
 */
export function isResultsSheet(headers: readonly string[]): boolean {
  const names = new Set(headers.map(normalizeHeader));
  return names.has('status') && names.has('project_id');
}

/**
 * Prepares a results sheet for a new submission: undoes the formula escape on every cell and
 * reports, per row, the status and project id the sheet recorded, so rows already created can be
 * skipped. The columns themselves are kept (mapping ignores the result columns), so a mapping made
 * for the sheet as read still lines up. Any other sheet is returned unchanged with no previous results.
 */
export function fromResultsSheet<S extends ResultsSource>(
  sheet: S,
): { sheet: S; previous: Map<number, PreviousResult> } {
  const previous = new Map<number, PreviousResult>();
  if (!isResultsSheet(sheet.headers)) return { sheet, previous };
  const at = (name: string): number => sheet.headers.findIndex((h) => normalizeHeader(h) === name);
  const statusAt = at('status');
  const projectAt = at('project_id');
  const rows = sheet.rows.map((r) => {
    const cells = r.cells.map(unescapeFormula);
    previous.set(r.row, {
      status: (cells[statusAt] ?? '').trim().toLowerCase(),
      projectId: (cells[projectAt] ?? '').trim(),
    });
    return { ...r, cells };
  });
  return { sheet: { ...sheet, headers: sheet.headers.map(unescapeFormula), rows }, previous };
}

/** The grid without the result columns, for showing a results sheet as plain input. */
export function stripResultColumns<S extends ResultsSource>(sheet: S): S {
  const keep: number[] = [];
  sheet.headers.forEach((h, i) => {
    if (!isResultColumn(h)) keep.push(i);
  });
  return {
    ...sheet,
    headers: keep.map((i) => sheet.headers[i] ?? ''),
    rows: sheet.rows.map((r) => ({ ...r, cells: keep.map((i) => r.cells[i] ?? '') })),
  };
}
