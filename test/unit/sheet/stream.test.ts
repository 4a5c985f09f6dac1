import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SheetError,
  createCsvStream,
  readSheet,
  type ReadOptions,
  type SheetData,
  type SheetRow,
} from '../../../src/shared/sheet';
import { createCsvStream as createTunedStream, readCsv, type CsvTuning } from '../../../src/shared/sheet/csv';
import { cp1252, expectCode, utf16be, utf16le, utf8 } from './helpers';

interface StreamResult {
  headers: string[];
  headerRow: number;
  encoding: string;
  delimiter: string;
  rows: SheetRow[];
}

function runStream(chunks: Uint8Array[], opts: ReadOptions, tuning?: CsvTuning): StreamResult {
  let header: Omit<StreamResult, 'rows'> | null = null;
  const rows: SheetRow[] = [];
  const stream = createTunedStream(
    {
      ...opts,
      onHeader(info) {
        if (header) throw new Error('onHeader called twice');
        header = { ...info };
      },
      onRow(row) {
        rows.push(row);
      },
    },
    tuning,
  );
  for (const c of chunks) stream.write(c);
  stream.end();
  if (!header) throw new Error('no header');
  return { ...(header as Omit<StreamResult, 'rows'>), rows };
}

function fromSheet(d: SheetData): StreamResult {
  return {
    headers: d.headers,
    headerRow: d.headerRow,
    encoding: d.encoding!,
    delimiter: d.delimiter!,
    rows: d.rows,
  };
}

/** The outcome as plain data: the result, or the error code. */
function outcome(fn: () => StreamResult): StreamResult | { error: string } {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SheetError) return { error: e.code };
    throw e;
  }
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

const tuningArb: fc.Arbitrary<CsvTuning> = fc.record({
  sampleBytes: fc.constantFrom(4, 16, 64 * 1024),
  sampleChars: fc.constantFrom(8, 40, 16 * 1024),
  parseChars: fc.constantFrom(1, 7, 64 * 1024),
});

type Enc = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

function encode(text: string, enc: Enc): Uint8Array {
  switch (enc) {
    case 'utf-8':
      return utf8(text);
    case 'utf-8-bom':
      return new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
    case 'utf-16le':
      return utf16le(text, true);
    case 'utf-16be':
      return utf16be(text, true);
    case 'windows-1252':
      return cp1252(text);
  }
}

// Windows-1252 text avoids 0x80-0xBF so that no byte pair happens to be valid UTF-8.
const ASCII_TRICKY = ['a', 'B', '7', ' ', '"', ',', ';', '\t', '\n', '\r', '\r\n', 'é', 'ñ', 'Ü'];
const UTF8_EXTRA = ['€', '😀', '✓', '中'];

function cellArb(enc: Enc): fc.Arbitrary<string> {
  const parts = enc === 'windows-1252' ? ASCII_TRICKY : [...ASCII_TRICKY, ...UTF8_EXTRA];
  return fc.array(fc.constantFrom(...parts), { maxLength: 8 }).map((a) => a.join(''));
}

function quote(cell: string, delimiter: string, force: boolean): string {
  const needs = /[",;\t\r\n]/.test(cell) || cell.startsWith(' ') || cell.endsWith(' ');
  return needs || force ? `"${cell.replace(/"/g, '""')}"` : cell;
}

const tableArb = fc
  .record({
    enc: fc.constantFrom<Enc>('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'),
    width: fc.integer({ min: 2, max: 5 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n'),
    finalNewline: fc.boolean(),
    blankLinesBefore: fc.integer({ min: 0, max: 2 }),
  })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      rows: fc.array(
        fc.array(fc.tuple(cellArb(shape.enc), fc.boolean()), {
          minLength: shape.width,
          maxLength: shape.width,
        }),
        { maxLength: 12 },
      ),
      cuts: fc.array(fc.nat(), { maxLength: 12 }),
      tuning: tuningArb,
    }),
  );

describe('createCsvStream', () => {
  it('gives the same rows as readSheet for any chunking, encoding and tricky quoting (property)', () => {
    fc.assert(
      fc.property(tableArb, ({ shape, rows, cuts, tuning }) => {
        const headers = Array.from({ length: shape.width }, (_, i) => `h${i}`);
        const lines = [
          ...Array.from({ length: shape.blankLinesBefore }, () => ''),
          headers.join(shape.delimiter),
          ...rows.map((r) => r.map(([c, force]) => quote(c, shape.delimiter, force)).join(shape.delimiter)),
        ];
        const text = lines.join(shape.newline) + (shape.finalNewline ? shape.newline : '');
        const bytes = encode(text, shape.enc);
        const opts = { fileName: 'p.csv' };

        // What the file means, computed independently of the reader.
        const expected = rows
          .map((r, i) => ({ row: shape.blankLinesBefore + 2 + i, cells: r.map(([c]) => c) }))
          .filter((r) => r.cells.some((c) => c.trim() !== ''));

        // Cells made only of separators can fool any detection: check the meaning with the delimiter given.
        const whole = fromSheet(readSheet(bytes, { ...opts, delimiter: shape.delimiter }));
        expect(whole.headers).toEqual(headers);
        expect(whole.headerRow).toBe(shape.blankLinesBefore + 1);
        const ascii = bytes.every((b) => b < 0x80);
        expect(whole.encoding).toBe(shape.enc === 'utf-8-bom' || ascii ? 'utf-8' : shape.enc);
        expect(whole.rows).toEqual(expected);

        // With tiny detection samples the guesses may be wrong (even an error): the stream must agree.
        const tunedWhole = outcome(() => fromSheet(readCsv(bytes, opts, tuning)));
        // The encoding is decided once, from the same first bytes: the stream names the same one.
        const streamed = outcome(() => runStream(split(bytes, cuts), opts, tuning));
        expect(streamed).toEqual(tunedWhole);
        // One byte at a time, the hardest split of all.
        const byteByByte = outcome(() => runStream(split(bytes, [...bytes.keys()]), opts, tuning));
        expect(byteByByte).toEqual(tunedWhole);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with readSheet on malformed text too: same rows or same error (property)', () => {
    const junk = fc
      .array(fc.constantFrom('a', 'b', ' ', '"', '""', ',', ';', '\n', '\r', '\r\n', 'é', '😀'), {
        maxLength: 60,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(junk, fc.array(fc.nat(), { maxLength: 10 }), tuningArb, (text, cuts, tuning) => {
        const bytes = utf8(text);
        const opts = { fileName: 'j.csv' };
        const whole = outcome(() => fromSheet(readCsv(bytes, opts, tuning)));
        const streamed = outcome(() => runStream(split(bytes, cuts), opts, tuning));
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('handles CRLF and a UTF-8 character split across chunks', () => {
    const bytes = utf8('name,msg\r\n"A","x\r\ny"\r\nB,Zoë €\r\n');
    const expected = [
      { row: 2, cells: ['A', 'x\r\ny'] },
      { row: 3, cells: ['B', 'Zoë €'] },
    ];
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = runStream([bytes.subarray(0, cut), bytes.subarray(cut)], { fileName: 'x.csv' });
      expect(r.rows).toEqual(expected);
    }
  });

  it('reports the header once, with encoding and delimiter', () => {
    const r = runStream([utf16le('Title\r\n\r\nname;brand\r\nA;b\r\n')], { fileName: 'x.csv', headerRow: 3 });
    expect(r).toEqual({
      headers: ['name', 'brand'],
      headerRow: 3,
      encoding: 'utf-16le',
      delimiter: ';',
      rows: [{ row: 4, cells: ['A', 'b'] }],
    });
  });

  it('falls back to Windows-1252 when the first non-ASCII byte comes late', () => {
    const head = 'name,city\n' + 'x,y\n'.repeat(30_000);
    const bytes = new Uint8Array([...utf8(head), ...cp1252('René,Besançon\n')]);
    const r = runStream(split(bytes, [65_536, 100_000]), { fileName: 'x.csv' });
    expect(r.rows[r.rows.length - 1]).toEqual({ row: 30_002, cells: ['René', 'Besançon'] });
    expect(readSheet(bytes, { fileName: 'x.csv' }).rows.at(-1)).toEqual(r.rows.at(-1));
  });

  it('throws the same errors as readSheet', () => {
    const run = (text: string, limits?: ReadOptions['limits']) => () =>
      runStream([utf8(text)], { fileName: 'x.csv', limits });
    expectCode(() => runStream([], { fileName: 'x.csv' }), 'empty_file');
    expectCode(run('  \n \n'), 'empty_file');
    expectCode(() => runStream([new Uint8Array(100)], { fileName: 'x.csv' }), 'binary_file');
    expectCode(run('a,b\n1,"open\n'), 'corrupt_file');
    expectCode(run('a\n1\n2\n', { maxRows: 2 }), 'too_many_rows');
    expectCode(run('a,b,c\n', { maxColumns: 2 }), 'too_many_columns');
    expectCode(run('a\nxxxxxx\n', { maxCellChars: 5 }), 'cell_too_long');
    expectCode(run('a\n1\n2\n', { maxFileBytes: 3 }), 'too_large');
  });

  it('refuses an unclosed quote early instead of buffering the rest of the file', () => {
    const stream = createCsvStream({
      fileName: 'x.csv',
      limits: { maxColumns: 2, maxCellChars: 1000 },
      onHeader() {},
      onRow() {},
    });
    stream.write(utf8('a,b\n1,"never closed\n'));
    const chunk = utf8('filler line\n'.repeat(10_000));
    const e = expectCode(() => {
      for (let i = 0; i < 100; i++) stream.write(chunk);
    }, 'cell_too_long');
    expect(e.message).toContain('Row 2');
  });

  it('streams a million rows without keeping them', () => {
    let count = 0;
    let last: SheetRow | null = null;
    const stream = createCsvStream({
      fileName: 'big.csv',
      onHeader() {},
      onRow(row) {
        count++;
        last = row;
      },
    });
    stream.write(utf8('name,brand_id,phone_number_ids\n'));
    const batch = 10_000;
    for (let b = 0; b < 100; b++) {
      let s = '';
      for (let i = b * batch; i < (b + 1) * batch; i++) s += `P${i},brand_${i},"pn_${i},pn_${i + 1}"\n`;
      stream.write(utf8(s));
    }
    stream.end();
    expect(count).toBe(1_000_000);
    expect(last).toEqual({ row: 1_000_001, cells: ['P999999', 'brand_999999', 'pn_999999,pn_1000000'] });
  });
});

describe('createCsvStream on a workbook', () => {
  it('refuses zip and OLE content instead of reading it as text', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]);
    expectCode(() => runStream([zip], { fileName: 'p.csv' }), 'unsupported_format');
  });

  it('copies chunks it holds back, so a reused buffer does not change them', () => {
    const buf = utf8('name\nAna\n');
    const rows: SheetRow[] = [];
    const stream = createCsvStream({ fileName: 'x.csv', onHeader() {}, onRow: (r) => rows.push(r) });
    stream.write(buf);
    buf.fill(0x41);
    stream.end();
    expect(rows).toEqual([{ row: 2, cells: ['Ana'] }]);
  });
});
