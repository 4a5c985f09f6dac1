/** The Sandbox's account has what real accounts have: names in two scopes, a clash, nicknames. */
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/sandbox/seed';
import { seedSnapshot } from './seed-snapshot';
import { AccountNames } from '../../../src/shared/account/resolve';

describe('names in the Sandbox account', () => {
  const names = new AccountNames(seedSnapshot());
  const senate = { organizationId: S.ORG_SENATE };
  const pac = { organizationId: S.ORG_PAC };

  it('has one list name in both organizations, told apart by the row’s organization', () => {
    expect(names.resolve('contact_list_ids', 'volunteers', senate)).toMatchObject({
      id: S.CL_RIVERA_VOLUNTEERS,
    });
    expect(names.resolve('contact_list_ids', 'Volunteers', pac)).toMatchObject({ id: S.CL_PAC_VOLUNTEERS });
    expect(names.resolve('contact_list_ids', 'Volunteers')).toMatchObject({ kind: 'ambiguous' });
  });

  it('has two campaigns of one brand with one name: an ambiguity, until the id is given', () => {
    const scope = { ...pac, brandId: S.BRAND_ACTION_FUND };
    const r = names.resolve('campaign_id', 'Action Fund Phone Bank', scope);
    expect(r.kind === 'ambiguous' && r.candidates.map((c) => c.id).sort()).toEqual(
      [S.CAMP_ACTION_PHONE_BANK, S.CAMP_ACTION_PHONE_BANK_COPY].sort(),
    );
    expect(
      names.resolve('campaign_id', `Action Fund phone bank (${S.CAMP_ACTION_PHONE_BANK_COPY})`, scope),
    ).toMatchObject({
      kind: 'name',
      id: S.CAMP_ACTION_PHONE_BANK_COPY,
    });
  });

  it('has shared numbers with nicknames', () => {
    const [main] = S.PHONE_NUMBER_IDS.senateShared;
    expect(names.resolve('phone_number_ids', 'Main line', senate)).toMatchObject({
      kind: 'name',
      id: main,
      label: 'Main line (+1 555-010-0163)',
    });
    expect(names.resolve('phone_number_ids', '(555) 010-0163', senate)).toMatchObject({ id: main });
    // Shared rows name no campaign: not a number of a Rivera campaign, and said so.
    expect(
      names.resolve('phone_number_ids', 'Main line', { ...senate, campaignId: S.CAMP_RIVERA_GOTV }),
    ).toMatchObject({
      kind: 'not_found',
      elsewhere: [{ id: main }],
    });
  });

  it('offers close names as suggestions', () => {
    const r = names.resolve('contact_list_ids', '2026 donors', senate);
    expect(r.kind === 'not_found' && r.suggestions.map((s) => s.id)).toEqual([
      S.CL_RIVERA_DONORS,
      S.CL_RIVERA_DONORS_2025,
    ]);
    const c = names.resolve('campaign_id', 'Rivera GOTV 2062', { ...senate, brandId: S.BRAND_RIVERA });
    expect(c.kind === 'not_found' && c.message).toBe(
      `Campaign “Rivera GOTV 2062” is not a campaign of brand Rivera for Senate. Did you mean Rivera GOTV 2026 (${S.CAMP_RIVERA_GOTV})?`,
    );
  });

  it('gives every entity a dropdown value that resolves back to it', () => {
    for (const [field, kind] of [
      ['organization_id', 'organization'],
      ['brand_id', 'brand'],
      ['campaign_id', 'campaign'],
      ['phone_number_ids', 'phoneNumber'],
      ['toll_free_verification_id', 'verification'],
      ['link_tracking_domain_id', 'trackingDomain'],
      ['contact_list_ids', 'contactList'],
    ] as const) {
      const choices = names.choices(kind);
      expect(choices.length).toBeGreaterThan(0);
      for (const c of choices) {
        const scope = kind === 'organization' ? {} : { organizationId: c.organizationId };
        expect(names.resolve(field, c.value, scope), `${field} ${c.value}`).toMatchObject({ id: c.id });
      }
    }
    expect(names.choices('campaign').map((c) => c.value)).toContain(
      `Action Fund Phone Bank (${S.CAMP_ACTION_PHONE_BANK})`,
    );
  });
});
