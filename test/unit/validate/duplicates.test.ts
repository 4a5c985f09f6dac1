/** Duplicate-name warnings: one list of the other rows per row, however large the group. */
import { describe, expect, it } from 'vitest';
import { createDuplicateNameTracker } from '../../../src/shared/validate';

function expected(rows: number[], name: string) {
  return rows.map((row) => {
    const others = rows.filter((r) => r !== row);
    return `The name "${name}" is also used in row${others.length > 1 ? 's' : ''} ${others.join(', ')} of the same organization: give each project its own name.`;
  });
}

describe('createDuplicateNameTracker', () => {
  it('lists every other row of a large group, in order', () => {
    const t = createDuplicateNameTracker();
    const rows: number[] = [];
    for (let r = 2; r < 3002; r += 3) {
      rows.push(r);
      t.add(r, 'org_1', ' Weekly Update ');
      t.add(r + 1, 'org_1', `Other ${r}`);
    }
    const out = t.finish();
    expect(out.map((i) => i.row)).toEqual(rows);
    expect(out.map((i) => i.message)).toEqual(expected(rows, 'Weekly Update'));
  });

  it('pairs, and rows given out of order', () => {
    const t = createDuplicateNameTracker();
    t.add(5, 'o', 'A');
    t.add(3, 'o', 'a');
    t.add(9, 'o', 'A');
    t.add(4, 'o', 'B');
    t.add(6, 'o', 'b');
    t.add(7, 'p', 'b');
    const out = t.finish();
    expect(out.map((i) => i.message)).toEqual([...expected([5, 3, 9], 'a'), ...expected([4, 6], 'b')]);
  });

  it('groups as the one-string key organization + NUL + name would, NUL inside a cell included', () => {
    const t = createDuplicateNameTracker();
    t.add(2, 'a\u0000b', 'c');
    t.add(3, 'a', 'B\u0000C');
    t.add(4, 'a', 'b');
    const out = t.finish();
    expect(out.map((i) => i.row)).toEqual([2, 3]);
  });
});
