import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import {
  RESULT_COLUMNS,
  buildResultsTable,
  formulaSafe,
  fromResultsSheet,
  isResultsSheet,
  resultsFormatOf,
  sentIdsOf,
  stripResultColumns,
  unescapeFormula,
  writeResults,
  type RowResult,
} from '../../../src/shared/results';

const source = {
  headers: ['name', 'message_text', 'phone_number_ids'],
  rows: [
    { row: 2, cells: ['Precinct 1', 'Hi {first_name}', 'pn_1'] },
    { row: 3, cells: ['=HYPERLINK("http://evil")', '-5 days left', '00123'] },
    { row: 4, cells: ['+1 555', '@home', '\tTabbed'] },
    { row: 5, cells: ['Plain', 'Text', 'pn_2'] },
  ],
};
const results: RowResult[] = [
  {
    row: 2,
    status: 'created',
    projectId: 'prj_1',
    projectStatus: 'draft',
    httpStatus: 201,
    attempts: 1,
    submittedAt: '2025-01-02T03:04:05.000Z',
  },
  {
    row: 3,
    status: 'failed',
    errorCode: 'VALIDATION_ERROR',
    errorMessage: '=cmd| bad',
    httpStatus: 400,
    attempts: 2,
    submittedAt: '2025-01-02T03:04:06.000Z',
  },
  { row: 4, status: 'invalid', errorCode: 'name_required', errorMessage: 'Name is required', attempts: 0 },
];

describe('formula safety', () => {
  it('prefixes the characters OWASP names and nothing else', () => {
    for (const c of ['=', '+', '-', '@', '\t', '\r', '\n']) expect(formulaSafe(`${c}x`)).toBe(`'${c}x`);
    expect(formulaSafe('x=1')).toBe('x=1');
    expect(formulaSafe('')).toBe('');
    expect(formulaSafe("'quoted")).toBe("'quoted");
  });
  it('round-trips every string through unescape', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\n', 'a', ' ') }),
        (s) => {
          expect(unescapeFormula(formulaSafe(s))).toBe(s);
          expect(/^[=+\-@\t\r\n]/.test(formulaSafe(s))).toBe(false);
        },
      ),
    );
  });
});

describe('results table', () => {
  it('keeps input order, adds the result columns, marks rows without a result not_sent', () => {
    const t = buildResultsTable(source, results);
    expect(t.headers).toEqual([...source.headers, ...RESULT_COLUMNS]);
    expect(t.rows.map((r) => r[3])).toEqual(['created', 'failed', 'invalid', 'not_sent']);
    expect(t.rows[0]).toEqual([
      'Precinct 1',
      'Hi {first_name}',
      'pn_1',
      'created',
      'prj_1',
      'draft',
      '',
      '',
      201,
      1,
      '2025-01-02T03:04:05.000Z',
      '',
    ]);
    expect(t.statusColumn).toBe(3);
  });
  it('drops result columns an earlier results sheet carried instead of doubling them', () => {
    const again = buildResultsTable(
      {
        headers: [...source.headers, ...RESULT_COLUMNS],
        rows: [{ row: 2, cells: ['a', 'b', 'c', 'created'] }],
      },
      [],
    );
    expect(again.headers).toEqual([...source.headers, ...RESULT_COLUMNS]);
    expect(again.rows[0]?.slice(0, 4)).toEqual(['a', 'b', 'c', 'not_sent']);
  });
});

describe('CSV', () => {
  it('is formula-safe, quoted, with a BOM, and reads back to the original values', () => {
    const bytes = writeResults(source, results, 'csv');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
    for (const row of parsed) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r\n]/);
    expect(parsed[2]?.[0]).toBe(`'=HYPERLINK("http://evil")`);
    expect(parsed[2]?.[7]).toBe(`'=cmd| bad`);
    const grid = {
      headers: parsed[0] ?? [],
      rows: parsed.slice(1).map((cells, i) => ({ row: i + 2, cells })),
    };
    expect(isResultsSheet(grid.headers)).toBe(true);
    const { sheet, previous } = fromResultsSheet(grid);
    expect(stripResultColumns(sheet).rows.map((r) => r.cells)).toEqual(source.rows.map((r) => r.cells));
    expect(previous.get(2)).toEqual({ status: 'created', projectId: 'prj_1' });
    expect(previous.get(5)).toEqual({ status: 'not_sent', projectId: '' });
  });
});

describe('XLSX', () => {
  const bytes = writeResults(source, results, 'xlsx');
  const wb = XLSX.read(bytes, { type: 'array', cellStyles: true });
  const ws = wb.Sheets['Results']!;

  it('holds the same grid, formula-safe, ids kept as text', () => {
    const grid = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false, defval: '' });
    expect(grid[0]).toEqual([...source.headers, ...RESULT_COLUMNS]);
    expect(grid[2]?.[0]).toBe(`'=HYPERLINK("http://evil")`);
    expect(grid[2]?.[2]).toBe('00123');
    expect(ws['C3']?.t).toBe('s');
    expect(ws['I2']?.t).toBe('n');
    for (const key of Object.keys(ws)) {
      if (key.startsWith('!')) continue;
      const cell = ws[key] as XLSX.CellObject;
      expect(cell.f).toBeUndefined();
      if (typeof cell.v === 'string') expect(cell.v).not.toMatch(/^[=+\-@\t\r\n]/);
    }
  });

  it('colours each status cell by its status', () => {
    const fill = (ref: string) =>
      (ws[ref] as XLSX.CellObject & { s?: { fgColor?: { rgb?: string } } }).s?.fgColor?.rgb;
    expect(fill('D2')).toBe('C6EFCE');
    expect(fill('D3')).toBe('FFC7CE');
    expect(fill('D4')).toBe('FFEB9C');
    expect(fill('D5')).toBe('DDEBF7');
    expect(fill('A2')).toBeUndefined();
  });
});

describe('resultsFormatOf', () => {
  it('reads the extension', () => {
    expect(resultsFormatOf('out.CSV')).toBe('csv');
    expect(resultsFormatOf('/a.b/out.xlsx')).toBe('xlsx');
    expect(resultsFormatOf('out.xls')).toBeNull();
    expect(resultsFormatOf('out')).toBeNull();
  });
});

describe('sent ids', () => {
  const columns = ['name', 'brand_id', 'phone_number_ids', 'contact_list_ids'] as const;
  it('lists the ids sent for cells that held names, and nothing for cells that held the ids', () => {
    const body = {
      organization_id: 'org_1',
      brand_id: 'brand_1',
      phone_number_ids: ['pn_1', 'pn_2'],
      contact_list_ids: ['cl_1'],
    };
    expect(
      sentIdsOf(
        body,
        ['P', 'Rivera for Senate', '(555) 010-0101; Main line', 'cl_1'],
        [...columns],
        'Rivera for Senate',
      ),
    ).toBe('organization_id: org_1; brand_id: brand_1; phone_number_ids: pn_1, pn_2');
    expect(sentIdsOf(body, ['P', 'brand_1', 'pn_1 pn_2', 'cl_1'], [...columns], 'org_1')).toBe('');
    expect(sentIdsOf(null, ['P'], [...columns])).toBe('');
  });
  it('goes in the results sheet, which re-imports with the cells as typed', () => {
    const sheet = {
      headers: ['Project', 'Brand'],
      rows: [{ rowKey: 'row-2', row: 2, cells: ['P', 'Rivera for Senate'] }],
    };
    const t = buildResultsTable(sheet, [
      {
        rowKey: 'row-2',
        row: 2,
        status: 'created',
        projectId: 'prj_1',
        attempts: 1,
        sentIds: 'brand_id: brand_1',
      },
    ]);
    expect(t.headers.at(-1)).toBe('sent_ids');
    expect(t.rows[0]!.at(-1)).toBe('brand_id: brand_1');
    const back = stripResultColumns(
      fromResultsSheet({
        headers: t.headers,
        rows: t.rows.map((r, i) => ({ row: i + 2, cells: r.map(String) })),
      }).sheet,
    );
    expect(back.headers).toEqual(['Project', 'Brand']);
    expect(back.rows[0]!.cells).toEqual(['P', 'Rivera for Senate']);
  });
});
