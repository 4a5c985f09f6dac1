/**
 * Row validation: the row schema applied to mapped rows, plus what only a whole file can tell
 * (duplicate names, unmapped columns, cells the reader flagged). Used as-is by the UI worker,
 * the main process and the CLI.
 */
import type { CreateProjectRequest } from '@political-comms/sdk';
import type { RawRow } from '../schema/fields';
import { isCellRow, rowSchema, rowWarnings, type FieldFinding, type RowContext } from '../schema/row';
import { autoMap, describeMapping, mapRow, type Mapping } from '../mapping';
import type { Issue } from './types';
import { detach } from '../text';

export type { Issue, Severity } from './types';

export interface ValidatedRow {
  row: number;
  /** The exact request body, or null when any issue is an error. */
  payload: CreateProjectRequest | null;
  issues: Issue[];
}

export interface FileWarning {
  code: string;
  message: string;
}

/** What the reader knows about a cell that the text alone cannot tell (e.g. a number that lost digits). */
export interface CellNoteLike {
  row: number;
  column: number;
  code: string;
  message: string;
}

export interface SheetLike {
  headers: string[];
  rows: Array<{ row: number; cells: string[] }>;
  notes?: CellNoteLike[];
}

export type RowValidator = (raw: RawRow, row: number) => ValidatedRow;

/**
 * A validator for many rows with one compiled schema: every row goes through the zod row schema,
 * whose transform applies the rules of `checkRow`; warnings come from `rowWarnings` beside it.
 */
export function createRowValidator(context: RowContext = {}): RowValidator {
  const schema = rowSchema(context);
  return (raw, row) => {
    const issues: Issue[] = [];
    const result = schema.safeParse(raw);
    let payload: CreateProjectRequest | null = null;
    if (result.success) {
      payload = result.data.payload;
      const findings = result.data.findings;
      for (let i = 0; i < findings.length; i++) issues.push(errorIssue(row, findings[i]!));
    } else {
      issues.push(
        errorIssue(row, { field: 'name', code: 'invalid_cell', message: 'The row is not a set of cells.' }),
      );
    }
    // A row that is not a set of text cells has only its shape errors: there is nothing to warn about.
    const warnings = isCellRow(raw) ? rowWarnings(raw) : [];
    for (let i = 0; i < warnings.length; i++) issues.push(warningIssue(row, warnings[i]!));
    return { row, payload, issues };
  };
}

function errorIssue(row: number, f: FieldFinding): Issue {
  // Messages may quote cells: detached, so a kept issue does not pin the reader's text.
  return { row, field: f.field, severity: 'error', code: f.code, message: detach(f.message) };
}

function warningIssue(row: number, w: FieldFinding): Issue {
  return { row, severity: 'warning', field: w.field, code: w.code, message: detach(w.message) };
}

export function validateRow(raw: RawRow, ctx: { row: number } & RowContext): ValidatedRow {
  return createRowValidator(ctx)(raw, ctx.row);
}

/**
 * A copy of a string that shares no memory with the text it was cut from (see `detach`), made by
 * flattening a one-character-longer string and cutting that character off: the copy holds no more
 * than the key itself, at a fraction of the cost of a JSON round trip. One per distinct name.
 */
function copyText(s: string): string {
  return ('\u0000' + s).slice(1);
}

interface Group {
  rows: number[];
  display: string;
}

/**
 * Duplicate project names within one organization. Feed rows in order with `add`; `finish` gives the
 * warnings to put on every row of each repeated name. Holds one entry per distinct name.
 */
export function createDuplicateNameTracker() {
  // Organization, then lower-cased name: the key `${organization}\u0000${name}` in two parts (split at
  // its first NUL, so an organization holding a NUL groups exactly as the one-string key would).
  // A name seen once holds its row; a repeated one its group, listed in `groups` in order of repeat.
  const byOrg = new Map<string, Map<string, number | Group>>();
  const groups: Group[] = [];
  return {
    add(row: number, organizationId: string, name: string): void {
      const n = name.trim();
      if (!n) return;
      let org = organizationId.trim();
      let lower = n.toLowerCase();
      if (org.indexOf('\u0000') !== -1) {
        const key = `${org}\u0000${lower}`;
        const cut = key.indexOf('\u0000');
        org = key.slice(0, cut);
        lower = key.slice(cut + 1);
      }
      let names = byOrg.get(org);
      if (names === undefined) {
        names = new Map();
        byOrg.set(copyText(org), names);
      }
      const seen = names.get(lower);
      if (seen === undefined) names.set(copyText(lower), row);
      else if (typeof seen === 'number') {
        const group: Group = { rows: [seen, row], display: detach(n) };
        names.set(lower, group);
        groups.push(group);
      } else seen.rows.push(row);
    },
    finish(): Issue[] {
      const out: Issue[] = [];
      for (const { rows, display: name } of groups) {
        const cut = increasing(rows) ? otherRowsByCut(rows) : null;
        for (let j = 0; j < rows.length; j++) {
          const row = rows[j]!;
          let count = rows.length - 1;
          let list: string;
          if (cut) list = cut(j);
          else {
            const others = rows.filter((r) => r !== row);
            count = others.length;
            list = others.join(', ');
          }
          out.push({
            row,
            field: 'name',
            severity: 'warning',
            code: 'duplicate_name',
            message: `The name "${name}" is also used in row${count > 1 ? 's' : ''} ${list} of the same organization: give each project its own name.`,
          });
        }
      }
      return out;
    },
  };
}

function increasing(rows: readonly number[]): boolean {
  for (let i = 1; i < rows.length; i++) if (!(rows[i]! > rows[i - 1]!)) return false;
  return true;
}

/**
 * For distinct rows: the list of all rows but the j-th, cut from one joined list, so a name repeated
 * on thousands of rows costs a few slices per row rather than a filter and a join of the whole list.
 */
function otherRowsByCut(rows: readonly number[]): (j: number) => string {
  const starts: number[] = [];
  let joined = '';
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) joined += ', ';
    starts.push(joined.length);
    joined += String(rows[i]);
  }
  const last = rows.length - 1;
  return (j) => {
    if (j === 0) return joined.slice(starts[1]);
    if (j === last) return joined.slice(0, starts[j]! - 2);
    return `${joined.slice(0, starts[j]! - 2)}, ${joined.slice(starts[j + 1])}`;
  };
}

/** Turn the reader's cell notes into errors on the fields their columns map to. */
export function noteIssues(notes: readonly CellNoteLike[], mapping: Mapping): Issue[] {
  const out: Issue[] = [];
  for (const n of notes) {
    const field = mapping.columns[n.column];
    if (field) out.push({ row: n.row, field, severity: 'error', code: n.code, message: n.message });
  }
  return out;
}

export function unmappedWarning(headers: readonly string[], mapping: Mapping): FileWarning | null {
  const { unmapped } = describeMapping(headers, mapping);
  if (unmapped.length === 0) return null;
  return {
    code: 'unmapped_columns',
    message: `${unmapped.length === 1 ? 'This column is' : 'These columns are'} not sent to the API: ${unmapped
      .map((h) => `"${h}"`)
      .join(
        ', ',
      )}. Map ${unmapped.length === 1 ? 'it' : 'them'} to a field if ${unmapped.length === 1 ? 'it was' : 'they were'} meant to be sent.`,
  };
}

export interface SheetValidation {
  mapping: Mapping;
  rows: ValidatedRow[];
  fileWarnings: FileWarning[];
}

/** Validate every row of a sheet, in file order. */
export function validateSheet(
  sheet: SheetLike,
  options: { mapping?: Mapping } & RowContext = {},
): SheetValidation {
  const mapping = options.mapping ?? autoMap(sheet.headers);
  const validate = createRowValidator(options);
  const dupes = createDuplicateNameTracker();
  const defaultOrg = options.defaultOrganizationId ?? '';
  const rows: ValidatedRow[] = [];
  const byRow = new Map<number, ValidatedRow>();
  for (const r of sheet.rows) {
    const raw = mapRow(r.cells, mapping);
    const v = validate(raw, r.row);
    rows.push(v);
    byRow.set(r.row, v);
    dupes.add(r.row, raw.organization_id?.trim() || defaultOrg, raw.name ?? '');
  }
  const extra = [...dupes.finish(), ...noteIssues(sheet.notes ?? [], mapping)];
  for (const issue of extra) {
    const v = byRow.get(issue.row);
    if (!v) continue;
    v.issues.push(issue);
    if (issue.severity === 'error') v.payload = null;
  }
  const fileWarnings: FileWarning[] = [];
  const w = unmappedWarning(sheet.headers, mapping);
  if (w) fileWarnings.push(w);
  return { mapping, rows, fileWarnings };
}

export function rowErrors(v: ValidatedRow): Issue[] {
  return v.issues.filter((i) => i.severity === 'error');
}
