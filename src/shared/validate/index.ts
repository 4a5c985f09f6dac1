/**
 * Row validation: the row schema applied to mapped rows, plus what only a whole file can tell
 * (duplicate names, unmapped columns, cells the reader flagged). Used as-is by the UI worker,
 * the main process and the CLI.
 */
import type { CreateProjectRequest } from '@political-comms/sdk';
import type { FieldName, RawRow } from '../schema/fields';
import { rowSchema, rowWarnings, type RowContext } from '../schema/row';
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

/** A validator for many rows with one compiled schema. */
export function createRowValidator(context: RowContext = {}): RowValidator {
  const schema = rowSchema(context);
  return (raw, row) => {
    const issues: Issue[] = [];
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const i of result.error.issues) {
        const field = (i.path[0] as FieldName | undefined) ?? 'name';
        const code =
          (i.code === 'custom' && (i.params as { code?: string } | undefined)?.code) || 'invalid_cell';
        // Messages may quote cells: detached, so a kept issue does not pin the reader's text.
        const message = i.code === 'custom' ? detach(i.message) : `${field}: the cell must be text.`;
        issues.push({ row, field, severity: 'error', code, message });
      }
    }
    for (const w of rowWarnings(raw))
      issues.push({ row, severity: 'warning', ...w, message: detach(w.message) });
    return { row, payload: result.success ? result.data : null, issues };
  };
}

export function validateRow(raw: RawRow, ctx: { row: number } & RowContext): ValidatedRow {
  return createRowValidator(ctx)(raw, ctx.row);
}

/**
 * Duplicate project names within one organization. Feed rows in order with `add`; `finish` gives the
 * warnings to put on every row of each repeated name. Holds one entry per distinct name.
 */
export function createDuplicateNameTracker() {
  const first = new Map<string, number>();
  const repeats = new Map<string, number[]>();
  const display = new Map<string, string>();
  return {
    add(row: number, organizationId: string, name: string): void {
      const n = name.trim();
      if (!n) return;
      const key = detach(`${organizationId.trim()}\u0000${n.toLowerCase()}`);
      const at = first.get(key);
      if (at === undefined) {
        first.set(key, row);
        return;
      }
      const list = repeats.get(key);
      if (list) list.push(row);
      else {
        repeats.set(key, [at, row]);
        display.set(key, detach(n));
      }
    },
    finish(): Issue[] {
      const out: Issue[] = [];
      for (const [key, rows] of repeats) {
        const name = display.get(key) ?? '';
        for (const row of rows) {
          const others = rows.filter((r) => r !== row);
          out.push({
            row,
            field: 'name',
            severity: 'warning',
            code: 'duplicate_name',
            message: `The name "${name}" is also used in row${others.length > 1 ? 's' : ''} ${others.join(', ')} of the same organization: give each project its own name.`,
          });
        }
      }
      return out;
    },
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
