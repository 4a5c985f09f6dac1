import { describe, expect, it } from 'vitest';
import {
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  SANDBOX_API_KEY,
  SANDBOX_KEYS,
  SEED,
  TFV_REJECTED,
  TFV_VERIFIED,
  seedAccount,
} from '../../../src/sandbox';

const ULID = '0[0-9A-HJKMNP-TV-Z]{25}';
const PREFIX: Record<string, string> = {
  organizations: 'org',
  brands: 'brand',
  campaigns: 'camp',
  phone_numbers: 'pn',
  toll_free_verifications: 'tfv',
  tracking_domains: 'td',
  contact_lists: 'cl',
};

describe('the seed account', () => {
  it('uses unique, ULID-looking ids with the API prefixes', () => {
    const all: string[] = [];
    for (const [list, prefix] of Object.entries(PREFIX)) {
      for (const item of SEED[list as keyof typeof SEED]) {
        expect(item.id).toMatch(new RegExp(`^${prefix}_${ULID}$`));
        all.push(item.id as string);
      }
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('has two organizations, and every item belongs to one of them', () => {
    expect(SEED.organizations.map((o) => o.id)).toEqual([ORG_SENATE, ORG_PAC]);
    for (const list of [
      'brands',
      'campaigns',
      'phone_numbers',
      'toll_free_verifications',
      'contact_lists',
    ] as const) {
      for (const item of SEED[list]) expect([ORG_SENATE, ORG_PAC]).toContain(item.org_id);
    }
  });

  it('keeps the hierarchy consistent: campaign → brand → organization, 10DLC numbers → campaign', () => {
    for (const c of SEED.campaigns) {
      const brand = SEED.brands.find((b) => b.id === c.brand_id);
      expect(brand?.org_id).toBe(c.org_id);
      const numbers = SEED.phone_numbers.filter((p) => p.campaign_id === c.id);
      expect(numbers).toHaveLength(10);
      for (const p of numbers)
        expect(p).toMatchObject({ channel: '10dlc', brand_id: c.brand_id, org_id: c.org_id });
    }
  });

  it('has toll-free numbers under one Verified and one Rejected verification', () => {
    const statuses = Object.fromEntries(SEED.toll_free_verifications.map((v) => [v.id, v.status]));
    expect(statuses).toEqual({ [TFV_VERIFIED]: 'Verified', [TFV_REJECTED]: 'Rejected' });
    const under = (id: string) =>
      SEED.phone_numbers.filter((p) => p.toll_free_verification_id === id).map((p) => p.id);
    expect(under(TFV_VERIFIED)).toEqual([...PHONE_NUMBER_IDS.tollFreeVerified]);
    expect(under(TFV_REJECTED)).toEqual([...PHONE_NUMBER_IDS.tollFreeRejected]);
    for (const p of SEED.phone_numbers.filter((x) => x.toll_free_verification_id))
      expect(p.channel).toBe('toll-free');
  });

  it('uses E.164 numbers in the 555-01xx fiction range, each once', () => {
    const numbers = SEED.phone_numbers.map((p) => p.number as string);
    for (const n of numbers) expect(n).toMatch(/^\+1(555010|833555)01\d\d$/);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers[0]).toBe('+15550100100');
  });

  it('has tracking domains and contact lists in both organizations', () => {
    for (const org of [ORG_SENATE, ORG_PAC]) {
      expect(SEED.tracking_domains.some((d) => d.org_id === org)).toBe(true);
      expect(SEED.contact_lists.some((l) => l.org_id === org)).toBe(true);
    }
  });

  it('has a key for the whole account and one scoped to each organization', () => {
    expect(SANDBOX_KEYS.find((k) => k.key === SANDBOX_API_KEY)?.organizationIds).toEqual([
      ORG_SENATE,
      ORG_PAC,
    ]);
    expect(
      SANDBOX_KEYS.filter((k) => k.organizationIds.length === 1).map((k) => k.organizationIds[0]),
    ).toEqual([ORG_SENATE, ORG_PAC]);
    for (const k of SANDBOX_KEYS) expect(k.key).toMatch(/^pc_test_sandbox_/);
  });

  it('gives a fresh copy with seedAccount()', () => {
    const copy = seedAccount();
    expect(copy).toEqual(SEED);
    copy.brands.pop();
    expect(SEED.brands).toHaveLength(3);
  });
});
