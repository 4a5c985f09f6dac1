/**
 * The journal lock under contention: many processes released at the same millisecond, on a free
 * lock, on a stale one, on an empty one, and in a long churn where holders crash without releasing.
 * At no moment may two hold it, and a process that does not get it is told so plainly
 * (JournalBusyError), never with a raw file-system error.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './cli-helpers';

const CONTENDER = fileURLToPath(new URL('./lock-contender.ts', import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Race {
  lines: string[];
  exits: Array<number | null>;
  dir: string;
}

/** Start `n` contenders, wait until each is ready, then release them all at one instant. */
async function race(
  n: number,
  opts: { rounds: number; holdMs: number; dieEvery?: number; before?: (journal: string) => void },
): Promise<Race> {
  const dir = mkdtempSync(join(tmpdir(), 'bi-lock-'));
  dirs.push(dir);
  const journal = join(dir, 'run.jsonl');
  const log = join(dir, 'log.txt');
  const goFile = join(dir, 'go');
  writeFileSync(log, '');
  opts.before?.(journal);
  let ready = 0;
  let onAllReady: () => void = () => {};
  const allReady = new Promise<void>((resolve) => (onAllReady = resolve));
  const exits = Array.from({ length: n }, (_, i) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CONTENDER,
        journal,
        log,
        goFile,
        `c${i}`,
        String(opts.rounds),
        String(opts.holdMs),
        String(opts.dieEvery ?? 0),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('ready') && ++ready === n) onAllReady();
    });
    return new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  });
  await allReady;
  writeFileSync(goFile, String(Date.now() + 300));
  const codes = await Promise.all(exits);
  return { lines: readFileSync(log, 'utf8').split('\n').filter(Boolean), exits: codes, dir };
}

function expectSafe(r: Race): { held: number; busy: number } {
  expect(r.exits.every((c) => c === 0)).toBe(true);
  expect(r.lines.filter((l) => l.startsWith('overlap'))).toEqual([]);
  expect(r.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  const busy = r.lines.filter((l) => l.startsWith('busy'));
  for (const l of busy)
    expect(l).toMatch(/^busy c\d+ (Another run is using this journal|The lock .* kept changing)/);
  return { held: r.lines.filter((l) => l.startsWith('held')).length, busy: busy.length };
}

/** A pid that is certainly not running: one of a process that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('the journal lock, contended', () => {
  it('a free lock: one of ten processes released at once gets it, the others are told it is busy', async () => {
    const r = expectSafe(await race(10, { rounds: 1, holdMs: 400 }));
    expect(r.held).toBeGreaterThanOrEqual(1);
    expect(r.held + r.busy).toBe(10);
  });

  it('a stale lock (its process is gone) is taken over by one process only', async () => {
    const pid = await deadPid();
    const stale = JSON.stringify({
      pid,
      token: 'a'.repeat(32),
      startedAt: 'x',
      host: (await import('node:os')).hostname(),
    });
    const r = await race(10, { rounds: 1, holdMs: 400, before: (j) => writeFileSync(`${j}.lock`, stale) });
    const s = expectSafe(r);
    expect(s.held).toBeGreaterThanOrEqual(1);
    expect(s.held + s.busy).toBe(10);
    // Everything released: no lock entry or temp file is left.
    expect(readdirSync(r.dir).filter((n) => n.includes('.lock'))).toEqual([]);
  });

  it('an empty lock is read again before it is taken over, by one process only', async () => {
    const r = await race(8, { rounds: 1, holdMs: 400, before: (j) => writeFileSync(`${j}.lock`, '') });
    const s = expectSafe(r);
    expect(s.held).toBeGreaterThanOrEqual(1);
    expect(s.held + s.busy).toBe(8);
  });

  it('churn: 8 processes, 60 tries each, holders crashing without releasing; never two at once', async () => {
    const r = await race(8, { rounds: 60, holdMs: 2, dieEvery: 3 });
    const s = expectSafe(r);
    // Crashed holders left stale locks, and they were taken over.
    const died = r.lines.filter((l) => l.startsWith('died')).length;
    expect(died).toBeGreaterThan(0);
    expect(s.held).toBeGreaterThan(died);
  }, 120_000);
});
