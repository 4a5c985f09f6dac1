/**
 * `validate FILE [--sheet NAME] [--header-row N] [--org ORG_ID] [--json]`
 *
 * CSV files are streamed: a row is read, mapped and validated, and only its issues are kept, so a
 * 1,000,000-row file never sits in memory twice. Exit 0 when every row is valid, 1 when some row is
 * not, 2 for a usage error or an unreadable file.
 */
import { basename } from 'node:path';
import { autoMap, describeMapping, type Mapping } from '../shared/mapping';
import {
  createFileValidator,
  type FileIssue,
  type FileValidator,
  type FileWarning,
  type Issue,
} from '../shared/validate';
import type { SheetRow } from '../shared/sheet';
import { readRowsFromFile, describeReadError } from './read';
import { createOutput } from './output';
import { parseFileCommand } from './args';

const USAGE = `Usage: broadcast-importer validate FILE [--sheet NAME] [--header-row N] [--org ORG_ID] [--json]

Checks every row of a CSV or XLSX file against the Political Comms API rules, without sending anything.

Options:
  --sheet NAME       the workbook sheet to read (default: the first visible sheet)
  --header-row N     the row that holds the column headers (default: the first non-empty row)
  --org ORG_ID       default organization for rows with no organization_id
  --json             print the result as JSON
  -h, --help         show this help

Exit codes: 0 every row valid, 1 some row invalid, 2 unreadable file or usage error.`;

export interface ValidationReport {
  file: string;
  sheet: string | null;
  /** Excel row numbers in file order. */
  rowNumbers: number[];
  /** Issues of the rows that have any, by row number. */
  issues: Map<number, Issue[]>;
  /** File-level findings that block every row (two columns filling one field). */
  fileErrors: FileWarning[];
  fileWarnings: FileWarning[];
  valid: number;
  invalid: number;
}

export interface ValidateFileOptions {
  sheet?: string;
  headerRow?: number;
  defaultOrganizationId?: string;
  mapping?: Mapping;
}

/**
 * Read and validate a whole file through the one file validator, keeping only issues. Throws
 * SheetError for unreadable files.
 */
export async function validateFile(
  path: string,
  options: ValidateFileOptions = {},
): Promise<ValidationReport> {
  const rowNumbers: number[] = [];
  const issues = new Map<number, Issue[]>();
  /** Rows whose body is refused (an error, or a file-level error). */
  let invalid = 0;
  let headers: string[] = [];
  let validator: FileValidator | null = null;

  const { sheet } = await readRowsFromFile(path, {
    sheet: options.sheet,
    headerRow: options.headerRow,
    onHeader(h) {
      headers = h;
      validator = createFileValidator({
        mapping: options.mapping ?? autoMap(h),
        headers: h,
        ...(options.defaultOrganizationId !== undefined
          ? { defaultOrganizationId: options.defaultOrganizationId }
          : {}),
      });
    },
    onRow(r: SheetRow) {
      const v = validator!.add(r);
      rowNumbers.push(r.row);
      if (v.issues.length > 0) issues.set(r.row, v.issues);
      if (v.payload === null) invalid++;
    },
    onNotes(n) {
      validator!.note(n);
    },
  });

  const found = (validator as FileValidator | null)?.finish() ?? { rowIssues: [], fileIssues: [] };
  const blocked = found.fileIssues.some((i) => i.severity === 'error');
  for (const issue of found.rowIssues) {
    const list = issues.get(issue.row);
    const wasValid = !blocked && !(list ?? []).some((i) => i.severity === 'error');
    if (list) list.push(issue);
    else issues.set(issue.row, [issue]);
    if (wasValid && issue.severity === 'error') invalid++;
  }

  const plain = (i: FileIssue): FileWarning => ({ code: i.code, message: i.message });
  const fileErrors = found.fileIssues.filter((i) => i.severity === 'error').map(plain);
  const fileWarnings = found.fileIssues.filter((i) => i.severity === 'warning').map(plain);
  const mapping = (validator as FileValidator | null)?.mapping ?? { columns: [] };
  const { missingRequired } = describeMapping(headers, mapping, {
    defaultOrganizationId: options.defaultOrganizationId,
  });
  if (missingRequired.length > 0) {
    fileWarnings.push({
      code: 'missing_columns',
      message: `No column for ${missingRequired.join(', ')}: every row needs ${missingRequired.length === 1 ? 'it' : 'them'}. Add the column${missingRequired.length === 1 ? '' : 's'}${missingRequired.includes('organization_id') ? ' (or give --org for organization_id)' : ''}.`,
    });
  }
  return {
    file: basename(path),
    sheet,
    rowNumbers,
    issues,
    fileErrors,
    fileWarnings,
    valid: rowNumbers.length - invalid,
    invalid,
  };
}

/**
 * `JSON.stringify(text)`, without flattening `text` in place. A duplicate-name message is built from
 * slices of one list shared by the whole group; stringifying it directly would turn each message into
 * its own flat copy, kept by the report (25,000 rows of one name: gigabytes).
 */
function jsonString(text: string): string {
  return '"' + JSON.stringify('\u0000' + text).slice(7);
}

function issuesJson(list: readonly Issue[], severity: Issue['severity']): string {
  let out = '';
  for (const x of list) {
    if (x.severity !== severity) continue;
    out += `${out ? ',' : ''}{"field":${JSON.stringify(x.field)},"code":${JSON.stringify(x.code)},"message":${jsonString(x.message)}}`;
  }
  return `[${out}]`;
}

async function printJson(report: ValidationReport, write: (s: string) => Promise<void>): Promise<void> {
  await write(`{"file":${JSON.stringify(report.file)},"sheet":${JSON.stringify(report.sheet)},"rows":[`);
  const n = report.rowNumbers.length;
  const blocked = report.fileErrors.length > 0;
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const row = report.rowNumbers[i]!;
    const list = report.issues.get(row);
    if (list === undefined && !blocked)
      chunk += `${i ? ',' : ''}{"row":${row},"valid":true,"errors":[],"warnings":[]}`;
    else if (list === undefined)
      chunk += `${i ? ',' : ''}{"row":${row},"valid":false,"errors":[],"warnings":[]}`;
    else {
      const valid = !blocked && !list.some((x) => x.severity === 'error');
      chunk += `${i ? ',' : ''}{"row":${row},"valid":${valid},"errors":${issuesJson(list, 'error')},"warnings":${issuesJson(list, 'warning')}}`;
    }
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(
    chunk +
      `],"summary":${JSON.stringify({ total: n, valid: report.valid, invalid: report.invalid })},"warnings":${JSON.stringify(report.fileWarnings)}${blocked ? `,"errors":${JSON.stringify(report.fileErrors)}` : ''}}\n`,
  );
}

async function printHuman(report: ValidationReport, write: (s: string) => Promise<void>): Promise<void> {
  const { valid, invalid } = report;
  const total = report.rowNumbers.length;
  let warningCount = 0;
  for (const list of report.issues.values())
    for (const i of list) if (i.severity === 'warning') warningCount++;
  await write(
    `${report.file}${report.sheet ? ` (sheet "${report.sheet}")` : ''}: ${total} row${total === 1 ? '' : 's'}, ` +
      `${valid} valid, ${invalid} invalid, ${warningCount} warning${warningCount === 1 ? '' : 's'}\n`,
  );
  for (const e of report.fileErrors) await write(`error: ${e.message}\n`);
  for (const w of report.fileWarnings) await write(`warning: ${w.message}\n`);
  let chunk = '';
  for (const row of report.rowNumbers) {
    for (const i of report.issues.get(row) ?? []) {
      chunk += `row ${String(row).padEnd(6)} ${i.field.padEnd(30)} ${i.severity.padEnd(8)} ${i.message}\n`;
    }
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseFileCommand(argv, USAGE, 'validate', {
    org: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!args.ok) return args.exitCode;
  const { values, file, headerRow } = args;
  let report: ValidationReport;
  try {
    report = await validateFile(file, {
      sheet: values.sheet,
      headerRow,
      defaultOrganizationId: values.org,
    });
  } catch (e) {
    process.stderr.write(describeReadError(e, file) + '\n');
    return 2;
  }
  const out = createOutput(process.stdout);
  if (values.json) await printJson(report, out.write);
  else await printHuman(report, out.write);
  await out.end();
  return report.invalid > 0 ? 1 : 0;
}
