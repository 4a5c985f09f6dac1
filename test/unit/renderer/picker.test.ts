/** What a cell's picker offers: the account's entities narrowed to the row, enum and yes/no values. */
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/sandbox/seed';
import { seedSnapshot } from '../account/seed-snapshot';
import { accountNames, resolvedId } from '../../../src/shared/account/resolve';
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';
import type { RawRow } from '../../../src/shared/schema/fields';
import {
  filterOptions,
  finalText,
  pickerFor,
  splitTyped,
  toggleValue,
  type Picker,
  type PickerContext,
} from '../../../src/renderer/src/model/picker';

const snapshot = seedSnapshot();
const names = accountNames(snapshot);
const ctx: PickerContext = { snapshot, defaultOrg: '' };
const pick = (field: Parameters<typeof pickerFor>[0], row: RawRow, c: PickerContext = ctx): Picker => {
  const p = pickerFor(field, row, c);
  if (!p) throw new Error(`no picker for ${field}`);
  return p;
};
const ids = (p: Picker) => p.options.map((o) => o.key).sort();

describe('reference pickers, narrowed to the row', () => {
  it('offers a brand’s campaigns only, found by the row’s names', () => {
    const p = pick('campaign_id', {
      organization_id: 'Forward Together PAC',
      brand_id: 'forward together action fund',
    });
    expect(p.title).toBe('Campaigns of brand Forward Together Action Fund');
    expect(ids(p)).toEqual(
      [S.CAMP_ACTION_ADVOCACY, S.CAMP_ACTION_PHONE_BANK, S.CAMP_ACTION_PHONE_BANK_COPY].sort(),
    );
    const other = pick('campaign_id', { organization_id: S.ORG_SENATE, brand_id: S.BRAND_RIVERA });
    expect(ids(other)).toEqual([S.CAMP_RIVERA_FUNDRAISING, S.CAMP_RIVERA_GOTV].sort());
    expect(other.options.find((o) => o.key === S.CAMP_RIVERA_GOTV)).toEqual(
      expect.objectContaining({
        value: 'Rivera GOTV 2026',
        label: 'Rivera GOTV 2026',
        id: S.CAMP_RIVERA_GOTV,
      }),
    );
    // The title says where they all belong; a list that spans brands says it of each.
    expect(other.options.every((o) => o.detail === undefined)).toBe(true);
    const org = pick('campaign_id', { organization_id: S.ORG_PAC });
    expect(org.options.find((o) => o.key === S.CAMP_PAC_MEMBERS)?.detail).toBe('brand Forward Together PAC');
    expect(org.options.find((o) => o.key === S.CAMP_ACTION_ADVOCACY)?.detail).toBe(
      'brand Forward Together Action Fund',
    );
  });

  it('gives each option a value that resolves back to it in the row’s scope (clashing names get their id)', () => {
    const row = { organization_id: S.ORG_PAC, brand_id: S.BRAND_ACTION_FUND };
    const p = pick('campaign_id', row);
    const scope = names.resolveReferences(row).scope;
    for (const o of p.options) {
      expect(resolvedId(names.resolve('campaign_id', o.value, scope))).toBe(o.key);
    }
    const clash = p.options.filter((o) => /phone bank/i.test(o.label));
    expect(clash).toHaveLength(2);
    for (const o of clash) expect(o.value).toBe(`${o.label} (${o.key})`);
  });

  it('offers the campaign’s numbers, or the toll-free verification’s, as a list cell', () => {
    const p = pick('phone_number_ids', {
      organization_id: 'Rivera for Senate',
      brand_id: 'Rivera for Senate',
      campaign_id: 'Rivera GOTV 2026',
    });
    expect(p.multi).toBe(true);
    expect(p.title).toBe('Numbers of campaign Rivera GOTV 2026');
    expect(ids(p)).toEqual([...S.PHONE_NUMBER_IDS.riveraGotv].sort());
    const tf = pick('phone_number_ids', {
      organization_id: S.ORG_SENATE,
      channel: 'toll-free',
      toll_free_verification_id: S.TFV_VERIFIED,
    });
    expect(ids(tf)).toEqual([...S.PHONE_NUMBER_IDS.tollFreeVerified].sort());
    // No campaign: every number of the organization, the shared ones by nickname too.
    const all = pick('phone_number_ids', { organization_id: S.ORG_SENATE });
    expect(all.title).toBe('Numbers of Rivera for Senate');
    expect(all.options.some((o) => o.label.startsWith('Main line'))).toBe(true);
    expect(all.options.some((o) => S.PHONE_NUMBER_IDS.pacMembers.includes(o.key as never))).toBe(false);
  });

  it('narrows lists, domains and brands to the organization, the default one when the row has none', () => {
    const p = pick('contact_list_ids', {}, { snapshot, defaultOrg: S.ORG_PAC });
    expect(p.title).toBe('Contact lists of Forward Together PAC');
    expect(p.options.every((o) => names.organizationOf('contactList', o.key) === S.ORG_PAC)).toBe(true);
    expect(p.options.find((o) => o.key === S.CL_PAC_VOLUNTEERS)?.value).toBe('Volunteers');
    expect(pick('suppression_list_ids', { organization_id: S.ORG_SENATE }).title).toBe(
      'Suppression lists of Rivera for Senate',
    );
    expect(ids(pick('brand_id', { organization_id: 'Rivera for Senate' }))).toEqual([S.BRAND_RIVERA]);
    expect(ids(pick('link_tracking_domain_id', { organization_id: S.ORG_SENATE }))).toEqual([S.TD_RIVERA]);
  });

  it('shows every organization’s, grouped, when the row’s organization is not known', () => {
    const p = pick('contact_list_ids', { organization_id: 'Nobody we know' });
    expect(p.title).toBe('Contact lists of all organizations');
    expect(p.options.every((o) => o.detail === undefined)).toBe(true);
    // Campaigns still say their brand under the organization's heading.
    const camps = pick('campaign_id', {});
    expect(camps.options.find((o) => o.key === S.CAMP_PAC_MEMBERS)).toMatchObject({
      group: 'Forward Together PAC',
      detail: 'brand Forward Together PAC',
    });
    const groups = [...new Set(p.options.map((o) => o.group))];
    expect(groups).toEqual(['Forward Together PAC', 'Rivera for Senate']);
    // The same name in both organizations: each value names its id, so it still resolves.
    const vols = p.options.filter((o) => o.label === 'Volunteers');
    expect(vols.map((o) => o.value).sort()).toEqual(
      [`Volunteers (${S.CL_PAC_VOLUNTEERS})`, `Volunteers (${S.CL_RIVERA_VOLUNTEERS})`].sort(),
    );
    // Options of one group stay together.
    const order = p.options.map((o) => o.group);
    expect(order).toEqual([...order].sort());
  });

  it('offers the organizations without a scope', () => {
    const p = pick('organization_id', { brand_id: S.BRAND_PAC });
    expect(ids(p)).toEqual([S.ORG_PAC, S.ORG_SENATE].sort());
    expect(p.options.every((o) => o.group === undefined)).toBe(true);
  });

  it('says when the organization’s lists were not read', () => {
    const p = pick('brand_id', { organization_id: 'org_01NOTFETCHED0000000000000' });
    expect(p.options).toEqual([]);
    expect(p.empty).toMatch(/not read: check with the account again/);
  });

  it('offers no list for a reference cell without account data, nor for free text', () => {
    expect(pickerFor('campaign_id', {}, { snapshot: null, defaultOrg: '' })).toBeNull();
    expect(pickerFor('message_text', {}, ctx)).toBeNull();
    expect(pickerFor(null, {}, ctx)).toBeNull();
  });

  it('knows which options a cell holds, by name, id or number however written', () => {
    const row = { organization_id: S.ORG_SENATE, brand_id: S.BRAND_RIVERA, campaign_id: S.CAMP_RIVERA_GOTV };
    const camp = pick('campaign_id', row);
    expect([...camp.holds('rivera gotv 2026').keys]).toEqual([S.CAMP_RIVERA_GOTV]);
    expect([...camp.holds(S.CAMP_RIVERA_FUNDRAISING).keys]).toEqual([S.CAMP_RIVERA_FUNDRAISING]);
    expect([...camp.holds('Something else').keys]).toEqual([]);
    const nums = pick('phone_number_ids', row);
    const [a, b] = S.PHONE_NUMBER_IDS.riveraGotv;
    const held = nums.holds(`(555) 010-0100; ${b}, Not a number`);
    expect([...held.keys].sort()).toEqual([a, b].sort());
    expect(held.others).toEqual(['Not a number']);
    expect([...nums.holds(`${a} ${b}`).keys].sort()).toEqual([a, b].sort());
    // A huge cell is not read item by item.
    expect(nums.holds(`${a}, `.repeat(2000)).keys.size).toBe(0);
  });
});

describe('enum and yes/no pickers', () => {
  it('offers sms/mms, 10dlc/toll-free and yes/no, with or without an account', () => {
    for (const c of [ctx, { snapshot: null, defaultOrg: '' }] satisfies PickerContext[]) {
      expect(pick('protocol', {}, c).options.map((o) => o.value)).toEqual(['sms', 'mms']);
      expect(pick('channel', {}, c).options.map((o) => o.value)).toEqual(['10dlc', 'toll-free']);
      expect(pick('link_tracking_enabled', {}, c).options.map((o) => o.value)).toEqual(['yes', 'no']);
      expect(pick('opt_out_footer_enabled', {}, c).options.map((o) => o.value)).toEqual(['yes', 'no']);
    }
  });

  it('reads the cell as the parsers do', () => {
    expect([...pick('protocol', {}).holds(' SMS ').keys]).toEqual(['sms']);
    expect([...pick('channel', {}).holds('Toll Free').keys]).toEqual(['toll-free']);
    expect([...pick('link_tracking_enabled', {}).holds('TRUE').keys]).toEqual(['yes']);
    expect([...pick('link_tracking_enabled', {}).holds('0').keys]).toEqual(['no']);
    expect([...pick('protocol', {}).holds('fax').keys]).toEqual([]);
  });
});

describe('filtering', () => {
  const row = { organization_id: S.ORG_SENATE };
  it('keeps the options holding every word typed, ignoring case and punctuation', () => {
    const lists = pick('contact_list_ids', row).options;
    expect(filterOptions(lists, 'do-not CONTACT').map((o) => o.key)).toEqual([S.CL_RIVERA_DO_NOT_CONTACT]);
    expect(
      filterOptions(lists, 'donors')
        .map((o) => o.label)
        .sort(),
    ).toEqual(['2024 donors', '2025 donors']);
    expect(filterOptions(lists, '')).toHaveLength(lists.length);
    expect(filterOptions(lists, 'zzz')).toEqual([]);
  });

  it('finds by id and by where it belongs', () => {
    const camps = pick('campaign_id', { organization_id: S.ORG_PAC }).options;
    expect(filterOptions(camps, S.CAMP_PAC_MEMBERS.slice(0, 12)).map((o) => o.key)).toEqual([
      S.CAMP_PAC_MEMBERS,
    ]);
    expect(filterOptions(camps, 'brand forward together pac').map((o) => o.key)).toEqual([
      S.CAMP_PAC_MEMBERS,
    ]);
  });

  it('finds a number by its digits however they are typed', () => {
    const nums = pick('phone_number_ids', {
      ...row,
      brand_id: S.BRAND_RIVERA,
      campaign_id: S.CAMP_RIVERA_GOTV,
    });
    expect(filterOptions(nums.options, '(555) 010-0103').map((o) => o.key)).toEqual([
      S.PHONE_NUMBER_IDS.riveraGotv[3],
    ]);
    expect(filterOptions(nums.options, '0100103')).toHaveLength(1);
  });
});

describe('editing a list cell with the picker', () => {
  const row = { organization_id: S.ORG_SENATE, brand_id: S.BRAND_RIVERA, campaign_id: S.CAMP_RIVERA_GOTV };
  const lists = pick('contact_list_ids', row);
  const opt = (label: string) => lists.options.find((o) => o.label === label)!;

  it('splits the item being typed from the items already in the cell', () => {
    expect(splitTyped('Statewide supporters, 20', true)).toEqual({
      prefix: 'Statewide supporters,',
      query: '20',
    });
    expect(splitTyped('Statewide supporters, 20', false)).toEqual({
      prefix: 'Statewide supporters, 20',
      query: '',
    });
    expect(splitTyped('Even', true)).toEqual({ prefix: '', query: 'Even' });
  });

  it('adds a value in place of the item typed, and takes one out, keeping what matches nothing', () => {
    const added = toggleValue(lists, 'Statewide supporters; Old list, 20', true, opt('2024 donors'));
    expect(added).toBe('Statewide supporters, Old list, 2024 donors, ');
    expect([...lists.holds(added).keys].sort()).toEqual([S.CL_RIVERA_SUPPORTERS, S.CL_RIVERA_DONORS].sort());
    const removed = toggleValue(lists, added, false, opt('Statewide supporters'));
    expect(removed).toBe('Old list, 2024 donors, ');
    expect(finalText(removed)).toBe('Old list, 2024 donors');
    expect(toggleValue(lists, '2024 donors', false, opt('2024 donors'))).toBe('');
  });

  it('takes an id out of an id list written with spaces', () => {
    const nums = pick('phone_number_ids', row);
    const [a, b] = S.PHONE_NUMBER_IDS.riveraGotv;
    const next = toggleValue(
      nums,
      `${a} ${b}`,
      false,
      nums.options.find((o) => o.key === a)!,
    );
    expect([...nums.holds(next).keys]).toEqual([b]);
  });

  it('never puts a value with a comma in a list cell: the id goes there', () => {
    const withComma: AccountSnapshot = structuredClone(snapshot);
    withComma.byOrganization[S.ORG_SENATE]!.contactLists!.push({
      id: 'cl_01COMMA0000000000000000000',
      name: 'Donors, lapsed',
    });
    const p = pick('contact_list_ids', row, { snapshot: withComma, defaultOrg: '' });
    expect(p.options.find((o) => o.label === 'Donors, lapsed')?.value).toBe('cl_01COMMA0000000000000000000');
  });
});
