import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createFileValidator,
  validateRow,
  validateSheet,
  type ValidatedRow,
} from '../../../src/shared/validate';
import { autoMap } from '../../../src/shared/mapping';
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

const cells = (name: string, org = 'org_A') => row(0, name, org).cells;

describe('createFileValidator', () => {
  it('gives each row its result as it is added, and the duplicate names to every row of the name at the end', () => {
    const v = createFileValidator({ mapping: autoMap(HEADERS), headers: HEADERS });
    const a = v.add({ row: 2, cells: cells('Rally') });
    const b = v.add({ row: 3, cells: cells('Other') });
    const c = v.add({ row: 4, cells: cells(' rally') });
    const d = v.add({ row: 5, cells: cells('RALLY') });
    for (const r of [a, b, c, d]) expect(r.payload).not.toBeNull();
    const end = v.finish();
    expect(end.rowIssues.map((i) => [i.row, i.code])).toEqual([
      [2, 'duplicate_name'],
      [4, 'duplicate_name'],
      [5, 'duplicate_name'],
    ]);
    expect(end.rowIssues[0]!.message).toContain('rows 4, 5');
    expect(end.fileIssues).toEqual([]);
  });

  it('says each unmapped column once, not once per row', () => {
    const headers = [...HEADERS, 'Notes', 'Owner'];
    const v = createFileValidator({ mapping: autoMap(headers), headers });
    for (let r = 2; r < 50; r++) v.add({ row: r, cells: [...cells(`P${r}`), 'x', 'y'] });
    const { fileIssues } = v.finish();
    expect(fileIssues).toHaveLength(1);
    expect(fileIssues[0]).toMatchObject({ code: 'unmapped_columns', severity: 'warning' });
    expect(fileIssues[0]!.message).toContain('"Notes", "Owner"');
  });

  it('two columns filling one field: one file error naming both columns, and no row is sendable', () => {
    const headers = [...HEADERS, 'Project name'];
    const mapping = autoMap(headers);
    expect(mapping.columns.at(-1)).toBe('name');
    const v = createFileValidator({ mapping, headers });
    const rows = [2, 3, 4].map((r) => v.add({ row: r, cells: [...cells(`P${r}`), `Q${r}`] }));
    expect(rows.map((r) => r.payload)).toEqual([null, null, null]);
    expect(rows.flatMap((r) => r.issues)).toEqual([]);
    const { fileIssues } = v.finish();
    expect(fileIssues).toHaveLength(1);
    expect(fileIssues[0]).toMatchObject({ code: 'mapping_conflict', severity: 'error' });
    expect(fileIssues[0]!.message).toContain('"name", "Project name"');
  });

  it('puts reader notes on their rows: known ones when the row is added, late ones at the end', () => {
    const notes = [{ row: 3, column: 6, code: 'number_lost_digits', message: 'lost digits' }];
    const v = createFileValidator({ mapping: autoMap(HEADERS), headers: HEADERS, notes });
    expect(v.add({ row: 2, cells: cells('A') }).payload).not.toBeNull();
    const r3 = v.add({ row: 3, cells: cells('B') });
    expect(r3.payload).toBeNull();
    expect(r3.issues.map((i) => [i.field, i.code])).toEqual([['phone_number_ids', 'number_lost_digits']]);
    v.note([{ row: 2, column: 1, code: 'error_cell', message: '#N/A' }]);
    // A note on a column that fills no field is nobody's: it is dropped.
    v.note([{ row: 2, column: 40, code: 'error_cell', message: '#N/A' }]);
    const { rowIssues } = v.finish();
    expect(rowIssues.map((i) => [i.row, i.field, i.severity, i.code])).toEqual([
      [2, 'name', 'error', 'error_cell'],
    ]);
  });

  it('streamed row by row agrees with validateSheet on the same rows (property)', () => {
    const cell = fc.constantFrom(
      '',
      'Rally',
      'rally ',
      'sms',
      'fax',
      'org_A',
      'org_B',
      'pn_1',
      'pn_1;pn_1',
      'yes',
      'Hi {link}',
    );
    const rowArb = fc.array(cell, { minLength: HEADERS.length, maxLength: HEADERS.length });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 12 }), (grid) => {
        const sheet = { headers: HEADERS, rows: grid.map((c, i) => ({ row: i + 2, cells: c })) };
        const whole = validateSheet(sheet);
        const v = createFileValidator({ mapping: autoMap(HEADERS), headers: HEADERS });
        const streamed: ValidatedRow[] = sheet.rows.map((r) => v.add(r));
        for (const i of v.finish().rowIssues) streamed.find((r) => r.row === i.row)!.issues.push(i);
        expect(streamed).toEqual(whole.rows);
      }),
      { numRuns: 200 },
    );
  });
});
