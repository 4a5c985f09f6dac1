import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, ROOT } from '../cli/run-cli';

const PROBE = fileURLToPath(new URL('./usage-probe.mjs', import.meta.url));

/** The JS heap the command line gets in these tests: a hostile file must not need more. */
export const HEAP_LIMIT_MB = 512;

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole child process, start-up included. */
  ms: number;
  /** Peak resident memory of the child, from its own process.resourceUsage(); null if it died first. */
  maxRssMb: number | null;
  /** True when the run was killed for exceeding `killAfterMs` (a hang). */
  killed: boolean;
}

/**
 * No more children at once than there are cores, so that each one's wall-clock time means something
 * (tests may start many side by side).
 */
const slots = { free: Math.max(1, availableParallelism()), waiting: [] as (() => void)[] };

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((resolve) => slots.waiting.push(resolve));
  try {
    return await fn();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/**
 * Runs the command line as a child with a capped heap, measures its time and peak memory, and kills it
 * if it runs longer than `killAfterMs`, so a hang fails the test instead of stalling it.
 */
export function runCliMeasured(args: string[], killAfterMs = 30_000): Promise<MeasuredRun> {
  return withSlot(() => spawnMeasured(args, killAfterMs));
}

function spawnMeasured(args: string[], killAfterMs: number): Promise<MeasuredRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bi-usage-'));
  const usageFile = join(dir, 'usage.json');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', PROBE, CLI, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, BI_USAGE_FILE: usageFile, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let maxRssMb: number | null = null;
      try {
        maxRssMb = (JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKb: number }).maxRssKb / 1024;
      } catch {
        // The child died before its exit handler ran (a crash or the kill above).
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, ms, maxRssMb, killed });
    });
  });
}

/** Signs of a crash rather than a message: a stack trace, an internal error name, a V8 fatal error. */
export function crashSigns(stderr: string): string[] {
  const signs: string[] = [];
  if (/^\s+at .+(\(|:\d+:\d+)/m.test(stderr)) signs.push('stack trace');
  if (/FATAL ERROR|JavaScript heap out of memory|Allocation failed/i.test(stderr))
    signs.push('V8 fatal error');
  if (/\b(TypeError|RangeError|ReferenceError|SyntaxError|AssertionError)\b/.test(stderr))
    signs.push('internal error name');
  if (/node:internal|ERR_[A-Z_]+/.test(stderr)) signs.push('Node internals');
  return signs;
}
