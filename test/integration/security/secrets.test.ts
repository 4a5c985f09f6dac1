/**
 * The API key leaves the process only in the X-API-Key header: it is in no journal, results file
 * (CSV or XLSX, whatever the outcome of each row) or line the `submit` command prints, on the paths
 * where messages are built from API answers: retries after 5xx, resets and 429s, API refusals, a
 * refused key, a key without access to an organization, a dry run.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { startSandbox, SANDBOX_SENATE_KEY, type RunningSandbox } from '../../../src/sandbox';
import { csv, invalidRow, pacRow, tenDlcRow } from '../../unit/engine/helpers';
import { runCli, type CliResult } from '../engine/cli-helpers';

let sb: RunningSandbox;
let dir: string;

beforeAll(async () => {
  // A short rate-limit window, so that a scripted 429 asks for a wait of a second or two, not a minute.
  sb = await startSandbox({ seed: 11, windowMs: 2000 });
  dir = mkdtempSync(join(tmpdir(), 'bi-secrets-'));
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every file the run left in its folder, as text (XLSX: every cell of every sheet too). */
function everyFileText(folder: string): { name: string; text: string }[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (!statSync(path).isFile()) return [];
    const bytes = readFileSync(path);
    const texts = [{ name, text: bytes.toString('utf8') }];
    if (name.endsWith('.xlsx')) {
      const wb = XLSX.read(bytes, { type: 'buffer' });
      for (const s of wb.SheetNames) {
        texts.push({ name: `${name} [${s}]`, text: XLSX.utils.sheet_to_csv(wb.Sheets[s]!) });
      }
    }
    return texts;
  });
}

/** The key, and the parts of it a careless message might keep (a prefix shown "for reference"). */
function leaks(text: string, key: string): string[] {
  const found: string[] = [];
  if (text.includes(key)) found.push('the whole key');
  const secret = key.replace(/^pc_(live|test)_/, '');
  if (secret.length >= 12 && text.includes(secret.slice(-12))) found.push('the end of the key');
  return found;
}

function expectNoKey(key: string, folder: string, runs: CliResult[]): void {
  for (const f of everyFileText(folder)) expect(leaks(f.text, key), f.name).toEqual([]);
  for (const r of runs) {
    expect(leaks(r.stdout, key), 'stdout').toEqual([]);
    expect(leaks(r.stderr, key), 'stderr').toEqual([]);
  }
}

describe('the API key', () => {
  it('is in no journal, results file or output after retries, refusals and a resume', async () => {
    const d = join(dir, 'faults');
    mkdirSync(d);
    const input = join(dir, 'faults.csv');
    writeFileSync(
      input,
      csv([
        tenDlcRow('Secret 1'),
        tenDlcRow('Secret 2'),
        invalidRow('Secret invalid'),
        tenDlcRow('Secret 3'),
        pacRow('Secret 4'),
      ]),
    );
    sb.state.pushFaults('500', 'reset_after', '429');
    const env = { POLITICAL_COMMS_API_KEY: sb.apiKey };
    const base = ['--base-url', sb.baseUrl, '--journal', join(d, 'run.jsonl')];
    const first = await runCli(['submit', input, ...base, '--results', join(d, 'results.xlsx')], env);
    // Once more with a CSV results file: the run resumes from its journal.
    const again = await runCli(['submit', input, ...base, '--results', join(d, 'results.csv')], env);
    expect(first.code).toBe(1);
    expect(again.stdout).toContain('Resumed');
    expect(readFileSync(join(d, 'results.csv'), 'utf8')).toContain('created');
    expectNoKey(sb.apiKey, d, [first, again]);
  }, 60_000);

  it('is not repeated when the API refuses it, nor when it lacks access to an organization', async () => {
    const d = join(dir, 'refused');
    mkdirSync(d);
    const input = join(dir, 'refused.csv');
    writeFileSync(input, csv([tenDlcRow('Refused 1'), pacRow('Refused 2')]));
    const wrong = 'pc_live_Zq8vN3mT6yR1wK4pL7sD2fG5hJ9cX0bA';
    const refused = await runCli(
      [
        'submit',
        input,
        '--base-url',
        sb.baseUrl,
        '--journal',
        join(d, 'a.jsonl'),
        '--results',
        join(d, 'a.csv'),
      ],
      { POLITICAL_COMMS_API_KEY: wrong },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr + refused.stdout).toMatch(/key/i);
    expectNoKey(wrong, d, [refused]);

    // A key for one organization only, with a row for another.
    const scoped = await runCli(
      [
        'submit',
        input,
        '--base-url',
        sb.baseUrl,
        '--journal',
        join(d, 'b.jsonl'),
        '--results',
        join(d, 'b.csv'),
      ],
      { POLITICAL_COMMS_API_KEY: SANDBOX_SENATE_KEY },
    );
    expect(scoped.code).not.toBe(0);
    expectNoKey(SANDBOX_SENATE_KEY, d, [scoped]);
  }, 60_000);

  it('is not in the output of a dry run', async () => {
    const input = join(dir, 'dry.csv');
    writeFileSync(input, csv([tenDlcRow('Dry 1'), invalidRow('Dry 2')]));
    const r = await runCli(['submit', input, '--base-url', sb.baseUrl, '--dry-run'], {
      POLITICAL_COMMS_API_KEY: sb.apiKey,
    });
    expect(r.code).toBe(1);
    expectNoKey(sb.apiKey, dir, [r]);
  }, 60_000);

  it('journal files are readable by their owner only', async () => {
    if (process.platform === 'win32') return;
    const d = join(dir, 'faults');
    const mode = statSync(join(d, 'run.jsonl')).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});
