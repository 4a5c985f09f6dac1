/**
 * Messages between the UI thread and the sheet worker. Bulk data travels as typed arrays (moved, not
 * copied) and one string per column; never as one object per row.
 */
import type { Mapping } from '../../../shared/mapping';
import type { FindOptions } from '../model/find';
import type { RowResult } from '../../../shared/results';
import type { CellNote, Delimiter, SheetFormat, SheetPreview, TextEncodingName } from '../../../shared/sheet';
import { fileRowKey, type PreparedRow, type Submission } from '../../../shared/prepared';
import type { AccountSnapshot } from '../../../shared/account/snapshot';
import type { FieldName } from '../../../shared/schema/fields';
import type { Issue } from '../../../shared/validate';

export interface SourceOptions {
  sheet?: string;
  headerRow?: number;
  encoding?: TextEncodingName;
  delimiter?: Delimiter;
}

export interface FileMeta {
  format: SheetFormat;
  sheetNames: string[];
  hiddenSheets: string[];
}

export interface ReadMeta {
  sheet: string | null;
  encoding: TextEncodingName | null;
  delimiter: Delimiter | null;
  headerRow: number;
}

/** A row a results sheet (or the run being resumed) says was created: shown locked, never sent. */
export interface CreatedRow {
  index: number;
  projectId: string;
  projectStatus?: string;
}

/** A name (or typed number, domain) in a reference cell of row `index`, and the id it is sent as. */
export interface ResolvedValue {
  index: number;
  field: FieldName;
  /** The text as typed (one item of a list cell). */
  from: string;
  to: string;
  /** What the account calls it. */
  label: string;
}

/** A last column added to the document (empty in every row), or the last column taken away. */
export type ColumnChange = { op: 'add'; header: string } | { op: 'drop' };

export type BuildRequest =
  | { kind: 'sheet'; format: 'csv' | 'xlsx'; sheetName: string }
  | { kind: 'results'; format: 'csv' | 'xlsx'; results: Array<RowResult & { index: number }> }
  | { kind: 'template'; format: 'csv' | 'xlsx' }
  /** The workbook with this account's names on a Lookup sheet and dropdowns over them. */
  | { kind: 'account-template'; snapshot: AccountSnapshot };

export type ToWorker =
  /** A new file: preview it, then read it whole with `options`. */
  | { t: 'open'; id: number; bytes: Uint8Array; fileName: string; options: SourceOptions }
  /** The rows a run recorded (to resume it): shown as they were sent, with their row keys. */
  | { t: 'openSubmission'; id: number; submission: Submission }
  /** The same file again with other options (sheet, header row, encoding, delimiter). */
  | { t: 'read'; id: number; options: SourceOptions }
  /**
   * Validate rows (all when `rows` is null, which also recomputes duplicate names) with this
   * mapping. Results stream back as `checked` chunks tagged with `pass`.
   */
  | { t: 'validate'; pass: number; mapping: Mapping; defaultOrg: string; rows: Int32Array | null }
  /** Edited cells: key = row * columns + column. */
  | { t: 'cells'; keys: Int32Array; values: string[] }
  /** Rows still in the sheet (deleted rows are missing), in order. */
  | { t: 'order'; order: Int32Array }
  /**
   * The grid added a last column or took it away: cell keys use the new width from now on. A full
   * `validate` with the new mapping follows.
   */
  | { t: 'column'; change: ColumnChange }
  | { t: 'peers'; id: number; row: number }
  | { t: 'build'; id: number; request: BuildRequest }
  | { t: 'find'; id: number; query: string; options: FindOptions }
  /**
   * The rows to send, as prepared rows (body or null with the issues), in the order given, with
   * this mapping. Answered by `prepared`.
   */
  | { t: 'prepare'; id: number; rows: Int32Array; mapping: Mapping; defaultOrg: string }
  /**
   * The account's reference data for this session (null forgets it): every live row is checked
   * against it now, and every edited row again at once. Findings stream back as `account`.
   */
  | { t: 'account'; snapshot: AccountSnapshot | null; mapping: Mapping; defaultOrg: string };

export type FromWorker =
  /** First answer to open/read: enough to paint the grid (the first rows' cells come along). */
  | {
      t: 'sheet';
      id: number;
      headers: string[];
      rowNumbers: Int32Array;
      head: string[][];
      notes: CellNote[];
      meta: ReadMeta;
      /** Row keys when the rows came with theirs (a run resumed), else null (see `rowKeyOf`). */
      keys: string[] | null;
      /** Rows already created (a results sheet reopened, a run resumed). */
      created: CreatedRow[];
    }
  /** Then every cell, column by column. */
  | { t: 'columns'; id: number; cols: string[]; offs: Uint32Array[] }
  /** Then the first lines as they are in the file, for the sheet and header-row picker. */
  | { t: 'preview'; id: number; preview: SheetPreview | null; meta: FileMeta }
  | { t: 'failed'; id: number; message: string }
  | {
      t: 'checked';
      pass: number;
      /** Rows of this chunk: `rows` when the pass was given rows, else start..start+count-1. */
      start: number;
      count: number;
      rows: Int32Array | null;
      /** count * NF severities. */
      sev: Uint8Array;
      flags: Uint8Array;
      done: number;
      total: number;
    }
  | { t: 'passDone'; pass: number }
  /** Duplicate-name flags: `full` lists every duplicated row (all others are not). */
  | { t: 'dups'; rows: Int32Array; flags: Uint8Array; full: boolean }
  | { t: 'peers'; id: number; rows: number[]; total: number }
  | { t: 'bytes'; id: number; bytes: Uint8Array }
  | { t: 'found'; id: number; keys: Int32Array }
  | { t: 'prepared'; id: number; rows: PreparedRow[] }
  /**
   * Account findings of these rows (physical indexes), replacing what was known of them: `issues[i]`
   * belongs to `rows[i]`. With `full`, rows not listed have none. `complete` ends a check of every row.
   */
  | {
      t: 'account';
      rows: Int32Array;
      issues: Issue[][];
      resolved: ResolvedValue[];
      full: boolean;
      complete: boolean;
    };

/**
 * The key of physical row `r` of a document: its own when it came with one, else the one the file
 * adapter gives the row Excel numbers so (the same file read the same way has the same keys, so
 * sending it again continues a run it left unfinished instead of starting another).
 */
export function rowKeyOf(rowNumbers: Int32Array, keys: readonly string[] | null, r: number): string {
  return keys ? keys[r]! : fileRowKey(rowNumbers[r]!);
}
