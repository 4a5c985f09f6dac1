/**
 * XLSX, XLS and ODS through SheetJS. Every cell becomes text the way a person would type it again:
 * ids never turn into numbers in exponent form, dates keep their displayed text.
 */
import * as XLSX from 'xlsx';
import { checkZipSizes, isCfb, isZip, readZipDirectory, zipSpreadsheetKind } from './detect';
import { GridBuilder, suggestHeaderRow } from './grid';
import { checkZipParts } from './unpack';
import {
  SheetError,
  formatBytes,
  formatCount,
  resolveLimits,
  type CellNote,
  type ReadOptions,
  type SheetData,
  type SheetFormat,
  type SheetLimits,
  type SheetPreview,
  type SheetRow,
} from './types';

interface CfbEntry {
  name: string;
}
interface CfbContainer {
  FileIndex: CfbEntry[];
}
interface CfbApi {
  read(data: Uint8Array, opts: { type: 'array' }): CfbContainer;
}

function encryptedError(fileName: string): SheetError {
  return new SheetError(
    'encrypted_file',
    `"${fileName}" is protected with a password, so it cannot be read. ` +
      'Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear it), save, and try again.',
  );
}

function corruptError(fileName: string, format: SheetFormat): SheetError {
  const kind = format === 'ods' ? 'OpenDocument spreadsheet' : 'Excel workbook';
  return new SheetError(
    'corrupt_file',
    `"${fileName}" could not be read as an ${kind}: it is damaged or not really a spreadsheet. ` +
      'Open it in Excel or LibreOffice and save it again as .xlsx, or export the sheet as CSV.',
  );
}

/**
 * Checks that need no parsing: size, zip bomb, zip contents, encryption. Returns the format, made
 * exact from the zip's part names (an ODS named .xlsx is still ODS).
 */
function precheck(
  bytes: Uint8Array,
  opts: ReadOptions,
  format: SheetFormat,
  limits: SheetLimits,
): SheetFormat {
  if (bytes.length > limits.maxFileBytes) {
    throw new SheetError(
      'too_large',
      `"${opts.fileName}" is ${formatBytes(bytes.length)}; workbooks up to ${formatBytes(limits.maxFileBytes)} can be imported. ` +
        'Delete unneeded sheets or pictures, or export the sheet as CSV.',
    );
  }
  if (isZip(bytes)) {
    const entries = readZipDirectory(bytes, opts.fileName);
    checkZipSizes(entries, limits.maxUncompressedBytes, opts.fileName);
    const kind = zipSpreadsheetKind(entries);
    if (kind === null) {
      throw new SheetError(
        'unsupported_format',
        `"${opts.fileName}" is a zip archive but not an Excel or OpenDocument spreadsheet (it may be a Word file, a Numbers file or a folder of files). ` +
          'Open it in the program that made it and export the sheet as .xlsx or CSV.',
      );
    }
    checkZipParts(bytes, entries, opts.fileName);
    return kind;
  } else if (isCfb(bytes)) {
    let container: CfbContainer;
    try {
      container = (XLSX.CFB as CfbApi).read(bytes, { type: 'array' });
    } catch {
      throw corruptError(opts.fileName, format);
    }
    for (const entry of container.FileIndex) {
      if (entry.name === 'EncryptionInfo' || entry.name === 'EncryptedPackage')
        throw encryptedError(opts.fileName);
    }
  }
  return format;
}

function parse(
  bytes: Uint8Array,
  opts: ReadOptions,
  format: SheetFormat,
  extra: XLSX.ParsingOptions,
): XLSX.WorkBook {
  try {
    return XLSX.read(bytes, {
      type: 'array',
      dense: true,
      cellDates: true,
      cellNF: true,
      cellHTML: false,
      cellFormula: false,
      raw: true,
      ...extra,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(message)) throw encryptedError(opts.fileName);
    throw corruptError(opts.fileName, format);
  }
}

interface BookInfo {
  names: string[];
  hidden: string[];
}

function bookInfo(wb: XLSX.WorkBook): BookInfo {
  const names = wb.SheetNames.slice();
  const hidden: string[] = [];
  const props = wb.Workbook?.Sheets;
  if (props) {
    props.forEach((p, i) => {
      const name = p.name ?? names[i];
      if (name !== undefined && p.Hidden) hidden.push(name);
    });
  }
  return { names, hidden };
}

function chooseSheet(info: BookInfo, wanted: string | undefined, fileName: string): string {
  if (info.names.length === 0) {
    throw new SheetError('empty_file', `"${fileName}" has no sheets. Check that you chose the right file.`);
  }
  if (wanted !== undefined) {
    if (info.names.includes(wanted)) return wanted;
    const loose = wanted.trim().toLowerCase();
    const match = info.names.find((n) => n.trim().toLowerCase() === loose);
    if (match !== undefined) return match;
    throw new SheetError(
      'unknown_sheet',
      `"${fileName}" has no sheet named "${wanted}". Its sheets are: ${info.names.map((n) => `"${n}"`).join(', ')}. Choose one of those.`,
    );
  }
  return info.names.find((n) => !info.hidden.includes(n)) ?? info.names[0]!;
}

/** Reads the workbook structure (names, hidden flags) and then only the sheet that is needed. */
function openSheet(
  bytes: Uint8Array,
  opts: ReadOptions,
  format: SheetFormat,
  limits: SheetLimits,
  sheetRows: number,
): { info: BookInfo; name: string; ws: XLSX.WorkSheet; format: SheetFormat } {
  format = precheck(bytes, opts, format, limits);
  // For XLSX the structure can be read without parsing any sheet; other formats parse in one pass.
  const structure = format === 'xlsx' ? parse(bytes, opts, format, { sheets: [] }) : null;
  let wb = structure ?? parse(bytes, opts, format, { sheetRows });
  const info = bookInfo(wb);
  const name = chooseSheet(info, opts.sheet, opts.fileName);
  if (structure) wb = parse(bytes, opts, format, { sheets: name, sheetRows });
  const ws = wb.Sheets[name];
  if (!ws) throw corruptError(opts.fileName, format);
  return { info, name, ws, format };
}

export function listWorkbookSheets(bytes: Uint8Array, opts: ReadOptions, format: SheetFormat): BookInfo {
  const limits = resolveLimits(format, opts.limits);
  format = precheck(bytes, opts, format, limits);
  return bookInfo(parse(bytes, opts, format, format === 'xlsx' ? { sheets: [] } : { sheetRows: 1 }));
}

type DenseSheet = XLSX.WorkSheet & { '!data'?: (XLSX.CellObject | undefined)[][] };

const LOST_DIGITS = 'number_lost_digits';

/** Text of one cell, recording a note when the value may not be what was typed. */
function cellText(
  cell: XLSX.CellObject | undefined,
  notes: CellNote[] | null,
  row: number,
  column: number,
): string {
  if (!cell) return '';
  const v = cell.v;
  switch (cell.t) {
    case 's':
      return v === undefined || v === null ? '' : String(v);
    case 'n':
      return typeof v === 'number' ? numberText(v, cell.w, notes, row, column) : (cell.w ?? '');
    case 'b':
      return v ? 'TRUE' : 'FALSE';
    case 'd':
      return cell.w ?? (v instanceof Date ? v.toISOString() : String(v ?? ''));
    case 'e': {
      const text = cell.w ?? '#ERROR';
      notes?.push({
        row,
        column,
        code: 'error_cell',
        message: `This cell shows the Excel error ${text}, so it has no usable value. Fix the formula, or type the value in.`,
      });
      return text;
    }
    default:
      return cell.w ?? (v === undefined || v === null ? '' : String(v));
  }
}

function isExponentText(w: string | undefined): boolean {
  if (w === undefined) return false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if ((c === 69 || c === 101) && i > 0 && i + 1 < w.length) {
      const n = w.charCodeAt(i + 1);
      if (n === 43 || n === 45 || (n >= 48 && n <= 57)) {
        const p = w.charCodeAt(i - 1);
        if (p >= 48 && p <= 57) return true;
      }
    }
  }
  return false;
}

/** Plain decimal text of a number (no exponent), from its shortest round-trip form. */
export function plainNumberText(v: number): string {
  const s = String(v);
  const e = s.search(/e/i);
  if (e === -1) return s;
  const sign = s.startsWith('-') ? '-' : '';
  const mantissa = s.slice(sign.length, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const pointAt = (dot === -1 ? mantissa.length : dot) + exp;
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

function significantDigits(plain: string): number {
  let start = 0;
  let end = plain.length;
  while (start < end && (plain[start] === '-' || plain[start] === '0' || plain[start] === '.')) start++;
  const dot = plain.indexOf('.');
  if (dot === -1) while (end > start && plain[end - 1] === '0') end--;
  let n = 0;
  for (let i = start; i < end; i++) if (plain[i] !== '.') n++;
  return n;
}

function isDigits(w: string): boolean {
  let i = w.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= w.length) return false;
  for (; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function numberText(
  v: number,
  w: string | undefined,
  notes: CellNote[] | null,
  row: number,
  column: number,
): string {
  const plain = plainNumberText(v);
  const exponent = isExponentText(w);
  let text: string;
  if (Number.isInteger(v)) {
    // A zero-padded format ("00000") shows what was meant; anything else (1.23E+10, 1,234, $1,234.00)
    // gives way to the full integer.
    text = w !== undefined && isDigits(w) && w.length > plain.length && Number(w) === v ? w : plain;
  } else {
    text = w !== undefined && w !== '' && !exponent ? w : plain;
  }
  const lost = exponent || significantDigits(plain) > 15 || (Number.isInteger(v) && !Number.isSafeInteger(v));
  if (lost && notes) {
    const shown = w !== undefined && w !== text ? `Excel shows ${w}, read as ${text}` : `read as ${text}`;
    notes.push({
      row,
      column,
      code: LOST_DIGITS,
      message: `This cell was stored by Excel as a number and may have lost digits (${shown}). Format the column as Text and type the value again.`,
    });
  }
  return text;
}

interface GridRange {
  firstCol: number;
  lastRow: number;
}

function sheetRange(ws: XLSX.WorkSheet): GridRange | null {
  const ref = ws['!ref'];
  if (!ref) return null;
  const r = XLSX.utils.decode_range(ref);
  return { firstCol: r.s.c, lastRow: r.e.r };
}

function fullRowCount(ws: XLSX.WorkSheet): number {
  const ref = (ws as { '!fullref'?: string })['!fullref'] ?? ws['!ref'];
  return ref ? XLSX.utils.decode_range(ref).e.r + 1 : 0;
}

/** Cells of one sheet row from the range's first column to the last filled cell. */
function rowCells(
  data: (XLSX.CellObject | undefined)[] | undefined,
  firstCol: number,
  notes: CellNote[] | null,
  rowNumber: number,
): string[] {
  if (!data) return [];
  let last = data.length - 1;
  while (last >= firstCol) {
    const c = data[last];
    if (c && c.t !== 'z' && !(c.t === 's' && c.v === '')) break;
    last--;
  }
  const cells = new Array<string>(Math.max(0, last - firstCol + 1));
  for (let c = firstCol; c <= last; c++)
    cells[c - firstCol] = cellText(data[c], notes, rowNumber, c - firstCol);
  return cells;
}

export function readWorkbook(bytes: Uint8Array, opts: ReadOptions, format: SheetFormat): SheetData {
  const limits = resolveLimits(format, opts.limits);
  const opened = openSheet(bytes, opts, format, limits, limits.maxRows + 1);
  const { info, name, ws } = opened;
  const usedRows = fullRowCount(ws);
  if (usedRows > limits.maxRows) {
    // Rows past the limit were not even parsed (memory stays bounded), so the used range decides.
    throw new SheetError(
      'too_many_rows',
      `The sheet "${name}" goes down to row ${formatCount(usedRows)}; at most ${formatCount(limits.maxRows)} rows can be imported at once. ` +
        'Split it into smaller files. If the rows below your data look empty, select them in Excel, delete them, and save.',
    );
  }
  const rows: SheetRow[] = [];
  const rawNotes: CellNote[] = [];
  let headers: string[] = [];
  const builder = new GridBuilder(
    limits,
    opts.headerRow,
    (h) => (headers = h),
    (r) => rows.push(r),
  );
  const range = sheetRange(ws);
  if (range) {
    const data = (ws as DenseSheet)['!data'] ?? [];
    const end = Math.min(range.lastRow, data.length - 1);
    for (let r = 0; r <= end; r++) {
      const rowData = data[r];
      if (!rowData) continue;
      builder.push(r + 1, rowCells(rowData, range.firstCol, rawNotes, r + 1));
    }
  }
  builder.finish();
  const width = headers.length;
  const headerRow = builder.headerRow;
  const notes = rawNotes.filter((n) => n.row > headerRow && n.column < width);
  return {
    format: opened.format,
    sheetNames: info.names,
    sheet: name,
    encoding: null,
    delimiter: null,
    headerRow,
    headers,
    rows,
    notes,
  };
}

export function previewWorkbook(
  bytes: Uint8Array,
  opts: ReadOptions,
  format: SheetFormat,
  maxLines: number,
): SheetPreview {
  const limits = resolveLimits(format, opts.limits);
  const { info, name, ws } = openSheet(bytes, opts, format, limits, maxLines);
  const range = sheetRange(ws);
  const data = (ws as DenseSheet)['!data'] ?? [];
  const lines: SheetRow[] = [];
  const last = range ? Math.min(range.lastRow, data.length - 1, maxLines - 1) : -1;
  for (let r = 0; r <= last; r++)
    lines.push({ row: r + 1, cells: rowCells(data[r], range!.firstCol, null, r + 1) });
  return {
    lines,
    encoding: null,
    delimiter: null,
    sheetNames: info.names,
    sheet: name,
    suggestedHeaderRow: opts.headerRow ?? suggestHeaderRow(lines),
  };
}
