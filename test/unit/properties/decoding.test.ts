/**
 * One decoding policy for CSV: the whole-file reader (`submit`, the app) and the stream (`validate`)
 * must turn the same bytes into the same text and the same cells, however the stream is cut, for any
 * bytes at all — valid and broken UTF-8, byte-order marks, Windows-1252, UTF-16.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSheet, type ReadOptions } from '../../../src/shared/sheet';
import { readCsv, type CsvTuning } from '../../../src/shared/sheet/csv';
import { outcome, streamCuts } from '../sheet/helpers';
import {
  chooseEncoding,
  ChunkDecoder,
  decodeBytes,
  decodeUtf8Lenient,
} from '../../../src/shared/sheet/encoding';

const bytesOf = (...parts: number[][]): Uint8Array => new Uint8Array(parts.flat());
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];

function whole(bytes: Uint8Array, opts: ReadOptions, tuning?: CsvTuning) {
  const data = readCsv(bytes, opts, tuning);
  return { headers: data.headers, encoding: data.encoding, rows: data.rows };
}

/** Pieces biased to where decoders disagree. */
const FRAGMENTS: number[][] = [
  utf8('a'),
  utf8('B'),
  utf8('7'),
  utf8(' '),
  utf8(','),
  utf8(';'),
  utf8('"'),
  utf8('\n'),
  utf8('\r\n'),
  utf8('é'),
  utf8('€'),
  utf8('中'),
  utf8('😀'),
  utf8('\u00a0'),
  [0xe9], // Windows-1252 é
  [0x80], // Windows-1252 €, a lone continuation byte in UTF-8
  [0x93, 0x94], // Windows-1252 quotes
  [0xc3], // the first half of a two-byte character
  [0xe2, 0x82], // a truncated €
  [0xf0, 0x9f, 0x98], // a truncated 😀
  [0xc0, 0xaf], // an overlong "/"
  [0xe0, 0x80, 0xaf], // another overlong form
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate written as UTF-8
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xff],
  [0xfe],
  [0x00],
];
const BOMS: number[][] = [[], [], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]];

const bytesArb = fc
  .record({
    bom: fc.constantFrom(...BOMS),
    head: fc.constantFrom('name,msg\n', 'a;b;c\r\n', ''),
    body: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }).map((a) => [...a]) },
      ),
      { maxLength: 40 },
    ),
  })
  .map(({ bom, head, body }) => bytesOf(bom, utf8(head), ...body));

const tuningArb: fc.Arbitrary<CsvTuning | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({
    sampleBytes: fc.constantFrom(2, 4, 9, 16),
    sampleChars: fc.constantFrom(4, 8, 40),
    parseChars: fc.constantFrom(1, 3, 64),
  }),
);

describe('one decoding policy for CSV', () => {
  it('stream and whole file give the same cells for any bytes, cut anywhere (property)', () => {
    fc.assert(
      fc.property(bytesArb, fc.array(fc.nat(), { maxLength: 12 }), tuningArb, (bytes, cuts, tuning) => {
        const opts = { fileName: 'x.csv' };
        const expected = outcome(() => whole(bytes, opts, tuning));
        expect(outcome(() => streamCuts(bytes, cuts, opts, tuning))).toEqual(expected);
        expect(outcome(() => streamCuts(bytes, [...bytes.keys()], opts, tuning))).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('the chunk decoder gives the text of the whole-file decode, cut anywhere (property)', () => {
    fc.assert(
      fc.property(bytesArb, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        const { text, encoding } = decodeBytes(bytes);
        const { bomLength } = chooseEncoding(bytes.subarray(0, 1 << 16), bytes.length <= 1 << 16);
        const body = bytes.subarray(bomLength);
        const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
        const d = new ChunkDecoder(encoding);
        let out = '';
        let at = 0;
        for (const p of points) {
          out += d.decode(body.subarray(at, p));
          at = p;
        }
        out += d.decode(body.subarray(at)) + d.flush();
        expect(out).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads valid UTF-8 exactly, and each byte of a broken sequence as its Windows-1252 character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeUtf8Lenient(new Uint8Array(Buffer.from(s, 'utf8')))).toBe(s);
      }),
    );
    expect(decodeUtf8Lenient(bytesOf(utf8('Caf'), [0xe9]))).toBe('Café');
    expect(decodeUtf8Lenient(bytesOf([0xe2, 0x82], utf8('x')))).toBe('â‚x');
    expect(decodeUtf8Lenient(bytesOf([0xc0, 0xaf]))).toBe('À¯');
    expect(decodeUtf8Lenient(bytesOf([0xed, 0xa0, 0x80]))).toBe('í\u00a0€');
    expect(decodeUtf8Lenient(bytesOf(utf8('€'), [0x93], utf8('ok'), [0x94]))).toBe('€“ok”');
  });

  it('a UTF-8 file with one stray Windows-1252 byte after the sample reads the same both ways', () => {
    // "Café" in UTF-8 in the first rows, a Windows-1252 "é" 70 kB later: both readers say Café and René.
    const text = bytesOf(
      utf8('name,city\nCafé,Lyon\n' + 'x,y\n'.repeat(18_000)),
      utf8('Ren'),
      [0xe9],
      utf8(',Paris\n'),
    );
    const opts = { fileName: 'mixed.csv' };
    const w = readSheet(text, opts);
    expect(w.encoding).toBe('utf-8');
    expect(w.rows[0]!.cells).toEqual(['Café', 'Lyon']);
    expect(w.rows.at(-1)!.cells).toEqual(['René', 'Paris']);
    const s = streamCuts(text, [1 << 16, 70_000, 72_011], opts);
    expect([s.headers, s.encoding]).toEqual([['name', 'city'], 'utf-8']);
    expect(s.rows[0]).toEqual(w.rows[0]);
    expect(s.rows.at(-1)).toEqual(w.rows.at(-1));
  });
});
