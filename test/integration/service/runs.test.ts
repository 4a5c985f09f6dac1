/** The runs manifest on its own: throttled writes, atomic and readable, damage tolerated, removal. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RunIndex, type RunEntry } from '../../../src/engine/service/runs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'bi-runs-'));
  dirs.push(d);
  return d;
}

const entry = (runId: string, done: number): RunEntry => ({
  runId,
  fileName: 'a.csv',
  startedAt: '2026-12-01T10:00:00.000Z',
  baseUrl: 'http://127.0.0.1:1/v1',
  environment: 'sandbox',
  inputHash: 'h',
  submissionHash: 'h',
  counts: { rows: 100, total: 100, done, created: done, failed: 0, invalid: 0, skipped: 0 },
  finished: false,
  endedAt: null,
  updatedAt: '',
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('writes the manifest at most once per throttle window while a run progresses, and at once on flush', async () => {
  const dir = tempDir();
  const index = new RunIndex(dir, { throttleMs: 5000 });
  await index.load();
  const done = () => JSON.parse(readFileSync(index.manifestPath, 'utf8')).runs[0].counts.done as number;
  index.put(entry('r1', 1));
  for (let i = 0; i < 200 && !existsSync(index.manifestPath); i++) await wait(10);
  expect(done()).toBe(1); // the first change is written at once
  for (let i = 2; i <= 50; i++) index.put(entry('r1', i));
  await wait(30);
  expect(done()).toBe(1); // the next ones wait for the window
  await index.flush();
  expect(done()).toBe(50); // a flush (a run's end) writes them at once
  // No temp file is left behind.
  expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);

  const again = new RunIndex(dir);
  await again.load();
  expect(again.get('r1')?.counts.done).toBe(50);
});

it('a damaged manifest starts empty; removing a run deletes its files', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.json'), '{"version":1,"runs":[{"runId":');
  const index = new RunIndex(dir);
  await index.load();
  expect(index.list()).toEqual([]);
  index.put(entry('r2', 1));
  writeFileSync(index.journalPath('r2'), '{}\n');
  await index.saveSubmission('r2', {
    fileName: 'a.csv',
    headers: ['name'],
    rows: [{ rowKey: 'k', row: 2, cells: ['A'], body: null, issues: [] }],
    mapping: { columns: ['name'] },
  });
  expect((await index.readSubmission('r2'))?.rows[0]?.rowKey).toBe('k');
  await index.remove('r2');
  expect(existsSync(index.journalPath('r2'))).toBe(false);
  expect(existsSync(index.submissionPath('r2'))).toBe(false);
  expect(JSON.parse(readFileSync(index.manifestPath, 'utf8')).runs).toEqual([]);
});
