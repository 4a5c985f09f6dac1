/**
 * Input edited after a kill: the journal is refused with a way forward that cannot duplicate
 * (`--continue-edited`), and following it leaves exactly one project per row in the Sandbox.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { startSandbox, type RunningSandbox, type SandboxRequestInfo } from '../../../src/sandbox';
import { csv, invalidRow, tenDlcRow, type Cells } from '../../unit/engine/helpers';
import { runCli, startCli } from './cli-helpers';

let sb: RunningSandbox;
let dir: string;
let onArrival: ((req: SandboxRequestInfo) => void) | null = null;
let arrivals = 0;
beforeAll(async () => {
  sb = await startSandbox({
    seed: 12,
    latencyMs: 30,
    faults: {
      plan: (req) => {
        if (req.method === 'POST') {
          arrivals++;
          onArrival?.(req);
        }
        return null;
      },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'bi-edited-'));
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The SIGKILL lands as the n-th write of this process reaches the API (which then creates it). */
async function killedAt(args: string[], env: Record<string, string>, n: number) {
  const { child, done } = startCli(args, env);
  let writes = 0;
  onArrival = () => {
    if (++writes === n) child.kill('SIGKILL');
  };
  const out = await done;
  onArrival = null;
  // The Sandbox finishes (and answers, to nobody) the request the killed process sent.
  for (let i = 0; i < 200 && sb.state.log.filter((e) => e.method === 'POST').length < arrivals; i++)
    await new Promise((r) => setTimeout(r, 10));
  return out;
}

function readCsv(path: string): string[][] {
  return Papa.parse<string[]>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true })
    .data;
}

describe('continuing a killed run with an edited file', () => {
  it('refuses with a way forward; following it creates exactly one project per row', async () => {
    const original: Cells[] = [
      ...Array.from({ length: 6 }, (_, i) => tenDlcRow(`Kill ${i + 1}`)),
      invalidRow('Kill 7'),
      tenDlcRow('Kill 8'),
    ];
    const input = join(dir, 'in.csv');
    const journal = join(dir, 'in.jsonl');
    const results = join(dir, 'in.results.csv');
    writeFileSync(input, csv(original));
    const env = { POLITICAL_COMMS_API_KEY: sb.apiKey };
    const args = ['submit', input, '--base-url', sb.baseUrl, '--journal', journal, '--results', results];

    // Killed as the 4th write arrives: Kill 1-3 created, Kill 4 created by the API but not recorded.
    const first = await killedAt(args, env, 4);
    expect(first.signal).toBe('SIGKILL');
    expect(sb.state.projects.map((p) => p.detail.name).sort()).toEqual([
      'Kill 1',
      'Kill 2',
      'Kill 3',
      'Kill 4',
    ]);

    // The user edits the file: a new row on top (every row moves down), Kill 2 (created) and Kill 4
    // (outcome unknown) get a new message, Kill 6 (never sent) too, and Kill 7 is fixed.
    const edited: Cells[] = [
      tenDlcRow('Kill 0 new'),
      tenDlcRow('Kill 1'),
      tenDlcRow('Kill 2', { message_text: 'Edited after it was created' }),
      tenDlcRow('Kill 3'),
      tenDlcRow('Kill 4', { message_text: 'Edited while its outcome was unknown' }),
      tenDlcRow('Kill 5'),
      tenDlcRow('Kill 6', { message_text: 'Edited before it was sent' }),
      tenDlcRow('Kill 7', { message_text: 'Fixed' }),
      tenDlcRow('Kill 8'),
    ];
    writeFileSync(input, csv(edited));

    // Resuming as before is refused, and the refusal names the way that cannot duplicate.
    const refused = await runCli(args, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--continue-edited/);
    expect(refused.stderr).toMatch(/not sent again/);
    expect(refused.stderr).not.toMatch(/submit the results sheet/);
    expect(sb.state.projects).toHaveLength(4);

    // Following it, killed again on its second write, then the same command until it finishes.
    const continued = [...args, '--continue-edited'];
    const second = await killedAt(continued, env, 2);
    expect(second.signal).toBe('SIGKILL');
    let final = await runCli(continued, env);
    for (let i = 0; i < 2 && final.signal !== null; i++) final = await runCli(continued, env);
    expect(final.signal).toBeNull();
    // The same command without the flag now resumes the continued run: nothing left to send.
    const writesBefore = sb.state.log.filter((e) => e.method === 'POST').length;
    const again = await runCli(args, env);
    expect(again.stdout).toContain('Resumed an earlier run');
    expect(sb.state.log.filter((e) => e.method === 'POST').length).toBe(writesBefore);

    // Exactly one project per row name, and every row has one.
    const counts = new Map<string, number>();
    for (const p of sb.state.projects) counts.set(p.detail.name, (counts.get(p.detail.name) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(edited.map((r) => r.name).sort());
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // Edits to a created row were not sent; the fixed and the never-sent rows went with their edits.
    const byName = (n: string) => sb.state.projects.find((p) => p.detail.name === n)!.detail;
    expect(byName('Kill 2').message_text).not.toBe('Edited after it was created');
    expect(byName('Kill 6').message_text).toBe('Edited before it was sent');
    expect(byName('Kill 7').message_text).toBe('Fixed');

    // The results sheet says what happened to each row of the edited file.
    const grid = readCsv(results);
    const h = grid[0]!;
    const row = (name: string) => grid.find((l) => l[h.indexOf('name')] === name)!;
    const status = (name: string) => row(name)[h.indexOf('status')];
    expect(status('Kill 0 new')).toBe('created');
    expect(status('Kill 1')).toBe('created');
    expect(status('Kill 2')).toBe('created');
    expect(status('Kill 7')).toBe('created');
    // Kill 4: the API holds its first body under its key, so the edited one is refused as such.
    expect(status('Kill 4')).toBe('failed');
    expect(row('Kill 4')[h.indexOf('error_code')]).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(row('Kill 4')[h.indexOf('error_message')]).toMatch(/may already exist/);
    expect(final.stderr + second.stderr).toMatch(/edits to it are not sent/);
  }, 60_000);
});
