/**
 * The Sandbox's fictional account: two organizations (a Senate campaign and a PAC), their brands,
 * 10DLC campaigns with ten numbers each, toll-free numbers under a Verified and a Rejected
 * verification, tracking domains and contact lists.
 *
 * Names behave as in real accounts: one name in two scopes (a "Volunteers" contact list in each
 * organization), one clash within a scope (two Action Fund campaigns both called "Action Fund Phone
 * Bank"), numbers shared with Rivera for Senate by its parent organization under nicknames
 * ("Main line"), and names close enough to each other to exercise suggestions ("2024 donors",
 * "2025 donors").
 *
 * Every id here is a literal and stays stable: the example spreadsheets, the tests and the docs use
 * them. Add new items at the end of a list; never renumber or reuse an id. Phone numbers use the
 * 555-01xx fiction range. Each item is shaped like the API's list answers for its endpoint.
 */
import type {
  Brand,
  Campaign,
  ContactList,
  Organization,
  OwnedTrackingDomain,
  PhoneNumber,
  TollFreeVerification,
} from '@political-comms/sdk';

export const ORG_SENATE = 'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0';
export const ORG_PAC = 'org_01HR6FS4NDQ995JWZ5B0V5BD5G';

export const BRAND_RIVERA = 'brand_01HR77TXQCN3JZF2DZYTBBGTM9';
export const BRAND_PAC = 'brand_01HR7ZWE770RM5910H9QT1JMZZ';
export const BRAND_ACTION_FUND = 'brand_01HR8QZGXB5H22D2WGYQE1JT8E';

export const CAMP_RIVERA_GOTV = 'camp_01HR9G1HX1EN9R9RS5X0FZS0PB';
export const CAMP_RIVERA_FUNDRAISING = 'camp_01HRA84MS3W9N3Z5DSPH7R5J4P';
export const CAMP_PAC_MEMBERS = 'camp_01HRB0674PMS2H3W2FVTF89GAF';
export const CAMP_ACTION_ADVOCACY = 'camp_01HRBR83NXJSRTFEQQP8HBZR0F';
/** Two campaigns of one brand with the same name (a copy made for a second round of calls). */
export const CAMP_ACTION_PHONE_BANK = 'camp_01HT00D6FG2W6ZB3VK1ZRPS54X';
export const CAMP_ACTION_PHONE_BANK_COPY = 'camp_01HT01S0QT91N4HKEKTHS52JQJ';

export const TFV_VERIFIED = 'tfv_01HSN4Z2B8K7B81ARAFF34SE9N';
export const TFV_REJECTED = 'tfv_01HSNX1PJ9P0REE9HV0CW212KP';

export const TD_RIVERA = 'td_01HSPN5FHMQBSYEBV1FMAT7V9V';
export const TD_PAC = 'td_01HSQD8ND7ZYJNXXRK5475BY8H';
export const TD_ACTION_FUND = 'td_01HSR5CP5RZJX82SM92RTZFGM0';

export const CL_RIVERA_SUPPORTERS = 'cl_01HSRXEPVE6SFVNHFREW4BS3KS';
export const CL_RIVERA_DONORS = 'cl_01HSSNHBACF83JMEAZKBNS1MHX';
export const CL_RIVERA_DO_NOT_CONTACT = 'cl_01HSTDM2ZDT45VHM3AXE31007K';
export const CL_PAC_MEMBERS = 'cl_01HSV5NAFEAH5P5MYQ3YCR6A6E';
export const CL_ACTION_VOLUNTEERS = 'cl_01HSVXRAZTE0X1V4N3DWE5VW4B';
export const CL_PAC_DO_NOT_CONTACT = 'cl_01HSWNTPA5A8TN5QVPVBCAA9V0';
/** "Volunteers" in each organization: one name, two scopes. */
export const CL_RIVERA_VOLUNTEERS = 'cl_01HT10P57279498ABPES19JXXM';
export const CL_PAC_VOLUNTEERS = 'cl_01HT11AG0JVVDA1PPJ6ZQTPM2K';
export const CL_RIVERA_DONORS_2025 = 'cl_01HT120KM83MFD754BVNH2VEQM';
export const CL_RIVERA_EVENT_RSVPS = 'cl_01HT13N3MYDE46YZACXRNC8AYW';
export const CL_PAC_LAPSED_MEMBERS = 'cl_01HT1497CTDBG4MYW5VSCAB95A';

/** A key for the whole seed account (both organizations). */
export const SANDBOX_API_KEY = 'pc_test_sandbox_4fJ9kQ2xW7mZ8rT1vB6nH3cL';
/** A key scoped to the Senate campaign only. */
export const SANDBOX_SENATE_KEY = 'pc_test_sandbox_senate_Q8wE2rT5yU1iO4pA7sD0';
/** A key scoped to the PAC only. */
export const SANDBOX_PAC_KEY = 'pc_test_sandbox_pac_Z3xC6vB9nM2qW5eR8tY1';

export interface SandboxKey {
  key: string;
  label: string;
  /** The organizations this key may act for. */
  organizationIds: readonly string[];
}

export const SANDBOX_KEYS: readonly SandboxKey[] = [
  { key: SANDBOX_API_KEY, label: 'whole account', organizationIds: [ORG_SENATE, ORG_PAC] },
  { key: SANDBOX_SENATE_KEY, label: 'Rivera for Senate only', organizationIds: [ORG_SENATE] },
  { key: SANDBOX_PAC_KEY, label: 'Forward Together PAC only', organizationIds: [ORG_PAC] },
];

/** The 10DLC numbers of each campaign, in order (ten each). */
const PN_RIVERA_GOTV = [
  'pn_01HRCGB4W8GJACYA1SCX5GNW8R',
  'pn_01HRD8DYP3DFY0SDWCHF9Q1YYS',
  'pn_01HRE0HHDBP23FJ6SM2CNPSMQK',
  'pn_01HRERM6KC7CMDFQJVDZ0E9ZWT',
  'pn_01HRFGQCC82DQJAY2XJG9YTFEC',
  'pn_01HRG8TYENTDK3D4058NDVGXVR',
  'pn_01HRH0W8X1N0P2FRSTTF09WYA2',
  'pn_01HRHRZZ7K355YK57APT8X9WN5',
  'pn_01HRJH1VHNYJW43K1ZY0ZVSSYS',
  'pn_01HRK9540FVBS6K1CQD5T8ZKX4',
] as const;
const PN_RIVERA_FUNDRAISING = [
  'pn_01HRM18HP6S2KVX3KJ5KWQPAW5',
  'pn_01HRMS9P47Q3H8T2J62EBDRPBQ',
  'pn_01HRNHCC6H4EQB1DC7BVJVFQ00',
  'pn_01HRP9DY7YCRJEY8TPBHBK12Y5',
  'pn_01HRQ1GMH2PZZMEZP5N8FYGWMG',
  'pn_01HRQSJZK3M10Z58PD9TYY26D3',
  'pn_01HRRHPQ6T5G3ATBTW3JDEDY0G',
  'pn_01HRS9R3V87FTEX3FD5DTA8TKW',
  'pn_01HRT1W6H22F5R47R00RFTVWBY',
  'pn_01HRTSYGHHB5C083XCW0906C7X',
] as const;
const PN_PAC_MEMBERS = [
  'pn_01HRVJ11E41FRMH1DHRXWYQ8AZ',
  'pn_01HRWA3EY1KGEG6N6EW4E4WD8Z',
  'pn_01HRX26DKYVPWEDBW5E7G53NKM',
  'pn_01HRXT8ZJERMYG617GMCHN7QC3',
  'pn_01HRYJCHK8H66X3BR82Z9XMT8K',
  'pn_01HRZAERY1Z9T5SM7WNCR9M0HX',
  'pn_01HS02JATQAK0QSJTQQFYNMGHF',
  'pn_01HS0TN2C0WN3WB51FG3W23VDW',
  'pn_01HS1JR69R7SHHQ2GY0D4XTRC6',
  'pn_01HS2ATMQ6B8ZBZK6YWC26C3QR',
] as const;
const PN_ACTION_ADVOCACY = [
  'pn_01HS32WTQ1QTMWJEAWBBRGJJBS',
  'pn_01HS3V0V9TQGHJJE2VSFWZF0TJ',
  'pn_01HS4K4WKBWN5QJ51R4VNBVGYV',
  'pn_01HS5B85AFY2MT941ZZECH148R',
  'pn_01HS639NKNJ2DNHJCANT1XKBXR',
  'pn_01HS6VCCBBSNYYM7VC1S2607DS',
  'pn_01HS7KGBRC2ANT0MHTAQV632W8',
  'pn_01HS8BM2ZYGAV1N48A6G1FZSK5',
  'pn_01HS93PFBER6X4V9DF5YDMX7D2',
  'pn_01HS9VT8E7W43HSWPC89XSXB5Q',
] as const;
/** Toll-free numbers of the Senate campaign under the Verified verification. */
const PN_TOLL_FREE_VERIFIED = [
  'pn_01HSAKVT9K8H15WX6S45W192JG',
  'pn_01HSBBY7ZDN7577FB39XT544FY',
  'pn_01HSC40JA0AW9ZS18RSKCVB64B',
  'pn_01HSCW1W21PZX819K6Z3X5FCM3',
  'pn_01HSDM4121JVKBNNTA68Z3BPYN',
  'pn_01HSEC5X05QPEB0JF2X74R3ZVF',
] as const;
/** Toll-free numbers of the Senate campaign under the Rejected verification. */
const PN_TOLL_FREE_REJECTED = [
  'pn_01HSF49E73XX68WEQ1HN8YBWZS',
  'pn_01HSFWD60333N3D2VQJ6ERQ9M2',
  'pn_01HSGMG3GT8PF3X71D4TJXQS87',
  'pn_01HSHCHRE9QS1QGFE5PHT0JVJM',
] as const;
/** Numbers owned by an organization but not assigned to any campaign or verification. */
const PN_SENATE_UNASSIGNED = ['pn_01HSJ4N59T93C70WNDENB8YRFF', 'pn_01HSJWQKVHDXM9762EEVYAH3E3'] as const;
const PN_PAC_UNASSIGNED_10DLC = 'pn_01HSKMT68DERSSDCRP0C22R4R2';
const PN_PAC_UNASSIGNED_TOLL_FREE = 'pn_01HSMCV8HRV3MC4AEY9N7RW174';
const PN_ACTION_PHONE_BANK = [
  'pn_01HT2YHP9R0QYHXE09WQAND3C4',
  'pn_01HT3NS513E5VW7V8MA3A5STYY',
  'pn_01HT4R15CGPQRK7GFNQQB1RV21',
  'pn_01HT5EV2RD6EB4H2VHZP3XQDNJ',
  'pn_01HT6XYYFAXQBCE0HNBF02F7Q9',
  'pn_01HT71MH7EYZPGWAWJ2HNWDJG1',
  'pn_01HT8018HT8FCVY3G2TV5SCPQR',
  'pn_01HT9A19124TCR6PCKHZ7DSF4T',
  'pn_01HTAPM5N95KKBVQB1DZWZB3NX',
  'pn_01HTBFM6E0QQHCVJE9NAXRFXX3',
] as const;
const PN_ACTION_PHONE_BANK_COPY = [
  'pn_01HTCETSW36KP1MZQKA8YE8GZ2',
  'pn_01HTDVQJTJRM98G2RTVGNTRZRS',
  'pn_01HTEBADG7H3PK8KD1K20ACACJ',
  'pn_01HTFCBK16QZCW608SZJXPRT1H',
  'pn_01HTG19ZQ6VSQ48P3E6V530F17',
  'pn_01HTH1EYDXNVMFS5N3Q9K7Z8H0',
  'pn_01HTJCE7YVNSMNRZNCQ4ENRH8W',
  'pn_01HTKHGNT67ZBQ9HRNKQPNX4BS',
  'pn_01HTMDMQP9JNNS2N46GAZ5KAWE',
  'pn_01HTNJ4ECCH7DBYKX8YSWXRQHC',
] as const;
/**
 * Numbers Rivera for Senate's parent organization shares with it, under a nickname. As in the API,
 * a shared row names no owner (no brand or campaign): it is listed, but no Rivera campaign sends from it.
 */
const PN_SENATE_SHARED = ['pn_01HTPFZNPSK814JRJY9TMBGVT3', 'pn_01HTQ93W7KFAD7RZK5C9ERGQC8'] as const;
/** The nickname of each shared number. */
export const SHARED_NUMBER_NICKNAMES: Readonly<Record<string, string>> = {
  [PN_SENATE_SHARED[0]]: 'Main line',
  [PN_SENATE_SHARED[1]]: 'Rapid response line',
};

/** Phone number ids grouped by where they belong, for tests and examples. */
export const PHONE_NUMBER_IDS = {
  riveraGotv: PN_RIVERA_GOTV,
  riveraFundraising: PN_RIVERA_FUNDRAISING,
  pacMembers: PN_PAC_MEMBERS,
  actionAdvocacy: PN_ACTION_ADVOCACY,
  tollFreeVerified: PN_TOLL_FREE_VERIFIED,
  tollFreeRejected: PN_TOLL_FREE_REJECTED,
  senateUnassigned: PN_SENATE_UNASSIGNED,
  pacUnassigned10dlc: [PN_PAC_UNASSIGNED_10DLC],
  pacUnassignedTollFree: [PN_PAC_UNASSIGNED_TOLL_FREE],
  actionPhoneBank: PN_ACTION_PHONE_BANK,
  actionPhoneBankCopy: PN_ACTION_PHONE_BANK_COPY,
  senateShared: PN_SENATE_SHARED,
} as const;

export interface SeedAccount {
  organizations: Organization[];
  brands: Brand[];
  campaigns: Campaign[];
  phone_numbers: PhoneNumber[];
  toll_free_verifications: TollFreeVerification[];
  tracking_domains: OwnedTrackingDomain[];
  contact_lists: ContactList[];
}

const ORG_NAMES: Record<string, string> = {
  [ORG_SENATE]: 'Rivera for Senate',
  [ORG_PAC]: 'Forward Together PAC',
};

function buildSeed(): SeedAccount {
  const organizations: Organization[] = [
    {
      id: ORG_SENATE,
      display_name: ORG_NAMES[ORG_SENATE],
      // The parent that shares its numbers with the campaign; no Sandbox key reaches it.
      parent_org_name: 'State Victory Committee',
      status: 'active',
      created_at: '2024-03-04T15:12:40.000Z',
    },
    {
      id: ORG_PAC,
      display_name: ORG_NAMES[ORG_PAC],
      parent_org_name: null,
      status: 'active',
      created_at: '2024-03-05T09:31:02.000Z',
    },
  ];

  const brand = (id: string, name: string, orgId: string, tcr: string, createdAt: string): Brand => ({
    id,
    brand_name: name,
    org_id: orgId,
    org_name: ORG_NAMES[orgId],
    tcr_brand_id: tcr,
    status: 'active',
    identity_status: 'VERIFIED',
    created_at: createdAt,
  });
  const brands: Brand[] = [
    brand(BRAND_RIVERA, 'Rivera for Senate', ORG_SENATE, 'BRVS26K', '2024-03-06T11:02:18.000Z'),
    brand(BRAND_PAC, 'Forward Together PAC', ORG_PAC, 'BFTP24Q', '2024-03-07T08:44:51.000Z'),
    brand(BRAND_ACTION_FUND, 'Forward Together Action Fund', ORG_PAC, 'BFTA24M', '2024-03-08T16:20:09.000Z'),
  ];
  const brandById = new Map(brands.map((b) => [b.id as string, b]));

  const campaign = (id: string, name: string, brandId: string, createdAt: string): Campaign => {
    const b = brandById.get(brandId) as Brand;
    return {
      id,
      name,
      brand_id: brandId,
      brand_name: b.brand_name,
      org_id: b.org_id,
      org_name: b.org_name,
      campaign_status: 'ACTIVE',
      created_at: createdAt,
    };
  };
  const campaigns: Campaign[] = [
    campaign(CAMP_RIVERA_GOTV, 'Rivera GOTV 2026', BRAND_RIVERA, '2024-03-09T13:05:44.000Z'),
    campaign(CAMP_RIVERA_FUNDRAISING, 'Rivera Fundraising', BRAND_RIVERA, '2024-03-10T10:17:29.000Z'),
    campaign(CAMP_PAC_MEMBERS, 'PAC Member Updates', BRAND_PAC, '2024-03-11T07:48:03.000Z'),
    campaign(CAMP_ACTION_ADVOCACY, 'Action Fund Advocacy', BRAND_ACTION_FUND, '2024-03-12T14:33:57.000Z'),
    campaign(CAMP_ACTION_PHONE_BANK, 'Action Fund Phone Bank', BRAND_ACTION_FUND, '2024-05-02T15:10:00.000Z'),
    campaign(
      CAMP_ACTION_PHONE_BANK_COPY,
      'Action Fund phone bank',
      BRAND_ACTION_FUND,
      '2024-06-11T09:25:00.000Z',
    ),
  ];
  const campaignById = new Map(campaigns.map((c) => [c.id as string, c]));

  const verification = (
    id: string,
    name: string,
    status: string,
    phoneCount: number,
    verifiedAt: string | null,
  ): TollFreeVerification => ({
    id,
    name,
    status,
    verification_request_id: `vr_${id.slice(-12).toLowerCase()}`,
    org_id: ORG_SENATE,
    org_name: ORG_NAMES[ORG_SENATE],
    business_name: 'Rivera for Senate',
    use_case: 'Political',
    phone_number_count: phoneCount,
    submitted_at: '2024-03-20T12:00:00.000Z',
    verified_at: verifiedAt,
    created_at: '2024-03-19T17:45:00.000Z',
  });
  const toll_free_verifications: TollFreeVerification[] = [
    verification(
      TFV_VERIFIED,
      'Rivera toll-free (main)',
      'Verified',
      PN_TOLL_FREE_VERIFIED.length,
      '2024-04-02T18:30:00.000Z',
    ),
    verification(
      TFV_REJECTED,
      'Rivera toll-free (first attempt)',
      'Rejected',
      PN_TOLL_FREE_REJECTED.length,
      null,
    ),
  ];
  const tfvById = new Map(toll_free_verifications.map((v) => [v.id as string, v]));

  const phone_numbers: PhoneNumber[] = [];
  const base = {
    status: 'active',
    shared: false,
    nickname: null,
    toll_free_verification_id: null,
    tf_verification_status: null,
    toll_free_registration_name: null,
    toll_free_business_name: null,
  };
  let line = 100;
  const tenDlc = (ids: readonly string[], campaignId: string) => {
    const c = campaignById.get(campaignId) as Campaign;
    for (const id of ids) {
      phone_numbers.push({
        ...base,
        id,
        number: `+1555010${String(line++).padStart(4, '0')}`,
        channel: '10dlc',
        owner_type: 'campaign',
        campaign_id: campaignId,
        campaign_name: c.name,
        brand_id: c.brand_id,
        brand_name: c.brand_name,
        org_id: c.org_id,
        org_name: c.org_name,
        created_at: c.created_at,
      });
    }
  };
  tenDlc(PN_RIVERA_GOTV, CAMP_RIVERA_GOTV); // +15550100100 … +15550100109
  tenDlc(PN_RIVERA_FUNDRAISING, CAMP_RIVERA_FUNDRAISING); // +15550100110 … 119
  tenDlc(PN_PAC_MEMBERS, CAMP_PAC_MEMBERS); // +15550100120 … 129
  tenDlc(PN_ACTION_ADVOCACY, CAMP_ACTION_ADVOCACY); // +15550100130 … 139

  let tfLine = 100;
  const tollFree = (ids: readonly string[], tfvId: string) => {
    const v = tfvById.get(tfvId) as TollFreeVerification;
    for (const id of ids) {
      phone_numbers.push({
        ...base,
        id,
        number: `+1833555${String(tfLine++).padStart(4, '0')}`,
        channel: 'toll-free',
        owner_type: 'toll_free_registration',
        campaign_id: null,
        campaign_name: null,
        brand_id: null,
        brand_name: null,
        toll_free_verification_id: tfvId,
        tf_verification_status: v.status,
        toll_free_registration_name: v.name,
        toll_free_business_name: v.business_name,
        org_id: v.org_id,
        org_name: v.org_name,
        created_at: v.created_at,
      });
    }
  };
  tollFree(PN_TOLL_FREE_VERIFIED, TFV_VERIFIED); // +18335550100 … 105
  tollFree(PN_TOLL_FREE_REJECTED, TFV_REJECTED); // +18335550106 … 109

  const unassigned = (id: string, number: string, channel: string, orgId: string): PhoneNumber => ({
    ...base,
    id,
    number,
    channel,
    owner_type: 'unassigned',
    campaign_id: null,
    campaign_name: null,
    brand_id: null,
    brand_name: null,
    org_id: orgId,
    org_name: ORG_NAMES[orgId],
    created_at: '2024-04-10T09:00:00.000Z',
  });
  phone_numbers.push(
    unassigned(PN_SENATE_UNASSIGNED[0], '+15550100140', '10dlc', ORG_SENATE),
    unassigned(PN_SENATE_UNASSIGNED[1], '+15550100141', '10dlc', ORG_SENATE),
    unassigned(PN_PAC_UNASSIGNED_10DLC, '+15550100142', '10dlc', ORG_PAC),
    unassigned(PN_PAC_UNASSIGNED_TOLL_FREE, '+18335550110', 'toll-free', ORG_PAC),
  );
  line = 143;
  tenDlc(PN_ACTION_PHONE_BANK, CAMP_ACTION_PHONE_BANK); // +15550100143 … 152
  tenDlc(PN_ACTION_PHONE_BANK_COPY, CAMP_ACTION_PHONE_BANK_COPY); // +15550100153 … 162
  PN_SENATE_SHARED.forEach((id, i) => {
    phone_numbers.push({
      ...base,
      id,
      number: `+1555010${String(163 + i).padStart(4, '0')}`, // +15550100163, 164
      channel: '10dlc',
      owner_type: 'campaign',
      campaign_id: null,
      campaign_name: null,
      brand_id: null,
      brand_name: null,
      org_id: ORG_SENATE,
      org_name: ORG_NAMES[ORG_SENATE],
      shared: true,
      nickname: SHARED_NUMBER_NICKNAMES[id] as string,
      created_at: '2024-05-20T12:00:00.000Z',
    });
  });

  const domain = (id: string, name: string, createdAt: string): OwnedTrackingDomain => ({
    id,
    domain: name,
    // Not in the API's list answer (the Sandbox strips it there); kept in the seed so the examples
    // and `--print-seed` say which organization owns the domain.
    org_id: TRACKING_DOMAIN_ORG[id],
    source: 'own',
    status: 'active',
    verified_at: createdAt,
    created_at: createdAt,
  });
  const tracking_domains: OwnedTrackingDomain[] = [
    domain(TD_RIVERA, 'go.rivera-senate.example', '2024-03-14T10:00:00.000Z'),
    domain(TD_PAC, 'link.forwardtogether.example', '2024-03-15T10:00:00.000Z'),
    domain(TD_ACTION_FUND, 'act.forwardtogether.example', '2024-03-16T10:00:00.000Z'),
  ];

  const list = (id: string, name: string, orgId: string, brandId: string | null, createdAt: string) => ({
    id,
    name,
    brand_id: brandId,
    brand_name: brandId ? (brandById.get(brandId)?.brand_name ?? null) : null,
    org_id: orgId,
    org_name: ORG_NAMES[orgId],
    created_at: createdAt,
  });
  const contact_lists: ContactList[] = [
    list(CL_RIVERA_SUPPORTERS, 'Statewide supporters', ORG_SENATE, BRAND_RIVERA, '2024-03-21T12:00:00.000Z'),
    list(CL_RIVERA_DONORS, '2024 donors', ORG_SENATE, BRAND_RIVERA, '2024-03-22T12:00:00.000Z'),
    list(CL_RIVERA_DO_NOT_CONTACT, 'Do not contact (Rivera)', ORG_SENATE, null, '2024-03-23T12:00:00.000Z'),
    list(CL_PAC_MEMBERS, 'PAC members', ORG_PAC, BRAND_PAC, '2024-03-24T12:00:00.000Z'),
    list(
      CL_ACTION_VOLUNTEERS,
      'Action Fund volunteers',
      ORG_PAC,
      BRAND_ACTION_FUND,
      '2024-03-25T12:00:00.000Z',
    ),
    list(
      CL_PAC_DO_NOT_CONTACT,
      'Do not contact (Forward Together)',
      ORG_PAC,
      null,
      '2024-03-26T12:00:00.000Z',
    ),
    list(CL_RIVERA_VOLUNTEERS, 'Volunteers', ORG_SENATE, BRAND_RIVERA, '2024-05-01T12:00:00.000Z'),
    list(CL_PAC_VOLUNTEERS, 'Volunteers', ORG_PAC, null, '2024-05-01T12:30:00.000Z'),
    list(CL_RIVERA_DONORS_2025, '2025 donors', ORG_SENATE, BRAND_RIVERA, '2025-01-06T12:00:00.000Z'),
    list(CL_RIVERA_EVENT_RSVPS, 'Event RSVPs', ORG_SENATE, BRAND_RIVERA, '2025-02-14T12:00:00.000Z'),
    list(CL_PAC_LAPSED_MEMBERS, 'Lapsed members', ORG_PAC, BRAND_ACTION_FUND, '2025-03-03T12:00:00.000Z'),
  ];

  return {
    organizations,
    brands,
    campaigns,
    phone_numbers,
    toll_free_verifications,
    tracking_domains,
    contact_lists,
  };
}

/** Which organization owns each tracking domain (the list answer does not carry it). */
export const TRACKING_DOMAIN_ORG: Readonly<Record<string, string>> = {
  [TD_RIVERA]: ORG_SENATE,
  [TD_PAC]: ORG_PAC,
  [TD_ACTION_FUND]: ORG_PAC,
};

/** A fresh, deep copy of the seed account (safe to mutate). */
export function seedAccount(): SeedAccount {
  return buildSeed();
}

/** The seed account, shared and read-only by convention. Use `seedAccount()` for a copy. */
export const SEED: SeedAccount = buildSeed();
