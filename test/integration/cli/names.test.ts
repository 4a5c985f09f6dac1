/**
 * A sheet written the way people write it (friendly headers, names in every reference cell, numbers
 * typed as `(555) 010-0101`, list cells of names) through the command line against a real Sandbox:
 * `validate --account` resolves each name and says what it became once, offers "Did you mean" for an
 * unknown name and names both entities of an ambiguous one; `--json` carries the ids beside the
 * cells; `submit` sends the ids, and `--dry-run` sends nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BRAND_ACTION_FUND,
  BRAND_RIVERA,
  CAMP_ACTION_PHONE_BANK,
  CAMP_ACTION_PHONE_BANK_COPY,
  CAMP_RIVERA_FUNDRAISING,
  CAMP_RIVERA_GOTV,
  CL_RIVERA_DO_NOT_CONTACT,
  CL_RIVERA_DONORS,
  CL_RIVERA_SUPPORTERS,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  SEED,
  startSandbox,
  TD_RIVERA,
  type RunningSandbox,
} from '../../../src/sandbox';
import { runCli } from '../engine/cli-helpers';

let sb: RunningSandbox;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  sb = await startSandbox({ seed: 23 });
  dir = mkdtempSync(join(tmpdir(), 'bi-cli-names-'));
  env = { POLITICAL_COMMS_API_KEY: sb.apiKey };
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A seed number as people type it: `(555) 010-0101`. */
function typed(id: string): string {
  const n = SEED.phone_numbers.find((p) => p.id === id)?.number;
  if (!n) throw new Error(`no number ${id} in the seed`);
  const d = n.replace(/\D/g, '').slice(1);
  return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
}

const GOTV = PHONE_NUMBER_IDS.riveraGotv;
const FUNDRAISING = PHONE_NUMBER_IDS.riveraFundraising;

const HEADERS = [
  'Organization',
  'Project name',
  'Type',
  'Brand',
  'Campaign',
  'Numbers',
  'Lists',
  'Suppress',
  'Message',
  'Link?',
  'URL',
  'Tracking domain',
];

function sheet(name: string, rows: string[][]): string {
  const cell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const p = join(dir, name);
  writeFileSync(p, [HEADERS, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n');
  return p;
}

/** Two rows of names that all resolve, and one row written with ids. */
function goodRows(tag: string): string[][] {
  return [
    [
      'Rivera for Senate',
      `${tag} GOTV reminder`,
      'SMS',
      'Rivera for Senate',
      'rivera gotv 2026',
      `${typed(GOTV[0])}; ${typed(GOTV[1])}`,
      'Statewide supporters; Do not contact (Rivera)',
      '',
      'Hi {first_name}, polls are open until 8pm: {link}',
      'yes',
      'https://rivera-senate.example/vote',
      'go.rivera-senate.example',
    ],
    [
      'rivera for senate',
      `${tag} Fundraising ask`,
      'SMS',
      'Rivera for Senate',
      'Rivera Fundraising',
      typed(FUNDRAISING[0]),
      '2024 donors',
      'Do not contact (Rivera)',
      'Hi {first_name}, can you chip in $5 tonight?',
      'no',
      '',
      '',
    ],
    [
      ORG_SENATE,
      `${tag} Ids only`,
      'SMS',
      BRAND_RIVERA,
      CAMP_RIVERA_GOTV,
      GOTV[2],
      CL_RIVERA_SUPPORTERS,
      '',
      'Hi {first_name}, thanks for your support.',
      'no',
      '',
      '',
    ],
  ];
}

const validate = (file: string, ...more: string[]) =>
  runCli(['validate', file, '--account', '--base-url', sb.baseUrl, ...more], env);

const projectPosts = () =>
  sb.state.log.filter((e) => e.method === 'POST' && e.path.endsWith('/projects')).length;

describe('validate --account with a sheet of names', () => {
  it('resolves every name and says what each became once, with how many rows use it', async () => {
    const r = await validate(sheet('good.csv', goodRows('v')));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^good\.csv: 3 rows, 3 valid, 0 invalid/);
    const lines = r.stdout.split('\n');
    const said = (text: string) => lines.filter((l) => l.includes(text));
    expect(said(`“Rivera for Senate” is organization Rivera for Senate (${ORG_SENATE}): 1 row`)).toHaveLength(
      1,
    );
    expect(said(`“rivera for senate” is organization Rivera for Senate (${ORG_SENATE}): 1 row`)).toHaveLength(
      1,
    );
    expect(said(`“Rivera for Senate” is brand Rivera for Senate (${BRAND_RIVERA}): 2 rows`)).toHaveLength(1);
    expect(said(`“rivera gotv 2026” is campaign Rivera GOTV 2026 (${CAMP_RIVERA_GOTV}): 1 row`)).toHaveLength(
      1,
    );
    expect(
      said(`“Rivera Fundraising” is campaign Rivera Fundraising (${CAMP_RIVERA_FUNDRAISING})`),
    ).toHaveLength(1);
    expect(said(`“${typed(GOTV[1])}” is phone number +1 555-`)[0]).toContain(`(${GOTV[1]}): 1 row`);
    expect(
      said(`“Statewide supporters” is contact list Statewide supporters (${CL_RIVERA_SUPPORTERS})`),
    ).toHaveLength(1);
    expect(
      said(
        `“Do not contact (Rivera)” is contact list Do not contact (Rivera) (${CL_RIVERA_DO_NOT_CONTACT}): 1 row`,
      ),
    ).toHaveLength(1);
    expect(
      said(
        `“Do not contact (Rivera)” is suppression list Do not contact (Rivera) (${CL_RIVERA_DO_NOT_CONTACT}): 1 row`,
      ),
    ).toHaveLength(1);
    expect(
      said(`“go.rivera-senate.example” is tracking domain go.rivera-senate.example (${TD_RIVERA})`),
    ).toHaveLength(1);
    // The row of ids has nothing to say; no advice about the account when it was used.
    expect(r.stdout).not.toContain(CL_RIVERA_DONORS + '): 2');
    expect(r.stdout).not.toContain('--account');
  });

  it('offers the closest name for an unknown one, and names both campaigns of an ambiguous one', async () => {
    const rows = goodRows('u');
    rows[0]![4] = 'Rivera GOTV 2062';
    rows.push([
      'Forward Together PAC',
      'u Phone bank',
      'SMS',
      'Forward Together Action Fund',
      'Action Fund Phone Bank',
      typed(PHONE_NUMBER_IDS.actionPhoneBank[0]),
      'Action Fund volunteers',
      '',
      'Hi {first_name}, can you make calls Saturday?',
      'no',
      '',
      '',
    ]);
    const r = await validate(sheet('mistakes.csv', rows));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^mistakes\.csv: 4 rows, 2 valid, 2 invalid/);
    expect(r.stdout).toMatch(
      /row 2 +campaign_id +error +Campaign “Rivera GOTV 2062” is not a campaign of brand Rivera for Senate\. Did you mean Rivera GOTV 2026/,
    );
    expect(r.stdout).toContain(
      'fix: Did you mean Rivera GOTV 2026? (“Rivera GOTV 2062” → “Rivera GOTV 2026”)',
    );
    const ambiguous = r.stdout.split('\n').find((l) => /^row 5 +campaign_id +error/.test(l)) ?? '';
    expect(ambiguous).toContain('Action Fund Phone Bank');
    expect(ambiguous).toContain(CAMP_ACTION_PHONE_BANK);
    expect(ambiguous).toContain(CAMP_ACTION_PHONE_BANK_COPY);
    // Names that did resolve are still said, and the row of ids is valid.
    expect(r.stdout).toContain(`“Forward Together PAC” is organization Forward Together PAC (${ORG_PAC})`);
    expect(r.stdout).toContain(
      `“Forward Together Action Fund” is brand Forward Together Action Fund (${BRAND_ACTION_FUND})`,
    );
  });

  it('--json adds each row’s resolved ids and the fixes, and keeps the documented shape', async () => {
    const rows = goodRows('j');
    rows[1]![6] = '2024 donorz';
    const r = await validate(sheet('json.csv', rows), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      file: string;
      rows: Array<{
        row: number;
        valid: boolean;
        errors: Array<{ field: string; code: string; message: string; fixes?: unknown[] }>;
        warnings: unknown[];
        resolved?: Record<string, Array<{ from: string; to: string; label: string }>>;
      }>;
      summary: { total: number; valid: number; invalid: number };
      warnings: unknown[];
    };
    expect(Object.keys(out)).toEqual(['file', 'sheet', 'rows', 'summary', 'warnings']);
    expect(out.summary).toEqual({ total: 3, valid: 2, invalid: 1 });
    const [first, second, third] = out.rows;
    expect(Object.keys(first!)).toEqual(['row', 'valid', 'errors', 'warnings', 'resolved']);
    expect(first!.resolved).toEqual({
      organization_id: [{ from: 'Rivera for Senate', to: ORG_SENATE, label: 'Rivera for Senate' }],
      brand_id: [{ from: 'Rivera for Senate', to: BRAND_RIVERA, label: 'Rivera for Senate' }],
      campaign_id: [{ from: 'rivera gotv 2026', to: CAMP_RIVERA_GOTV, label: 'Rivera GOTV 2026' }],
      phone_number_ids: [
        { from: typed(GOTV[0]), to: GOTV[0], label: expect.stringMatching(/^\+1 555-/) },
        { from: typed(GOTV[1]), to: GOTV[1], label: expect.stringMatching(/^\+1 555-/) },
      ],
      link_tracking_domain_id: [
        { from: 'go.rivera-senate.example', to: TD_RIVERA, label: 'go.rivera-senate.example' },
      ],
      contact_list_ids: [
        { from: 'Statewide supporters', to: CL_RIVERA_SUPPORTERS, label: 'Statewide supporters' },
        { from: 'Do not contact (Rivera)', to: CL_RIVERA_DO_NOT_CONTACT, label: 'Do not contact (Rivera)' },
      ],
    });
    expect(second!.valid).toBe(false);
    expect(second!.errors).toEqual([
      {
        field: 'contact_list_ids',
        code: 'contact_list_not_found',
        message: expect.stringContaining('Did you mean 2024 donors'),
        fixes: [
          { label: 'Did you mean 2024 donors?', replace: '2024 donorz', with: '2024 donors' },
          { label: 'Did you mean 2025 donors?', replace: '2024 donorz', with: '2025 donors' },
        ],
      },
    ]);
    expect(second!.resolved?.campaign_id).toEqual([
      { from: 'Rivera Fundraising', to: CAMP_RIVERA_FUNDRAISING, label: 'Rivera Fundraising' },
    ]);
    // A row of ids has nothing resolved: no key, exactly as without an account.
    expect(third).toEqual({ row: 4, valid: true, errors: [], warnings: [] });
  });
});

describe('validate without an account', () => {
  it('still works offline and says once how many references are names, and how to resolve them', async () => {
    const r = await runCli(['validate', sheet('offline.csv', goodRows('o'))], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const advice = r.stdout.split('\n').filter((l) => l.includes('only your account can turn into ids'));
    expect(advice).toHaveLength(1);
    // Organization, brand, campaign, two numbers, two lists and the domain in the first row; six in the second.
    expect(advice[0]).toMatch(
      /^warning: 14 references in 2 rows are names \(organization_id “Rivera for Senate”/,
    );
    expect(advice[0]).toContain('--account');
    expect(r.stdout).not.toContain(' is campaign ');
  });

  it('refuses --base-url without --account', async () => {
    const r = await runCli(['validate', sheet('lone.csv', goodRows('l')), '--base-url', sb.baseUrl], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--base-url goes with --account');
  });

  it('says what is wrong when the key is refused or the API cannot be reached, and checks nothing', async () => {
    const file = sheet('badkey.csv', goodRows('b'));
    const refused = await runCli(['validate', file, '--account', '--base-url', sb.baseUrl], {
      POLITICAL_COMMS_API_KEY: 'pc_test_not_a_real_key_000000',
    });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/The API refused the key .*POLITICAL_COMMS_API_KEY.*No row was checked\./);
    expect(refused.stderr).not.toContain('resumes');
    const missing = await runCli(['validate', file, '--account', '--base-url', sb.baseUrl], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Set POLITICAL_COMMS_API_KEY');
    const away = await runCli(['validate', file, '--account', '--base-url', 'http://127.0.0.1:9/v1'], env);
    expect(away.code).toBe(2);
    expect(away.stderr).toMatch(/cannot be reached.*No row was checked\./);
  });
});

describe('submit with a sheet of names', () => {
  it('--dry-run says the ids that would be sent and sends nothing', async () => {
    const before = projectPosts();
    // Every row names its organization: its lists are read all the same.
    const rows = goodRows('d').slice(0, 2);
    const r = await runCli(['submit', sheet('dry.csv', rows), '--dry-run', '--base-url', sb.baseUrl], env);
    expect(r.stderr).not.toContain('could not be looked up');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 would be sent, 0 invalid');
    expect(r.stdout).toContain('Names resolved against the account (these ids would be sent):');
    expect(r.stdout).toContain(
      `“rivera gotv 2026” is campaign Rivera GOTV 2026 (${CAMP_RIVERA_GOTV}): 1 row`,
    );
    expect(r.stdout).toContain(`“Rivera for Senate” is brand Rivera for Senate (${BRAND_RIVERA}): 2 rows`);
    expect(projectPosts()).toBe(before);
    expect(sb.state.projects.filter((p) => (p.detail as { name: string }).name.startsWith('d '))).toEqual([]);
  });

  it('--dry-run prints an unknown name’s finding with its fix, and sends nothing', async () => {
    const before = projectPosts();
    const rows = goodRows('f');
    rows[1]![4] = 'Rivera Fundraisin';
    const r = await runCli(['submit', sheet('fix.csv', rows), '--dry-run', '--base-url', sb.baseUrl], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 would be sent, 1 invalid');
    expect(r.stderr).toMatch(
      /row 3, campaign_id \(error\): Campaign “Rivera Fundraisin” is not a campaign of brand Rivera for Senate\./,
    );
    expect(r.stderr).toContain(
      '  fix: Did you mean Rivera Fundraising? (“Rivera Fundraisin” → “Rivera Fundraising”)',
    );
    expect(projectPosts()).toBe(before);
  });

  it('creates the projects with ids in their bodies, and says what each name became', async () => {
    const r = await runCli(['submit', sheet('send.csv', goodRows('s')), '--base-url', sb.baseUrl], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 created, 0 failed');
    expect(r.stdout).toContain('Names resolved against the account (sent as ids):');
    expect(r.stdout).toContain(`“${typed(FUNDRAISING[0])}” is phone number`);
    const bodies = sb.state.projects
      .map((p) => p.body as Record<string, unknown>)
      .filter((b) => String(b.name).startsWith('s '));
    expect(bodies).toHaveLength(3);
    const byName = new Map(bodies.map((b) => [b.name, b]));
    expect(byName.get('s GOTV reminder')).toMatchObject({
      organization_id: ORG_SENATE,
      brand_id: BRAND_RIVERA,
      campaign_id: CAMP_RIVERA_GOTV,
      phone_number_ids: [GOTV[0], GOTV[1]],
      contact_list_ids: [CL_RIVERA_SUPPORTERS, CL_RIVERA_DO_NOT_CONTACT],
      link_tracking_domain_id: TD_RIVERA,
    });
    expect(byName.get('s Fundraising ask')).toMatchObject({
      organization_id: ORG_SENATE,
      campaign_id: CAMP_RIVERA_FUNDRAISING,
      phone_number_ids: [FUNDRAISING[0]],
      contact_list_ids: [CL_RIVERA_DONORS],
      suppression_list_ids: [CL_RIVERA_DO_NOT_CONTACT],
    });
    expect(byName.get('s Ids only')).toMatchObject({
      organization_id: ORG_SENATE,
      campaign_id: CAMP_RIVERA_GOTV,
    });
  });
});
