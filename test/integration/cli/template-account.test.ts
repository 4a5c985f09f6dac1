/**
 * `template --account`: the account's names fetched through the official SDK from the Sandbox, a
 * Lookup sheet and dropdowns, and a file LibreOffice opens with the dropdowns intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as XLSX from 'xlsx';
import { runCli } from './run-cli';
import {
  CAMP_ACTION_PHONE_BANK,
  CL_PAC_VOLUNTEERS,
  CL_RIVERA_VOLUNTEERS,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  SANDBOX_API_KEY,
  SANDBOX_SENATE_KEY,
  startSandbox,
  type RunningSandbox,
} from '../../../src/sandbox';
import { loadAccount } from '../../../src/engine/account';
import { readListValidations } from '../../../src/shared/template/validation';
import { FIELD_NAMES } from '../../../src/shared/schema/fields';
import { columnName } from '../../../src/shared/sheet';
import { LOOKUP_SHEET } from '../../../src/shared/template/account';
import { AccountNames } from '../../../src/shared/account/resolve';

const run = promisify(execFile);
const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

let sb: RunningSandbox;
let dir: string;
beforeAll(async () => {
  sb = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'bi-template-account-'));
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

const col = (field: (typeof FIELD_NAMES)[number]) => columnName(FIELD_NAMES.indexOf(field));

function lookupValues(wb: XLSX.WorkBook, source: string): string[] {
  const m = /^Lookup!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(source);
  if (!m) throw new Error(`not a Lookup range: ${source}`);
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[LOOKUP_SHEET]!, {
    header: 1,
    defval: '',
    raw: false,
  });
  const c = XLSX.utils.decode_col(m[1]!);
  return rows.slice(Number(m[2]) - 1, Number(m[4])).map((r) => r[c]!);
}

describe('the account snapshot for the template', () => {
  it('is read through the SDK from the Sandbox, every organization the key reaches', async () => {
    const { snapshot, stop } = await loadAccount({
      apiKey: SANDBOX_API_KEY,
      baseUrl: sb.baseUrl,
      organizationIds: 'all',
      source: sb.baseUrl,
      audience: 'cli',
    });
    expect(stop).toBeNull();
    const snap = snapshot!;
    expect(snap.organizations?.map((o) => o.id)).toEqual([ORG_SENATE, ORG_PAC]);
    expect(snap.unavailable).toEqual([]);
    const names = new AccountNames(snap);
    expect(names.resolve('contact_list_ids', 'Volunteers', { organizationId: ORG_SENATE })).toMatchObject({
      id: CL_RIVERA_VOLUNTEERS,
    });
    expect(names.resolve('contact_list_ids', 'Volunteers', { organizationId: ORG_PAC })).toMatchObject({
      id: CL_PAC_VOLUNTEERS,
    });
    expect(names.resolve('phone_number_ids', 'main line', { organizationId: ORG_SENATE })).toMatchObject({
      kind: 'name',
      id: PHONE_NUMBER_IDS.senateShared[0],
    });
  });
});

describe('template --account', () => {
  it('writes the Lookup sheet and dropdowns on the reference columns', async () => {
    const out = join(dir, 'account.xlsx');
    const r = await runCli(['template', '--account', '--base-url', sb.baseUrl, out], {
      env: { POLITICAL_COMMS_API_KEY: SANDBOX_API_KEY },
    });
    expect(r.stderr).toContain('Read 2 organizations');
    expect(r.code).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    const wb = XLSX.read(bytes);
    expect(wb.SheetNames).toEqual(['Projects', 'Columns', LOOKUP_SHEET]);
    const v = readListValidations(bytes, 'Projects');
    const on = (field: (typeof FIELD_NAMES)[number]) => v.find((x) => x.sqref.startsWith(`${col(field)}2:`));
    expect(lookupValues(wb, on('organization_id')!.source)).toEqual([
      'Forward Together PAC',
      'Rivera for Senate',
    ]);
    expect(lookupValues(wb, on('campaign_id')!.source)).toContain(
      `Action Fund Phone Bank (${CAMP_ACTION_PHONE_BANK})`,
    );
    expect(lookupValues(wb, on('phone_number_ids')!.source)).toContain('Main line (+1 555-010-0163)');
    expect(lookupValues(wb, on('contact_list_ids')!.source).filter((x) => x === 'Volunteers')).toHaveLength(
      2,
    );
    expect(on('suppression_list_ids')?.source).toBe(on('contact_list_ids')?.source);
    expect(on('link_tracking_domain_id')).toBeDefined();
    expect(on('toll_free_verification_id')).toBeDefined();
    expect(on('message_text')).toBeUndefined();
  });

  it('says what is wrong when the key is refused, the key is missing, or the file is a CSV', async () => {
    const out = join(dir, 'refused.xlsx');
    const refused = await runCli(['template', '--account', '--base-url', sb.baseUrl, out], {
      env: { POLITICAL_COMMS_API_KEY: 'pc_test_not_a_key' },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/The API refused the key.*POLITICAL_COMMS_API_KEY/s);
    expect(existsSync(out)).toBe(false);
    const missing = await runCli(['template', '--account', '--base-url', sb.baseUrl, out], {
      env: { POLITICAL_COMMS_API_KEY: '' },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Set POLITICAL_COMMS_API_KEY/);
    const csv = await runCli(['template', '--account', join(dir, 'x.csv')]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/must be a \.xlsx file/);
    const stray = await runCli(['template', '--base-url', sb.baseUrl, join(dir, 'y.xlsx')]);
    expect(stray.code).toBe(2);
  });

  it('with a key for one organization, lists only that organization', async () => {
    const out = join(dir, 'senate.xlsx');
    const r = await runCli(['template', '--account', '--base-url', sb.baseUrl, out], {
      env: { POLITICAL_COMMS_API_KEY: SANDBOX_SENATE_KEY },
    });
    expect(r.code).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    const org = readListValidations(bytes, 'Projects').find((x) => x.sqref.startsWith('A2:'))!;
    expect(lookupValues(XLSX.read(bytes), org.source)).toEqual(['Rivera for Senate']);
  });

  it.skipIf(!SOFFICE)(
    SOFFICE
      ? 'opens in LibreOffice with the dropdowns intact (re-saved as XLSX and read back)'
      : 'opens in LibreOffice with the dropdowns intact: SKIPPED, LibreOffice (soffice) is not installed (apt-get install libreoffice-calc-nogui)',
    async () => {
      const out = join(dir, 'lo-source.xlsx');
      expect(
        (
          await runCli(['template', '--account', '--base-url', sb.baseUrl, out], {
            env: { POLITICAL_COMMS_API_KEY: SANDBOX_API_KEY },
          })
        ).code,
      ).toBe(0);
      const converted = join(dir, 'lo');
      mkdirSync(converted);
      // A profile of its own, so a LibreOffice already running elsewhere is not reused.
      await run(
        SOFFICE!,
        [
          `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
          '--headless',
          '--convert-to',
          'xlsx',
          '--outdir',
          converted,
          out,
        ],
        { timeout: 240_000 },
      );
      const resaved = new Uint8Array(readFileSync(join(converted, 'lo-source.xlsx')));
      const original = readListValidations(new Uint8Array(readFileSync(out)), 'Projects');
      const after = readListValidations(resaved, 'Projects');
      // LibreOffice keeps every dropdown: the same columns, over the same Lookup ranges.
      const shape = (list: typeof after) =>
        list.map((x) => ({
          column: x.sqref.replace(/\d.*$/, ''),
          source: x.source.replace(/^'?Lookup'?!/, 'Lookup!'),
        }));
      expect(original.length).toBe(9);
      expect(shape(after)).toEqual(shape(original));
      const wb = XLSX.read(resaved);
      expect(lookupValues(wb, after.find((x) => x.sqref.startsWith('A2'))!.source)).toEqual([
        'Forward Together PAC',
        'Rivera for Senate',
      ]);
    },
    300_000,
  );
});
