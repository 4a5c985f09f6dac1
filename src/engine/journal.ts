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
 * the API answers with the project it already created. A torn last line (kill during a write) is
 * ignored on read and the next record starts on a fresh line.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { CreateProjectRequest } from '@political-comms/sdk';
import type { Mapping } from '../shared/mapping';
import type { Issue } from '../shared/validate/types';

export const JOURNAL_VERSION = 1;

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
  /** Lines that could not be read (a torn last line after a kill). */
  skippedLines: number;
}

export function parseJournal(text: string): JournalContents {
  const records: JournalRecord[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const rec = JSON.parse(line) as JournalRecord;
      if (rec && typeof rec === 'object' && typeof rec.type === 'string') records.push(rec);
      else skippedLines++;
    } catch {
      skippedLines++;
    }
  }
  return { records, skippedLines };
}

/** The subset of node:fs the journal uses (injectable for fault tests). */
export type JournalFs = Pick<
  typeof nodeFs,
  | 'openSync'
  | 'writeSync'
  | 'fsyncSync'
  | 'closeSync'
  | 'readFileSync'
  | 'existsSync'
  | 'unlinkSync'
  | 'mkdirSync'
>;

export class JournalBusyError extends Error {
  override name = 'JournalBusyError';
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class FileJournal implements JournalWriter {
  private fd: number | null;
  private constructor(
    readonly path: string,
    fd: number,
    private readonly fs: JournalFs,
    private readonly lockPath: string,
  ) {
    this.fd = fd;
  }

  /** Reads what is there (tolerating a torn last line) and opens the file for appending. */
  static open(file: string, fs: JournalFs = nodeFs): { journal: FileJournal; contents: JournalContents } {
    const lockPath = `${file}.lock`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    FileJournal.lock(lockPath, fs);
    try {
      const existed = fs.existsSync(file);
      const text = existed ? String(fs.readFileSync(file, 'utf8')) : '';
      const contents = parseJournal(text);
      const fd = fs.openSync(file, 'a', 0o600);
      const journal = new FileJournal(file, fd, fs, lockPath);
      if (text.length > 0 && !text.endsWith('\n')) journal.writeLine('');
      if (!existed) journal.syncDirectory();
      return { journal, contents };
    } catch (e) {
      FileJournal.unlock(lockPath, fs);
      throw e;
    }
  }

  /** Read a journal without opening it for writing (to ask "which run is this?"). */
  static read(file: string, fs: JournalFs = nodeFs): JournalContents | null {
    if (!fs.existsSync(file)) return null;
    return parseJournal(String(fs.readFileSync(file, 'utf8')));
  }

  private static lock(lockPath: string, fs: JournalFs): void {
    for (let i = 0; i < 2; i++) {
      try {
        const fd = fs.openSync(lockPath, 'wx', 0o600);
        fs.writeSync(fd, String(process.pid));
        fs.closeSync(fd);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(String(fs.readFileSync(lockPath, 'utf8')).trim());
        if (pid !== process.pid && pidAlive(pid)) {
          throw new JournalBusyError(
            `Another process (pid ${pid}) is running this journal. Wait for it to finish, or delete ${lockPath} if it is not running.`,
          );
        }
        // Left behind by a process that was killed: take it over.
        fs.unlinkSync(lockPath);
      }
    }
    throw new JournalBusyError(`Could not lock ${lockPath}.`);
  }

  private static unlock(lockPath: string, fs: JournalFs): void {
    try {
      fs.unlinkSync(lockPath);
    } catch {
      // already gone
    }
  }

  private writeLine(text: string): void {
    if (this.fd === null) throw new Error('The journal is closed');
    const bytes = Buffer.from(text + '\n', 'utf8');
    let off = 0;
    while (off < bytes.length) off += this.fs.writeSync(this.fd, bytes, off, bytes.length - off);
    this.fs.fsyncSync(this.fd);
  }

  private syncDirectory(): void {
    try {
      const dirFd = this.fs.openSync(path.dirname(this.path), 'r');
      try {
        this.fs.fsyncSync(dirFd);
      } finally {
        this.fs.closeSync(dirFd);
      }
    } catch {
      // Not supported everywhere (e.g. Windows); the file's own fsync still holds its records.
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
    this.fs.closeSync(this.fd);
    this.fd = null;
    FileJournal.unlock(this.lockPath, this.fs);
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
