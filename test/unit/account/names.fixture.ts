/** A small account for the name-resolution tests: two organizations, clashes within and across scopes. */
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';
import type { MediaExtension } from '../../../src/shared/account/resolve';
import type { OrganizationData } from '../../../src/shared/account/snapshot';

export const ORG_A = 'org_01AAAAAAAAAAAAAAAAAAAAAAAA';
export const ORG_B = 'org_01BBBBBBBBBBBBBBBBBBBBBBBB';
export const BRAND_A = 'brand_01AAAAAAAAAAAAAAAAAAAAAA';
export const BRAND_A2 = 'brand_01AAAAAAAAAAAAAAAAAAAAA2';
export const BRAND_B = 'brand_01BBBBBBBBBBBBBBBBBBBBBB';
export const CAMP_GOTV = 'camp_01GOTV00000000000000000';
export const CAMP_FUND = 'camp_01FUND00000000000000000';
export const CAMP_CALLS_1 = 'camp_01CALLS1000000000000000';
export const CAMP_CALLS_2 = 'camp_01CALLS2000000000000000';
export const CAMP_OTHER_BRAND = 'camp_01OTHER00000000000000000';
export const CAMP_B = 'camp_01BBBBBBBBBBBBBBBBBBBBB';
export const TFV_MAIN = 'tfv_01MAIN000000000000000000';
export const TFV_OLD = 'tfv_01OLD0000000000000000000';
export const PN_GOTV_1 = 'pn_01GOTV1000000000000000000';
export const PN_GOTV_2 = 'pn_01GOTV2000000000000000000';
export const PN_FUND_1 = 'pn_01FUND1000000000000000000';
export const PN_TF_1 = 'pn_01TF10000000000000000000';
export const PN_TF_OLD = 'pn_01TFOLD000000000000000000';
export const PN_SHARED = 'pn_01SHARED00000000000000000';
export const PN_B_1 = 'pn_01B1000000000000000000000';
export const TD_A = 'td_01AAAAAAAAAAAAAAAAAAAAAAAA';
export const TD_B = 'td_01BBBBBBBBBBBBBBBBBBBBBBBB';
export const CL_SUPPORTERS = 'cl_01SUPPORTERS0000000000000';
export const CL_DNC = 'cl_01DNC00000000000000000000';
export const CL_VOL_A = 'cl_01VOLA000000000000000000';
export const CL_VOL_B = 'cl_01VOLB000000000000000000';
export const MEDIA_FLYER = 'media_01FLYER000000000000000';

const orgA: OrganizationData & MediaExtension = {
  brands: [
    { id: BRAND_A, name: 'Rivera for Senate' },
    { id: BRAND_A2, name: 'Rivera Victory Fund' },
  ],
  campaigns: [
    { id: CAMP_GOTV, name: 'Rivera GOTV 2026', brandId: BRAND_A },
    { id: CAMP_FUND, name: 'Rivera Fundraising', brandId: BRAND_A },
    { id: CAMP_CALLS_1, name: 'Volunteer calls', brandId: BRAND_A },
    { id: CAMP_CALLS_2, name: 'Volunteer Calls', brandId: BRAND_A },
    { id: CAMP_OTHER_BRAND, name: 'Victory Mail', brandId: BRAND_A2 },
  ],
  phoneNumbers: [
    { id: PN_GOTV_1, number: '+15550100101', channel: '10dlc', campaignId: CAMP_GOTV, brandId: BRAND_A },
    { id: PN_GOTV_2, number: '+15550100102', channel: '10dlc', campaignId: CAMP_GOTV, brandId: BRAND_A },
    { id: PN_FUND_1, number: '+15550100111', channel: '10dlc', campaignId: CAMP_FUND, brandId: BRAND_A },
    { id: PN_TF_1, number: '+18335550100', channel: 'toll-free', tollFreeVerificationId: TFV_MAIN },
    { id: PN_TF_OLD, number: '+18335550106', channel: 'toll-free', tollFreeVerificationId: TFV_OLD },
  ],
  verifications: [
    { id: TFV_MAIN, name: 'Rivera toll-free (main)', status: 'Verified' },
    { id: TFV_OLD, name: 'Rivera toll-free (first attempt)', status: 'Rejected' },
  ],
  trackingDomains: [{ id: TD_A, domain: 'go.rivera-senate.example' }],
  contactLists: [
    { id: CL_SUPPORTERS, name: 'Statewide supporters' },
    { id: CL_DNC, name: 'Do not contact (Rivera)' },
    { id: CL_VOL_A, name: 'Volunteers' },
  ],
  media: [{ id: MEDIA_FLYER, name: 'Town hall flyer.png' }],
};

const orgB: OrganizationData = {
  brands: [{ id: BRAND_B, name: 'Forward Together PAC' }],
  campaigns: [{ id: CAMP_B, name: 'PAC Member Updates', brandId: BRAND_B }],
  phoneNumbers: [
    { id: PN_B_1, number: '+15550100120', channel: '10dlc', campaignId: CAMP_B, brandId: BRAND_B },
    {
      id: PN_SHARED,
      number: '+15550100105',
      channel: '10dlc',
      campaignId: CAMP_B,
      brandId: null,
      shared: true,
      nickname: 'Main line',
    },
  ],
  verifications: [],
  trackingDomains: [{ id: TD_B, domain: 'link.forwardtogether.example' }],
  contactLists: [{ id: CL_VOL_B, name: 'Volunteers' }],
};

export function fixtureSnapshot(): AccountSnapshot {
  return {
    source: 'test',
    fetchedAt: 0,
    organizations: [
      { id: ORG_A, name: 'Rivera for Senate' },
      { id: ORG_B, name: 'Forward Together PAC' },
    ],
    byOrganization: { [ORG_A]: structuredClone(orgA), [ORG_B]: structuredClone(orgB) },
    unavailable: [],
  };
}
