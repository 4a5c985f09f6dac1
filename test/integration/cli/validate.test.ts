import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { runCli } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bi-validate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'organization_id,name,protocol,message_text,brand_id,campaign_id,phone_number_ids';
const VALID = 'org_1,GOTV,sms,Hi,brand_1,camp_1,pn_1';
const NO_BRAND = 'org_1,Other,sms,Hi,,camp_1,pn_1';

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('validate --json', () => {
  it('prints exactly the documented shape, rows in file order', async () => {
    const p = file('projects.csv', `${HEADER}\n${VALID}\n${NO_BRAND}\n`);
    const r = await runCli(['validate', p, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['file', 'sheet', 'rows', 'summary', 'warnings']);
    expect(out.file).toBe('projects.csv');
    expect(out.sheet).toBeNull();
    expect(out.rows).toEqual([
      { row: 2, valid: true, errors: [], warnings: [] },
      {
        row: 3,
        valid: false,
        errors: [
          { field: 'brand_id', code: 'required_for_10dlc', message: expect.stringContaining('brand_id') },
        ],
        warnings: [],
      },
    ]);
    expect(out.summary).toEqual({ total: 2, valid: 1, invalid: 1 });
    expect(out.warnings).toEqual([]);
  });

  it('two columns filling one field: one file-level error naming them, every row invalid, exit 1', async () => {
    const p = file(
      'twice.csv',
      `${HEADER},Project name\n${VALID},Other name\n${VALID.replace('GOTV', 'B')},x\n`,
    );
    const r = await runCli(['validate', p, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['file', 'sheet', 'rows', 'summary', 'warnings', 'errors']);
    expect(out.errors).toEqual([
      { code: 'mapping_conflict', message: expect.stringContaining('"name", "Project name"') },
    ]);
    expect(out.rows.map((x: { valid: boolean }) => x.valid)).toEqual([false, false]);
    expect(out.summary).toEqual({ total: 2, valid: 0, invalid: 2 });
    const human = await runCli(['validate', p]);
    expect(human.code).toBe(1);
    expect(human.stdout.match(/^error: .*"Project name"/gm)).toHaveLength(1);
  });

  it('exits 0 when every row is valid and lists unmapped columns in the top-level warnings', async () => {
    const p = file('ok.csv', `${HEADER},Notes\n${VALID},call back\n`);
    const r = await runCli(['validate', p, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.warnings).toEqual([{ code: 'unmapped_columns', message: expect.stringContaining('"Notes"') }]);
  });

  it('uses --org for rows without an organization', async () => {
    const p = file(
      'noorg.csv',
      'name,protocol,message_text,brand_id,campaign_id,phone_number_ids\nA,sms,Hi,b,c,pn_1\n',
    );
    expect((await runCli(['validate', p])).code).toBe(1);
    expect((await runCli(['validate', p, '--org', 'org_9'])).code).toBe(0);
  });

  it('reads a named sheet of a workbook and a given header row', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['cover page']]), 'Cover');
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['Projects for May'],
        [],
        HEADER.split(','),
        VALID.split(','),
        NO_BRAND.split(','),
      ]),
      'Data',
    );
    const p = file('book.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }));
    const r = await runCli(['validate', p, '--sheet', 'Data', '--header-row', '3', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.sheet).toBe('Data');
    expect(out.rows.map((x: { row: number; valid: boolean }) => [x.row, x.valid])).toEqual([
      [4, true],
      [5, false],
    ]);
    expect(r.code).toBe(1);
  });
});

describe('validate, human output', () => {
  it('prints a summary, then one line per issue with row, field and severity', async () => {
    const p = file('human.csv', `${HEADER}\n${VALID}\n${NO_BRAND}\n`);
    const r = await runCli(['validate', p]);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('human.csv: 2 rows, 1 valid, 1 invalid, 0 warnings');
    expect(lines[1]).toMatch(/^row 3\s+brand_id\s+error\s+brand_id is required for a 10DLC project/);
  });
});

describe('validate, errors', () => {
  it('exits 2 with a message for a missing file', async () => {
    const r = await runCli(['validate', join(dir, 'nope.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
    expect(r.stdout).toBe('');
  });
  it('exits 2 for an empty file', async () => {
    const r = await runCli(['validate', file('empty.csv', '')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Cannot read empty.csv: /);
  });
  it('exits 2 for a corrupt workbook', async () => {
    const r = await runCli([
      'validate',
      file('broken.xlsx', Buffer.from('PK\u0003\u0004 this is not a zip')),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Cannot read broken.xlsx: /);
  });
  it('exits 2 on usage errors', async () => {
    expect((await runCli(['validate'])).code).toBe(2);
    expect((await runCli(['validate', 'a.csv', '--header-row', 'x'])).code).toBe(2);
    expect((await runCli(['validate', 'a.csv', '--bogus'])).code).toBe(2);
    expect((await runCli(['nonsense'])).code).toBe(2);
  });
  it('--sheet on a CSV is a usage error that says why', async () => {
    const r = await runCli(['validate', file('s.csv', `${HEADER}\n${VALID}\n`), '--sheet', 'X']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no sheets/);
  });
});
