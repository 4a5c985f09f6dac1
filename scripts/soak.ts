/**
 * The soak drill (`npm run soak`, not part of `npm test`): 2,000 rows against the Sandbox with about
 * 10% faults (500/502/503, connection resets before and after the project is created, answers slower
 * than the client's timeout, 429 bursts on top of a write limit), the `submit` command run as a child
 * process with a journal and SIGKILLed twice at seeded points, then run again until it finishes.
 * Afterwards every valid row must have been created exactly once, no invalid row at all, and the
 * results sheet must say so row by row with the Sandbox's project ids. Prints the figures as JSON and
 * exits 1 when any check fails.
 *
 *   npx tsx scripts/soak.ts [--rows 2000] [--seed 20260105] [--out DIR]
 *
 * `submit` has no option for its request timeout or backoff, so the child is the real `submit` command
 * started through this file (`--submit-child`), which first shortens the engine's default retry policy
 * (BI_SOAK_POLICY): a 1 s timeout instead of 30 s, backoff from 50 ms instead of 1 s. Everything else —
 * arguments, journal, resume, results sheet — is the command as shipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { createRng as rng } from '../src/sandbox/rng';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD_FLAG = '--submit-child';

/** The retry policy of the child: short enough that 2,000 rows with 10% faults finish in minutes. */
const CHILD_POLICY = { requestTimeoutMs: 1000, backoffBaseMs: 50, backoffCapMs: 1000 };
/** Longer than the child's timeout: a slow answer is a timeout (the project is created all the same). */
const SLOW_MS = 2500;

// --- The child: the real submit command with a shorter retry policy -----------------------------------

async function runChild(argv: string[]): Promise<void> {
  const engine = await import('../src/engine');
  Object.assign(engine.DEFAULT_RETRY_POLICY, JSON.parse(process.env.BI_SOAK_POLICY ?? '{}'));
  const { main } = await import('../src/cli/index');
  process.exitCode = await main(['submit', ...argv]);
}

// --- The drill -------------------------------------------------------------------------------------------

const HEADERS = [
  'organization_id',
  'name',
  'protocol',
  'channel',
  'brand_id',
  'campaign_id',
  'toll_free_verification_id',
  'phone_number_ids',
  'contact_list_ids',
  'message_text',
  'link_tracking_enabled',
  'link_tracking_destination_url',
  'link_tracking_domain_id',
] as const;
type Cells = Partial<Record<(typeof HEADERS)[number], string>>;

/** How a row is expected to end: created, refused by the validator, or refused by the pre-flight. */
type Kind = 'valid' | 'invalid' | 'preflight';

interface PlannedRow {
  row: number;
  name: string;
  kind: Kind;
  cells: Cells;
}

async function buildRows(count: number, random: () => number): Promise<PlannedRow[]> {
  const seed = await import('../src/sandbox/seed');
  const PN = seed.PHONE_NUMBER_IDS;
  const senate = (name: string, extra: Cells = {}): Cells => ({
    organization_id: seed.ORG_SENATE,
    name,
    protocol: 'sms',
    brand_id: seed.BRAND_RIVERA,
    campaign_id: seed.CAMP_RIVERA_GOTV,
    phone_number_ids: `${PN.riveraGotv[0]}, ${PN.riveraGotv[1]}`,
    contact_list_ids: seed.CL_RIVERA_SUPPORTERS,
    message_text: `Hi {first_name}, this is ${name}. Polls close at 8pm.`,
    ...extra,
  });
  const variants: ((name: string) => Cells)[] = [
    (name) => senate(name),
    (name) => ({
      organization_id: seed.ORG_PAC,
      name,
      protocol: 'mms',
      brand_id: seed.BRAND_PAC,
      campaign_id: seed.CAMP_PAC_MEMBERS,
      phone_number_ids: PN.pacMembers[0],
      contact_list_ids: seed.CL_PAC_MEMBERS,
      message_text: `Members update: ${name}`,
    }),
    (name) => ({
      organization_id: seed.ORG_SENATE,
      name,
      protocol: 'sms',
      channel: 'toll-free',
      toll_free_verification_id: seed.TFV_VERIFIED,
      phone_number_ids: PN.tollFreeVerified[0],
      message_text: `Toll-free: ${name}`,
    }),
    (name) =>
      senate(name, {
        message_text: 'Vote today {link}',
        link_tracking_enabled: 'yes',
        link_tracking_destination_url: 'https://rivera-senate.example/vote',
        link_tracking_domain_id: seed.TD_RIVERA,
      }),
  ];
  const invalid: ((name: string) => Cells)[] = [
    (name) => senate(name, { brand_id: '' }),
    (name) => senate(name, { protocol: 'fax' }),
    (name) => senate(name, { channel: 'toll-free' }),
    (name) => senate(name, { phone_number_ids: `${PN.riveraGotv[0]}, ${PN.riveraGotv[0]}` }),
    (name) => senate(name, { link_tracking_enabled: 'maybe' }),
  ];
  const rows: PlannedRow[] = [];
  for (let i = 1; i <= count; i++) {
    const r = random();
    const kind: Kind = r < 0.08 ? 'invalid' : r < 0.1 ? 'preflight' : 'valid';
    const name = `Soak ${String(i).padStart(4, '0')}${kind === 'valid' ? '' : ` (${kind})`}`;
    const cells =
      kind === 'valid'
        ? variants[Math.floor(random() * variants.length)]!(name)
        : kind === 'invalid'
          ? invalid[Math.floor(random() * invalid.length)]!(name)
          : // Numbers of another campaign: only the account check can tell.
            senate(name, { phone_number_ids: PN.riveraFundraising[0] });
    rows.push({ row: i + 1, name, kind, cells });
  }
  return rows;
}

interface Session {
  exit: number | null;
  signal: NodeJS.Signals | null;
  killAt: string | null;
  writes: number;
  ms: number;
  stdout: string;
  stderr: string;
}

async function soak(argv: string[]): Promise<number> {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const count = Number(arg('--rows', '2000'));
  const seedValue = Number(arg('--seed', '20260105'));
  const keepDir = argv.includes('--out') ? resolve(arg('--out', '.')) : null;
  const random = rng(seedValue);
  const started = performance.now();
  const deadline = Date.now() + 20 * 60_000;

  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'bi-soak-'));
  mkdirSync(dir, { recursive: true });
  const planned = await buildRows(count, random);
  const input = join(dir, 'soak.csv');
  writeFileSync(
    input,
    '\ufeff' +
      Papa.unparse({
        fields: [...HEADERS],
        data: planned.map((p) => HEADERS.map((h) => p.cells[h] ?? '')),
      }),
  );
  const results = join(dir, 'soak.results.csv');
  const journal = join(dir, 'soak.journal.jsonl');

  // The Sandbox, in this process, so that kills can be timed on what it sees.
  const { startSandbox } = await import('../src/sandbox');
  const faults = rng(seedValue ^ 0x5eed);
  let burst = 0;
  let onArrival: (() => void) | null = null;
  let onCreated: (() => void) | null = null;
  const sb = await startSandbox({
    seed: seedValue,
    latencyMs: 2,
    jitterMs: 4,
    failRate: 0.04,
    resetBeforeRate: 0.02,
    resetAfterRate: 0.02,
    slowRate: 0.01,
    slowMs: SLOW_MS,
    writeLimit: 100,
    windowMs: 2000,
    faults: {
      // 429 bursts: now and then a run of 2 to 5 writes refused whatever the window says.
      plan: (req) => {
        if (req.method !== 'POST') return null;
        onArrival?.();
        if (burst === 0 && faults() < 0.004) burst = 2 + Math.floor(faults() * 4);
        if (burst > 0) {
          burst--;
          return '429';
        }
        return null;
      },
    },
    onRequest: (e) => {
      if (e.method === 'POST' && e.status === 201 && !e.replayed) onCreated?.();
    },
  });

  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    POLITICAL_COMMS_API_KEY: sb.apiKey,
    BI_SOAK_POLICY: JSON.stringify(CHILD_POLICY),
  };
  const args = ['submit', input, '--base-url', sb.baseUrl, '--results', results, '--journal', journal];
  const sessions: Session[] = [];

  const runSession = (killAt: { when: 'arrival' | 'created'; write: number } | null): Promise<Session> =>
    new Promise((done, fail) => {
      const t = performance.now();
      const child: ChildProcess = spawn(
        process.execPath,
        ['--import', 'tsx', SELF, CHILD_FLAG, ...args.slice(1)],
        {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      let writes = 0;
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const kill = () => child.kill('SIGKILL');
      const guard = setTimeout(kill, Math.max(1000, deadline - Date.now()));
      onArrival = () => {
        writes++;
        if (killAt?.when === 'arrival' && writes === killAt.write) kill();
      };
      onCreated = () => {
        if (killAt?.when === 'created' && writes >= killAt.write) {
          killAt = null;
          kill();
        }
      };
      child.on('error', fail);
      child.on('close', (exit, signal) => {
        clearTimeout(guard);
        onArrival = null;
        onCreated = null;
        done({
          exit,
          signal,
          killAt: null,
          writes,
          ms: Math.round(performance.now() - t),
          stdout,
          stderr,
        });
      });
    });

  try {
    // Two kills at seeded points: once just after the Sandbox created a project (its answer never
    // arrives), once as a write arrives (the project is created after the client has died).
    const kills = [
      { when: 'created' as const, write: 100 + Math.floor(random() * 800) },
      { when: 'arrival' as const, write: 100 + Math.floor(random() * 600) },
    ];
    for (const k of kills) {
      const s = await runSession(k);
      s.killAt = `${k.when} #${k.write}`;
      sessions.push(s);
    }
    // Then again until the command finishes by itself with every row settled.
    for (let i = 0; i < 6 && Date.now() < deadline; i++) {
      const s = await runSession(null);
      sessions.push(s);
      if (s.signal === null && !unsettled(readResults(results))) break;
    }

    const wallS = (performance.now() - started) / 1000;
    const report = check(planned, readResults(results), sb, sessions, journal, results);
    const log = sb.state.log;
    const posts = log.filter((e) => e.method === 'POST');
    const byFault: Record<string, number> = {};
    for (const e of posts) if (e.fault !== 'none') byFault[e.fault] = (byFault[e.fault] ?? 0) + 1;
    const valid = planned.filter((p) => p.kind === 'valid').length;
    const figures = {
      rows: count,
      valid,
      invalid: planned.filter((p) => p.kind === 'invalid').length,
      preflightInvalid: planned.filter((p) => p.kind === 'preflight').length,
      created: report.created,
      duplicates: report.duplicates,
      missing: report.missing,
      createdFromInvalidRows: report.unexpected,
      resultsSheetMismatches: report.mismatches.length,
      keyLeaks: report.keyLeaks,
      kills: sessions.filter((s) => s.signal === 'SIGKILL').length,
      killPoints: sessions
        .filter((s) => s.killAt)
        .map((s) => `${s.killAt} (${s.signal ?? `exit ${s.exit}`})`),
      runs: sessions.length,
      exitCodes: sessions.map((s) => s.exit ?? s.signal),
      writes: posts.length,
      faultShare: Number((Object.values(byFault).reduce((a, b) => a + b, 0) / posts.length).toFixed(3)),
      faults: byFault,
      status429: posts.filter((e) => e.status === 429).length,
      retries: posts.length - valid,
      idempotentReplays: posts.filter((e) => e.replayed).length,
      wallSeconds: Number(wallS.toFixed(1)),
      rowsPerSecond: Number((count / wallS).toFixed(1)),
      createdPerSecond: Number((report.created / wallS).toFixed(1)),
      seed: seedValue,
      ok: report.ok,
    };
    process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
    for (const m of report.mismatches.slice(0, 20)) process.stderr.write(`mismatch: ${m}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await sb.close();
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

interface ResultLine {
  row: number;
  cells: Record<string, string>;
}

function readResults(path: string): ResultLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
  } catch {
    return [];
  }
  const grid = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const headers = grid[0] ?? [];
  return grid.slice(1).map((line, i) => ({
    row: i + 2,
    cells: Object.fromEntries(headers.map((h, j) => [h, line[j] ?? ''])),
  }));
}

/** True while some row still waits: not sent yet, or failed after transient errors only. */
function unsettled(lines: ResultLine[]): boolean {
  return (
    lines.length === 0 || lines.some((l) => l.cells.status === 'not_sent' || l.cells.status === 'failed')
  );
}

function check(
  planned: PlannedRow[],
  lines: ResultLine[],
  sb: { apiKey: string; state: { projects: { detail: { project_id: string; name: string } }[] } },
  sessions: Session[],
  journal: string,
  results: string,
) {
  const mismatches: string[] = [];
  const byName = new Map<string, string[]>();
  for (const p of sb.state.projects)
    byName.set(p.detail.name, [...(byName.get(p.detail.name) ?? []), p.detail.project_id]);
  let created = 0;
  let duplicates = 0;
  let missing = 0;
  let unexpected = 0;
  for (const p of planned) {
    const ids = byName.get(p.name) ?? [];
    if (p.kind === 'valid') {
      if (ids.length >= 1) created++;
      if (ids.length > 1) duplicates += ids.length - 1;
      if (ids.length === 0) missing++;
    } else if (ids.length > 0) unexpected += ids.length;
  }
  if (lines.length !== planned.length)
    mismatches.push(`results sheet has ${lines.length} rows, input ${planned.length}`);
  for (const p of planned) {
    const line = lines.find((l) => l.row === p.row);
    if (!line) continue;
    for (const h of HEADERS) {
      if ((line.cells[h] ?? '') !== (p.cells[h] ?? '')) mismatches.push(`row ${p.row}: ${h} changed`);
    }
    const status = line.cells.status;
    const id = line.cells.project_id;
    if (p.kind === 'valid') {
      const ids = byName.get(p.name) ?? [];
      if (status !== 'created') mismatches.push(`row ${p.row}: status ${status}, expected created`);
      if (ids.length !== 1 || id !== ids[0])
        mismatches.push(`row ${p.row}: project_id ${id}, Sandbox has ${ids.join(' ')}`);
    } else {
      if (status !== 'invalid')
        mismatches.push(`row ${p.row}: status ${status}, expected invalid (${p.kind})`);
      if (id) mismatches.push(`row ${p.row}: project_id ${id} on a ${p.kind} row`);
    }
  }
  const texts = [
    readFileSync(journal, 'utf8'),
    readFileSync(results, 'utf8'),
    ...sessions.flatMap((s) => [s.stdout, s.stderr]),
  ];
  const keyLeaks = texts.filter((t) => t.includes(sb.apiKey)).length;
  const ok =
    missing === 0 &&
    duplicates === 0 &&
    unexpected === 0 &&
    mismatches.length === 0 &&
    keyLeaks === 0 &&
    created > 0;
  return { created, duplicates, missing, unexpected, mismatches, keyLeaks, ok };
}

if (process.argv[2] === CHILD_FLAG) {
  await runChild(process.argv.slice(3));
} else {
  process.exitCode = await soak(process.argv.slice(2));
}
