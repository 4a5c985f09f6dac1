/**
 * The unpacking guard that runs before SheetJS sees a workbook: its count must be the real unpacked
 * size for every stream a compressor writes, it must stop a bomb after a bounded amount of work and
 * output, and it must never throw on garbage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deflateSync, zipSync, type Zippable } from 'fflate';
import { constants, deflateRawSync } from 'node:zlib';
import { readZipDirectory } from '../../../src/shared/sheet/detect';
import {
  INFLATE_MIN_CHUNK,
  MAX_DEFLATE_RATIO,
  MAX_SILENT_INPUT_BYTES,
  checkZipParts,
  measureInflated,
} from '../../../src/shared/sheet/unpack';
import { readSheet, SheetError } from '../../../src/shared/sheet';
import { deflatedEntry, storedEntry, withSheet } from '../../../scripts/make-hostile';

const SHEET = 'xl/worksheets/sheet1.xml';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const sheetXml = (n: number) =>
  `<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>` +
  Array.from(
    { length: n },
    (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>P${i}</t></is></c></row>`,
  ).join('') +
  '</sheetData></worksheet>';

/** Data from random to highly repetitive, so stored, fixed and dynamic blocks all appear. */
const dataArb = fc.oneof(
  fc.uint8Array({ maxLength: 4000 }),
  fc
    .array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 2000 })), {
      maxLength: 20,
    })
    .map(
      (runs) =>
        new Uint8Array(Buffer.concat(runs.flatMap(([chunk, n]) => Array(n).fill(Buffer.from(chunk))))),
    ),
);

const levelArb = fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9) as fc.Arbitrary<
  0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9
>;

const STRATEGIES = [
  constants.Z_DEFAULT_STRATEGY,
  constants.Z_FILTERED,
  constants.Z_HUFFMAN_ONLY,
  constants.Z_RLE,
  constants.Z_FIXED,
];

function refusal(run: () => unknown): SheetError {
  try {
    run();
  } catch (e) {
    if (e instanceof SheetError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('measureInflated', () => {
  it("counts exactly the bytes fflate's deflate packed, and stops one past the limit (property)", () => {
    fc.assert(
      fc.property(dataArb, levelArb, fc.integer({ min: 0, max: 50 }), (data, level, pad) => {
        const z = deflateSync(data, { level });
        // The stream sits anywhere in a larger buffer; the bytes around it are never read.
        const buf = new Uint8Array(pad + z.length + pad).fill(0xa5);
        buf.set(z, pad);
        const end = pad + z.length;
        expect(measureInflated(buf, pad, end, Number.MAX_SAFE_INTEGER)).toEqual({
          kind: 'ok',
          size: data.length,
          read: z.length,
        });
        expect(measureInflated(buf, pad, end, data.length)).toMatchObject({ kind: 'ok', size: data.length });
        if (data.length > 0) expect(measureInflated(buf, pad, end, data.length - 1).kind).toBe('over');
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with zlib for every level and strategy (property)', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(...STRATEGIES),
        (data, level, strategy) => {
          const z = new Uint8Array(deflateRawSync(data, { level, strategy }));
          expect(measureInflated(z, 0, z.length, Number.MAX_SAFE_INTEGER)).toMatchObject({
            kind: 'ok',
            size: data.length,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a stream cut short, and never throws on damaged or random input (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 8 }),
        (data, cut) => {
          const z = deflateSync(data);
          const short = Math.max(0, z.length - cut);
          expect(measureInflated(z, 0, short, Number.MAX_SAFE_INTEGER).kind).toBe('corrupt');
        },
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(
        dataArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }),
        (data, flips) => {
          const z = deflateSync(data);
          for (const [at, bit] of flips) z[at % z.length]! ^= 1 << bit;
          expect(['ok', 'over', 'corrupt']).toContain(measureInflated(z, 0, z.length, 1 << 24).kind);
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), (bytes) => {
        expect(['ok', 'over', 'corrupt']).toContain(measureInflated(bytes, 0, bytes.length, 1 << 24).kind);
      }),
      { numRuns: 300 },
    );
  });

  it('stops a 1 GiB bomb after reading a few kilobytes, with output bounded by what those hold', () => {
    const segment = deflateRawSync(Buffer.alloc(1 << 20, 32), {
      level: 9,
      finishFlush: constants.Z_FULL_FLUSH,
    });
    const bomb = new Uint8Array(Buffer.concat([...Array(1024).fill(segment), Buffer.from([3, 0])]));
    for (const limit of [0, 1000, 5_000_000]) {
      const r = measureInflated(bomb, 0, bomb.length, limit);
      if (r.kind !== 'over') throw new Error(`expected a stop, got ${r.kind}`);
      expect(r.produced).toBeGreaterThan(limit);
      // The stop comes at the first chunk whose output passes the limit ...
      expect(r.read).toBeLessThanOrEqual(Math.ceil((limit + 1) / MAX_DEFLATE_RATIO) + 2 * INFLATE_MIN_CHUNK);
      // ... and the output counted before it is what that much input can hold, not the gigabyte.
      expect(r.produced).toBeLessThanOrEqual(limit + MAX_DEFLATE_RATIO * (INFLATE_MIN_CHUNK + 64));
      expect(r.read).toBeLessThan(bomb.length / 50);
    }
  });

  it('does not wade through input that yields nothing: bytes after the stream, or empty blocks', () => {
    const z = deflateSync(new TextEncoder().encode('name,message\nA,Hello\n'));
    const junk = new Uint8Array(z.length + 4 * MAX_SILENT_INPUT_BYTES).fill(0x55);
    junk.set(z);
    expect(measureInflated(junk, 0, junk.length, 1 << 20)).toEqual({ kind: 'corrupt' });
    // A little slack after the end, as some writers leave, is read past.
    expect(measureInflated(junk, 0, z.length + 100, 1 << 20)).toMatchObject({ kind: 'ok', size: 21 });
    // Empty stored blocks (00 00 00 ff ff) without end: valid deflate, no output, refused once past the bound.
    const empty = new Uint8Array(5 * Math.ceil((2 * MAX_SILENT_INPUT_BYTES) / 5));
    for (let i = 0; i < empty.length; i += 5) empty.set([0, 0, 0, 0xff, 0xff], i);
    expect(measureInflated(empty, 0, empty.length, 1 << 20)).toEqual({ kind: 'corrupt' });
  });
});

describe('checkZipParts', () => {
  const filesArb = fc.dictionary(
    fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8})?\.xml$/),
    fc.tuple(dataArb, levelArb),
    { minKeys: 1, maxKeys: 6 },
  );

  it('counts the real unpacked size of a zip fflate wrote, stored and deflated parts alike (property)', () => {
    fc.assert(
      fc.property(filesArb, (files) => {
        const zippable: Zippable = {};
        let total = 0;
        for (const [name, [data, level]] of Object.entries(files)) {
          zippable[name] = [data, { level }];
          total += data.length;
        }
        const bytes = zipSync(zippable);
        expect(checkZipParts(bytes, readZipDirectory(bytes, 'p.xlsx'), 'p.xlsx')).toBe(total);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a stored part that copies more than it declares (SheetJS copies by the compressed size)', () => {
    const sheet = storedEntry(SHEET, sheetXml(200));
    expect(readSheet(withSheet(sheet), { fileName: 'p.xlsx' }).rows).toHaveLength(200);
    const e = refusal(() => readSheet(withSheet({ ...sheet, size: 10 }), { fileName: 'p.xlsx' }));
    expect([e.code, e.message]).toEqual(['corrupt_file', expect.stringContaining(SHEET)]);
    expect(e.message).toContain('more data than the file declares');
  });

  it('refuses a deflated part whose local header asks for more memory than the directory declares', () => {
    const bytes = withSheet(deflatedEntry(SHEET, sheetXml(200)));
    const entries = readZipDirectory(bytes, 'p.xlsx');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint32(entries.find((x) => x.name === SHEET)!.localOffset + 22, 0xfffffff0, true);
    expect(refusal(() => readSheet(bytes, { fileName: 'p.xlsx' })).message).toContain('more data than');
  });

  it('refuses a directory that lists the same part many times over', () => {
    for (const make of [storedEntry, deflatedEntry]) {
      const bytes = withSheet(make(SHEET, sheetXml(2000)));
      expect(readSheet(bytes, { fileName: 'p.xlsx' }).rows).toHaveLength(2000);
      // Each listing alone is true to its sizes; together they are 60 times the data the file holds.
      const e = refusal(() => readSheet(repeatLast(bytes, 60), { fileName: 'p.xlsx' }));
      expect(e.code).toBe('corrupt_file');
    }
  });
});

/** The zip with the last central-directory record repeated `times` times (all pointing at one part). */
function repeatLast(bytes: Uint8Array, times: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = bytes.length - 22;
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  let last = dirOffset;
  for (let i = 0; i < count - 1; i++) {
    last +=
      46 +
      view.getUint16(last + 28, true) +
      view.getUint16(last + 30, true) +
      view.getUint16(last + 32, true);
  }
  const record = bytes.subarray(last, eocd);
  const end = new Uint8Array(bytes.subarray(eocd));
  const out = new Uint8Array(eocd + record.length * (times - 1) + 22);
  out.set(bytes.subarray(0, eocd));
  for (let i = 1; i < times; i++) out.set(record, eocd + record.length * (i - 1));
  const endView = new DataView(end.buffer);
  endView.setUint16(8, count + times - 1, true);
  endView.setUint16(10, count + times - 1, true);
  endView.setUint32(12, eocd - dirOffset + record.length * (times - 1), true);
  out.set(end, out.length - 22);
  return out;
}
