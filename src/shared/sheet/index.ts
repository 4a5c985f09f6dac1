/**
 * The spreadsheet reader: CSV (papaparse), XLSX/XLS/ODS (SheetJS) into a grid of text cells with
 * Excel's row numbers. Pure TypeScript without Node or Electron imports: it runs in the renderer's
 * Web Worker, the Electron main process and the CLI.
 */
import {
  createCsvStream as createCsvStreamImpl,
  previewCsv,
  readCsv,
  type CsvStream,
  type CsvStreamOptions,
} from './csv';
import { detectFormat } from './detect';
import { listWorkbookSheets, previewWorkbook, readWorkbook } from './workbook';
import type { ReadOptions, SheetData, SheetPreview, SheetRow } from './types';
import { shortenText } from './preview';

export type {
  CellNote,
  Delimiter,
  ReadOptions,
  SheetData,
  SheetErrorCode,
  SheetFormat,
  SheetLimits,
  SheetPreview,
  SheetRow,
  TextEncodingName,
} from './types';
export { SheetError, DEFAULT_LIMITS, CSV_MAX_FILE_BYTES, WORKBOOK_MAX_FILE_BYTES } from './types';
export type { CsvStream, CsvStreamOptions } from './csv';
export { detectDelimiter } from './csv';
export { decodeText } from './encoding';
export { detectFormat } from './detect';
export { columnName } from './grid';
export { shortenText } from './preview';

export const DEFAULT_PREVIEW_LINES = 30;

/** Sheet names of a workbook, and which of them are hidden; both [] for CSV. */
export function listSheets(bytes: Uint8Array, opts: ReadOptions): { names: string[]; hidden: string[] } {
  const format = detectFormat(opts.fileName, bytes);
  if (format === 'csv') return { names: [], hidden: [] };
  return listWorkbookSheets(bytes, opts, format);
}

/** The first lines as they are (blank ones included) for the sheet and header-row picker. */
export function previewSheet(
  bytes: Uint8Array,
  opts: ReadOptions,
  maxLines = DEFAULT_PREVIEW_LINES,
): SheetPreview {
  const format = detectFormat(opts.fileName, bytes);
  const lines = Math.max(1, Math.floor(maxLines));
  const preview =
    format === 'csv' ? previewCsv(bytes, opts, lines) : previewWorkbook(bytes, opts, format, lines);
  return { ...preview, lines: preview.lines.map(shortLine) };
}

/** The preview is drawn for a person to pick the header row: a 5 MB cell or 20,000 columns must not reach it. */
export const PREVIEW_MAX_CELL_CHARS = 500;
export const PREVIEW_MAX_COLUMNS = 200;

function shortLine(line: SheetRow): SheetRow {
  let cells = line.cells.length > PREVIEW_MAX_COLUMNS ? line.cells.slice(0, PREVIEW_MAX_COLUMNS) : line.cells;
  if (cells.some((c) => c.length > PREVIEW_MAX_CELL_CHARS)) {
    cells = cells.map((c) => shortenText(c, PREVIEW_MAX_CELL_CHARS));
  }
  return cells === line.cells ? line : { row: line.row, cells };
}

/** The whole sheet: headers, data rows (every cell as text) and per-cell notes. */
export function readSheet(bytes: Uint8Array, opts: ReadOptions): SheetData {
  const format = detectFormat(opts.fileName, bytes);
  return format === 'csv' ? readCsv(bytes, opts) : readWorkbook(bytes, opts, format);
}

/**
 * CSV in chunks, for files too large to hold (the CLI): rows go to `onRow` as they are parsed.
 * Throws SheetError from write()/end() exactly where readSheet would.
 */
export function createCsvStream(opts: CsvStreamOptions): CsvStream {
  return createCsvStreamImpl(opts);
}
