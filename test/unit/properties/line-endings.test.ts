/**
 * CSV files whose rows end differently (CRLF, LF, a lone CR: rows pasted together from different
 * tools) must still be read row by row, and line breaks inside quoted cells must stay exactly as they
 * are. The whole-file reader and the stream, cut anywhere, must agree with the meaning computed here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSheet } from '../../../src/shared/sheet';
import { readCsv, type CsvTuning } from '../../../src/shared/sheet/csv';
import { outcome, streamCuts } from '../sheet/helpers';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

const PIECES = ['a', 'B', '7', ' ', '"', ',', ';', '\t', '\n', '\r', '\r\n', 'é', '€'];
const cellArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((a) => a.join(''));
const BREAKS = ['\n', '\r\n', '\r'] as const;

function quote(cell: string, delimiter: string, force: boolean): string {
  return force || cell.includes('"') || cell.includes(delimiter) || /[\r\n]/.test(cell)
    ? `"${cell.replace(/"/g, '""')}"`
    : cell;
}

const tableArb = fc
  .record({
    width: fc.integer({ min: 2, max: 4 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    headerBreak: fc.constantFrom(...BREAKS),
    finalBreak: fc.option(fc.constantFrom(...BREAKS), { nil: undefined }),
  })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      rows: fc.array(
        fc.record({
          cells: fc.array(fc.tuple(cellArb, fc.boolean()), {
            minLength: shape.width,
            maxLength: shape.width,
          }),
          lineBreak: fc.constantFrom(...BREAKS),
        }),
        { maxLength: 10 },
      ),
      cuts: fc.array(fc.nat(), { maxLength: 10 }),
      small: fc.boolean(),
    }),
  );

describe('CSV with mixed line endings', () => {
  it('reads every row, keeps quoted line breaks, and the stream agrees however it is cut (property)', () => {
    fc.assert(
      fc.property(tableArb, ({ shape, rows, cuts, small }) => {
        const headers = Array.from({ length: shape.width }, (_, i) => `h${i}`);
        let text = headers.join(shape.delimiter);
        rows.forEach((r, i) => {
          text += i === 0 ? shape.headerBreak : rows[i - 1]!.lineBreak;
          text += r.cells.map(([c, force]) => quote(c, shape.delimiter, force)).join(shape.delimiter);
        });
        if (shape.finalBreak !== undefined) text += rows.length ? rows.at(-1)!.lineBreak : shape.finalBreak;
        const expected = rows
          .map((r, i) => ({ row: i + 2, cells: r.cells.map(([c]) => c) }))
          .filter((r) => r.cells.some((c) => c.trim() !== ''));
        const bytes = enc(text);
        const opts = { fileName: 'mixed.csv', delimiter: shape.delimiter as ',' | ';' | '\t' };

        const whole = readSheet(bytes, opts);
        expect(whole.headers).toEqual(headers);
        expect(whole.rows).toEqual(expected);

        const tuning: CsvTuning | undefined = small
          ? { sampleBytes: 16, sampleChars: 8, parseChars: 3 }
          : undefined;
        expect(outcome(() => streamCuts(bytes, cuts, opts, tuning))).toEqual({
          headers,
          encoding: 'utf-8',
          rows: expected,
        });
        expect(outcome(() => streamCuts(bytes, [...bytes.keys()], opts, tuning))).toEqual({
          headers,
          encoding: 'utf-8',
          rows: expected,
        });
        if (tuning) expect(outcome(() => readCsv(bytes, opts, tuning).rows)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('detects the separator the same way whatever the line endings', () => {
    const lines = ['name;brand;channel', 'A;b1;10dlc', 'B;b2;toll-free', 'C;b3;'];
    const text = `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3]}\r\n`;
    const data = readSheet(enc(text), { fileName: 'x.csv' });
    expect(data.delimiter).toBe(';');
    expect(data.rows.map((r) => r.cells)).toEqual([
      ['A', 'b1', '10dlc'],
      ['B', 'b2', 'toll-free'],
      ['C', 'b3', ''],
    ]);
  });
});
