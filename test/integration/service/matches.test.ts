/**
 * Values matched by hand are remembered per account (the server and the organizations the key
 * reaches, never the key), through the contract's schemas as the window reaches them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BRIDGE, REFERENCE_FIELD_NAMES, type CallName, type CallOutput } from '../../../src/shared/bridge';
import { REFERENCE_FIELDS } from '../../../src/shared/account/resolve';
import { ORG_SENATE } from '../../../src/sandbox';
import { serviceFixture, type ServiceFixture } from './helpers';

let f: ServiceFixture;
beforeEach(() => {
  f = serviceFixture();
});
afterEach(async () => {
  await f.close();
});

async function call<K extends CallName>(name: K, input?: unknown): Promise<CallOutput<K>> {
  const handler = f.service.handlers[name] as (i: unknown) => Promise<unknown>;
  const out = await handler(BRIDGE[name].input.parse(input));
  return BRIDGE[name].output.parse(out) as CallOutput<K>;
}

const ORGS = ['org_b', 'org_a'];
const match = (text: string, id: string | null, field = 'campaign_id', scope = 'org_a|brand_a') => ({
  field,
  scope,
  text,
  id,
});

describe('saved matches', () => {
  it('round-trips per account, whatever the order of its organizations', async () => {
    expect(await call('getSavedMatches', { organizationIds: ORGS })).toEqual([]);
    expect(
      await call('saveMatches', { organizationIds: ORGS, matches: [match('Rivera GOTV 2062', 'camp_1')] }),
    ).toBe(true);
    expect(await call('getSavedMatches', { organizationIds: ['org_a', 'org_b'] })).toEqual([
      match('Rivera GOTV 2062', 'camp_1'),
    ]);
    // Another set of organizations is another account.
    expect(await call('getSavedMatches', { organizationIds: ['org_a'] })).toEqual([]);
  });

  it('replaces a choice for the same text (case and spacing forgiven), and forgets one on request', async () => {
    await call('saveMatches', { organizationIds: ORGS, matches: [match('Rivera GOTV 2062', 'camp_1')] });
    await call('saveMatches', { organizationIds: ORGS, matches: [match('rivera  gotv 2062', 'camp_2')] });
    await call('saveMatches', {
      organizationIds: ORGS,
      matches: [match('Other', 'camp_3', 'campaign_id', 'org_a|brand_b')],
    });
    expect(await call('getSavedMatches', { organizationIds: ORGS })).toEqual([
      match('rivera  gotv 2062', 'camp_2'),
      match('Other', 'camp_3', 'campaign_id', 'org_a|brand_b'),
    ]);
    await call('saveMatches', { organizationIds: ORGS, matches: [match('Rivera GOTV 2062', null)] });
    expect(await call('getSavedMatches', { organizationIds: ORGS })).toEqual([
      match('Other', 'camp_3', 'campaign_id', 'org_a|brand_b'),
    ]);
  });

  it('keeps the newest choices of an account past its limit', async () => {
    for (let batch = 0; batch < 5; batch++) {
      const matches = Array.from({ length: 500 }, (_, i) => match(`name ${batch * 500 + i}`, `camp_${i}`));
      await call('saveMatches', { organizationIds: ORGS, matches });
    }
    const kept = await call('getSavedMatches', { organizationIds: ORGS });
    expect(kept).toHaveLength(2000);
    expect(kept[0]!.text).toBe('name 500');
    expect(kept.at(-1)!.text).toBe('name 2499');
  });

  it('refuses input that is not a match', () => {
    const refused = (input: unknown) => expect(BRIDGE.saveMatches.input.safeParse(input).success).toBe(false);
    refused({ organizationIds: ORGS, matches: [match('x', 'camp_1', 'name')] });
    refused({ organizationIds: ORGS, matches: [{ ...match('x', 'camp_1'), extra: 1 }] });
    refused({ organizationIds: ORGS, matches: [match('x'.repeat(1001), 'camp_1')] });
    refused({ organizationIds: ORGS, matches: [match('', 'camp_1')] });
    refused({ organizationIds: [], matches: [] });
    refused({ organizationIds: Array.from({ length: 1001 }, (_, i) => `org_${i}`), matches: [] });
    refused({
      organizationIds: ORGS,
      matches: Array.from({ length: 501 }, (_, i) => match(`n${i}`, 'camp_1')),
    });
    expect(BRIDGE.getSavedMatches.input.safeParse({ organizationIds: ORGS, apiKey: 'x' }).success).toBe(
      false,
    );
  });

  it('names the account by its server and organizations, never by its key', async () => {
    await call('setSettings', { environment: 'production' });
    // No key yet: no connection, nothing remembered.
    expect(await call('saveMatches', { organizationIds: ORGS, matches: [match('x', 'camp_1')] })).toBe(false);
    expect(await call('getSavedMatches', { organizationIds: ORGS })).toEqual([]);
    await call('setApiKey', { apiKey: 'pc_live_first_key_0000000000' });
    await call('saveMatches', { organizationIds: ORGS, matches: [match('x', 'camp_1')] });
    await call('setApiKey', { apiKey: 'pc_live_second_key_111111111' });
    expect(await call('getSavedMatches', { organizationIds: ORGS })).toEqual([match('x', 'camp_1')]);
    // The Sandbox is another server.
    await call('setSettings', { environment: 'sandbox' });
    expect(await call('getSavedMatches', { organizationIds: ORGS })).toEqual([]);
    const stored = readFileSync(join(f.dataDir, 'matches.json'), 'utf8');
    expect(stored).not.toContain('pc_live_');
  });

  it('a stored file that no longer fits its shape is read as empty', async () => {
    await call('saveMatches', { organizationIds: ORGS, matches: [match('x', 'camp_1')] });
    const path = join(f.dataDir, 'matches.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, JSON.stringify({ k: [{ field: 'name', scope: '', text: 'x', id: 'y' }] }));
    expect(await call('getSavedMatches', { organizationIds: ORGS })).toEqual([]);
  });
});

it('the contract lists every reference field', () => {
  expect([...REFERENCE_FIELD_NAMES].sort()).toEqual(Object.keys(REFERENCE_FIELDS).sort());
});

it('the account check reads the organizations a sheet names by name, not only by id', async () => {
  const { snapshot } = await call('loadAccount', { organizationIds: ['rivera for senate', 'org_unknown'] });
  expect(Object.keys(snapshot!.byOrganization)).toEqual([ORG_SENATE]);
  expect(snapshot!.byOrganization[ORG_SENATE]!.campaigns?.length).toBeGreaterThan(0);
});
