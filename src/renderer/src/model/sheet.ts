/**
 * The grid's data on the UI thread: the cells (columns as read, plus the user's edits), and what is
 * known about every row — the validator's severities per field, duplicate names, the account
 * pre-flight's findings and the submission's results — with running counts per field and per row
 * kind, an undo/redo history, and the row order after deletions.
 *
 * Rows are addressed by their physical index (their position in the file as read); `rowNumbers`
 * gives the number Excel shows. Severities live in flat typed arrays (row * NF + field) so a million
 * rows cost a few dozen megabytes. Messages are never stored: they are recomputed for the few rows
 * on screen.
 */
import type { Mapping } from '../../../shared/mapping';
import type { RowResult } from '../../../shared/results';
import { rowKeyOf, type ColumnChange, type CreatedRow } from '../worker/protocol';

export type { ColumnChange };
import type { CellNote } from '../../../shared/sheet';
import type { FieldName } from '../../../shared/schema/fields';
import type { Issue } from '../../../shared/validate';
import type { Fix } from '../../../shared/validate/types';
import { createRowChecker, type NoteLike, type RowChecker } from './check';
import { columnarCell, type Columnar } from './columnar';
import {
  FIELD_INDEX,
  FLAG_FORBIDDEN,
  FORBIDDEN_CODES,
  NAME_FIELD,
  NF,
  SEV_ERROR,
  SEV_WARNING,
} from './fields';
import { Observable } from './observable';
import { trimSpaces } from './spaces';

export interface SheetSource {
  headers: string[];
  rowNumbers: Int32Array;
  /** The first rows' cells: enough to paint before every cell has arrived (see `setColumns`). */
  head: string[][];
  notes: CellNote[];
  /** Row keys when the rows came with theirs (a run resumed), else null (see `rowKeyOf`). */
  keys: string[] | null;
  /** Rows already created (a results sheet reopened, a run resumed): shown as Created, locked. */
  created: CreatedRow[];
}

/** The row result the model keeps (the bridge's, keyed by row key). */
export type ModelRowResult = RowResult & { rowKey: string };

/** Why an edit was refused, told once per refused action. */
export const LOCKED_CREATED =
  'Rows already created are locked: their projects exist, so the row stays as it was sent. Change the project in the dashboard instead.';
export const LOCKED_SENDING = 'Rows being sent are locked until the run ends.';

/** How the model reaches the worker that mirrors it. */
export interface ModelLink {
  /** Edited cells, so the worker's copy stays equal to the grid. */
  cells(keys: Int32Array, values: string[]): void;
  order(order: Int32Array): void;
  /** Validate these rows in the worker (for edits too large to check at once); returns the pass id. */
  validate(rows: Int32Array): number;
  /** The document gained a last column (or lost it): the worker's copy follows, before any cell of it. */
  columns(change: ColumnChange): void;
  /** The columns and their mapping changed: every row is checked again with `mapping` (a full pass). */
  remapped(mapping: Mapping): void;
  /** The id of the last validation pass asked of the worker. */
  lastPass(): number;
}

export const STATUS_NONE = 0;
export const STATUS_CREATED = 1;
export const STATUS_FAILED = 2;
export const STATUS_INVALID = 3;
export const STATUS_SKIPPED = 4;
export const STATUS_NOT_SENT = 5;
const STATUS_CODES: Record<RowResult['status'], number> = {
  created: STATUS_CREATED,
  failed: STATUS_FAILED,
  invalid: STATUS_INVALID,
  skipped: STATUS_SKIPPED,
  not_sent: STATUS_NOT_SENT,
};

interface Layer {
  issues: Issue[];
  sev: Uint8Array;
}

interface ResultLayer extends Layer {
  result: ModelRowResult;
}

export type Command =
  | { kind: 'cells'; label: string; keys: Int32Array; before: string[]; after: string[] }
  | { kind: 'delete'; label: string; rows: Int32Array }
  /**
   * A column added as the last one, mapped to `field`, with these cells set (`before` is all empty).
   * Undone, it takes the steps redone after it along (`later`), to give them back when redone.
   */
  | {
      kind: 'column';
      label: string;
      header: string;
      field: FieldName;
      keys: Int32Array;
      before: string[];
      after: string[];
      later: Command[];
    };

export interface CellChange {
  row: number;
  col: number;
  value: string;
}

export type RowFilter = 'all' | 'errors' | 'warnings' | 'valid' | 'created';

/** Above this many rows, an edit is validated in the worker instead of at once. */
export const LOCAL_VALIDATION_LIMIT = 3000;

const DUP_MESSAGE = 'Another row of the same organization has this name: give each project its own name.';

function layerOf(issues: Issue[]): Layer {
  const sev = new Uint8Array(NF);
  for (const i of issues) {
    const f = FIELD_INDEX.get(i.field);
    if (f === undefined) continue;
    const s = i.severity === 'error' ? SEV_ERROR : SEV_WARNING;
    if (sev[f]! < s) sev[f] = s;
  }
  return { issues, sev };
}

export class SheetModel extends Observable {
  /** The columns' headers: those read, then any column added here (see `addColumn`). */
  headers: string[];
  nCols: number;
  readonly n: number;
  readonly rowNumbers: Int32Array;
  private data: Columnar | null = null;
  private readonly head: string[][];
  private readonly edits = new Map<number, string>();
  private readonly notesByRow = new Map<number, NoteLike[]>();

  /** Rows still in the sheet, in order. */
  order: Int32Array;
  private readonly alive: Uint8Array;

  mapping: Mapping;
  defaultOrg: string;
  private checker: RowChecker;
  /** Column of each field (first one mapped), -1 when none. */
  readonly fieldColumn = new Int32Array(NF).fill(-1);

  private readonly vSev: Uint8Array;
  private readonly vFlags: Uint8Array;
  private readonly validated: Uint8Array;
  private readonly localMark: Int32Array;
  private readonly dupFlag: Uint8Array;
  /** What the account check found (kept current by the worker as rows change). */
  private readonly acct = new Map<number, Layer>();
  /** Rows a run is sending now: locked until their answer comes. */
  private readonly inFlight = new Set<number>();
  private readonly keys: string[] | null;
  private keyIndex: Map<string, number> | null = null;
  private readonly refusalListeners = new Set<(message: string) => void>();
  private readonly res = new Map<number, ResultLayer>();
  readonly resultStatus: Uint8Array;

  /** Combined severity of each row (validator, duplicates, account, results). */
  readonly rowSev: Uint8Array;
  readonly errors = new Int32Array(NF);
  readonly warnings = new Int32Array(NF);
  rowsError = 0;
  rowsWarning = 0;
  rowsValid = 0;
  rowsPending = 0;
  rowsForbidden = 0;
  rowsCreated = 0;
  rowsFailed = 0;
  /** Rows with account findings. */
  accountRows = 0;

  private undoStack: Command[] = [];
  private redoStack: Command[] = [];
  private savedAt: Command | null = null;
  /**
   * Edits not saved whose undo steps a run cut from the history: the sheet stays unsaved until it is
   * saved, whatever is undone or redone meanwhile.
   */
  private unsavedCut = false;

  /** Bumped on every change to row r (the whole model's `version` on every change). */
  readonly rowVersion: Uint32Array;
  private readonly issueCache = new Map<number, { v: number; epoch: number; issues: Issue[] }>();
  /** Bumped when every row's look may change (a new mapping). */
  epoch = 0;

  constructor(
    source: SheetSource,
    mapping: Mapping,
    defaultOrg: string,
    private readonly link: ModelLink,
  ) {
    super();
    this.headers = source.headers;
    this.nCols = source.headers.length;
    this.rowNumbers = source.rowNumbers;
    this.n = source.rowNumbers.length;
    this.head = source.head;
    const rowIndex = new Map<number, number>();
    for (let r = 0; r < this.n; r++) rowIndex.set(this.rowNumbers[r]!, r);
    for (const note of source.notes) {
      const r = rowIndex.get(note.row);
      if (r === undefined) continue;
      const list = this.notesByRow.get(r) ?? [];
      list.push({ column: note.column, code: note.code, message: note.message });
      this.notesByRow.set(r, list);
    }
    const n = this.n;
    this.order = new Int32Array(n);
    for (let r = 0; r < n; r++) this.order[r] = r;
    this.alive = new Uint8Array(n).fill(1);
    this.vSev = new Uint8Array(n * NF);
    this.vFlags = new Uint8Array(n);
    this.validated = new Uint8Array(n);
    this.localMark = new Int32Array(n);
    this.dupFlag = new Uint8Array(n);
    this.resultStatus = new Uint8Array(n);
    this.rowSev = new Uint8Array(n);
    this.rowVersion = new Uint32Array(n);
    this.rowsPending = n;
    this.mapping = mapping;
    this.defaultOrg = defaultOrg;
    this.checker = createRowChecker(mapping, defaultOrg);
    this.indexFields();
    this.keys = source.keys;
    for (const c of source.created) {
      if (c.index < 0 || c.index >= n) continue;
      this.setResult(
        c.index,
        {
          rowKey: this.rowKey(c.index),
          row: this.rowNumbers[c.index]!,
          status: 'created',
          projectId: c.projectId,
          ...(c.projectStatus ? { projectStatus: c.projectStatus } : {}),
          attempts: 0,
        },
        [],
      );
    }
  }

  // ---- row keys -----------------------------------------------------------------------------

  /** The row's identity from reading to results. */
  rowKey(r: number): string {
    return rowKeyOf(this.rowNumbers, this.keys, r);
  }

  /** The physical row of a row key, or undefined when it is not one of this document's. */
  rowOfKey(key: string): number | undefined {
    if (this.keys) {
      this.keyIndex ??= new Map(this.keys.map((k, i) => [k, i]));
      return this.keyIndex.get(key);
    }
    const m = /^row-([1-9][0-9]{0,8})$/.exec(key);
    if (!m) return undefined;
    // Rows are numbered in increasing order: find this one's number by halving.
    const wanted = Number(m[1]);
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.rowNumbers[mid]!;
      if (at === wanted) return this.rowKey(mid) === key ? mid : undefined;
      if (at < wanted) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  // ---- cells --------------------------------------------------------------------------------

  /** Every cell has arrived: until then only the first rows can be shown, and nothing can be edited. */
  get loaded(): boolean {
    return this.data !== null;
  }

  setColumns(cols: string[], offs: Uint32Array[]): void {
    this.data = { n: this.n, cols, offs };
    this.epoch++;
    this.changed();
  }

  original(r: number, c: number): string {
    return this.data ? columnarCell(this.data, r, c) : (this.head[r]?.[c] ?? '');
  }

  cell(r: number, c: number): string {
    const e = this.edits.get(r * this.nCols + c);
    if (e !== undefined) return e;
    return this.data ? columnarCell(this.data, r, c) : (this.head[r]?.[c] ?? '');
  }

  rowCells(r: number): string[] {
    const out = new Array<string>(this.nCols);
    for (let c = 0; c < this.nCols; c++) out[c] = this.cell(r, c);
    return out;
  }

  isEdited(r: number, c: number): boolean {
    return this.edits.has(r * this.nCols + c);
  }

  get editCount(): number {
    return this.edits.size;
  }

  isAlive(r: number): boolean {
    return this.alive[r] === 1;
  }

  /** A created row (or one being sent) is never edited. */
  isLocked(r: number): boolean {
    return this.resultStatus[r] === STATUS_CREATED || this.inFlight.has(r);
  }

  /** Whether a row may be edited; when not, the user is told why (as for any refused edit). */
  editable(r: number): boolean {
    if (!this.isLocked(r)) return true;
    this.refuse(r);
    return false;
  }

  private lockReason(r: number): string {
    return this.resultStatus[r] === STATUS_CREATED ? LOCKED_CREATED : LOCKED_SENDING;
  }

  private refuse(r: number): void {
    const text = this.lockReason(r);
    for (const l of this.refusalListeners) l(text);
  }

  /** Hear why an edit was refused (once per refused action); returns the way to stop listening. */
  onRefusal(listener: (message: string) => void): () => void {
    this.refusalListeners.add(listener);
    return () => {
      this.refusalListeners.delete(listener);
    };
  }

  /**
   * A run is sending these rows: they are locked until their answer comes, and the undo history
   * forgets every step on them (so no undo ever changes a row that was sent).
   */
  beginSending(rows: Iterable<number>): void {
    const sent = new Set<number>();
    for (const r of rows) if (r >= 0 && r < this.n) sent.add(r);
    for (const r of sent) this.inFlight.add(r);
    this.cutHistory(sent);
    this.changed();
  }

  /** The run ended: rows it did not answer for are editable again. */
  endSending(): void {
    if (this.inFlight.size === 0) return;
    this.inFlight.clear();
    this.changed();
  }

  get sending(): number {
    return this.inFlight.size;
  }

  private cutHistory(rows: ReadonlySet<number>): void {
    if (rows.size === 0) return;
    const cut = (stack: Command[]): Command[] => {
      const out: Command[] = [];
      for (const cmd of stack) {
        if (cmd.kind === 'delete') {
          const keep = cmd.rows.filter((r) => !rows.has(r));
          if (keep.length === cmd.rows.length) out.push(cmd);
          else if (keep.length > 0) {
            cmd.rows = keep;
            out.push(cmd);
          }
          continue;
        }
        if (cmd.kind === 'column') {
          // Undoing it would empty the column in the rows sent: it stays, and leaves the history.
          if (Array.from(cmd.keys).some((k) => rows.has(Math.floor(k / this.nCols)))) continue;
          cmd.later = [];
          out.push(cmd);
          continue;
        }
        const keep: number[] = [];
        for (let i = 0; i < cmd.keys.length; i++) {
          if (!rows.has(Math.floor(cmd.keys[i]! / this.nCols))) keep.push(i);
        }
        if (keep.length === cmd.keys.length) out.push(cmd);
        else if (keep.length > 0) {
          // Changed in place, so "saved at this step" still recognises it.
          cmd.keys = Int32Array.from(keep, (i) => cmd.keys[i]!);
          cmd.before = keep.map((i) => cmd.before[i]!);
          cmd.after = keep.map((i) => cmd.after[i]!);
          out.push(cmd);
        }
      }
      return out;
    };
    // The history changes, the cells do not: the sheet is as saved, or as unsaved, as it was.
    const wasDirty = this.dirty;
    this.undoStack = cut(this.undoStack);
    this.redoStack = cut(this.redoStack);
    if (wasDirty) this.unsavedCut = true;
    else this.savedAt = this.undoStack.at(-1) ?? null;
  }

  /** The rows a step touches. */
  private commandRows(cmd: Command, stride = this.nCols): number[] {
    if (cmd.kind === 'delete') return [...cmd.rows];
    return Array.from(cmd.keys, (k) => Math.floor(k / stride));
  }

  /**
   * Whether a row can be sent now: in the sheet, not created nor being sent, checked, without an
   * error (a failed row only when `failed` asks for the failed rows, which are sent again as they are).
   */
  isSendable(r: number, failed = false): boolean {
    if (!this.alive[r] || this.isLocked(r) || !this.validated[r]) return false;
    const status = this.resultStatus[r];
    if (failed) return status === STATUS_FAILED && this.ownSev(r) < SEV_ERROR;
    if (status === STATUS_FAILED) return false;
    return this.rowSev[r]! < SEV_ERROR;
  }

  /** The row's severity from the validator, duplicates and the account (not from the results). */
  private ownSev(r: number): number {
    let max = 0;
    for (let f = 0; f < NF; f++) {
      let s = this.vSev[r * NF + f]!;
      if (f === NAME_FIELD && this.dupFlag[r] && s < SEV_WARNING) s = SEV_WARNING;
      const a = this.acct.get(r)?.sev[f] ?? 0;
      if (a > s) s = a;
      if (s > max) max = s;
    }
    return max;
  }

  get dirty(): boolean {
    return this.unsavedCut || (this.undoStack.at(-1) ?? null) !== this.savedAt;
  }

  markSaved(): void {
    this.savedAt = this.undoStack.at(-1) ?? null;
    this.unsavedCut = false;
    this.changed();
  }

  // ---- mapping and validation -----------------------------------------------------------------

  private indexFields(): void {
    this.fieldColumn.fill(-1);
    this.mapping.columns.forEach((f, c) => {
      if (!f) return;
      const i = FIELD_INDEX.get(f)!;
      if (this.fieldColumn[i] === -1) this.fieldColumn[i] = c;
    });
  }

  fieldOfColumn(c: number): FieldName | null {
    return this.mapping.columns[c] ?? null;
  }

  /** A new mapping or default organization: the caller starts a full validation pass in the worker. */
  setMapping(mapping: Mapping, defaultOrg: string): void {
    this.mapping = mapping;
    this.defaultOrg = defaultOrg;
    this.checker = createRowChecker(mapping, defaultOrg);
    this.indexFields();
    this.epoch++;
    this.issueCache.clear();
    this.changed();
  }

  private notesFor(r: number): NoteLike[] | undefined {
    const notes = this.notesByRow.get(r);
    if (!notes) return undefined;
    return notes.filter((n) => !this.edits.has(r * this.nCols + n.column));
  }

  /** Add (sign 1) or remove (sign -1) a row's share of the counts. */
  private contribute(r: number, sign: 1 | -1): void {
    if (!this.alive[r]) return;
    const status = this.resultStatus[r]!;
    if (status === STATUS_CREATED) {
      // A created row is done: it no longer counts among the rows to fix or to send.
      this.rowsCreated += sign;
      if (sign > 0) this.rowSev[r] = 0;
      return;
    }
    if (status === STATUS_FAILED) this.rowsFailed += sign;
    if (this.acct.has(r)) this.accountRows += sign;
    if (!this.validated[r]) {
      this.rowsPending += sign;
      if (sign > 0) this.rowSev[r] = 0;
      return;
    }
    const base = r * NF;
    const pre = this.acct.get(r)?.sev;
    const res = this.res.get(r)?.sev;
    let rowMax = status === STATUS_FAILED ? SEV_ERROR : 0;
    for (let f = 0; f < NF; f++) {
      let s = this.vSev[base + f]!;
      if (f === NAME_FIELD && this.dupFlag[r] && s < SEV_WARNING) s = SEV_WARNING;
      if (pre && pre[f]! > s) s = pre[f]!;
      if (res && res[f]! > s) s = res[f]!;
      if (s === SEV_ERROR) this.errors[f]! += sign;
      else if (s === SEV_WARNING) this.warnings[f]! += sign;
      if (s > rowMax) rowMax = s;
    }
    if (rowMax === SEV_ERROR) this.rowsError += sign;
    else if (rowMax === SEV_WARNING) this.rowsWarning += sign;
    else this.rowsValid += sign;
    const flags = this.vFlags[r]!;
    if (flags & FLAG_FORBIDDEN) this.rowsForbidden += sign;
    if (sign > 0) this.rowSev[r] = rowMax;
  }

  private touch(r: number, change: () => void): void {
    this.contribute(r, -1);
    change();
    this.contribute(r, 1);
    this.rowVersion[r]!++;
  }

  /** Validate rows now, on this thread (an edit touches few rows: well within a frame). */
  private validateHere(rows: Iterable<number>): void {
    const mark = this.link.lastPass();
    const scratch = new Uint8Array(NF);
    for (const r of rows) {
      this.touch(r, () => {
        this.vFlags[r] = this.checker.check(this.rowCells(r), this.rowNumbers[r]!, this.notesFor(r), scratch);
        this.vSev.set(scratch, r * NF);
        this.validated[r] = 1;
        this.localMark[r] = mark;
      });
    }
  }

  private revalidate(rows: number[]): void {
    if (rows.length <= LOCAL_VALIDATION_LIMIT) this.validateHere(rows);
    else this.link.validate(Int32Array.from(rows));
  }

  /** A chunk of a validation pass from the worker. Rows validated here since the pass began keep their result. */
  applyChecked(
    pass: number,
    start: number,
    count: number,
    rows: Int32Array | null,
    sev: Uint8Array,
    flags: Uint8Array,
  ): void {
    for (let i = 0; i < count; i++) {
      const r = rows ? rows[i]! : start + i;
      if (pass <= this.localMark[r]!) continue;
      this.touch(r, () => {
        this.vSev.set(sev.subarray(i * NF, (i + 1) * NF), r * NF);
        this.vFlags[r] = flags[i]!;
        this.validated[r] = 1;
      });
    }
  }

  applyDups(rows: Int32Array, flags: Uint8Array, full: boolean): void {
    if (full) {
      const next = new Uint8Array(this.n);
      for (let i = 0; i < rows.length; i++) next[rows[i]!] = 1;
      for (let r = 0; r < this.n; r++) {
        if (next[r] !== this.dupFlag[r]) this.touch(r, () => (this.dupFlag[r] = next[r]!));
      }
      return;
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (this.dupFlag[r] !== flags[i]) this.touch(r, () => (this.dupFlag[r] = flags[i]!));
    }
  }

  isValidated(r: number): boolean {
    return this.validated[r] === 1;
  }

  /** Severity of one cell: the worst of every layer for the field its column fills. */
  cellSev(r: number, c: number): number {
    const field = this.mapping.columns[c];
    if (!field) return 0;
    return this.fieldSev(r, FIELD_INDEX.get(field)!);
  }

  fieldSev(r: number, f: number): number {
    if (!this.validated[r]) return 0;
    let s = this.vSev[r * NF + f]!;
    if (f === NAME_FIELD && this.dupFlag[r] && s < SEV_WARNING) s = SEV_WARNING;
    const pre = this.acct.get(r)?.sev[f] ?? 0;
    const res = this.res.get(r)?.sev[f] ?? 0;
    return Math.max(s, pre, res);
  }

  hasDuplicateName(r: number): boolean {
    return this.dupFlag[r] === 1;
  }

  rowFlags(r: number): number {
    return this.vFlags[r]!;
  }

  /** Every issue of a row, in column order: the validator's, the account's and the API's. */
  issuesOf(r: number): Issue[] {
    const cached = this.issueCache.get(r);
    if (cached && cached.v === this.rowVersion[r] && cached.epoch === this.epoch) return cached.issues;
    const row = this.rowNumbers[r]!;
    const issues: Issue[] = [];
    this.checker.check(this.rowCells(r), row, this.notesFor(r), new Uint8Array(NF), issues);
    if (this.dupFlag[r]) {
      issues.push({ row, field: 'name', severity: 'warning', code: 'duplicate_name', message: DUP_MESSAGE });
    }
    const pre = this.acct.get(r);
    if (pre) issues.push(...pre.issues);
    const res = this.res.get(r);
    if (res)
      issues.push(
        ...res.issues.filter((i) => !issues.some((j) => j.field === i.field && j.message === i.message)),
      );
    const position = (i: Issue) => {
      const c = this.fieldColumn[FIELD_INDEX.get(i.field)!]!;
      return c === -1 ? -1 : c;
    };
    issues.sort((a, b) => position(a) - position(b));
    if (this.issueCache.size > 400) this.issueCache.clear();
    this.issueCache.set(r, { v: this.rowVersion[r]!, epoch: this.epoch, issues });
    return issues;
  }

  /** The validator's own issues of a row (without duplicates, account findings and results). */
  validatorIssues(r: number): Issue[] {
    const issues: Issue[] = [];
    this.checker.check(this.rowCells(r), this.rowNumbers[r]!, this.notesFor(r), new Uint8Array(NF), issues);
    return issues;
  }

  /** Issues of a row on one cell's field. */
  cellIssues(r: number, c: number): Issue[] {
    const field = this.mapping.columns[c];
    if (!field) return [];
    return this.issuesOf(r).filter((i) => i.field === field);
  }

  // ---- account findings and results -------------------------------------------------------------

  /**
   * Account findings of these rows, replacing what was known of them (`issues[i]` is `rows[i]`'s);
   * with `full`, every other row has none.
   */
  setAccount(rows: ArrayLike<number>, issues: ReadonlyArray<Issue[]>, full: boolean): void {
    const next = new Map<number, Issue[]>();
    for (let i = 0; i < rows.length; i++) next.set(rows[i]!, issues[i] ?? []);
    const touched = full ? new Set<number>([...this.acct.keys(), ...next.keys()]) : next.keys();
    for (const r of touched) {
      if (r < 0 || r >= this.n) continue;
      const list = next.get(r) ?? [];
      const old = this.acct.get(r);
      if (!old && list.length === 0) continue;
      this.touch(r, () => {
        if (list.length > 0) this.acct.set(r, layerOf(list));
        else this.acct.delete(r);
      });
    }
    this.changed();
  }

  accountIssues(r: number): Issue[] {
    return this.acct.get(r)?.issues ?? [];
  }

  setResult(r: number, result: ModelRowResult, issues: Issue[]): void {
    this.inFlight.delete(r);
    // A row already created stays created, whatever a later answer says.
    if (this.resultStatus[r] === STATUS_CREATED && result.status !== 'created') return;
    this.touch(r, () => {
      this.res.set(r, { result, ...layerOf(issues) });
      this.resultStatus[r] = STATUS_CODES[result.status];
    });
  }

  resultOf(r: number): ModelRowResult | undefined {
    return this.res.get(r)?.result;
  }

  /** Every row's latest result (physical index -> result), for the results file. */
  results(): Array<ModelRowResult & { index: number }> {
    return [...this.res.entries()].map(([index, l]) => ({ ...l.result, index }));
  }

  get hasResults(): boolean {
    return this.res.size > 0;
  }

  // ---- editing ---------------------------------------------------------------------------------

  /**
   * Change cells as one undoable step. Rows already created (or being sent) are left alone, and the
   * user is told once why. Returns the number changed.
   */
  setCells(changes: readonly CellChange[], label: string): number {
    if (!this.data) return 0;
    let refused = -1;
    const keys: number[] = [];
    const before: string[] = [];
    const after: string[] = [];
    const seen = new Map<number, number>();
    for (const ch of changes) {
      if (ch.col < 0 || ch.col >= this.nCols || ch.row < 0 || ch.row >= this.n) continue;
      if (!this.alive[ch.row]) continue;
      if (this.isLocked(ch.row)) {
        if (refused === -1) refused = ch.row;
        continue;
      }
      const key = ch.row * this.nCols + ch.col;
      const at = seen.get(key);
      if (at !== undefined) {
        after[at] = ch.value;
        continue;
      }
      seen.set(key, keys.length);
      keys.push(key);
      before.push(this.cell(ch.row, ch.col));
      after.push(ch.value);
    }
    // Drop the cells a change leaves as they were.
    const k2: number[] = [];
    const b2: string[] = [];
    const a2: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      if (before[i] === after[i]) continue;
      k2.push(keys[i]!);
      b2.push(before[i]!);
      a2.push(after[i]!);
    }
    if (refused !== -1) this.refuse(refused);
    if (k2.length === 0) return 0;
    const cmd: Command = { kind: 'cells', label, keys: Int32Array.from(k2), before: b2, after: a2 };
    this.push(cmd);
    this.applyCells(cmd.keys, cmd.after);
    return k2.length;
  }

  private applyCells(keys: Int32Array, values: string[]): void {
    const touched = new Set<number>();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const r = Math.floor(key / this.nCols);
      const c = key - r * this.nCols;
      const value = values[i]!;
      if (value === this.original(r, c)) this.edits.delete(key);
      else this.edits.set(key, value);
      touched.add(r);
    }
    // The API's answer to a row not created describes the row as it was sent: once edited, the row
    // is checked again as it is now (the account findings follow from the worker at once).
    for (const r of touched) {
      if (!this.res.has(r) || this.resultStatus[r] === STATUS_CREATED) continue;
      this.touch(r, () => {
        this.res.delete(r);
        this.resultStatus[r] = STATUS_NONE;
      });
    }
    this.link.cells(keys, values);
    this.revalidate([...touched]);
    this.editsSinceView++;
    this.changed();
  }

  /** Delete rows (physical indexes) as one undoable step. */
  deleteRows(rows: readonly number[], label = 'Delete rows'): number {
    if (!this.data) return 0;
    const inSheet = rows.filter((r) => r >= 0 && r < this.n && this.alive[r]);
    const locked = inSheet.find((r) => this.isLocked(r));
    if (locked !== undefined) this.refuse(locked);
    const list = Int32Array.from(new Set(inSheet.filter((r) => !this.isLocked(r))));
    if (list.length === 0) return 0;
    list.sort();
    const cmd: Command = { kind: 'delete', label, rows: list };
    this.push(cmd);
    this.applyDelete(list, true);
    return list.length;
  }

  private applyDelete(rows: Int32Array, deleting: boolean): void {
    for (const r of rows) {
      if (deleting) {
        this.contribute(r, -1);
        this.alive[r] = 0;
      } else {
        this.alive[r] = 1;
        this.contribute(r, 1);
      }
      this.rowVersion[r]!++;
    }
    let live = 0;
    for (let r = 0; r < this.n; r++) if (this.alive[r]) live++;
    const order = new Int32Array(live);
    let k = 0;
    for (let r = 0; r < this.n; r++) if (this.alive[r]) order[k++] = r;
    this.order = order;
    this.link.order(order);
    this.viewGeneration++;
    this.changed();
  }

  private push(cmd: Command): void {
    this.undoStack.push(cmd);
    if (this.undoStack.length > 500) this.undoStack.shift();
    this.redoStack = [];
  }

  get undoLabel(): string | null {
    return this.undoStack.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.redoStack.at(-1)?.label ?? null;
  }

  /** A step touching a locked row is not undone nor redone (the history is cut when rows are sent). */
  private refusesStep(cmd: Command, redo = false): boolean {
    // A column to add again is laid out one column wider than the sheet is now.
    const stride = redo && cmd.kind === 'column' ? this.nCols + 1 : this.nCols;
    const locked = this.commandRows(cmd, stride).find((r) => this.isLocked(r));
    if (locked === undefined) return false;
    this.refuse(locked);
    return true;
  }

  /** Undo the last step; returns it (so the UI can select what changed), or null. */
  undo(): Command | null {
    const cmd = this.undoStack.at(-1);
    if (!cmd || this.refusesStep(cmd)) return null;
    this.undoStack.pop();
    if (cmd.kind === 'column') {
      // The steps redone after it need the column: they wait inside it until it is redone.
      cmd.later = this.redoStack;
      this.redoStack = [];
      this.dropColumn();
      this.redoStack = [cmd];
      return cmd;
    }
    this.redoStack.push(cmd);
    if (cmd.kind === 'cells') this.applyCells(cmd.keys, cmd.before);
    else this.applyDelete(cmd.rows, false);
    return cmd;
  }

  redo(): Command | null {
    const cmd = this.redoStack.at(-1);
    if (!cmd || this.refusesStep(cmd, true)) return null;
    this.redoStack.pop();
    if (cmd.kind === 'column') {
      this.applyColumn(cmd);
      this.undoStack.push(cmd);
      this.redoStack.push(...cmd.later);
      cmd.later = [];
      return cmd;
    }
    this.undoStack.push(cmd);
    if (cmd.kind === 'cells') this.applyCells(cmd.keys, cmd.after);
    else this.applyDelete(cmd.rows, true);
    return cmd;
  }

  // ---- columns added here -----------------------------------------------------------------------

  /**
   * Add a last column mapped to `field`, headed `header`, with these cells set, as one undoable step
   * (undo removes the column). Rows already created (or being sent) stay empty in it, and the user
   * is told once why. Returns the number of cells set, or -1 when no column was added.
   */
  addColumn(
    header: string,
    field: FieldName,
    values: ReadonlyArray<{ row: number; value: string }>,
    label: string,
  ): number {
    if (!this.data) return -1;
    const stride = this.nCols + 1;
    const col = this.nCols;
    let refused = -1;
    const seen = new Map<number, number>();
    const keys: number[] = [];
    const after: string[] = [];
    for (const v of values) {
      if (v.row < 0 || v.row >= this.n || !this.alive[v.row] || v.value === '') continue;
      if (this.isLocked(v.row)) {
        if (refused === -1) refused = v.row;
        continue;
      }
      const key = v.row * stride + col;
      const at = seen.get(key);
      if (at !== undefined) {
        after[at] = v.value;
        continue;
      }
      seen.set(key, keys.length);
      keys.push(key);
      after.push(v.value);
    }
    if (refused !== -1) this.refuse(refused);
    const cmd: Command = {
      kind: 'column',
      label,
      header,
      field,
      keys: Int32Array.from(keys),
      before: keys.map(() => ''),
      after,
      later: [],
    };
    this.applyColumn(cmd);
    this.push(cmd);
    return keys.length;
  }

  /** Re-lay every edit and every step of the history from `from` columns a row to `to`. */
  private restride(from: number, to: number, dropColumn: number | null): void {
    const move = (k: number) => {
      const r = Math.floor(k / from);
      return r * to + (k - r * from);
    };
    const next = new Map<number, string>();
    for (const [k, v] of this.edits) {
      if (dropColumn !== null && k % from === dropColumn) continue;
      next.set(move(k), v);
    }
    this.edits.clear();
    for (const [k, v] of next) this.edits.set(k, v);
    for (const cmd of [...this.undoStack, ...this.redoStack]) {
      if (cmd.kind === 'delete') continue;
      cmd.keys = cmd.keys.map(move);
    }
  }

  private applyColumn(cmd: Extract<Command, { kind: 'column' }>): void {
    const data = this.data!;
    this.restride(this.nCols, this.nCols + 1, null);
    data.cols.push('');
    data.offs.push(new Uint32Array(this.n + 1));
    this.headers = [...this.headers, cmd.header];
    this.nCols++;
    this.remap({ columns: [...this.mapping.columns, cmd.field] });
    this.link.columns({ op: 'add', header: cmd.header });
    if (cmd.keys.length > 0) this.applyCells(cmd.keys, cmd.after);
    this.link.remapped(this.mapping);
    this.viewGeneration++;
    this.changed();
  }

  private dropColumn(): void {
    const data = this.data!;
    const col = this.nCols - 1;
    const touched = new Set<number>();
    for (const k of this.edits.keys()) if (k % this.nCols === col) touched.add(Math.floor(k / this.nCols));
    this.restride(this.nCols, this.nCols - 1, col);
    data.cols.pop();
    data.offs.pop();
    this.headers = this.headers.slice(0, col);
    this.nCols--;
    this.remap({ columns: this.mapping.columns.slice(0, col) });
    this.link.columns({ op: 'drop' });
    this.link.remapped(this.mapping);
    // The rows that had a value in it are checked again here at once; the worker checks every row.
    this.revalidate([...touched]);
    this.viewGeneration++;
    this.editsSinceView++;
    this.changed();
  }

  private remap(mapping: Mapping): void {
    this.mapping = mapping;
    this.checker = createRowChecker(mapping, this.defaultOrg);
    this.indexFields();
    this.epoch++;
    this.issueCache.clear();
  }

  // ---- one-click fixes, whole columns, trimming ---------------------------------------------------

  /**
   * The change a fix makes to row `r`: in the cell of the fix's field (else the issue's), `replace`
   * becomes `with` — the whole cell when it holds just that (spaces around it aside), else the item
   * of the list equal to it, the other items kept as typed. Null when the row has no such cell.
   */
  fixChange(r: number, issue: Issue, fix: Fix): CellChange | null {
    const field = fix.field ?? issue.field;
    const f = FIELD_INDEX.get(field);
    if (f === undefined) return null;
    const col = this.fieldColumn[f]!;
    if (col === -1) return null;
    const value = replaceItem(this.cell(r, col), fix.replace, fix.with);
    return value === null ? null : { row: r, col, value };
  }

  /**
   * Other rows with the same finding (field and code) offering the same fix on the same typed text:
   * one click can fix them all. Rows locked or deleted are left out.
   */
  sameFixRows(r: number, issue: Issue, fix: Fix): number[] {
    const out: number[] = [];
    const field = fix.field ?? issue.field;
    for (const [row, layer] of this.acct) {
      if (row === r || !this.alive[row] || this.isLocked(row)) continue;
      const same = layer.issues.some(
        (i) =>
          i.field === issue.field &&
          i.code === issue.code &&
          (i.fixes ?? []).some(
            (x) => (x.field ?? i.field) === field && x.replace === fix.replace && x.with === fix.with,
          ),
      );
      if (same) out.push(row);
    }
    return out.sort((a, b) => a - b);
  }

  /** Cells (all, or those of `cells` given as row/column pairs) with spaces around their text, trimmed. */
  trimChanges(cells?: Iterable<{ row: number; col: number }>): CellChange[] {
    const out: CellChange[] = [];
    const consider = (row: number, col: number) => {
      if (!this.alive[row] || this.isLocked(row)) return;
      const text = this.cell(row, col);
      if (text === '') return;
      const t = trimSpaces(text);
      if (t !== text) out.push({ row, col, value: t });
    };
    if (cells) {
      for (const c of cells)
        if (c.row >= 0 && c.row < this.n && c.col >= 0 && c.col < this.nCols) consider(c.row, c.col);
      return out;
    }
    for (const row of this.order) for (let col = 0; col < this.nCols; col++) consider(row, col);
    return out;
  }

  // ---- views and quick fixes -------------------------------------------------------------------

  /** Edits since the filtered views were last computed (they keep rows an edit fixed until refreshed). */
  editsSinceView = 0;
  private viewGeneration = 0;
  private viewCache: { filter: RowFilter; field: FieldName | null; gen: number; view: Int32Array } | null =
    null;

  /** Recompute filtered views on their next use (after a validation pass, a pre-flight, or on request). */
  refreshViews(): void {
    this.viewGeneration++;
    this.editsSinceView = 0;
    this.changed();
  }

  /**
   * The rows a filter shows, in order. Filtered views are kept as they are while the user edits, so a
   * row does not vanish from under the cursor when it is fixed; `refreshViews` recomputes them.
   */
  view(filter: RowFilter, field: FieldName | null = null): Int32Array {
    if (filter === 'all' && field === null) return this.order;
    const c = this.viewCache;
    if (c && c.filter === filter && c.field === field && c.gen === this.viewGeneration) return c.view;
    const view = this.computeView(filter, field);
    this.viewCache = { filter, field, gen: this.viewGeneration, view };
    return view;
  }

  private computeView(filter: RowFilter, field: FieldName | null): Int32Array {
    const f = field === null ? -1 : FIELD_INDEX.get(field)!;
    const out = new Int32Array(this.order.length);
    let k = 0;
    for (const r of this.order) {
      if (this.resultStatus[r] === STATUS_CREATED) {
        if (filter === 'created') out[k++] = r;
        continue;
      }
      if (filter === 'created' || !this.validated[r]) continue;
      const s = f === -1 ? this.rowSev[r]! : this.fieldSev(r, f);
      const keep =
        filter === 'all'
          ? s > 0
          : filter === 'errors'
            ? s === SEV_ERROR
            : filter === 'warnings'
              ? s === SEV_WARNING
              : s === 0;
      if (keep) out[k++] = r;
    }
    return out.slice(0, k);
  }

  /** Cells to clear so that every toll-free/10DLC conflict in `rows` goes away. */
  forbiddenFieldChanges(rows?: Iterable<number>): CellChange[] {
    const out: CellChange[] = [];
    const list = rows ?? this.order;
    for (const r of list) {
      if (!(this.vFlags[r]! & FLAG_FORBIDDEN) || !this.alive[r]) continue;
      for (const issue of this.issuesOf(r)) {
        if (!FORBIDDEN_CODES.has(issue.code)) continue;
        this.mapping.columns.forEach((f, c) => {
          if (f === issue.field && this.cell(r, c) !== '') out.push({ row: r, col: c, value: '' });
        });
      }
    }
    return out;
  }
}

/**
 * `cell` with `replace` put as `with`: the whole cell when it is just `replace` (spaces around it
 * aside); else the one item of the list equal to it (items cut at commas, semicolons and new lines,
 * else at spaces), every other item and separator kept. Null when no item is `replace`.
 */
export function replaceItem(cell: string, replace: string, by: string): string | null {
  const wanted = trimSpaces(replace);
  if (trimSpaces(cell) === wanted) return by;
  if (wanted === '') return null;
  for (const sep of [/([,;\r\n\u2028\u2029]+)/u, /([,;\s]+)/u]) {
    const parts = cell.split(sep);
    // Even indexes are items, odd ones the separators between them.
    for (let i = 0; i < parts.length; i += 2) {
      const item = parts[i]!;
      if (trimSpaces(item) !== wanted) continue;
      const lead = /^[\s\u200b\u2060\ufeff]*/u.exec(item)![0];
      const trail = /[\s\u200b\u2060\ufeff]*$/u.exec(item)![0];
      parts[i] = lead + by + trail;
      return parts.join('');
    }
  }
  return null;
}
