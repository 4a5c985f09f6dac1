/**
 * `validate FILE [--sheet NAME] [--header-row N] [--org ORG] [--account [--base-url URL]] [--json]`
 *
 * CSV files are streamed: a row is read, mapped and validated, and only its issues are kept, so a
 * 1,000,000-row file never sits in memory twice. With `--account`, the account's reference data is
 * read once before the file, and each valid row is checked against it as it is read: names become
 * ids (each distinct name said once), unknown and ambiguous names are errors with their fixes.
 * Exit 0 when every row is valid, 1 when some row is not, 2 for a usage error, an unreadable file or
 * an account that cannot be read.
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
import { PRODUCTION_BASE_URL } from '../engine/api';
import { readRowsFromFile, describeReadError } from './read';
import { createOutput } from './output';
import { parseFileCommand } from './args';
import { checkAgainstAccount, type ResolvedReference } from '../shared/account/check';
import type { AccountSnapshot } from '../shared/account/snapshot';
import type { Fix } from '../shared/validate/types';
import { describeFix, NamesWithoutAccount, NameSummary, readAccountForCli } from './account';

const USAGE = `Usage: broadcast-importer validate FILE [--sheet NAME] [--header-row N] [--org ORG]
                                   [--account [--base-url URL]] [--json]

Checks every row of a CSV or XLSX file against the Political Comms API rules, without sending anything.

Options:
  --sheet NAME       the workbook sheet to read (default: the first visible sheet)
  --header-row N     the row that holds the column headers (default: the first non-empty row)
  --org ORG          default organization for rows with no organization (its id, or its name with --account)
  --account          also check every row against your account, as submit's pre-flight does: names
                     in reference cells (organization, brand, campaign, numbers, lists, domain…)
                     are resolved to ids and each is said once. The API key is read from
                     POLITICAL_COMMS_API_KEY; nothing is sent.
  --base-url URL     API base URL for --account (default: ${PRODUCTION_BASE_URL}; e.g. the Sandbox's)
  --json             print the result as JSON
  -h, --help         show this help

Exit codes: 0 every row valid, 1 some row invalid, 2 unreadable file, usage error, or an account that
cannot be read (key refused, API unreachable).`;

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
  /** Checked against an account: what each distinct name became. Null without an account. */
  names: NameSummary | null;
  /** With `keepResolved`: each row's names and the ids they resolved to, by row number. */
  resolvedByRow: Map<number, ResolvedReference[]> | null;
}

export interface ValidateFileOptions {
  sheet?: string;
  headerRow?: number;
  defaultOrganizationId?: string;
  mapping?: Mapping;
  /** Check every valid row against this account's reference data (names resolved to ids). */
  account?: AccountSnapshot;
  /** Keep each row's resolved references (`resolvedByRow`), for output that lists them per row. */
  keepResolved?: boolean;
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
  const account = options.account;
  const names = account ? new NameSummary() : null;
  const unresolved = account ? null : new NamesWithoutAccount();
  const resolvedByRow = account && options.keepResolved ? new Map<number, ResolvedReference[]>() : null;

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
      let list = v.issues;
      let refused = v.payload === null;
      if (v.payload !== null && account) {
        // One row at a time, as the pre-flight does: each finding belongs to its row.
        const check = checkAgainstAccount([{ rowKey: '', row: r.row, body: v.payload }], account);
        if (check.issues.length > 0) {
          list = list.length > 0 ? [...list, ...check.issues] : check.issues;
          if (check.issues.some((i) => i.severity === 'error')) refused = true;
        }
        if (check.resolved.length > 0) {
          names!.add(check.resolved);
          resolvedByRow?.set(r.row, check.resolved);
        }
      } else if (v.payload !== null) unresolved!.add(v.payload);
      if (list.length > 0) issues.set(r.row, list);
      if (refused) invalid++;
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
  for (const u of account?.unavailable ?? []) fileWarnings.push({ code: u.code, message: u.message });
  const needAccount = unresolved?.message();
  if (needAccount) fileWarnings.push({ code: 'names_need_account', message: needAccount });
  return {
    file: basename(path),
    sheet,
    rowNumbers,
    issues,
    fileErrors,
    fileWarnings,
    valid: rowNumbers.length - invalid,
    invalid,
    names,
    resolvedByRow,
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
    out += `${out ? ',' : ''}{"field":${JSON.stringify(x.field)},"code":${JSON.stringify(x.code)},"message":${jsonString(x.message)}${x.fixes?.length ? `,"fixes":${fixesJson(x.fixes)}` : ''}}`;
  }
  return `[${out}]`;
}

function fixesJson(fixes: readonly Fix[]): string {
  return JSON.stringify(
    fixes.map((f) => ({
      label: f.label,
      ...(f.field ? { field: f.field } : {}),
      replace: f.replace,
      with: f.with,
    })),
  );
}

/** `"resolved":{"campaign_id":[{"from":…,"to":…,"label":…}],…}` for a row with names, else ''. */
function resolvedJson(refs: readonly ResolvedReference[] | undefined): string {
  if (!refs || refs.length === 0) return '';
  const byField: Record<string, Array<{ from: string; to: string; label: string }>> = {};
  for (const r of refs) (byField[r.field] ??= []).push({ from: r.from, to: r.to, label: r.label });
  return `,"resolved":${JSON.stringify(byField)}`;
}

async function printJson(report: ValidationReport, write: (s: string) => Promise<void>): Promise<void> {
  await write(`{"file":${JSON.stringify(report.file)},"sheet":${JSON.stringify(report.sheet)},"rows":[`);
  const n = report.rowNumbers.length;
  const blocked = report.fileErrors.length > 0;
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const row = report.rowNumbers[i]!;
    const list = report.issues.get(row);
    const resolved = resolvedJson(report.resolvedByRow?.get(row));
    if (list === undefined && !blocked)
      chunk += `${i ? ',' : ''}{"row":${row},"valid":true,"errors":[],"warnings":[]${resolved}}`;
    else if (list === undefined)
      chunk += `${i ? ',' : ''}{"row":${row},"valid":false,"errors":[],"warnings":[]${resolved}}`;
    else {
      const valid = !blocked && !list.some((x) => x.severity === 'error');
      chunk += `${i ? ',' : ''}{"row":${row},"valid":${valid},"errors":${issuesJson(list, 'error')},"warnings":${issuesJson(list, 'warning')}${resolved}}`;
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
  if (report.names && report.names.size > 0) {
    await write(`Names resolved against the account (sent as ids):\n`);
    await write(
      report.names
        .lines()
        .map((l) => `  ${l}\n`)
        .join(''),
    );
  }
  let chunk = '';
  for (const row of report.rowNumbers) {
    for (const i of report.issues.get(row) ?? []) {
      chunk += `row ${String(row).padEnd(6)} ${i.field.padEnd(30)} ${i.severity.padEnd(8)} ${i.message}\n`;
      for (const f of i.fixes ?? []) chunk += `${''.padEnd(47)} fix: ${describeFix(f, i.field)}\n`;
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
    account: { type: 'boolean', default: false },
    'base-url': { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!args.ok) return args.exitCode;
  const { values, file, headerRow } = args;
  if (values['base-url'] !== undefined && !values.account) {
    process.stderr.write('--base-url goes with --account (checking the rows against your account).\n');
    return 2;
  }
  let account: AccountSnapshot | undefined;
  if (values.account) {
    const snapshot = await readAccountForCli(values['base-url'], 'No row was checked.');
    if (snapshot === null) return 2;
    account = snapshot;
  }
  let report: ValidationReport;
  try {
    report = await validateFile(file, {
      sheet: values.sheet,
      headerRow,
      defaultOrganizationId: values.org,
      ...(account ? { account, keepResolved: values.json === true } : {}),
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
