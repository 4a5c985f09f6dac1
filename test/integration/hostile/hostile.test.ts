/**
 * The hostile corpus (scripts/make-hostile.ts) through the reader and through the command line: each
 * file ends in the exact parse or the exact, plain-English refusal written here, within a time bound,
 * and for the command line within a capped heap and a peak-memory bound. Never a crash, never a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  listSheets,
  previewSheet,
  readSheet,
  SheetError,
  type SheetData,
  type SheetErrorCode,
  type SheetRow,
} from '../../../src/shared/sheet';
import {
  ensureHostileCorpus,
  HEADER,
  HOSTILE_DIR,
  HOSTILE_FILES,
  projectRow,
} from '../../../scripts/make-hostile';
import { crashSigns, runCliMeasured } from './measure';

const ORG = 'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0';
const BRAND = 'brand_01HR77TXQCN3JZF2DZYTBBGTM9';
const CAMPAIGN = 'camp_01HR9G1HX1EN9R9RS5X0FZS0PB';
const PN = ['pn_01HRCGB4W8GJACYA1SCX5GNW8R', 'pn_01HRD8DYP3DFY0SDWCHF9Q1YYS'];

/** Bounds that hold on a slow machine with other tests running beside these. */
const MAX_READ_MS = 10_000;
const MAX_CLI_MS = 10_000;
const MAX_CLI_RSS_MB = 320;

interface CliExpectation {
  args?: string[];
  code: 0 | 1;
  total: number;
  valid: number;
  /** "row field code" for every error and warning, in output order (warnings prefixed with "w:"). */
  issues?: string[];
  fileWarnings?: string[];
  sheet?: string | null;
}

interface ParseExpectation {
  kind: 'parse';
  sheet: Partial<Pick<SheetData, 'format' | 'sheet' | 'sheetNames' | 'encoding' | 'headerRow' | 'notes'>> & {
    headers: string[];
    rows: SheetRow[];
  };
  cli: CliExpectation[];
}

interface RefusalExpectation {
  kind: 'refuse';
  code: SheetErrorCode;
  /** What the message must say (it is also checked for the file name or row, and for advice). */
  says: RegExp;
}

type Expectation = ParseExpectation | RefusalExpectation;

const rows = (...cells: string[][]): SheetRow[] => cells.map((c, i) => ({ row: i + 2, cells: c }));
const refuse = (code: SheetErrorCode, says: RegExp): RefusalExpectation => ({ kind: 'refuse', code, says });
const cleanCli = (total: number): CliExpectation[] => [{ code: 0, total, valid: total, issues: [] }];

const UTF16_ROWS = rows(projectRow('José’s canvass'), projectRow('Zoë — ça va'));

const EXPECTED: Record<string, Expectation> = {
  'truncated.xlsx': refuse('corrupt_file', /damaged or incomplete/),
  'corrupt.xlsx': refuse('corrupt_file', /damaged/),
  'zip-bomb.xlsx': refuse('too_large', /unpacks to 3\.0 GB, more than the 200\.0 MB/),
  'zip-bomb-lying.xlsx': refuse('corrupt_file', /damaged.*more data than/),
  'zip-bomb-zero.xlsx': refuse('corrupt_file', /damaged.*more data than/),
  'binary.csv': refuse('binary_file', /does not contain text/),
  'utf16le-bom.csv': {
    kind: 'parse',
    sheet: { format: 'csv', encoding: 'utf-16le', headers: HEADER, rows: UTF16_ROWS },
    cli: cleanCli(2),
  },
  'utf16le-no-bom.csv': {
    kind: 'parse',
    sheet: { format: 'csv', encoding: 'utf-16le', headers: HEADER, rows: UTF16_ROWS },
    cli: cleanCli(2),
  },
  'utf16be-bom.csv': {
    kind: 'parse',
    sheet: { format: 'csv', encoding: 'utf-16be', headers: HEADER, rows: UTF16_ROWS },
    cli: cleanCli(2),
  },
  'utf16be-no-bom.csv': {
    kind: 'parse',
    sheet: { format: 'csv', encoding: 'utf-16be', headers: HEADER, rows: UTF16_ROWS },
    cli: cleanCli(2),
  },
  'windows-1252.csv': {
    kind: 'parse',
    sheet: {
      format: 'csv',
      encoding: 'windows-1252',
      headers: HEADER,
      rows: rows(projectRow('Café “Résumé” – 5 €', 'Olá {first_name}, ¿listo?')),
    },
    cli: cleanCli(1),
  },
  'mixed-line-endings.csv': {
    kind: 'parse',
    sheet: {
      format: 'csv',
      headers: HEADER,
      rows: rows(...['CRLF row', 'LF row', 'CR row', 'Last row'].map((n) => projectRow(n))),
    },
    cli: cleanCli(4),
  },
  'mixed-line-endings-quoted.csv': {
    kind: 'parse',
    sheet: {
      format: 'csv',
      headers: HEADER,
      rows: rows(projectRow('Quoted', 'Line one\r\nline two\nline three'), projectRow('After')),
    },
    cli: cleanCli(2),
  },
  'unbalanced-quote.csv': refuse(
    'corrupt_file',
    /^Row 3 has a quotation mark \("\) in the wrong place, so some of its cells run together/,
  ),
  'misplaced-quote.csv': refuse(
    'corrupt_file',
    /^Row 3 has a quotation mark \("\) in the wrong place, so several lines/,
  ),
  'huge-cell.csv': refuse('cell_too_long', /row 2, column D holds 5,242,880 characters/),
  'huge-cell.xlsx': refuse('cell_too_long', /row 2, column D holds 5,242,880 characters/),
  'columns-20000.csv': refuse('too_many_columns', /Row 1 has 20,000 columns; at most 1,000/),
  'columns-20000.xlsx': refuse('too_many_columns', /Row 1 has 20,000 columns; at most 1,000/),
  'empty.csv': refuse('empty_file', /is empty/),
  'empty.xlsx': refuse('empty_file', /is empty/),
  'bom-only.csv': refuse('empty_file', /is empty/),
  'header-only.csv': {
    kind: 'parse',
    sheet: { format: 'csv', headerRow: 1, headers: HEADER, rows: [] },
    cli: cleanCli(0),
  },
  'header-only.xlsx': {
    kind: 'parse',
    sheet: { format: 'xlsx', sheet: 'Projects', headerRow: 1, headers: HEADER, rows: [] },
    cli: cleanCli(0),
  },
  'duplicate-headers.csv': {
    kind: 'parse',
    sheet: {
      format: 'csv',
      headers: [...HEADER, 'Name'],
      rows: rows([...projectRow('First name column'), 'Second name column']),
    },
    // Two columns fill name: nothing is sent until one of them is unmapped, and the file says so once.
    cli: [{ code: 1, total: 1, valid: 0, issues: [], fileWarnings: [] }],
  },
  'formulas-and-errors.xlsx': {
    kind: 'parse',
    sheet: {
      format: 'xlsx',
      sheet: 'Projects',
      headers: HEADER,
      rows: rows(
        [ORG, 'GOTV North', 'sms', 'Hi', BRAND, CAMPAIGN, PN[0]!],
        [ORG, 'Lookup failed', 'sms', 'Hi', BRAND, '#N/A', PN[0]!],
        [ORG, 'Deleted column', 'sms', '#REF!', BRAND, CAMPAIGN, PN[1]!],
        [ORG, 'Division', 'sms', 'Hi', '#DIV/0!', CAMPAIGN, '#VALUE!'],
      ),
      notes: [
        { row: 3, column: 5, code: 'error_cell', message: expect.stringContaining('#N/A') as string },
        { row: 4, column: 3, code: 'error_cell', message: expect.stringContaining('#REF!') as string },
        { row: 5, column: 4, code: 'error_cell', message: expect.stringContaining('#DIV/0!') as string },
        { row: 5, column: 6, code: 'error_cell', message: expect.stringContaining('#VALUE!') as string },
      ],
    },
    cli: [
      {
        code: 1,
        total: 4,
        valid: 1,
        issues: [
          '3 campaign_id error_cell',
          '4 message_text error_cell',
          '5 brand_id error_cell',
          '5 phone_number_ids error_cell',
        ],
      },
    ],
  },
  'merged-cells.xlsx': {
    kind: 'parse',
    // The merged title is the first non-empty row, so by default it is the header (as documented);
    // a merged range keeps its value in its top-left cell only, as Excel stores it.
    sheet: {
      format: 'xlsx',
      headerRow: 1,
      headers: ['Spring import'],
      rows: [
        { row: 2, cells: ['organization_id'] },
        { row: 3, cells: [ORG] },
        { row: 4, cells: [''] },
        { row: 5, cells: [''] },
      ],
    },
    cli: [
      {
        args: ['--header-row', '2'],
        code: 1,
        total: 3,
        valid: 1,
        issues: ['4 organization_id required', '5 organization_id required'],
      },
      { args: ['--header-row', '2', '--org', ORG], code: 0, total: 3, valid: 3, issues: [] },
    ],
  },
  'hidden-sheets.xlsx': {
    kind: 'parse',
    sheet: {
      format: 'xlsx',
      sheet: 'Projects',
      sheetNames: ['Old ids', 'Projects', 'Scratch'],
      headers: HEADER,
      rows: rows(projectRow('Spring canvass'), projectRow('Summer canvass')),
    },
    cli: [
      { code: 0, total: 2, valid: 2, issues: [], sheet: 'Projects' },
      // A hidden sheet is still readable when asked for by name.
      { args: ['--sheet', 'Old ids'], code: 1, total: 1, valid: 0, sheet: 'Old ids' },
    ],
  },
  'password.xlsx': refuse('encrypted_file', /protected with a password/),
  'html-table.xls': {
    kind: 'parse',
    sheet: {
      format: 'xls',
      headers: HEADER,
      rows: rows(projectRow('Web export'), [ORG, 'Leading zeros', 'sms', 'Hi', BRAND, CAMPAIGN, '007']),
    },
    cli: cleanCli(2),
  },
  'nul-bytes.csv': refuse('corrupt_file', /^Row 7 holds NUL characters/),
  'nul-padded.csv': refuse('corrupt_file', /^Row 3 holds NUL characters/),
  'json.csv': refuse('unsupported_format', /is a JSON file, not a spreadsheet/),
  'xlsx-named.csv': {
    kind: 'parse',
    sheet: {
      format: 'xlsx',
      headers: HEADER,
      rows: rows(projectRow('Spring canvass'), projectRow('Summer canvass')),
    },
    cli: cleanCli(2),
  },
  'csv-named.xlsx': {
    kind: 'parse',
    sheet: {
      format: 'csv',
      headers: HEADER,
      rows: rows(projectRow('Spring canvass'), projectRow('Summer canvass')),
    },
    cli: cleanCli(2),
  },
  'docx-named.xlsx': refuse('unsupported_format', /is a zip archive but not an Excel or OpenDocument/),
  'entity-expansion.xlsx': {
    kind: 'parse',
    // Entities are never expanded: the cell keeps the reference as text.
    sheet: { format: 'xlsx', headers: HEADER, rows: rows([ORG, '&a9;', '', '', '', '', '']) },
    cli: [
      {
        code: 1,
        total: 1,
        valid: 0,
        issues: [
          '2 message_text required',
          '2 protocol required',
          '2 brand_id required_for_10dlc',
          '2 campaign_id required_for_10dlc',
          '2 phone_number_ids required',
        ],
      },
    ],
  },
};

beforeAll(() => {
  ensureHostileCorpus();
}, 60_000);

const path = (name: string) => join(HOSTILE_DIR, name);
const bytesOf = (name: string) => new Uint8Array(readFileSync(path(name)));

function timed<T>(fn: () => T): { ms: number; value?: T; error?: unknown } {
  const t = performance.now();
  try {
    const value = fn();
    return { ms: performance.now() - t, value };
  } catch (error) {
    return { ms: performance.now() - t, error };
  }
}

it('has an expected outcome for every file of the corpus, and no other', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(HOSTILE_FILES.map((f) => f.name).sort());
});

describe.each(HOSTILE_FILES.map((f) => [f.name, f.about] as const))('%s (%s)', (name) => {
  const expected = EXPECTED[name]!;

  it('readSheet: the exact outcome, in time', () => {
    const r = timed(() => readSheet(bytesOf(name), { fileName: name }));
    expect(r.ms).toBeLessThan(MAX_READ_MS);
    if (expected.kind === 'refuse') {
      expect(r.error, 'expected a refusal').toBeInstanceOf(SheetError);
      const e = r.error as SheetError;
      expect(e.code).toBe(expected.code);
      expect(e.message).toMatch(expected.says);
      return;
    }
    if (r.error) throw r.error;
    const data = r.value!;
    expect({ ...data, rows: undefined }).toMatchObject({ ...expected.sheet, rows: undefined });
    expect(data.headers).toEqual(expected.sheet.headers);
    expect(data.rows).toEqual(expected.sheet.rows);
    if (!expected.sheet.notes) expect(data.notes).toEqual([]);
  });

  it('previewSheet and listSheets (the picker) answer or refuse the same way, in time', () => {
    const calls: (() => unknown)[] = [
      () => previewSheet(bytesOf(name), { fileName: name }),
      () => listSheets(bytesOf(name), { fileName: name }),
    ];
    for (const fn of calls) {
      const r = timed(fn);
      expect(r.ms).toBeLessThan(MAX_READ_MS);
      if (r.error !== undefined) {
        expect(r.error).toBeInstanceOf(SheetError);
        // The picker may stop earlier than the full read (it reads fewer rows), never later.
        if (expected.kind === 'parse') throw r.error;
      }
    }
  });
});

/** Every command-line run of the corpus, in one suite so that they run side by side. */
const CLI_RUNS = HOSTILE_FILES.flatMap((f) => {
  const expected = EXPECTED[f.name]!;
  const runs: (CliExpectation | null)[] = expected.kind === 'parse' ? expected.cli : [null];
  return runs.map((cli) => [`${f.name} ${cli?.args?.join(' ') ?? ''}`.trim(), f.name, cli] as const);
});

/** Time and peak memory per run; written as JSON to $BI_HOSTILE_FIGURES when set (for the README). */
const figures: { file: string; exit: number | null; ms: number; maxRssMb: number | null }[] = [];
afterAll(() => {
  const out = process.env.BI_HOSTILE_FIGURES;
  if (out)
    writeFileSync(
      out,
      JSON.stringify(
        figures.sort((a, b) => a.file.localeCompare(b.file)),
        null,
        2,
      ),
    );
});

describe('validate FILE --json, as a child process with a capped heap', () => {
  it.concurrent.each(CLI_RUNS)(
    '%s: exit code, output and message; no crash, in time and memory',
    async (label, name, cli) => {
      const expected = EXPECTED[name]!;
      const r = await runCliMeasured(['validate', path(name), '--json', ...(cli?.args ?? [])]);
      figures.push({
        file: label,
        exit: r.code,
        ms: Math.round(r.ms),
        maxRssMb: r.maxRssMb && Math.round(r.maxRssMb),
      });
      expect(r.killed, 'the command line hung and was killed').toBe(false);
      expect(crashSigns(r.stderr), r.stderr).toEqual([]);
      expect(r.ms).toBeLessThan(MAX_CLI_MS);
      expect(r.maxRssMb, 'peak memory (MB)').not.toBeNull();
      expect(r.maxRssMb!).toBeLessThan(MAX_CLI_RSS_MB);
      if (expected.kind === 'refuse') {
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        const line = r.stderr.trim();
        expect(line.split('\n')).toHaveLength(1);
        expect(line.startsWith(`Cannot read ${name}: `)).toBe(true);
        expect(line.slice(`Cannot read ${name}: `.length)).toMatch(expected.says);
        return;
      }
      expect(r.stderr).toBe('');
      expect(r.code).toBe(cli!.code);
      const out = JSON.parse(r.stdout) as {
        sheet: string | null;
        rows: {
          row: number;
          valid: boolean;
          errors: { field: string; code: string }[];
          warnings: { field: string; code: string }[];
        }[];
        summary: { total: number; valid: number; invalid: number };
        warnings: { code: string }[];
      };
      expect(out.summary).toEqual({ total: cli!.total, valid: cli!.valid, invalid: cli!.total - cli!.valid });
      if (cli!.issues) {
        expect(
          out.rows.flatMap((row) => [
            ...row.errors.map((e) => `${row.row} ${e.field} ${e.code}`),
            ...row.warnings.map((w) => `${row.row} ${w.field} w:${w.code}`),
          ]),
        ).toEqual(cli!.issues);
      }
      if (cli!.fileWarnings) expect(out.warnings.map((w) => w.code)).toEqual(cli!.fileWarnings);
      if (cli!.sheet !== undefined) expect(out.sheet).toBe(cli!.sheet);
    },
  );
});
