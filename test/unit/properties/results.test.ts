/**
 * The results sheet, re-imported, gives back the cells it was made from, and no cell of it can run as a
 * formula in a spreadsheet program: for arbitrary grids, through the real reader (readSheet) and the
 * results reader (fromResultsSheet + stripResultColumns), in CSV and in XLSX.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import {
  RESULT_COLUMNS,
  formulaSafe,
  fromResultsSheet,
  isResultColumn,
  unescapeFormula,
  stripResultColumns,
  writeResults,
  type ResultsFormat,
  type RowResult,
} from '../../../src/shared/results';
import { readSheet } from '../../../src/shared/sheet';

/** What a spreadsheet program would run as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r\n]/;

const PIECES = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  '\r\n',
  "'",
  '"',
  ',',
  ';',
  ' ',
  '\u00a0',
  'a',
  'Z',
  '0',
  '7',
  '.',
  'é',
  'ß',
  '€',
  '中',
  '😀',
  '\u200b',
  '=HYPERLINK("http://x")',
  "=cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1)',
  '007',
  '1e5',
  'TRUE',
  '2024-01-02',
  '#N/A',
];

/** Text a person can type into a cell: the tricky pieces above, or any printable unicode. */
const cellArb = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((a) => a.join('')),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** More with BI_PROPERTY_RUNS=5000 for a deeper search; npm test keeps it quick. */
const RUNS = Number(process.env.BI_PROPERTY_RUNS ?? 200);

const STATUSES = ['created', 'failed', 'invalid', 'skipped', 'not_sent'] as const;

const resultArb = (row: number): fc.Arbitrary<RowResult> =>
  fc.record({
    row: fc.constant(row),
    status: fc.constantFrom(...STATUSES),
    projectId: fc.option(fc.stringMatching(/^prj_[0-9A-Z]{4,26}$/), { nil: undefined }),
    projectStatus: fc.option(fc.constantFrom('draft', 'scheduled'), { nil: undefined }),
    errorCode: fc.option(fc.constantFrom('VALIDATION_ERROR', 'RATE_LIMIT_EXCEEDED', 'required'), {
      nil: undefined,
    }),
    errorMessage: fc.option(cellArb, { nil: undefined }),
    httpStatus: fc.option(fc.constantFrom(201, 400, 429, 503), { nil: undefined }),
    attempts: fc.nat({ max: 9 }),
    submittedAt: fc.option(fc.constant('2025-03-04T05:06:07.000Z'), { nil: undefined }),
    sentIds: fc.option(
      fc.constantFrom('brand_id: brand_1', 'phone_number_ids: pn_1, pn_2; campaign_id: camp_1'),
      {
        nil: undefined,
      },
    ),
  });

const gridArb = fc
  .record({
    headers: fc.array(cellArb, { minLength: 1, maxLength: 5 }),
    rowCount: fc.nat({ max: 6 }),
    format: fc.constantFrom<ResultsFormat>('csv', 'xlsx'),
  })
  // A column named like a result column is, by design, replaced by the results: not part of the input.
  .filter(({ headers }) => headers.every((h) => !isResultColumn(h)))
  .chain(({ headers, rowCount, format }) =>
    fc.record({
      format: fc.constant(format),
      headers: fc.constant(headers),
      rows: fc.array(fc.array(cellArb, { minLength: headers.length, maxLength: headers.length }), {
        minLength: rowCount,
        maxLength: rowCount,
      }),
      results: fc.tuple(...Array.from({ length: rowCount }, (_, i) => fc.option(resultArb(i + 2)))),
    }),
  );

function resultTexts(r: RowResult | null | undefined, row: number): string[] {
  const x = r ?? { row, status: 'not_sent' as const, attempts: 0 };
  return [
    x.status,
    x.projectId ?? '',
    x.projectStatus ?? '',
    x.errorCode ?? '',
    x.errorMessage ?? '',
    x.httpStatus === undefined ? '' : String(x.httpStatus),
    String(x.attempts),
    x.submittedAt ?? '',
    x.sentIds ?? '',
  ];
}

/**
 * SheetJS reads a line break written as CR LF inside a workbook cell as LF (as Excel shows it); a lone
 * CR or LF is kept. CSV keeps everything exactly.
 */
const asRead = (cell: string, format: ResultsFormat) =>
  format === 'xlsx' ? cell.replace(/\r\n/g, '\n') : cell;

/** Every cell of the file as written, read by an independent parser (not the app's reader). */
function rawCells(bytes: Uint8Array, format: ResultsFormat): { text: string[]; formulas: number } {
  if (format === 'csv') {
    const text = new TextDecoder().decode(bytes);
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
    return { text: parsed.data.flat(), formulas: 0 };
  }
  const wb = XLSX.read(bytes, { type: 'array', cellFormula: true });
  const ws = wb.Sheets[wb.SheetNames[0]!]!;
  const text: string[] = [];
  let formulas = 0;
  for (const key of Object.keys(ws)) {
    if (key.startsWith('!')) continue;
    const cell = ws[key] as XLSX.CellObject;
    if (cell.f !== undefined) formulas++;
    if (typeof cell.v === 'string') text.push(cell.v);
  }
  return { text, formulas };
}

describe('results sheet', () => {
  it('re-imported, gives back the same cells, statuses and project ids; no cell can run as a formula (property)', () => {
    fc.assert(
      fc.property(gridArb, ({ format, headers, rows, results }) => {
        const source = { headers, rows: rows.map((cells, i) => ({ row: i + 2, cells })) };
        const given = results.filter((r): r is RowResult => r !== null);
        const bytes = writeResults(source, given, format);

        // Formula-safe, as written: read by an independent parser, not the app's reader.
        const raw = rawCells(bytes, format);
        expect(raw.formulas).toBe(0);
        for (const cell of raw.text) expect(cell).not.toMatch(FORMULA_START);
        if (format === 'xlsx') {
          const zip = XLSX.CFB.read(bytes, { type: 'array' });
          const sheetXml = XLSX.CFB.find(zip, '/xl/worksheets/sheet1.xml')!.content as Uint8Array;
          expect(new TextDecoder().decode(sheetXml)).not.toMatch(/<f[\s>]/);
        }

        const sheet = readSheet(bytes, { fileName: `results.${format}` });
        expect(sheet.rows.map((r) => r.row)).toEqual(source.rows.map((r) => r.row));
        const { sheet: back, previous } = fromResultsSheet(sheet);
        const input = stripResultColumns(back);

        // Headers come back as the reader trims them, with the formula guard removed again.
        expect(input.headers).toEqual(
          headers.map((h) => unescapeFormula(asRead(formulaSafe(h), format).trim())),
        );
        expect(input.rows.map((r) => r.cells)).toEqual(
          rows.map((cells) => cells.map((c) => asRead(c, format))),
        );

        const at = RESULT_COLUMNS.map((c) => back.headers.indexOf(c));
        back.rows.forEach((r, i) => {
          expect(at.map((j) => r.cells[j])).toEqual(
            resultTexts(results[i], r.row).map((c) => asRead(c, format)),
          );
          const expected = results[i];
          expect(previous.get(r.row)).toEqual({
            status: expected?.status ?? 'not_sent',
            projectId: expected?.projectId ?? '',
          });
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('gives back a header that had to be written formula-safe', () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const source = { headers: ['=total', '+1 phone'], rows: [{ row: 2, cells: ['a', 'b'] }] };
      const sheet = readSheet(writeResults(source, [], format), { fileName: `r.${format}` });
      expect(stripResultColumns(fromResultsSheet(sheet).sheet).headers).toEqual(['=total', '+1 phone']);
    }
  });

  // SheetJS reads "_xHHHH_" in workbook text as an escaped character: the writer escapes the underscore.
  it('keeps text that looks like an XML escape ("_x0041_") in a workbook', () => {
    const source = {
      headers: ['name', 'a_x0042_b'],
      rows: [{ row: 2, cells: ['pn_x0041_1', '_x005F_x0041_'] }],
    };
    const sheet = readSheet(writeResults(source, [], 'xlsx'), { fileName: 'r.xlsx' });
    const back = stripResultColumns(fromResultsSheet(sheet).sheet);
    expect(back.headers).toEqual(['name', 'a_x0042_b']);
    expect(back.rows[0]!.cells).toEqual(['pn_x0041_1', '_x005F_x0041_']);
  });
});
