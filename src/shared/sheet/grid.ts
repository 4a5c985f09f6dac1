/**
 * Turns raw records (as the file has them) into headers and data rows: finds the header row, skips
 * blank rows while keeping their numbers, pads or cuts every row to the header width, and enforces
 * the column, cell and row limits. Shared by the CSV reader, the CSV stream and the workbook reader.
 */
import { SheetError, formatCount, type SheetLimits, type SheetRow } from './types';

/** True when every cell is empty or only spaces. Cheap for the usual row: stops at the first text. */
export function isBlankRow(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.length !== 0 && (c.charCodeAt(0) > 32 || c.trim().length !== 0)) return false;
  }
  return true;
}

function lastNonEmpty(cells: readonly string[]): number {
  let i = cells.length - 1;
  while (i >= 0 && cells[i]!.trim().length === 0) i--;
  return i;
}

export class GridBuilder {
  headers: string[] | null = null;
  headerRow = 0;
  private sawText = false;
  private lastRow = 0;
  private readonly maxColumns: number;
  private readonly maxCellChars: number;
  private readonly maxRows: number;

  constructor(
    limits: SheetLimits,
    private readonly wantedHeaderRow: number | undefined,
    private readonly onHeader: (headers: string[], headerRow: number) => void,
    private readonly onRow: (row: SheetRow) => void,
  ) {
    this.maxColumns = limits.maxColumns;
    this.maxCellChars = limits.maxCellChars;
    this.maxRows = limits.maxRows;
    if (wantedHeaderRow !== undefined && !(Number.isInteger(wantedHeaderRow) && wantedHeaderRow >= 1)) {
      throw new SheetError(
        'no_header',
        `The header row must be a row number such as 1 or 2, not "${String(wantedHeaderRow)}".`,
      );
    }
  }

  /** One record, in file order. `cells` may be kept (not copied) when it already has the header width. */
  push(rowNumber: number, cells: string[]): void {
    this.lastRow = rowNumber;
    const maxChars = this.maxCellChars;
    let blank = true;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const len = c.length;
      if (len === 0) continue;
      if (len > maxChars) throw this.cellTooLong(rowNumber, i, len);
      if (blank && (c.charCodeAt(0) > 32 || c.trim().length !== 0)) blank = false;
    }
    if (blank) return;
    this.sawText = true;
    if (cells.length > this.maxColumns && lastNonEmpty(cells) >= this.maxColumns) {
      throw new SheetError(
        'too_many_columns',
        `Row ${rowNumber} has ${formatCount(lastNonEmpty(cells) + 1)} columns; at most ${formatCount(this.maxColumns)} are supported. ` +
          'Delete the columns you do not need, or check that the right separator is used.',
      );
    }
    if (rowNumber > this.maxRows) {
      throw new SheetError(
        'too_many_rows',
        `This sheet has more than ${formatCount(this.maxRows)} rows, which is more than can be imported at once. ` +
          'Split it into smaller files.',
      );
    }
    const headers = this.headers;
    if (headers === null) {
      const wanted = this.wantedHeaderRow;
      if (wanted !== undefined && rowNumber !== wanted) {
        if (rowNumber > wanted) throw this.blankHeaderRow(wanted);
        return;
      }
      const end = lastNonEmpty(cells) + 1;
      const h = new Array<string>(end);
      for (let i = 0; i < end; i++) h[i] = cells[i]!.trim();
      this.headers = h;
      this.headerRow = rowNumber;
      this.onHeader(h, rowNumber);
      return;
    }
    const width = headers.length;
    let out = cells;
    if (cells.length !== width) {
      out =
        cells.length > width
          ? cells.slice(0, width)
          : cells.concat(new Array<string>(width - cells.length).fill(''));
    }
    this.onRow({ row: rowNumber, cells: out });
  }

  /** End of input: throws when there never was a header row. */
  finish(): void {
    if (this.headers !== null) return;
    const wanted = this.wantedHeaderRow;
    if (wanted !== undefined && this.sawText) {
      if (wanted > this.lastRow) {
        throw new SheetError(
          'no_header',
          `Row ${wanted} was chosen as the header row, but the sheet ends at row ${this.lastRow}. Choose the row that holds the column names.`,
        );
      }
      throw this.blankHeaderRow(wanted);
    }
    throw new SheetError(
      'empty_file',
      'This sheet is empty: there is no text in any cell. Check that you chose the right file (and the right sheet), then save it again.',
    );
  }

  private blankHeaderRow(wanted: number): SheetError {
    return new SheetError(
      'no_header',
      `Row ${wanted} was chosen as the header row, but it is empty. Choose the row that holds the column names.`,
    );
  }

  private cellTooLong(rowNumber: number, column: number, length: number): SheetError {
    return new SheetError(
      'cell_too_long',
      `The cell in row ${rowNumber}, column ${columnName(column)} holds ${formatCount(length)} characters; ` +
        `at most ${formatCount(this.maxCellChars)} are allowed in one cell. ` +
        'Shorten it. In a CSV file this often means a quotation mark (") that is never closed: check that row in a text editor.',
    );
  }
}

/** 0 -> "A", 25 -> "Z", 26 -> "AA": the column letters Excel shows. */
export function columnName(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * The picker's guess for the header row: skips title lines above the table by taking the first row
 * that has at least half as many filled cells as the fullest row in the preview.
 */
export function suggestHeaderRow(lines: readonly SheetRow[]): number {
  let most = 0;
  const counts = lines.map((l) => {
    let n = 0;
    for (const c of l.cells) if (c.trim().length !== 0) n++;
    if (n > most) most = n;
    return n;
  });
  if (most === 0) return lines[0]?.row ?? 1;
  const need = Math.max(1, Math.ceil(most / 2));
  for (let i = 0; i < lines.length; i++) if (counts[i]! >= need) return lines[i]!.row;
  return lines[0]?.row ?? 1;
}
