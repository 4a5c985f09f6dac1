import { describe, expect, it } from 'vitest';
import { previewSheet, readSheet } from '../../../src/shared/sheet';
import { cp1252, expectCode, utf16le, utf8 } from './helpers';

const csv = (text: string, opts: Parameters<typeof readSheet>[1] = { fileName: 'projects.csv' }) =>
  readSheet(utf8(text), opts);

describe('readSheet: CSV', () => {
  it('reads headers and rows with Excel row numbers', () => {
    const data = csv(
      'name,brand_id,phone_number_ids\r\nSpring,brand_1,pn_1\r\nSummer,brand_2,"pn_2,pn_3"\r\n',
    );
    expect(data).toEqual({
      format: 'csv',
      sheetNames: [],
      sheet: null,
      encoding: 'utf-8',
      delimiter: ',',
      headerRow: 1,
      headers: ['name', 'brand_id', 'phone_number_ids'],
      rows: [
        { row: 2, cells: ['Spring', 'brand_1', 'pn_1'] },
        { row: 3, cells: ['Summer', 'brand_2', 'pn_2,pn_3'] },
      ],
      notes: [],
    });
  });

  it('counts a quoted cell with new lines as one row', () => {
    const data = csv('name,message\n"A","line one\nline two\r\nline three"\nB,plain\n');
    expect(data.rows).toEqual([
      { row: 2, cells: ['A', 'line one\nline two\r\nline three'] },
      { row: 3, cells: ['B', 'plain'] },
    ]);
  });

  it('keeps ids with leading zeros and long digits exactly as typed', () => {
    const data = csv('id,n\n007,12345678901234567890\n1.50,1E+10\n');
    expect(data.rows.map((r) => r.cells)).toEqual([
      ['007', '12345678901234567890'],
      ['1.50', '1E+10'],
    ]);
  });

  it('skips blank rows but keeps the numbering', () => {
    const data = csv('a,b\n1,2\n\n,\n  , \n3,4\n');
    expect(data.rows).toEqual([
      { row: 2, cells: ['1', '2'] },
      { row: 6, cells: ['3', '4'] },
    ]);
  });

  it('takes the first non-empty row as the header, trimmed, and pads or cuts rows to its width', () => {
    const data = csv('\n\n  Name , Brand ID ,\nA\nB,b,extra,more\n');
    expect(data.headerRow).toBe(3);
    expect(data.headers).toEqual(['Name', 'Brand ID']);
    expect(data.rows).toEqual([
      { row: 4, cells: ['A', ''] },
      { row: 5, cells: ['B', 'b'] },
    ]);
  });

  it('uses a chosen header row and ignores the lines above it', () => {
    const data = csv('Import for March\n\nname;brand_id\nA;b1\n', { fileName: 'x.csv', headerRow: 3 });
    expect(data.delimiter).toBe(';');
    expect(data.headers).toEqual(['name', 'brand_id']);
    expect(data.rows).toEqual([{ row: 4, cells: ['A', 'b1'] }]);
  });

  it('refuses a chosen header row that is blank or past the end', () => {
    expectCode(() => csv('a,b\n\n1,2\n', { fileName: 'x.csv', headerRow: 2 }), 'no_header');
    expectCode(() => csv('a,b\n1,2\n', { fileName: 'x.csv', headerRow: 9 }), 'no_header');
    expectCode(() => csv('a,b\n1,2\n', { fileName: 'x.csv', headerRow: 0 }), 'no_header');
  });

  it('detects semicolons and tabs, and honours an explicit delimiter', () => {
    expect(csv('a;b\n1;2,5\n').rows[0]!.cells).toEqual(['1', '2,5']);
    expect(csv('a\tb\n1\t2\n').delimiter).toBe('\t');
    expect(csv('a;b\n1;2\n', { fileName: 'x.csv', delimiter: ',' }).headers).toEqual(['a;b']);
  });

  it('strips the BOM and reads UTF-16 files from Excel', () => {
    expect(
      readSheet(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('name\nA\n')]), { fileName: 'x.csv' }).headers,
    ).toEqual(['name']);
    const data = readSheet(utf16le('name\tbrand\r\nJosé\tb1\r\n', true), { fileName: 'x.csv' });
    expect(data.encoding).toBe('utf-16le');
    expect(data.delimiter).toBe('\t');
    expect(data.rows).toEqual([{ row: 2, cells: ['José', 'b1'] }]);
  });

  it('reads Windows-1252 and an explicit encoding', () => {
    expect(readSheet(cp1252('name\nRené\n'), { fileName: 'x.csv' }).rows[0]!.cells).toEqual(['René']);
    expect(
      readSheet(utf8('name\nRené\n'), { fileName: 'x.csv', encoding: 'windows-1252' }).rows[0]!.cells,
    ).toEqual(['RenÃ©']);
  });

  it('accepts a header row with no data rows', () => {
    const data = csv('name,brand_id\n');
    expect(data.headers).toEqual(['name', 'brand_id']);
    expect(data.rows).toEqual([]);
  });

  it('refuses an empty file: 0 bytes, only whitespace, only separators', () => {
    expectCode(() => readSheet(new Uint8Array(0), { fileName: 'x.csv' }), 'empty_file');
    expectCode(() => csv(' \r\n\t\n  '), 'empty_file');
    expectCode(() => csv(',,,\n,,\n'), 'empty_file');
    expectCode(() => csv(';;\n;\n'), 'empty_file');
    expectCode(() => readSheet(new Uint8Array([0xef, 0xbb, 0xbf]), { fileName: 'x.csv' }), 'empty_file');
  });

  it('refuses binary content named .csv', () => {
    const png = new Uint8Array(4096);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (let i = 8; i < png.length; i++) png[i] = (i * 7919) & 0xff;
    expectCode(() => readSheet(png, { fileName: 'photo.csv' }), 'binary_file');
    expectCode(
      () => readSheet(new Uint8Array([0, 0, 0, 1, 2, 3, 0, 0]), { fileName: 'x.csv' }),
      'binary_file',
    );
    const pdf = utf8('%PDF-1.7\n' + String.fromCharCode(...Array.from({ length: 200 }, (_, i) => i % 32)));
    expectCode(() => readSheet(pdf, { fileName: 'letter.csv' }), 'binary_file');
  });

  it('refuses a quotation mark that is never closed, naming the row', () => {
    const e = expectCode(() => csv('a,b\n1,2\n3,"unclosed\n4,5\n'), 'corrupt_file');
    expect(e.message).toContain('Row 3');
  });

  it('refuses a misplaced quotation mark that would merge rows, accepts quotes inside a cell', () => {
    const e = expectCode(() => csv('name,msg\nA,"Hi" she said\nB,x\nC,"y"\n'), 'corrupt_file');
    expect(e.message).toContain('Row 2');
    expectCode(() => csv('name,msg\nA,"Hi" she said\n'), 'corrupt_file');
    expect(csv('name,msg\nA,He said "hi"\n').rows).toEqual([{ row: 2, cells: ['A', 'He said "hi"'] }]);
  });

  it('refuses 20,000 columns', () => {
    const header = Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',');
    const e = expectCode(() => csv(`${header}\n`), 'too_many_columns');
    expect(e.message).toContain('20,000');
  });

  it('allows trailing empty cells past the column limit', () => {
    const data = csv('a,b\n1,2' + ','.repeat(5000) + '\n');
    expect(data.rows[0]!.cells).toEqual(['1', '2']);
  });

  it('refuses a 5 MB cell', () => {
    const e = expectCode(() => csv(`name,message\nA,"${'x'.repeat(5 * 1024 * 1024)}"\n`), 'cell_too_long');
    expect(e.message).toContain('row 2, column B');
  });

  it('refuses files over the size limit and too many rows', () => {
    expectCode(() => csv('a\n1\n2\n', { fileName: 'x.csv', limits: { maxFileBytes: 4 } }), 'too_large');
    expectCode(() => csv('a\n1\n2\n3\n', { fileName: 'x.csv', limits: { maxRows: 3 } }), 'too_many_rows');
    // Exactly at the limit, with a final line break, is fine.
    expect(csv('a\n1\n2\n', { fileName: 'x.csv', limits: { maxRows: 3 } }).rows).toHaveLength(2);
  });

  it('reads 100,000 rows quickly', () => {
    const lines = ['name,brand_id,campaign_id,phone_number_ids,message_text'];
    for (let i = 0; i < 100_000; i++)
      lines.push(`Project ${i},brand_${i},camp_${i},"pn_${i},pn_${i + 1}",Hello {first_name}`);
    const bytes = utf8(lines.join('\r\n'));
    const start = performance.now();
    const data = readSheet(bytes, { fileName: 'big.csv' });
    const ms = performance.now() - start;
    expect(data.rows).toHaveLength(100_000);
    expect(data.rows[99_999]).toEqual({
      row: 100_001,
      cells: ['Project 99999', 'brand_99999', 'camp_99999', 'pn_99999,pn_100000', 'Hello {first_name}'],
    });
    expect(ms).toBeLessThan(3000);
  });
});

describe('previewSheet: CSV', () => {
  it('returns raw lines, blank ones included, and suggests the header under a title', () => {
    const p = previewSheet(utf8('Spring import\n\nname;brand_id;channel\nA;b;10dlc\n'), {
      fileName: 'x.csv',
    });
    expect(p.lines).toEqual([
      { row: 1, cells: ['Spring import'] },
      { row: 2, cells: [''] },
      { row: 3, cells: ['name', 'brand_id', 'channel'] },
      { row: 4, cells: ['A', 'b', '10dlc'] },
    ]);
    expect(p).toMatchObject({
      encoding: 'utf-8',
      delimiter: ';',
      sheetNames: [],
      sheet: null,
      suggestedHeaderRow: 3,
    });
  });

  it('stops after maxLines and numbers records, not physical lines', () => {
    const p = previewSheet(utf8('a,b\n"x\ny",1\nc,2\nd,3\n'), { fileName: 'x.csv' }, 2);
    expect(p.lines).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x\ny', '1'] },
    ]);
  });

  it('refuses empty and binary files like readSheet', () => {
    expectCode(() => previewSheet(new Uint8Array(0), { fileName: 'x.csv' }), 'empty_file');
    expectCode(() => previewSheet(new Uint8Array(64), { fileName: 'x.csv' }), 'binary_file');
  });
});
