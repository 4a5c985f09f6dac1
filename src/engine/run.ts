/**
 * A submission run: prepared rows (see `shared/prepared.ts`) in row order, one request at a time,
 * each row's Idempotency-Key journaled before its first request leaves, pacing and retries in
 * `ApiSession`, pause / resume / cancel, and resume from the journal after a crash, a kill or a quit.
 *
 * The engine trusts no row it is given: every body is parsed again with the strict request schema,
 * and a row that carries an error, or whose body fails that schema, is refused (invalid, never
 * sent). Journal records, results, events and the summary are keyed by row key.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { CreateProjectRequest } from '@political-comms/sdk';
import { checkAgainstAccount, type ResolvedReference } from '../shared/account/check';
import type { Mapping } from '../shared/mapping';
import type { Submission } from '../shared/prepared';
import { sentIdsOf, type RowResult, type ResultsSource } from '../shared/results';
import { isFieldName, type FieldName } from '../shared/schema/fields';
import { createProjectRequestSchema } from '../shared/schema/request';
import type { FileWarning, Issue } from '../shared/validate';
import { fetchAccount } from './account';
import {
  ApiSession,
  DEFAULT_RETRY_POLICY,
  PRODUCTION_BASE_URL,
  type Control,
  type RetryPolicy,
  type WaitInfo,
} from './api';
import { realClock, type Clock } from './clock';
import {
  failureSummary,
  gaveUpMessage,
  stopMessage,
  unreachableMessage,
  validationIssues,
  type ApiFailure,
  type Audience,
} from './errors';
import {
  FileJournal,
  JOURNAL_VERSION,
  isFinal,
  replayJournal,
  remapRows,
  type InputRecord,
  type JournalFs,
  type JournalRecord,
  type JournalState,
  type JournalWriter,
  type ResultRecord,
  type RowJournal,
  type RunRecord,
} from './journal';
import { apiKeyProblem } from './api-key';
import { bodyFingerprint } from './prior-keys';

export interface RunOptions {
  /** The rows to send, as the grid (or the CLI's file adapter) prepared them. */
  submission: Submission;
  /**
   * The identity of the input: a journal belongs to one input (the file's SHA-256 for the CLI, the
   * submission's hash for the app). A journal of another input is refused (see `continueEdited`).
   */
  inputHash: string;
  /** The header line the rows were read under (recorded in the journal; null when not from a file). */
  headerRow?: number | null;
  /** What only the whole input shows, passed through to the summary. */
  fileWarnings?: FileWarning[];
  /** Who reads the messages: the command line, or the app (which never speaks of commands). */
  audience: Audience;
  apiKey: string;
  /** Default: production. */
  baseUrl?: string;
  /**
   * The run's journal. When it already holds a run of the same input, the run resumes it. Without a
   * journal nothing survives the process (tests, dry runs).
   */
  journalPath?: string;
  /** Only the pre-flight: nothing is created, nothing is journaled. */
  dryRun?: boolean;
  /**
   * Continue the journal's run with an edited version of its input: rows already created are never
   * sent again (edited or not), rows whose outcome is unknown are sent again with their journaled
   * key, other rows as usual. Rows are matched by row key and, where rows moved, by body.
   */
  continueEdited?: boolean;
  /**
   * Keys of bodies whose outcome earlier runs never learned (see `openKeys`): a row sending the very
   * same body reuses that key, so it cannot be created twice across runs.
   */
  priorKeys?: ReadonlyMap<string, string>;
  policy?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  clock?: Clock;
  random?: () => number;
  /** For fault tests of the journal. */
  journalFs?: JournalFs;
  /** Instead of a file journal (tests). */
  journal?: { writer: JournalWriter; records: JournalRecord[] };
}

export type RunPhase = 'preparing' | 'preflight' | 'sending' | 'paused' | 'done' | 'stopped' | 'cancelled';

export interface Progress {
  phase: RunPhase;
  /** Rows of the input. */
  rows: number;
  /** Rows this run sends (valid, not skipped), earlier sessions included. */
  total: number;
  /** Of those, the ones with a final outcome. */
  done: number;
  created: number;
  failed: number;
  invalid: number;
  skipped: number;
  currentRow: number | null;
  /** The row key of the row in flight. */
  currentRowKey: string | null;
  /** Attempt number of the current row's request (over every session). */
  attempt: number | null;
  /** Waiting for the rate limit or a retry, with the seconds left. */
  waiting: WaitInfo | null;
  /**
   * Estimated seconds to the end: this session's pace, or the pace the rate-limit headers allow
   * when that is slower, plus the wait in progress; null until it can be estimated.
   */
  etaSeconds: number | null;
}

export interface RowEvent {
  result: RowResult & { rowKey: string };
  issues: Issue[];
}

export interface LogEvent {
  level: 'info' | 'warn' | 'error';
  message: string;
  row?: number;
  rowKey?: string;
  /** The message that ends the run (also in the summary's `stop`). */
  stop?: true;
}

export interface RunEvents {
  progress: Progress;
  row: RowEvent;
  log: LogEvent;
}

export interface StopInfo {
  /** account: a refusal every later row would get too; unreachable: the API cannot be reached. */
  reason: 'account' | 'unreachable' | 'cancelled';
  rowKey?: string;
  row?: number;
  httpStatus?: number;
  code?: string;
  /** What the user must do. */
  message: string;
}

export interface RunSummary {
  state: 'completed' | 'stopped' | 'cancelled';
  dryRun: boolean;
  /** True when this session continued a run from its journal. */
  resumed: boolean;
  /** Every row has a final outcome (the journal holds its `end`): nothing is left to resume. */
  finished: boolean;
  runId: string;
  journalPath: string | null;
  stop: StopInfo | null;
  counts: {
    rows: number;
    created: number;
    failed: number;
    invalid: number;
    skipped: number;
    notSent: number;
  };
  /** Every input row, in input order. */
  results: Array<RowResult & { rowKey: string }>;
  /** Validation, pre-flight and API findings, in row order. */
  issues: Issue[];
  /** Of those, what validating the sheet alone cannot show: pre-flight findings and API refusals. */
  accountIssues: Issue[];
  /** The names (and numbers typed as numbers, domains) the pre-flight resolved to their ids. */
  resolved: ResolvedReference[];
  fileWarnings: FileWarning[];
  /** The input grid, to write the results sheet with `writeResults(source, results, format)`. */
  source: ResultsSource;
  fileName: string;
  sheet: string | null;
}

/** The API key cannot be sent as it is (a line break, a control character…); the message never holds it. */
export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
}

export class JournalMismatchError extends Error {
  override name = 'JournalMismatchError';
}

/** A submission the engine refuses as a whole (two rows with one key, say): nothing is sent. */
export class SubmissionError extends Error {
  override name = 'SubmissionError';
}

export interface Run {
  readonly id: string;
  /** Runs to the end, a stop or a cancel. Throws only for an unusable submission or journal. */
  start(): Promise<RunSummary>;
  /** Finishes the request in flight, then waits. */
  pause(): void;
  resume(): void;
  /**
   * Stops the run (it stays resumable). By default the request in flight is aborted through its
   * AbortSignal and its row is recorded as "outcome unknown" (the next session re-sends it with the same
   * key); with `{ waitForInFlight: true }` that request is allowed to finish and its answer recorded.
   */
  cancel(options?: { waitForInFlight?: boolean }): void;
  on<E extends keyof RunEvents>(event: E, listener: (payload: RunEvents[E]) => void): () => void;
  progress(): Progress;
}

/** One row as the engine holds it: the prepared row after the strict re-check. */
interface EngineRow {
  rowKey: string;
  row: number;
  cells: readonly string[];
  /** null: refused (an error issue, or a body the strict schema rejects). */
  body: CreateProjectRequest | null;
  issues: Issue[];
  createdBefore?: { projectId: string; projectStatus?: string };
}

/** The hash of a submission's content that decides what is sent (the app's input identity). */
export function submissionHash(s: Submission): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([s.sheet ?? null, s.defaultOrganizationId ?? null, s.mapping.columns]));
  for (const r of s.rows) {
    const refused = r.body === null || r.issues.some((i) => i.severity === 'error');
    h.update('\n');
    h.update(
      JSON.stringify([
        r.rowKey,
        r.row,
        refused ? null : bodyFingerprint(r.body as unknown as CreateProjectRequest),
        r.createdBefore?.projectId ?? null,
      ]),
    );
  }
  return h.digest('hex');
}

/** The strict re-check of every prepared row. Throws SubmissionError for a submission that cannot be run. */
function engineRows(s: Submission): EngineRow[] {
  const seen = new Set<string>();
  const out: EngineRow[] = [];
  for (const r of s.rows) {
    if (seen.has(r.rowKey))
      throw new SubmissionError(
        `Two rows share the row key "${r.rowKey}": nothing was sent. Reopen the file and submit it again.`,
      );
    seen.add(r.rowKey);
    const issues: Issue[] = r.issues.map((i) => ({ ...i, row: r.row }));
    let body: CreateProjectRequest | null = null;
    if (r.body !== null && !issues.some((i) => i.severity === 'error')) {
      const parsed = createProjectRequestSchema.safeParse(r.body);
      if (parsed.success) body = parsed.data;
      else {
        const first = parsed.error.issues[0];
        const top = first?.path[0];
        const field: FieldName = typeof top === 'string' && isFieldName(top) ? top : 'name';
        issues.push({
          row: r.row,
          field,
          severity: 'error',
          code: 'invalid_request_body',
          message: `This row's request is not one the API accepts (${first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid'}), so it is not sent. Check the row and submit it again.`,
        });
      }
    }
    out.push({
      rowKey: r.rowKey,
      row: r.row,
      cells: r.cells,
      body,
      issues,
      ...(r.createdBefore
        ? {
            createdBefore: {
              projectId: r.createdBefore.projectId,
              ...(r.createdBefore.projectStatus ? { projectStatus: r.createdBefore.projectStatus } : {}),
            },
          }
        : {}),
    });
  }
  return out;
}

class RunControl implements Control {
  paused = false;
  cancelled = false;
  private readonly wake = new AbortController();
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];

  get wakeSignal(): AbortSignal {
    return this.wake.signal;
  }
  get abortSignal(): AbortSignal {
    return this.abort.signal;
  }

  async checkpoint(): Promise<boolean> {
    while (this.paused && !this.cancelled) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return !this.cancelled;
  }
  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.release();
  }
  cancel(abortInFlight: boolean): void {
    this.cancelled = true;
    this.wake.abort();
    if (abortInFlight) this.abort.abort(new DOMException('The run was cancelled', 'AbortError'));
    this.release();
  }
}

const now = (clock: Clock) => new Date(clock.now()).toISOString();

function firstErrors(issues: Issue[]): Issue[] {
  return issues.filter((i) => i.severity === 'error');
}

const issueId = (i: Issue) => `${i.field}\u0000${i.code}\u0000${i.message}`;

/** Create a run; nothing happens until `start()`. */
export function createRun(options: RunOptions): Run {
  return new SubmissionRun(options);
}

/** The dry run on its own: validation and pre-flight findings, nothing created, nothing journaled. */
export function preflight(
  options: Omit<RunOptions, 'dryRun' | 'journalPath' | 'journal' | 'continueEdited'>,
): Promise<RunSummary> {
  return createRun({ ...options, dryRun: true }).start();
}

/** How a row of an edited input relates to the journal's run (see `continueEdited`). */
interface EditedMatch {
  /** The journal's row key this row continues (its own, or the one it had before rows moved). */
  journalKey: string;
  /** Its body differs from the one the journal holds for that row. */
  edited: boolean;
}

class SubmissionRun implements Run {
  id = '';
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly audience: Audience;
  private readonly control = new RunControl();
  private readonly listeners = new Map<keyof RunEvents, Set<(p: never) => void>>();
  private started = false;

  private writer: JournalWriter | null = null;
  private journalPath: string | null = null;
  /** By row key. */
  private rowsJournal = new Map<string, RowJournal>();
  /** The body each queued row is (or was) sent with: names resolved to ids. */
  private readonly bodies = new Map<string, CreateProjectRequest>();
  private results = new Map<string, ResultRecord>();
  private issuesByRow = new Map<string, Issue[]>();
  /** Issues that came with the rows (the validator's, the window's own account check). */
  private given = new Set<Issue>();
  private stop: StopInfo | null = null;
  private rows: EngineRow[] = [];
  private byKey = new Map<string, EngineRow>();
  private sendable = new Set<string>();
  private resolved: ResolvedReference[] = [];
  /** Every Idempotency-Key the journal has seen (a fresh key never repeats one). */
  private usedKeys = new Set<string>();
  /** The journal already holds an `end` record. */
  private ended = false;
  /** The `input` record to write when an edited input continues the run. */
  private editedInput: InputRecord | null = null;
  private api: ApiSession | null = null;

  private state: Progress = {
    phase: 'preparing',
    rows: 0,
    total: 0,
    done: 0,
    created: 0,
    failed: 0,
    invalid: 0,
    skipped: 0,
    currentRow: null,
    currentRowKey: null,
    attempt: null,
    waiting: null,
    etaSeconds: null,
  };
  private sessionStart: number | null = null;
  private finishedInSession = 0;

  constructor(private readonly options: RunOptions) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
    this.audience = options.audience;
  }

  on<E extends keyof RunEvents>(event: E, listener: (payload: RunEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (p: never) => void);
    return () => set.delete(listener as (p: never) => void);
  }

  private emit<E extends keyof RunEvents>(event: E, payload: RunEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        (l as (p: RunEvents[E]) => void)(payload);
      } catch {
        // A listener's failure must not break the run.
      }
    }
  }

  progress(): Progress {
    return { ...this.state };
  }

  private update(patch: Partial<Progress>): void {
    Object.assign(this.state, patch);
    if (this.control.paused && this.state.phase === 'sending') this.state.phase = 'paused';
    if (!this.control.paused && this.state.phase === 'paused') this.state.phase = 'sending';
    this.emit('progress', this.progress());
  }

  private log(
    level: LogEvent['level'],
    message: string,
    at?: { rowKey: string; row: number },
    stop?: true,
  ): void {
    this.emit('log', {
      level,
      message,
      ...(at ? { row: at.row, rowKey: at.rowKey } : {}),
      ...(stop ? { stop } : {}),
    });
  }

  pause(): void {
    this.control.pause();
    if (this.started) this.update({});
  }
  resume(): void {
    this.control.resume();
    if (this.started) this.update({});
  }
  cancel(options: { waitForInFlight?: boolean } = {}): void {
    this.control.cancel(!options.waitForInFlight);
  }

  private async append(record: JournalRecord): Promise<void> {
    await this.writer?.append(record);
  }

  private addIssues(rowKey: string, issues: Issue[]): void {
    if (issues.length === 0) return;
    const list = this.issuesByRow.get(rowKey) ?? [];
    const known = new Set(list.map(issueId));
    for (const i of issues) {
      if (known.has(issueId(i))) continue;
      known.add(issueId(i));
      list.push(i);
    }
    this.issuesByRow.set(rowKey, list);
  }

  /**
   * Record final outcomes: journal first (one write and one fsync for the batch, awaited), then
   * memory, tallies and events. Batches are for the rows decided before sending starts.
   */
  private async record(records: ResultRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.writer) {
      if (records.length === 1) await this.writer.append(records[0] as ResultRecord);
      else await this.writer.appendMany(records);
    }
    for (const record of records) {
      const k = record.rowKey;
      this.tallyOf(this.results.get(k), -1);
      this.results.set(k, record);
      this.tallyOf(record, 1);
      const j = this.rowsJournal.get(k) ?? { attempts: 0, unanswered: false };
      j.result = record;
      j.unanswered = false;
      this.rowsJournal.set(k, j);
      // An invalid row's issues are already known (validation, pre-flight); a refusal's come from the API.
      if (record.issues && record.status === 'failed') this.addIssues(k, record.issues);
      if (this.sendable.has(k) && this.sessionStart !== null) this.finishedInSession++;
    }
    this.publishCounts();
    for (const record of records) {
      this.emit('row', {
        result: this.rowResult(record.rowKey),
        issues: this.issuesByRow.get(record.rowKey) ?? [],
      });
    }
  }

  private tally = { created: 0, failed: 0, invalid: 0, skipped: 0, done: 0 };

  private tallyOf(r: ResultRecord | undefined, sign: 1 | -1): void {
    if (!r) return;
    this.tally[r.status] += sign;
    if (this.sendable.has(r.rowKey) && (r.status === 'created' || r.status === 'failed'))
      this.tally.done += sign;
  }

  /** Recompute the tallies from scratch (once the set of rows to send is known). */
  private recount(): void {
    this.tally = { created: 0, failed: 0, invalid: 0, skipped: 0, done: 0 };
    for (const r of this.results.values()) if (this.byKey.has(r.rowKey)) this.tallyOf(r, 1);
    this.publishCounts();
  }

  /**
   * Seconds to the end. The session's own pace (rows finished per second so far), or, when the
   * rate limit is the bound, the pace its headers allow for the rows that do not fit in what is
   * left of the current window; plus a backoff wait in progress. Rate-limit waits are inside the
   * rate-limit pace, so with 10 rows left at 4 a minute it says about 150 s, whatever the first
   * rows of the window took.
   */
  private eta(): number | null {
    const left = this.sendable.size - this.tally.done;
    if (left <= 0) return 0;
    const t = this.clock.now();
    const perRow =
      this.sessionStart !== null && this.finishedInSession > 0
        ? (t - this.sessionStart) / this.finishedInSession
        : null;
    let rate: number | null = null;
    const pace = this.api?.limits.paceMs('write') ?? null;
    if (pace !== null) {
      const window = this.api?.limits.get('write');
      const fits = window && window.remaining > 0 ? window.remaining : 0;
      rate = Math.max(0, left - fits) * pace;
    }
    const w = this.state.waiting;
    const waitMs = w ? Math.max(0, w.until - t) : 0;
    if (perRow === null && rate === null) return w ? Math.ceil(waitMs / 1000) : null;
    const base = Math.max((perRow ?? 0) * left, rate ?? 0);
    const total = w?.reason === 'backoff' ? waitMs + base : Math.max(base, waitMs);
    return Math.ceil(total / 1000);
  }

  private publishCounts(): void {
    const { created, failed, invalid, skipped, done } = this.tally;
    this.update({
      created,
      failed,
      invalid,
      skipped,
      done,
      total: this.sendable.size,
      etaSeconds: this.eta(),
    });
  }

  private onWait = (w: WaitInfo | null): void => {
    this.state.waiting = w;
    this.update({ waiting: w, etaSeconds: this.eta() });
  };

  private async openJournal(): Promise<{ resumed: RunRecord | null; edited: true | null }> {
    if (this.options.journal) {
      this.writer = this.options.journal.writer;
      return this.loadJournal(this.options.journal.records, '(journal)');
    }
    if (!this.options.journalPath) return { resumed: null, edited: null };
    const { journal, contents } = FileJournal.open(this.options.journalPath, this.options.journalFs);
    this.journalPath = this.options.journalPath;
    try {
      const loaded = this.loadJournal(contents.records, this.options.journalPath);
      this.writer = journal;
      if (contents.skippedLines > 0) {
        this.log(
          'warn',
          `Ignored ${contents.skippedLines} unreadable journal line(s) (a write cut short by a kill).`,
        );
      }
      return loaded;
    } catch (e) {
      await journal.close();
      throw e;
    }
  }

  private loadJournal(
    records: JournalRecord[],
    where: string,
  ): { resumed: RunRecord | null; edited: true | null } {
    const state = replayJournal(records);
    const run = state.run;
    if (!run) return { resumed: null, edited: null };
    const o = this.options;
    const s = o.submission;
    const problems: string[] = [];
    const input = state.input ?? { fileName: run.fileName, fileHash: run.fileHash, rows: run.rows };
    const otherInput = input.fileHash !== o.inputHash;
    if (otherInput && !o.continueEdited) {
      problems.push(
        `it holds a run of another file, or of another version of this file (${input.fileName}, started ${run.createdAt}).`,
      );
    }
    const sheet = s.sheet ?? null;
    if (sheet !== null && run.sheet !== null && sheet !== run.sheet)
      problems.push(`it holds a run of sheet "${run.sheet}", not "${sheet}".`);
    if (
      s.defaultOrganizationId &&
      run.defaultOrganizationId &&
      s.defaultOrganizationId !== run.defaultOrganizationId
    )
      problems.push(
        `it was started with the default organization ${run.defaultOrganizationId}, not ${s.defaultOrganizationId}.`,
      );
    const baseUrl = (o.baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '');
    if (run.baseUrl !== baseUrl) problems.push(`it was started against ${run.baseUrl}, not ${baseUrl}.`);
    if (!otherInput && JSON.stringify(s.mapping.columns) !== JSON.stringify(run.mapping.columns))
      problems.push('it was started with another column mapping.');
    if (problems.length > 0) {
      let message = `The journal ${where} cannot be resumed: ${problems.join(' ')}`;
      if (otherInput && problems.length === 1 && this.audience === 'cli') {
        message +=
          ' If this file is that one edited, add --continue-edited to continue that run with it: rows the run already created are not sent again (even if you edited them), rows whose outcome is unknown are sent again with their Idempotency-Key (so they cannot be created twice), and the other rows are sent as usual.' +
          ' Do not name a new journal for an edited file: its rows would be created a second time.';
      }
      throw new JournalMismatchError(message);
    }
    this.id = run.runId;
    this.ended = state.ended && !otherInput;
    this.usedKeys = new Set(state.usedKeys);
    for (const j of state.rows.values()) if (j.key) this.usedKeys.add(j.key);
    if (!otherInput) {
      this.rowsJournal = state.rows;
      for (const [key, j] of state.rows) if (j.result) this.results.set(key, j.result);
      return { resumed: run, edited: null };
    }
    const keys = this.continueKeys(state);
    this.editedInput = {
      type: 'input',
      at: now(this.clock),
      fileName: s.fileName,
      fileHash: o.inputHash,
      rows: this.rows.length,
      keys,
    };
    this.rowsJournal = remapRows(state.rows, keys);
    for (const [key, j] of this.rowsJournal)
      if (j.result) this.results.set(key, { ...j.result, rowKey: key });
    return { resumed: run, edited: true };
  }

  /** Which journal row each row of an edited input continues (see `InputRecord.keys`). */
  private continueKeys(state: JournalState): InputRecord['keys'] {
    const matches = this.matchEdited(state);
    const keys: InputRecord['keys'] = [];
    for (const r of this.rows) {
      const m = matches.get(r.rowKey);
      const j = m ? state.rows.get(m.journalKey) : undefined;
      if (!m || !j) {
        keys.push([r.rowKey, null]);
        continue;
      }
      const created =
        j.result?.status === 'created' || (j.result?.status === 'skipped' && !!j.result.projectId);
      if (created) {
        keys.push([r.rowKey, m.journalKey]);
        if (m.edited)
          this.log(
            'warn',
            `Row ${r.row} was created earlier in this run (${j.result?.projectId ?? ''}); your edits to it are not sent: a created project is never sent again. Change it in Political Comms itself.`,
            r,
          );
      } else if (j.key && !isFinal(j)) {
        // Outcome unknown: sent again with its key (and, if edited, the new body).
        keys.push(m.edited ? [r.rowKey, m.journalKey, 1] : [r.rowKey, m.journalKey]);
      } else if (!m.edited) {
        keys.push([r.rowKey, m.journalKey]);
      } else {
        // Edited after a final refusal, or never sent: sent as a new row, under a fresh key.
        keys.push([r.rowKey, null]);
      }
    }
    return keys;
  }

  /**
   * Rows of an edited input matched to the journal's rows: by row key where the body is unchanged,
   * then by body where rows moved, then by project name where rows moved and were edited, then by
   * row key (an edited row in its place).
   */
  private matchEdited(state: JournalState): Map<string, EditedMatch> {
    const matches = new Map<string, EditedMatch>();
    const claimed = new Set<string>();
    const fp = (b: CreateProjectRequest | null | undefined) => (b ? bodyFingerprint(b) : null);
    const rows = this.rows;
    // 1. Same key, same body (or neither has one).
    for (const r of rows) {
      const j = state.rows.get(r.rowKey);
      if (!j) continue;
      if (fp(j.body) === fp(r.body)) {
        matches.set(r.rowKey, { journalKey: r.rowKey, edited: false });
        claimed.add(r.rowKey);
      }
    }
    // 2. Rows that moved: the same body under another key.
    const byBody = new Map<string, string>();
    for (const [key, j] of state.rows) {
      const f = fp(j.body);
      if (f && !claimed.has(key) && !byBody.has(f)) byBody.set(f, key);
    }
    for (const r of rows) {
      if (matches.has(r.rowKey)) continue;
      const f = fp(r.body);
      const key = f ? byBody.get(f) : undefined;
      if (key && !claimed.has(key)) {
        matches.set(r.rowKey, { journalKey: key, edited: false });
        claimed.add(key);
      }
    }
    // 3. Rows that moved and were edited: the same project name (when only one row has it).
    const nameOf = (b: CreateProjectRequest | null | undefined) => (b ? b.name.trim().toLowerCase() : null);
    const count = (names: Array<string | null>) => {
      const m = new Map<string, number>();
      for (const n of names) if (n) m.set(n, (m.get(n) ?? 0) + 1);
      return m;
    };
    const newNames = count(rows.filter((r) => !matches.has(r.rowKey)).map((r) => nameOf(r.body)));
    const oldByName = new Map<string, string>();
    const oldNames = count([...state.rows].filter(([k]) => !claimed.has(k)).map(([, j]) => nameOf(j.body)));
    for (const [key, j] of state.rows) {
      const n = nameOf(j.body);
      if (n && !claimed.has(key) && oldNames.get(n) === 1) oldByName.set(n, key);
    }
    for (const r of rows) {
      if (matches.has(r.rowKey)) continue;
      const n = nameOf(r.body);
      const key = n && newNames.get(n) === 1 ? oldByName.get(n) : undefined;
      if (key && !claimed.has(key)) {
        matches.set(r.rowKey, { journalKey: key, edited: true });
        claimed.add(key);
      }
    }
    // 4. The same key, edited.
    for (const r of rows) {
      if (matches.has(r.rowKey) || claimed.has(r.rowKey) || !state.rows.has(r.rowKey)) continue;
      matches.set(r.rowKey, { journalKey: r.rowKey, edited: true });
      claimed.add(r.rowKey);
    }
    // Rows of the earlier version that are gone, with an outcome nobody knows: say so.
    for (const [key, j] of state.rows) {
      if (claimed.has(key) || isFinal(j) || !j.key) continue;
      this.log(
        'warn',
        `A row of the earlier version${j.row ? ` (row ${j.row})` : ''}${j.body?.name ? `, "${j.body.name}",` : ''} was sent and its outcome is unknown; it is not in this file, so it is not sent again. Check in Political Comms whether that project exists.`,
      );
    }
    return matches;
  }

  async start(): Promise<RunSummary> {
    if (this.started) throw new Error('A run starts once');
    this.started = true;
    // A key with a line break or a control character would go out as a broken header, and messages
    // built around it could carry it into the journal or the output: refused before anything happens.
    const keyProblem = apiKeyProblem(this.options.apiKey);
    if (keyProblem) throw new ApiKeyError(keyProblem);
    this.update({ phase: 'preparing' });
    this.rows = engineRows(this.options.submission);
    this.byKey = new Map(this.rows.map((r) => [r.rowKey, r]));
    const { resumed, edited } = this.options.dryRun
      ? { resumed: null, edited: null }
      : await this.openJournal();
    try {
      return await this.execute(resumed, edited);
    } finally {
      await this.writer?.close();
    }
  }

  /** A key no request of this run has used: the row key's own, or one derived from the body. */
  private freshKey(rowKey: string, body: CreateProjectRequest): string {
    const own = `${this.id}-${rowKey}`;
    if (!this.usedKeys.has(own)) return own;
    const h = createHash('sha256').update(bodyFingerprint(body)).digest('hex').slice(0, 12);
    return `${own}-${h}`;
  }

  private async execute(resumed: RunRecord | null, _edited: true | null): Promise<RunSummary> {
    const o = this.options;
    const s = o.submission;
    const fileWarnings: FileWarning[] = [...(o.fileWarnings ?? [])];
    const baseUrl = (o.baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '');
    if (!resumed) {
      this.id = randomUUID();
      await this.append({
        type: 'run',
        version: JOURNAL_VERSION,
        runId: this.id,
        createdAt: now(this.clock),
        fileName: s.fileName,
        fileHash: o.inputHash,
        sheet: s.sheet ?? null,
        headerRow: o.headerRow ?? null,
        mapping: s.mapping as Mapping,
        defaultOrganizationId: s.defaultOrganizationId ?? null,
        baseUrl,
        rows: this.rows.length,
      });
    } else {
      this.log('info', `Resuming run ${this.id} (started ${resumed.createdAt}).`);
    }
    for (const r of this.rows) {
      this.addIssues(r.rowKey, r.issues);
      for (const i of r.issues) this.given.add(i);
    }

    if (this.editedInput) {
      await this.append(this.editedInput);
      this.log(
        'info',
        `Continuing run ${this.id} with an edited ${s.fileName}: rows it already created are not sent again.`,
      );
    }
    this.update({ rows: this.rows.length });

    const api = new ApiSession({
      apiKey: o.apiKey,
      baseUrl,
      ...(o.fetch ? { fetch: o.fetch } : {}),
      clock: this.clock,
      random: this.random,
      policy: this.policy,
      control: this.control,
    });
    this.api = api;

    // Rows already created (a reopened results sheet, an earlier run) are skipped, never sent.
    const fresh: EngineRow[] = [];
    const skipped: ResultRecord[] = [];
    for (const r of this.rows) {
      const j = this.rowsJournal.get(r.rowKey);
      if (isFinal(j)) continue;
      if (!j?.key && r.createdBefore) {
        skipped.push({
          type: 'result',
          rowKey: r.rowKey,
          row: r.row,
          status: 'skipped',
          at: now(this.clock),
          attempts: 0,
          projectId: r.createdBefore.projectId,
          ...(r.createdBefore.projectStatus ? { projectStatus: r.createdBefore.projectStatus } : {}),
          message: `Already created (${r.createdBefore.projectId}): not sent again.`,
        });
        continue;
      }
      fresh.push(r);
    }
    if (!o.dryRun) await this.record(skipped);
    else for (const rec of skipped) this.results.set(rec.rowKey, rec);

    // The account check for rows not sent yet; rows sent before keep their journaled body.
    const toCheck = fresh.filter((r) => r.body && !this.rowsJournal.get(r.rowKey)?.body);
    const bodies = new Map<string, CreateProjectRequest>();
    if (toCheck.length > 0) {
      this.update({ phase: 'preflight' });
      const orgs = [...new Set(toCheck.map((r) => (r.body as CreateProjectRequest).organization_id))];
      const fetched = await fetchAccount(api, orgs, {
        source: baseUrl,
        audience: this.audience,
        clock: this.clock,
        hooks: { onWait: this.onWait },
      });
      if (fetched.stop) {
        this.update({ waiting: null });
        await this.stopRun({
          reason: fetched.stop.reason,
          ...(fetched.stop.httpStatus !== undefined ? { httpStatus: fetched.stop.httpStatus } : {}),
          ...(fetched.stop.code !== undefined ? { code: fetched.stop.code } : {}),
          message:
            fetched.stop.reason === 'cancelled'
              ? 'Cancelled during the pre-flight; nothing was sent.'
              : fetched.stop.message,
        });
        return this.summary(
          fetched.stop.reason === 'cancelled' ? 'cancelled' : 'stopped',
          fileWarnings,
          !!resumed,
        );
      }
      const snapshot = fetched.snapshot!;
      for (const u of snapshot.unavailable) {
        fileWarnings.push(u);
        this.log('warn', u.message);
      }
      // One row at a time, so each finding belongs to its row by construction (the snapshot's
      // lookups are built once).
      for (const r of toCheck) {
        const check = checkAgainstAccount(
          [{ rowKey: r.rowKey, row: r.row, body: r.body as CreateProjectRequest }],
          snapshot,
        );
        this.addIssues(r.rowKey, check.issues);
        const b = check.bodies.get(r.rowKey);
        if (b) bodies.set(r.rowKey, b);
        this.resolved.push(...check.resolved);
      }
    }

    const queue: Array<{ row: EngineRow; body: CreateProjectRequest }> = [];
    const invalid: ResultRecord[] = [];
    for (const r of fresh) {
      const j = this.rowsJournal.get(r.rowKey);
      const body = j?.body ?? bodies.get(r.rowKey);
      if (body) {
        queue.push({ row: r, body });
        this.bodies.set(r.rowKey, body);
        continue;
      }
      invalid.push(invalidRecord(r, firstErrors(this.issuesByRow.get(r.rowKey) ?? []), this.clock));
    }
    const queued = new Set(queue.map((q) => q.row.rowKey));
    for (const r of this.rows) {
      const res = this.results.get(r.rowKey);
      if (res?.status === 'created' || res?.status === 'failed' || queued.has(r.rowKey))
        this.sendable.add(r.rowKey);
    }
    this.recount();
    // Journaled (except in a dry run) with the issues that made them invalid.
    if (!o.dryRun) await this.record(invalid);
    else for (const rec of invalid) this.results.set(rec.rowKey, rec);

    if (o.dryRun) {
      this.recount();
      this.update({ phase: 'done', currentRow: null, currentRowKey: null });
      return this.summary('completed', fileWarnings, false, queued);
    }

    this.update({ phase: 'sending' });
    this.sessionStart = this.clock.now();
    let unreachableRows = 0;
    for (const item of queue) {
      const outcome = await this.sendRow(api, item.row, item.body);
      if (outcome === 'stop') return this.summary('stopped', fileWarnings, !!resumed);
      if (outcome === 'cancel') return this.summary('cancelled', fileWarnings, !!resumed);
      const res = this.results.get(item.row.rowKey);
      unreachableRows = res?.status === 'failed' && res.retryable ? unreachableRows + 1 : 0;
      if (unreachableRows >= UNREACHABLE_AFTER_ROWS && queue[queue.length - 1] !== item) {
        await this.stopRun({
          reason: 'unreachable',
          message: unreachableMessage(
            baseUrl,
            {
              httpStatus: res?.httpStatus ?? 0,
              code: res?.code ?? 'NETWORK_ERROR',
              message: `${unreachableRows} rows in a row failed after every retry`,
            },
            this.audience,
          ),
        });
        return this.summary('stopped', fileWarnings, !!resumed);
      }
    }
    if (!this.ended && this.allFinal()) {
      await this.append({ type: 'end', at: now(this.clock), counts: this.counts() });
      this.ended = true;
    }
    this.update({ phase: 'done', currentRow: null, currentRowKey: null, attempt: null, waiting: null });
    return this.summary('completed', fileWarnings, !!resumed);
  }

  private allFinal(): boolean {
    return this.rows.every((r) =>
      isFinal({ attempts: 0, unanswered: false, result: this.results.get(r.rowKey) }),
    );
  }

  private async stopRun(info: StopInfo & { inFlight?: boolean }): Promise<void> {
    this.stop = info;
    await this.append({ type: 'stop', at: now(this.clock), ...info });
    const at =
      info.rowKey !== undefined && info.row !== undefined
        ? { rowKey: info.rowKey, row: info.row }
        : undefined;
    this.log(info.reason === 'cancelled' ? 'info' : 'error', info.message, at, true);
    this.update({
      phase: info.reason === 'cancelled' ? 'cancelled' : 'stopped',
      currentRow: null,
      currentRowKey: null,
      attempt: null,
      waiting: null,
    });
  }

  private async sendRow(
    api: ApiSession,
    r: EngineRow,
    payload: CreateProjectRequest,
  ): Promise<'ok' | 'stop' | 'cancel'> {
    const { rowKey, row } = r;
    const j = this.rowsJournal.get(rowKey) ?? { attempts: 0, unanswered: false };
    this.rowsJournal.set(rowKey, j);
    const body = j.body ?? payload;
    const key = j.key ?? this.options.priorKeys?.get(bodyFingerprint(body)) ?? this.freshKey(rowKey, body);
    this.usedKeys.add(key);
    const before = j.attempts;
    let withBody = !j.body;
    if (j.unanswered) {
      this.log(
        'info',
        `Row ${row}: the last request's answer was never recorded; sending it again with the same Idempotency-Key.`,
        r,
      );
    }
    this.update({ currentRow: row, currentRowKey: rowKey, attempt: before + 1 });

    const outcome = await api.call(
      'write',
      (signal) => api.client.createProject(body, { idempotencyKey: key, signal }),
      {
        // Awaited by the session: the request leaves only once its `send` record is durable.
        beforeAttempt: async (n) => {
          const attempt = before + n;
          await this.append({
            type: 'send',
            rowKey,
            row,
            key,
            attempt,
            at: now(this.clock),
            ...(withBody ? { body } : {}),
          });
          withBody = false;
          j.key = key;
          j.body = body;
          j.attempts = attempt;
          j.unanswered = true;
          this.update({ currentRow: row, currentRowKey: rowKey, attempt });
        },
        onRetry: (n, f, retryInMs) => {
          void this.append({
            type: 'answer',
            rowKey,
            row,
            attempt: before + n,
            at: now(this.clock),
            httpStatus: f.httpStatus,
            code: f.code,
            message: f.message,
            retryInMs,
          }).catch(() => undefined);
          j.unanswered = false;
          this.log(
            'warn',
            `Row ${row}: ${f.httpStatus ? `HTTP ${f.httpStatus} ` : ''}${f.code} (${f.message}); trying again in ${(retryInMs / 1000).toFixed(1)} s.`,
            r,
          );
        },
        onWait: this.onWait,
      },
    );
    const attempts = before + outcome.attempts;
    const at = now(this.clock);
    switch (outcome.kind) {
      case 'ok': {
        const data = (outcome.data?.data ?? {}) as { project_id?: string; id?: string; status?: string };
        await this.record([
          {
            type: 'result',
            rowKey,
            row,
            status: 'created',
            at,
            attempts,
            projectId: data.project_id ?? data.id ?? '',
            ...(data.status ? { projectStatus: data.status } : {}),
            httpStatus: outcome.httpStatus,
          },
        ]);
        return 'ok';
      }
      case 'failed': {
        const f = outcome.failure;
        if (f.code === 'IDEMPOTENCY_KEY_REUSED') {
          await this.record([
            {
              type: 'result',
              rowKey,
              row,
              status: 'failed',
              at,
              attempts,
              httpStatus: f.httpStatus,
              code: f.code,
              message:
                'This project may already exist: an earlier request for this row (before it was edited) may have created it, and the API refuses another body under the same Idempotency-Key. It is not sent again: check the projects in Political Comms.',
            },
          ]);
          return 'ok';
        }
        const issues =
          f.httpStatus >= 400 && f.httpStatus < 500 && f.httpStatus !== 429 ? validationIssues(row, f) : [];
        await this.record([
          {
            type: 'result',
            rowKey,
            row,
            status: 'failed',
            at,
            attempts,
            ...(f.httpStatus ? { httpStatus: f.httpStatus } : {}),
            code: f.code,
            message: outcome.retryable
              ? gaveUpMessage(f, outcome.attempts, this.audience)
              : failureSummary(f, f.code === 'VALIDATION_ERROR' ? issues : undefined),
            ...(outcome.retryable ? { retryable: true } : {}),
            ...(issues.length ? { issues } : {}),
          },
        ]);
        return 'ok';
      }
      case 'stopped': {
        j.unanswered = false;
        await this.stopRun({
          reason: 'account',
          rowKey,
          row,
          httpStatus: outcome.failure.httpStatus,
          code: outcome.failure.code,
          message: stopMessage(outcome.failure, body.organization_id, this.audience),
        });
        return 'stop';
      }
      case 'cancelled': {
        const again = this.audience === 'cli' ? 'Run the same command again' : 'Choose Create again';
        await this.stopRun({
          reason: 'cancelled',
          ...(outcome.inFlight ? { rowKey, row, inFlight: true } : {}),
          message: outcome.inFlight
            ? `Cancelled while row ${row} was on its way: whether it was created is unknown. ${again} to finish; the same Idempotency-Key makes the API answer with the project if it exists.`
            : `Cancelled. ${again} to continue where it stopped.`,
        });
        return 'cancel';
      }
    }
  }

  private counts(): RunSummary['counts'] {
    const c = { rows: this.rows.length, created: 0, failed: 0, invalid: 0, skipped: 0, notSent: 0 };
    for (const r of this.rows) {
      const s = this.rowResult(r.rowKey).status;
      if (s === 'created') c.created++;
      else if (s === 'failed') c.failed++;
      else if (s === 'invalid') c.invalid++;
      else if (s === 'skipped') c.skipped++;
      else c.notSent++;
    }
    return c;
  }

  private rowResult(rowKey: string, dryRunValid?: Set<string>): RowResult & { rowKey: string } {
    const r = this.byKey.get(rowKey);
    const row = r?.row ?? 0;
    const rec = this.results.get(rowKey);
    const j = this.rowsJournal.get(rowKey);
    const s = this.options.submission;
    const sentIds = r
      ? sentIdsOf(j?.body ?? this.bodies.get(rowKey), r.cells, s.mapping.columns, s.defaultOrganizationId)
      : '';
    const withIds = sentIds ? { sentIds } : {};
    if (rec) {
      const submitted = rec.status === 'created' || rec.status === 'failed';
      return {
        ...withIds,
        rowKey,
        row,
        status: rec.status,
        attempts: rec.attempts,
        ...(rec.projectId ? { projectId: rec.projectId } : {}),
        ...(rec.projectStatus ? { projectStatus: rec.projectStatus } : {}),
        ...(rec.code ? { errorCode: rec.code } : {}),
        ...(rec.message ? { errorMessage: rec.message } : {}),
        ...(rec.httpStatus ? { httpStatus: rec.httpStatus } : {}),
        ...(submitted ? { submittedAt: rec.at } : {}),
      };
    }
    if (r && r.body === null && !j?.key && !r.createdBefore) {
      // Not recorded yet (the run stopped before sending began), but it is refused already.
      const inv = invalidRecord(r, firstErrors(r.issues), this.clock);
      return {
        rowKey,
        row,
        status: 'invalid',
        attempts: 0,
        errorCode: inv.code as string,
        errorMessage: inv.message as string,
      };
    }
    const base: RowResult & { rowKey: string } = {
      rowKey,
      row,
      status: 'not_sent',
      attempts: j?.attempts ?? 0,
      ...withIds,
    };
    if (j?.lastSentAt) base.submittedAt = j.lastSentAt;
    if (this.stop?.rowKey === rowKey && this.stop.code) {
      return {
        ...base,
        errorCode: this.stop.code,
        errorMessage: this.stop.message,
        ...(this.stop.httpStatus ? { httpStatus: this.stop.httpStatus } : {}),
      };
    }
    if (j?.unanswered) {
      return {
        ...base,
        errorCode: 'OUTCOME_UNKNOWN',
        errorMessage:
          this.audience === 'cli'
            ? 'A request was sent and its answer was not recorded: run the same command again; the same Idempotency-Key makes the API answer with the project if it was created.'
            : 'A request was sent and its answer was not recorded: choose Create again; the same Idempotency-Key makes the API answer with the project if it was created.',
      };
    }
    if (dryRunValid?.has(rowKey))
      return { ...base, errorMessage: 'Dry run: passes the pre-flight; not sent.' };
    if (this.stop) return { ...base, errorMessage: 'Not sent: the run stopped before this row.' };
    return base;
  }

  private summary(
    state: RunSummary['state'],
    fileWarnings: FileWarning[],
    resumed: boolean,
    dryRunValid?: Set<string>,
  ): RunSummary {
    const s = this.options.submission;
    const results = this.rows.map((r) => this.rowResult(r.rowKey, dryRunValid));
    const issues: Issue[] = [];
    for (const r of this.rows) issues.push(...(this.issuesByRow.get(r.rowKey) ?? []));
    return {
      state,
      dryRun: !!this.options.dryRun,
      resumed,
      finished: !this.options.dryRun && this.allFinal(),
      runId: this.id,
      journalPath: this.journalPath,
      stop: this.stop,
      counts: this.counts(),
      results,
      issues,
      accountIssues: issues.filter((i) => !this.given.has(i)),
      resolved: this.resolved,
      fileWarnings,
      source: {
        headers: s.headers,
        rows: this.rows.map((r) => ({ rowKey: r.rowKey, row: r.row, cells: r.cells })),
      },
      fileName: s.fileName,
      sheet: s.sheet ?? null,
    };
  }
}

/** Consecutive rows that fail after every retry (5xx, network, timeout) before the run stops. */
const UNREACHABLE_AFTER_ROWS = 3;

function invalidRecord(r: EngineRow, errors: Issue[], clock: Clock): ResultRecord {
  const first = errors[0];
  return {
    type: 'result',
    rowKey: r.rowKey,
    row: r.row,
    status: 'invalid',
    at: now(clock),
    attempts: 0,
    code: first?.code ?? 'invalid',
    message: errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'The row is not valid.',
    issues: errors,
  };
}

export type { ApiFailure, Audience };
