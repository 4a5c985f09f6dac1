/**
 * The deflate size probe that guards the workbook reader against zip bombs: it must agree with zlib on
 * every stream zlib writes, stop as soon as a limit is passed, and never throw on garbage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constants, deflateRawSync } from 'node:zlib';
import { inflatedSize } from '../../../src/shared/sheet/inflate';

const STRATEGIES = [
  constants.Z_DEFAULT_STRATEGY,
  constants.Z_FILTERED,
  constants.Z_HUFFMAN_ONLY,
  constants.Z_RLE,
  constants.Z_FIXED,
];

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

describe('inflatedSize', () => {
  it('measures exactly what zlib inflates, for every level and strategy (property)', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(...STRATEGIES),
        (data, level, strategy) => {
          const z = new Uint8Array(deflateRawSync(data, { level, strategy }));
          expect(inflatedSize(z, 0, Number.MAX_SAFE_INTEGER)).toEqual({ kind: 'ok', size: data.length });
          if (data.length > 0) expect(inflatedSize(z, 0, data.length - 1)).toEqual({ kind: 'over' });
          // The stream may start anywhere in a larger buffer.
          const shifted = new Uint8Array(z.length + 7);
          shifted.set(z, 7);
          expect(inflatedSize(shifted, 7, data.length)).toEqual({ kind: 'ok', size: data.length });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on damaged or random input, and never reads past the end (property)', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (data, flips, cut) => {
          const z = new Uint8Array(deflateRawSync(data));
          for (const [at, bit] of flips) z[at % z.length]! ^= 1 << bit;
          const r = inflatedSize(z.subarray(0, z.length - (cut % 3)), 0, 1 << 24);
          expect(['ok', 'over', 'corrupt']).toContain(r.kind);
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(['ok', 'over', 'corrupt']).toContain(inflatedSize(bytes, 0, 1 << 24).kind);
      }),
      { numRuns: 500 },
    );
  });

  it('stops a bomb at the limit after reading only a little of it', () => {
    const segment = deflateRawSync(Buffer.alloc(1 << 20, 32), {
      level: 9,
      finishFlush: constants.Z_FULL_FLUSH,
    });
    const bomb = new Uint8Array(Buffer.concat([...Array(1024).fill(segment), Buffer.from([3, 0])]));
    const t = performance.now();
    expect(inflatedSize(bomb, 0, 1000)).toEqual({ kind: 'over' });
    expect(performance.now() - t).toBeLessThan(50);
    // The whole GiB is measured without producing it.
    expect(inflatedSize(bomb, 0, 2 ** 31)).toEqual({ kind: 'ok', size: 2 ** 30 });
  });
});
