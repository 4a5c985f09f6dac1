/** The engine against the real Sandbox (HTTP on 127.0.0.1): sending, journal, resume, control. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import {
  createRun,
  JournalMismatchError,
  type Progress,
  type RowEvent,
  type RunOptions,
} from '../../../src/engine';
import { MemoryJournal, parseJournal } from '../../../src/engine/journal';
import { writeResults } from '../../../src/shared/results';
import { PHONE_NUMBER_IDS, startSandbox, type RunningSandbox } from '../../../src/sandbox';
import {
  csv,
  fromFile,
  invalidRow,
  pacRow,
  tenDlcRow,
  tollFreeRow,
  trackedRow,
  validRows,
  type Cells,
} from '../../unit/engine/helpers';

const FAST = { backoffBaseMs: 10, backoffCapMs: 100 };

let sb: RunningSandbox;
let dir: string;
beforeEach(async () => {
  sb = await startSandbox({ seed: 7 });
  dir = mkdtempSync(join(tmpdir(), 'bi-run-'));
});
afterEach(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(rows: Cells[], extra: Partial<RunOptions> = {}): RunOptions {
  return {
    ...fromFile(csv(rows)),
    apiKey: sb.apiKey,
    baseUrl: sb.baseUrl,
    policy: FAST,
    ...extra,
  };
}

const posts = () => sb.state.log.filter((e) => e.method === 'POST');
const namesCreated = () => sb.state.projects.map((p) => p.detail.name).sort();

describe('sending', () => {
  it('creates every valid row once, in row order, one at a time; invalid rows are never sent', async () => {
    const rows = [
      tenDlcRow('A 10DLC'),
      invalidRow('B invalid'),
      tollFreeRow('C toll-free'),
      trackedRow('D tracked'),
      pacRow('E PAC'),
      tenDlcRow('F typed number', { phone_number_ids: '+1 555 010 0100' }),
    ];
    const progress: Progress[] = [];
    const events: RowEvent[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const run = createRun(options(rows, { journalPath: join(dir, 'j.jsonl'), fetch: countingFetch }));
    run.on('progress', (p) => progress.push(p));
    run.on('row', (e) => events.push(e));
    const summary = await run.start();

    expect(summary.state).toBe('completed');
    expect(summary.results.map((r) => [r.row, r.status])).toEqual([
      [2, 'created'],
      [3, 'invalid'],
      [4, 'created'],
      [5, 'created'],
      [6, 'created'],
      [7, 'created'],
    ]);
    expect(maxInFlight).toBe(1);
    expect(
      posts().map((e) => sb.state.projects.find((p) => p.detail.project_id === e.projectId)?.detail.name),
    ).toEqual(['A 10DLC', 'C toll-free', 'D tracked', 'E PAC', 'F typed number']);
    expect(namesCreated()).not.toContain('B invalid');
    const typed = sb.state.projects.find((p) => p.detail.name === 'F typed number');
    expect(typed?.detail.phone_number_ids).toEqual([PHONE_NUMBER_IDS.riveraGotv[0]]);
    expect(summary.resolved).toContainEqual(
      expect.objectContaining({ row: 7, to: PHONE_NUMBER_IDS.riveraGotv[0] }),
    );

    const created = summary.results.filter((r) => r.status === 'created');
    for (const r of created) {
      expect(r.projectId).toMatch(/^proj_/);
      expect(r.projectStatus).toBe('draft');
      expect(r.httpStatus).toBe(201);
      expect(r.attempts).toBe(1);
      expect(Date.parse(r.submittedAt ?? '')).not.toBeNaN();
    }
    expect(summary.results[1]).toMatchObject({ status: 'invalid', errorCode: 'required', attempts: 0 });

    const last = progress.at(-1) as Progress;
    expect(last).toMatchObject({
      phase: 'done',
      total: 5,
      done: 5,
      created: 5,
      failed: 0,
      invalid: 1,
      etaSeconds: 0,
    });
    expect(progress.some((p) => p.phase === 'sending' && p.currentRow === 4)).toBe(true);
    expect(progress.some((p) => p.phase === 'sending' && p.etaSeconds !== null && p.etaSeconds > 0)).toBe(
      true,
    );
    expect(events.map((e) => e.result.row)).toEqual([3, 2, 4, 5, 6, 7]);
  });

  it("writes each row's key (and body) to the journal before its request leaves, and never the API key", async () => {
    const journal = new MemoryJournal();
    const checked: string[] = [];
    const spyFetch: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') {
        const key = new Headers(init.headers).get('idempotency-key');
        const last = journal.records.at(-1);
        expect(last).toMatchObject({ type: 'send', key });
        const first = journal.records.find((r) => r.type === 'send' && r.key === key);
        expect(first && 'body' in first && JSON.stringify(first.body)).toBe(init.body);
        checked.push(String(key));
      }
      return fetch(input, init);
    };
    const summary = await createRun(
      options(validRows(3), { fetch: spyFetch, journal: { writer: journal, records: [] } }),
    ).start();
    expect(summary.counts.created).toBe(3);
    expect(new Set(checked).size).toBe(3);
    expect(JSON.stringify(journal.records)).not.toContain(sb.apiKey);
  });

  it('with a file journal, each send record is on disk before its request leaves (appends are asynchronous)', async () => {
    const journalPath = join(dir, 'j.jsonl');
    const seen: string[] = [];
    const spyFetch: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') {
        const key = new Headers(init.headers).get('idempotency-key');
        const records = parseJournal(readFileSync(journalPath, 'utf8')).records;
        expect(records.at(-1)).toMatchObject({ type: 'send', key });
        seen.push(String(key));
      }
      return fetch(input, init);
    };
    const summary = await createRun(options(validRows(4), { journalPath, fetch: spyFetch })).start();
    expect(summary.counts.created).toBe(4);
    expect(seen).toHaveLength(4);
    // Each result is recorded before the next row's send.
    const types = parseJournal(readFileSync(journalPath, 'utf8'))
      .records.filter((r) => r.type === 'send' || r.type === 'result')
      .map((r) => r.type);
    expect(types).toEqual(['send', 'result', 'send', 'result', 'send', 'result', 'send', 'result']);
  });

  it('maps a 400 VALIDATION_ERROR onto the fields of its row and goes on with the next row', async () => {
    const refuse: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && String(init.body).includes('"Refused row"')) {
        return new Response(
          JSON.stringify({
            success: false,
            error: 'Validation failed',
            code: 'VALIDATION_ERROR',
            statusCode: 400,
            details: [{ field: 'contact_list_ids', code: 'list_archived', message: 'the list is archived' }],
          }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        );
      }
      return fetch(input, init);
    };
    const events: RowEvent[] = [];
    const run = createRun(options([tenDlcRow('Refused row'), tenDlcRow('Next row')], { fetch: refuse }));
    run.on('row', (e) => events.push(e));
    const summary = await run.start();
    expect(summary.results[0]).toMatchObject({
      status: 'failed',
      errorCode: 'VALIDATION_ERROR',
      httpStatus: 400,
      attempts: 1,
    });
    expect(summary.results[0]?.errorMessage).toContain('contact_list_ids: the list is archived');
    expect(events[0]?.issues).toContainEqual(
      expect.objectContaining({
        row: 2,
        field: 'contact_list_ids',
        code: 'list_archived',
        severity: 'error',
      }),
    );
    expect(summary.results[1]?.status).toBe('created');
  });
});

describe('journal and resume', () => {
  it('after a crash between "sent" and "answer recorded", resends with the same key and gets the same project', async () => {
    const journalPath = join(dir, 'j.jsonl');
    const crashCopy = join(dir, 'crash.jsonl');
    let resolveCrash!: () => void;
    const crashed = new Promise<void>((r) => (resolveCrash = r));
    let n = 0;
    const crashingFetch: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && ++n === 3) {
        await fetch(input, init); // the Sandbox creates the project...
        copyFileSync(journalPath, crashCopy); // ...and the process dies before the answer is recorded
        resolveCrash();
        return new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
      }
      return fetch(input, init);
    };
    const first = createRun(options(validRows(5), { journalPath, fetch: crashingFetch }));
    const firstDone = first.start();
    await crashed;
    first.cancel();
    await firstDone;
    expect(sb.state.projects).toHaveLength(3);

    const resumed = await createRun(options(validRows(5), { journalPath: crashCopy })).start();
    expect(resumed.resumed).toBe(true);
    expect(resumed.counts).toMatchObject({ created: 5, notSent: 0 });
    expect(namesCreated()).toEqual(
      validRows(5)
        .map((r) => r.name)
        .sort(),
    );
    const replays = sb.state.log.filter((e) => e.replayed);
    expect(replays).toHaveLength(1);
    expect(replays[0]?.idempotencyKey).toMatch(/-row-4$/);
    expect(resumed.results[2]).toMatchObject({ status: 'created', attempts: 2 });
    // Rows 2 and 3 were final: not sent again.
    expect(posts()).toHaveLength(6);
  });

  it('a finished run resumed sends nothing; another file for the same journal is refused', async () => {
    const journalPath = join(dir, 'j.jsonl');
    await createRun(options(validRows(3), { journalPath })).start();
    const before = sb.state.log.length;
    const again = await createRun(options(validRows(3), { journalPath })).start();
    expect(again.resumed).toBe(true);
    expect(again.counts.created).toBe(3);
    expect(sb.state.log.length).toBe(before);
    await expect(createRun(options(validRows(4), { journalPath })).start()).rejects.toThrow(
      JournalMismatchError,
    );
    const text = readFileSync(journalPath, 'utf8');
    expect(text).not.toContain(sb.apiKey);
    expect(parseJournal(text).records.filter((r) => r.type === 'end')).toHaveLength(1);
  });

  it('importing the results sheet skips the created rows, so fixing the others and resubmitting works', async () => {
    const rows = [tenDlcRow('One'), invalidRow('Two'), tenDlcRow('Three'), invalidRow('Four')];
    const first = await createRun(options(rows, { journalPath: join(dir, 'a.jsonl') })).start();
    expect(first.counts).toMatchObject({ created: 2, invalid: 2 });
    const sheet = new TextDecoder()
      .decode(writeResults(first.source, first.results, 'csv'))
      .replace(/^\uFEFF/, '');
    const parsed = Papa.parse<string[]>(sheet, { skipEmptyLines: true }).data;
    const header = parsed[0] as string[];
    const msg = header.indexOf('message_text');
    for (const line of parsed.slice(1)) if (line[msg] === '') line[msg] = 'Fixed message';
    const fixed = new TextEncoder().encode(Papa.unparse(parsed));

    const second = await createRun({
      ...fromFile(fixed, 'projects.results.csv'),
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
      policy: FAST,
      journalPath: join(dir, 'b.jsonl'),
    }).start();
    expect(second.results.map((r) => r.status)).toEqual(['skipped', 'created', 'skipped', 'created']);
    expect(second.results[0]?.projectId).toBe(first.results[0]?.projectId);
    expect(namesCreated()).toEqual(['Four', 'One', 'Three', 'Two']);
    const again = Papa.parse<string[]>(
      new TextDecoder().decode(writeResults(second.source, second.results, 'csv')).replace(/^\uFEFF/, ''),
      { skipEmptyLines: true },
    ).data;
    expect(again[0]?.filter((h) => h === 'status')).toHaveLength(1);
    expect(again.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r.organization_id));
  });
});

describe('control', () => {
  it('pause holds the next row until resume', async () => {
    sb.state.config.latencyMs = 20;
    const run = createRun(options(validRows(3)));
    let paused = false;
    run.on('row', () => {
      if (!paused) {
        paused = true;
        run.pause();
        setTimeout(() => {
          expect(posts()).toHaveLength(1);
          expect(run.progress().phase).toBe('paused');
          run.resume();
        }, 250);
      }
    });
    const summary = await run.start();
    expect(summary.counts.created).toBe(3);
  });

  it('cancel aborts the request in flight, records the row as unknown, and a resume leaves exactly one project', async () => {
    sb.state.config.latencyMs = 150;
    const journalPath = join(dir, 'j.jsonl');
    const run = createRun(options(validRows(4), { journalPath }));
    run.on('progress', (p) => {
      if (p.currentRow === 3 && p.attempt === 1) setTimeout(() => run.cancel(), 40);
    });
    const summary = await run.start();
    expect(summary.state).toBe('cancelled');
    expect(summary.results.map((r) => r.status)).toEqual(['created', 'not_sent', 'not_sent', 'not_sent']);
    expect(summary.results[1]).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', attempts: 1 });
    await new Promise((r) => setTimeout(r, 200)); // the Sandbox finishes the aborted request on its side
    expect(sb.state.projects).toHaveLength(2);

    sb.state.config.latencyMs = 0;
    const resumed = await createRun(options(validRows(4), { journalPath })).start();
    expect(resumed.counts.created).toBe(4);
    expect(namesCreated()).toEqual(
      validRows(4)
        .map((r) => r.name)
        .sort(),
    );
    expect(sb.state.duplicateNames().size).toBe(0);
  });

  it('cancel that waits for the request in flight records its answer', async () => {
    sb.state.config.latencyMs = 100;
    let n = 0;
    const cancelOnSecond: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && ++n === 2) run.cancel({ waitForInFlight: true });
      return fetch(input, init);
    };
    const run = createRun(options(validRows(3), { fetch: cancelOnSecond }));
    const summary = await run.start();
    expect(summary.state).toBe('cancelled');
    expect(summary.results.map((r) => r.status)).toEqual(['created', 'created', 'not_sent']);
    expect(summary.results[2]?.attempts).toBe(0);
    expect(sb.state.projects).toHaveLength(2);
  });
});

describe('dry run', () => {
  it('runs the pre-flight only: nothing created, nothing journaled', async () => {
    const journalPath = join(dir, 'j.jsonl');
    const summary = await createRun(
      options([tenDlcRow('Fine'), invalidRow('Bad'), tenDlcRow('Wrong brand', { brand_id: 'brand_nope' })], {
        dryRun: true,
        journalPath,
      }),
    ).start();
    expect(posts()).toHaveLength(0);
    expect(existsSync(journalPath)).toBe(false);
    expect(summary.results.map((r) => r.status)).toEqual(['not_sent', 'invalid', 'invalid']);
    expect(summary.results[2]).toMatchObject({ errorCode: 'brand_not_in_organization' });
    expect(summary.issues).toContainEqual(
      expect.objectContaining({
        row: 4,
        field: 'brand_id',
        code: 'brand_not_in_organization',
        severity: 'error',
      }),
    );
  });
});
