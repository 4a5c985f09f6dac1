/**
 * `npm run bench [-- --only NAME[,NAME…]] [--runs N] [--build]`
 *
 * Speed and scale, each figure beside a baseline measured in the same run (these machines are
 * noisy): the median of several runs of each, interleaved, and their ratio. Inputs are generated
 * deterministically into bench/.data/. Progress goes to stderr; stdout gets one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import { validateFile } from '../src/cli/validate';
import { readRowsFromFile } from '../src/cli/read';
import { readSheet } from '../src/shared/sheet';
import { validateSheet } from '../src/shared/validate';
import { autoMap } from '../src/shared/mapping';
import { createRun, readSubmission } from '../src/engine';
import { startSandbox } from '../src/sandbox';
import { loadAccount } from '../src/engine/account';
import { createWorkerCore } from '../src/renderer/src/worker/core';
import type { FromWorker } from '../src/renderer/src/worker/protocol';
import { SheetModel } from '../src/renderer/src/model/sheet';
import { serviceResponsiveness } from './service';
import {
  compactCsvFile,
  csvFile,
  DATA_DIR,
  exampleCsvFile,
  namesCsvFile,
  validCsvText,
  xlsxFile,
} from './data';
import { log, median, quantile, round, settle, timed } from './stats';

interface Result {
  measure: string;
  runs: number;
  value: number;
  unit: string;
  baseline?: { what: string; value: number; unit: string };
  ratio?: number;
  target: string;
  pass: boolean;
  details?: Record<string, unknown>;
  note?: string;
}

type Measure = (runs: number) => Promise<Result | Result[]>;

const ROOT = new URL('../', import.meta.url).pathname;

// ---- validation -------------------------------------------------------------------------------

/** The bare parser, as an app that only parsed would use it: the file's text, parsed whole. */
function papaBaseline(path: string): number {
  const text = readFileSync(path, 'utf8');
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  return rows.length;
}

const csvValidate: Measure = async (runs) => {
  const path = await csvFile(100_000);
  // Warm both paths once (JIT, file cache), then alternate so both see the same machine.
  papaBaseline(path);
  await validateFile(path);
  const base: number[] = [];
  const subject: number[] = [];
  const inMemory: number[] = [];
  const readOnly: number[] = [];
  let summary = '';
  for (let i = 0; i < runs; i++) {
    settle();
    base.push(await timed(() => papaBaseline(path)));
    settle();
    subject.push(
      await timed(async () => {
        const r = await validateFile(path);
        summary = `${r.rowNumbers.length} rows, ${r.valid} valid, ${r.invalid} invalid`;
      }),
    );
    settle();
    readOnly.push(
      await timed(() => readRowsFromFile(path, { onHeader: () => undefined, onRow: () => undefined })),
    );
    settle();
    inMemory.push(
      await timed(() => {
        const sheet = readSheet(new Uint8Array(readFileSync(path)), { fileName: 'p.csv' });
        validateSheet(sheet);
      }),
    );
  }
  const b = median(base);
  const s = median(subject);
  return {
    measure: 'csv-validate-100k',
    runs,
    value: round(s, 0),
    unit: 'ms',
    baseline: { what: 'readFileSync + Papa.parse of the same file', value: round(b, 0), unit: 'ms' },
    ratio: round(s / b),
    target: '≤ 2.5× baseline',
    pass: s / b <= 2.5,
    details: {
      file: summary,
      subject: 'validateFile (the CLI path: streamed read, map, validate, duplicate names)',
      allRunsMs: subject.map((v) => round(v, 0)),
      baselineRunsMs: base.map((v) => round(v, 0)),
      readOnlyMs: round(median(readOnly), 0),
      readOnlyRatio: round(median(readOnly) / b),
      inMemoryReadSheetValidateSheetMs: round(median(inMemory), 0),
      inMemoryRatio: round(median(inMemory) / b),
    },
  };
};

/** Peak RSS of the real command line, as a child process, measured by GNU time. */
function cliPeak(path: string, json: boolean): { ms: number; rssMiB: number; exit: number | null } {
  const args = ['-f', '%M', process.execPath, join(ROOT, 'bin/broadcast-importer.mjs'), 'validate', path];
  if (json) args.push('--json');
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  const lines = r.stderr.trim().split('\n');
  const kb = Number(lines.at(-1));
  if (!Number.isFinite(kb)) throw new Error(`no peak memory from /usr/bin/time: ${r.stderr.slice(-500)}`);
  return { ms, rssMiB: kb / 1024, exit: r.status };
}

const csvMillion: Measure = async () => {
  const path = await csvFile(1_000_000);
  const n = 1; // slow: one run of each output
  const human: ReturnType<typeof cliPeak>[] = [];
  const json: ReturnType<typeof cliPeak>[] = [];
  for (let i = 0; i < n; i++) {
    human.push(cliPeak(path, false));
    json.push(cliPeak(path, true));
  }
  const worst = Math.max(median(human.map((h) => h.rssMiB)), median(json.map((h) => h.rssMiB)));
  return {
    measure: 'csv-validate-1m-cli-rss',
    runs: n,
    value: round(worst, 0),
    unit: 'MiB peak RSS',
    target: '≤ 1024 MiB',
    pass: worst <= 1024,
    details: {
      file: `${round(Number(spawnSync('stat', ['-c', '%s', path], { encoding: 'utf8' }).stdout) / 2 ** 20, 0)} MiB, 1,000,000 rows`,
      humanOutput: {
        peakMiB: round(median(human.map((h) => h.rssMiB)), 0),
        wallMs: round(median(human.map((h) => h.ms)), 0),
        exit: human[0]!.exit,
      },
      jsonOutput: {
        peakMiB: round(median(json.map((h) => h.rssMiB)), 0),
        wallMs: round(median(json.map((h) => h.ms)), 0),
        exit: json[0]!.exit,
      },
    },
    note: `node bin/broadcast-importer.mjs validate FILE [--json] > /dev/null under /usr/bin/time; ${n} run(s) each (slow)`,
  };
};

function sheetjsBaseline(path: string): number {
  const wb = XLSX.read(readFileSync(path), { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0]!]!;
  const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false, defval: '' });
  return rows.length;
}

/**
 * A 100,000-row CSV of names (organizations, brands, campaigns, typed numbers, lists, domains)
 * validated with an account, as `validate --account` runs it: the account's reference data read
 * once from a Sandbox (the snapshot in memory), then the streamed read, validation and the account
 * check of every row. Baseline: the same rows written with ids, through the same path, same run.
 */
const namesValidate: Measure = async (runs) => {
  const names = namesCsvFile(100_000, 'names');
  const ids = namesCsvFile(100_000, 'ids');
  const sb = await startSandbox({ seed: 5 });
  let fetched;
  try {
    fetched = await loadAccount({
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
      organizationIds: 'all',
      source: sb.baseUrl,
      audience: 'cli',
    });
  } finally {
    await sb.close();
  }
  if (!fetched.snapshot) throw new Error(`names-validate: ${fetched.stop?.message ?? 'no account'}`);
  const account = fetched.snapshot;
  // Warm both paths once, then alternate so both see the same machine.
  await validateFile(names, { account });
  await validateFile(ids, { account });
  const subject: number[] = [];
  const base: number[] = [];
  const offline: number[] = [];
  let namesSummary = '';
  let idsSummary = '';
  for (let i = 0; i < runs; i++) {
    settle();
    subject.push(
      await timed(async () => {
        const r = await validateFile(names, { account });
        namesSummary = `${r.rowNumbers.length} rows, ${r.valid} valid, ${r.invalid} invalid, ${r.names?.size ?? 0} distinct names resolved`;
      }),
    );
    settle();
    base.push(
      await timed(async () => {
        const r = await validateFile(ids, { account });
        idsSummary = `${r.rowNumbers.length} rows, ${r.valid} valid, ${r.invalid} invalid`;
      }),
    );
    settle();
    offline.push(await timed(() => validateFile(ids)));
  }
  const s = median(subject);
  const b = median(base);
  return {
    measure: 'names-validate-100k',
    runs,
    value: round(s, 0),
    unit: 'ms',
    baseline: {
      what: 'the same rows written with ids, same path, same account',
      value: round(b, 0),
      unit: 'ms',
    },
    ratio: round(s / b),
    target: '≤ 1.3× baseline',
    pass: s / b <= 1.3,
    details: {
      names: namesSummary,
      ids: idsSummary,
      namesBytes: statSync(names).size,
      idsBytes: statSync(ids).size,
      accountRequests: fetched.requests,
      subject:
        'validateFile(FILE, { account }) (validate --account: streamed read, validate, account check per row)',
      allRunsMs: subject.map((v) => round(v, 0)),
      baselineRunsMs: base.map((v) => round(v, 0)),
      idsWithoutAccountMs: round(median(offline), 0),
    },
  };
};

const xlsxValidate: Measure = async (runs) => {
  const path = xlsxFile(100_000);
  sheetjsBaseline(path);
  await validateFile(path);
  const base: number[] = [];
  const subject: number[] = [];
  for (let i = 0; i < runs; i++) {
    settle();
    base.push(await timed(() => sheetjsBaseline(path)));
    settle();
    subject.push(await timed(() => validateFile(path)));
  }
  const b = median(base);
  const s = median(subject);
  return {
    measure: 'xlsx-validate-100k',
    runs,
    value: round(s, 0),
    unit: 'ms',
    baseline: {
      what: "readFileSync + XLSX.read + sheet_to_json({ header: 1, raw: false, defval: '' })",
      value: round(b, 0),
      unit: 'ms',
    },
    ratio: round(s / b),
    target: '≤ 1.2× baseline',
    pass: s / b <= 1.2,
    details: {
      allRunsMs: subject.map((v) => round(v, 0)),
      baselineRunsMs: base.map((v) => round(v, 0)),
    },
  };
};

// ---- the renderer's model, in Node ------------------------------------------------------------

const revalidate: Measure = async (runs) => {
  // The app reads at most 200 MB: a million shorter rows.
  const path = await compactCsvFile(1_000_000);
  const bytes = new Uint8Array(readFileSync(path));
  const messages: FromWorker[] = [];
  let model: SheetModel | null = null;
  let pass = 0;
  const t0 = performance.now();
  const core = createWorkerCore((m) => {
    if (m.t === 'sheet' || m.t === 'columns' || m.t === 'failed') messages.push(m);
    if (!model) return;
    if (m.t === 'checked') model.applyChecked(m.pass, m.start, m.count, m.rows, m.sev, m.flags);
    if (m.t === 'dups') model.applyDups(m.rows, m.flags, m.full);
  });
  core.handle({ t: 'open', id: 1, bytes, fileName: 'p.csv', options: {} });
  const sheet = messages.find((m) => m.t === 'sheet');
  if (!sheet || sheet.t !== 'sheet') throw new Error('the worker core did not read the file');
  const mapping = autoMap(sheet.headers);
  // The worker mirrors edits on its own thread in the app: here the edits are queued, not timed.
  const queued: Array<{ keys: Int32Array; values: string[] }> = [];
  model = new SheetModel(sheet, mapping, '', {
    cells: (keys, values) => queued.push({ keys: keys.slice(), values: [...values] }),
    order: () => undefined,
    validate: () => ++pass,
    lastPass: () => pass,
    columns: () => undefined,
    remapped: () => undefined,
  });
  const columns = messages.find((m) => m.t === 'columns');
  if (columns?.t === 'columns') model.setColumns(columns.cols, columns.offs);
  pass++;
  core.handle({ t: 'validate', pass, mapping, defaultOrg: '', rows: null });
  await core.idle();
  const loadMs = performance.now() - t0;
  const m = model;
  const n = 1_000_000;
  const cProtocol = sheet.headers.indexOf('Protocol');
  const cName = sheet.headers.indexOf('Project name');
  const cPhones = sheet.headers.indexOf('Phone Numbers');
  const size = statSync(path).size;
  if (cProtocol < 0 || cName < 0 || cPhones < 0)
    throw new Error(`unexpected headers ${sheet.headers.join('|')}`);
  const edits = Math.max(500, runs * 200);
  const times: number[] = [];
  const mainTimes: number[] = [];
  const workerTimes: number[] = [];
  let changed = 0;
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  /** One edit: the model re-checks the row on this thread; then the worker's mirror takes the cells and updates the duplicate names (timed apart, as they run on two threads in the app). */
  const edit = (change: { row: number; col: number; value: string }) => {
    const t = performance.now();
    const k = m.setCells([change], 'Edit');
    const t1 = performance.now();
    for (const q of queued.splice(0)) core.handle({ t: 'cells', keys: q.keys, values: q.values });
    const t2 = performance.now();
    return { k, main: t1 - t, worker: t2 - t1 };
  };
  // Warm-up edits, not counted.
  for (let i = 0; i < 50; i++) edit({ row: next() % n, col: cProtocol, value: i % 2 ? 'mms' : 'sms' });
  for (let i = 0; i < edits; i++) {
    const row = next() % n;
    const kind = i % 3;
    const change =
      kind === 0
        ? { row, col: cProtocol, value: i % 2 ? 'mms' : 'fax' }
        : kind === 1
          ? { row, col: cName, value: i % 4 === 1 ? `Weekly ${Math.floor(row / 500)}` : `Edited ${i}` }
          : { row, col: cPhones, value: i % 2 ? '+1 555 010 0100' : 'pn_x, pn_y, pn_x' };
    const r = edit(change);
    changed += r.k;
    mainTimes.push(r.main);
    workerTimes.push(r.worker);
    times.push(r.main + r.worker);
  }
  // The figure: the edited row re-checked on the grid's thread (what the next frame waits for).
  const p99 = quantile(mainTimes, 0.99);
  return {
    measure: 'revalidate-edit-1m',
    runs: 1,
    value: round(p99, 3),
    unit: 'ms p99',
    target: 'p99 ≤ 16 ms',
    pass: p99 <= 16,
    details: {
      edits: times.length,
      cellsChanged: changed,
      medianMs: round(median(mainTimes), 3),
      p95Ms: round(quantile(mainTimes, 0.95), 3),
      maxMs: round(Math.max(...mainTimes), 3),
      bothThreadsTogether: { p99Ms: round(quantile(times, 0.99), 3), medianMs: round(median(times), 3) },
      modelThread: { p99Ms: round(quantile(mainTimes, 0.99), 3), medianMs: round(median(mainTimes), 3) },
      workerMirrorAndDuplicateNames: {
        p99Ms: round(quantile(workerTimes, 0.99), 3),
        medianMs: round(median(workerTimes), 3),
      },
      loadAndFirstCheckMs: round(loadMs, 0),
      fileMiB: round(size / 2 ** 20, 0),
      how: "SheetModel.setCells of one cell (protocol, name or numbers) on a random row, timed on the grid's thread; apart from it, the worker core taking the edit and updating duplicate names (its own thread in the app)",
    },
    note: `one load of 1,000,000 rows, ${times.length} timed edits`,
  };
};

// ---- submitting -------------------------------------------------------------------------------

interface Body {
  text: string;
}

function bodiesOf(csvText: string): Body[] {
  const sheet = readSheet(new TextEncoder().encode(csvText), { fileName: 'p.csv' });
  const v = validateSheet(sheet);
  return v.rows.map((r) => {
    if (!r.payload) throw new Error(`row ${r.row} is not valid: ${JSON.stringify(r.issues)}`);
    return { text: JSON.stringify(r.payload) };
  });
}

async function fetchLoop(bodies: Body[]): Promise<number> {
  const sb = await startSandbox({ seed: 1 });
  try {
    const url = `${sb.baseUrl}/projects`;
    return await timed(async () => {
      for (const b of bodies) {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-api-key': sb.apiKey,
            'idempotency-key': randomUUID(),
          },
          body: b.text,
        });
        if (res.status !== 201) throw new Error(`baseline: ${res.status} ${await res.text()}`);
        await res.json();
      }
    });
  } finally {
    await sb.close();
  }
}

/** What the command line hands the engine for a file: its rows, read and validated. */
function fileRun(bytes: Uint8Array) {
  const { submission, inputHash, headerRow } = readSubmission({ bytes, fileName: 'p.csv' });
  return { submission, inputHash, headerRow, audience: 'cli' as const };
}

/** The whole run, and its sending phase alone (first write leaving to the run's end), in ms. */
async function engineRun(
  bytes: Uint8Array,
  rows: number,
  journal: boolean,
): Promise<{ ms: number; sendingMs: number }> {
  let firstPost = 0;
  const sb = await startSandbox({
    seed: 1,
    faults: {
      plan: (req) => {
        if (req.method === 'POST' && firstPost === 0) firstPost = performance.now();
        return null;
      },
    },
  });
  const dir = join(DATA_DIR, 'journals');
  mkdirSync(dir, { recursive: true });
  const journalPath = join(dir, `${randomUUID()}.jsonl`);
  try {
    let created = 0;
    const ms = await timed(async () => {
      // Reading and validating the file is part of the run, as with `submit`.
      const run = createRun({
        ...fileRun(bytes),
        apiKey: sb.apiKey,
        baseUrl: sb.baseUrl,
        ...(journal ? { journalPath } : {}),
      });
      const summary = await run.start();
      created = summary.counts.created;
    });
    const sendingMs = performance.now() - firstPost;
    if (created !== rows) throw new Error(`engine: ${created} of ${rows} created`);
    return { ms, sendingMs };
  } finally {
    await sb.close();
    rmSync(journalPath, { force: true });
    rmSync(`${journalPath}.lock`, { force: true });
  }
}

const submit: Measure = async (runs) => {
  const rows = 2000;
  const text = validCsvText(rows);
  const bytes = new TextEncoder().encode(text);
  const bodies = bodiesOf(text);
  await fetchLoop(bodies.slice(0, 200));
  await engineRun(new TextEncoder().encode(validCsvText(200)), 200, false);
  const base: number[] = [];
  const subject: number[] = [];
  const sending: number[] = [];
  const journaled: number[] = [];
  for (let i = 0; i < runs; i++) {
    settle();
    base.push(await fetchLoop(bodies));
    settle();
    const e = await engineRun(bytes, rows, false);
    subject.push(e.ms);
    sending.push(e.sendingMs);
    settle();
    journaled.push((await engineRun(bytes, rows, true)).ms);
  }
  const rate = (ms: number) => rows / (ms / 1000);
  const b = rate(median(base));
  const s = rate(median(subject));
  const j = rate(median(journaled));
  return {
    measure: 'submit-2000',
    runs,
    value: round(s, 0),
    unit: 'rows/s',
    baseline: { what: 'sequential fetch loop POSTing the same bodies', value: round(b, 0), unit: 'rows/s' },
    ratio: round(s / b),
    target: '≥ 0.9× baseline throughput',
    pass: s / b >= 0.9,
    details: {
      subject: 'createRun(...).start() without a journal: validation, pre-flight reads, then the writes',
      engineMs: subject.map((v) => round(v, 0)),
      sendingPhaseOnly: {
        what: 'from the first write leaving to the end of the run (validation and pre-flight excluded)',
        rowsPerSecond: round(rate(median(sending)), 0),
        ratio: round(rate(median(sending)) / b, 2),
        ms: sending.map((v) => round(v, 0)),
      },
      baselineMs: base.map((v) => round(v, 0)),
      withJournal: { rowsPerSecond: round(j, 0), ratio: round(j / b), ms: journaled.map((v) => round(v, 0)) },
    },
    note: 'Sandbox in this process, no latency, no limit; a fresh Sandbox for every run',
  };
};

/**
 * One run under a write limit. Request k can leave at the earliest floor(k / limit) windows after the
 * first, so `rows = m × limit + 1` rows take at least m windows: achieved = (rows − 1) / span of the
 * writes, against the allowed limit / window.
 */
async function limitedRun(limit: number, windowMs: number, rows: number) {
  const bytes = new TextEncoder().encode(validCsvText(rows));
  const posts: number[] = [];
  const sb = await startSandbox({
    seed: 1,
    writeLimit: limit,
    windowMs,
    faults: {
      plan: (req) => {
        if (req.method === 'POST') posts.push(Date.now());
        return null;
      },
    },
  });
  let refused: number;
  try {
    const run = createRun({ ...fileRun(bytes), apiKey: sb.apiKey, baseUrl: sb.baseUrl });
    const summary = await run.start();
    if (summary.counts.created !== rows) throw new Error(`limited: ${summary.counts.created} created`);
    refused = sb.state.log.filter((e) => e.status === 429).length;
  } finally {
    await sb.close();
  }
  let overLimit = 0;
  for (let k = limit; k < posts.length; k++) if (posts[k]! - posts[k - limit]! < windowMs) overLimit++;
  const span = posts.at(-1)! - posts[0]!;
  const achieved = (posts.length - 1) / (span / 1000);
  const allowed = limit / (windowMs / 1000);
  return { achieved, allowed, ratio: achieved / allowed, refused, overLimit, spanMs: span };
}

const submitLimited: Measure = async (runs) => {
  // The issue's example, 600 writes per 60 s: 601 rows, the last one a window after the first.
  const main = await limitedRun(600, 60_000, 601);
  // A short window shows the whole-second reset's cost more: 50 per 5 s, 201 rows (4 windows).
  const n = Math.max(1, Math.min(runs, 3));
  const short: Awaited<ReturnType<typeof limitedRun>>[] = [];
  for (let i = 0; i < n; i++) short.push(await limitedRun(50, 5000, 201));
  const refused = main.refused + short.reduce((a, r) => a + r.refused, 0);
  const shortRatio = median(short.map((r) => r.ratio));
  return {
    measure: 'submit-write-limit',
    runs: 1,
    value: round(main.achieved, 3),
    unit: 'rows/s',
    baseline: { what: 'the allowed rate, 600 writes per 60 s', value: main.allowed, unit: 'rows/s' },
    ratio: round(main.ratio, 3),
    target: '≥ 0.95 of the allowed rate, zero 429s',
    pass: main.ratio >= 0.95 && refused === 0,
    details: {
      rows: 601,
      spanMs: round(main.spanMs, 0),
      refused429: main.refused,
      windowsOverLimit: main.overLimit,
      shortWindow: {
        limit: '50 per 5 s',
        rows: 201,
        runs: n,
        ratio: round(shortRatio, 3),
        ratios: short.map((r) => round(r.ratio, 3)),
        refused429: short.reduce((a, r) => a + r.refused, 0),
        windowsOverLimit: short.reduce((a, r) => a + r.overLimit, 0),
      },
    },
    note: `one run of 601 rows at 600/60 s (~61 s), ${n} run(s) of the short window (~20 s each)`,
  };
};

// ---- the renderer in Chromium -----------------------------------------------------------------

const renderer: Measure = async (runs) => {
  const { launchApp, gotoCell, waitChecked, grid } = await import('../test/e2e/helpers');
  const built = join(ROOT, 'out/renderer/index.html');
  if (!existsSync(built) || process.argv.includes('--build')) {
    log('building the app (npx electron-vite build)');
    const r = spawnSync('npx', ['electron-vite', 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error('electron-vite build failed');
  }
  const file = exampleCsvFile(100_000);
  const n = Math.max(1, Math.min(runs, 3));
  const paints: number[] = [];
  const edits: number[] = [];
  const frames: number[] = [];
  const app = await launchApp();
  try {
    const { page } = app;
    const measures = (name: string) =>
      page.evaluate((nm) => performance.getEntriesByName(nm).map((e) => e.duration), name);
    // First opening confirms the columns (remembered for these headers).
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByRole('button', { name: /^Review 100,000 rows/ }).click();
    await waitChecked(page, 120_000);
    // Openings first (editing would make closing ask about unsaved edits), then the edits.
    for (let i = 0; i < n; i++) {
      await page.getByRole('button', { name: 'Close file' }).click();
      await page.evaluate(() => performance.clearMeasures());
      await page.getByTestId('file-input').setInputFiles(file);
      await page.locator('[role=row][aria-rowindex="2"]').waitFor();
      await page.waitForFunction(() => performance.getEntriesByName('bi:first-paint').length > 0);
      paints.push((await measures('bi:first-paint'))[0]!);
      await waitChecked(page, 120_000);
    }
    await page.evaluate(() => performance.clearMeasures());
    await grid(page).focus();
    await gotoCell(page, 2, 'Protocol');
    for (let k = 0; k < 30 * n; k++) {
      await page.keyboard.type(k % 2 ? 'sms' : 'mms');
      await page.keyboard.press('Enter');
    }
    edits.push(...(await measures('bi:edit')));
    frames.push(...(await measures('bi:edit-frame')));
  } finally {
    await app.close();
  }
  const paint = median(paints);
  const edit = median(edits);
  return [
    {
      measure: 'renderer-first-paint-100k',
      runs: n,
      value: round(paint, 0),
      unit: 'ms',
      target: '≤ 1500 ms',
      pass: paint <= 1500,
      details: { allRunsMs: paints.map((v) => round(v, 0)) },
      note: 'headless Chromium through the web harness; bi:first-paint from opening the file to the grid painted',
    },
    {
      measure: 'renderer-edit-100k',
      runs: n,
      value: round(edit, 1),
      unit: 'ms median',
      target: '≤ 16 ms',
      pass: edit <= 16,
      details: {
        edits: edits.length,
        p95Ms: round(quantile(edits, 0.95), 1),
        maxMs: round(Math.max(...edits), 1),
        toNextFrame: { medianMs: round(median(frames), 1), p95Ms: round(quantile(frames, 0.95), 1) },
      },
      note: 'bi:edit: commit key to updated grid; 30 edits per run, down one column',
    },
  ];
};

// ---- main -------------------------------------------------------------------------------------

const MEASURES: Record<string, Measure> = {
  'csv-validate': csvValidate,
  'csv-1m-rss': csvMillion,
  'xlsx-validate': xlsxValidate,
  'names-validate': namesValidate,
  revalidate,
  submit,
  'submit-limit': submitLimited,
  'service-responsiveness': serviceResponsiveness,
  renderer,
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '5' },
      build: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      `Usage: npm run bench -- [--only NAME[,NAME…]] [--runs N] [--build]\nMeasures: ${Object.keys(MEASURES).join(', ')}\n`,
    );
    return 0;
  }
  const runs = Math.max(1, Number(values.runs) || 5);
  const names = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(MEASURES);
  for (const n of names)
    if (!MEASURES[n]) throw new Error(`unknown measure ${n}; known: ${Object.keys(MEASURES).join(', ')}`);
  const started = performance.now();
  const results: Result[] = [];
  for (const name of names) {
    log(`${name}…`);
    const t = performance.now();
    const r = await MEASURES[name]!(runs);
    for (const one of Array.isArray(r) ? r : [r]) {
      results.push(one);
      log(
        `${one.measure}: ${one.value} ${one.unit}${one.ratio !== undefined ? ` (ratio ${one.ratio})` : ''} — ${one.pass ? 'pass' : 'FAIL'}`,
      );
    }
    log(`${name} took ${round((performance.now() - t) / 1000, 1)} s`);
  }
  const cpus = os.cpus();
  const out = {
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    runs,
    date: new Date().toISOString(),
    wallSeconds: round((performance.now() - started) / 1000, 0),
    results,
    passed: results.filter((r) => r.pass).length,
    failed: results.filter((r) => !r.pass).map((r) => r.measure),
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
