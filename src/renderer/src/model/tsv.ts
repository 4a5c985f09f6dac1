/**
 * Clipboard text in the format spreadsheets exchange: tab-separated cells, one line per row, and a
 * cell holding a tab, a line break or a quote wrapped in quotes with quotes doubled (as Excel,
 * LibreOffice and Google Sheets write and read it).
 */

export function toTsv(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((cells) => cells.map(quoteTsvCell).join('\t')).join('\r\n');
}

function quoteTsvCell(cell: string): string {
  return /[\t\r\n"]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Parse clipboard text into rows of cells. A trailing line break (Excel adds one) does not make an
 * extra empty row. Quotes only open a quoted cell at the start of a cell.
 */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const n = text.length;
  let cellStart = true;
  while (i < n) {
    const ch = text[i]!;
    if (cellStart && ch === '"') {
      // Quoted cell: runs to the closing quote that is followed by a separator or the end.
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < n) {
        const cj = text[j]!;
        if (cj === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          const next = text[j + 1];
          if (next === undefined || next === '\t' || next === '\n' || next === '\r') {
            closed = true;
            j++;
            break;
          }
          // A quote in the middle: not a quoted cell after all.
          break;
        }
        value += cj;
        j++;
      }
      if (closed) {
        cell = value;
        i = j;
        cellStart = false;
        continue;
      }
      // Not a well-formed quoted cell: read it as plain text.
    }
    cellStart = false;
    if (ch === '\t') {
      row.push(cell);
      cell = '';
      cellStart = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      cellStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += ch;
      i++;
    }
  }
  if (!cellStart || row.length > 0 || cell !== '') {
    row.push(cell);
    rows.push(row);
  } else if (rows.length === 0 && n === 0) {
    return [['']];
  }
  return rows;
}
