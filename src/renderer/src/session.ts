/**
 * One open spreadsheet: its bytes in the sheet worker, the read options (sheet, header row, CSV
 * encoding and delimiter), the column mapping, the grid model, the validation stream, and what the
 * account pre-flight and the submissions said about its rows.
 *
 * Submissions send the sheet as the user sees it, written as CSV by the worker. The CSV's rows are
 * numbered 2, 3, … so every answer is mapped back to the physical row it came from (and so to the
 * row number the original file shows) through the list of rows that CSV was written from.
 */
import { autoMap, describeMapping, headerSignature, isMappingFor, type Mapping } from '../../shared/mapping';
import type { EventPayload } from '../../shared/bridge';
import type { SheetPreview } from '../../shared/sheet';
import { unmappedWarning, type Issue } from '../../shared/validate';
import type { RowResult } from '../../shared/results';
import { importer } from './importer';
import { fieldIndex } from './model/fields';
import { SheetModel, STATUS_CREATED, STATUS_FAILED } from './model/sheet';
import { SheetWorker, type SheetMessage } from './worker/client';
import type { BuildRequest, FileMeta, ReadMeta, SourceOptions } from './worker/protocol';
import { Observable } from './model/observable';

export interface OpenedFile {
  name: string;
  path: string | null;
  bytes: Uint8Array;
}

export type Phase = 'reading' | 'columns' | 'review' | 'failed';

export interface ValidationProgress {
  pass: number;
  done: number;
  total: number;
  full: boolean;
}

export interface PreflightState {
  running: boolean;
  at: number | null;
  issues: number;
  rowsWithIssues: number;
  fileWarnings: string[];
  stop: { message: string; code?: string } | null;
  /** Typed phone numbers the account resolved to ids (physical row). */
  resolved: Array<{ row: number; from: string; to: string }>;
  error: string | null;
}

export type Progress = EventPayload<'runProgress'>;
export type Summary = EventPayload<'runFinished'>;

export interface RunState {
  runId: string;
  kind: 'all' | 'retry' | 'resumed';
  /** Physical rows in the order the submitted CSV holds them. */
  rows: Int32Array;
  startedAt: number;
  progress: Progress | null;
  /** When the last progress arrived (the wait countdown runs from it). */
  progressAt: number;
  summary: Summary | null;
  failure: string | null;
  paused: boolean;
}

export interface SavedOutput {
  path: string;
  label: string;
}

function rowIndexFor(rows: Int32Array, csvRow: number): number | undefined {
  // The submitted CSV has its header on line 1: record k (k >= 2) is rows[k - 2].
  const r = rows[csvRow - 2];
  return r === undefined || r < 0 ? undefined : r;
}

export class Session extends Observable {
  phase: Phase = 'reading';
  error: string | null = null;
  fileMeta: FileMeta | null = null;
  preview: SheetPreview | null = null;
  readMeta: ReadMeta | null = null;
  options: SourceOptions = {};
  sheet: SheetMessage | null = null;
  model: SheetModel | null = null;
  mapping: Mapping = { columns: [] };
  /** Where the mapping came from: confirmed earlier for these headers, matched now, or changed by hand. */
  mappingOrigin: 'saved' | 'auto' | 'edited' = 'auto';
  validation: ValidationProgress | null = null;
  preflight: PreflightState | null = null;
  run: RunState | null = null;
  lastSaved: SavedOutput | null = null;
  /** The rows were shown at least once (the columns step is then a detour, not the way in). */
  reviewed = false;
  private frame = 0;
  private pendingRunEvents: Array<() => void> = [];
  private pendingColumns: { cols: string[]; offs: Uint32Array[] } | null = null;
  /** Reads started, and the read the current model comes from. */
  private reads = 0;
  private modelRead = 0;

  constructor(
    readonly file: OpenedFile,
    public defaultOrg: string,
    /** A worker started ahead of time, so opening a file does not wait for it to load. */
    readonly worker: SheetWorker = new SheetWorker(),
  ) {
    super();
    this.worker.handlers = {
      columns: (m) => {
        // The columns of the latest read: the model may still be the previous read's.
        if (this.model && this.modelRead === this.reads) {
          this.model.setColumns(m.cols, m.offs);
          this.changed();
        } else this.pendingColumns = { cols: m.cols, offs: m.offs };
      },
      preview: (m) => {
        this.preview = m.preview;
        this.fileMeta = m.meta;
        this.changed();
      },
      checked: (m) => {
        if (!this.model) return;
        this.model.applyChecked(m.pass, m.start, m.count, m.rows, m.sev, m.flags);
        this.validation = { pass: m.pass, done: m.done, total: m.total, full: m.rows === null };
        this.modelChanged();
      },
      passDone: (pass) => {
        if (this.validation?.pass === pass) {
          this.validation = null;
          this.model?.refreshViews();
        }
        this.modelChanged();
      },
      dups: (m) => {
        this.model?.applyDups(m.rows, m.flags, m.full);
        this.modelChanged();
      },
    };
  }

  /** Model changes from the worker arrive in bursts: repaint at most once a frame. */
  private modelChanged(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.model?.changed();
      this.changed();
    });
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.worker.terminate();
    this.unsubscribeAll();
  }

  get fileName(): string {
    return this.file.name;
  }

  get isCsv(): boolean {
    return this.fileMeta?.format === 'csv';
  }

  // ---- reading --------------------------------------------------------------------------------

  /** Read the file (again) with these options; resolves when the grid data is in. */
  async read(options: SourceOptions, first = false): Promise<void> {
    this.options = options;
    if (first) this.phase = 'reading';
    this.error = null;
    this.changed();
    this.pendingColumns = null;
    const readNumber = ++this.reads;
    let sheet: SheetMessage;
    try {
      sheet = first
        ? await this.worker.open(this.file.bytes, this.file.name, options)
        : await this.worker.read(options);
    } catch (e) {
      if (readNumber !== this.reads) return;
      this.error = e instanceof Error ? e.message : String(e);
      this.phase = first || !this.sheet ? 'failed' : 'columns';
      this.sheet = first ? null : this.sheet;
      this.changed();
      return;
    }
    if (readNumber !== this.reads) return;
    this.sheet = sheet;
    this.readMeta = sheet.meta;
    const saved = await importer
      .getSavedMapping({ signature: headerSignature(sheet.headers) })
      .catch(() => null);
    // A newer read (another header row, delimiter…) started meanwhile: it wins.
    if (readNumber !== this.reads) return;
    if (saved && isMappingFor(sheet.headers, saved)) {
      this.mapping = saved;
      this.mappingOrigin = 'saved';
    } else {
      this.mapping = autoMap(sheet.headers);
      this.mappingOrigin = 'auto';
    }
    this.model = new SheetModel(sheet, this.mapping, this.defaultOrg, {
      cells: (keys, values) => this.worker.cells(keys, values),
      order: (order) => this.worker.order(order),
      validate: (rows) => {
        const pass = this.worker.validate(this.mapping, this.defaultOrg, rows);
        this.validation = { pass, done: 0, total: rows.length, full: false };
        return pass;
      },
      lastPass: () => this.worker.lastPass(),
    });
    this.modelRead = readNumber;
    const pending = this.takePendingColumns();
    if (pending) this.model.setColumns(pending.cols, pending.offs);
    this.startValidation();
    // A mapping confirmed before for these headers goes straight to the rows; otherwise, show it.
    this.phase =
      first && this.mappingOrigin === 'saved' && !this.mappingProblems().blocking ? 'review' : 'columns';
    if (this.phase === 'review') this.reviewed = true;
    for (const f of this.pendingRunEvents.splice(0)) f();
    this.changed();
  }

  private takePendingColumns() {
    const pending = this.pendingColumns;
    this.pendingColumns = null;
    return pending;
  }

  private startValidation(): void {
    if (!this.model) return;
    const pass = this.worker.validate(this.mapping, this.defaultOrg, null);
    this.validation = { pass, done: 0, total: this.model.n, full: true };
  }

  mappingProblems() {
    const headers = this.sheet?.headers ?? [];
    const report = describeMapping(headers, this.mapping, { defaultOrganizationId: this.defaultOrg });
    return { ...report, blocking: report.conflicts.length > 0 };
  }

  fileWarnings(): string[] {
    const w = this.sheet ? unmappedWarning(this.sheet.headers, this.mapping) : null;
    return w ? [w.message] : [];
  }

  setMapping(mapping: Mapping): void {
    this.mapping = mapping;
    this.mappingOrigin = 'edited';
    if (this.model) {
      this.model.setMapping(mapping, this.defaultOrg);
      this.startValidation();
    }
    this.changed();
  }

  setDefaultOrg(org: string): void {
    if (org === this.defaultOrg) return;
    this.defaultOrg = org;
    if (this.model) {
      this.model.setMapping(this.mapping, org);
      this.startValidation();
    }
    this.changed();
  }

  /** The user confirmed the columns: remember them for this set of headers and show the rows. */
  async confirmColumns(): Promise<void> {
    if (!this.sheet) return;
    this.phase = 'review';
    this.reviewed = true;
    this.changed();
    await importer
      .saveMapping({ signature: headerSignature(this.sheet.headers), mapping: this.mapping })
      .catch(() => false);
  }

  showColumns(): void {
    this.phase = 'columns';
    this.changed();
  }

  // ---- files built by the worker --------------------------------------------------------------

  build(request: BuildRequest): Promise<Uint8Array> {
    return this.worker.build(request);
  }

  /** Rows a new submission sends: every row left, except those already created. */
  rowsToSubmit(onlyFailed = false): Int32Array {
    const m = this.model!;
    const out: number[] = [];
    for (const r of m.order) {
      const status = m.resultStatus[r];
      if (status === STATUS_CREATED) continue;
      if (onlyFailed && status !== STATUS_FAILED) continue;
      out.push(r);
    }
    return Int32Array.from(out);
  }

  submissionName(): string {
    const base = this.file.name.replace(/\.[^./\\]+$/, '');
    return `${base} (edited).csv`;
  }

  private async submissionInput(rows: Int32Array) {
    const bytes = await this.build({ kind: 'submission', rows: rows.slice() });
    return {
      fileName: this.submissionName(),
      bytes,
      mapping: this.mapping,
      ...(this.defaultOrg.trim() ? { defaultOrganizationId: this.defaultOrg.trim() } : {}),
    };
  }

  private toPhysical(rows: Int32Array, issue: Issue): Issue | null {
    const r = rowIndexFor(rows, issue.row);
    if (r === undefined || !this.model) return null;
    return { ...issue, row: this.model.rowNumbers[r]! };
  }

  // ---- pre-flight -----------------------------------------------------------------------------

  async runPreflight(): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.preflight = {
      running: true,
      at: null,
      issues: 0,
      rowsWithIssues: 0,
      fileWarnings: [],
      stop: null,
      resolved: [],
      error: null,
    };
    this.changed();
    const rows = this.rowsToSubmit();
    try {
      const result = await importer.preflight(await this.submissionInput(rows));
      const byRow = new Map<number, Issue[]>();
      let count = 0;
      for (const issue of result.issues) {
        const phys = rowIndexFor(rows, issue.row);
        if (phys === undefined) continue;
        // The validator's own findings are already on the grid: keep only what the account adds.
        const own = model.validatorIssues(phys);
        if (own.some((i) => i.field === issue.field && i.code === issue.code)) continue;
        const mapped = this.toPhysical(rows, issue)!;
        byRow.set(phys, [...(byRow.get(phys) ?? []), mapped]);
        count++;
      }
      model.setPreflight(byRow);
      this.preflight = {
        running: false,
        at: Date.now(),
        issues: count,
        rowsWithIssues: byRow.size,
        fileWarnings: result.fileWarnings.map((w) => w.message),
        stop: result.stop
          ? { message: result.stop.message, ...(result.stop.code ? { code: result.stop.code } : {}) }
          : null,
        resolved: result.resolved.flatMap((x) => {
          const phys = rowIndexFor(rows, x.row);
          return phys === undefined ? [] : [{ row: phys, from: x.from, to: x.to }];
        }),
        error: null,
      };
    } catch (e) {
      this.preflight = {
        ...this.preflight,
        running: false,
        error: e instanceof Error ? e.message : String(e),
      };
    }
    this.changed();
  }

  /** Replace the phone numbers the pre-flight resolved with their ids (one undoable step). */
  applyResolved(): number {
    const model = this.model;
    const pre = this.preflight;
    if (!model || !pre) return 0;
    const changes = [];
    const idsCol = model.fieldColumn[fieldIndex('phone_number_ids')]!;
    const singleCol = model.fieldColumn[fieldIndex('phone_number_id')]!;
    const pending = new Map<string, string>();
    for (const x of pre.resolved) {
      for (const col of [idsCol, singleCol]) {
        if (col < 0) continue;
        const key = `${x.row}:${col}`;
        const current = pending.get(key) ?? model.cell(x.row, col);
        if (!current.includes(x.from)) continue;
        pending.set(key, current.split(x.from).join(x.to));
      }
    }
    for (const [key, value] of pending) {
      const [row, col] = key.split(':').map(Number) as [number, number];
      changes.push({ row, col, value });
    }
    const n = model.setCells(changes, 'Replace phone numbers with ids');
    this.preflight = { ...pre, resolved: [] };
    this.changed();
    return n;
  }

  // ---- submission -----------------------------------------------------------------------------

  async startRun(kind: 'all' | 'retry'): Promise<void> {
    const rows = this.rowsToSubmit(kind === 'retry');
    const input = await this.submissionInput(rows);
    const { runId } = await importer.startRun(input);
    this.beginRun(runId, kind, rows);
  }

  /** A run the UI follows from now on: its kind, and which model row each sent row is. */
  private beginRun(runId: string, kind: 'all' | 'retry' | 'resumed', rows: Int32Array): void {
    this.run = {
      runId,
      kind,
      rows,
      startedAt: Date.now(),
      progress: null,
      progressAt: Date.now(),
      summary: null,
      failure: null,
      paused: false,
    };
    this.changed();
  }

  /**
   * Continue a run an earlier session left unfinished. The file is the sheet that run sent, so
   * sending exactly its bytes again makes the privileged side pick up that run's journal: rows
   * already created are not sent twice.
   */
  async resumeRun(): Promise<void> {
    const { runId } = await importer.startRun({
      fileName: this.file.name,
      bytes: this.file.bytes,
      mapping: this.mapping,
      ...(this.defaultOrg.trim() ? { defaultOrganizationId: this.defaultOrg.trim() } : {}),
    });
    this.attachRun(runId);
  }

  private attachRun(runId: string): void {
    const attach = () => {
      // Row numbers of this file are its CSV record numbers: record k is the row numbered k.
      const numbers = this.model?.rowNumbers ?? new Int32Array(0);
      const size = numbers.length > 0 ? numbers[numbers.length - 1]! - 1 : 0;
      const rows = new Int32Array(Math.max(0, size)).fill(-1);
      for (let i = 0; i < numbers.length; i++) rows[numbers[i]! - 2] = i;
      this.beginRun(runId, 'resumed', rows);
    };
    if (this.model) attach();
    else this.pendingRunEvents.push(attach);
  }

  private whenReady(f: () => void): void {
    if (this.model && this.run) f();
    else this.pendingRunEvents.push(f);
  }

  onProgress(p: Progress): void {
    this.whenReady(() => {
      if (!this.run || this.run.runId !== p.runId) return;
      this.run = { ...this.run, progress: p, progressAt: Date.now(), paused: p.phase === 'paused' };
      this.changed();
    });
  }

  private applyResult(rows: Int32Array, result: RowResult, issues: Issue[]): void {
    const model = this.model;
    const phys = rowIndexFor(rows, result.row);
    if (!model || phys === undefined) return;
    const excel = model.rowNumbers[phys]!;
    const mapped = issues.map((i) => ({ ...i, row: excel }));
    model.setResult(phys, { ...result, row: excel }, mapped);
  }

  onRow(e: EventPayload<'runRow'>): void {
    this.whenReady(() => {
      if (!this.run || this.run.runId !== e.runId) return;
      this.applyResult(this.run.rows, e.result, e.issues);
      this.modelChanged();
    });
  }

  onFinished(s: Summary): void {
    this.whenReady(() => {
      if (!this.run || this.run.runId !== s.runId) return;
      const byRow = new Map<number, Issue[]>();
      for (const i of s.issues) byRow.set(i.row, [...(byRow.get(i.row) ?? []), i]);
      for (const r of s.results) this.applyResult(this.run.rows, r, byRow.get(r.row) ?? []);
      this.run = { ...this.run, summary: s, paused: false };
      this.model?.changed();
      this.changed();
    });
  }

  onFailed(e: EventPayload<'runFailed'>): void {
    this.whenReady(() => {
      if (!this.run || this.run.runId !== e.runId) return;
      this.run = { ...this.run, failure: e.message };
      this.changed();
    });
  }

  get running(): boolean {
    return !!this.run && !this.run.summary && !this.run.failure;
  }

  dismissRun(): void {
    if (this.running) return;
    this.run = null;
    this.changed();
  }

  noteSaved(out: SavedOutput | null): void {
    this.lastSaved = out;
    this.changed();
  }
}
