import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_API_KEY, SEED, startSandbox } from '../../../src/sandbox';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = 'bin/broadcast-importer.mjs';

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

function start(args: string[]) {
  child = spawn(process.execPath, [BIN, 'sandbox', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  return {
    proc: child,
    exited,
    out: () => stdout,
    err: () => stderr,
    async lines(n: number): Promise<string[]> {
      const deadline = Date.now() + 20_000;
      while (stdout.split('\n').filter(Boolean).length < n) {
        if (Date.now() > deadline || child!.exitCode !== null)
          throw new Error(`no output; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return stdout.split('\n').filter(Boolean);
    },
  };
}

describe('npm run cli -- sandbox', () => {
  it('prints BASE_URL and API_KEY, serves, and exits 0 on SIGINT', async () => {
    const run = start(['--port', '0', '--write-limit', '5', '--seed', '9']);
    const lines = await run.lines(2);
    expect(lines[0]).toMatch(/^BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(lines[1]).toBe(`API_KEY=${SANDBOX_API_KEY}`);
    const baseUrl = lines[0]!.slice('BASE_URL='.length);
    const res = await fetch(`${baseUrl}/projects`, {
      method: 'POST',
      headers: { 'X-API-Key': SANDBOX_API_KEY, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('X-RateLimit-Limit')).toBe('5');
    run.proc.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.err()).toMatch(/POST \/v1\/projects → 400/);
  });

  it('stops on SIGTERM too', async () => {
    const run = start(['--quiet']);
    await run.lines(2);
    run.proc.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('prints the seed as JSON with --print-seed', async () => {
    const run = start(['--print-seed']);
    expect(await run.exited).toBe(0);
    const seed = JSON.parse(run.out()) as Record<string, unknown[]>;
    expect(Object.keys(seed)).toEqual([
      'organizations',
      'brands',
      'campaigns',
      'phone_numbers',
      'toll_free_verifications',
      'tracking_domains',
      'contact_lists',
    ]);
    expect(seed).toEqual(JSON.parse(JSON.stringify(SEED)));
  });

  it('answers a usage error with exit code 2 and a message on stderr', async () => {
    for (const args of [
      ['--fail-rate', '2'],
      ['--port', 'abc'],
      ['--bogus'],
      ['--sending-paused', 'everywhere'],
    ]) {
      const run = start(args);
      expect(await run.exited).toBe(2);
      expect(run.err()).toMatch(/Usage: broadcast-importer sandbox/);
      expect(run.out()).toBe('');
    }
  });

  it('exits 1 when the port cannot be opened', async () => {
    const busy = await startSandbox();
    try {
      const run = start(['--port', String(busy.port)]);
      expect(await run.exited).toBe(1);
      expect(run.err()).toMatch(/Could not start the Sandbox/);
    } finally {
      await busy.close();
    }
  });

  it('shows the help with --help', async () => {
    const run = start(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.out()).toMatch(/--write-limit N/);
  });
});
