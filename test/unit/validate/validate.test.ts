import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateRow, validateSheet } from '../../../src/shared/validate';
import { FIELD_NAMES, type RawRow } from '../../../src/shared/schema/fields';
import { createProjectRequestSchema } from '../../../src/shared/schema/request';

const HEADERS = [
  'organization_id',
  'name',
  'protocol',
  'message_text',
  'brand_id',
  'campaign_id',
  'phone_number_ids',
];
const row = (n: number, name: string, org = 'org_A') => ({
  row: n,
  cells: [org, name, 'sms', 'Hi', 'brand_1', 'camp_1', 'pn_1'],
});

describe('validateSheet', () => {
  it('keeps file order and Excel row numbers', () => {
    const v = validateSheet({ headers: HEADERS, rows: [row(2, 'A'), row(4, 'B')] });
    expect(v.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(v.rows.every((r) => r.payload !== null)).toBe(true);
  });

  it('warns on both rows when a name repeats in one organization, ignoring case', () => {
    const v = validateSheet({ headers: HEADERS, rows: [row(2, 'GOTV'), row(3, 'Other'), row(5, 'gotv ')] });
    const dupes = v.rows.flatMap((r) => r.issues).filter((i) => i.code === 'duplicate_name');
    expect(dupes.map((i) => [i.row, i.field, i.severity])).toEqual([
      [2, 'name', 'warning'],
      [5, 'name', 'warning'],
    ]);
    expect(dupes[0]!.message).toContain('row 5');
    expect(v.rows.every((r) => r.payload !== null)).toBe(true);
  });

  it('does not warn when the same name is used in two organizations', () => {
    const v = validateSheet({ headers: HEADERS, rows: [row(2, 'GOTV', 'org_A'), row(3, 'GOTV', 'org_B')] });
    expect(v.rows.flatMap((r) => r.issues)).toEqual([]);
  });

  it('lists unmapped columns once per file, and never sends them', () => {
    const v = validateSheet({
      headers: [...HEADERS, 'Notes', 'Owner'],
      rows: [{ row: 2, cells: [...row(2, 'A').cells, 'call Sam', 'Jo'] }],
    });
    expect(v.fileWarnings).toHaveLength(1);
    expect(v.fileWarnings[0]).toMatchObject({ code: 'unmapped_columns' });
    expect(v.fileWarnings[0]!.message).toContain('"Notes", "Owner"');
    expect(Object.keys(v.rows[0]!.payload!)).not.toContain('Notes');
  });

  it('turns a reader note on a mapped column into an error on that field', () => {
    const v = validateSheet({
      headers: HEADERS,
      rows: [row(2, 'A')],
      notes: [{ row: 2, column: 6, code: 'number_lost_digits', message: 'lost digits' }],
    });
    expect(v.rows[0]!.payload).toBeNull();
    expect(v.rows[0]!.issues).toEqual([
      {
        row: 2,
        field: 'phone_number_ids',
        severity: 'error',
        code: 'number_lost_digits',
        message: 'lost digits',
      },
    ]);
  });

  it('uses a given mapping instead of matching headers', () => {
    const v = validateSheet(
      { headers: ['a', 'b'], rows: [{ row: 2, cells: ['X', 'Y'] }] },
      { mapping: { columns: ['name', null] } },
    );
    expect(v.rows[0]!.issues.map((i) => i.field)).toContain('organization_id');
    expect(v.rows[0]!.issues.map((i) => i.field)).not.toContain('name');
  });
});

const cell = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'yes',
    'no',
    'sms',
    'MMS',
    'toll free',
    '10dlc',
    'https://{phone}',
    'https://{x}',
    '[]',
    '["a"',
    'pn_1,pn_1',
  ),
);
const rawRow = fc.record(
  Object.fromEntries(FIELD_NAMES.map((f) => [f, cell])) as Record<keyof RawRow, typeof cell>,
  {
    requiredKeys: [],
  },
);

describe('validator properties', () => {
  it('never throws, and always answers with a body or an error', () => {
    fc.assert(
      fc.property(rawRow, (raw) => {
        const r = validateRow(raw, { row: 2 });
        const hasError = r.issues.some((i) => i.severity === 'error');
        expect(hasError).toBe(r.payload === null);
        for (const i of r.issues) {
          expect(i.row).toBe(2);
          expect(FIELD_NAMES).toContain(i.field);
          expect(i.code).toMatch(/^[a-z0-9_]+$/);
          expect(i.message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('every body it produces passes the strict API body schema', () => {
    fc.assert(
      fc.property(rawRow, (raw) => {
        const r = validateRow(
          {
            organization_id: 'org_1',
            name: 'n',
            protocol: 'sms',
            message_text: 'm',
            phone_number_ids: 'pn_1',
            ...raw,
          },
          { row: 2 },
        );
        if (r.payload) expect(createProjectRequestSchema.safeParse(r.payload).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
