/**
 * Find and replace over the whole sheet. Each column is searched as one string (indexOf), so a
 * million rows take milliseconds; edited cells are searched on their own.
 */
import type { CellChange, SheetModel } from './sheet';
import { onlySpaces, trimSpaces } from './spaces';

/** What find needs of a sheet: its columns as read, the edits, the rows left. */
export interface Searchable {
  nCols: number;
  n: number;
  columnText(c: number): { text: string; offs: Uint32Array };
  /** The column lower-cased, or '' when lower-casing changes its length (then cells are checked one by one). */
  lowerColumn(c: number): string;
  editedCells(): Iterable<[number, string]>;
  isAlive(r: number): boolean;
}

export interface FindOptions {
  matchCase: boolean;
  /** The cell is the query, spaces around either aside (" Rivera for Senate " is "Rivera for Senate"). */
  wholeCell: boolean;
  /** Only this column, or every column when null. */
  column: number | null;
}

/** Matching cells as keys (row * columns + column), ascending — which is the grid's order. */
export function findCells(model: Searchable, query: string, opts: FindOptions, limit = 5_000_000): number[] {
  const wanted = opts.wholeCell ? trimSpaces(query) : query;
  if (wanted === '') return [];
  const nCols = model.nCols;
  const q = opts.matchCase ? wanted : wanted.toLowerCase();
  const out: number[] = [];
  const columns = opts.column === null ? [...Array(nCols).keys()] : [opts.column];
  for (const c of columns) {
    const { text: raw, offs } = model.columnText(c);
    let text = raw;
    if (!opts.matchCase) {
      text = model.lowerColumn(c);
      if (text === '' && raw !== '') {
        // Lower-casing changed lengths: check cell by cell.
        for (let r = 0; r < model.n; r++) {
          if (matches(raw.slice(offs[r]!, offs[r + 1]!), q, opts)) out.push(r * nCols + c);
        }
        continue;
      }
    }
    let from = 0;
    let r = 0;
    while (out.length < limit) {
      const at = text.indexOf(q, from);
      if (at === -1) break;
      // The row holding position `at`: offsets only grow, so search forward from the last one.
      if (offs[r + 1]! <= at) {
        let lo = r + 1;
        let hi = model.n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (offs[mid + 1]! <= at) lo = mid + 1;
          else hi = mid;
        }
        r = lo;
      }
      const start = offs[r]!;
      const end = offs[r + 1]!;
      if (
        at + q.length <= end &&
        (!opts.wholeCell || (onlySpaces(text, start, at) && onlySpaces(text, at + q.length, end)))
      ) {
        out.push(r * nCols + c);
        from = end;
      } else {
        from = opts.wholeCell ? end : at + 1;
      }
      if (from >= text.length) break;
    }
  }
  // Edited cells: drop matches of the text as read, add matches of the new text.
  const edited = new Map<number, string>(model.editedCells());
  let result = out;
  if (edited.size > 0) {
    result = out.filter((key) => !edited.has(key));
    for (const [key, value] of edited) {
      const c = key % nCols;
      if (opts.column !== null && c !== opts.column) continue;
      if (matches(value, q, opts)) result.push(key);
    }
  }
  const alive = result.filter((key) => model.isAlive(Math.floor(key / nCols)));
  return alive.sort((a, b) => a - b);
}

function matches(cell: string, q: string, opts: FindOptions): boolean {
  const text = opts.matchCase ? cell : cell.toLowerCase();
  return opts.wholeCell ? trimSpaces(text) === q : text.includes(q);
}

/** The cell's text with every occurrence replaced (or the whole cell, for whole-cell matches). */
export function replaceInCell(cell: string, query: string, replacement: string, opts: FindOptions): string {
  if (opts.wholeCell) return replacement;
  if (query === '') return cell;
  if (opts.matchCase) return cell.split(query).join(replacement);
  const lower = cell.toLowerCase();
  const q = query.toLowerCase();
  if (lower.length !== cell.length) {
    return cell.replace(new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), () => replacement);
  }
  let out = '';
  let from = 0;
  for (;;) {
    const at = lower.indexOf(q, from);
    if (at === -1) break;
    out += cell.slice(from, at) + replacement;
    from = at + q.length;
  }
  return out + cell.slice(from);
}

export function replaceChanges(
  model: SheetModel,
  keys: readonly number[],
  query: string,
  replacement: string,
  opts: FindOptions,
): CellChange[] {
  const out: CellChange[] = [];
  for (const key of keys) {
    const row = Math.floor(key / model.nCols);
    const col = key - row * model.nCols;
    if (model.isLocked(row)) continue;
    out.push({ row, col, value: replaceInCell(model.cell(row, col), query, replacement, opts) });
  }
  return out;
}
