/**
 * One open spreadsheet: its rows in the sheet worker, the read options (sheet, header row, CSV
 * encoding and delimiter), the column mapping, the grid model, the validation stream, the account's
 * reference data kept for the session, and the runs that send its rows.
 *
 * Where the user is lives in one value, `state`, changed only by the methods below: reading the
 * file, checking its columns, reviewing its rows (idle, checking with the account, confirming a
 * run, starting it, following it, or looking at its outcome), or a file that could not be read.
 *
 * A run sends prepared rows the worker builds from what the grid holds (each with its row key,
 * its Excel row number, its cells and its exact body); every answer comes back by row key.
 */
import { autoMap, describeMapping, headerSignature, isMappingFor, type Mapping } from '../../shared/mapping';
import type { CallOutput, EventPayload, ImporterApi } from '../../shared/bridge';
import type { AccountSnapshot } from '../../shared/account/snapshot';
import type { Submission } from '../../shared/prepared';
import type { SheetPreview } from '../../shared/sheet';
import { unmappedWarning, type Issue } from '../../shared/validate';
import { SEV_ERROR, SEV_WARNING } from './model/fields';
import { SheetModel } from './model/sheet';
import type { SheetWorker, SheetMessage } from './worker/client';
import type { BuildRequest, FileMeta, ReadMeta, ResolvedValue, SourceOptions } from './worker/protocol';
import { Observable } from './model/observable';
import {
  accountNames,
  REFERENCE_FIELDS,
  resolvedId,
  type ReferenceField,
} from '../../shared/account/resolve';
import {
  holdsNames,
  matchEdits,
  matchGroups,
  memoryKey,
  type MatchGroup,
  type MatchOption,
  type MatchSource,
} from './model/match';

export interface OpenedFile {
  name: string;
  path: string | null;
  bytes: Uint8Array;
}

/** A run an earlier session left unfinished, as the privileged side recorded it. */
export interface RecordedRun {
  runId: string;
  submission: Submission;
}

export interface ValidationProgress {
  pass: number;
  done: number;
  total: number;
  full: boolean;
}

export type Progress = EventPayload<'runProgress'>;
export type Summary = EventPayload<'runFinished'>;
type AccountStop = NonNullable<CallOutput<'loadAccount'>['stop']>;

export interface RunState {
  runId: string;
  kind: 'all' | 'retry' | 'resumed';
  /** How many rows this run sends. */
  total: number;
  startedAt: number;
  progress: Progress | null;
  /** When the last progress arrived (the wait countdown runs from it). */
  progressAt: number;
  summary: Summary | null;
  failure: string | null;
  paused: boolean;
}

/** Which rows a run sends: every row ready now, or only the failed ones; `leaveOut` drops more. */
export interface RunChoice {
  kind: 'all' | 'retry';
  leaveOut?: (row: number) => boolean;
}

/** What a run would send, counted the way the grid counts. */
export interface RunPlan {
  kind: 'all' | 'retry';
  /** Physical rows, in sheet order. */
  rows: Int32Array;
  warnings: number;
  /** Rows left out because they have errors. */
  errors: number;
  /** Rows already created, never sent again. */
  created: number;
  /** Rows ready to send that the user left out of this run (they stay in the sheet). */
  leftOut: number;
}

/**
 * The review screen's own step. A finished run stays on show (`last`) while the user checks the
 * account or confirms the next run, until dismissed.
 */
export type ReviewStep =
  | { step: 'idle'; last: RunState | null }
  | { step: 'checking'; last: RunState | null }
  | { step: 'confirming'; last: RunState | null; plan: RunPlan; choice: RunChoice }
  | { step: 'starting'; last: RunState | null; plan: RunPlan }
  | { step: 'running'; run: RunState }
  | { step: 'done'; run: RunState };

/**
 * The match step, between the columns and the rows: the account's data is being loaded, is in
 * (the values can be matched), or could not be loaded (`error` says why; the rows can still be shown).
 */
export type MatchStep = { step: 'loading' } | { step: 'ready' } | { step: 'unavailable'; error: string };

/** A choice made on the match step (or remembered from an earlier file): what it put in which cells. */
export interface AppliedMatch {
  field: ReferenceField;
  /** The text as typed, and where it was looked up. */
  text: string;
  scopeKey: string;
  /** What the cells hold now instead, and the entity it resolves to. */
  value: string;
  id: string;
  name: string;
  where: string;
  remembered: boolean;
  /** The cells changed: each one's text before and after. */
  cells: Array<{ row: number; col: number; before: string; after: string }>;
}

export type SessionState =
  | { phase: 'reading' }
  /** `error`: a re-read with other options failed (the previous read is still shown). */
  | { phase: 'columns'; error: string | null }
  | { phase: 'match'; match: MatchStep }
  | { phase: 'review'; review: ReviewStep }
  | { phase: 'failed'; error: string };

export type Phase = SessionState['phase'];

/** The account's reference data kept for the session, and how the last check went. */
export interface AccountState {
  snapshot: AccountSnapshot | null;
  stop: AccountStop | null;
  error: string | null;
}

export interface SavedOutput {
  path: string;
  label: string;
}

/** The privileged calls a session makes. */
export type SessionBridge = Pick<
  ImporterApi,
  'getSavedMapping' | 'saveMapping' | 'loadAccount' | 'startRun' | 'getSavedMatches' | 'saveMatches'
>;

export interface SessionOptions {
  bridge: SessionBridge;
  /** The sheet worker (started ahead of time, so opening a file does not wait for it to load). */
  worker: SheetWorker;
  /** Runs `f` before the next repaint (the tests run it on a timer). */
  frame: (f: () => void) => void;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Session extends Observable {
  private current: SessionState = { phase: 'reading' };
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
  account: AccountState = { snapshot: null, stop: null, error: null };
  /** Typed values the account resolved to ids, per physical row (kept current as rows change). */
  private resolved = new Map<number, ResolvedValue[]>();

  /** What the names typed in a row (physical index) are sent as: each name and its id. */
  resolvedOf(phys: number): readonly ResolvedValue[] {
    return this.resolved.get(phys) ?? [];
  }
  lastSaved: SavedOutput | null = null;
  /** The rows were shown at least once (the columns step is then a detour, not the way in). */
  reviewed = false;
  /** The choices made on the match step this session, in the order made. */
  matches: AppliedMatch[] = [];
  private matchCache: { key: string; groups: MatchGroup[] } | null = null;
  private namesCache: { key: string; value: boolean } | null = null;
  readonly file: OpenedFile;
  readonly worker: SheetWorker;
  private readonly bridge: SessionBridge;
  private readonly frame: (f: () => void) => void;
  private framePending = false;
  private disposed = false;
  private pendingRunEvents: Array<() => void> = [];
  private pendingColumns: { cols: string[]; offs: Uint32Array[] } | null = null;
  private accountWaiters: Array<() => void> = [];
  /** Waiting for every cell of the current read to arrive. */
  private loadWaiters: Array<() => void> = [];
  /** Reads started, and the read the current model comes from. */
  private reads = 0;
  private modelRead = 0;

  constructor(
    /** A file to read, or a run to resume (its recorded rows). */
    readonly source: OpenedFile | RecordedRun,
    public defaultOrg: string,
    options: SessionOptions,
  ) {
    super();
    this.file =
      'submission' in source
        ? { name: source.submission.fileName, path: null, bytes: new Uint8Array(0) }
        : source;
    this.bridge = options.bridge;
    this.frame = options.frame;
    this.worker = options.worker;
    this.worker.handlers = {
      columns: (m) => {
        // The columns of the latest read: the model may still be the previous read's.
        if (this.model && this.modelRead === this.reads) {
          this.model.setColumns(m.cols, m.offs);
          for (const f of this.loadWaiters.splice(0)) f();
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
      account: (m) => {
        const model = this.model;
        if (!model) return;
        model.setAccount(m.rows, m.issues, m.full);
        if (m.full) this.resolved.clear();
        else for (const r of m.rows) this.resolved.delete(r);
        for (const x of m.resolved) this.resolved.set(x.index, [...(this.resolved.get(x.index) ?? []), x]);
        if (m.complete) for (const f of this.accountWaiters.splice(0)) f();
        this.modelChanged();
      },
    };
  }

  /** Model changes from the worker arrive in bursts: repaint at most once a frame. */
  private modelChanged(): void {
    if (this.framePending) return;
    this.framePending = true;
    this.frame(() => {
      this.framePending = false;
      if (this.disposed) return;
      this.model?.changed();
      this.changed();
    });
  }

  private setState(state: SessionState): void {
    this.current = state;
    this.changed();
  }

  dispose(): void {
    this.disposed = true;
    for (const f of this.accountWaiters.splice(0)) f();
    for (const f of this.loadWaiters.splice(0)) f();
    this.worker.terminate();
    this.unsubscribeAll();
  }

  // ---- reading the state ----------------------------------------------------------------------

  /** Where the user is: read here, changed only by the methods below. */
  get state(): SessionState {
    return this.current;
  }

  get phase(): Phase {
    return this.state.phase;
  }

  /** Why the file (or the last re-read) could not be read. */
  get error(): string | null {
    const s = this.state;
    return s.phase === 'failed' || s.phase === 'columns' ? s.error : null;
  }

  get review(): ReviewStep | null {
    return this.state.phase === 'review' ? this.state.review : null;
  }

  /** The run being followed, or the last one, still on show. */
  get run(): RunState | null {
    const r = this.review;
    if (!r) return this.shownRun;
    return r.step === 'running' || r.step === 'done' ? r.run : r.last;
  }

  /** The run on show while the columns are being changed (kept for when the rows come back). */
  private shownRun: RunState | null = null;

  get running(): boolean {
    const r = this.review;
    return !!r && (r.step === 'running' || r.step === 'starting');
  }

  get checkingAccount(): boolean {
    return this.review?.step === 'checking';
  }

  get fileName(): string {
    return this.file.name;
  }

  get isCsv(): boolean {
    return this.fileMeta?.format === 'csv';
  }

  /** The run being resumed, when this session was opened from one. */
  get recorded(): RecordedRun | null {
    return 'submission' in this.source ? this.source : null;
  }

  private toReview(step?: ReviewStep): void {
    this.reviewed = true;
    this.setState({ phase: 'review', review: step ?? { step: 'idle', last: this.run } });
  }

  // ---- reading --------------------------------------------------------------------------------

  /** Read the file (again) with these options; resolves when the grid data is in. */
  async read(options: SourceOptions, first = false): Promise<void> {
    this.options = options;
    if (first) this.setState({ phase: 'reading' });
    else if (this.state.phase === 'columns' && this.state.error)
      this.setState({ phase: 'columns', error: null });
    this.pendingColumns = null;
    const readNumber = ++this.reads;
    const recorded = this.recorded;
    let sheet: SheetMessage;
    try {
      sheet = recorded
        ? await this.worker.openSubmission(recorded.submission)
        : first
          ? await this.worker.open(this.file.bytes, this.file.name, options)
          : await this.worker.read(options);
    } catch (e) {
      if (readNumber !== this.reads) return;
      if (first || !this.sheet) {
        this.sheet = null;
        this.setState({ phase: 'failed', error: message(e) });
      } else this.setState({ phase: 'columns', error: message(e) });
      return;
    }
    if (readNumber !== this.reads) return;
    this.sheet = sheet;
    this.readMeta = sheet.meta;
    const saved = recorded
      ? recorded.submission.mapping
      : await this.bridge.getSavedMapping({ signature: headerSignature(sheet.headers) }).catch(() => null);
    // A newer read (another header row, delimiter…) started meanwhile: it wins.
    if (readNumber !== this.reads) return;
    if (saved && isMappingFor(sheet.headers, saved)) {
      this.mapping = saved;
      this.mappingOrigin = 'saved';
    } else {
      this.mapping = autoMap(sheet.headers);
      this.mappingOrigin = 'auto';
    }
    // A resumed run goes on with the organization it was started with, whatever the settings say now.
    if (recorded) this.defaultOrg = recorded.submission.defaultOrganizationId ?? '';
    this.model = new SheetModel(sheet, this.mapping, this.defaultOrg, {
      cells: (keys, values) => this.worker.cells(keys, values),
      order: (order) => this.worker.order(order),
      validate: (rows) => {
        const pass = this.worker.validate(this.mapping, this.defaultOrg, rows);
        this.validation = { pass, done: 0, total: rows.length, full: false };
        return pass;
      },
      lastPass: () => this.worker.lastPass(),
      columns: (change) => this.worker.column(change),
      remapped: (mapping) => this.columnsChanged(mapping),
    });
    this.modelRead = readNumber;
    const pending = this.takePendingColumns();
    if (pending) this.model.setColumns(pending.cols, pending.offs);
    this.startValidation();
    // The account's data is the session's: the new rows are checked against it too.
    if (this.account.snapshot) this.worker.account(this.account.snapshot, this.mapping, this.defaultOrg);
    this.resolved.clear();
    // A mapping confirmed before for these headers (or a run's own) goes straight to the rows.
    if (recorded) this.toReview({ step: 'idle', last: null });
    else if (first && this.mappingOrigin === 'saved' && !this.mappingProblems().blocking) {
      if (this.holdsNames()) void this.toMatch();
      else this.toReview({ step: 'idle', last: null });
    } else this.setState({ phase: 'columns', error: null });
    for (const f of this.pendingRunEvents.splice(0)) f();
  }

  /** The grid added or took away a column: its headers and mapping are the session's now. */
  private columnsChanged(mapping: Mapping): void {
    this.mapping = mapping;
    if (this.sheet && this.model) this.sheet = { ...this.sheet, headers: this.model.headers };
    this.startValidation();
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
    return [...(w ? [w.message] : []), ...(this.account.snapshot?.unavailable.map((u) => u.message) ?? [])];
  }

  setMapping(mapping: Mapping): void {
    if (this.running) return;
    this.mapping = mapping;
    this.mappingOrigin = 'edited';
    if (this.model) {
      this.model.setMapping(mapping, this.defaultOrg);
      this.startValidation();
    }
    this.changed();
  }

  setDefaultOrg(org: string): void {
    if (org === this.defaultOrg || this.running || this.recorded) return;
    this.defaultOrg = org;
    if (this.model) {
      this.model.setMapping(this.mapping, org);
      this.startValidation();
    }
    this.changed();
  }

  /** The user confirmed the columns: remember them for this set of headers and show the rows. */
  async confirmColumns(): Promise<void> {
    if (!this.sheet || this.state.phase !== 'columns') return;
    const run = this.shownRun;
    const save = this.bridge
      .saveMapping({ signature: headerSignature(this.sheet.headers), mapping: this.mapping })
      .catch(() => false);
    if (this.holdsNames()) await this.toMatch();
    else {
      this.shownRun = null;
      this.toReview({ step: 'idle', last: run });
    }
    await save;
  }

  showColumns(): void {
    if (this.running || this.recorded) return;
    const s = this.state;
    if (s.phase !== 'review' && s.phase !== 'failed' && s.phase !== 'match') return;
    if (s.phase !== 'match') this.shownRun = s.phase === 'review' ? this.run : null;
    this.setState({ phase: 'columns', error: null });
  }

  // ---- files built by the worker --------------------------------------------------------------

  build(request: BuildRequest): Promise<Uint8Array> {
    return this.worker.build(request);
  }

  // ---- the account ------------------------------------------------------------------------------

  /** Organizations the rows name (and the default one): the account data is fetched for these. */
  organizationIds(): string[] {
    const model = this.model;
    const ids = new Set<string>();
    if (this.defaultOrg.trim()) ids.add(this.defaultOrg.trim());
    if (model) {
      model.mapping.columns.forEach((f, c) => {
        if (f !== 'organization_id') return;
        for (const r of model.order) {
          const v = model.cell(r, c).trim();
          if (v && ids.size < 1000) ids.add(v.slice(0, 200));
        }
      });
    }
    return [...ids];
  }

  /**
   * Fetch the account's reference data and keep it for the session: every row is checked against
   * it now, and every edited row again at once. Resolves when the findings are on the grid.
   */
  async checkAccount(): Promise<void> {
    const r = this.review;
    if (!r || !this.model || (r.step !== 'idle' && r.step !== 'done' && r.step !== 'confirming')) return;
    const last = r.step === 'done' ? r.run : r.step === 'idle' || r.step === 'confirming' ? r.last : null;
    this.toReview({ step: 'checking', last });
    await this.loadAccountData();
    if (this.disposed) return;
    this.model.refreshViews();
    if (this.review?.step === 'checking') this.toReview(last ? { step: 'done', run: last } : undefined);
  }

  /**
   * Fetch the account's reference data and hand it to the worker (resolves once the rows are checked
   * against it). When nothing could be read, the data kept from an earlier load stays in use.
   */
  private async loadAccountData(): Promise<void> {
    let result: CallOutput<'loadAccount'> | null = null;
    let error: string | null = null;
    try {
      result = await this.bridge.loadAccount({ organizationIds: this.organizationIds() });
    } catch (e) {
      error = message(e);
    }
    if (this.disposed) return;
    if (result?.snapshot) {
      const applied = new Promise<void>((resolve) => this.accountWaiters.push(resolve));
      this.worker.account(result.snapshot, this.mapping, this.defaultOrg);
      this.account = { snapshot: result.snapshot, stop: result.stop, error: null };
      await applied;
    } else {
      this.account = { ...this.account, stop: result?.stop ?? null, error };
    }
  }

  // ---- matching values ------------------------------------------------------------------------

  get matchStep(): MatchStep | null {
    return this.state.phase === 'match' ? this.state.match : null;
  }

  private matchSource(): MatchSource | null {
    const model = this.model;
    if (!model) return null;
    const columns = this.mapping.columns;
    return { rows: model.order, column: (f) => columns.indexOf(f), cell: (r, c) => model.cell(r, c) };
  }

  /**
   * Whether a reference column holds names (not only ids): only then is there anything to match.
   * Until every cell is in, the first rows tell.
   */
  holdsNames(): boolean {
    const src = this.matchSource();
    if (!src || !this.model) return false;
    if (!this.model.loaded) return holdsNames(src);
    const key = this.cellsKey();
    if (this.namesCache?.key !== key) this.namesCache = { key, value: holdsNames(src) };
    return this.namesCache.value;
  }

  /**
   * What the cells and rows are, for caching what is derived from them: not the model's version,
   * which every validation pass bumps.
   */
  private cellsKey(): string {
    const m = this.model;
    if (!m) return '';
    return `${m.epoch}|${m.loaded}|${m.editCount}|${m.undoLabel}|${m.redoLabel}|${m.order.length}|${this.matches.length}|${this.mapping.columns.join(',')}`;
  }

  /** Resolves once every cell of the current read is in. */
  private whenLoaded(): Promise<void> {
    if (!this.model || this.model.loaded || this.disposed) return Promise.resolve();
    return new Promise((resolve) => this.loadWaiters.push(resolve));
  }

  /** The distinct values of the reference columns and what each resolves to (none without the account's data). */
  matchGroups(): MatchGroup[] {
    const src = this.matchSource();
    const snapshot = this.account.snapshot;
    if (!src || !snapshot || !this.model) return [];
    const key = `${this.cellsKey()}|${snapshot.fetchedAt}|${this.defaultOrg}`;
    if (this.matchCache?.key !== key)
      this.matchCache = { key, groups: matchGroups(src, accountNames(snapshot), this.defaultOrg) };
    return this.matchCache.groups;
  }

  /** The organizations of the account: the choices are remembered for this set (and the server). */
  private accountOrganizations(): string[] {
    const s = this.account.snapshot;
    if (!s) return [];
    const ids = s.organizations ? s.organizations.map((o) => o.id) : Object.keys(s.byOrganization);
    return [...new Set(ids)].sort().slice(0, 1000);
  }

  /**
   * Show the match step: the account's data is loaded once for the session (the data of an earlier
   * check is used as it is), then the choices remembered for this account are applied.
   */
  private async toMatch(): Promise<void> {
    this.setState({ phase: 'match', match: { step: 'loading' } });
    if (!this.account.snapshot) await this.loadAccountData();
    await this.whenLoaded();
    if (this.disposed || this.state.phase !== 'match') return;
    if (!this.account.snapshot) {
      const why =
        this.account.stop?.message ?? this.account.error ?? 'The account’s names could not be loaded.';
      this.setState({ phase: 'match', match: { step: 'unavailable', error: why } });
      return;
    }
    await this.applyRemembered();
    if (this.disposed || this.state.phase !== 'match') return;
    this.setState({ phase: 'match', match: { step: 'ready' } });
  }

  private async applyRemembered(): Promise<void> {
    const snapshot = this.account.snapshot;
    if (!snapshot) return;
    const saved = await this.bridge
      .getSavedMatches({ organizationIds: this.accountOrganizations() })
      .catch(() => []);
    if (this.disposed || this.account.snapshot !== snapshot) return;
    const byKey = new Map(saved.map((m) => [memoryKey(m.field, m.scope, m.text), m.id]));
    const names = accountNames(snapshot);
    for (const g of this.matchGroups()) {
      if (g.status !== 'decide') continue;
      const id = byKey.get(memoryKey(g.field, g.scopeKey, g.text));
      if (!id || !names.isKnownId(g.kind, id)) continue;
      const value = names.valueFor(g.kind, id, g.scope);
      if (resolvedId(names.resolve(g.field, value, g.scope)) !== id) continue;
      const c = names.choices(g.kind).find((x) => x.id === id);
      this.applyMatch(
        g,
        { value, id, name: c?.name ?? value, where: c?.where ?? '', suggested: false },
        true,
      );
    }
  }

  /**
   * Put the chosen entity in place of the group's text in every cell using it, as one undoable
   * edit, and remember the choice for this account. Returns the number of cells changed.
   */
  applyMatch(g: MatchGroup, option: MatchOption, remembered = false): number {
    const model = this.model;
    const src = this.matchSource();
    const snapshot = this.account.snapshot;
    if (!model || !src || !snapshot || this.running) return 0;
    const names = accountNames(snapshot);
    const kind = REFERENCE_FIELDS[g.field];
    const edits = matchEdits(src, g, option.value, (t) => names.isKnownId(kind, t));
    const cells = edits
      .filter((e) => !model.isLocked(e.row))
      .map((e) => ({ row: e.row, col: e.col, before: model.cell(e.row, e.col), after: e.value }));
    const n = model.setCells(edits, `Match “${g.text}”`);
    if (n === 0) return 0;
    this.matches = [
      ...this.matches,
      {
        field: g.field,
        text: g.text,
        scopeKey: g.scopeKey,
        value: option.value,
        id: option.id,
        name: option.name,
        where: option.where,
        remembered,
        cells,
      },
    ];
    if (!remembered) this.rememberMatch(g.field, g.scopeKey, g.text, option.id);
    this.changed();
    return n;
  }

  /** The choices whose cells still hold what they put there (an undo in the grid takes one away). */
  activeMatches(): Array<{ match: AppliedMatch; index: number }> {
    const model = this.model;
    if (!model) return [];
    return this.matches
      .map((match, index) => ({ match, index }))
      .filter(({ match }) => match.cells.some((c) => model.cell(c.row, c.col) === c.after));
  }

  /** Take a choice back: its cells get the typed text again (one undoable edit), and it is forgotten. */
  undoMatch(index: number): void {
    const m = this.matches[index];
    const model = this.model;
    if (!m || !model || this.running) return;
    const back = m.cells
      .filter((c) => model.cell(c.row, c.col) === c.after)
      .map((c) => ({ row: c.row, col: c.col, value: c.before }));
    model.setCells(back, `Undo match “${m.text}”`);
    this.matches = this.matches.filter((_, i) => i !== index);
    this.rememberMatch(m.field, m.scopeKey, m.text, null);
    this.changed();
  }

  private rememberMatch(field: ReferenceField, scope: string, text: string, id: string | null): void {
    const organizationIds = this.accountOrganizations();
    if (organizationIds.length === 0) return;
    void this.bridge
      .saveMatches({ organizationIds, matches: [{ field, scope, text, id }] })
      .catch(() => false);
  }

  /** Load the account's names again after they could not be (a key added in Settings meanwhile). */
  async retryMatch(): Promise<void> {
    if (this.matchStep?.step !== 'unavailable') return;
    await this.toMatch();
  }

  /** From the match step to the rows. */
  continueToRows(): void {
    if (this.state.phase !== 'match') return;
    const run = this.shownRun;
    this.shownRun = null;
    this.model?.refreshViews();
    this.toReview({ step: 'idle', last: run });
  }

  /** The account's data no longer applies (another environment or key): its findings go with it. */
  forgetAccount(): void {
    if (!this.account.snapshot && !this.account.stop && !this.account.error) return;
    this.account = { snapshot: null, stop: null, error: null };
    this.resolved.clear();
    this.worker.account(null, this.mapping, this.defaultOrg);
    // On the match step, the names of the account now set up are loaded instead.
    if (this.state.phase === 'match') void this.toMatch();
    this.changed();
  }

  // ---- submission -----------------------------------------------------------------------------

  /** What a run would send now: the rows the grid counts as ready (or failed, for a retry). */
  plan(choice: RunChoice = { kind: 'all' }): RunPlan {
    const m = this.model;
    if (!m)
      return { kind: choice.kind, rows: new Int32Array(0), warnings: 0, errors: 0, created: 0, leftOut: 0 };
    const rows: number[] = [];
    let warnings = 0;
    let errors = 0;
    let leftOut = 0;
    for (const r of m.order) {
      if (m.isSendable(r, choice.kind === 'retry')) {
        if (choice.leaveOut?.(r)) {
          leftOut++;
          continue;
        }
        rows.push(r);
        if (m.rowSev[r] === SEV_WARNING) warnings++;
      } else if (choice.kind === 'all' && !m.isLocked(r) && m.rowSev[r] === SEV_ERROR) errors++;
    }
    return {
      kind: choice.kind,
      rows: Int32Array.from(rows),
      warnings,
      errors,
      created: m.rowsCreated,
      leftOut,
    };
  }

  /**
   * How many rows "Create" would send, from the model's running counts (no pass over the rows): the
   * same rows `plan()` lists, while no run is under way.
   */
  get readyCount(): number {
    const m = this.model;
    return m ? m.rowsValid + m.rowsWarning : 0;
  }

  /** Ask the user to confirm a run (the dialog shows this plan). */
  confirmRun(choice: RunChoice = { kind: 'all' }): void {
    const r = this.review;
    if (!r || (r.step !== 'idle' && r.step !== 'done')) return;
    const last = r.step === 'done' ? r.run : r.last;
    this.toReview({ step: 'confirming', last, plan: this.plan(choice), choice });
  }

  /** While confirming: leave these rows out of the run (the plan, its counts and the button follow). */
  leaveOut(rows: readonly number[]): void {
    const r = this.review;
    if (r?.step !== 'confirming' || rows.length === 0) return;
    const out = new Set(rows);
    const before = r.choice.leaveOut;
    const choice: RunChoice = { ...r.choice, leaveOut: (row) => out.has(row) || !!before?.(row) };
    this.toReview({ ...r, plan: this.plan(choice), choice });
  }

  cancelConfirm(): void {
    const r = this.review;
    if (r?.step !== 'confirming') return;
    this.toReview(r.last ? { step: 'done', run: r.last } : { step: 'idle', last: null });
  }

  /** The name a run's journal and results go by. */
  submissionName(): string {
    return this.file.name;
  }

  /**
   * Start a run: the rows ready now (as the confirmation counted them), prepared by the worker from
   * what the grid holds. Rows the worker finds an error on are never sent.
   */
  async startRun(choice: RunChoice = { kind: 'all' }): Promise<void> {
    const r = this.review;
    const model = this.model;
    if (!r || !model) return;
    if (r.step !== 'idle' && r.step !== 'done' && r.step !== 'confirming') return;
    const chosen = r.step === 'confirming' ? r.choice : choice;
    const last = r.step === 'done' ? r.run : r.last;
    const plan = this.plan(chosen);
    if (plan.rows.length === 0) {
      this.toReview(last ? { step: 'done', run: last } : { step: 'idle', last: null });
      throw new Error('No row is ready to send.');
    }
    this.toReview({ step: 'starting', last, plan });
    // Locked from now on: the run sends these rows as they are, and no undo reaches them.
    model.beginSending(plan.rows);
    try {
      const prepared = await this.worker.prepare(plan.rows, this.mapping, this.defaultOrg);
      const rows = prepared.filter((p) => p.body !== null && !p.createdBefore);
      if (rows.length === 0) throw new Error('No row is ready to send.');
      const submission: Submission = {
        fileName: this.submissionName(),
        headers: model.headers,
        rows,
        sheet: this.readMeta?.sheet ?? null,
        mapping: this.mapping,
        ...(this.defaultOrg.trim() ? { defaultOrganizationId: this.defaultOrg.trim() } : {}),
      };
      // Rows the worker would not send are editable again at once.
      const sent = new Set(rows.map((p) => p.rowKey));
      const { runId } = await this.bridge.startRun(submission);
      this.follow(runId, plan.kind, rows.length, plan.rows, sent);
    } catch (e) {
      model.endSending();
      this.toReview(last ? { step: 'done', run: last } : { step: 'idle', last: null });
      throw e;
    }
  }

  /** Continue the run this session was opened from: exactly the rows it recorded, under their keys. */
  async resumeRun(): Promise<void> {
    const recorded = this.recorded;
    const model = this.model;
    if (!recorded || !model || this.review?.step !== 'idle') return;
    const rows: number[] = [];
    for (const r of model.order) if (!model.isLocked(r)) rows.push(r);
    this.toReview({ step: 'starting', last: null, plan: this.plan() });
    model.beginSending(rows);
    try {
      const { runId } = await this.bridge.startRun(recorded.submission);
      const sent = new Set(recorded.submission.rows.filter((p) => !p.createdBefore).map((p) => p.rowKey));
      this.follow(runId, 'resumed', sent.size, Int32Array.from(rows), sent);
    } catch (e) {
      model.endSending();
      this.toReview({ step: 'idle', last: null });
      throw e;
    }
  }

  /** A run the UI follows from now on. */
  private follow(
    runId: string,
    kind: RunState['kind'],
    total: number,
    planned: Int32Array,
    sent: ReadonlySet<string>,
  ): void {
    const model = this.model!;
    // Rows planned but not sent (the worker found an error the grid had not shown yet) are not locked.
    const unsent = Array.from(planned).filter((r) => !sent.has(model.rowKey(r)));
    if (unsent.length > 0) {
      const keep = Array.from(planned).filter((r) => sent.has(model.rowKey(r)));
      model.endSending();
      model.beginSending(keep);
    }
    const now = Date.now();
    const run: RunState = {
      runId,
      kind,
      total,
      startedAt: now,
      progress: null,
      progressAt: now,
      summary: null,
      failure: null,
      paused: false,
    };
    this.toReview({ step: 'running', run });
    for (const f of this.pendingRunEvents.splice(0)) f();
  }

  /** The run an event belongs to, when it is the one followed. */
  private followed(runId: string): RunState | null {
    const r = this.review;
    return r?.step === 'running' && r.run.runId === runId ? r.run : null;
  }

  private whenReady(runId: string, f: (run: RunState) => void): void {
    const run = this.followed(runId);
    if (this.model && run) f(run);
    // Events of a run not followed yet (it is being started or resumed): played once it is.
    else if (this.review?.step === 'starting' || this.phase === 'reading')
      this.pendingRunEvents.push(() => this.whenReady(runId, f));
  }

  private updateRun(run: RunState, done: boolean): void {
    this.toReview(done ? { step: 'done', run } : { step: 'running', run });
  }

  onProgress(p: Progress): void {
    this.whenReady(p.runId, (run) => {
      this.updateRun({ ...run, progress: p, progressAt: Date.now(), paused: p.phase === 'paused' }, false);
    });
  }

  private applyResult(result: EventPayload<'runRow'>['result'], issues: Issue[]): void {
    const model = this.model;
    const r = model?.rowOfKey(result.rowKey);
    if (!model || r === undefined) return;
    const excel = model.rowNumbers[r]!;
    model.setResult(
      r,
      { ...result, row: excel },
      issues.map((i) => ({ ...i, row: excel })),
    );
  }

  onRow(e: EventPayload<'runRow'>): void {
    this.whenReady(e.runId, () => {
      this.applyResult(e.result, e.issues);
      this.modelChanged();
    });
  }

  onFinished(s: Summary): void {
    this.whenReady(s.runId, (run) => {
      const byRow = new Map<number, Issue[]>();
      for (const i of s.issues) byRow.set(i.row, [...(byRow.get(i.row) ?? []), i]);
      for (const r of s.results) this.applyResult(r, byRow.get(r.row) ?? []);
      this.model?.endSending();
      this.model?.refreshViews();
      this.updateRun({ ...run, summary: s, paused: false }, true);
    });
  }

  onFailed(e: EventPayload<'runFailed'>): void {
    this.whenReady(e.runId, (run) => {
      this.model?.endSending();
      this.updateRun({ ...run, failure: e.message }, true);
    });
  }

  dismissRun(): void {
    const r = this.review;
    if (!r || this.running) return;
    if (r.step === 'done') this.toReview({ step: 'idle', last: null });
    else if (r.step === 'idle' && r.last) this.toReview({ step: 'idle', last: null });
  }

  noteSaved(out: SavedOutput | null): void {
    this.lastSaved = out;
    this.changed();
  }

  /** Rows with account findings, and how many findings (for the check's summary). */
  accountFindings(): { rows: number; issues: number } {
    const m = this.model;
    if (!m) return { rows: 0, issues: 0 };
    let rows = 0;
    let issues = 0;
    for (const r of m.order) {
      const n = m.accountIssues(r).length;
      if (n > 0) {
        rows++;
        issues += n;
      }
    }
    return { rows, issues };
  }
}
