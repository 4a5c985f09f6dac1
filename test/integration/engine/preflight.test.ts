/** Pre-flight against the Sandbox's seed account: every check, the findings' shape, one fetch per list. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccount, preflight } from '../../../src/engine';
import {
  BRAND_PAC,
  CAMP_PAC_MEMBERS,
  CAMP_RIVERA_FUNDRAISING,
  CL_PAC_MEMBERS,
  ORG_PAC,
  PHONE_NUMBER_IDS,
  SANDBOX_SENATE_KEY,
  TD_PAC,
  TFV_REJECTED,
  startSandbox,
  type RunningSandbox,
} from '../../../src/sandbox';
import {
  csv,
  fromFile,
  invalidRow,
  pacRow,
  tenDlcRow,
  tollFreeRow,
  trackedRow,
  type Cells,
} from '../../unit/engine/helpers';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

async function dryRun(rows: Cells[], apiKey = sb.apiKey) {
  return preflight({ ...fromFile(csv(rows), 'p.csv'), apiKey, baseUrl: sb.baseUrl });
}

describe('pre-flight', () => {
  it("checks every valid row against the account and reports in the validator's shape", async () => {
    const rows: Array<[Cells, string | null, string]> = [
      [tenDlcRow('ok'), null, ''],
      [tenDlcRow('brand of another org', { brand_id: BRAND_PAC }), 'brand_not_in_organization', 'brand_id'],
      [
        tenDlcRow('campaign of another brand', { campaign_id: CAMP_PAC_MEMBERS }),
        'campaign_not_found',
        'campaign_id',
      ],
      [
        tenDlcRow('number of another campaign', { phone_number_ids: PHONE_NUMBER_IDS.riveraFundraising[0] }),
        'phone_number_not_in_campaign',
        'phone_number_ids',
      ],
      [
        tenDlcRow('fundraising campaign, GOTV numbers', { campaign_id: CAMP_RIVERA_FUNDRAISING }),
        'phone_number_not_in_campaign',
        'phone_number_ids',
      ],
      [
        tenDlcRow('unassigned number', { phone_number_ids: PHONE_NUMBER_IDS.senateUnassigned[0] }),
        'phone_number_not_in_campaign',
        'phone_number_ids',
      ],
      [
        tenDlcRow('toll-free number on 10DLC', { phone_number_ids: PHONE_NUMBER_IDS.tollFreeVerified[0] }),
        'phone_number_wrong_channel',
        'phone_number_ids',
      ],
      [
        tollFreeRow('10DLC number on toll-free', { phone_number_ids: PHONE_NUMBER_IDS.riveraGotv[0] }),
        'phone_number_not_toll_free',
        'phone_number_ids',
      ],
      [
        tollFreeRow('number of the other verification', {
          phone_number_ids: PHONE_NUMBER_IDS.tollFreeRejected[0],
        }),
        'phone_number_not_in_verification',
        'phone_number_ids',
      ],
      [
        tollFreeRow('unknown verification', { toll_free_verification_id: 'tfv_nope' }),
        'toll_free_verification_not_found',
        'toll_free_verification_id',
      ],
      [
        { ...trackedRow('domain of another org'), link_tracking_domain_id: TD_PAC },
        'tracking_domain_not_found',
        'link_tracking_domain_id',
      ],
      [
        tenDlcRow('list of another org', { contact_list_ids: CL_PAC_MEMBERS }),
        'contact_list_not_found',
        'contact_list_ids',
      ],
      [
        tenDlcRow('unknown number id', { phone_number_ids: 'pn_does_not_exist' }),
        'phone_number_not_found',
        'phone_number_ids',
      ],
      [
        tenDlcRow('unknown typed number', { phone_number_ids: '+1 (555) 010-9999' }),
        'phone_number_not_found',
        'phone_number_ids',
      ],
    ];
    const summary = await dryRun(rows.map(([r]) => r));
    rows.forEach(([, code, field], i) => {
      const row = i + 2;
      const errors = summary.issues.filter((x) => x.row === row && x.severity === 'error');
      if (code === null) {
        expect(errors, `row ${row}`).toEqual([]);
        expect(summary.results[i]?.status).toBe('not_sent');
      } else {
        expect(errors, `row ${row}`).toContainEqual(
          expect.objectContaining({ row, field, severity: 'error', code, message: expect.any(String) }),
        );
        expect(summary.results[i]?.status).toBe('invalid');
      }
    });
    expect(sb.state.projects).toHaveLength(0);
  });

  it('warns about a verification that is not Verified and resolves numbers typed as numbers', async () => {
    const summary = await dryRun([
      tollFreeRow('rejected verification', {
        toll_free_verification_id: TFV_REJECTED,
        phone_number_ids: PHONE_NUMBER_IDS.tollFreeRejected[0],
      }),
      tenDlcRow('typed', { phone_number_ids: '+1 555 010 0101; (555) 010-0102' }),
    ]);
    expect(summary.issues).toContainEqual(
      expect.objectContaining({
        row: 2,
        field: 'toll_free_verification_id',
        severity: 'warning',
        code: 'toll_free_verification_not_verified',
      }),
    );
    // Resolving a number is not a finding.
    expect(summary.issues.filter((i) => i.row === 3)).toEqual([]);
    // As data, never to be parsed out of a message.
    expect(summary.resolved).toEqual([
      {
        rowKey: 'row-3',
        row: 3,
        field: 'phone_number_ids',
        from: '+1 555 010 0101',
        to: PHONE_NUMBER_IDS.riveraGotv[1],
        label: '+1 555-010-0101',
      },
      {
        rowKey: 'row-3',
        row: 3,
        field: 'phone_number_ids',
        from: '(555) 010-0102',
        to: PHONE_NUMBER_IDS.riveraGotv[2],
        label: '+1 555-010-0102',
      },
    ]);
    expect(summary.results.map((r) => r.status)).toEqual(['not_sent', 'not_sent']);
  });

  it('resolves names, and an organization typed wrong hides none of its row’s other problems', async () => {
    const summary = await dryRun([
      tenDlcRow('named', {
        organization_id: 'Rivera for Senate',
        brand_id: 'Rivera for Senate',
        campaign_id: 'rivera gotv 2026',
        phone_number_ids: '(555) 010-0100',
      }),
      tenDlcRow('typo', {
        organization_id: 'Rivera for Senat',
        brand_id: 'Rivera for Senate',
        campaign_id: 'Rivera GOTV 2062',
        phone_number_ids: '(555) 010-0100',
      }),
    ]);
    expect(summary.issues.filter((i) => i.row === 2)).toEqual([]);
    expect(summary.results.map((r) => r.status)).toEqual(['not_sent', 'invalid']);
    const typo = summary.issues.filter((i) => i.row === 3);
    expect(typo.map((i) => `${i.field} ${i.code}`)).toEqual([
      'organization_id organization_not_found',
      'campaign_id campaign_not_found',
    ]);
    expect(typo.map((i) => i.fixes?.[0]?.with)).toEqual(['Rivera for Senate', 'Rivera GOTV 2026']);
  });

  it('reports an organization the key cannot act for on its rows instead of stopping the run', async () => {
    const summary = await dryRun([tenDlcRow('senate'), pacRow('pac')], SANDBOX_SENATE_KEY);
    expect(summary.state).toBe('completed');
    expect(summary.issues).toContainEqual(
      expect.objectContaining({ row: 3, field: 'organization_id', code: 'organization_not_accessible' }),
    );
    expect(summary.results.map((r) => r.status)).toEqual(['not_sent', 'invalid']);
  });

  it('fetches each reference list once per run, only for the organizations the rows name', async () => {
    const before = sb.state.log.length;
    await dryRun([
      tenDlcRow('a'),
      tenDlcRow('b'),
      tollFreeRow('c'),
      trackedRow('d'),
      pacRow('e'),
      pacRow('f', { brand_id: BRAND_PAC, campaign_id: CAMP_PAC_MEMBERS, organization_id: ORG_PAC }),
    ]);
    const gets = sb.state.log.slice(before).map((e) => e.path);
    const counts = new Map<string, number>();
    for (const p of gets) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({
      '/v1/organizations': 1,
      '/v1/phone-numbers': 2,
      '/v1/brands': 2,
      '/v1/campaigns': 2,
      '/v1/contact-lists': 2,
      '/v1/projects': 2,
      '/v1/toll-free-verifications': 2,
      '/v1/tracking-domains': 2,
      '/v1/media': 2,
    });
  });

  it('stops with what to do when the key is refused', async () => {
    const summary = await dryRun([tenDlcRow('a')], 'pc_live_wrong');
    expect(summary.state).toBe('stopped');
    expect(summary.stop).toMatchObject({ reason: 'account', httpStatus: 401, code: 'INVALID_API_KEY' });
    expect(summary.stop?.message).toMatch(/POLITICAL_COMMS_API_KEY/);
    expect(summary.stop?.message).not.toContain('pc_live_wrong');
  });
});

describe('account findings apart from validation', () => {
  it('lists what only the account shows, and none of what validating the sheet shows', async () => {
    const summary = await dryRun([
      invalidRow('no message'),
      tenDlcRow('numbers of another campaign', { phone_number_ids: PHONE_NUMBER_IDS.riveraFundraising[0] }),
    ]);
    expect(summary.issues.map((i) => `${i.row} ${i.field}`)).toEqual(
      expect.arrayContaining(['2 message_text', '3 phone_number_ids']),
    );
    expect(summary.accountIssues.map((i) => `${i.row} ${i.field} ${i.severity}`)).toEqual([
      '3 phone_number_ids error',
    ]);
  });
});

describe('loading the account (the snapshot the window keeps)', () => {
  it('reads each list once per organization, names organizations, and keeps what it could not read apart', async () => {
    const before = sb.state.log.length;
    const r = await loadAccount({
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
      organizationIds: [ORG_PAC, ORG_PAC, 'org_not_reachable'],
      source: 'Sandbox',
      audience: 'app',
    });
    expect(r.stop).toBeNull();
    expect(r.requests).toBe(1 + 8);
    expect(sb.state.log.length - before).toBe(9);
    expect(r.snapshot?.organizations?.find((o) => o.id === ORG_PAC)?.name).toBe('Forward Together PAC');
    expect(Object.keys(r.snapshot?.byOrganization ?? {})).toEqual([ORG_PAC]);
    expect(r.snapshot?.byOrganization[ORG_PAC]?.campaigns?.map((c) => c.id)).toContain(CAMP_PAC_MEMBERS);
    expect(r.snapshot?.unavailable).toEqual([]);
  });

  it("stops in the reader's words when the key is refused or the API cannot be reached", async () => {
    const refused = await loadAccount({
      apiKey: 'pc_live_wrong',
      baseUrl: sb.baseUrl,
      organizationIds: [ORG_PAC],
      source: 'Sandbox',
      audience: 'app',
    });
    expect(refused.snapshot).toBeNull();
    expect(refused.stop).toMatchObject({ reason: 'account', httpStatus: 401 });
    expect(refused.stop?.message).toMatch(/Settings/);
    expect(refused.stop?.message).not.toMatch(/POLITICAL_COMMS_API_KEY|command/);

    const gone = await startSandbox();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const unreachable = await loadAccount({
      apiKey: sb.apiKey,
      baseUrl,
      organizationIds: [ORG_PAC],
      source: baseUrl,
      audience: 'cli',
      policy: { maxAttempts: 1 },
    });
    expect(unreachable.stop).toMatchObject({ reason: 'unreachable' });
    expect(unreachable.stop?.message).toMatch(/--base-url/);
  });
});
