/**
 * A sheet held column by column: each column is one long string and an offsets array, so a million
 * rows cost a few dozen objects instead of millions, cross the worker boundary as a few copies, and a
 * cell is a cheap slice.
 */
export interface Columnar {
  /** Number of data rows. */
  n: number;
  /** One string per column: every cell of the column, concatenated in row order. */
  cols: string[];
  /** Per column, n + 1 offsets into `cols[c]`: cell r is `cols[c].slice(offs[c][r], offs[c][r + 1])`. */
  offs: Uint32Array[];
}

export function buildColumnar(rows: ReadonlyArray<{ cells: readonly string[] }>, width: number): Columnar {
  const n = rows.length;
  const cols: string[] = [];
  const offs: Uint32Array[] = [];
  for (let c = 0; c < width; c++) {
    const off = new Uint32Array(n + 1);
    const parts = new Array<string>(n);
    let at = 0;
    for (let r = 0; r < n; r++) {
      const cell = rows[r]!.cells[c] ?? '';
      parts[r] = cell;
      at += cell.length;
      off[r + 1] = at;
    }
    cols.push(parts.join(''));
    offs.push(off);
  }
  return { n, cols, offs };
}

export function columnarCell(data: Columnar, r: number, c: number): string {
  const off = data.offs[c];
  if (!off) return '';
  return data.cols[c]!.slice(off[r]!, off[r + 1]!);
}
