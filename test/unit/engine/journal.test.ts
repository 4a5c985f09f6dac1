import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileJournal,
  JournalBusyError,
  isFinal,
  parseJournal,
  replayJournal,
  type JournalFs,
  type JournalRecord,
} from '../../../src/engine/journal';
import { inspectJournal } from '../../../src/engine/inspect';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bi-journal-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const header: JournalRecord = {
  type: 'run',
  version: 1,
  runId: 'run-1',
  createdAt: '2026-01-05T12:00:00.000Z',
  fileName: 'a.csv',
  fileHash: 'abc',
  sheet: null,
  headerRow: 1,
  mapping: { columns: ['name'] },
  defaultOrganizationId: null,
  baseUrl: 'http://127.0.0.1/v1',
  rows: 3,
};
const send = (row: number, attempt: number): JournalRecord => ({
  type: 'send',
  rowKey: `row-${row}`,
  row,
  key: `run-1-r${row}`,
  attempt,
  at: '2026-01-05T12:00:01.000Z',
  ...(attempt === 1
    ? { body: { organization_id: 'o', name: `n${row}`, protocol: 'sms', message_text: 'm' } }
    : {}),
});

describe('journal file', () => {
  it('appends one JSON line per record with one fsync each, asynchronously and in order', async () => {
    const file = join(tempDir(), 'run.jsonl');
    let fsyncs = 0;
    let syncCalls = 0;
    const spy: JournalFs = {
      ...fs,
      fsync: ((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
        fsyncs++;
        fs.fsync(fd, cb);
      }) as typeof fs.fsync,
      writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
        syncCalls++;
        return fs.writeSync(...args);
      }) as typeof fs.writeSync,
    };
    const { journal, contents } = FileJournal.open(file, spy);
    expect(contents.records).toEqual([]);
    const before = syncCalls;
    // Not awaited one by one: the appends queue, and each resolves once its record is durable.
    const appends = [
      journal.append(header),
      journal.append(send(2, 1)),
      journal.append({
        type: 'result',
        rowKey: 'row-2',
        row: 2,
        status: 'created',
        at: 'x',
        attempts: 1,
        projectId: 'p',
      }),
    ];
    expect(fsyncs).toBe(0);
    await Promise.all(appends);
    expect(fsyncs).toBe(3);
    // Rows decided before sending starts (invalid, skipped) go in one write and one fsync.
    await journal.appendMany([
      {
        type: 'result',
        rowKey: 'row-3',
        row: 3,
        status: 'invalid',
        at: 'x',
        attempts: 0,
        code: 'required',
        message: 'm',
      },
      {
        type: 'result',
        rowKey: 'row-4',
        row: 4,
        status: 'invalid',
        at: 'x',
        attempts: 0,
        code: 'required',
        message: 'm',
      },
    ]);
    expect(fsyncs).toBe(4);
    // No synchronous write on the way.
    expect(syncCalls - before).toBe(0);
    await journal.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('');
    expect(lines.slice(0, 5).map((l) => JSON.parse(l).type)).toEqual([
      'run',
      'send',
      'result',
      'result',
      'result',
    ]);
  });

  it('tolerates a torn last line, cuts it off, and starts the next record on a fresh line', async () => {
    const file = join(tempDir(), 'run.jsonl');
    writeFileSync(file, JSON.stringify(header) + '\n' + JSON.stringify(send(2, 1)) + '\n');
    appendFileSync(file, JSON.stringify(send(3, 1)).slice(0, 25)); // killed mid-write
    const { journal, contents } = FileJournal.open(file);
    expect(contents.records.map((r) => r.type)).toEqual(['run', 'send']);
    expect(contents.skippedLines).toBe(1);
    await journal.append({
      type: 'result',
      rowKey: 'row-2',
      row: 2,
      status: 'created',
      at: 'x',
      attempts: 1,
      projectId: 'p',
    });
    await journal.close();
    const again = parseJournal(readFileSync(file, 'utf8'));
    expect(again.records.map((r) => r.type)).toEqual(['run', 'send', 'result']);
    // The torn bytes are gone, so they can never be mistaken for damage in the middle later.
    expect(again.skippedLines).toBe(0);
  });

  it('refuses a journal another live process holds, and takes over a lock a killed process left', async () => {
    const file = join(tempDir(), 'run.jsonl');
    writeFileSync(`${file}.lock`, String(process.ppid));
    expect(() => FileJournal.open(file)).toThrow(JournalBusyError);
    writeFileSync(`${file}.lock`, '999999999');
    const { journal } = FileJournal.open(file);
    // Taken over by an entry in the slot after the stale one, never by deleting it.
    const successor = fs.readdirSync(dirname(file)).filter((n) => n.startsWith('run.jsonl.lock.'));
    expect(successor).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dirname(file), successor[0]!), 'utf8')).pid).toBe(process.pid);
    await journal.close();
    expect(fs.readdirSync(dirname(file)).filter((n) => n.includes('.lock'))).toEqual([]);
  });
});

describe('replay', () => {
  it('knows each row: key and body from the first send, unanswered sends, final and retryable results', () => {
    const state = replayJournal([
      header,
      send(2, 1),
      { type: 'result', rowKey: 'row-2', row: 2, status: 'created', at: 'x', attempts: 1, projectId: 'p2' },
      send(3, 1),
      {
        type: 'answer',
        rowKey: 'row-3',
        row: 3,
        attempt: 1,
        at: 'x',
        httpStatus: 503,
        code: 'E',
        message: 'm',
        retryInMs: 10,
      },
      send(3, 2),
      send(4, 1),
      {
        type: 'result',
        rowKey: 'row-4',
        row: 4,
        status: 'failed',
        at: 'x',
        attempts: 1,
        code: 'HTTP_500',
        message: 'm',
        retryable: true,
      },
    ]);
    expect(state.run?.runId).toBe('run-1');
    const r2 = state.rows.get('row-2');
    expect(isFinal(r2)).toBe(true);
    const r3 = state.rows.get('row-3');
    expect(r3).toMatchObject({ key: 'run-1-r3', attempts: 2, unanswered: true });
    expect(r3?.body?.name).toBe('n3');
    expect(isFinal(r3)).toBe(false);
    expect(isFinal(state.rows.get('row-4'))).toBe(false);
  });

  it('reads journals written before row keys: their rows become row-N', () => {
    const { rowKey: _k, ...oldSend } = send(3, 1) as JournalRecord & { rowKey: string };
    const state = replayJournal([
      { ...header, version: 1 },
      oldSend as JournalRecord,
      {
        type: 'result',
        row: 3,
        status: 'created',
        at: 'x',
        attempts: 1,
        projectId: 'p3',
      } as unknown as JournalRecord,
    ]);
    expect([...state.rows.keys()]).toEqual(['row-3']);
    expect(state.rows.get('row-3')).toMatchObject({
      key: 'run-1-r3',
      result: { rowKey: 'row-3', projectId: 'p3' },
    });
  });

  it('an edited input continues the rows it names, under their new keys', () => {
    const state = replayJournal([
      header,
      send(2, 1),
      { type: 'result', rowKey: 'row-2', row: 2, status: 'created', at: 'x', attempts: 1, projectId: 'p2' },
      send(3, 1),
      send(4, 1),
      {
        type: 'input',
        at: 'y',
        fileName: 'a.csv',
        fileHash: 'def',
        rows: 4,
        // row 2 moved to row 3; row 3 (unknown) was edited; row 4 is gone; row 5 is new.
        keys: [
          ['row-3', 'row-2'],
          ['row-4', 'row-3', 1],
          ['row-5', null],
        ],
      },
    ]);
    expect(state.input?.fileHash).toBe('def');
    expect([...state.rows.keys()]).toEqual(['row-3', 'row-4']);
    expect(state.rows.get('row-3')).toMatchObject({ result: { status: 'created', projectId: 'p2' } });
    // Sent again with its key, and with the new body (the old one is not kept).
    expect(state.rows.get('row-4')).toMatchObject({ key: 'run-1-r3', unanswered: true });
    expect(state.rows.get('row-4')?.body).toBeUndefined();
    expect([...state.usedKeys].sort()).toEqual(['run-1-r2', 'run-1-r3', 'run-1-r4']);
  });

  it('inspectJournal summarizes a journal on disk', () => {
    const file = join(tempDir(), 'run.jsonl');
    writeFileSync(
      file,
      [
        header,
        send(2, 1),
        { type: 'result', rowKey: 'row-2', row: 2, status: 'created', at: 'x', attempts: 1, projectId: 'p2' },
        send(3, 1),
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    expect(inspectJournal(file)).toMatchObject({
      finished: 1,
      created: 1,
      unknown: 1,
      ended: false,
      run: { runId: 'run-1' },
    });
    expect(inspectJournal(join(tempDir(), 'none.jsonl'))).toBeNull();
  });
});
