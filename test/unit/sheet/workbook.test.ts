import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { detectFormat, listSheets, previewSheet, readSheet, type CellNote } from '../../../src/shared/sheet';
import { expectCode, utf8 } from './helpers';

type Cell = XLSX.CellObject | string | number | boolean | null;

/** A worksheet from rows of values or raw cell objects (null leaves the cell out). */
function sheet(rows: Cell[][], origin = 'A1'): XLSX.WorkSheet {
  const ws: XLSX.WorkSheet = {};
  const o = XLSX.utils.decode_cell(origin);
  let maxC = o.c;
  let maxR = o.r;
  rows.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === null) return;
      const addr = XLSX.utils.encode_cell({ r: o.r + r, c: o.c + c });
      if (typeof v === 'object') ws[addr] = v;
      else if (typeof v === 'string') ws[addr] = { t: 's', v };
      else if (typeof v === 'number') ws[addr] = { t: 'n', v };
      else ws[addr] = { t: 'b', v };
      maxC = Math.max(maxC, o.c + c);
      maxR = Math.max(maxR, o.r + r);
    }),
  );
  ws['!ref'] = XLSX.utils.encode_range({ s: o, e: { r: maxR, c: maxC } });
  return ws;
}

function book(sheets: Record<string, XLSX.WorkSheet>, hidden: string[] = []): XLSX.WorkBook {
  const names = Object.keys(sheets);
  return {
    SheetNames: names,
    Sheets: sheets,
    Workbook: { Sheets: names.map((name) => ({ name, Hidden: hidden.includes(name) ? 1 : 0 })) },
  };
}

function write(wb: XLSX.WorkBook, bookType: XLSX.BookType = 'xlsx'): Uint8Array {
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType }) as ArrayBuffer);
}

const xlsx = (rows: Cell[][]) => write(book({ Projects: sheet(rows) }));

describe('readSheet: XLSX cells as text', () => {
  it('reads strings, booleans and formula results with Excel row numbers', () => {
    const data = readSheet(
      xlsx([
        ['name', 'opt_out_footer_enabled', 'total'],
        ['Spring', true, { t: 'n', v: 3, f: '1+2' }],
        ['Summer', false, { t: 's', v: 'brand_9', f: '"brand_"&9' }],
      ]),
      { fileName: 'p.xlsx' },
    );
    expect(data).toEqual({
      format: 'xlsx',
      sheetNames: ['Projects'],
      sheet: 'Projects',
      encoding: null,
      delimiter: null,
      headerRow: 1,
      headers: ['name', 'opt_out_footer_enabled', 'total'],
      rows: [
        { row: 2, cells: ['Spring', 'TRUE', '3'] },
        { row: 3, cells: ['Summer', 'FALSE', 'brand_9'] },
      ],
      notes: [],
    });
  });

  it('keeps numeric ids whole and never in exponent form', () => {
    const data = readSheet(
      xlsx([
        ['id'],
        [12345678901],
        [{ t: 'n', v: 12345678901, z: '0.00E+00' }],
        [{ t: 'n', v: 1234, z: '00000' }],
        [{ t: 'n', v: 1234567, z: '#,##0' }],
        [3.25],
        [-42],
      ]),
      { fileName: 'p.xlsx' },
    );
    expect(data.rows.map((r) => r.cells[0])).toEqual([
      '12345678901',
      '12345678901',
      '01234',
      '1234567',
      '3.25',
      '-42',
    ]);
    expect(data.notes).toEqual([
      {
        row: 3,
        column: 0,
        code: 'number_lost_digits',
        message:
          'This cell was stored by Excel as a number and may have lost digits (Excel shows 1.23E+10, read as 12345678901). Format the column as Text and type the value again.',
      },
    ]);
  });

  it('notes numbers with more than 15 digits', () => {
    const data = readSheet(
      xlsx([
        ['a', 'b', 'c', 'd'],
        [
          1234567890123456,
          Number('1234567890123456789'),
          { t: 'n', v: 123456789012345, z: '0' },
          123456789012345,
        ],
      ]),
      { fileName: 'p.xlsx' },
    );
    expect(data.rows[0]!.cells).toEqual([
      '1234567890123456',
      '1234567890123456800',
      '123456789012345',
      '123456789012345',
    ]);
    // 15 digits are exact; the last one is noted only because General shows it as 1.23457E+14.
    expect(data.notes.map((n: CellNote) => [n.row, n.column, n.code])).toEqual([
      [2, 0, 'number_lost_digits'],
      [2, 1, 'number_lost_digits'],
      [2, 3, 'number_lost_digits'],
    ]);
    expect(data.notes[2]!.message).toContain('Excel shows 1.23457E+14');
  });

  it('keeps dates as they are displayed', () => {
    const data = readSheet(
      xlsx([
        ['send_date', 'iso'],
        [
          { t: 'n', v: 45296, z: 'm/d/yy' },
          { t: 'n', v: 45296.5, z: 'yyyy-mm-dd hh:mm' },
        ],
      ]),
      { fileName: 'p.xlsx' },
    );
    expect(data.rows[0]!.cells).toEqual(['1/5/24', '2024-01-05 12:00']);
  });

  it('turns error cells into their text plus a note', () => {
    const data = readSheet(
      xlsx([
        ['name', 'brand_id'],
        ['A', { t: 'e', v: 0x2a }],
        ['B', { t: 'e', v: 0x17 }],
      ]),
      { fileName: 'p.xlsx' },
    );
    expect(data.rows.map((r) => r.cells)).toEqual([
      ['A', '#N/A'],
      ['B', '#REF!'],
    ]);
    expect(data.notes.map((n) => [n.row, n.column, n.code])).toEqual([
      [2, 1, 'error_cell'],
      [3, 1, 'error_cell'],
    ]);
    expect(data.notes[0]!.message).toContain('#N/A');
  });

  it('leaves merged cells empty except the top-left one', () => {
    const ws = sheet([
      ['name', 'brand_id', 'campaign_id'],
      ['A', 'brand_1', null],
      ['B', null, 'camp_2'],
    ]);
    ws['!merges'] = [
      { s: { r: 1, c: 1 }, e: { r: 2, c: 1 } },
      { s: { r: 1, c: 1 }, e: { r: 1, c: 2 } },
    ];
    const data = readSheet(write(book({ S: ws })), { fileName: 'p.xlsx' });
    expect(data.rows.map((r) => r.cells)).toEqual([
      ['A', 'brand_1', ''],
      ['B', '', 'camp_2'],
    ]);
  });

  it('starts at the used range, skips blank rows, keeps numbering, honours headerRow', () => {
    const bytes = write(
      book({
        S: sheet([['Spring import'], [], ['name', 'brand'], ['A', 'b'], [], [' ', ''], ['C', 'd']], 'B2'),
      }),
    );
    const first = readSheet(bytes, { fileName: 'p.xlsx' });
    expect(first.headerRow).toBe(2);
    expect(first.headers).toEqual(['Spring import']);
    const chosen = readSheet(bytes, { fileName: 'p.xlsx', headerRow: 4 });
    expect(chosen.headers).toEqual(['name', 'brand']);
    expect(chosen.rows).toEqual([
      { row: 5, cells: ['A', 'b'] },
      { row: 8, cells: ['C', 'd'] },
    ]);
    expectCode(() => readSheet(bytes, { fileName: 'p.xlsx', headerRow: 3 }), 'no_header');
  });

  it('accepts a header row alone, refuses an empty sheet', () => {
    expect(readSheet(xlsx([['name', 'brand_id']]), { fileName: 'p.xlsx' }).rows).toEqual([]);
    expectCode(() => readSheet(write(book({ Empty: {} })), { fileName: 'p.xlsx' }), 'empty_file');
  });
});

describe('workbook sheets', () => {
  const bytes = write(
    book(
      {
        Lists: sheet([['secret'], ['x']]),
        Projects: sheet([['name'], ['A']]),
        Archive: sheet([['name'], ['old']]),
      },
      ['Lists'],
    ),
  );

  it('lists sheets with the hidden ones', () => {
    expect(listSheets(bytes, { fileName: 'p.xlsx' })).toEqual({
      names: ['Lists', 'Projects', 'Archive'],
      hidden: ['Lists'],
    });
    expect(listSheets(utf8('a,b\n'), { fileName: 'p.csv' })).toEqual({ names: [], hidden: [] });
  });

  it('reads the first visible sheet by default, any sheet by name', () => {
    expect(readSheet(bytes, { fileName: 'p.xlsx' }).sheet).toBe('Projects');
    expect(readSheet(bytes, { fileName: 'p.xlsx', sheet: 'Archive' }).rows).toEqual([
      { row: 2, cells: ['old'] },
    ]);
    expect(readSheet(bytes, { fileName: 'p.xlsx', sheet: 'Lists' }).headers).toEqual(['secret']);
  });

  it('refuses an unknown sheet and names the ones there are', () => {
    const e = expectCode(() => readSheet(bytes, { fileName: 'p.xlsx', sheet: 'Sheet9' }), 'unknown_sheet');
    expect(e.message).toContain('"Projects"');
  });

  it('reads XLS and ODS too', () => {
    const wb = book(
      {
        Hidden: sheet([['h']]),
        Main: sheet([
          ['id', 'ok'],
          [12345678901, true],
        ]),
      },
      ['Hidden'],
    );
    const xls = readSheet(write(wb, 'biff8'), { fileName: 'p.xls' });
    expect([xls.format, xls.sheet, xls.rows]).toEqual([
      'xls',
      'Main',
      [{ row: 2, cells: ['12345678901', 'TRUE'] }],
    ]);
    expect(listSheets(write(wb, 'biff8'), { fileName: 'p.xls' }).hidden).toEqual(['Hidden']);
    // ODS: named sheet (SheetJS does not report hidden ODS sheets), and found by content whatever the name.
    const ods = readSheet(write(wb, 'ods'), { fileName: 'p.xlsx', sheet: 'Main' });
    expect([ods.format, ods.rows]).toEqual(['ods', [{ row: 2, cells: ['12345678901', 'TRUE'] }]]);
  });

  it('reads an HTML table saved as .xls without turning ids into numbers', () => {
    const html = utf8(
      '<html><body><table><tr><td>id</td><td>n</td></tr><tr><td>007</td><td>12345678901234567890</td></tr></table></body></html>',
    );
    expect(detectFormat('export.xls', html)).toBe('xls');
    const data = readSheet(html, { fileName: 'export.xls' });
    expect(data.rows).toEqual([{ row: 2, cells: ['007', '12345678901234567890'] }]);
  });

  it('previews raw lines from row 1 and suggests the header row', () => {
    const wbBytes = write(
      book({ S: sheet([['Spring import'], [], ['name', 'brand', 'channel'], ['A', 'b', '10dlc']]) }),
    );
    const p = previewSheet(wbBytes, { fileName: 'p.xlsx' }, 3);
    expect(p).toEqual({
      lines: [
        { row: 1, cells: ['Spring import'] },
        { row: 2, cells: [] },
        { row: 3, cells: ['name', 'brand', 'channel'] },
      ],
      encoding: null,
      delimiter: null,
      sheetNames: ['S'],
      sheet: 'S',
      suggestedHeaderRow: 3,
    });
  });
});

describe('detectFormat', () => {
  it('goes by content first, extension as tie-breaker', () => {
    const x = xlsx([['a']]);
    expect(detectFormat('renamed.csv', x)).toBe('xlsx');
    expect(detectFormat('p.ods', write(book({ S: sheet([['a']]) }), 'ods'))).toBe('ods');
    const odsHead = utf8(
      'PK\x03\x04' + '\0'.repeat(26) + 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet',
    );
    expect(detectFormat('p.zip', odsHead)).toBe('ods');
    expect(detectFormat('p.csv', write(book({ S: sheet([['a']]) }), 'biff8'))).toBe('xls');
    expect(detectFormat('p.xlsx', utf8('a,b\n1,2\n'))).toBe('csv');
    expect(detectFormat('p.txt', utf8('a\tb\n'))).toBe('csv');
  });
});

/** Central directory entries of a zip: [offset of the entry, name]. */
function centralEntries(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const found: number[] = [];
  for (let p = 0; p + 4 <= zip.length; p++) if (view.getUint32(p, true) === 0x02014b50) found.push(p);
  return found;
}

interface CfbFile {
  FileIndex: { content?: Uint8Array; size?: number }[];
  FullPaths: string[];
}
const CFB = XLSX.CFB as {
  read(d: Uint8Array, o: { type: 'array' }): CfbFile;
  write(c: CfbFile, o: { type: 'array'; fileType?: 'zip'; compression?: boolean }): ArrayLike<number>;
  utils: { cfb_new(): CfbFile; cfb_add(c: CfbFile, name: string, content: Uint8Array): void };
};

describe('hostile workbooks', () => {
  it('refuses a truncated XLSX as corrupt', () => {
    const x = xlsx([['name'], ['A']]);
    expectCode(() => readSheet(x.subarray(0, x.length - 100), { fileName: 'p.xlsx' }), 'corrupt_file');
    expectCode(() => readSheet(x.subarray(0, 200), { fileName: 'p.xlsx' }), 'corrupt_file');
    const garbage = new Uint8Array(500).fill(7);
    garbage.set([0x50, 0x4b, 0x03, 0x04]);
    expectCode(() => readSheet(garbage, { fileName: 'p.xlsx' }), 'corrupt_file');
  });

  it('refuses a zip bomb from its central directory, before inflating', () => {
    const x = xlsx([['name'], ['A']]);
    const view = new DataView(x.buffer, x.byteOffset, x.byteLength);
    // The first part now claims to inflate to 3.75 GB.
    view.setUint32(centralEntries(x)[0]! + 24, 0xf0000000, true);
    const e = expectCode(() => readSheet(x, { fileName: 'p.xlsx' }), 'too_large');
    expect(e.message).toContain('GB');
    expectCode(() => listSheets(x, { fileName: 'p.xlsx' }), 'too_large');
    expectCode(() => previewSheet(x, { fileName: 'p.xlsx' }), 'too_large');
  });

  it('refuses a real highly compressible part over the limit', () => {
    const z = CFB.read(xlsx([['name'], ['A']]), { type: 'array' });
    CFB.utils.cfb_add(z, 'xl/media/zeros.bin', new Uint8Array(5 * 1024 * 1024));
    const bytes = new Uint8Array(CFB.write(z, { type: 'array', fileType: 'zip', compression: true }));
    expect(bytes.length).toBeLessThan(200 * 1024);
    expectCode(
      () => readSheet(bytes, { fileName: 'p.xlsx', limits: { maxUncompressedBytes: 1024 * 1024 } }),
      'too_large',
    );
    expect(readSheet(bytes, { fileName: 'p.xlsx' }).rows).toEqual([{ row: 2, cells: ['A'] }]);
  });

  it('refuses a password-protected workbook', () => {
    const c = CFB.utils.cfb_new();
    CFB.utils.cfb_add(c, 'EncryptionInfo', new Uint8Array([4, 0, 4, 0, 0x40, 0, 0, 0]));
    CFB.utils.cfb_add(c, 'EncryptedPackage', new Uint8Array(4096));
    const bytes = new Uint8Array(CFB.write(c, { type: 'array' }));
    expect(detectFormat('secret.xlsx', bytes)).toBe('xls');
    const e = expectCode(() => readSheet(bytes, { fileName: 'secret.xlsx' }), 'encrypted_file');
    expect(e.message).toContain('password');
    expectCode(() => listSheets(bytes, { fileName: 'secret.xlsx' }), 'encrypted_file');
  });

  it('refuses a zip that is not a spreadsheet', () => {
    const c = CFB.utils.cfb_new();
    CFB.utils.cfb_add(c, 'word/document.xml', utf8('<w:document/>'));
    const bytes = new Uint8Array(CFB.write(c, { type: 'array', fileType: 'zip' }));
    expectCode(() => readSheet(bytes, { fileName: 'letter.xlsx' }), 'unsupported_format');
  });

  it('refuses a 5 MB cell', () => {
    const z = CFB.read(xlsx([['message'], ['PLACEHOLDER']]), { type: 'array' });
    const i = z.FullPaths.findIndex((p) => p.endsWith('sheet1.xml'));
    const entry = z.FileIndex[i]!;
    const xml = Buffer.from(entry.content!)
      .toString('utf8')
      .replace('PLACEHOLDER', 'x'.repeat(5 * 1024 * 1024));
    entry.content = new Uint8Array(Buffer.from(xml, 'utf8'));
    entry.size = entry.content.length;
    const bytes = new Uint8Array(CFB.write(z, { type: 'array', fileType: 'zip', compression: true }));
    const e = expectCode(() => readSheet(bytes, { fileName: 'p.xlsx' }), 'cell_too_long');
    expect(e.message).toContain('row 2, column A');
  });

  it('refuses too many columns, too many rows and oversized files', () => {
    const wide = xlsx([Array.from({ length: 2000 }, (_, i) => `c${i}`)]);
    expectCode(() => readSheet(wide, { fileName: 'p.xlsx' }), 'too_many_columns');
    const tall = xlsx([['n'], ...Array.from({ length: 50 }, (_, i) => [i])]);
    expectCode(() => readSheet(tall, { fileName: 'p.xlsx', limits: { maxRows: 20 } }), 'too_many_rows');
    expect(readSheet(tall, { fileName: 'p.xlsx', limits: { maxRows: 51 } }).rows).toHaveLength(50);
    expectCode(() => readSheet(tall, { fileName: 'p.xlsx', limits: { maxFileBytes: 1000 } }), 'too_large');
  });
});
