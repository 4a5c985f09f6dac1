import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { runCli } from './run-cli';
import { FIELD_NAMES } from '../../../src/shared/schema/fields';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bi-template-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('template', () => {
  it('writes an XLSX with every API field as a column, example rows and a sheet explaining each column', async () => {
    const out = join(dir, 't.xlsx');
    const r = await runCli(['template', out]);
    expect(r.code).toBe(0);
    const wb = XLSX.read(readFileSync(out));
    expect(wb.SheetNames).toEqual(['Projects', 'Columns']);
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['Projects']!, { header: 1, raw: false });
    expect(rows[0]).toEqual([...FIELD_NAMES]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const help = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['Columns']!, { header: 1 });
    expect(help.slice(1).map((h) => h[0])).toEqual([...FIELD_NAMES]);
  });

  it('writes a CSV whose example rows are all valid', async () => {
    const out = join(dir, 't.csv');
    expect((await runCli(['template', out])).code).toBe(0);
    const v = await runCli(['validate', out, '--json']);
    const res = JSON.parse(v.stdout);
    expect(res.summary.invalid).toBe(0);
    expect(res.summary.total).toBeGreaterThanOrEqual(3);
    expect(v.code).toBe(0);
  });

  it('refuses other extensions', async () => {
    const r = await runCli(['template', join(dir, 't.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.xlsx or \.csv/);
  });
});
