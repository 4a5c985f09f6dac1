/**
 * Pre-flight: what can be proven against the account before anything is created. The reference
 * lists are fetched once per run (per organization, only those some row needs) and every valid row
 * is checked against them. Phone numbers typed as numbers are resolved to their ids. Findings come
 * out in the validator's shape (`row`, `field`, `code`, `message`).
 */
import type {
  Brand,
  Campaign,
  ContactList,
  CreateProjectRequest,
  Organization,
  PhoneNumber,
  Project,
  TollFreeVerification,
  TrackingDomain,
} from '@political-comms/sdk';
import { looksLikePhoneNumber } from '../shared/mapping';
import type { FieldName } from '../shared/schema/fields';
import type { Issue } from '../shared/validate/types';
import type { ApiSession, CallHooks } from './api';
import type { ApiFailure } from './errors';

export interface PreflightRow {
  row: number;
  payload: CreateProjectRequest;
  /** Skip the "a project with this name exists" warning (the row was sent in an earlier session). */
  sentBefore?: boolean;
}

export interface FileWarning {
  code: string;
  message: string;
}

export interface PreflightResult {
  issues: Issue[];
  /** Bodies to send, with phone numbers resolved to ids (only rows without a pre-flight error). */
  payloads: Map<number, CreateProjectRequest>;
  fileWarnings: FileWarning[];
  /** A refusal that stops the run (e.g. the key itself is refused). */
  stop?: ApiFailure;
  /** The API could not be reached at all (network errors or 5xx on the first request, after every retry). */
  unreachable?: ApiFailure;
  cancelled?: boolean;
}

type ListOutcome<T> =
  | { ok: true; items: T[] }
  | { ok: false; failure: ApiFailure; stop: boolean; denied: boolean }
  | { ok: false; cancelled: true };

type Loader = <T>(
  label: string,
  fn: (signal: AbortSignal) => Promise<{ data: T[] }>,
) => Promise<ListOutcome<T>>;

/**
 * The reference lists of the account, fetched at most once each for the life of this object (one
 * run). Concurrent askers share one request.
 */
export class ReferenceData {
  private readonly cache = new Map<string, Promise<ListOutcome<unknown>>>();

  constructor(
    private readonly api: ApiSession,
    private readonly hooks: CallHooks = {},
  ) {}

  /** How many list requests went out (for tests: "fetched once per run"). */
  fetches = 0;

  private load: Loader = <T>(label: string, fn: (signal: AbortSignal) => Promise<{ data: T[] }>) => {
    let p = this.cache.get(label) as Promise<ListOutcome<T>> | undefined;
    if (!p) {
      this.fetches++;
      p = this.api.call('read', fn, this.hooks).then((o): ListOutcome<T> => {
        if (o.kind === 'ok') return { ok: true, items: Array.isArray(o.data.data) ? o.data.data : [] };
        if (o.kind === 'cancelled') return { ok: false, cancelled: true };
        const denied = o.failure.code === 'ORG_ACCESS_DENIED';
        return { ok: false, failure: o.failure, stop: o.failure.httpStatus === 401, denied };
      });
      this.cache.set(label, p as Promise<ListOutcome<unknown>>);
    }
    return p;
  };

  organizations() {
    return this.load<Organization>('organizations', (signal) =>
      this.api.client.listOrganizations({ signal }),
    );
  }
  brands(org: string) {
    return this.load<Brand>(`brands:${org}`, (signal) =>
      this.api.client.listBrands({ organization_id: org }, { signal }),
    );
  }
  campaigns(org: string) {
    return this.load<Campaign>(`campaigns:${org}`, (signal) =>
      this.api.client.listCampaigns({ organization_id: org }, { signal }),
    );
  }
  phoneNumbers(org: string) {
    return this.load<PhoneNumber>(`phone-numbers:${org}`, (signal) =>
      this.api.client.listPhoneNumbers({ organization_id: org }, { signal }),
    );
  }
  verifications(org: string) {
    return this.load<TollFreeVerification>(`toll-free-verifications:${org}`, (signal) =>
      this.api.client.listTollFreeVerifications({ organization_id: org }, { signal }),
    );
  }
  trackingDomains(org: string) {
    return this.load<TrackingDomain>(`tracking-domains:${org}`, (signal) =>
      this.api.client.listTrackingDomains({ organization_id: org }, { signal }),
    );
  }
  contactLists(org: string) {
    return this.load<ContactList>(`contact-lists:${org}`, (signal) =>
      this.api.client.listContactLists({ organization_id: org }, { signal }),
    );
  }
  projects(org: string) {
    return this.load<Project>(`projects:${org}`, (signal) =>
      this.api.client.listProjects({ organization_id: org }, { signal }),
    );
  }
}

/** Digits of a phone number in E.164 form without the plus; 10-digit NANP numbers get their 1. */
export function phoneDigits(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.length === 10 && !text.trim().startsWith('+') ? `1${digits}` : digits;
}

const INACTIVE = /expired|suspend|reject|deactiv|inactive|revoked|cancel/i;

export async function runPreflight(
  rows: readonly PreflightRow[],
  ref: ReferenceData,
): Promise<PreflightResult> {
  const result: PreflightResult = { issues: [], payloads: new Map(), fileWarnings: [] };
  const warned = new Set<string>();

  /** Unwraps a list; null when it is unavailable (checks that need it are skipped, with one file warning). */
  const use = async <T>(
    what: string,
    outcome: Promise<ListOutcome<T>>,
  ): Promise<T[] | 'stop' | 'denied' | null> => {
    const o = await outcome;
    if (o.ok) return o.items;
    if ('cancelled' in o) {
      result.cancelled = true;
      return 'stop';
    }
    if (o.stop) {
      result.stop = o.failure;
      return 'stop';
    }
    if (o.denied) return 'denied';
    if (!warned.has(what)) {
      warned.add(what);
      result.fileWarnings.push({
        code: 'reference_list_unavailable',
        message: `Could not read ${what} (${o.failure.code}: ${o.failure.message}); the checks that need it were skipped. The API still checks every row when it is sent.`,
      });
    }
    return null;
  };

  if (rows.length === 0) return result;
  const first = await ref.organizations();
  if (
    !first.ok &&
    'failure' in first &&
    (first.failure.httpStatus === 0 || first.failure.httpStatus >= 500)
  ) {
    result.unreachable = first.failure;
    return result;
  }
  const orgs = await use('the organizations of this API key', Promise.resolve(first));
  if (orgs === 'stop') return result;
  const orgIds = Array.isArray(orgs) ? new Set(orgs.map((o) => o.id).filter(Boolean)) : null;

  for (const input of rows) {
    const { row } = input;
    const payload: CreateProjectRequest = structuredClone(input.payload);
    const org = payload.organization_id;
    const issues: Issue[] = [];
    const error = (field: FieldName, code: string, message: string) =>
      issues.push({ row, field, severity: 'error', code, message });
    const warn = (field: FieldName, code: string, message: string) =>
      issues.push({ row, field, severity: 'warning', code, message });
    const deniedOrg = () =>
      error(
        'organization_id',
        'organization_not_accessible',
        `This API key cannot act for organization ${org}. Use an organization the key belongs to, or a key of this organization.`,
      );

    if (orgIds && !orgIds.has(org)) {
      deniedOrg();
      result.issues.push(...issues);
      continue;
    }

    const tollFree = payload.channel === 'toll-free';

    // Sending numbers: resolve typed phone numbers, then check each against the channel.
    const numbers = await use(`the phone numbers of ${org}`, ref.phoneNumbers(org));
    if (numbers === 'stop') return result;
    if (numbers === 'denied') {
      deniedOrg();
      result.issues.push(...issues);
      continue;
    }
    const phoneField: FieldName = 'phone_number_ids';
    const chosen: PhoneNumber[] = [];
    if (numbers) {
      const byId = new Map(numbers.map((n) => [n.id, n]));
      const byDigits = new Map(
        numbers.filter((n) => n.number).map((n) => [phoneDigits(n.number as string), n]),
      );
      const ids = payload.phone_number_ids ?? (payload.phone_number_id ? [payload.phone_number_id] : []);
      const resolved: string[] = [];
      for (const item of ids) {
        const known = byId.get(item);
        if (known) {
          chosen.push(known);
          resolved.push(item);
          continue;
        }
        if (looksLikePhoneNumber(item)) {
          const match = byDigits.get(phoneDigits(item));
          if (match?.id) {
            chosen.push(match);
            resolved.push(match.id);
            warn(phoneField, 'phone_number_resolved', `${item} was sent as its id ${match.id}.`);
          } else {
            error(
              phoneField,
              'phone_number_not_found',
              `${item} is not a sending number of organization ${org}. Check the number, or use the id of one of its numbers.`,
            );
          }
          continue;
        }
        error(
          phoneField,
          'phone_number_not_found',
          `${item} is not a phone number id of organization ${org}. Use an id from the Phone numbers page (or type the number itself, e.g. +1 555 010 0100).`,
        );
      }
      if (payload.phone_number_ids) payload.phone_number_ids = resolved;
      else if (payload.phone_number_id && resolved[0]) payload.phone_number_id = resolved[0];
    }

    if (!tollFree) {
      const brands = await use(`the brands of ${org}`, ref.brands(org));
      if (brands === 'stop') return result;
      if (Array.isArray(brands) && payload.brand_id && !brands.some((b) => b.id === payload.brand_id)) {
        error(
          'brand_id',
          'brand_not_in_organization',
          `Brand ${payload.brand_id} is not a brand of organization ${org}. Use one of its brands: ${brands.map((b) => `${b.id} (${b.brand_name ?? 'unnamed'})`).join(', ') || 'it has none'}.`,
        );
      }
      const campaigns = await use(`the campaigns of ${org}`, ref.campaigns(org));
      if (campaigns === 'stop') return result;
      if (Array.isArray(campaigns) && payload.campaign_id) {
        const c = campaigns.find((x) => x.id === payload.campaign_id);
        if (!c) {
          error(
            'campaign_id',
            'campaign_not_found',
            `Campaign ${payload.campaign_id} is not a 10DLC campaign of organization ${org}. Check the id on the Campaigns page.`,
          );
        } else if (payload.brand_id && c.brand_id && c.brand_id !== payload.brand_id) {
          error(
            'campaign_id',
            'campaign_not_in_brand',
            `Campaign ${payload.campaign_id} belongs to brand ${c.brand_id}, not to brand ${payload.brand_id}. Use a campaign of brand ${payload.brand_id}, or change the brand.`,
          );
        } else if (c.campaign_status && INACTIVE.test(c.campaign_status)) {
          warn(
            'campaign_id',
            'campaign_not_active',
            `Campaign ${payload.campaign_id} is ${c.campaign_status}: the project can be created but may not send.`,
          );
        }
      }
      for (const n of chosen) {
        if (n.channel && n.channel !== '10dlc') {
          error(
            phoneField,
            'phone_number_wrong_channel',
            `${n.id} (${n.number ?? ''}) is a ${n.channel} number; a 10DLC project needs numbers of its campaign.`,
          );
        } else if (
          payload.campaign_id &&
          n.campaign_id !== payload.campaign_id &&
          !(n.shared && !n.campaign_id)
        ) {
          error(
            phoneField,
            'phone_number_not_in_campaign',
            n.campaign_id
              ? `${n.id} (${n.number ?? ''}) belongs to campaign ${n.campaign_id}, not to campaign ${payload.campaign_id}. Use numbers of campaign ${payload.campaign_id}.`
              : `${n.id} (${n.number ?? ''}) is not assigned to any campaign. Assign it to campaign ${payload.campaign_id} first, or use another number.`,
          );
        }
      }
    } else {
      const verifications = await use(`the toll-free verifications of ${org}`, ref.verifications(org));
      if (verifications === 'stop') return result;
      const tfv = payload.toll_free_verification_id;
      if (Array.isArray(verifications) && tfv) {
        const v = verifications.find((x) => x.id === tfv);
        if (!v) {
          error(
            'toll_free_verification_id',
            'toll_free_verification_not_found',
            `Toll-free verification ${tfv} is not a verification of organization ${org}. Check the id on the Toll-free page.`,
          );
        } else if (v.status && v.status.toLowerCase() !== 'verified') {
          warn(
            'toll_free_verification_id',
            'toll_free_verification_not_verified',
            `Toll-free verification ${tfv} is "${v.status}", not Verified: the draft can be created, but carriers block or filter its messages until the verification is approved.`,
          );
        }
      }
      for (const n of chosen) {
        if (n.channel && n.channel !== 'toll-free') {
          error(
            phoneField,
            'phone_number_not_toll_free',
            `${n.id} (${n.number ?? ''}) is a ${n.channel} number; a toll-free project needs toll-free numbers.`,
          );
        } else if (tfv && n.toll_free_verification_id !== tfv) {
          error(
            phoneField,
            'phone_number_not_in_verification',
            n.toll_free_verification_id
              ? `${n.id} (${n.number ?? ''}) is under verification ${n.toll_free_verification_id}, not ${tfv}. Use numbers of verification ${tfv}.`
              : `${n.id} (${n.number ?? ''}) is not under any toll-free verification. Use numbers of verification ${tfv}.`,
          );
        }
      }
    }

    if (payload.link_tracking_domain_id) {
      const domains = await use(`the tracking domains of ${org}`, ref.trackingDomains(org));
      if (domains === 'stop') return result;
      if (Array.isArray(domains)) {
        const d = domains.find((x) => x.id === payload.link_tracking_domain_id);
        if (!d) {
          error(
            'link_tracking_domain_id',
            'tracking_domain_not_found',
            `Tracking domain ${payload.link_tracking_domain_id} is not available to organization ${org}. Use one of: ${domains.map((x) => `${x.id} (${x.domain ?? ''})`).join(', ') || 'it has none'}.`,
          );
        } else if (typeof d.status === 'string' && d.status !== 'active') {
          warn(
            'link_tracking_domain_id',
            'tracking_domain_not_active',
            `Tracking domain ${d.domain ?? d.id} is ${d.status}: links may not work until it is active.`,
          );
        }
      }
    }

    if (payload.contact_list_ids?.length || payload.suppression_list_ids?.length) {
      const lists = await use(`the contact lists of ${org}`, ref.contactLists(org));
      if (lists === 'stop') return result;
      if (Array.isArray(lists)) {
        const ids = new Set(lists.map((l) => l.id));
        for (const [field, code] of [
          ['contact_list_ids', 'contact_list_not_found'],
          ['suppression_list_ids', 'suppression_list_not_found'],
        ] as const) {
          for (const id of payload[field] ?? []) {
            if (!ids.has(id)) {
              error(
                field,
                code,
                `${id} is not a contact list of organization ${org}. Check the id on the Contacts page.`,
              );
            }
          }
        }
      }
    }

    if (!input.sentBefore) {
      const projects = await use(`the projects of ${org}`, ref.projects(org));
      if (projects === 'stop') return result;
      if (Array.isArray(projects)) {
        const name = payload.name.trim().toLowerCase();
        const same = projects.find((p) => (p.name ?? '').trim().toLowerCase() === name);
        if (same) {
          warn(
            'name',
            'project_name_exists',
            `Organization ${org} already has a project named "${same.name}" (${same.id}). It will be created again unless you rename or remove this row.`,
          );
        }
      }
    }

    result.issues.push(...issues);
    if (!issues.some((i) => i.severity === 'error')) result.payloads.set(row, payload);
  }
  return result;
}
