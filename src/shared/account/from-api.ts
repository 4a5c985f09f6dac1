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
  PhoneNumber,
  Project,
  TollFreeVerification,
  TrackingDomain,
} from '@political-comms/sdk';
import type { AccountSnapshot, OrganizationData } from './snapshot';

const MAX_ID = 200;
const MAX_TEXT = 2000;

function str(v: unknown, max = MAX_TEXT): string | null {
  return typeof v === 'string' && v !== '' ? v.slice(0, max) : null;
}

function withId<T extends { id: string }>(
  items: unknown,
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

export function organizationsFromApi(items: unknown): NonNullable<AccountSnapshot['organizations']> {
  return withId(items, (r, id) => ({ id, name: str(r.display_name ?? r.name) ?? id }));
}

/** The lists of one organization, as the API answered them (a list left out could not be read). */
export interface OrganizationLists {
  brands?: readonly Brand[] | null;
  campaigns?: readonly Campaign[] | null;
  phoneNumbers?: readonly PhoneNumber[] | null;
  verifications?: readonly TollFreeVerification[] | null;
  trackingDomains?: readonly TrackingDomain[] | null;
  contactLists?: readonly ContactList[] | null;
  projects?: readonly Project[] | null;
  media?: readonly MediaFile[] | null;
}

export type ListName = keyof OrganizationLists;

/**
 * One mapping per list, from the API's answer (any value: it is hostile input) to the snapshot's
 * items. The engine's account fetch and every other reader of the API's lists use these.
 */
export const LIST_FROM_API: { [K in ListName]-?: (items: unknown) => NonNullable<OrganizationData[K]> } = {
  brands: (items) =>
    withId(items, (r, id) => ({ id, name: str(r.brand_name ?? r.name) ?? id, status: str(r.status) })),
  campaigns: (items) =>
    withId(items, (r, id) => ({
      id,
      name: str(r.name) ?? id,
      brandId: str(r.brand_id, MAX_ID),
      status: str(r.campaign_status ?? r.status),
    })),
  phoneNumbers: (items) =>
    withId(items, (r, id) => {
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
    }),
  verifications: (items) =>
    withId(items, (r, id) => ({ id, name: str(r.name) ?? id, status: str(r.status) })),
  trackingDomains: (items) =>
    withId(items, (r, id) => {
      const domain = str(r.domain);
      return domain === null ? null : { id, domain, status: str(r.status) };
    }),
  contactLists: (items) => withId(items, (r, id) => ({ id, name: str(r.name) ?? id })),
  projects: (items) => withId(items, (r, id) => ({ id, name: str(r.name) ?? '' })),
  media: (items) => withId(items, (r, id) => ({ id, name: str(r.name) ?? id })),
};

/** The lists of one organization in the snapshot's shape (a list left out stays out). */
export function organizationDataFromApi(lists: OrganizationLists): OrganizationData {
  const data: OrganizationData = {};
  for (const key of Object.keys(LIST_FROM_API) as ListName[]) {
    const items = lists[key];
    if (items) (data as Record<string, unknown>)[key] = LIST_FROM_API[key](items);
  }
  return data;
}
