import { describe, expect, test } from 'vitest';
import {
  clearChanges,
  copyText,
  fillDownChanges,
  pasteChanges,
  rangeOf,
  viewIndexAtOrAfter,
  viewIndexOf,
} from '../../../src/renderer/src/model/selection';
import { csvBytes, load } from './harness';

const CSV = 'A,B,C\n1,2,3\n4,5,6\n7,8,9\n';

describe('range operations', () => {
  test('a selection is the same whichever corner it started from', () => {
    expect(rangeOf({ anchor: { row: 3, col: 1 }, focus: { row: 1, col: 2 } })).toEqual({
      top: 1,
      bottom: 3,
      left: 1,
      right: 2,
    });
  });

  test('copy gives tab-separated rows', async () => {
    const { model: m } = await load(csvBytes(CSV), 'x.csv');
    expect(copyText(m, m.order, { top: 0, bottom: 1, left: 1, right: 2 })).toBe('2\t3\r\n5\t6');
  });

  test('paste: a block from the corner, one value over the whole selection, clipped at the edges', async () => {
    const { model: m } = await load(csvBytes(CSV), 'x.csv');
    expect(
      pasteChanges(m, m.order, { top: 1, bottom: 1, left: 1, right: 1 }, 'a\tb\tc\r\nd\te\tf\r\n'),
    ).toEqual([
      { row: 1, col: 1, value: 'a' },
      { row: 1, col: 2, value: 'b' },
      { row: 2, col: 1, value: 'd' },
      { row: 2, col: 2, value: 'e' },
    ]);
    expect(pasteChanges(m, m.order, { top: 0, bottom: 2, left: 0, right: 0 }, 'z')).toEqual([
      { row: 0, col: 0, value: 'z' },
      { row: 1, col: 0, value: 'z' },
      { row: 2, col: 0, value: 'z' },
    ]);
  });

  test('paste follows the view: filtered-out rows are skipped', async () => {
    const { model: m } = await load(csvBytes(CSV), 'x.csv');
    const view = Int32Array.from([0, 2]);
    expect(pasteChanges(m, view, { top: 0, bottom: 0, left: 0, right: 0 }, 'p\nq').map((c) => c.row)).toEqual(
      [0, 2],
    );
  });

  test('fill down and clear', async () => {
    const { model: m } = await load(csvBytes(CSV), 'x.csv');
    m.setCells(fillDownChanges(m, m.order, { top: 0, bottom: 2, left: 0, right: 1 }), 'Fill down');
    expect([0, 1, 2].map((r) => m.rowCells(r))).toEqual([
      ['1', '2', '3'],
      ['1', '2', '6'],
      ['1', '2', '9'],
    ]);
    m.setCells(clearChanges(m.order, { top: 1, bottom: 2, left: 2, right: 2 }), 'Clear');
    expect(m.cell(2, 2)).toBe('');
    m.undo();
    m.undo();
    expect(m.rowCells(2)).toEqual(['7', '8', '9']);
  });

  test('positions in a view', () => {
    const view = Int32Array.from([2, 5, 9]);
    expect(viewIndexOf(view, 5)).toBe(1);
    expect(viewIndexOf(view, 6)).toBe(-1);
    expect(viewIndexAtOrAfter(view, 6)).toBe(2);
    expect(viewIndexAtOrAfter(view, 10)).toBe(3);
  });
});
