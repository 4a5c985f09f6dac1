/**
 * The account checks as a pure function of the rows and the account's reference data: what can be
 * proven before anything is created (the brand belongs to the organization, the campaign to the
 * brand, every number to the campaign or the verification, the domain and the lists exist, a
 * project of that name exists already). Phone numbers typed as numbers are resolved to their ids.
 *
 * Synchronous, no Node, no network: the renderer's worker runs it on every edited row against the
 * snapshot it keeps for the session; the engine runs it once per run against a fresh snapshot.
 * Findings come out in the validator's shape, naming things by their names from the snapshot.
 */
import type { CreateProjectRequest } from '@political-comms/sdk';
import type { FieldName } from '../schema/fields';
import type { Fix, Issue } from '../validate/types';
import {
  accountNames,
  REFERENCE_FIELDS,
  type AccountNames,
  type Candidate,
  type ReferenceField,
  type Resolution,
  type RowScope,
} from './resolve';
import type { AccountPhoneNumber, AccountSnapshot, OrganizationData } from './snapshot';

export interface AccountCheckRow {
  rowKey: string;
  row: number;
  body: CreateProjectRequest;
  /** The row was created already (a results sheet, an earlier run): it is not checked or sent. */
  createdBefore?: boolean;
}

/** A name (or a number, a domain) typed in a reference cell, and the id it is sent as. */
export interface ResolvedReference {
  rowKey: string;
  row: number;
  field: ReferenceField;
  /** The text as typed (one item of a list cell). */
  from: string;
  /** The id it was resolved to. */
  to: string;
  /** What the account calls it ("Rivera GOTV 2026", "Main line (+1 555-010-0163)"). */
  label: string;
}

export interface AccountCheck {
  issues: Issue[];
  /** The bodies to send (names resolved to ids), by row key: only rows with no account error. */
  bodies: Map<string, CreateProjectRequest>;
  resolved: ResolvedReference[];
}

const INACTIVE = /expired|suspend|reject|deactiv|inactive|revoked|cancel/i;

interface Named {
  id: string;
  name: string;
}

/** Lookups built once per snapshot (the renderer checks many rows against one snapshot). */
interface Index {
  orgs: Map<string, string> | null;
  data: Map<string, OrgIndex>;
  /** Across every organization of the snapshot, for naming things that belong elsewhere. */
  brandNames: Map<string, { name: string; org: string }>;
  campaigns: Map<string, { name: string; brandId: string | null; org: string }>;
}

interface OrgIndex {
  raw: OrganizationData;
  brands: Map<string, Named> | null;
  campaigns: Map<string, { id: string; name: string; brandId: string | null; status: string | null }> | null;
  numbersById: Map<string, AccountPhoneNumber> | null;
  verifications: Map<string, { id: string; name: string; status: string | null }> | null;
  domains: Map<string, { id: string; domain: string; status: string | null }> | null;
  lists: Map<string, Named> | null;
  projectsByName: Map<string, Named> | null;
}

const indexes = new WeakMap<AccountSnapshot, Index>();

function byId<T extends { id: string }>(items: readonly T[] | undefined): Map<string, T> | null {
  if (!items) return null;
  const m = new Map<string, T>();
  for (const i of items) if (!m.has(i.id)) m.set(i.id, i);
  return m;
}

const nameKey = (name: string) => name.trim().toLowerCase();

function indexOf(snapshot: AccountSnapshot): Index {
  const cached = indexes.get(snapshot);
  if (cached) return cached;
  const index: Index = {
    orgs: snapshot.organizations ? new Map(snapshot.organizations.map((o) => [o.id, o.name])) : null,
    data: new Map(),
    brandNames: new Map(),
    campaigns: new Map(),
  };
  for (const [org, raw] of Object.entries(snapshot.byOrganization)) {
    let projectsByName: Map<string, Named> | null = null;
    if (raw.projects) {
      projectsByName = new Map();
      for (const p of raw.projects)
        if (!projectsByName.has(nameKey(p.name))) projectsByName.set(nameKey(p.name), p);
    }
    index.data.set(org, {
      raw,
      brands: byId(raw.brands),
      campaigns: raw.campaigns
        ? byId(
            raw.campaigns.map((c) => ({
              id: c.id,
              name: c.name,
              brandId: c.brandId ?? null,
              status: c.status ?? null,
            })),
          )
        : null,
      numbersById: byId(raw.phoneNumbers),
      verifications: raw.verifications
        ? byId(raw.verifications.map((v) => ({ id: v.id, name: v.name, status: v.status ?? null })))
        : null,
      domains: raw.trackingDomains
        ? byId(raw.trackingDomains.map((d) => ({ id: d.id, domain: d.domain, status: d.status ?? null })))
        : null,
      lists: byId(raw.contactLists),
      projectsByName,
    });
    for (const b of raw.brands ?? [])
      if (!index.brandNames.has(b.id)) index.brandNames.set(b.id, { name: b.name, org });
    for (const c of raw.campaigns ?? [])
      if (!index.campaigns.has(c.id))
        index.campaigns.set(c.id, { name: c.name, brandId: c.brandId ?? null, org });
  }
  indexes.set(snapshot, index);
  return index;
}

/**
 * A deep copy of a request body, as `structuredClone` makes it, several times faster for the plain
 * objects, dense arrays and primitives a body is made of (the check copies every row it resolves).
 * Anything else (a class instance, a sparse array or one with extra keys, a function, nesting deeper
 * than any body, a cycle) is left to `structuredClone` itself, which copies or refuses it as always.
 */
export function cloneBody<T>(value: T): T {
  const copied = copyPlain(value, 0);
  return (copied === NOT_PLAIN ? structuredClone(value) : copied) as T;
}

const NOT_PLAIN = Symbol('not plain');
const MAX_DEPTH = 32;

function copyPlain(v: unknown, depth: number): unknown {
  if (typeof v === 'function' || typeof v === 'symbol') return NOT_PLAIN;
  if (v === null || typeof v !== 'object') return v;
  if (depth > MAX_DEPTH) return NOT_PLAIN;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype || Object.keys(v).length !== v.length) return NOT_PLAIN;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = copyPlain(v[i], depth + 1);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out[i] = c;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    if (k === '__proto__') return NOT_PLAIN;
    const c = copyPlain((v as Record<string, unknown>)[k], depth + 1);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    out[k] = c;
  }
  return out;
}

/** "Rivera for Senate (org_…)", or the bare id when the name is not known. */
function label(name: string | null | undefined, id: string): string {
  return name && name.trim() && name !== id ? `${name} (${id})` : id;
}

function numberLabel(n: AccountPhoneNumber): string {
  return n.number ? `${n.number} (${n.id})` : n.id;
}

/** Check rows against the account's reference data. Pure and synchronous. */
export function checkAgainstAccount(
  rows: readonly AccountCheckRow[],
  snapshot: AccountSnapshot,
): AccountCheck {
  const result: AccountCheck = { issues: [], bodies: new Map(), resolved: [] };
  const index = indexOf(snapshot);
  const orgLabel = (id: string) => label(index.orgs?.get(id), id);
  const brandLabel = (id: string) => label(index.brandNames.get(id)?.name, id);
  const campaignLabel = (id: string) => label(index.campaigns.get(id)?.name, id);

  const names = accountNames(snapshot);
  for (const input of rows) {
    if (input.createdBefore) continue;
    const { row } = input;
    const body: CreateProjectRequest = cloneBody(input.body);
    const issues: Issue[] = [];
    const error = (field: FieldName, code: string, message: string, fixes?: Fix[]) =>
      issues.push({ row, field, severity: 'error', code, message, ...(fixes?.length ? { fixes } : {}) });
    const warn = (field: FieldName, code: string, message: string) =>
      issues.push({ row, field, severity: 'warning', code, message });
    const finish = () => {
      result.issues.push(...issues);
      if (!issues.some((i) => i.severity === 'error')) result.bodies.set(input.rowKey, body);
    };

    // Names to ids, top down, each in the scope the row's higher levels resolved to. A level that
    // does not resolve does not stop the others (one check reports every problem of the row).
    const refs = resolveBody(body, names, (field, r, fixes) =>
      error(field, failureCode(field, r), r.message, fixes),
    );
    for (const x of refs.resolved)
      result.resolved.push({
        rowKey: input.rowKey,
        row,
        field: x.field,
        from: x.from,
        to: x.to,
        label: x.label,
      });

    const orgFailed = refs.organizationId === null;
    const org = refs.checkIn ?? body.organization_id;
    const data = index.data.get(org);
    if (!orgFailed && ((index.orgs && !index.orgs.has(org)) || data?.raw.denied)) {
      error(
        'organization_id',
        'organization_not_accessible',
        `This API key cannot act for organization ${orgLabel(org)}. Use an organization the key belongs to, or a key of this organization.`,
      );
      finish();
      continue;
    }
    if (!data) {
      // Not in the snapshot (an organization typed after the check): the API checks the row when it is sent.
      finish();
      continue;
    }
    const here = orgLabel(org);
    const tollFree = body.channel === 'toll-free';

    // Sending numbers (names and typed numbers already resolved): each is checked against the channel.
    const phoneField: 'phone_number_ids' | 'phone_number_id' = body.phone_number_ids
      ? 'phone_number_ids'
      : 'phone_number_id';
    const chosen: AccountPhoneNumber[] = [];
    if (data.numbersById) {
      const ids = body.phone_number_ids ?? (body.phone_number_id ? [body.phone_number_id] : []);
      for (const item of ids) {
        if (refs.failed.has(item)) continue;
        const known = data.numbersById.get(item);
        if (known) {
          chosen.push(known);
          continue;
        }
        error(
          phoneField,
          'phone_number_not_found',
          `${item} is not a phone number id of organization ${here}. Use a number of the organization (its number, nickname or id).`,
        );
      }
    }

    if (!tollFree) {
      const brandId = body.brand_id;
      if (data.brands && brandId && !refs.failed.has(brandId) && !data.brands.has(brandId)) {
        const elsewhere = index.brandNames.get(brandId);
        const theirs = [...data.brands.values()].map((b) => label(b.name, b.id)).join(', ');
        error(
          'brand_id',
          'brand_not_in_organization',
          elsewhere
            ? `Brand ${brandLabel(brandId)} belongs to organization ${orgLabel(elsewhere.org)}, not ${here}. Use one of its brands: ${theirs || 'it has none'}.`
            : `Brand ${brandId} is not a brand of organization ${here}. Use one of its brands: ${theirs || 'it has none'}.`,
        );
      }
      const campaignId = body.campaign_id;
      if (data.campaigns && campaignId && !refs.failed.has(campaignId)) {
        const c = data.campaigns.get(campaignId);
        const elsewhere = index.campaigns.get(campaignId);
        if (!c) {
          error(
            'campaign_id',
            'campaign_not_found',
            elsewhere && elsewhere.org !== org
              ? `Campaign ${campaignLabel(campaignId)} belongs to organization ${orgLabel(elsewhere.org)}, not ${here}. Use a campaign of ${here}.`
              : `Campaign ${campaignId} is not a 10DLC campaign of organization ${here}. Check the id on the Campaigns page.`,
          );
        } else if (brandId && !refs.failed.has(brandId) && c.brandId && c.brandId !== brandId) {
          const theirBrand = index.brandNames.get(c.brandId)?.name;
          error(
            'campaign_id',
            'campaign_not_in_brand',
            `Campaign ${label(c.name, c.id)} belongs to brand ${brandLabel(c.brandId)}, not ${brandLabel(brandId)}. Use a campaign of brand ${brandLabel(brandId)}, or change the brand.`,
            theirBrand
              ? [
                  {
                    label: `Change the brand to ${theirBrand}`,
                    field: 'brand_id',
                    replace: refs.typed.get('brand_id') ?? brandId,
                    with: names.valueFor('brand', c.brandId, { organizationId: org }),
                  },
                ]
              : undefined,
          );
        } else if (c.status && INACTIVE.test(c.status)) {
          warn(
            'campaign_id',
            'campaign_not_active',
            `Campaign ${label(c.name, c.id)} is ${c.status}: the project can be created but may not send.`,
          );
        }
      }
      for (const n of chosen) {
        if (n.channel && n.channel !== '10dlc') {
          error(
            phoneField,
            'phone_number_wrong_channel',
            `${numberLabel(n)} is a ${n.channel} number; a 10DLC project needs numbers of its campaign.`,
          );
        } else if (campaignId && !refs.failed.has(campaignId) && n.campaignId !== campaignId) {
          error(
            phoneField,
            'phone_number_not_in_campaign',
            n.campaignId
              ? `${numberLabel(n)} belongs to campaign ${campaignLabel(n.campaignId)}, not ${campaignLabel(campaignId)}. Use numbers of campaign ${campaignLabel(campaignId)}.`
              : `${numberLabel(n)} is not assigned to any campaign. Assign it to campaign ${campaignLabel(campaignId)} first, or use another number.`,
          );
        }
      }
    } else {
      const tfv = body.toll_free_verification_id;
      if (data.verifications && tfv && !refs.failed.has(tfv)) {
        const v = data.verifications.get(tfv);
        if (!v) {
          error(
            'toll_free_verification_id',
            'toll_free_verification_not_found',
            `Toll-free verification ${tfv} is not a verification of organization ${here}. Check the id on the Toll-free page.`,
          );
        } else if (v.status && v.status.toLowerCase() !== 'verified') {
          warn(
            'toll_free_verification_id',
            'toll_free_verification_not_verified',
            `Toll-free verification ${label(v.name, v.id)} is "${v.status}", not Verified: the draft can be created, but carriers block or filter its messages until the verification is approved.`,
          );
        }
      }
      const tfvLabel = (id: string) => label(data.verifications?.get(id)?.name, id);
      for (const n of chosen) {
        if (n.channel && n.channel !== 'toll-free') {
          error(
            phoneField,
            'phone_number_not_toll_free',
            `${numberLabel(n)} is a ${n.channel} number; a toll-free project needs toll-free numbers.`,
          );
        } else if (tfv && !refs.failed.has(tfv) && n.tollFreeVerificationId !== tfv) {
          error(
            phoneField,
            'phone_number_not_in_verification',
            n.tollFreeVerificationId
              ? `${numberLabel(n)} is under verification ${tfvLabel(n.tollFreeVerificationId)}, not ${tfvLabel(tfv)}. Use numbers of verification ${tfvLabel(tfv)}.`
              : `${numberLabel(n)} is not under any toll-free verification. Use numbers of verification ${tfvLabel(tfv)}.`,
          );
        }
      }
    }

    const domainId = body.link_tracking_domain_id;
    if (domainId && data.domains && !refs.failed.has(domainId)) {
      const d = data.domains.get(domainId);
      if (!d) {
        const theirs = [...data.domains.values()].map((x) => label(x.domain, x.id)).join(', ');
        error(
          'link_tracking_domain_id',
          'tracking_domain_not_found',
          `Tracking domain ${domainId} is not available to organization ${here}. Use one of: ${theirs || 'it has none'}.`,
        );
      } else if (d.status && d.status !== 'active') {
        warn(
          'link_tracking_domain_id',
          'tracking_domain_not_active',
          `Tracking domain ${d.domain || d.id} is ${d.status}: links may not work until it is active.`,
        );
      }
    }

    if (data.lists) {
      for (const [field, code] of [
        ['contact_list_ids', 'contact_list_not_found'],
        ['suppression_list_ids', 'suppression_list_not_found'],
      ] as const) {
        for (const id of body[field] ?? []) {
          if (!refs.failed.has(id) && !data.lists.has(id)) {
            error(
              field,
              code,
              `${id} is not a contact list of organization ${here}. Use the name or id of one of its lists.`,
            );
          }
        }
      }
    }

    if (data.projectsByName) {
      const same = data.projectsByName.get(nameKey(body.name));
      if (same) {
        warn(
          'name',
          'project_name_exists',
          `${here} already has a project named "${same.name}" (${same.id}): sending this row creates a second project with that name. Rename the row, or leave it out if that project is this one.`,
        );
      }
    }

    finish();
  }
  return result;
}

/** Error codes for a reference that did not resolve: `brand_not_found`, `contact_list_ambiguous`… */
const CODE_STEM: Record<ReferenceField, string> = {
  organization_id: 'organization',
  brand_id: 'brand',
  campaign_id: 'campaign',
  toll_free_verification_id: 'toll_free_verification',
  phone_number_ids: 'phone_number',
  phone_number_id: 'phone_number',
  contact_list_ids: 'contact_list',
  suppression_list_ids: 'suppression_list',
  media_ids: 'media',
  link_tracking_domain_id: 'tracking_domain',
};

type Unresolved = Extract<Resolution, { message: string }>;

function failureCode(field: ReferenceField, r: Unresolved): string {
  if (r.kind === 'unavailable') return 'reference_unavailable';
  return `${CODE_STEM[field]}_${r.kind === 'ambiguous' ? 'ambiguous' : 'not_found'}`;
}

interface BodyReferences {
  /** The organization the row resolved to; null when its cell named none the account has. */
  organizationId: string | null;
  /**
   * Where the row's relations are checked: its organization, or (when that did not resolve) the
   * one its brand, campaign or verification belongs to.
   */
  checkIn: string | undefined;
  resolved: Array<{ field: ReferenceField; from: string; to: string; label: string }>;
  /** Texts that did not resolve (their errors are said): later checks leave them alone. */
  failed: Set<string>;
  /** What was typed in each single-reference cell that resolved from a name. */
  typed: Map<ReferenceField, string>;
}

/**
 * Resolve the references of a body in place (names become ids), top down: organization, brand,
 * campaign, toll-free verification, then numbers, domain, lists and media within those. Each failure
 * is reported through `fail` with its fixes ("Did you mean …"), and the others still resolve in the
 * widest scope left.
 */
function resolveBody(
  body: CreateProjectRequest,
  names: AccountNames,
  fail: (field: ReferenceField, r: Unresolved, fixes: Fix[]) => void,
): BodyReferences {
  const out: BodyReferences = {
    organizationId: null,
    checkIn: undefined,
    resolved: [],
    failed: new Set(),
    typed: new Map(),
  };
  const scope: RowScope = { channel: body.channel === 'toll-free' ? 'toll-free' : '10dlc' };
  const b = body as unknown as Record<string, unknown>;

  const one = (field: ReferenceField, textIn: string): string | null => {
    let r = names.resolve(field, textIn, scope);
    const kind = REFERENCE_FIELDS[field];
    // The exact name, but under another brand or campaign of the same organization: that entity,
    // and the relation check says where it belongs (never a guess: nothing else has that name).
    if (
      r.kind === 'not_found' &&
      r.elsewhere.length === 1 &&
      scope.organizationId &&
      (kind === 'campaign' || kind === 'phoneNumber') &&
      names.organizationOf(kind, r.elsewhere[0]!.id) === scope.organizationId
    ) {
      const e = r.elsewhere[0]!;
      r = { kind: 'name', text: r.text, id: e.id, label: e.name };
    }
    if (r.kind === 'ambiguous' || r.kind === 'not_found' || r.kind === 'unavailable') {
      out.failed.add(textIn);
      fail(field, r, fixesFor(field, r, names, scope));
      return null;
    }
    const id = r.id;
    if (r.kind === 'name') out.resolved.push({ field, from: r.text, to: id, label: r.label });
    return id;
  };
  const single = (
    field: Exclude<
      ReferenceField,
      'phone_number_ids' | 'contact_list_ids' | 'suppression_list_ids' | 'media_ids'
    >,
  ) => {
    const v = b[field];
    if (typeof v !== 'string' || v === '') return null;
    const id = one(field, v);
    if (id !== null) {
      if (id !== v) out.typed.set(field, v);
      b[field] = id;
    }
    return id;
  };
  const list = (field: 'phone_number_ids' | 'contact_list_ids' | 'suppression_list_ids' | 'media_ids') => {
    const v = b[field];
    if (!Array.isArray(v)) return;
    b[field] = (v as string[]).map((item) => one(field, item) ?? item);
  };

  const org = single('organization_id');
  out.organizationId = org;
  if (org) scope.organizationId = org;
  // Without an organization, the one the brand (else the campaign, the verification) belongs to
  // scopes what follows, so the names below it are still looked up where they belong.
  const adopt = (kind: 'brand' | 'campaign' | 'verification', id: string) => {
    if (!scope.organizationId) {
      const o = names.organizationOf(kind, id);
      if (o) scope.organizationId = o;
    }
  };
  const brand = single('brand_id');
  if (brand) {
    adopt('brand', brand);
    scope.brandId = brand;
  }
  const campaign = single('campaign_id');
  if (campaign) {
    adopt('campaign', campaign);
    scope.campaignId = campaign;
  }
  const tfv = single('toll_free_verification_id');
  if (tfv) {
    adopt('verification', tfv);
    scope.tollFreeVerificationId = tfv;
  }
  out.checkIn = scope.organizationId ?? undefined;
  list('phone_number_ids');
  single('phone_number_id');
  single('link_tracking_domain_id');
  list('contact_list_ids');
  list('suppression_list_ids');
  list('media_ids');
  return out;
}

/**
 * The fixes for a reference that did not resolve: each suggestion (or, for two of one name, each
 * candidate), as text that resolves to exactly that entity in the row's scope.
 */
function fixesFor(field: ReferenceField, r: Resolution, names: AccountNames, scope: RowScope): Fix[] {
  const offer = (c: Candidate, label: string): Fix => ({
    label,
    replace: r.text,
    with: names.valueFor(REFERENCE_FIELDS[field], c.id, scope, c.name),
  });
  if (r.kind === 'not_found') return r.suggestions.map((c) => offer(c, `Did you mean ${c.name}?`));
  if (r.kind === 'ambiguous')
    return r.candidates.map((c) => offer(c, `Use ${c.name} of ${c.where} (${c.id})`));
  return [];
}
