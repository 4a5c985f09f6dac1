/**
 * Selection in view coordinates (row = position in the filtered view, col = column index), and the
 * range operations built on it: copy, paste, fill down, clear, rows to delete.
 */
import type { CellChange, SheetModel } from './sheet';
import { parseTsv, toTsv } from './tsv';

export interface CellPos {
  row: number;
  col: number;
}

export interface Selection {
  anchor: CellPos;
  focus: CellPos;
}

export interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export function rangeOf(sel: Selection): Range {
  return {
    top: Math.min(sel.anchor.row, sel.focus.row),
    bottom: Math.max(sel.anchor.row, sel.focus.row),
    left: Math.min(sel.anchor.col, sel.focus.col),
    right: Math.max(sel.anchor.col, sel.focus.col),
  };
}

export function single(pos: CellPos): Selection {
  return { anchor: pos, focus: pos };
}

export function inRange(r: Range, row: number, col: number): boolean {
  return row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
}

export function clampPos(pos: CellPos, rows: number, cols: number): CellPos {
  return {
    row: Math.max(0, Math.min(rows - 1, pos.row)),
    col: Math.max(0, Math.min(cols - 1, pos.col)),
  };
}

export function rangeSize(r: Range): number {
  return (r.bottom - r.top + 1) * (r.right - r.left + 1);
}

/** The selected cells as clipboard text. */
export function copyText(model: SheetModel, view: Int32Array, r: Range): string {
  const rows: string[][] = [];
  for (let i = r.top; i <= r.bottom && i < view.length; i++) {
    const phys = view[i]!;
    const cells: string[] = [];
    for (let c = r.left; c <= r.right; c++) cells.push(model.cell(phys, c));
    rows.push(cells);
  }
  return toTsv(rows);
}

/**
 * Cells a paste changes. One copied cell fills the whole selection; a block is pasted from the
 * selection's top-left corner (or repeated over a selection that is a whole multiple of it, as
 * spreadsheets do), clipped at the sheet's edges.
 */
export function pasteChanges(model: SheetModel, view: Int32Array, r: Range, text: string): CellChange[] {
  const block = parseTsv(text);
  const height = block.length;
  const width = Math.max(...block.map((b) => b.length));
  const selH = r.bottom - r.top + 1;
  const selW = r.right - r.left + 1;
  let rows = height;
  let cols = width;
  if (selH % height === 0 && selW % width === 0) {
    rows = selH;
    cols = selW;
  }
  const out: CellChange[] = [];
  for (let i = 0; i < rows && r.top + i < view.length; i++) {
    const phys = view[r.top + i]!;
    const src = block[i % height]!;
    for (let j = 0; j < cols && r.left + j < model.nCols; j++) {
      out.push({ row: phys, col: r.left + j, value: src[j % width] ?? '' });
    }
  }
  return out;
}

/** Copy the top row of the selection into every row below it. */
export function fillDownChanges(model: SheetModel, view: Int32Array, r: Range): CellChange[] {
  const out: CellChange[] = [];
  if (r.bottom <= r.top) return out;
  const top = view[r.top]!;
  for (let c = r.left; c <= r.right; c++) {
    const value = model.cell(top, c);
    for (let i = r.top + 1; i <= r.bottom && i < view.length; i++) out.push({ row: view[i]!, col: c, value });
  }
  return out;
}

export function clearChanges(view: Int32Array, r: Range): CellChange[] {
  const out: CellChange[] = [];
  for (let i = r.top; i <= r.bottom && i < view.length; i++) {
    for (let c = r.left; c <= r.right; c++) out.push({ row: view[i]!, col: c, value: '' });
  }
  return out;
}

export function rowsOf(view: Int32Array, r: Range): number[] {
  const out: number[] = [];
  for (let i = r.top; i <= r.bottom && i < view.length; i++) out.push(view[i]!);
  return out;
}

/** Position of a physical row in a view (views are in ascending physical order), or -1. */
export function viewIndexOf(view: Int32Array, phys: number): number {
  let lo = 0;
  let hi = view.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = view[mid]!;
    if (v === phys) return mid;
    if (v < phys) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The first view position at or after a physical row (views are ascending), or view.length. */
export function viewIndexAtOrAfter(view: Int32Array, phys: number): number {
  let lo = 0;
  let hi = view.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (view[mid]! < phys) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
