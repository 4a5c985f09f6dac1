/**
 * The run journal: an append-only JSON Lines file, one fsync per record, so that after a crash, a
 * kill or a quit the run resumes where it was. It never holds the API key.
 *
 * Every row record names its row by its row key (`rowKey`, the row's identity from reading to
 * results) and, for messages, by the row number Excel shows (`row`). Records, in the order a run
 * writes them:
 *  - `run`    first line: the input's SHA-256, sheet, header row, mapping, default organization,
 *             API base URL, row count, a random run id.
 *  - `input`  the run was continued with an edited version of its input (`--continue-edited`): its
 *             hash, name, row count, and which journal row each of its rows continues. The latest
 *             one is the input the run now belongs to; the rows are read on under their new keys.
 *  - `result` a row's final outcome (created with project id, failed with code and message, invalid,
 *             skipped). Invalid and skipped rows are recorded before sending starts.
 *  - `send`   written and fsynced before each request leaves: the row, its Idempotency-Key, the
 *             attempt number, and (first attempt of a body) the exact body, so a resumed run resends
 *             the same request with the same key. A `send` with a body and another key starts a new
 *             body for the row (an edited row sent after a final refusal).
 *  - `answer` a non-final answer (429, 5xx, network error, timeout) and the wait before the next try.
 *  - `stop`   the run stopped: an account-level refusal, or a cancel (with `inFlight` when a request
 *             was aborted on its way and its outcome is unknown).
 *  - `end`    every row has a final outcome.
 * A row with a `send` and no `result` has an unknown outcome: it is sent again with the same key, and
 * the API answers with the project it already created. Records of journals written before row keys
 * existed (journal version 1: no `rowKey`) are read as the key `row-N` of their row number, as the
 * file adapter derives it.
 *
 * Appends are asynchronous (the process stays responsive during a run) and strictly ordered; each
 * resolves once its record is written and fsynced.
 *
 * Reading is defensive (journal-format.ts): each line is checked against its record's schema, the
 * first must be a `run` header, and a journal damaged anywhere but in a torn last line (a kill during
 * a write) is refused. A torn last line is cut off when the journal is opened for writing. Only a
 * regular file is opened (never a device or a FIFO), in a folder that must exist, read with a size
 * limit, and held by one process at a time (lock.ts).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { CreateProjectRequest } from '@political-comms/sdk';
import type { Mapping } from '../shared/mapping';
import type { Issue } from '../shared/validate/types';
import {
  checkWritableFile,
  FileAccessError,
  FileRefusedError,
  identity,
  openRegularFileSync,
  statIfExists,
  syncFolder,
} from './files';
import { JournalDamagedError, parseJournalBytes, readJournalFd } from './journal-format';
import { acquireLock, JournalBusyError, type HeldLock } from './lock';

export { JOURNAL_VERSION, JOURNAL_MAX_BYTES, JournalDamagedError } from './journal-format';
export { JournalBusyError };

export interface RunRecord {
  type: 'run';
  version: number;
  runId: string;
  createdAt: string;
  fileName: string;
  fileHash: string;
  sheet: string | null;
  headerRow: number | null;
  mapping: Mapping;
  defaultOrganizationId: string | null;
  baseUrl: string;
  rows: number;
}

export interface InputRecord {
  type: 'input';
  at: string;
  fileName: string;
  fileHash: string;
  rows: number;
  /**
   * Every row of the edited input, in order: its row key, the journal row it continues (null: a new
   * row, or an edited row sent afresh), and 1 when its body changed while its outcome is unknown (it
   * is sent again with its key and the new body).
   */
  keys: Array<[string, string | null] | [string, string | null, 1]>;
}

export interface SendRecord {
  type: 'send';
  rowKey: string;
  row: number;
  key: string;
  attempt: number;
  at: string;
  body?: CreateProjectRequest;
}

export interface AnswerRecord {
  type: 'answer';
  rowKey: string;
  row: number;
  attempt: number;
  at: string;
  httpStatus: number;
  code: string;
  message: string;
  retryInMs: number;
}

export type FinalStatus = 'created' | 'failed' | 'invalid' | 'skipped';

export interface ResultRecord {
  type: 'result';
  rowKey: string;
  row: number;
  status: FinalStatus;
  at: string;
  attempts: number;
  projectId?: string;
  projectStatus?: string;
  httpStatus?: number;
  code?: string;
  message?: string;
  /** failed after transient errors only (5xx, network, timeout): the next session tries again with the same key. */
  retryable?: boolean;
  issues?: Issue[];
}

export interface StopRecord {
  type: 'stop';
  at: string;
  reason: 'account' | 'unreachable' | 'cancelled';
  rowKey?: string;
  row?: number;
  httpStatus?: number;
  code?: string;
  message: string;
  inFlight?: boolean;
}

export interface EndRecord {
  type: 'end';
  at: string;
  counts: Record<string, number>;
}

export type JournalRecord =
  RunRecord | InputRecord | SendRecord | AnswerRecord | ResultRecord | StopRecord | EndRecord;

/** Where the journal goes; a file in production, memory in some tests. */
export interface JournalWriter {
  /** Resolves once the record is durable (written and fsynced). Appends keep their order. */
  append(record: JournalRecord): Promise<void>;
  /** Several records in one write and one fsync (rows decided together, before sending starts). */
  appendMany(records: JournalRecord[]): Promise<void>;
  /** After every pending append. */
  close(): Promise<void>;
}

export interface JournalContents {
  records: JournalRecord[];
  /** Lines that could not be read: 1 when the last line was torn by a kill (it is cut off on open). */
  skippedLines: number;
}

/** The records of a journal's text; throws JournalDamagedError unless only the last line is torn. */
export function parseJournal(text: string, where = '(journal)'): JournalContents {
  const parsed = parseJournalBytes(Buffer.from(text, 'utf8'), where);
  return { records: parsed.records, skippedLines: parsed.tornLastLine ? 1 : 0 };
}

/** The subset of node:fs the journal writes through (injectable for fault tests). */
export type JournalFs = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'ftruncateSync' | 'write' | 'fsync' | 'close'
>;

const { O_RDWR, O_RDONLY, O_APPEND, O_CREAT } = nodeFs.constants;

/** A file-system error while opening or writing the journal, said as what it is ("the disk is full"). */
function journalError(file: string, action: 'open' | 'write', e: unknown): unknown {
  if (e instanceof JournalDamagedError || e instanceof JournalBusyError) return e;
  if (e instanceof FileRefusedError || e instanceof FileAccessError) return e;
  if (!(e as NodeJS.ErrnoException | undefined)?.code) return e;
  return new FileAccessError(file, `${action} the journal`, e);
}

export class FileJournal implements JournalWriter {
  private fd: number | null;
  private constructor(
    readonly path: string,
    fd: number,
    private readonly fs: JournalFs,
    private readonly lock: HeldLock,
  ) {
    this.fd = fd;
  }

  /**
   * Locks the journal, reads what is there (cutting off a torn last line) and opens it for appending.
   * Refuses a journal that is not a regular file, whose folder does not exist, that another process
   * holds (JournalBusyError) or that is damaged (JournalDamagedError); other file errors come as
   * FileAccessError with a plain reason.
   */
  static open(file: string, fs: JournalFs = nodeFs): { journal: FileJournal; contents: JournalContents } {
    let lock: HeldLock;
    try {
      checkWritableFile(file, 'the journal');
      // Beside the file itself: two names for one journal (a symbolic link) share one lock.
      lock = acquireLock(`${identity(file).real}.lock`);
    } catch (e) {
      throw journalError(file, 'open', e);
    }
    let fd: number | null = null;
    try {
      const existed = statIfExists(file) !== null;
      fd = openRegularFileSync(file, O_RDWR | O_APPEND | O_CREAT, 'the journal', 0o600, fs).fd;
      const parsed = readJournalFd(fd, file);
      if (parsed.tornLastLine) {
        // Never fsynced, so nothing was sent on its strength: cut it off, keep every whole record.
        fs.ftruncateSync(fd, parsed.validLength);
        fs.fsyncSync(fd);
      }
      const journal = new FileJournal(file, fd, fs, lock);
      if (parsed.missingFinalNewline) journal.writeLine('');
      if (!existed) syncFolder(path.dirname(file));
      return {
        journal,
        contents: { records: parsed.records, skippedLines: parsed.tornLastLine ? 1 : 0 },
      };
    } catch (e) {
      if (fd !== null) {
        try {
          fs.closeSync(fd);
        } catch {
          // closing after a failure
        }
      }
      lock.release();
      throw journalError(file, 'open', e);
    }
  }

  /**
   * Read a journal without opening it for writing (to ask "which run is this?"): null when there is
   * none. Throws FileRefusedError for a device, FIFO or folder, JournalDamagedError for a damaged one.
   */
  static read(file: string): JournalContents | null {
    if (statIfExists(file) === null) return null;
    let opened;
    try {
      opened = openRegularFileSync(file, O_RDONLY, 'the journal');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    try {
      const parsed = readJournalFd(opened.fd, file);
      return { records: parsed.records, skippedLines: parsed.tornLastLine ? 1 : 0 };
    } finally {
      nodeFs.closeSync(opened.fd);
    }
  }

  private writeLine(text: string): void {
    if (this.fd === null) throw new Error('The journal is closed');
    const bytes = Buffer.from(text + '\n', 'utf8');
    try {
      let off = 0;
      while (off < bytes.length) off += this.fs.writeSync(this.fd, bytes, off, bytes.length - off);
      this.fs.fsyncSync(this.fd);
    } catch (e) {
      throw journalError(this.path, 'write', e);
    }
  }

  /** The appends in order: each waits for the one before it. */
  private tail: Promise<void> = Promise.resolve();

  private enqueue(text: string): Promise<void> {
    const done = this.tail.then(() => this.writeLineAsync(text));
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Asynchronous write and fsync of one line (the appends of a run). */
  private async writeLineAsync(text: string): Promise<void> {
    const fd = this.fd;
    if (fd === null) throw new Error('The journal is closed');
    const bytes = Buffer.from(text + '\n', 'utf8');
    try {
      let off = 0;
      while (off < bytes.length) {
        off += await new Promise<number>((resolve, reject) =>
          this.fs.write(fd, bytes, off, bytes.length - off, null, (err, n) =>
            err ? reject(err) : resolve(n),
          ),
        );
      }
      await new Promise<void>((resolve, reject) =>
        this.fs.fsync(fd, (err) => (err ? reject(err) : resolve())),
      );
    } catch (e) {
      throw journalError(this.path, 'write', e);
    }
  }

  append(record: JournalRecord): Promise<void> {
    return this.enqueue(JSON.stringify(record));
  }

  appendMany(records: JournalRecord[]): Promise<void> {
    if (records.length === 0) return this.tail;
    return this.enqueue(records.map((r) => JSON.stringify(r)).join('\n'));
  }

  async close(): Promise<void> {
    await this.tail;
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      await new Promise<void>((resolve, reject) =>
        this.fs.close(fd, (err) => (err ? reject(err) : resolve())),
      );
    } finally {
      this.lock.release();
    }
  }
}

export class MemoryJournal implements JournalWriter {
  readonly records: JournalRecord[] = [];
  async append(record: JournalRecord): Promise<void> {
    this.records.push(structuredClone(record));
  }
  async appendMany(records: JournalRecord[]): Promise<void> {
    for (const r of records) this.records.push(structuredClone(r));
  }
  async close(): Promise<void> {}
}

/** What the journal says about one row. */
export interface RowJournal {
  /** The row number it had when last recorded (for messages). */
  row?: number;
  key?: string;
  body?: CreateProjectRequest;
  attempts: number;
  result?: ResultRecord;
  lastAnswer?: AnswerRecord;
  /** A request was sent and neither an answer nor a result followed (kill, crash, abort). */
  unanswered: boolean;
  lastSentAt?: string;
}

export interface JournalState {
  run: RunRecord | null;
  /** The input the run belongs to now: the header's, or the latest `input` record's. */
  input: { fileName: string; fileHash: string; rows: number } | null;
  /** By row key. */
  rows: Map<string, RowJournal>;
  /** Every Idempotency-Key any request of the run used (a fresh key must not repeat one). */
  usedKeys: Set<string>;
  lastStop: StopRecord | null;
  ended: boolean;
}

export function replayJournal(records: readonly JournalRecord[]): JournalState {
  const state: JournalState = {
    run: null,
    input: null,
    rows: new Map(),
    usedKeys: new Set(),
    lastStop: null,
    ended: false,
  };
  const row = (rec: { rowKey?: unknown; row?: unknown }): RowJournal => {
    const key = rowKeyOf(rec);
    let r = state.rows.get(key);
    if (!r) {
      r = { attempts: 0, unanswered: false };
      state.rows.set(key, r);
    }
    if (typeof rec.row === 'number') r.row = rec.row;
    return r;
  };
  for (const rec of records) {
    switch (rec.type) {
      case 'run':
        if (!state.run) {
          state.run = rec;
          state.input = { fileName: rec.fileName, fileHash: rec.fileHash, rows: rec.rows };
        }
        break;
      case 'input':
        if (!state.run) break;
        state.input = { fileName: rec.fileName, fileHash: rec.fileHash, rows: rec.rows };
        if (Array.isArray(rec.keys)) state.rows = remapRows(state.rows, rec.keys);
        state.ended = false;
        break;
      case 'send': {
        const r = row(rec);
        if (rec.body && r.key !== undefined && rec.key !== r.key) {
          // A new body under a new key (an edited row sent again after a final refusal).
          r.key = rec.key;
          r.body = rec.body;
        }
        r.key ??= rec.key;
        // The latest body sent under the key (an edited row whose outcome was unknown).
        if (rec.body) r.body = rec.body;
        if (typeof rec.key === 'string') state.usedKeys.add(rec.key);
        r.attempts = Math.max(r.attempts + 1, rec.attempt);
        r.unanswered = true;
        r.lastSentAt = rec.at;
        // Sent again after a retryable failure, or (edited) after an invalid or refused outcome.
        if (r.result && r.result.status !== 'created') r.result = undefined;
        break;
      }
      case 'answer': {
        const r = row(rec);
        r.lastAnswer = rec;
        r.unanswered = false;
        break;
      }
      case 'result': {
        const r = row(rec);
        r.result = rec.rowKey ? rec : { ...rec, rowKey: rowKeyOf(rec) };
        r.unanswered = false;
        r.attempts = Math.max(r.attempts, rec.attempts);
        break;
      }
      case 'stop':
        state.lastStop = rec;
        if ((rec.rowKey !== undefined || rec.row !== undefined) && !rec.inFlight && rec.httpStatus)
          row(rec).unanswered = false;
        break;
      case 'end':
        state.ended = true;
        break;
    }
  }
  return state;
}

/**
 * The journal's rows as an edited input continues them (see `InputRecord.keys`): each new row takes
 * the entry of the row it continues; an edited row whose outcome is unknown keeps its key but not
 * its body (the new body is sent with that key); rows not continued are dropped.
 */
export function remapRows(
  rows: ReadonlyMap<string, RowJournal>,
  keys: InputRecord['keys'],
): Map<string, RowJournal> {
  const next = new Map<string, RowJournal>();
  for (const entry of keys) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const [to, from, edited] = entry;
    if (typeof from !== 'string') continue;
    const old = rows.get(from);
    if (!old) continue;
    const copy: RowJournal = { ...old };
    if (edited === 1 && !isFinal(old)) delete copy.body;
    next.set(to, copy);
  }
  return next;
}

/** A record's row key; records written before row keys existed name only the row number. */
export function rowKeyOf(rec: { rowKey?: unknown; row?: unknown }): string {
  return typeof rec.rowKey === 'string' && rec.rowKey !== '' ? rec.rowKey : `row-${String(rec.row)}`;
}

/** True when the row needs no more requests. */
export function isFinal(r: RowJournal | undefined): boolean {
  return !!r?.result && !(r.result.status === 'failed' && r.result.retryable);
}
