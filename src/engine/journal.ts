/**
 * The run journal: an append-only JSON Lines file, one fsync per record, so that after a crash, a
 * kill or a quit the run resumes where it was. It never holds the API key.
 *
 * Records, in the order a run writes them:
 *  - `run`    first line: the input file's SHA-256, sheet, header row, mapping, default organization,
 *             API base URL, row count, a random run id.
 *  - `result` a row's final outcome (created with project id, failed with code and message, invalid,
 *             skipped). Invalid and skipped rows are recorded before sending starts.
 *  - `send`   written and fsynced before each request leaves: the row, its Idempotency-Key, the
 *             attempt number, and (first attempt) the exact body, so a resumed run resends the same
 *             request with the same key.
 *  - `answer` a non-final answer (429, 5xx, network error, timeout) and the wait before the next try.
 *  - `stop`   the run stopped: an account-level refusal, or a cancel (with `inFlight` when a request
 *             was aborted on its way and its outcome is unknown).
 *  - `end`    every row has a final outcome.
 * A row with a `send` and no `result` has an unknown outcome: it is sent again with the same key, and
 * the API answers with the project it already created.
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

export interface SendRecord {
  type: 'send';
  row: number;
  key: string;
  attempt: number;
  at: string;
  body?: CreateProjectRequest;
}

export interface AnswerRecord {
  type: 'answer';
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

export type JournalRecord = RunRecord | SendRecord | AnswerRecord | ResultRecord | StopRecord | EndRecord;

/** Where the journal goes; a file in production, memory in some tests. */
export interface JournalWriter {
  append(record: JournalRecord): void;
  /** Several records in one write and one fsync (rows decided together, before sending starts). */
  appendMany(records: JournalRecord[]): void;
  close(): void;
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
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'ftruncateSync'
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

  append(record: JournalRecord): void {
    this.writeLine(JSON.stringify(record));
  }

  appendMany(records: JournalRecord[]): void {
    if (records.length > 0) this.writeLine(records.map((r) => JSON.stringify(r)).join('\n'));
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      this.fs.closeSync(fd);
    } finally {
      this.lock.release();
    }
  }
}

export class MemoryJournal implements JournalWriter {
  readonly records: JournalRecord[] = [];
  append(record: JournalRecord): void {
    this.records.push(structuredClone(record));
  }
  appendMany(records: JournalRecord[]): void {
    for (const r of records) this.append(r);
  }
  close(): void {}
}

/** What the journal says about one row. */
export interface RowJournal {
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
  rows: Map<number, RowJournal>;
  lastStop: StopRecord | null;
  ended: boolean;
}

export function replayJournal(records: readonly JournalRecord[]): JournalState {
  const state: JournalState = { run: null, rows: new Map(), lastStop: null, ended: false };
  const row = (n: number): RowJournal => {
    let r = state.rows.get(n);
    if (!r) {
      r = { attempts: 0, unanswered: false };
      state.rows.set(n, r);
    }
    return r;
  };
  for (const rec of records) {
    switch (rec.type) {
      case 'run':
        if (!state.run) state.run = rec;
        break;
      case 'send': {
        const r = row(rec.row);
        r.key ??= rec.key;
        if (rec.body && !r.body) r.body = rec.body;
        r.attempts = Math.max(r.attempts + 1, rec.attempt);
        r.unanswered = true;
        r.lastSentAt = rec.at;
        if (r.result?.retryable) r.result = undefined;
        break;
      }
      case 'answer': {
        const r = row(rec.row);
        r.lastAnswer = rec;
        r.unanswered = false;
        break;
      }
      case 'result': {
        const r = row(rec.row);
        r.result = rec;
        r.unanswered = false;
        r.attempts = Math.max(r.attempts, rec.attempts);
        break;
      }
      case 'stop':
        state.lastStop = rec;
        if (rec.row !== undefined && !rec.inFlight && rec.httpStatus) row(rec.row).unanswered = false;
        break;
      case 'end':
        state.ended = true;
        break;
    }
  }
  return state;
}

/** True when the row needs no more requests. */
export function isFinal(r: RowJournal | undefined): boolean {
  return !!r?.result && !(r.result.status === 'failed' && r.result.retryable);
}
