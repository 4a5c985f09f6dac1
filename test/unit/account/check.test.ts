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
      {
        rowKey: 'k1',
        row: 17,
        field: 'phone_number_id',
        from: '(555) 010-0100',
        to: 'pn_gotv',
        label: '+1 555-010-0100',
      },
    ]);
    expect(r.bodies.get('k1')?.phone_number_id).toBe('pn_gotv');
    // Resolving is not a finding: the results sheet and the CLI say what each name became.
    expect(r.issues).toEqual([]);
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

describe('checkAgainstAccount with names', () => {
  const NAMED: AccountSnapshot = structuredClone(SNAPSHOT);
  NAMED.byOrganization.org_senate!.contactLists!.push(
    { id: 'cl_vol_a', name: 'Volunteers' },
    { id: 'cl_vol_b', name: 'volunteers ' },
    { id: 'cl_dnc', name: 'Do not contact (Rivera)' },
  );
  const checkNamed = (b: Partial<CreateProjectRequest>) =>
    checkAgainstAccount([{ rowKey: 'k1', row: 9, body: body(b) }], NAMED);

  it('sends the ids of the names typed, each looked up in its scope, and says what each became', () => {
    const r = checkNamed({
      organization_id: 'rivera for senate',
      brand_id: 'Rivera For Senate',
      campaign_id: ' Rivera GOTV 2026 ',
      phone_number_ids: ['(555) 010-0100'],
      contact_list_ids: ['Supporters'],
      suppression_list_ids: ['Do not contact (Rivera)'],
    });
    expect(r.issues).toEqual([]);
    expect(r.bodies.get('k1')).toMatchObject({
      organization_id: 'org_senate',
      brand_id: 'brand_rivera',
      campaign_id: 'camp_gotv',
      phone_number_ids: ['pn_gotv'],
      contact_list_ids: ['cl_supporters'],
      suppression_list_ids: ['cl_dnc'],
    });
    expect(r.resolved.map((x) => `${x.field}: ${x.from} -> ${x.to} (${x.label})`)).toEqual([
      'organization_id: rivera for senate -> org_senate (Rivera for Senate)',
      'brand_id: Rivera For Senate -> brand_rivera (Rivera for Senate)',
      'campaign_id: Rivera GOTV 2026 -> camp_gotv (Rivera GOTV 2026)',
      'phone_number_ids: (555) 010-0100 -> pn_gotv (+1 555-010-0100)',
      'contact_list_ids: Supporters -> cl_supporters (Supporters)',
      'suppression_list_ids: Do not contact (Rivera) -> cl_dnc (Do not contact (Rivera))',
    ]);
  });

  it('reports every problem of a row at once: an unknown organization hides nothing', () => {
    const r = checkNamed({
      organization_id: 'Rivera for Senat',
      brand_id: 'Rivera for Senate',
      campaign_id: 'Rivera GOTV 2062',
      phone_number_ids: ['(555) 010-0999'],
      contact_list_ids: ['Supporterz'],
    });
    expect(r.issues.map((i) => `${i.field} ${i.code}`)).toEqual([
      'organization_id organization_not_found',
      'campaign_id campaign_not_found',
      'phone_number_ids phone_number_not_found',
      'contact_list_ids contact_list_not_found',
    ]);
    const fixes = Object.fromEntries(r.issues.map((i) => [i.field, i.fixes?.[0]]));
    expect(fixes.organization_id).toEqual({
      label: 'Did you mean Rivera for Senate?',
      replace: 'Rivera for Senat',
      with: 'Rivera for Senate',
    });
    expect(fixes.campaign_id).toMatchObject({
      label: 'Did you mean Rivera GOTV 2026?',
      with: 'Rivera GOTV 2026',
    });
    expect(fixes.contact_list_ids).toMatchObject({ replace: 'Supporterz', with: 'Supporters' });
    expect(r.issues[1]!.message).toMatch(
      /^Campaign “Rivera GOTV 2062” is not a campaign of brand Rivera for Senate\./,
    );
    expect(r.bodies.has('k1')).toBe(false);
  });

  it('a fix, applied, resolves', () => {
    const bad = checkNamed({ campaign_id: 'Rivera GOTV 2062' });
    const fix = bad.issues[0]!.fixes![0]!;
    const good = checkNamed({ campaign_id: fix.with });
    expect(good.issues).toEqual([]);
    expect(good.bodies.get('k1')?.campaign_id).toBe('camp_gotv');
  });

  it('never guesses between two of one name: both named, each offered as a fix that resolves to it', () => {
    const r = checkNamed({ contact_list_ids: ['Supporters', 'VOLUNTEERS'] });
    expect(r.issues).toHaveLength(1);
    const [issue] = r.issues;
    expect(issue).toMatchObject({ field: 'contact_list_ids', code: 'contact_list_ambiguous' });
    expect(issue!.message).toContain('Volunteers (cl_vol_a)');
    expect(issue!.message).toContain('volunteers  (cl_vol_b)');
    const withs = issue!.fixes!.map((f) => f.with);
    expect(withs).toEqual(['Volunteers (cl_vol_a)', 'volunteers  (cl_vol_b)']);
    for (const [i, w] of withs.entries()) {
      const again = checkNamed({ contact_list_ids: ['Supporters', w] });
      expect(again.issues).toEqual([]);
      expect(again.bodies.get('k1')?.contact_list_ids).toEqual([
        'cl_supporters',
        ['cl_vol_a', 'cl_vol_b'][i],
      ]);
    }
  });

  it('a campaign named exactly but under another brand is that campaign, and the fix changes the brand', () => {
    const r = checkNamed({
      brand_id: 'brand_rivera',
      campaign_id: 'PAC Members',
      organization_id: 'org_pac',
      phone_number_ids: [],
    });
    // In org_pac the brand is not its own: said once, with the campaign where it belongs.
    expect(r.issues.map((i) => i.code)).toContain('brand_not_in_organization');
    const moved = checkNamed({
      campaign_id: 'Rivera Fundraising',
      phone_number_ids: ['pn_fund'],
      brand_id: 'brand_rivera',
    });
    expect(moved.issues).toEqual([]);
    const other: AccountSnapshot = structuredClone(NAMED);
    other.byOrganization.org_senate!.brands!.push({ id: 'brand_ft', name: 'Forward Together' });
    const wrong = checkAgainstAccount(
      [
        {
          rowKey: 'k1',
          row: 9,
          body: body({
            brand_id: 'Forward Together',
            campaign_id: 'Rivera Fundraising',
            phone_number_ids: ['pn_fund'],
          }),
        },
      ],
      other,
    );
    const issue = wrong.issues.find((i) => i.code === 'campaign_not_in_brand')!;
    expect(issue.message).toBe(
      'Campaign Rivera Fundraising (camp_fund) belongs to brand Rivera for Senate (brand_rivera), not Forward Together (brand_ft). Use a campaign of brand Forward Together (brand_ft), or change the brand.',
    );
    expect(issue.fixes).toEqual([
      {
        label: 'Change the brand to Rivera for Senate',
        field: 'brand_id',
        replace: 'Forward Together',
        with: 'Rivera for Senate',
      },
    ]);
  });
});
