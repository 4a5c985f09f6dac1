/**
 * The UI side of the sheet worker: requests with promises, and the validation stream.
 */
import type { Mapping } from '../../../shared/mapping';
import type { PreparedRow, Submission } from '../../../shared/prepared';
import type { AccountSnapshot } from '../../../shared/account/snapshot';
import type { FindOptions } from '../model/find';
import type { BuildRequest, ColumnChange, FromWorker, SourceOptions, ToWorker } from './protocol';

export type PreviewMessage = Extract<FromWorker, { t: 'preview' }>;
export type SheetMessage = Extract<FromWorker, { t: 'sheet' }>;
export type CheckedMessage = Extract<FromWorker, { t: 'checked' }>;
export type DupsMessage = Extract<FromWorker, { t: 'dups' }>;

export type ColumnsMessage = Extract<FromWorker, { t: 'columns' }>;
export type AccountMessage = Extract<FromWorker, { t: 'account' }>;

export interface StreamHandlers {
  checked(message: CheckedMessage): void;
  passDone(pass: number): void;
  dups(message: DupsMessage): void;
  /** Every cell of the sheet last read (after its `sheet` answer). */
  columns(message: ColumnsMessage): void;
  preview(message: PreviewMessage): void;
  /** What the account check found on rows (after `account`, and on every edit while a snapshot is kept). */
  account(message: AccountMessage): void;
}

interface Waiter {
  resolve(message: FromWorker): void;
  reject(error: Error): void;
}

/**
 * How long one read may take before the worker is stopped, so a file that would take minutes (or
 * exhaust memory) ends in a message instead of a spinner. `localStorage['importer:read-time-limit-ms']`
 * overrides it (used by the end-to-end tests).
 */
export const READ_TIME_LIMIT_MS = 120_000;

function readTimeLimitMs(): number {
  try {
    const v = Number(globalThis.localStorage?.getItem('importer:read-time-limit-ms'));
    return Number.isFinite(v) && v > 0 ? v : READ_TIME_LIMIT_MS;
  } catch {
    return READ_TIME_LIMIT_MS;
  }
}

/**
 * What the client needs of a worker: a real `Worker` in the app (see `start.ts`); in tests, the same
 * core run in the same process behind a structured-clone boundary. Only buffers are ever moved.
 */
export interface WorkerPort {
  postMessage(message: ToWorker, transfer: ArrayBuffer[]): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null;
  terminate(): void;
}

export class SheetWorker {
  private readonly worker: WorkerPort;
  /** Set once the worker was stopped or died: every later request fails with this message. */
  private dead: string | null = null;
  private nextId = 1;
  private pass = 0;
  private readonly waiting = new Map<number, Waiter>();
  handlers: StreamHandlers | null = null;

  constructor(port: WorkerPort) {
    this.worker = port;
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.kill(
        event.message
          ? `The file could not be read: ${event.message}`
          : 'The file could not be read: the reader stopped (the file may be too large). Save it as CSV and try again.',
      );
    };
  }

  /** Stop the worker and fail every request, now and later, with `message`. */
  private kill(message: string): void {
    if (this.dead) return;
    this.dead = message;
    this.worker.terminate();
    const error = new Error(message);
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  private send(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private receive(m: FromWorker): void {
    switch (m.t) {
      case 'checked':
        this.handlers?.checked(m);
        return;
      case 'passDone':
        this.handlers?.passDone(m.pass);
        return;
      case 'dups':
        this.handlers?.dups(m);
        return;
      case 'account':
        this.handlers?.account(m);
        return;
      case 'preview':
        if (m.id === this.lastRead) this.handlers?.preview(m);
        return;
      case 'columns':
        if (m.id === this.lastRead) this.handlers?.columns(m);
        return;
      case 'failed': {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        w?.reject(new Error(m.message));
        return;
      }
      default: {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        w?.resolve(m);
      }
    }
  }

  private request<T extends FromWorker>(
    make: (id: number) => ToWorker,
    transfer: ArrayBuffer[] = [],
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.dead) return reject(new Error(this.dead));
      this.waiting.set(id, { resolve: (m) => resolve(m as T), reject });
      this.send(make(id), transfer);
    });
  }

  /** A read that is given up, and its worker stopped, when it takes longer than the time limit. */
  private timedRead(fileName: string, make: (id: number) => ToWorker, transfer: ArrayBuffer[] = []) {
    const limit = readTimeLimitMs();
    const timer = setTimeout(() => {
      const seconds = limit >= 1000 ? `${Math.round(limit / 1000)} seconds` : `${limit} ms`;
      this.kill(
        `Reading ${fileName} took longer than ${seconds}, so it was stopped to keep the app responsive. ` +
          'Save the sheet as CSV (or split it into smaller files) and open it again.',
      );
    }, limit);
    return this.request<SheetMessage>(make, transfer).finally(() => clearTimeout(timer));
  }

  /** The id of the last open/read: later `columns` and `preview` messages of older reads are dropped. */
  private lastRead = 0;

  /**
   * Read a file: resolves with the headers, row numbers and first rows; every cell then arrives
   * through `handlers.columns`, and the preview through `handlers.preview`.
   */
  open(bytes: Uint8Array, fileName: string, options: SourceOptions): Promise<SheetMessage> {
    const copy = bytes.slice();
    this.fileName = fileName;
    return this.timedRead(
      fileName,
      (id) => {
        this.lastRead = id;
        return { t: 'open', id, bytes: copy, fileName, options };
      },
      [copy.buffer],
    );
  }

  private fileName = 'the file';

  read(options: SourceOptions): Promise<SheetMessage> {
    return this.timedRead(this.fileName, (id) => {
      this.lastRead = id;
      return { t: 'read', id, options };
    });
  }

  /** A run's recorded rows, shown as a sheet (to resume that run). */
  openSubmission(submission: Submission): Promise<SheetMessage> {
    this.fileName = submission.fileName;
    return this.request<SheetMessage>((id) => {
      this.lastRead = id;
      return { t: 'openSubmission', id, submission };
    });
  }

  /** These rows (physical indexes) as prepared rows, as the grid holds them now. */
  async prepare(rows: Int32Array, mapping: Mapping, defaultOrg: string): Promise<PreparedRow[]> {
    const copy = rows.slice();
    const m = await this.request<Extract<FromWorker, { t: 'prepared' }>>(
      (id) => ({ t: 'prepare', id, rows: copy, mapping, defaultOrg }),
      [copy.buffer],
    );
    return m.rows;
  }

  /** Keep (or forget, with null) the account's reference data: rows are checked against it from now on. */
  account(snapshot: AccountSnapshot | null, mapping: Mapping, defaultOrg: string): void {
    this.send({ t: 'account', snapshot, mapping, defaultOrg });
  }

  async find(query: string, options: FindOptions): Promise<Int32Array> {
    const m = await this.request<Extract<FromWorker, { t: 'found' }>>((id) => ({
      t: 'find',
      id,
      query,
      options,
    }));
    return m.keys;
  }

  lastPass(): number {
    return this.pass;
  }

  validate(mapping: Mapping, defaultOrg: string, rows: Int32Array | null): number {
    const pass = ++this.pass;
    this.send({ t: 'validate', pass, mapping, defaultOrg, rows }, rows ? [rows.buffer as ArrayBuffer] : []);
    return pass;
  }

  cells(keys: Int32Array, values: string[]): void {
    this.send({ t: 'cells', keys, values });
  }

  order(order: Int32Array): void {
    this.send({ t: 'order', order });
  }

  column(change: ColumnChange): void {
    this.send({ t: 'column', change });
  }

  async peers(row: number): Promise<{ rows: number[]; total: number }> {
    const m = await this.request<Extract<FromWorker, { t: 'peers' }>>((id) => ({ t: 'peers', id, row }));
    return { rows: m.rows, total: m.total };
  }

  async build(request: BuildRequest): Promise<Uint8Array> {
    const m = await this.request<Extract<FromWorker, { t: 'bytes' }>>((id) => ({ t: 'build', id, request }));
    return m.bytes;
  }

  terminate(): void {
    this.dead ??= 'The file was closed.';
    this.worker.terminate();
  }
}
