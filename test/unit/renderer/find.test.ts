import { describe, expect, test } from 'vitest';
import { replaceChanges, replaceInCell } from '../../../src/renderer/src/model/find';
import { csvBytes, load } from './harness';

const CSV = 'Name,Brand\nAlpha,brand_A\nalphabet,brand_b\nBeta,ALPHA\nab,cd\n';

describe('find and replace', () => {
  test('case, whole cell and one column', async () => {
    const { find } = await load(csvBytes(CSV), 'f.csv');
    const all = { matchCase: false, wholeCell: false, column: null };
    // Keys are row * columns + column, ascending.
    expect(find('alpha', all)).toEqual([0, 2, 5]);
    expect(find('alpha', { ...all, matchCase: true })).toEqual([2]);
    expect(find('alpha', { ...all, wholeCell: true })).toEqual([0, 5]);
    expect(find('alpha', { ...all, column: 1 })).toEqual([5]);
    expect(find('', all)).toEqual([]);
  });

  test('a match never spans two cells', async () => {
    const { find } = await load(csvBytes(CSV), 'f.csv');
    // Column 0 is held as "Alphaalphabet" + "Betaab": "taab" is in that text but in no cell.
    expect(find('taab', { matchCase: false, wholeCell: false, column: null })).toEqual([]);
    expect(find('ab', { matchCase: false, wholeCell: false, column: null })).toEqual([2, 6]);
  });

  test('edited cells are searched as edited, deleted rows not at all', async () => {
    const { model: m, find } = await load(csvBytes(CSV), 'f.csv');
    m.setCells([{ row: 0, col: 0, value: 'Gamma' }], 'Edit cell');
    m.setCells([{ row: 3, col: 1, value: 'alpha too' }], 'Edit cell');
    expect(find('alpha', { matchCase: false, wholeCell: false, column: null })).toEqual([2, 5, 7]);
    m.deleteRows([1]);
    expect(find('alpha', { matchCase: false, wholeCell: false, column: null })).toEqual([5, 7]);
  });

  test('replace keeps the rest of the cell', async () => {
    const opts = { matchCase: false, wholeCell: false, column: null };
    expect(replaceInCell('Alpha and ALPHA', 'alpha', 'x', opts)).toBe('x and x');
    expect(replaceInCell('Alpha and ALPHA', 'alpha', 'x', { ...opts, matchCase: true })).toBe(
      'Alpha and ALPHA',
    );
    expect(replaceInCell('Alpha', 'alpha', 'x', { ...opts, wholeCell: true })).toBe('x');
    const { model: m, find } = await load(csvBytes(CSV), 'f.csv');
    const keys = find('alpha', opts);
    m.setCells(replaceChanges(m, keys, 'alpha', 'omega', opts), 'Replace all');
    expect([m.cell(0, 0), m.cell(1, 0), m.cell(2, 1)]).toEqual(['omega', 'omegabet', 'omega']);
    m.undo();
    expect(m.cell(1, 0)).toBe('alphabet');
  });

  test('whole cell ignores spaces around the cell and the query; replace takes the whole cell', async () => {
    const sheet =
      'Org,Other\n Rivera for Senate ,x\n\u00a0Rivera for Senate,Rivera for Senate PAC\nRivera  for Senate,y\n';
    const { model: m, find } = await load(csvBytes(sheet), 'f.csv');
    const whole = { matchCase: false, wholeCell: true, column: null };
    expect(find('Rivera for Senate', whole)).toEqual([0, 2]);
    expect(find(' rivera for senate  ', whole)).toEqual([0, 2]);
    expect(find('Rivera for Senate', { ...whole, matchCase: true })).toEqual([0, 2]);
    expect(find('   ', whole)).toEqual([]);
    // Edited cells too.
    m.setCells([{ row: 2, col: 1, value: '  Rivera for Senate\t' }], 'Edit cell');
    const keys = find('Rivera for Senate', whole);
    expect(keys).toEqual([0, 2, 5]);
    m.setCells(replaceChanges(m, keys, 'Rivera for Senate', 'org_1', whole), 'Replace all');
    expect([m.cell(0, 0), m.cell(1, 0), m.cell(2, 1), m.cell(2, 0)]).toEqual([
      'org_1',
      'org_1',
      'org_1',
      'Rivera  for Senate',
    ]);
  });
});
