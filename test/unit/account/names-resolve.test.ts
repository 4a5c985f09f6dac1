import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accountNames,
  AccountNames,
  describeResolved,
  type RowScope,
} from '../../../src/shared/account/resolve';
import { normalizeName } from '../../../src/shared/account/names';
import * as F from './names.fixture';

const names = () => new AccountNames(F.fixtureSnapshot());
const inA: RowScope = { organizationId: F.ORG_A };
const inBrandA: RowScope = { organizationId: F.ORG_A, brandId: F.BRAND_A };

describe('resolving one reference cell', () => {
  it('finds an organization by its display name, forgiving case, spaces and punctuation', () => {
    const n = names();
    expect(n.resolve('organization_id', 'Rivera for Senate')).toMatchObject({ kind: 'name', id: F.ORG_A });
    expect(n.resolve('organization_id', '  forward   together pac. ')).toMatchObject({
      kind: 'name',
      id: F.ORG_B,
    });
  });

  it('resolves an id to itself, with its name as the label', () => {
    expect(names().resolve('campaign_id', F.CAMP_GOTV, inBrandA)).toEqual({
      kind: 'id',
      text: F.CAMP_GOTV,
      id: F.CAMP_GOTV,
      label: 'Rivera GOTV 2026',
      known: true,
    });
  });

  it('passes an id-shaped text the account does not list on as an id, for the checks to judge', () => {
    expect(names().resolve('campaign_id', 'camp_01ZZZZZZZZZZZZ', inBrandA)).toMatchObject({
      kind: 'id',
      id: 'camp_01ZZZZZZZZZZZZ',
      known: false,
    });
  });

  it('finds a brand within the organization only', () => {
    const n = names();
    expect(n.resolve('brand_id', 'rivera for senate', inA)).toMatchObject({ kind: 'name', id: F.BRAND_A });
    const r = n.resolve('brand_id', 'Forward Together PAC', inA);
    expect(r).toMatchObject({ kind: 'not_found', elsewhere: [{ id: F.BRAND_B }] });
    expect(r.kind === 'not_found' && r.message).toBe(
      `Brand “Forward Together PAC” is not a brand of organization Rivera for Senate. There is one under organization Forward Together PAC: Forward Together PAC (${F.BRAND_B}). Use the name or id of a brand of organization Rivera for Senate.`,
    );
  });

  it('finds a campaign within the brand, and says plainly when it is not there', () => {
    const n = names();
    expect(n.resolve('campaign_id', 'Rivera GOTV 2026', inBrandA)).toMatchObject({
      kind: 'name',
      id: F.CAMP_GOTV,
    });
    const r = n.resolve('campaign_id', 'Rivera GOTV 2062', inBrandA);
    expect(r).toMatchObject({
      kind: 'not_found',
      suggestions: [{ id: F.CAMP_GOTV, name: 'Rivera GOTV 2026' }],
    });
    expect(r.kind === 'not_found' && r.message).toBe(
      `Campaign “Rivera GOTV 2062” is not a campaign of brand Rivera for Senate. Did you mean Rivera GOTV 2026 (${F.CAMP_GOTV})?`,
    );
    // Under another brand of the organization: not taken, but named.
    const other = n.resolve('campaign_id', 'Victory Mail', inBrandA);
    expect(other).toMatchObject({
      kind: 'not_found',
      elsewhere: [{ id: F.CAMP_OTHER_BRAND, where: 'brand Rivera Victory Fund' }],
    });
    // Without a brand, the whole organization is the scope.
    expect(n.resolve('campaign_id', 'Victory Mail', inA)).toMatchObject({
      kind: 'name',
      id: F.CAMP_OTHER_BRAND,
    });
  });

  it('never picks one of two entities with the same name in scope', () => {
    const r = names().resolve('campaign_id', 'volunteer calls', inBrandA);
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    expect(r.candidates.map((c) => c.id).sort()).toEqual([F.CAMP_CALLS_1, F.CAMP_CALLS_2].sort());
    expect(r.message).toContain(F.CAMP_CALLS_1);
    expect(r.message).toContain(F.CAMP_CALLS_2);
    expect(r.message).toMatch(
      /^2 campaigns of brand Rivera for Senate are named “volunteer calls”: .+ and .+\. Use the id of the one you mean\.$/,
    );
  });

  it('tells apart one name in two organizations by the row’s organization', () => {
    const n = names();
    expect(n.resolve('contact_list_ids', 'Volunteers', inA)).toMatchObject({ kind: 'name', id: F.CL_VOL_A });
    expect(n.resolve('contact_list_ids', 'Volunteers', { organizationId: F.ORG_B })).toMatchObject({
      kind: 'name',
      id: F.CL_VOL_B,
    });
    const r = n.resolve('contact_list_ids', 'Volunteers', {});
    expect(r).toMatchObject({ kind: 'ambiguous' });
    expect(r.kind === 'ambiguous' && r.candidates.map((c) => c.where)).toEqual([
      'organization Forward Together PAC',
      'organization Rivera for Senate',
    ]);
  });

  it('finds a sending number in any common spelling, within the campaign', () => {
    const n = names();
    const scope: RowScope = { ...inBrandA, campaignId: F.CAMP_GOTV };
    for (const s of ['+1 555-010-0101', '(555) 010-0101', '5550100101', '1-555-010-0101', '+15550100101'])
      expect(n.resolve('phone_number_ids', s, scope), s).toMatchObject({
        kind: 'name',
        id: F.PN_GOTV_1,
        label: '+1 555-010-0101',
      });
    const wrong = n.resolve('phone_number_ids', '(555) 010-0111', scope);
    expect(wrong).toMatchObject({
      kind: 'not_found',
      elsewhere: [{ id: F.PN_FUND_1, where: 'campaign Rivera Fundraising' }],
    });
    expect(wrong.kind === 'not_found' && wrong.message).toMatch(
      /^Phone number “\(555\) 010-0111” is not a number of campaign Rivera GOTV 2026\./,
    );
    // A one-digit typo is a suggestion, never a match.
    expect(n.resolve('phone_number_ids', '(555) 010-0103', scope)).toMatchObject({
      kind: 'not_found',
      suggestions: [{ id: F.PN_GOTV_1 }, { id: F.PN_GOTV_2 }],
    });
  });

  it('finds a toll-free number within its verification', () => {
    const n = names();
    const scope: RowScope = {
      organizationId: F.ORG_A,
      channel: 'toll-free',
      tollFreeVerificationId: F.TFV_MAIN,
    };
    expect(n.resolve('phone_number_ids', '833-555-0100', scope)).toMatchObject({
      kind: 'name',
      id: F.PN_TF_1,
    });
    expect(n.resolve('phone_number_ids', '833-555-0106', scope)).toMatchObject({
      kind: 'not_found',
      elsewhere: [{ id: F.PN_TF_OLD, where: 'toll-free verification Rivera toll-free (first attempt)' }],
    });
  });

  it('finds a shared number by its nickname', () => {
    const scope: RowScope = { organizationId: F.ORG_B, campaignId: F.CAMP_B };
    const n = names();
    expect(n.resolve('phone_number_ids', 'main line', scope)).toMatchObject({
      kind: 'name',
      id: F.PN_SHARED,
      label: 'Main line (+1 555-010-0105)',
    });
    expect(n.resolve('phone_number_ids', 'Main lines', scope)).toMatchObject({
      kind: 'not_found',
      suggestions: [{ id: F.PN_SHARED }],
    });
  });

  it('finds a toll-free verification by name and a tracking domain by the domain', () => {
    const n = names();
    expect(n.resolve('toll_free_verification_id', 'rivera toll free (main)', inA)).toMatchObject({
      kind: 'name',
      id: F.TFV_MAIN,
    });
    for (const s of [
      'go.rivera-senate.example',
      'https://go.rivera-senate.example/',
      'GO.RIVERA-SENATE.EXAMPLE',
    ])
      expect(n.resolve('link_tracking_domain_id', s, inA), s).toMatchObject({ kind: 'name', id: F.TD_A });
    expect(n.resolve('link_tracking_domain_id', 'link.forwardtogether.example', inA)).toMatchObject({
      kind: 'not_found',
      elsewhere: [{ id: F.TD_B }],
    });
  });

  it('finds media by name when the snapshot carries the organization’s media, else cannot', () => {
    const n = names();
    expect(n.resolve('media_ids', 'town hall flyer.png', inA)).toMatchObject({
      kind: 'name',
      id: F.MEDIA_FLYER,
    });
    const r = n.resolve('media_ids', 'Flyer', { organizationId: F.ORG_B });
    expect(r).toMatchObject({ kind: 'unavailable' });
    expect(n.resolve('media_ids', 'media_01SOMEMEDIA00', { organizationId: F.ORG_B })).toMatchObject({
      kind: 'id',
    });
  });

  it('says a name cannot be looked up when its list could not be read, and lets ids through', () => {
    const snap = F.fixtureSnapshot();
    delete snap.byOrganization[F.ORG_A]!.campaigns;
    const n = new AccountNames(snap);
    const r = n.resolve('campaign_id', 'Rivera GOTV 2026', inBrandA);
    expect(r).toMatchObject({ kind: 'unavailable' });
    expect(r.kind === 'unavailable' && r.message).toBe(
      'Campaign “Rivera GOTV 2026” could not be looked up: the campaigns of Rivera for Senate could not be read. Check the account again, or use the id.',
    );
    expect(n.resolve('campaign_id', F.CAMP_GOTV, inBrandA)).toMatchObject({ kind: 'id', id: F.CAMP_GOTV });
    const none = new AccountNames({ ...F.fixtureSnapshot(), organizations: null });
    expect(none.resolve('organization_id', 'Rivera for Senate')).toMatchObject({ kind: 'unavailable' });
  });

  it('searches every organization when the row’s organization is unknown, so one pass finds every problem', () => {
    const n = names();
    expect(
      n.resolve('brand_id', 'Forward Together PAC', { organizationId: 'org_01UNKNOWN000' }),
    ).toMatchObject({
      kind: 'name',
      id: F.BRAND_B,
    });
  });

  it('offers an unknown organization its closest names', () => {
    const r = names().resolve('organization_id', 'Rivera for Senat');
    expect(r).toMatchObject({ kind: 'not_found', suggestions: [{ id: F.ORG_A }] });
    expect(r.kind === 'not_found' && r.message).toBe(
      `Organization “Rivera for Senat” is not an organization this API key reaches. Did you mean Rivera for Senate (${F.ORG_A})?`,
    );
  });
});

describe('properties of resolution', () => {
  const snap = F.fixtureSnapshot();
  const n = new AccountNames(snap);
  const entities: {
    field: 'brand_id' | 'campaign_id' | 'contact_list_ids';
    id: string;
    name: string;
    org: string;
  }[] = [];
  for (const [org, d] of Object.entries(snap.byOrganization)) {
    for (const b of d.brands ?? []) entities.push({ field: 'brand_id', id: b.id, name: b.name, org });
    for (const c of d.campaigns ?? []) entities.push({ field: 'campaign_id', id: c.id, name: c.name, org });
    for (const l of d.contactLists ?? [])
      entities.push({ field: 'contact_list_ids', id: l.id, name: l.name, org });
  }
  const mangle = fc.record({
    upper: fc.boolean(),
    pad: fc.constantFrom('', ' ', '  ', '\t'),
    spaces: fc.constantFrom(' ', '  ', ' \u00a0'),
    punct: fc.constantFrom('', '.', '!', ' -'),
  });

  it('an id always resolves to itself in its organization', () => {
    fc.assert(
      fc.property(fc.constantFrom(...entities), (e) => {
        expect(n.resolve(e.field, e.id, { organizationId: e.org })).toMatchObject({
          kind: 'id',
          id: e.id,
          known: true,
        });
      }),
    );
  });

  it('a name typed with other case, spacing or punctuation resolves to its entity, or is ambiguous', () => {
    fc.assert(
      fc.property(fc.constantFrom(...entities), mangle, (e, m) => {
        let t = e.name.replace(/ /g, m.spaces) + m.punct;
        if (m.upper) t = t.toUpperCase();
        const r = n.resolve(e.field, m.pad + t + m.pad, { organizationId: e.org });
        const twins = entities.filter(
          (x) => x.field === e.field && x.org === e.org && normalizeName(x.name) === normalizeName(e.name),
        );
        if (twins.length === 1) expect(r).toMatchObject({ kind: 'name', id: e.id });
        else
          expect(r.kind === 'ambiguous' && r.candidates.map((c) => c.id).sort()).toEqual(
            twins.map((x) => x.id).sort(),
          );
      }),
    );
  });

  it('never matches a text whose normal form is no entity’s name (no silent guess), never throws', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('brand_id', 'campaign_id', 'contact_list_ids', 'organization_id'),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom<RowScope>({}, inA, inBrandA, { organizationId: F.ORG_B }),
        (field, s, scope) => {
          const r = n.resolve(field, s, scope);
          if (r.kind === 'name') {
            const pool =
              field === 'organization_id'
                ? (snap.organizations ?? []).map((o) => o.name)
                : entities.filter((e) => e.field === field).map((e) => e.name);
            expect(pool.map(normalizeName)).toContain(normalizeName(s));
          }
          if (r.kind === 'not_found') expect(r.suggestions.length).toBeLessThanOrEqual(3);
        },
      ),
    );
  });

  it('gives the same answer from the cache as from a fresh index', () => {
    fc.assert(
      fc.property(fc.constantFrom(...entities), fc.string({ maxLength: 5 }), (e, suffix) => {
        const t = e.name + suffix;
        const first = n.resolve(e.field, t, { organizationId: e.org });
        expect(n.resolve(e.field, t, { organizationId: e.org })).toEqual(first);
        expect(new AccountNames(snap).resolve(e.field, t, { organizationId: e.org })).toEqual(first);
      }),
    );
  });
});

describe('list cells', () => {
  it('resolves a name list split on commas, semicolons and new lines', () => {
    const r = names().resolveList(
      'suppression_list_ids',
      'Do not contact (Rivera); statewide supporters',
      inA,
    );
    expect(r).toMatchObject({ ok: true, kind: 'names', ids: [F.CL_DNC, F.CL_SUPPORTERS] });
  });

  it('resolves an id list split on spaces too, and mixed numbers', () => {
    const n = names();
    const scope: RowScope = { ...inBrandA, campaignId: F.CAMP_GOTV };
    expect(n.resolveList('phone_number_ids', `${F.PN_GOTV_1} ${F.PN_GOTV_2}`, scope)).toMatchObject({
      ok: true,
      kind: 'ids',
      ids: [F.PN_GOTV_1, F.PN_GOTV_2],
    });
    expect(n.resolveList('phone_number_ids', '5550100101 +15550100102', scope)).toMatchObject({
      kind: 'ids',
      ids: [F.PN_GOTV_1, F.PN_GOTV_2],
    });
    expect(n.resolveList('phone_number_ids', '(555) 010-0101; +1 555 010 0102', scope)).toMatchObject({
      kind: 'names',
      ids: [F.PN_GOTV_1, F.PN_GOTV_2],
    });
    expect(n.resolveList('contact_list_ids', '["Volunteers", "Statewide supporters"]', inA)).toMatchObject({
      kind: 'names',
      ids: [F.CL_VOL_A, F.CL_SUPPORTERS],
    });
  });

  it('gives no ids when one item does not resolve, and says which', () => {
    const r = names().resolveList('contact_list_ids', 'Volunteers, Statewide supporter', inA);
    expect(r).toMatchObject({ ok: true, ids: null });
    expect(r.ok && r.items[1]).toMatchObject({ kind: 'not_found', suggestions: [{ id: F.CL_SUPPORTERS }] });
  });
});

describe('a whole row', () => {
  it('resolves top down, every reference from names', () => {
    const n = names();
    const r = n.resolveReferences({
      organization_id: 'Rivera for Senate',
      brand_id: 'Rivera for Senate',
      campaign_id: 'rivera gotv 2026',
      phone_number_ids: '(555) 010-0101, (555) 010-0102',
      contact_list_ids: 'Volunteers',
      suppression_list_ids: 'Do not contact (Rivera)',
      link_tracking_domain_id: 'https://go.rivera-senate.example',
    });
    expect(r.scope).toEqual({
      channel: '10dlc',
      organizationId: F.ORG_A,
      brandId: F.BRAND_A,
      campaignId: F.CAMP_GOTV,
    });
    expect(r.cells.link_tracking_domain_id).toMatchObject({ id: F.TD_A });
    expect(r.lists.phone_number_ids).toMatchObject({ ids: [F.PN_GOTV_1, F.PN_GOTV_2] });
    expect(r.lists.contact_list_ids).toMatchObject({ ids: [F.CL_VOL_A] });
    expect(r.lists.suppression_list_ids).toMatchObject({ ids: [F.CL_DNC] });
  });

  it('uses the default organization, and reports every level of a bad row at once', () => {
    const n = names();
    expect(
      n.resolveReferences({ organization_id: '  ', brand_id: 'Forward Together PAC' }, F.ORG_B).scope,
    ).toMatchObject({
      organizationId: F.ORG_B,
    });
    expect(n.resolveReferences({ brand_id: 'Forward Together PAC' }, F.ORG_B).cells.brand_id).toMatchObject({
      kind: 'name',
      id: F.BRAND_B,
    });
    const r = n.resolveReferences({
      organization_id: 'Rivera for Senat',
      brand_id: 'Rivera for Senate',
      campaign_id: 'Rivera GOTV 2062',
      contact_list_ids: 'Volunteers',
    });
    expect(r.cells.organization_id?.kind).toBe('not_found');
    expect(r.cells.brand_id).toMatchObject({ kind: 'name', id: F.BRAND_A });
    expect(r.cells.campaign_id).toMatchObject({ kind: 'not_found', suggestions: [{ id: F.CAMP_GOTV }] });
    expect(r.lists.contact_list_ids).toMatchObject({ ok: true, ids: null });
  });

  it('builds the index once per snapshot', () => {
    const snap = F.fixtureSnapshot();
    expect(accountNames(snap)).toBe(accountNames(snap));
    expect(accountNames(F.fixtureSnapshot())).not.toBe(accountNames(snap));
  });
});

describe('hostile cells', () => {
  it('resolves a huge cell without comparing it letter by letter with every name', () => {
    const n = names();
    const huge = 'Rivera GOTV 2026 '.repeat(20_000);
    const r = n.resolve('campaign_id', huge, inBrandA);
    expect(r).toMatchObject({ kind: 'not_found', suggestions: [] });
    const list = n.resolveList('contact_list_ids', `${'Volunteers, '.repeat(20_000)}x`, inA);
    expect(list).toMatchObject({ ok: true, kind: 'names', ids: null });
    expect(n.resolve('phone_number_ids', '9'.repeat(100_000), inA)).toMatchObject({ kind: 'not_found' });
  });

  it('says what a name became, for people', () => {
    const n = names();
    expect(describeResolved('campaign_id', n.resolve('campaign_id', 'rivera gotv 2026', inBrandA))).toBe(
      `“rivera gotv 2026” is campaign Rivera GOTV 2026 (${F.CAMP_GOTV})`,
    );
    expect(
      describeResolved('suppression_list_ids', n.resolve('suppression_list_ids', 'Volunteers', inA)),
    ).toBe(`“Volunteers” is suppression list Volunteers (${F.CL_VOL_A})`);
    expect(describeResolved('campaign_id', n.resolve('campaign_id', F.CAMP_GOTV, inBrandA))).toBeNull();
  });
});
