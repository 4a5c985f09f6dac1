import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DupIndex, duplicatesAmong } from '../../../src/renderer/src/model/dups';

describe('duplicate-name index', () => {
  test('members follow every change, like a plain scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5 })), { maxLength: 60 }),
        (initial, changes) => {
          const hashes = Uint32Array.from(initial);
          const index = new DupIndex(hashes);
          const plain = [...initial];
          for (const [at, h] of changes) {
            const r = at % plain.length;
            index.set(r, h);
            plain[r] = h;
          }
          for (let h = 1; h <= 5; h++) {
            const expected = plain.flatMap((x, r) => (x === h ? [r] : []));
            expect(index.members(h).sort((a, b) => a - b)).toEqual(expected);
          }
          expect(index.members(0)).toEqual([]);
        },
      ),
    );
  });

  test('rows sharing a hash are duplicates only when their keys are equal', () => {
    const keys = ['a', 'b', 'a', null, 'c', 'c'];
    expect(duplicatesAmong([0, 1, 2, 3, 4, 5], (r) => keys[r]!)).toEqual(new Set([0, 2, 4, 5]));
  });

  test('buckets list every hash held by two rows or more', () => {
    const index = new DupIndex(Uint32Array.from([7, 3, 7, 0, 3, 9]));
    expect([...index.buckets()].map((b) => b.sort())).toEqual([
      [1, 4],
      [0, 2],
    ]);
  });
});
