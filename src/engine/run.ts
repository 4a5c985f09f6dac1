/**
 * A submission run: rows in row order, one request at a time, each row's Idempotency-Key journaled
 * before its first request leaves, pacing and retries in `ApiSession`, pause / resume / cancel, and
 * resume from the journal after a crash, a kill or a quit.
 */
import { randomUUID } from 'node:crypto';
import type { CreateProjectRequest } from '@political-comms/sdk';
import type { Mapping } from '../shared/mapping';
import type { RowResult, ResultsSource } from '../shared/results';
import type { FileWarning, Issue } from '../shared/validate';
import {
  ApiSession,
  DEFAULT_RETRY_POLICY,
  PRODUCTION_BASE_URL,
  type Control,
  type RetryPolicy,
  type WaitInfo,
} from './api';
import { realClock, type Clock } from './clock';
import { failureSummary, stopMessage, validationIssues, type ApiFailure } from './errors';
import { hashBytes, prepareInput, type InputFile, type PreparedInput, type PreparedRow } from './input';
import {
  FileJournal,
  JOURNAL_VERSION,
  isFinal,
  replayJournal,
  type JournalFs,
  type JournalRecord,
  type JournalWriter,
  type ResultRecord,
  type RowJournal,
  type RunRecord,
} from './journal';
import { ReferenceData, runPreflight } from './preflight';
import { bodyFingerprint } from './prior-keys';

export interface RunOptions {
  file: InputFile;
  /** Column -> field mapping (default: the journal's when resuming, else automatic). */
  mapping?: Mapping;
  /** For rows without organization_id. */
  defaultOrganizationId?: string;
  apiKey: string;
  /** Default: production. */
  baseUrl?: string;
  /**
   * The run's journal. When it already holds a run of the same file, the run resumes it. Without a
   * journal nothing survives the process (tests, dry runs).
   */
  journalPath?: string;
  /** Only the pre-flight: nothing is created, nothing is journaled. */
  dryRun?: boolean;
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
  /** Rows of the file. */
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
  /** Attempt number of the current row's request (over every session). */
  attempt: number | null;
  /** Waiting for the rate limit or a retry, with the seconds left. */
  waiting: WaitInfo | null;
  /** Estimated seconds to the end, from this session's pace; null until a row has finished. */
  etaSeconds: number | null;
}

export interface RowEvent {
  result: RowResult;
  issues: Issue[];
}

export interface LogEvent {
  level: 'info' | 'warn' | 'error';
  message: string;
  row?: number;
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
  results: RowResult[];
  /** Validation, pre-flight and API findings, in row order. */
  issues: Issue[];
  /** Of those, what validating the sheet alone cannot show: pre-flight findings and API refusals. */
  accountIssues: Issue[];
  fileWarnings: FileWarning[];
  /** The input grid, to write the results sheet with `writeResults(source, results, format)`. */
  source: ResultsSource;
  fileName: string;
  sheet: string | null;
}

export class JournalMismatchError extends Error {
  override name = 'JournalMismatchError';
}

export interface Run {
  readonly id: string;
  /** Runs to the end, a stop or a cancel. Throws only for an unreadable file or an unusable journal. */
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

/** Create a run; nothing happens until `start()`. */
export function createRun(options: RunOptions): Run {
  return new SubmissionRun(options);
}

/** The dry run on its own: validation and pre-flight findings, nothing created, nothing journaled. */
export function preflight(
  options: Omit<RunOptions, 'dryRun' | 'journalPath' | 'journal'>,
): Promise<RunSummary> {
  return createRun({ ...options, dryRun: true }).start();
}

class SubmissionRun implements Run {
  id = '';
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly control = new RunControl();
  private readonly listeners = new Map<keyof RunEvents, Set<(p: never) => void>>();
  private started = false;

  private writer: JournalWriter | null = null;
  private journalPath: string | null = null;
  private rowsJournal = new Map<number, RowJournal>();
  private results = new Map<number, ResultRecord>();
  private issuesByRow = new Map<number, Issue[]>();
  private stop: StopInfo | null = null;
  private input: PreparedInput | null = null;
  private preparedByRow = new Map<number, PreparedRow>();
  private sendable = new Set<number>();
  /** The journal already holds an `end` record. */
  private ended = false;

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

  private log(level: LogEvent['level'], message: string, row?: number, stop?: true): void {
    this.emit('log', { level, message, ...(row !== undefined ? { row } : {}), ...(stop ? { stop } : {}) });
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

  private append(record: JournalRecord): void {
    this.writer?.append(record);
  }

  private addIssues(row: number, issues: Issue[]): void {
    if (issues.length === 0) return;
    this.issuesByRow.set(row, [...(this.issuesByRow.get(row) ?? []), ...issues]);
  }

  /** Record a final outcome (journal first, then memory and events). */
  private finish(record: ResultRecord): void {
    this.record([record]);
  }

  /**
   * Record final outcomes: journal first (one write and one fsync for the batch), then memory, tallies
   * and events. Batches are for the rows decided before sending starts (invalid, skipped).
   */
  private record(records: ResultRecord[]): void {
    if (records.length === 0) return;
    if (this.writer) {
      if (records.length === 1) this.writer.append(records[0] as ResultRecord);
      else this.writer.appendMany(records);
    }
    for (const record of records) {
      this.tallyOf(this.results.get(record.row), -1);
      this.results.set(record.row, record);
      this.tallyOf(record, 1);
      const j = this.rowsJournal.get(record.row) ?? { attempts: 0, unanswered: false };
      j.result = record;
      j.unanswered = false;
      this.rowsJournal.set(record.row, j);
      // An invalid row's issues are already known (validation, pre-flight); a refusal's come from the API.
      if (record.issues && record.status === 'failed') this.addIssues(record.row, record.issues);
      if (this.sendable.has(record.row) && this.sessionStart !== null) this.finishedInSession++;
    }
    this.publishCounts();
    for (const record of records) {
      this.emit('row', {
        result: this.rowResult(record.row),
        issues: this.issuesByRow.get(record.row) ?? [],
      });
    }
  }

  private tally = { created: 0, failed: 0, invalid: 0, skipped: 0, done: 0 };

  private tallyOf(r: ResultRecord | undefined, sign: 1 | -1): void {
    if (!r) return;
    this.tally[r.status] += sign;
    if (this.sendable.has(r.row) && (r.status === 'created' || r.status === 'failed'))
      this.tally.done += sign;
  }

  /** Recompute the tallies from scratch (once the set of rows to send is known). */
  private recount(): void {
    this.tally = { created: 0, failed: 0, invalid: 0, skipped: 0, done: 0 };
    for (const r of this.results.values()) this.tallyOf(r, 1);
    this.publishCounts();
  }

  private publishCounts(): void {
    const { created, failed, invalid, skipped, done } = this.tally;
    let etaSeconds: number | null = null;
    const left = this.sendable.size - done;
    if (left === 0) etaSeconds = 0;
    else if (this.sessionStart !== null && this.finishedInSession > 0) {
      etaSeconds = Math.ceil(((this.clock.now() - this.sessionStart) / this.finishedInSession / 1000) * left);
    }
    this.update({ created, failed, invalid, skipped, done, total: this.sendable.size, etaSeconds });
  }

  private openJournal(fileHash: string): { resumed: RunRecord | null } {
    if (this.options.journal) {
      this.writer = this.options.journal.writer;
      return this.loadJournal(this.options.journal.records, fileHash, '(journal)');
    }
    if (!this.options.journalPath) return { resumed: null };
    const { journal, contents } = FileJournal.open(this.options.journalPath, this.options.journalFs);
    this.journalPath = this.options.journalPath;
    try {
      const loaded = this.loadJournal(contents.records, fileHash, this.options.journalPath);
      this.writer = journal;
      if (contents.skippedLines > 0) {
        this.log(
          'warn',
          `Ignored ${contents.skippedLines} unreadable journal line(s) (a write cut short by a kill).`,
        );
      }
      return loaded;
    } catch (e) {
      journal.close();
      throw e;
    }
  }

  private loadJournal(
    records: JournalRecord[],
    fileHash: string,
    where: string,
  ): { resumed: RunRecord | null } {
    const state = replayJournal(records);
    const run = state.run;
    if (!run) return { resumed: null };
    const o = this.options;
    const problems: string[] = [];
    if (run.fileHash !== fileHash) {
      problems.push(
        `it holds a run of another file, or of another version of this file (${run.fileName}, started ${run.createdAt}). ` +
          'If this file is the earlier one edited, submit the results sheet of that run instead (its created rows are skipped), or name a new journal to start a separate run.',
      );
    }
    if (o.file.sheet !== undefined && run.sheet !== null && o.file.sheet !== run.sheet)
      problems.push(`it holds a run of sheet "${run.sheet}", not "${o.file.sheet}".`);
    if (
      o.defaultOrganizationId &&
      run.defaultOrganizationId &&
      o.defaultOrganizationId !== run.defaultOrganizationId
    )
      problems.push(
        `it was started with the default organization ${run.defaultOrganizationId}, not ${o.defaultOrganizationId}.`,
      );
    const baseUrl = (o.baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '');
    if (run.baseUrl !== baseUrl) problems.push(`it was started against ${run.baseUrl}, not ${baseUrl}.`);
    if (o.mapping && JSON.stringify(o.mapping.columns) !== JSON.stringify(run.mapping.columns))
      problems.push('it was started with another column mapping.');
    if (problems.length > 0)
      throw new JournalMismatchError(`The journal ${where} cannot be resumed: ${problems.join(' ')}`);
    this.id = run.runId;
    this.ended = state.ended;
    this.rowsJournal = state.rows;
    for (const [row, j] of state.rows) if (j.result) this.results.set(row, j.result);
    return { resumed: run };
  }

  async start(): Promise<RunSummary> {
    if (this.started) throw new Error('A run starts once');
    this.started = true;
    const o = this.options;
    this.update({ phase: 'preparing' });

    const fileHash = hashBytes(o.file.bytes);
    const { resumed } = o.dryRun ? { resumed: null } : this.openJournal(fileHash);
    try {
      return await this.execute(resumed);
    } finally {
      this.writer?.close();
    }
  }

  private async execute(resumed: RunRecord | null): Promise<RunSummary> {
    const o = this.options;
    const input = prepareInput(
      {
        ...o.file,
        ...(resumed?.sheet ? { sheet: resumed.sheet } : {}),
        ...(resumed?.headerRow ? { headerRow: resumed.headerRow } : {}),
      },
      {
        ...(resumed ? { mapping: resumed.mapping } : o.mapping ? { mapping: o.mapping } : {}),
        ...((resumed?.defaultOrganizationId ?? o.defaultOrganizationId)
          ? { defaultOrganizationId: resumed?.defaultOrganizationId ?? o.defaultOrganizationId }
          : {}),
      },
    );
    this.input = input;
    this.preparedByRow = new Map(input.rows.map((r) => [r.row, r]));
    const baseUrl = (o.baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '');
    if (!resumed) {
      this.id = randomUUID();
      this.append({
        type: 'run',
        version: JOURNAL_VERSION,
        runId: this.id,
        createdAt: now(this.clock),
        fileName: input.fileName,
        fileHash: input.fileHash,
        sheet: input.sheet,
        headerRow: input.headerRow,
        mapping: input.mapping,
        defaultOrganizationId: o.defaultOrganizationId ?? null,
        baseUrl,
        rows: input.rows.length,
      });
    } else {
      this.log('info', `Resuming run ${this.id} (started ${resumed.createdAt}).`);
    }
    for (const r of input.rows) {
      this.addIssues(r.row, r.issues);
      // Findings recorded by an earlier session (pre-flight, API refusals) that validation cannot repeat.
      const known = new Set(r.issues.map((i) => `${i.field}\u0000${i.code}`));
      const earlier = this.results.get(r.row)?.issues ?? [];
      this.addIssues(
        r.row,
        earlier.filter((i) => !known.has(`${i.field}\u0000${i.code}`)),
      );
    }
    this.update({ rows: input.rows.length });

    const api = new ApiSession({
      apiKey: o.apiKey,
      baseUrl,
      ...(o.fetch ? { fetch: o.fetch } : {}),
      clock: this.clock,
      random: this.random,
      policy: this.policy,
      control: this.control,
    });
    const onWait = (w: WaitInfo | null) => this.update({ waiting: w });

    // Rows already created by an earlier run (the input is its results sheet) are skipped.
    const fresh: PreparedRow[] = [];
    const skipped: ResultRecord[] = [];
    for (const r of input.rows) {
      const j = this.rowsJournal.get(r.row);
      if (isFinal(j)) continue;
      const prev = r.previous;
      if (!j?.key && prev && prev.projectId && (prev.status === 'created' || prev.status === 'skipped')) {
        skipped.push({
          type: 'result',
          row: r.row,
          status: 'skipped',
          at: now(this.clock),
          attempts: 0,
          projectId: prev.projectId,
          message: 'Created by an earlier run (the input is its results sheet): not sent again.',
        });
        continue;
      }
      fresh.push(r);
    }
    this.record(skipped);

    // Pre-flight for rows that have not been sent yet; rows sent before keep their journaled body.
    this.update({ phase: 'preflight' });
    const toCheck = fresh.filter((r) => r.payload && !this.rowsJournal.get(r.row)?.body);
    const ref = new ReferenceData(api, { onWait });
    const pre = await runPreflight(
      toCheck.map((r) => ({ row: r.row, payload: r.payload as CreateProjectRequest })),
      ref,
    );
    for (const i of pre.issues) this.addIssues(i.row, [i]);
    const fileWarnings = [...input.fileWarnings, ...pre.fileWarnings];
    for (const w of pre.fileWarnings) this.log('warn', w.message);

    if (pre.stop) {
      this.stopRun({
        reason: 'account',
        httpStatus: pre.stop.httpStatus,
        code: pre.stop.code,
        message: stopMessage(pre.stop),
      });
      return this.summary('stopped', fileWarnings, !!resumed);
    }
    if (pre.unreachable) {
      this.stopRun({
        reason: 'unreachable',
        httpStatus: pre.unreachable.httpStatus,
        code: pre.unreachable.code,
        message: unreachableMessage(baseUrl, pre.unreachable),
      });
      return this.summary('stopped', fileWarnings, !!resumed);
    }
    if (pre.cancelled) {
      this.stopRun({ reason: 'cancelled', message: 'Cancelled during the pre-flight; nothing was sent.' });
      return this.summary('cancelled', fileWarnings, !!resumed);
    }

    const queue: Array<{ row: number; payload: CreateProjectRequest }> = [];
    const invalid: ResultRecord[] = [];
    for (const r of fresh) {
      const j = this.rowsJournal.get(r.row);
      const body = j?.body ?? pre.payloads.get(r.row);
      if (body) {
        queue.push({ row: r.row, payload: body });
        continue;
      }
      invalid.push(invalidRecord(r.row, firstErrors(this.issuesByRow.get(r.row) ?? []), this.clock));
    }
    const queued = new Set(queue.map((q) => q.row));
    for (const r of input.rows) {
      const res = this.results.get(r.row);
      if (res?.status === 'created' || res?.status === 'failed' || queued.has(r.row))
        this.sendable.add(r.row);
    }
    // Journaled (except in a dry run) with the issues that made them invalid.
    this.recount();
    this.record(invalid);

    if (o.dryRun) {
      this.update({ phase: 'done', currentRow: null });
      return this.summary('completed', fileWarnings, false, queued);
    }

    this.update({ phase: 'sending' });
    this.sessionStart = this.clock.now();
    let unreachableRows = 0;
    for (const item of queue) {
      const outcome = await this.sendRow(api, item.row, item.payload, onWait);
      if (outcome === 'stop') return this.summary('stopped', fileWarnings, !!resumed);
      if (outcome === 'cancel') return this.summary('cancelled', fileWarnings, !!resumed);
      const res = this.results.get(item.row);
      unreachableRows = res?.status === 'failed' && res.retryable ? unreachableRows + 1 : 0;
      if (unreachableRows >= UNREACHABLE_AFTER_ROWS && queue[queue.length - 1] !== item) {
        this.stopRun({
          reason: 'unreachable',
          message: unreachableMessage(baseUrl, {
            httpStatus: res?.httpStatus ?? 0,
            code: res?.code ?? 'NETWORK_ERROR',
            message: `${unreachableRows} rows in a row failed after every retry`,
          }),
        });
        return this.summary('stopped', fileWarnings, !!resumed);
      }
    }
    const counts = this.counts();
    if (
      !this.ended &&
      input.rows.every((r) => isFinal({ attempts: 0, unanswered: false, result: this.results.get(r.row) }))
    ) {
      this.append({ type: 'end', at: now(this.clock), counts });
    }
    this.update({ phase: 'done', currentRow: null, attempt: null, waiting: null });
    return this.summary('completed', fileWarnings, !!resumed);
  }

  private stopRun(info: StopInfo & { inFlight?: boolean }): void {
    this.stop = info;
    this.append({ type: 'stop', at: now(this.clock), ...info });
    this.log(info.reason === 'cancelled' ? 'info' : 'error', info.message, info.row, true);
    this.update({
      phase: info.reason === 'cancelled' ? 'cancelled' : 'stopped',
      currentRow: null,
      attempt: null,
      waiting: null,
    });
  }

  private async sendRow(
    api: ApiSession,
    row: number,
    payload: CreateProjectRequest,
    onWait: (w: WaitInfo | null) => void,
  ): Promise<'ok' | 'stop' | 'cancel'> {
    const j = this.rowsJournal.get(row) ?? { attempts: 0, unanswered: false };
    this.rowsJournal.set(row, j);
    const body = j.body ?? payload;
    const key = j.key ?? this.options.priorKeys?.get(bodyFingerprint(body)) ?? `${this.id}-r${row}`;
    const before = j.attempts;
    let withBody = !j.body;
    if (j.unanswered) {
      this.log(
        'info',
        `Row ${row}: the last request's answer was never recorded; sending it again with the same Idempotency-Key.`,
        row,
      );
    }
    this.update({ currentRow: row, attempt: before + 1 });

    const outcome = await api.call(
      'write',
      (signal) => api.client.createProject(body, { idempotencyKey: key, signal }),
      {
        beforeAttempt: (n) => {
          const attempt = before + n;
          this.append({
            type: 'send',
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
          this.update({ currentRow: row, attempt });
        },
        onRetry: (n, f, retryInMs) => {
          this.append({
            type: 'answer',
            row,
            attempt: before + n,
            at: now(this.clock),
            httpStatus: f.httpStatus,
            code: f.code,
            message: f.message,
            retryInMs,
          });
          j.unanswered = false;
          this.log(
            'warn',
            `Row ${row}: ${f.httpStatus ? `HTTP ${f.httpStatus} ` : ''}${f.code} (${f.message}); trying again in ${(retryInMs / 1000).toFixed(1)} s.`,
            row,
          );
        },
        onWait,
      },
    );
    const attempts = before + outcome.attempts;
    const at = now(this.clock);
    switch (outcome.kind) {
      case 'ok': {
        const data = (outcome.data?.data ?? {}) as { project_id?: string; id?: string; status?: string };
        this.finish({
          type: 'result',
          row,
          status: 'created',
          at,
          attempts,
          projectId: data.project_id ?? data.id ?? '',
          ...(data.status ? { projectStatus: data.status } : {}),
          httpStatus: outcome.httpStatus,
        });
        return 'ok';
      }
      case 'failed': {
        const f = outcome.failure;
        const issues =
          f.httpStatus >= 400 && f.httpStatus < 500 && f.httpStatus !== 429 ? validationIssues(row, f) : [];
        this.finish({
          type: 'result',
          row,
          status: 'failed',
          at,
          attempts,
          ...(f.httpStatus ? { httpStatus: f.httpStatus } : {}),
          code: f.code,
          message: outcome.retryable
            ? `${f.message} (gave up after ${outcome.attempts} tries; run the same command again to retry this row with the same Idempotency-Key)`
            : failureSummary(f, f.code === 'VALIDATION_ERROR' ? issues : undefined),
          ...(outcome.retryable ? { retryable: true } : {}),
          ...(issues.length ? { issues } : {}),
        });
        return 'ok';
      }
      case 'stopped': {
        j.unanswered = false;
        this.stopRun({
          reason: 'account',
          row,
          httpStatus: outcome.failure.httpStatus,
          code: outcome.failure.code,
          message: stopMessage(outcome.failure, body.organization_id),
        });
        return 'stop';
      }
      case 'cancelled': {
        this.stopRun({
          reason: 'cancelled',
          ...(outcome.inFlight ? { row, inFlight: true } : {}),
          message: outcome.inFlight
            ? `Cancelled while row ${row} was on its way: whether it was created is unknown. Run again to finish; the same Idempotency-Key makes the API answer with the project if it exists.`
            : 'Cancelled. Run again to continue where it stopped.',
        });
        return 'cancel';
      }
    }
  }

  private counts(): RunSummary['counts'] {
    const c = {
      rows: this.input?.rows.length ?? 0,
      created: 0,
      failed: 0,
      invalid: 0,
      skipped: 0,
      notSent: 0,
    };
    for (const r of this.input?.rows ?? []) {
      const s = this.rowResult(r.row).status;
      if (s === 'created') c.created++;
      else if (s === 'failed') c.failed++;
      else if (s === 'invalid') c.invalid++;
      else if (s === 'skipped') c.skipped++;
      else c.notSent++;
    }
    return c;
  }

  private rowResult(row: number, dryRunValid?: Set<number>): RowResult {
    const rec = this.results.get(row);
    const j = this.rowsJournal.get(row);
    if (rec) {
      const submitted = rec.status === 'created' || rec.status === 'failed';
      return {
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
    const prepared = this.preparedByRow.get(row);
    if (prepared && prepared.payload === null && !j?.key) {
      // Not recorded yet (the run stopped before sending began), but validation already refuses it.
      const rec = invalidRecord(row, firstErrors(prepared.issues), this.clock);
      return {
        row,
        status: 'invalid',
        attempts: 0,
        errorCode: rec.code as string,
        errorMessage: rec.message as string,
      };
    }
    const base: RowResult = { row, status: 'not_sent', attempts: j?.attempts ?? 0 };
    if (j?.lastSentAt) base.submittedAt = j.lastSentAt;
    if (this.stop?.row === row && this.stop.code) {
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
          'A request was sent and its answer was not recorded: run the same command again; the same Idempotency-Key makes the API answer with the project if it was created.',
      };
    }
    if (dryRunValid?.has(row)) return { ...base, errorMessage: 'Dry run: passes the pre-flight; not sent.' };
    if (this.stop) return { ...base, errorMessage: 'Not sent: the run stopped before this row.' };
    return base;
  }

  private summary(
    state: RunSummary['state'],
    fileWarnings: FileWarning[],
    resumed: boolean,
    dryRunValid?: Set<number>,
  ): RunSummary {
    const input = this.input as PreparedInput;
    const results = input.rows.map((r) => this.rowResult(r.row, dryRunValid));
    const issues: Issue[] = [];
    for (const r of input.rows) issues.push(...(this.issuesByRow.get(r.row) ?? []));
    const validation = new Set<Issue>();
    for (const r of input.rows) for (const i of r.issues) validation.add(i);
    return {
      state,
      dryRun: !!this.options.dryRun,
      resumed,
      runId: this.id,
      journalPath: this.journalPath,
      stop: this.stop,
      counts: this.counts(),
      results,
      issues,
      accountIssues: issues.filter((i) => !validation.has(i)),
      fileWarnings,
      source: { headers: input.headers, rows: input.rows.map((r) => ({ row: r.row, cells: r.cells })) },
      fileName: input.fileName,
      sheet: input.sheet,
    };
  }
}

/** Consecutive rows that fail after every retry (5xx, network, timeout) before the run stops. */
const UNREACHABLE_AFTER_ROWS = 3;

function unreachableMessage(baseUrl: string, f: ApiFailure): string {
  return (
    `The API at ${baseUrl} cannot be reached or keeps failing (${f.code}${f.httpStatus ? ` ${f.httpStatus}` : ''}: ${f.message}). ` +
    'Check the network connection (and --base-url), then run the same command again: the run resumes where it stopped.'
  );
}

function invalidRecord(row: number, errors: Issue[], clock: Clock): ResultRecord {
  const first = errors[0];
  return {
    type: 'result',
    row,
    status: 'invalid',
    at: now(clock),
    attempts: 0,
    code: first?.code ?? 'invalid',
    message: errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'The row is not valid.',
    issues: errors,
  };
}

export type { ApiFailure };
