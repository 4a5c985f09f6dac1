/**
 * Validation: the one zod row schema applied to mapped rows, plus what only a whole file can tell
 * (duplicate names, unmapped columns, two columns filling one field, cells the reader flagged). One
 * streaming validator (`createFileValidator`: add a row, get its result; finish, get what only the
 * whole file tells) serves the CLI, the main process and the UI worker, which builds its re-check of
 * one edited row on the same per-row function (`createRowCheck`).
 */
import type { CreateProjectRequest } from '@political-comms/sdk';
import { FIELD_NAMES, type FieldName, type RawRow } from '../schema/fields';
import { rowSchema, type FieldFinding, type RowContext } from '../schema/row';
import { autoMap, describeMapping, type Mapping } from '../mapping';
import type { Issue, Severity } from './types';

export type { Issue, Severity } from './types';

export interface ValidatedRow {
  row: number;
  /** The exact request body, or null when any issue is an error (or the mapping itself is wrong). */
  payload: CreateProjectRequest | null;
  issues: Issue[];
}

export interface FileWarning {
  code: string;
  message: string;
}

/** A finding about the whole file, said once (not once per row). Errors block every row. */
export interface FileIssue extends FileWarning {
  severity: Severity;
}

/** What the reader knows about a cell that the text alone cannot tell (e.g. a number that lost digits). */
export interface CellNoteLike {
  row: number;
  column: number;
  code: string;
  message: string;
}

/** A reader note on one cell of a row being checked. */
export type RowNote = Omit<CellNoteLike, 'row'>;

export interface SheetLike {
  headers: readonly string[];
  rows: ReadonlyArray<{ row: number; cells: readonly string[] }>;
  notes?: readonly CellNoteLike[];
}

export type RowValidator = (raw: RawRow, row: number) => ValidatedRow;

/**
 * A validator for many mapped rows with one compiled schema: every row goes through the zod row
 * schema, whose transform applies the rules of `checkRow` and `rowWarnings`.
 */
export function createRowValidator(context: RowContext = {}): RowValidator {
  const schema = rowSchema(context);
  return (raw, row) => {
    const issues: Issue[] = [];
    const result = schema.safeParse(raw);
    let payload: CreateProjectRequest | null = null;
    if (result.success) {
      const { findings, warnings } = result.data;
      payload = result.data.payload;
      for (let i = 0; i < findings.length; i++) issues.push(findingIssue(row, 'error', findings[i]!));
      // (A row that is not a set of text cells has no warnings: only its shape errors.)
      for (let i = 0; i < warnings.length; i++) issues.push(findingIssue(row, 'warning', warnings[i]!));
    } else {
      issues.push(
        findingIssue(row, 'error', {
          field: 'name',
          code: 'invalid_cell',
          message: 'The row is not a set of cells.',
        }),
      );
    }
    return { row, payload, issues };
  };
}

function findingIssue(row: number, severity: Severity, f: FieldFinding): Issue {
  // Messages may quote cells: copied, so a kept issue does not pin the reader's text.
  return { row, field: f.field, severity, code: f.code, message: copyText(f.message) };
}

export function validateRow(raw: RawRow, ctx: { row: number } & RowContext): ValidatedRow {
  return createRowValidator(ctx)(raw, ctx.row);
}

export interface RowCheckOptions {
  mapping: Mapping;
  /** The column headers, to name columns in messages (default: "column 1", "column 2", …). */
  headers?: readonly string[];
  defaultOrganizationId?: string;
}

/** The one per-row function: the cells of a row in, its body or its issues out. */
export interface RowCheck {
  readonly mapping: Mapping;
  /** Fields that more than one column fills: while any, no row is sendable. */
  readonly conflicts: ReadonlyArray<{ field: FieldName; headers: string[] }>;
  /**
   * One row: the exact body or null, and its issues — the schema's errors, its warnings, then the
   * reader's notes on mapped columns (errors on their fields).
   */
  check(cells: readonly string[], row: number, notes?: readonly RowNote[]): ValidatedRow;
  /** The duplicate-name key of a row (organization + lower-cased name), or null without a name. */
  nameKey(cells: readonly string[]): string | null;
}

export function createRowCheck(options: RowCheckOptions): RowCheck {
  const { mapping } = options;
  const defaultOrg = (options.defaultOrganizationId ?? '').trim();
  const validate = createRowValidator(defaultOrg ? { defaultOrganizationId: defaultOrg } : {});
  const headers = mapping.columns.map((_, i) => options.headers?.[i] ?? `column ${i + 1}`);
  const { conflicts } = describeMapping(headers, mapping);
  const cols = mapping.columns;
  const orgCols: number[] = [];
  const nameCols: number[] = [];
  cols.forEach((f, i) => {
    if (f === 'organization_id') orgCols.push(i);
    if (f === 'name') nameCols.push(i);
  });
  const toRaw = rawRowReader(mapping);
  return {
    mapping,
    conflicts,
    check(cells, row, notes) {
      const v = validate(toRaw(cells), row);
      if (conflicts.length > 0) v.payload = null;
      if (notes) {
        for (const n of notes) {
          const field = cols[n.column];
          if (!field) continue;
          v.issues.push({ row, field, severity: 'error', code: n.code, message: n.message });
          v.payload = null;
        }
      }
      return v;
    },
    nameKey(cells) {
      return nameKey(lastFilled(cells, orgCols) ?? '', lastFilled(cells, nameCols) ?? '', defaultOrg);
    },
  };
}

/** The last non-empty cell of these columns, as `mapRow` reads a field that several columns fill. */
function lastFilled(cells: readonly string[], cols: readonly number[] | undefined): string | undefined {
  let v: string | undefined;
  if (cols === undefined) return v;
  for (let i = 0; i < cols.length; i++) {
    const cell = cells[cols[i]!];
    if (cell !== undefined && cell !== '') v = cell;
  }
  return v;
}

/**
 * `mapRow` for one mapping, as an object of one fixed shape (every field present, undefined when no
 * column fills it): the same cells as `mapRow`, read much faster than an object built key by key.
 */
function rawRowReader(mapping: Mapping): (cells: readonly string[]) => RawRow {
  const at = FIELD_NAMES.map((f) => {
    const out: number[] = [];
    mapping.columns.forEach((c, i) => {
      if (c === f) out.push(i);
    });
    return out;
  });
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18] = at;
  return (cells) => ({
    organization_id: lastFilled(cells, c0),
    name: lastFilled(cells, c1),
    protocol: lastFilled(cells, c2),
    channel: lastFilled(cells, c3),
    brand_id: lastFilled(cells, c4),
    campaign_id: lastFilled(cells, c5),
    toll_free_verification_id: lastFilled(cells, c6),
    phone_number_ids: lastFilled(cells, c7),
    phone_number_id: lastFilled(cells, c8),
    contact_list_ids: lastFilled(cells, c9),
    suppression_list_ids: lastFilled(cells, c10),
    media_ids: lastFilled(cells, c11),
    message_text: lastFilled(cells, c12),
    link_tracking_enabled: lastFilled(cells, c13),
    link_tracking_destination_url: lastFilled(cells, c14),
    link_tracking_domain_id: lastFilled(cells, c15),
    link_tracking_param_field: lastFilled(cells, c16),
    link_tracking_fallback_url: lastFilled(cells, c17),
    opt_out_footer_enabled: lastFilled(cells, c18),
  });
}

/** Organization (the default one for an empty cell) and lower-cased name: same key, same project name. */
export function nameKey(organizationId: string, name: string, defaultOrganizationId = ''): string | null {
  const n = name.trim();
  if (!n) return null;
  const org = organizationId.trim() || defaultOrganizationId.trim();
  return `${org}\u0000${n.toLowerCase()}`;
}

export interface FileValidatorOptions extends RowCheckOptions {
  /** Reader notes known before the rows (a workbook's); each lands on its row when the row is added. */
  notes?: readonly CellNoteLike[];
}

export interface FileFindings {
  /** Issues that only the whole file shows, on rows already returned by `add` (duplicate names). */
  rowIssues: Issue[];
  /** Findings about the file itself, each said once: two columns filling one field, unmapped columns. */
  fileIssues: FileIssue[];
}

export interface FileValidator extends RowCheck {
  /** Check one row, in file order: its result is final but for what `finish` adds. */
  add(row: { row: number; cells: readonly string[]; notes?: readonly RowNote[] }): ValidatedRow;
  /** Reader notes that came after their rows (said by `finish`, on those rows). */
  note(notes: readonly CellNoteLike[]): void;
  finish(): FileFindings;
}

/**
 * The one validator for a whole file, streaming: holds the duplicate-name index (one entry per
 * distinct name) and the notes, never the rows.
 */
export function createFileValidator(options: FileValidatorOptions): FileValidator {
  const rowCheck = createRowCheck(options);
  const { mapping } = options;
  const headers = options.headers ?? [];
  const dupes = createDuplicateNameTracker();
  const defaultOrg = (options.defaultOrganizationId ?? '').trim();
  const cols = mapping.columns;
  const orgCol = cols.lastIndexOf('organization_id');
  const nameCol = cols.lastIndexOf('name');
  const single = cols.indexOf('organization_id') === orgCol && cols.indexOf('name') === nameCol;
  const notesByRow = new Map<number, RowNote[]>();
  for (const n of options.notes ?? []) {
    const list = notesByRow.get(n.row);
    const note = { column: n.column, code: n.code, message: n.message };
    if (list) list.push(note);
    else notesByRow.set(n.row, [note]);
  }
  const late: CellNoteLike[] = [];
  let finished = false;
  return {
    ...rowCheck,
    add(r) {
      if (finished) throw new Error('The file validator has already finished.');
      const early = notesByRow.size === 0 ? undefined : notesByRow.get(r.row);
      const notes = early ? (r.notes ? [...early, ...r.notes] : early) : r.notes;
      const v = rowCheck.check(r.cells, r.row, notes);
      if (single) {
        const name = nameCol === -1 ? '' : (r.cells[nameCol] ?? '');
        const org = orgCol === -1 ? '' : (r.cells[orgCol] ?? '');
        dupes.add(r.row, org.trim() || defaultOrg, name);
      } else {
        const key = rowCheck.nameKey(r.cells);
        if (key !== null) {
          const cut = key.indexOf('\u0000');
          dupes.add(r.row, key.slice(0, cut), key.slice(cut + 1));
        }
      }
      return v;
    },
    note(notes) {
      for (const n of notes) late.push(n);
    },
    finish() {
      finished = true;
      const rowIssues = [...dupes.finish(), ...noteIssues(late, mapping)];
      const fileIssues: FileIssue[] = [];
      for (const c of rowCheck.conflicts) fileIssues.push(conflictError(c.field, c.headers));
      const w = unmappedWarning(headers, mapping);
      if (w) fileIssues.push({ ...w, severity: 'warning' });
      return { rowIssues, fileIssues };
    },
  };
}

function conflictError(field: FieldName, headers: readonly string[]): FileIssue {
  return {
    code: 'mapping_conflict',
    severity: 'error',
    message: `${headers.length} columns fill ${field}: ${headers.map((h) => `"${h}"`).join(', ')}. Map only one of them to ${field} (or rename or delete the others): until then no row is sent.`,
  };
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
  let lastOrg: string | null = null;
  let lastNames: Map<string, number | Group> | undefined;
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
      // Rows of one organization usually follow each other: its names, without a lookup.
      let names = org === lastOrg ? lastNames : byOrg.get(org);
      if (names === undefined) {
        names = new Map();
        byOrg.set(copyText(org), names);
      }
      if (org !== lastOrg) {
        lastOrg = copyText(org);
        lastNames = names;
      }
      const seen = names.get(lower);
      // A lower-cased copy that differs from the name is already a string of its own.
      if (seen === undefined) names.set(lower === n ? copyText(lower) : lower, row);
      else if (typeof seen === 'number') {
        const group: Group = { rows: [seen, row], display: copyText(n) };
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
  /** Every file-level finding, each once (`fileIssues` says which are errors). */
  fileWarnings: FileWarning[];
  fileIssues: FileIssue[];
}

/** Validate every row of a sheet, in file order: the file validator over rows held in memory. */
export function validateSheet(
  sheet: SheetLike,
  options: { mapping?: Mapping } & RowContext = {},
): SheetValidation {
  const mapping = options.mapping ?? autoMap(sheet.headers);
  const validator = createFileValidator({
    mapping,
    headers: sheet.headers,
    ...(options.defaultOrganizationId !== undefined
      ? { defaultOrganizationId: options.defaultOrganizationId }
      : {}),
    ...(sheet.notes ? { notes: sheet.notes } : {}),
  });
  const rows: ValidatedRow[] = [];
  const byRow = new Map<number, ValidatedRow>();
  for (const r of sheet.rows) {
    const v = validator.add(r);
    rows.push(v);
    byRow.set(r.row, v);
  }
  const { rowIssues, fileIssues } = validator.finish();
  for (const issue of rowIssues) {
    const v = byRow.get(issue.row);
    if (!v) continue;
    v.issues.push(issue);
    if (issue.severity === 'error') v.payload = null;
  }
  return {
    mapping,
    rows,
    fileWarnings: fileIssues.map(({ code, message }) => ({ code, message })),
    fileIssues,
  };
}

export function rowErrors(v: ValidatedRow): Issue[] {
  return v.issues.filter((i) => i.severity === 'error');
}
