import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { autoMap, mapRow } from '../../../src/shared/mapping';
import { readSheet } from '../../../src/shared/sheet';
import { FIELD_NAMES } from '../../../src/shared/schema/fields';
import { createRowValidator, createDuplicateNameTracker, type Issue } from '../../../src/shared/validate';
import { createRowChecker } from '../../../src/renderer/src/model/check';
import { NF, SEV_ERROR, SEV_WARNING, FIELD_INDEX } from '../../../src/renderer/src/model/fields';
import { EXAMPLE_CSV, EXAMPLE_XLSX } from './harness';

const key = (i: Issue) => `${i.row}|${i.field}|${i.severity}|${i.code}|${i.message}`;

function both(cells: string[], headers: string[], defaultOrg = '') {
  const mapping = autoMap(headers);
  const checker = createRowChecker(mapping, defaultOrg);
  const mine: Issue[] = [];
  const sev = new Uint8Array(NF);
  checker.check(cells, 7, undefined, sev, mine);
  const shared = createRowValidator(defaultOrg ? { defaultOrganizationId: defaultOrg } : {})(
    mapRow(cells, mapping),
    7,
  ).issues;
  return { mine, shared, sev };
}

describe('the grid checks rows exactly as the shared validator does', () => {
  for (const [name, bytes] of [
    ['projects.csv', EXAMPLE_CSV],
    ['projects.xlsx', EXAMPLE_XLSX],
  ] as const) {
    test(`every row of ${name}`, () => {
      const sheet = readSheet(bytes, { fileName: name });
      for (const row of sheet.rows) {
        const { mine, shared, sev } = both(row.cells, sheet.headers);
        expect(mine.map(key).sort()).toEqual(shared.map(key).sort());
        for (const i of shared) {
          const s = sev[FIELD_INDEX.get(i.field)!];
          expect(s).toBe(i.severity === 'error' ? SEV_ERROR : Math.max(SEV_WARNING, s!));
        }
      }
    });
  }

  test('generated rows, with and without a default organization', () => {
    const values = [
      '',
      ' ',
      'sms',
      'MMS',
      'fax',
      '10dlc',
      'toll free',
      'tollfree',
      'nope',
      'yes',
      'no',
      'maybe',
      'org_1',
      'brand_1',
      'camp_1',
      'tfv_1',
      'pn_1, pn_2',
      'pn_1; pn_1',
      '+1 555 010 0100',
      '["pn_1","pn_2"]',
      '[oops',
      'https://x.example/a?b={donor_id}',
      'https://{url}',
      'https://{phone}',
      'ftp://x',
      'donor_id',
      'url',
      'Hi {first_name} {link}',
      'Hello',
      'x'.repeat(70),
    ];
    const cell = fc.constantFrom(...values);
    const row = fc.array(cell, { minLength: FIELD_NAMES.length, maxLength: FIELD_NAMES.length });
    fc.assert(
      fc.property(row, fc.constantFrom('', 'org_default'), (cells, org) => {
        const { mine, shared } = both(cells, [...FIELD_NAMES], org);
        expect(mine.map(key).sort()).toEqual(shared.map(key).sort());
      }),
      { numRuns: 400 },
    );
  });

  test('the duplicate-name key is the one the shared tracker uses', () => {
    const headers = ['Organization ID', 'Project name'];
    const checker = createRowChecker(autoMap(headers), ' org_d ');
    const rows = [
      ['org_a', 'Rally'],
      ['org_a', ' rally '],
      ['', 'Rally'],
      ['org_d', 'RALLY'],
      ['org_b', 'Rally'],
      ['org_a', ''],
    ];
    const tracker = createDuplicateNameTracker();
    rows.forEach((cells, i) => tracker.add(i + 2, cells[0]!.trim() || ' org_d ', cells[1]!));
    const expected = new Set(tracker.finish().map((w) => w.row));
    const byKey = new Map<string, number[]>();
    rows.forEach((cells, i) => {
      const k = checker.dupKey(cells);
      if (k !== null) byKey.set(k, [...(byKey.get(k) ?? []), i + 2]);
    });
    const mine = new Set([...byKey.values()].filter((l) => l.length > 1).flat());
    expect(mine).toEqual(expected);
    expect(mine).toEqual(new Set([2, 3, 4, 5]));
  });
});
