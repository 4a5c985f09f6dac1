/**
 * `submit` and the files a person names: the input, `--results` and `--journal` must be distinct
 * regular files in folders that exist, checked before any row is sent; devices and FIFOs are refused
 * at once; a damaged journal is refused rather than started over; file errors say what they are;
 * a key with a control character is refused without being printed or written.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { csv, validRows } from '../../unit/engine/helpers';
import { runCli, startCli, type CliResult } from '../engine/cli-helpers';

let sb: RunningSandbox;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  sb = await startSandbox({ seed: 17 });
  dir = mkdtempSync(join(tmpdir(), 'bi-submit-files-'));
  env = { POLITICAL_COMMS_API_KEY: sb.apiKey };
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

const posts = () => sb.state.log.filter((e) => e.method === 'POST').length;

function input(name: string, rows = 2): string {
  const p = join(dir, name);
  writeFileSync(p, csv(validRows(rows, name)));
  return p;
}

const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Run `submit`, killed after `ms` if it hangs (a hang is a failure, not a stuck test run). */
async function submit(args: string[], e = env, ms = 25_000): Promise<CliResult> {
  const { child, done } = startCli(['submit', ...args, '--base-url', sb.baseUrl], e);
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

describe('submit: the run files', () => {
  it('refuses --results and --journal naming one file, before anything is sent, every time', async () => {
    const src = input('same.csv');
    const out = join(dir, 'same-out.csv');
    const before = posts();
    for (let i = 0; i < 2; i++) {
      const r = await submit([src, '--results', out, '--journal', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/The results file and the journal are the same file .*same-out\.csv/);
    }
    expect(posts()).toBe(before);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a journal that is the input file, or a hard link to it, and leaves the sheet untouched', async () => {
    const src = input('sheet.csv');
    const bytes = readFileSync(src);
    const hard = join(dir, 'sheet-link.jsonl');
    linkSync(src, hard);
    const before = posts();
    for (const journal of [src, hard]) {
      const r = await submit([src, '--journal', journal]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/The input file and the journal are the same file/);
    }
    const results = await submit([src, '--results', src]);
    expect(results.code).toBe(2);
    expect(results.stderr).toMatch(/The input file and the results file are the same file/);
    expect(readFileSync(src)).toEqual(bytes);
    expect(posts()).toBe(before);
  });

  it('finds a missing --results or --journal folder before any row is sent', async () => {
    const src = input('nofolder.csv');
    const before = posts();
    const r = await submit([src, '--results', join(dir, 'missing', 'out.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /The results file .*missing\/out\.csv cannot be used: its folder does not exist/,
    );
    const j = await submit([src, '--journal', join(dir, 'missing', 'j.jsonl')]);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/The journal .* cannot be used: its folder does not exist/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(posts()).toBe(before);
  });

  it('--journal /proc/nonexistent/j.jsonl fails at once with a clear message', async () => {
    const r = await submit([input('proc.csv'), '--journal', '/proc/nonexistent/j.jsonl']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /The journal \/proc\/nonexistent\/j\.jsonl cannot be used: its folder does not exist/,
    );
  });

  it('refuses devices as journal, results or input: /dev/full, /dev/zero', async () => {
    const src = input('devices.csv');
    const full = join(dir, 'full.csv');
    symlinkSync('/dev/full', full);
    const before = posts();
    for (const [args, pattern] of [
      [[src, '--journal', '/dev/full'], /The journal \/dev\/full cannot be used: it is a device/],
      [[src, '--journal', '/dev/zero'], /The journal \/dev\/zero cannot be used: it is a device/],
      [[src, '--results', full], /The results file .*full\.csv cannot be used: it is a device/],
      [['/dev/zero', '--results', join(dir, 'zero.csv')], /Cannot read zero: it is a device/],
    ] as Array<[string[], RegExp]>) {
      const r = await submit(args);
      expect({ args, code: r.code, signal: r.signal }).toEqual({ args, code: 2, signal: null });
      expect(r.stderr).toMatch(pattern);
    }
    expect(posts()).toBe(before);
  });

  it.runIf(hasMkfifo)('refuses a FIFO as journal or input at once (submit and validate)', async () => {
    const src = input('fifo.csv');
    const pipe = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [pipe]);
    const pipeCsv = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [pipeCsv]);
    const j = await submit([src, '--journal', pipe]);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/The journal .*pipe\.jsonl cannot be used: it is a named pipe \(FIFO\)/);
    const i = await submit([pipeCsv, '--results', join(dir, 'pipe-out.csv')]);
    expect(i.code).toBe(2);
    expect(i.stderr).toMatch(/Cannot read pipe\.csv: it is a named pipe \(FIFO\), not a file/);
    const v = await runCli(['validate', pipeCsv], {});
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/Cannot read pipe\.csv: it is a named pipe \(FIFO\), not a file/);
  });

  it.runIf(hasMkfifo)(
    'a FIFO or a huge sparse .jsonl beside the journal is passed over with a warning',
    async () => {
      const folder = mkdtempSync(join(dir, 'siblings-'));
      const src = join(folder, 'in.csv');
      writeFileSync(src, csv(validRows(2, 'Siblings')));
      execFileSync('mkfifo', [join(folder, 'a-pipe.jsonl')]);
      const sparse = join(folder, 'b-sparse.jsonl');
      writeFileSync(sparse, '');
      truncateSync(sparse, 2 * 1024 * 1024 * 1024);
      const r = await submit([src]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/warning: Passed over .*a-pipe\.jsonl .*named pipe \(FIFO\)/);
      expect(r.stderr).toMatch(/warning: Passed over .*b-sparse\.jsonl .*more than the 1\.0 GB/);
      expect(sb.state.listProjects({ name: 'Siblings 1' })).toHaveLength(1);
    },
  );
});

describe('submit: a damaged journal', () => {
  it('is refused when its first line is damaged: nothing is created twice', async () => {
    const src = input('damaged.csv', 3);
    const journal = join(dir, 'damaged.jsonl');
    const first = await submit([src, '--journal', journal]);
    expect(first.code).toBe(0);
    const created = sb.state.projects.length;
    const text = readFileSync(journal, 'utf8');
    writeFileSync(journal, text.replace('"type":"run"', '"type":"ru"')); // one byte gone
    const second = await submit([src, '--journal', journal]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      /The journal .*damaged\.jsonl cannot be used: line 1 \(the run header\) is damaged/,
    );
    expect(sb.state.projects.length).toBe(created);
    expect(sb.state.listProjects({ name: 'damaged.csv 1' })).toHaveLength(1);
  });

  it('is refused when a line in the middle is damaged', async () => {
    const src = input('middle.csv', 3);
    const journal = join(dir, 'middle.jsonl');
    expect((await submit([src, '--journal', journal])).code).toBe(0);
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[2] = lines[2]!.slice(0, -3);
    writeFileSync(journal, lines.join('\n'));
    const created = sb.state.projects.length;
    const r = await submit([src, '--journal', journal]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 3 is damaged/);
    expect(sb.state.projects.length).toBe(created);
  });
});

describe('submit: file errors say what they are', () => {
  const sysWritable = (() => {
    try {
      writeFileSync('/sys/.bi-probe', '');
      return true;
    } catch {
      return false;
    }
  })();
  it.runIf(existsSync('/sys') && !sysWritable)('a journal where nothing may be written', async () => {
    const r = await submit([input('sys.csv'), '--journal', '/sys/j.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Cannot open the journal \/sys\/j\.jsonl: permission denied\./m);
    expect(r.stderr).not.toMatch(/Cannot read/);
  });

  it('a temp file a killed results write left behind is removed by the next write', async () => {
    const folder = mkdtempSync(join(dir, 'tmp-'));
    const src = join(folder, 'in.csv');
    writeFileSync(src, csv(validRows(1, 'Temp files')));
    const stale = join(folder, '.in.results.csv.00112233aabbccdd.tmp');
    writeFileSync(stale, '');
    const old = Date.now() / 1000 - 3600;
    utimesSync(stale, old, old);
    const r = await submit([src]);
    expect(r.code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['in.csv', 'in.results.csv', 'in.results.journal.jsonl']);
  });
});

describe('submit: the API key', () => {
  it('a key with a line break or a control character is refused, never printed, never written', async () => {
    const before = posts();
    for (const [i, key] of [
      `${sb.apiKey}\ninjected: header`,
      `${sb.apiKey.slice(0, 8)}\n${sb.apiKey.slice(8)}`,
      `${sb.apiKey.slice(0, 8)}\u0007${sb.apiKey.slice(8)}`,
    ].entries()) {
      const folder = mkdtempSync(join(dir, `key-${i}-`));
      const src = join(folder, 'in.csv');
      writeFileSync(src, csv(validRows(1, `Key ${i}`)));
      const r = await submit([src], { POLITICAL_COMMS_API_KEY: key });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /POLITICAL_COMMS_API_KEY holds (a line break|a control character) at character \d+/,
      );
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(sb.apiKey.slice(8));
        expect(text).not.toContain('injected');
      }
      expect(readdirSync(folder)).toEqual(['in.csv']);
    }
    expect(posts()).toBe(before);
  });
});
