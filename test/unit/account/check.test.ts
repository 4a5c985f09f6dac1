/** The account checks as a pure function of rows and a snapshot (what the window re-runs on every edit). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CreateProjectRequest } from '@political-comms/sdk';
import { checkAgainstAccount } from '../../../src/shared/account/check';
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';

const SNAPSHOT: AccountSnapshot = {
  source: 'Sandbox',
  fetchedAt: 0,
  organizations: [
    { id: 'org_senate', name: 'Rivera for Senate' },
    { id: 'org_pac', name: 'Forward Together PAC' },
  ],
  byOrganization: {
    org_senate: {
      brands: [{ id: 'brand_rivera', name: 'Rivera for Senate' }],
      campaigns: [
        { id: 'camp_gotv', name: 'Rivera GOTV 2026', brandId: 'brand_rivera' },
        { id: 'camp_fund', name: 'Rivera Fundraising', brandId: 'brand_rivera' },
      ],
      phoneNumbers: [
        { id: 'pn_gotv', number: '+15550100100', channel: '10dlc', campaignId: 'camp_gotv' },
        { id: 'pn_fund', number: '+15550100200', channel: '10dlc', campaignId: 'camp_fund' },
      ],
      verifications: [],
      trackingDomains: [],
      contactLists: [{ id: 'cl_supporters', name: 'Supporters' }],
      projects: [{ id: 'proj_old', name: 'GOTV reminder' }],
    },
    org_pac: {
      brands: [{ id: 'brand_pac', name: 'Forward Together PAC' }],
      campaigns: [{ id: 'camp_pac', name: 'PAC Members', brandId: 'brand_pac' }],
    },
  },
  unavailable: [],
};

function body(extra: Partial<CreateProjectRequest> = {}): CreateProjectRequest {
  return {
    organization_id: 'org_senate',
    name: 'New project',
    protocol: 'sms',
    message_text: 'Hi',
    brand_id: 'brand_rivera',
    campaign_id: 'camp_gotv',
    phone_number_ids: ['pn_gotv'],
    contact_list_ids: ['cl_supporters'],
    ...extra,
  };
}

const check = (b: CreateProjectRequest, extra: { createdBefore?: boolean } = {}) =>
  checkAgainstAccount([{ rowKey: 'k1', row: 17, body: b, ...extra }], SNAPSHOT);

describe('checkAgainstAccount', () => {
  it('passes a good row and gives back its body', () => {
    const r = check(body());
    expect(r.issues).toEqual([]);
    expect(r.bodies.get('k1')).toEqual(body());
  });

  it('names brands, campaigns and organizations by their names', () => {
    const r = check(body({ brand_id: 'brand_pac', campaign_id: 'camp_fund', phone_number_ids: ['pn_fund'] }));
    const messages = Object.fromEntries(r.issues.map((i) => [i.code, i.message]));
    expect(messages.campaign_not_in_brand).toBe(
      'Campaign Rivera Fundraising (camp_fund) belongs to brand Rivera for Senate (brand_rivera), not Forward Together PAC (brand_pac). Use a campaign of brand Forward Together PAC (brand_pac), or change the brand.',
    );
    expect(messages.brand_not_in_organization).toMatch(
      /^Brand Forward Together PAC \(brand_pac\) belongs to organization Forward Together PAC \(org_pac\), not Rivera for Senate \(org_senate\)/,
    );
    expect(r.bodies.has('k1')).toBe(false);
    const numbers = check(body({ phone_number_ids: ['pn_fund'] })).issues;
    expect(numbers).toEqual([
      expect.objectContaining({
        row: 17,
        field: 'phone_number_ids',
        code: 'phone_number_not_in_campaign',
        message: expect.stringContaining(
          '+15550100200 (pn_fund) belongs to campaign Rivera Fundraising (camp_fund), not Rivera GOTV 2026 (camp_gotv)',
        ),
      }),
    ]);
    expect(check(body({ organization_id: 'org_other' })).issues[0]).toMatchObject({
      field: 'organization_id',
      code: 'organization_not_accessible',
    });
  });

  it('resolves numbers typed as numbers, as data, on the field the row uses', () => {
    const r = check(body({ phone_number_ids: undefined, phone_number_id: '(555) 010-0100' }));
    expect(r.resolved).toEqual([
      { rowKey: 'k1', row: 17, field: 'phone_number_id', from: '(555) 010-0100', to: 'pn_gotv' },
    ]);
    expect(r.bodies.get('k1')?.phone_number_id).toBe('pn_gotv');
    expect(r.issues.map((i) => `${i.field} ${i.severity} ${i.code}`)).toEqual([
      'phone_number_id warning phone_number_resolved',
    ]);
  });

  it('says plainly that a row named like an existing project would create a second one', () => {
    const r = check(body({ name: '  gotv REMINDER ' }));
    expect(r.issues).toEqual([
      {
        row: 17,
        field: 'name',
        severity: 'warning',
        code: 'project_name_exists',
        message:
          'Rivera for Senate (org_senate) already has a project named "GOTV reminder" (proj_old): sending this row creates a second project with that name. Rename the row, or leave it out if that project is this one.',
      },
    ]);
    expect(r.bodies.has('k1')).toBe(true);
  });

  it('never checks a row created before: no "created again", no body to send', () => {
    const r = check(body({ name: 'GOTV reminder', brand_id: 'brand_pac' }), { createdBefore: true });
    expect(r).toEqual({ issues: [], bodies: new Map(), resolved: [] });
  });

  it('skips the checks whose list could not be read, and organizations not in the snapshot', () => {
    const partial: AccountSnapshot = {
      ...SNAPSHOT,
      byOrganization: { org_senate: { brands: SNAPSHOT.byOrganization.org_senate!.brands } },
    };
    const r = checkAgainstAccount(
      [
        {
          rowKey: 'a',
          row: 2,
          body: body({ phone_number_ids: ['pn_unknown'], campaign_id: 'camp_unknown' }),
        },
        { rowKey: 'b', row: 3, body: body({ organization_id: 'org_pac', brand_id: 'brand_nope' }) },
      ],
      partial,
    );
    expect(r.issues).toEqual([]);
    expect([...r.bodies.keys()]).toEqual(['a', 'b']);
  });

  it('is synchronous and needs nothing but shared code (it runs in the window)', () => {
    expect(check(body())).not.toBeInstanceOf(Promise);
    for (const file of ['check.ts', 'snapshot.ts']) {
      const text = readFileSync(new URL(`../../../src/shared/account/${file}`, import.meta.url), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const i of imports) expect(i).toMatch(/^(\.\.?\/|zod$|@political-comms\/sdk$)/);
      expect(text).not.toMatch(/node:/);
    }
  });
});
