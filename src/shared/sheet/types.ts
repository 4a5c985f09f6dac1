/**
 * Public types of the spreadsheet reader. Everything here is plain data so that it can cross a Web
 * Worker or IPC boundary unchanged (except SheetError, which callers turn into a message).
 */

export type SheetFormat = 'csv' | 'xlsx' | 'xls' | 'ods';
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t';

export interface SheetLimits {
  /** Largest accepted file. Default 200 MiB for CSV, 100 MiB for workbooks. */
  maxFileBytes: number;
  /**
   * Total inflated size of the parts of an XLSX/ODS zip, as its central directory declares them.
   * Checked before SheetJS sees the bytes, so a zip bomb is refused without being inflated.
   */
  maxUncompressedBytes: number;
  maxColumns: number;
  /** Excel's own limit for one cell is 32,767 characters. */
  maxCellChars: number;
  maxRows: number;
}

export const CSV_MAX_FILE_BYTES = 200 * 1024 * 1024;
export const WORKBOOK_MAX_FILE_BYTES = 100 * 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Omit<SheetLimits, 'maxFileBytes'>> = {
  // About 240,000 rows of 15 columns; SheetJS needs roughly 14 bytes of memory per unpacked byte.
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxColumns: 1000,
  maxCellChars: 32_767,
  maxRows: 1_100_000,
};

export interface ReadOptions {
  /** Used for the format (extension) and in messages. */
  fileName: string;
  /** Workbook sheet by name; default the first visible sheet. */
  sheet?: string;
  /** 1-based line number as Excel shows it; default the first non-empty row. */
  headerRow?: number;
  /** CSV only: skip detection. */
  encoding?: TextEncodingName;
  /** CSV only: skip detection. */
  delimiter?: Delimiter;
  limits?: Partial<SheetLimits>;
}

/** `row` is the row number Excel shows (1-based); `cells` has exactly `headers.length` entries. */
export interface SheetRow {
  row: number;
  cells: string[];
}

/**
 * A fact about one cell that the validator turns into an issue.
 * `row` is the row number Excel shows; `column` is the 0-based index into `headers` and `cells`.
 * Codes: `number_lost_digits` (a number Excel may have rounded or shown in exponent form),
 * `error_cell` (a formula error such as #N/A).
 */
export interface CellNote {
  row: number;
  column: number;
  code: string;
  message: string;
}

export interface SheetData {
  format: SheetFormat;
  /** [] for CSV. */
  sheetNames: string[];
  /** null for CSV. */
  sheet: string | null;
  /** CSV only. */
  encoding: TextEncodingName | null;
  /** CSV only. */
  delimiter: Delimiter | null;
  headerRow: number;
  /** Trimmed header texts, up to the last non-empty one. */
  headers: string[];
  /** Data rows after the header row; blank rows are skipped but keep their numbers. */
  rows: SheetRow[];
  notes: CellNote[];
}

export interface SheetPreview {
  /** The first lines as they are in the file, blank ones included, cells untrimmed. */
  lines: SheetRow[];
  encoding: TextEncodingName | null;
  delimiter: Delimiter | null;
  sheetNames: string[];
  sheet: string | null;
  /** A guess for the picker: the first row that looks like column names (skips title lines). */
  suggestedHeaderRow: number;
}

export type SheetErrorCode =
  | 'empty_file'
  | 'no_header'
  | 'binary_file'
  | 'corrupt_file'
  | 'encrypted_file'
  | 'too_large'
  | 'too_many_columns'
  | 'too_many_rows'
  | 'cell_too_long'
  | 'unknown_sheet'
  | 'unsupported_format';

/** Every failure of the reader. `message` is plain English that says what to do. */
export class SheetError extends Error {
  readonly code: SheetErrorCode;

  constructor(code: SheetErrorCode, message: string) {
    super(message);
    this.name = 'SheetError';
    this.code = code;
  }
}

export function resolveLimits(format: SheetFormat, limits: Partial<SheetLimits> | undefined): SheetLimits {
  const out: SheetLimits = {
    maxFileBytes: format === 'csv' ? CSV_MAX_FILE_BYTES : WORKBOOK_MAX_FILE_BYTES,
    ...DEFAULT_LIMITS,
  };
  if (limits) {
    for (const key of Object.keys(out) as (keyof SheetLimits)[]) {
      const value = limits[key];
      if (typeof value === 'number' && value > 0) out[key] = value;
    }
  }
  return out;
}

/** "12.3 MB" for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
