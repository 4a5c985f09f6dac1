import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { PREVIEW_MAX_CELL_CHARS, PREVIEW_MAX_COLUMNS, previewSheet } from '../../../src/shared/sheet';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('previewSheet stays small enough to draw, whatever the file', () => {
  it('cuts a huge cell and says so', () => {
    const p = previewSheet(utf8(`name,message_text\nA,${'x'.repeat(5_000)}\n`), { fileName: 'big.csv' });
    const cell = p.lines[1]!.cells[1]!;
    expect(cell.length).toBe(PREVIEW_MAX_CELL_CHARS + 1);
    expect(cell.endsWith('…')).toBe(true);
    const ws = XLSX.utils.aoa_to_sheet([
      ['name', 'message_text'],
      ['A', 'y'.repeat(30_000)],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    expect(previewSheet(bytes, { fileName: 'big.xlsx' }).lines[1]!.cells[1]).toHaveLength(
      PREVIEW_MAX_CELL_CHARS + 1,
    );
  });

  it('keeps only the first columns of a very wide sheet', () => {
    const wide = Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',');
    expect(previewSheet(utf8(`${wide}\n${wide}\n`), { fileName: 'wide.csv' }).lines[0]!.cells).toHaveLength(
      PREVIEW_MAX_COLUMNS,
    );
    const ws = XLSX.utils.aoa_to_sheet([Array.from({ length: 3000 }, (_, i) => `c${i}`)]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    expect(previewSheet(bytes, { fileName: 'wide.xlsx' }).lines[0]!.cells).toHaveLength(PREVIEW_MAX_COLUMNS);
  });

  it('leaves ordinary lines as they are', () => {
    const p = previewSheet(utf8('name,brand_id\nGOTV,b_1\n'), { fileName: 'ok.csv' });
    expect(p.lines.map((l) => l.cells)).toEqual([
      ['name', 'brand_id'],
      ['GOTV', 'b_1'],
    ]);
  });
});
