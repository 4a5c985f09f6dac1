/**
 * Fetching the account's reference data (an `AccountSnapshot`): the organizations the key reaches,
 * then, for each organization asked about, each list once (brands, campaigns, phone numbers,
 * toll-free verifications, tracking domains, contact lists, projects). The checks themselves are the
 * pure `checkAgainstAccount` in shared/, run against this snapshot.
 */
import { LIST_FROM_API, organizationsFromApi, type ListName } from '../shared/account/from-api';
import { normalizeName } from '../shared/account/names';
import type { AccountSnapshot, OrganizationData } from '../shared/account/snapshot';
import { ApiSession, DEFAULT_RETRY_POLICY, type CallHooks, type Control, type RetryPolicy } from './api';
import { realClock, type Clock } from './clock';
import { stopMessage, unreachableMessage, type ApiFailure, type Audience } from './errors';

export interface AccountStop {
  reason: 'account' | 'unreachable' | 'cancelled';
  httpStatus?: number;
  code?: string;
  message: string;
}

export interface FetchedAccount {
  snapshot: AccountSnapshot | null;
  /** The account refused as a whole (the key), could not be reached, or the fetch was cancelled. */
  stop: AccountStop | null;
  /** How many list requests went out (each list once). */
  requests: number;
}

/** How many organizations one fetch reads (the bridge allows no more). */
export const MAX_ORGANIZATIONS = 1000;

type ListKey = ListName;

/** Each list of an organization, in the order they are read; `optional`: an API without it is no finding. */
const LISTS: Array<{
  key: ListKey;
  what: string;
  optional?: boolean;
  fetch: (api: ApiSession, org: string, signal: AbortSignal) => Promise<{ data: unknown }>;
}> = [
  {
    key: 'brands',
    what: 'brands',
    fetch: (api, org, signal) => api.client.listBrands({ organization_id: org }, { signal }),
  },
  {
    key: 'campaigns',
    what: 'campaigns',
    fetch: (api, org, signal) => api.client.listCampaigns({ organization_id: org }, { signal }),
  },
  {
    key: 'phoneNumbers',
    what: 'phone numbers',
    fetch: (api, org, signal) => api.client.listPhoneNumbers({ organization_id: org }, { signal }),
  },
  {
    key: 'verifications',
    what: 'toll-free verifications',
    fetch: (api, org, signal) => api.client.listTollFreeVerifications({ organization_id: org }, { signal }),
  },
  {
    key: 'trackingDomains',
    what: 'tracking domains',
    fetch: (api, org, signal) => api.client.listTrackingDomains({ organization_id: org }, { signal }),
  },
  {
    key: 'contactLists',
    what: 'contact lists',
    fetch: (api, org, signal) => api.client.listContactLists({ organization_id: org }, { signal }),
  },
  {
    key: 'projects',
    what: 'projects',
    fetch: (api, org, signal) => api.client.listProjects({ organization_id: org }, { signal }),
  },
  {
    key: 'media',
    what: 'media',
    optional: true,
    fetch: (api, org, signal) => api.client.listMedia({ organization_id: org }, { signal }),
  },
];

export interface FetchAccountOptions {
  /** Where the data comes from, for "checked … against …" ("Sandbox", a base URL). */
  source: string;
  audience: Audience;
  clock?: Clock;
  hooks?: CallHooks;
}

/**
 * The snapshot for these organizations, each list read once. Never throws for API trouble: a key the
 * API refuses, or an API that cannot be reached, comes back as `stop`; a list that could not be read
 * is left out and named in `unavailable`.
 */
export async function fetchAccount(
  api: ApiSession,
  /** The organizations whose lists to read, or every organization the key reaches. */
  organizationIds: readonly string[] | 'all',
  options: FetchAccountOptions,
): Promise<FetchedAccount> {
  const clock = options.clock ?? realClock;
  const hooks = options.hooks ?? {};
  let requests = 0;
  const call = async (fn: (signal: AbortSignal) => Promise<{ data: unknown }>) => {
    requests++;
    return api.call('read', fn, hooks);
  };
  const snapshot: AccountSnapshot = {
    source: options.source,
    fetchedAt: clock.now(),
    organizations: null,
    byOrganization: {},
    unavailable: [],
  };
  const refused = (f: ApiFailure): AccountStop => ({
    reason: 'account',
    httpStatus: f.httpStatus,
    code: f.code,
    message: stopMessage(f, undefined, options.audience),
  });
  const cancelled: AccountStop = { reason: 'cancelled', message: 'Cancelled: the account was not checked.' };

  const first = await call((signal) => api.client.listOrganizations({ signal }));
  if (first.kind === 'cancelled') return { snapshot: null, stop: cancelled, requests };
  if (first.kind === 'stopped') return { snapshot: null, stop: refused(first.failure), requests };
  if (first.kind === 'failed') {
    const f = first.failure;
    if (f.httpStatus === 0 || f.httpStatus >= 500) {
      return {
        snapshot: null,
        stop: {
          reason: 'unreachable',
          httpStatus: f.httpStatus,
          code: f.code,
          message: unreachableMessage(api.baseUrl, f, options.audience),
        },
        requests,
      };
    }
    snapshot.unavailable.push({
      code: 'reference_list_unavailable',
      message: `Could not read the organizations of this API key (${f.code}: ${f.message}); the checks that need them were skipped. The API still checks every row when it is sent.`,
    });
  } else {
    snapshot.organizations = organizationsFromApi(first.data.data);
  }

  const reachable = snapshot.organizations ? new Set(snapshot.organizations.map((o) => o.id)) : null;
  // An organization cell may hold the organization's name: its lists are read as for its id.
  const byName = new Map<string, string[]>();
  for (const o of snapshot.organizations ?? []) {
    const key = normalizeName(o.name);
    if (key) byName.set(key, [...(byName.get(key) ?? []), o.id]);
  }
  const wanted =
    organizationIds === 'all'
      ? (snapshot.organizations ?? []).map((o) => o.id)
      : organizationIds.flatMap((o) => (reachable?.has(o) ? [o] : (byName.get(normalizeName(o)) ?? [o])));
  const orgs = [...new Set(wanted)].filter((o) => o !== '').slice(0, MAX_ORGANIZATIONS);
  for (const org of orgs) {
    // An organization the key does not reach: its rows are refused by the check, nothing to read.
    if (reachable && !reachable.has(org)) continue;
    const data: OrganizationData = {};
    snapshot.byOrganization[org] = data;
    const orgName = snapshot.organizations?.find((o) => o.id === org)?.name;
    for (const list of LISTS) {
      const o = await call((signal) => list.fetch(api, org, signal));
      if (o.kind === 'cancelled') return { snapshot: null, stop: cancelled, requests };
      if (o.kind === 'ok') {
        (data as Record<string, unknown>)[list.key] = LIST_FROM_API[list.key](o.data.data);
        continue;
      }
      const f = o.failure;
      if (list.optional && (f.httpStatus === 404 || f.httpStatus === 405)) continue;
      if (f.httpStatus === 401) return { snapshot: null, stop: refused(f), requests };
      if (f.code === 'ORG_ACCESS_DENIED') {
        data.denied = true;
        break;
      }
      snapshot.unavailable.push({
        code: 'reference_list_unavailable',
        message: `Could not read the ${list.what} of ${orgName ? `${orgName} (${org})` : org} (${f.code}: ${f.message}); the checks that need them were skipped. The API still checks every row when it is sent.`,
      });
    }
  }
  return { snapshot, stop: null, requests };
}

/** A one-off fetch with its own API session (the app's "check the account"). */
export function loadAccount(options: {
  apiKey: string;
  baseUrl: string;
  organizationIds: readonly string[] | 'all';
  source: string;
  audience: Audience;
  fetch?: typeof fetch;
  clock?: Clock;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
}): Promise<FetchedAccount> {
  const clock = options.clock ?? realClock;
  const signal = options.signal ?? new AbortController().signal;
  const control: Control = {
    checkpoint: async () => !signal.aborted,
    get cancelled() {
      return signal.aborted;
    },
    wakeSignal: signal,
    abortSignal: signal,
  };
  const api = new ApiSession({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    clock,
    random: Math.random,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, ...options.policy },
    control,
  });
  return fetchAccount(api, options.organizationIds, {
    source: options.source,
    audience: options.audience,
    clock,
  });
}
