/** `submit` as a child process: exit codes, results files, resume, dry run, output streams. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import { RESULT_COLUMNS } from '../../../src/shared/results';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { csv, invalidRow, tenDlcRow, validRows } from '../../unit/engine/helpers';
import { runCli } from './cli-helpers';

let sb: RunningSandbox;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  sb = await startSandbox({ seed: 5 });
  dir = mkdtempSync(join(tmpdir(), 'bi-cli-'));
  env = { POLITICAL_COMMS_API_KEY: sb.apiKey };
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function readCsv(path: string): string[][] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

describe('submit command', () => {
  it('exit 0 when every row is created; CSV results beside the input; the journal beside the results', async () => {
    const input = file('all-valid.csv', csv(validRows(3, 'CLI ok')));
    const r = await runCli(['submit', input, '--base-url', sb.baseUrl], env);
    expect(r.stderr).toContain('row 4: created proj_');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 row\(s\), 3 created, 0 failed, 0 invalid/);
    const results = join(dir, 'all-valid.results.csv');
    const grid = readCsv(results);
    expect(grid[0]?.slice(-RESULT_COLUMNS.length)).toEqual([...RESULT_COLUMNS]);
    expect(grid.slice(1).map((row) => row[grid[0]!.indexOf('status')])).toEqual([
      'created',
      'created',
      'created',
    ]);
    const journal = join(dir, 'all-valid.results.journal.jsonl');
    expect(existsSync(journal)).toBe(true);
    for (const text of [r.stdout, r.stderr, readFileSync(results, 'utf8'), readFileSync(journal, 'utf8')]) {
      expect(text).not.toContain(sb.apiKey);
    }
  });

  it('exit 1 when a row is not created; XLSX results; the same command again resumes instead of starting over', async () => {
    const input = file(
      'mixed.csv',
      csv([tenDlcRow('CLI mixed 1'), invalidRow('CLI mixed 2'), tenDlcRow('CLI mixed 3')]),
    );
    const out = join(dir, 'mixed-out.xlsx');
    const journal = join(dir, 'mixed.jsonl');
    const args = ['submit', input, '--base-url', sb.baseUrl, '--results', out, '--journal', journal];
    const first = await runCli(args, env);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/row 3, message_text \(error\)/);
    const wb = XLSX.read(readFileSync(out));
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames[0]!]!);
    expect(rows.map((x) => x.status)).toEqual(['created', 'invalid', 'created']);

    const postsBefore = sb.state.log.filter((e) => e.method === 'POST').length;
    const second = await runCli(args, env);
    expect(second.code).toBe(1);
    expect(second.stdout).toContain('Resumed an earlier run');
    expect(sb.state.log.filter((e) => e.method === 'POST').length).toBe(postsBefore);
    expect(sb.state.listProjects({ name: 'CLI mixed 1' })).toHaveLength(1);

    const other = file('other.csv', csv(validRows(1, 'CLI other')));
    const refused = await runCli(
      ['submit', other, '--base-url', sb.baseUrl, '--results', out, '--journal', journal],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot be resumed: it holds a run of another file/);
  });

  it('dry run: the pre-flight only, nothing created, exit 1 when a row would not be created', async () => {
    const input = file(
      'dry.csv',
      csv([tenDlcRow('CLI dry 1'), tenDlcRow('CLI dry 2', { brand_id: 'brand_missing' })]),
    );
    const out = join(dir, 'dry-out.csv');
    const r = await runCli(['submit', input, '--base-url', sb.baseUrl, '--dry-run', '--results', out], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/row 3, brand_id \(error\): Brand brand_missing is not a brand of organization/);
    expect(r.stdout).toMatch(/1 would be sent, 1 invalid/);
    expect(sb.state.listProjects({ name: 'CLI dry 1' })).toHaveLength(0);
    expect(
      readCsv(out)
        .slice(1)
        .map((row) => row.at(-RESULT_COLUMNS.length)),
    ).toEqual(['not_sent', 'invalid']);
    expect(existsSync(join(dir, 'dry-out.journal.jsonl'))).toBe(false);
  });

  it('exit 2 for usage errors, an unreadable file, a missing key, and a run stopped by the account', async () => {
    const input = file('usage.csv', csv(validRows(1, 'CLI usage')));
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['submit'], env, /Give the file to submit/],
      [['submit', input, '--nope'], env, /Unknown option/],
      [['submit', input, '--results', join(dir, 'x.txt')], env, /--results must name a \.xlsx or \.csv file/],
      [['submit', join(dir, 'missing.csv'), '--base-url', sb.baseUrl], env, /no such file/],
      [['submit', input, '--base-url', sb.baseUrl], {}, /Set POLITICAL_COMMS_API_KEY/],
      [
        ['submit', input, '--base-url', sb.baseUrl],
        { POLITICAL_COMMS_API_KEY: 'pc_live_wrong_key' },
        /refused the key/,
      ],
    ];
    for (const [args, e, pattern] of cases) {
      const r = await runCli(args, e);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr + r.stdout).toMatch(pattern);
      expect(r.stderr + r.stdout).not.toContain('pc_live_wrong_key');
    }
  });

  it('--help prints the options', async () => {
    const r = await runCli(['submit', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--journal PATH/);
  });
});
