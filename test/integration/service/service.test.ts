/**
 * The service as the app runs it: it takes the Submission from the bridge, stores it with the run
 * (so continuing returns exactly those rows and keys), lists past runs from one small manifest,
 * prunes old finished runs, speaks the app's words, and loads the account as data.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSubmission } from '../../../src/engine/input';
import { checkAgainstAccount } from '../../../src/shared/account/check';
import type { Submission } from '../../../src/shared/prepared';
import { ORG_PAC, ORG_SENATE, PHONE_NUMBER_IDS } from '../../../src/sandbox';
import { csv, tenDlcRow, validRows } from '../../unit/engine/helpers';
import { serviceFixture, type ServiceFixture } from './helpers';

const open: ServiceFixture[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fixture(o: Parameters<typeof serviceFixture>[0] = {}): ServiceFixture {
  const f = serviceFixture(o);
  open.push(f);
  return f;
}

function gridSubmission(n: number, prefix: string): Submission {
  const s = readSubmission({ bytes: csv(validRows(n, prefix)), fileName: `${prefix}.xlsx` }).submission;
  // Keys the grid chose, unrelated to row numbers.
  return {
    ...s,
    rows: s.rows.map((r, i) => ({ ...r, rowKey: `${prefix.replace(/\W/g, '')}-${i * 7 + 3}` })),
  };
}

function manifest(dataDir: string) {
  return JSON.parse(readFileSync(join(dataDir, 'runs', 'index.json'), 'utf8')) as {
    runs: Array<{
      runId: string;
      finished: boolean;
      counts: { created: number; done: number; total: number };
    }>;
  };
}

describe('runs through the service', () => {
  it('stores the submission with the run: continuing returns exactly those rows and keys, and finishes once each', async () => {
    let cancelled = false;
    const f = fixture({
      sandbox: { latencyMs: 30 },
      onEvent: (event, payload) => {
        const p = payload as { runId: string; result?: { status: string } };
        if (event === 'runRow' && p.result?.status === 'created' && !cancelled) {
          cancelled = true;
          void f.service.handlers.cancelRun({ runId: p.runId });
        }
      },
    });
    const submission = gridSubmission(5, 'Service run');
    const { runId } = await f.service.handlers.startRun(submission);
    const first = await f.finished(runId);
    expect(first.state).toBe('cancelled');
    expect(first.results.map((r) => r.rowKey)).toEqual(submission.rows.map((r) => r.rowKey));
    const progress = f.events
      .filter((e) => e.event === 'runProgress')
      .map((e) => e.payload as { currentRowKey: string | null });
    expect(progress.some((p) => p.currentRowKey === submission.rows[0]!.rowKey)).toBe(true);

    const unfinished = await f.service.handlers.listUnfinishedRuns(undefined);
    expect(unfinished).toEqual([
      expect.objectContaining({
        runId,
        fileName: 'Service run.xlsx',
        total: 5,
        created: first.counts.created,
      }),
    ]);
    const again = await f.service.handlers.continueRun({ runId });
    expect(again).toEqual({ runId, submission });

    const mark = f.events.length;
    const { runId: same } = await f.service.handlers.startRun(again.submission);
    expect(same).toBe(runId);
    const second = await f.finished(runId, mark);
    expect(second.state).toBe('completed');
    expect(second.resumed).toBe(true);
    expect(first.finished).toBe(false);
    expect(second.finished).toBe(true);
    const names = f
      .sandbox()!
      .state.projects.map((p) => p.detail.name)
      .sort();
    expect(names).toEqual(
      validRows(5, 'Service run')
        .map((r) => r.name)
        .sort(),
    );
    expect(await f.service.handlers.listUnfinishedRuns(undefined)).toEqual([]);
    expect(manifest(f.dataDir).runs).toEqual([
      expect.objectContaining({
        runId,
        finished: true,
        counts: expect.objectContaining({ created: 5, done: 5 }),
      }),
    ]);
  });

  it('a stopped run whose rows were fixed and sent again is no longer offered for resuming', async () => {
    let cancelled = false;
    const f = fixture({
      sandbox: { latencyMs: 30 },
      onEvent: (event, payload) => {
        const p = payload as { runId: string; result?: { status: string } };
        if (event === 'runRow' && p.result?.status === 'created' && !cancelled) {
          cancelled = true;
          void f.service.handlers.cancelRun({ runId: p.runId });
        }
      },
    });
    const submission = gridSubmission(3, 'Fixed later');
    const { runId } = await f.service.handlers.startRun(submission);
    const first = await f.finished(runId);
    expect(first.state).toBe('cancelled');
    expect((await f.service.handlers.listUnfinishedRuns(undefined)).map((r) => r.runId)).toEqual([runId]);

    // The grid sends again: the created row as created before, another row edited.
    const created = first.results.filter((r) => r.status === 'created');
    const edited: Submission = {
      ...submission,
      rows: submission.rows.map((r, i) => {
        const done = created.find((c) => c.rowKey === r.rowKey);
        if (done) return { ...r, createdBefore: { projectId: done.projectId! } };
        return i === 2 ? { ...r, body: { ...r.body!, message_text: 'Edited' } } : r;
      }),
    };
    const mark = f.events.length;
    const { runId: second } = await f.service.handlers.startRun(edited);
    expect(second).not.toBe(runId);
    await f.finished(second, mark);
    expect(await f.service.handlers.listUnfinishedRuns(undefined)).toEqual([]);
    const names = f
      .sandbox()!
      .state.projects.map((p) => p.detail.name)
      .sort();
    expect(names).toEqual(
      validRows(3, 'Fixed later')
        .map((r) => r.name)
        .sort(),
    );
  });

  it("speaks the app's words when a run stops: Settings and Resume, never commands or variables", async () => {
    const f = fixture({ sandbox: { sendingPaused: 'organization' } });
    const { runId } = await f.service.handlers.startRun(gridSubmission(2, 'Paused'));
    const summary = await f.finished(runId);
    expect(summary.state).toBe('stopped');
    expect(summary.stop?.message).toMatch(/choose Create again/);
    const texts = [summary.stop?.message ?? '', ...summary.results.map((r) => r.errorMessage ?? '')];
    for (const t of texts) expect(t).not.toMatch(/POLITICAL_COMMS_API_KEY|command|--base-url/);
  });

  it('loadAccount returns the snapshot as data; the pure check names things from it', async () => {
    const f = fixture();
    const { snapshot, stop } = await f.service.handlers.loadAccount({
      organizationIds: [ORG_SENATE, ORG_PAC],
    });
    expect(stop).toBeNull();
    expect(snapshot?.source).toBe('Sandbox');
    expect(snapshot?.organizations?.map((o) => o.id).sort()).toEqual([ORG_SENATE, ORG_PAC].sort());
    const body = readSubmission({
      bytes: csv([tenDlcRow('Wrong numbers', { phone_number_ids: PHONE_NUMBER_IDS.riveraFundraising[0] })]),
      fileName: 'a.csv',
    }).submission.rows[0]!.body as never;
    const check = checkAgainstAccount([{ rowKey: 'a', row: 2, body }], snapshot!);
    expect(check.issues[0]?.message).toMatch(
      /belongs to campaign Rivera Fundraising \(camp_[^)]+\), not Rivera GOTV 2026/,
    );
  });
});

describe('the runs manifest', () => {
  it('lists past runs from the manifest alone, not from their journals', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bi-service-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'runs'));
    const entry = {
      runId: 'r-unfinished',
      fileName: 'left.csv',
      startedAt: '2026-11-30T10:00:00.000Z',
      baseUrl: 'http://127.0.0.1:1/v1',
      environment: 'sandbox',
      inputHash: 'h',
      submissionHash: 'h',
      counts: { rows: 9, total: 8, done: 3, created: 2, failed: 1, invalid: 1, skipped: 0 },
      finished: false,
      endedAt: null,
      updatedAt: '2026-11-30T10:01:00.000Z',
    };
    writeFileSync(join(dataDir, 'runs', 'index.json'), JSON.stringify({ version: 1, runs: [entry] }));
    // A journal that is not even there: the list does not read journals.
    const f = fixture({ dataDir });
    expect(await f.service.handlers.listUnfinishedRuns(undefined)).toEqual([
      {
        runId: 'r-unfinished',
        fileName: 'left.csv',
        startedAt: entry.startedAt,
        total: 8,
        done: 3,
        created: 2,
        failed: 1,
      },
    ]);
  });

  it('prunes finished runs beyond the newest 50 and older than 90 days, never an unfinished one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bi-service-'));
    dirs.push(dataDir);
    const runs = join(dataDir, 'runs');
    mkdirSync(runs);
    const day = 86_400_000;
    const now = Date.now();
    const entry = (runId: string, startedAt: number, finished: boolean) => ({
      runId,
      fileName: `${runId}.csv`,
      startedAt: new Date(startedAt).toISOString(),
      baseUrl: 'http://127.0.0.1:1/v1',
      environment: 'sandbox',
      inputHash: runId,
      submissionHash: runId,
      counts: { rows: 1, total: 1, done: 1, created: 1, failed: 0, invalid: 0, skipped: 0 },
      finished,
      endedAt: new Date(startedAt).toISOString(),
      updatedAt: new Date(startedAt).toISOString(),
    });
    const list = [
      ...Array.from({ length: 60 }, (_, i) =>
        entry(`fin-${String(i).padStart(2, '0')}`, now - i * 60_000, true),
      ),
      entry('old-finished', now - 100 * day, true),
      entry('old-unfinished', now - 200 * day, false),
    ];
    for (const e of list) {
      writeFileSync(join(runs, `${e.runId}.jsonl`), '{}\n');
      writeFileSync(join(runs, `${e.runId}.submission.json`), '{}');
    }
    writeFileSync(join(runs, 'index.json'), JSON.stringify({ version: 1, runs: list }));
    const f = fixture({ dataDir });
    expect((await f.service.handlers.listUnfinishedRuns(undefined)).map((r) => r.runId)).toEqual([
      'old-unfinished',
    ]);
    const kept = manifest(dataDir).runs.map((r) => r.runId);
    expect(kept).toHaveLength(51);
    expect(kept).toContain('old-unfinished');
    expect(kept).toContain('fin-49');
    expect(kept).not.toContain('fin-50');
    expect(kept).not.toContain('old-finished');
    expect(existsSync(join(runs, 'fin-59.jsonl'))).toBe(false);
    expect(existsSync(join(runs, 'old-finished.submission.json'))).toBe(false);
    expect(existsSync(join(runs, 'old-unfinished.jsonl'))).toBe(true);
    expect(existsSync(join(runs, 'fin-00.jsonl'))).toBe(true);
  });

  it('moves an unfinished run of an earlier version into the manifest: listed, and continued with its rows', async () => {
    // First a run, through an old-style layout: stop it after two rows.
    const dataDir = mkdtempSync(join(tmpdir(), 'bi-service-'));
    dirs.push(dataDir);
    const runs = join(dataDir, 'runs');
    mkdirSync(runs);
    const f = fixture({ dataDir });
    const bytes = csv(validRows(4, 'Legacy'));
    // The Sandbox of this service, and a journal as the earlier version wrote it (rows by number).
    await f.service.handlers.loadAccount({ organizationIds: [] });
    const sb = f.sandbox()!;
    const { submission, inputHash } = readSubmission({ bytes, fileName: 'legacy.csv' });
    const { createRun } = await import('../../../src/engine');
    const first = createRun({
      submission,
      inputHash,
      audience: 'app',
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
      journalPath: join(runs, 'old-run.jsonl'),
    });
    let n = 0;
    first.on('row', () => {
      if (++n === 2) first.cancel({ waitForInFlight: true });
    });
    await first.start();
    const text = readFileSync(join(runs, 'old-run.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const { rowKey: _k, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify(rest.type === 'run' ? { ...rest, version: 1 } : rest);
      })
      .join('\n');
    writeFileSync(join(runs, 'old-run.jsonl'), text + '\n');
    writeFileSync(join(runs, 'old-run.input'), bytes);
    writeFileSync(
      join(runs, 'old-run.json'),
      JSON.stringify({
        runId: 'old-run',
        fileName: 'legacy.csv',
        fileHash: inputHash,
        startedAt: '2026-11-01T00:00:00.000Z',
        environment: 'sandbox',
        baseUrl: sb.baseUrl,
        mapping: submission.mapping,
      }),
    );
    await f.close();
    open.splice(open.indexOf(f), 1);

    // The new version over the same data folder.
    const g = fixture({ dataDir });
    const listed = await g.service.handlers.listUnfinishedRuns(undefined);
    expect(listed).toEqual([
      expect.objectContaining({ runId: 'old-run', fileName: 'legacy.csv', created: 2 }),
    ]);
    const { submission: again } = await g.service.handlers.continueRun({ runId: 'old-run' });
    // The keys the old journal's records are read under.
    expect(again.rows.map((r) => r.rowKey)).toEqual(['row-2', 'row-3', 'row-4', 'row-5']);
    expect(existsSync(join(runs, 'old-run.input'))).toBe(false);
  });
});
