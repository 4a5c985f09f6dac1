/** The Sandbox seed as the account check would fetch it: every list of both organizations. */
import { organizationDataFromApi, organizationsFromApi } from '../../../src/shared/account/from-api';
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';
import * as S from '../../../src/sandbox/seed';

export function seedSnapshot(): AccountSnapshot {
  const byOrganization: AccountSnapshot['byOrganization'] = {};
  for (const org of [S.ORG_SENATE, S.ORG_PAC]) {
    const mine = <T extends { org_id?: string }>(items: T[]) => items.filter((i) => i.org_id === org);
    byOrganization[org] = organizationDataFromApi({
      brands: mine(S.SEED.brands),
      campaigns: mine(S.SEED.campaigns),
      phoneNumbers: mine(S.SEED.phone_numbers),
      verifications: mine(S.SEED.toll_free_verifications),
      trackingDomains: S.SEED.tracking_domains.filter((d) => S.TRACKING_DOMAIN_ORG[d.id as string] === org),
      contactLists: mine(S.SEED.contact_lists),
    });
  }
  return {
    source: 'Sandbox',
    fetchedAt: 0,
    organizations: organizationsFromApi(S.SEED.organizations),
    byOrganization,
    unavailable: [],
  };
}
