/**
 * The API's list answers (as the official SDK types them) in the snapshot's shape: one pure mapping
 * per list, defensive about every field (an answer is hostile input: missing, null or non-text
 * values are dropped, never trusted).
 */
import type {
  Brand,
  Campaign,
  ContactList,
  MediaFile,
  Organization,
  PhoneNumber,
  TollFreeVerification,
  TrackingDomain,
} from '@political-comms/sdk';
import type { AccountSnapshot, OrganizationData } from './snapshot';
import type { AccountMedia, MediaExtension } from './resolve';

const MAX_ID = 200;
const MAX_TEXT = 2000;

function str(v: unknown, max = MAX_TEXT): string | null {
  return typeof v === 'string' && v !== '' ? v.slice(0, max) : null;
}

function withId<T extends { id: string }>(
  items: readonly unknown[] | null | undefined,
  map: (raw: Record<string, unknown>, id: string) => T | null,
): T[] {
  const out: T[] = [];
  if (!Array.isArray(items)) return out;
  for (const raw of items) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as Record<string, unknown>;
    const id = typeof r.id === 'string' && r.id !== '' && r.id.length <= MAX_ID ? r.id : null;
    if (id === null) continue;
    const item = map(r, id);
    if (item) out.push(item);
  }
  return out;
}

export function organizationsFromApi(
  items: readonly Organization[] | null | undefined,
): NonNullable<AccountSnapshot['organizations']> {
  return withId(items, (r, id) => ({ id, name: str(r.display_name) ?? id }));
}

/** The lists of one organization, as the API answered them (a list left out could not be read). */
export interface OrganizationLists {
  brands?: readonly Brand[] | null;
  campaigns?: readonly Campaign[] | null;
  phoneNumbers?: readonly PhoneNumber[] | null;
  verifications?: readonly TollFreeVerification[] | null;
  trackingDomains?: readonly TrackingDomain[] | null;
  contactLists?: readonly ContactList[] | null;
  media?: readonly MediaFile[] | null;
}

export function organizationDataFromApi(lists: OrganizationLists): OrganizationData & MediaExtension {
  const data: OrganizationData & MediaExtension = {};
  if (lists.brands)
    data.brands = withId(lists.brands, (r, id) => ({
      id,
      name: str(r.brand_name) ?? id,
      status: str(r.status),
    }));
  if (lists.campaigns)
    data.campaigns = withId(lists.campaigns, (r, id) => ({
      id,
      name: str(r.name) ?? id,
      brandId: str(r.brand_id, MAX_ID),
      status: str(r.campaign_status),
    }));
  if (lists.phoneNumbers)
    data.phoneNumbers = withId(lists.phoneNumbers, (r, id) => {
      const number = str(r.number);
      if (number === null) return null;
      return {
        id,
        number,
        channel: str(r.channel),
        campaignId: str(r.campaign_id, MAX_ID),
        brandId: str(r.brand_id, MAX_ID),
        tollFreeVerificationId: str(r.toll_free_verification_id, MAX_ID),
        status: str(r.status),
        shared: r.shared === true,
        nickname: str(r.nickname),
      };
    });
  if (lists.verifications)
    data.verifications = withId(lists.verifications, (r, id) => ({
      id,
      name: str(r.name) ?? id,
      status: str(r.status),
    }));
  if (lists.trackingDomains)
    data.trackingDomains = withId(lists.trackingDomains, (r, id) => {
      const domain = str(r.domain);
      return domain === null ? null : { id, domain, status: str(r.status) };
    });
  if (lists.contactLists)
    data.contactLists = withId(lists.contactLists, (r, id) => ({ id, name: str(r.name) ?? id }));
  if (lists.media)
    data.media = withId<AccountMedia>(lists.media, (r, id) => ({ id, name: str(r.name) ?? id }));
  return data;
}
