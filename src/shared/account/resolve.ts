/**
 * Names to ids: a reference cell (organization, brand, campaign, numbers, verification, tracking
 * domain, lists, media) holds either an id or the name people use, and is resolved against the
 * account's reference data (an `AccountSnapshot`), each within its scope:
 *
 * - organization: its display name, among the organizations the key reaches;
 * - brand: its brand name, within the row's organization;
 * - campaign: its name, within the row's brand (the organization when the brand is not known);
 * - sending numbers: the number in any common spelling (see `phoneKey`) or a shared number's
 *   nickname, within the row's toll-free verification or campaign (else the organization);
 * - toll-free verification: its name; tracking domain: the domain (see `domainKey`);
 * - contact and suppression lists: their name, within the organization; media: its name.
 *
 * Never a silent guess: an id the account has resolves to itself; a name matches only in its normal
 * form (`normalizeName`: case, spacing and punctuation forgiven); two entities with that name in
 * scope are an ambiguity naming both; anything else is "not found" with the closest names offered as
 * suggestions. Text shaped like an id that the account does not list is passed on as an id: the
 * account check (and the API) say what is wrong with it.
 *
 * Indexes are built once per snapshot (`accountNames`), and each distinct cell text is resolved once
 * per scope, so a sheet of 100,000 rows with a dozen distinct names costs a dozen look-ups.
 */
import type { z } from 'zod';
import type { FieldName, RawRow } from '../schema/fields';
import { parseChannel } from '../mapping/cells';
import type { accountMediaSchema } from './snapshot';
import { type AccountSnapshot, type OrganizationData } from './snapshot';
import {
  closest,
  domainKey,
  formatPhone,
  looksLikeId,
  normalizeName,
  phoneKey,
  splitListCell,
} from './names';

/** An organization's media files, as the snapshot carries them (absent where the API has no media list). */
export type AccountMedia = z.infer<typeof accountMediaSchema>;
export interface MediaExtension {
  media?: AccountMedia[] | null;
}

export type EntityKind =
  | 'organization'
  | 'brand'
  | 'campaign'
  | 'phoneNumber'
  | 'verification'
  | 'trackingDomain'
  | 'contactList'
  | 'media';

/** The fields whose cells name an account entity, and which kind. */
export const REFERENCE_FIELDS = {
  organization_id: 'organization',
  brand_id: 'brand',
  campaign_id: 'campaign',
  toll_free_verification_id: 'verification',
  phone_number_ids: 'phoneNumber',
  phone_number_id: 'phoneNumber',
  contact_list_ids: 'contactList',
  suppression_list_ids: 'contactList',
  media_ids: 'media',
  link_tracking_domain_id: 'trackingDomain',
} as const satisfies Partial<Record<FieldName, EntityKind>>;

export type ReferenceField = keyof typeof REFERENCE_FIELDS;

/** A field of each kind, for resolving a kind's names. */
const FIELD_OF: Record<EntityKind, ReferenceField> = {
  organization: 'organization_id',
  brand: 'brand_id',
  campaign: 'campaign_id',
  phoneNumber: 'phone_number_ids',
  verification: 'toll_free_verification_id',
  trackingDomain: 'link_tracking_domain_id',
  contactList: 'contact_list_ids',
  media: 'media_ids',
};

/** The fields whose cells hold a list of references. */
export const REFERENCE_LIST_FIELDS = [
  'phone_number_ids',
  'contact_list_ids',
  'suppression_list_ids',
  'media_ids',
] as const satisfies readonly ReferenceField[];

export function isReferenceField(field: string): field is ReferenceField {
  return Object.prototype.hasOwnProperty.call(REFERENCE_FIELDS, field);
}

/** Where a row's references are looked up: ids already resolved for the row's higher levels. */
export interface RowScope {
  organizationId?: string | null;
  brandId?: string | null;
  campaignId?: string | null;
  tollFreeVerificationId?: string | null;
  channel?: '10dlc' | 'toll-free' | null;
}

/** An entity offered to the user: its id, its name, and where it belongs ("brand Rivera for Senate"). */
export interface Candidate {
  id: string;
  name: string;
  where: string;
}

/** An entity as a dropdown offers it (see `AccountNames.choices`). */
export interface Choice {
  /** What to put in the cell: resolves back to this entity in its organization. */
  value: string;
  id: string;
  name: string;
  where: string;
  organizationId: string;
}

export type Resolution =
  /** The cell holds an id. `known`: the account lists it (else it is passed on for the checks to judge). */
  | { kind: 'id'; text: string; id: string; label: string; known: boolean }
  /** The cell holds a name (or a spelled-out number, a domain) that matched exactly one entity in scope. */
  | { kind: 'name'; text: string; id: string; label: string }
  /** Several entities in scope carry this name: the user picks one. */
  | { kind: 'ambiguous'; text: string; label: string; candidates: Candidate[]; message: string }
  /** Nothing in scope carries this name; `suggestions` are the closest names (at most 3, best first). */
  | {
      kind: 'not_found';
      text: string;
      label: string;
      suggestions: Candidate[];
      /** Entities with exactly this name outside the row's scope (e.g. under another brand). */
      elsewhere: Candidate[];
      message: string;
    }
  /** The list this name would be looked up in could not be read: names cannot be resolved. */
  | { kind: 'unavailable'; text: string; label: string; message: string };

export type ListField = (typeof REFERENCE_LIST_FIELDS)[number];

/** A list cell, resolved item by item; `ids` is set when every item resolved. */
export type ListResolution =
  | { ok: true; kind: 'ids' | 'names'; items: Resolution[]; ids: string[] | null }
  | { ok: false; reason: string };

/** Every reference cell of a row, resolved (see `AccountNames.resolveReferences`). */
export interface RowReferences {
  /** The ids the row's higher levels resolved to. */
  scope: RowScope;
  cells: Partial<Record<Exclude<ReferenceField, ListField>, Resolution>>;
  lists: Partial<Record<ListField, ListResolution>>;
}

/**
 * What a resolved cell became, for people ("“rivera gotv 2026” is campaign Rivera GOTV 2026
 * (camp_…)"); null when the cell held the id itself or did not resolve (then `message` says why).
 */
export function describeResolved(field: ReferenceField, r: Resolution): string | null {
  if (r.kind !== 'name') return null;
  const noun =
    field === 'suppression_list_ids' ? 'suppression list' : NOUN[REFERENCE_FIELDS[field]].one.toLowerCase();
  return `“${r.text}” is ${noun} ${r.label} (${r.id})`;
}

/** A resolution that gives an id to send. */
export function resolvedId(r: Resolution): string | null {
  return r.kind === 'id' || r.kind === 'name' ? r.id : null;
}

interface Entity {
  id: string;
  /** Shown to people. */
  name: string;
  /** The normalized name (digits for a number, the bare domain for a domain). */
  key: string;
  /**
   * Other keys that name it exactly: a shared number's nickname, and the "Name (id)" form the
   * template's dropdowns and the suggestions show.
   */
  alts: string[];
  orgId: string;
  brandId?: string;
  campaignId?: string;
  tfvId?: string;
  channel?: string;
}

interface KindIndex {
  list: Entity[];
  byId: Map<string, Entity>;
  byKey: Map<string, Entity[]>;
}

const NOUN: Record<EntityKind, { one: string; a: string; many: string }> = {
  organization: { one: 'Organization', a: 'an organization', many: 'organizations' },
  brand: { one: 'Brand', a: 'a brand', many: 'brands' },
  campaign: { one: 'Campaign', a: 'a campaign', many: 'campaigns' },
  phoneNumber: { one: 'Phone number', a: 'a number', many: 'numbers' },
  verification: {
    one: 'Toll-free verification',
    a: 'a toll-free verification',
    many: 'toll-free verifications',
  },
  trackingDomain: { one: 'Tracking domain', a: 'a tracking domain', many: 'tracking domains' },
  contactList: { one: 'Contact list', a: 'a contact list', many: 'contact lists' },
  media: { one: 'Media file', a: 'a media file', many: 'media files' },
};

/** Resolutions kept per index (then it starts afresh), and the longest cell text kept. */
const CACHE_LIMIT = 100_000;
const MAX_CACHED_TEXT = 4000;

function emptyIndex(): KindIndex {
  return { list: [], byId: new Map(), byKey: new Map() };
}

function add(index: KindIndex, e: Entity): void {
  if (e.id === '') return;
  index.list.push(e);
  if (!index.byId.has(e.id)) index.byId.set(e.id, e);
  e.alts.push(normalizeName(`${e.name} (${e.id})`));
  for (const k of new Set([e.key, ...e.alts])) {
    if (k === '') continue;
    const same = index.byKey.get(k);
    if (same) {
      if (!same.some((x) => x.id === e.id)) same.push(e);
    } else index.byKey.set(k, [e]);
  }
}

function text(v: string | null | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The account's names, indexed once. Build it with `accountNames(snapshot)` (cached per snapshot);
 * resolve cells with `resolve` and `resolveList`, or a whole row with `resolveReferences`.
 */
export class AccountNames {
  private readonly organizations: KindIndex | null;
  private readonly orgNames = new Map<string, string>();
  /** Per organization, per kind; null when that list could not be read. */
  private readonly byOrg = new Map<string, Map<EntityKind, KindIndex | null>>();
  private readonly cache = new ResolutionCache<Resolution>();
  private readonly listCache = new ResolutionCache<ListResolution>();

  constructor(private readonly snapshot: AccountSnapshot) {
    if (snapshot.organizations) {
      const index = emptyIndex();
      for (const o of snapshot.organizations) {
        add(index, { id: o.id, name: o.name, key: normalizeName(o.name), alts: [], orgId: o.id });
        this.orgNames.set(o.id, o.name);
      }
      this.organizations = index;
    } else this.organizations = null;

    for (const [orgId, data] of Object.entries(snapshot.byOrganization)) {
      const kinds = new Map<EntityKind, KindIndex | null>();
      const d = data as OrganizationData & MediaExtension;
      const denied = d.denied === true;
      const build = <T>(list: T[] | null | undefined, toEntity: (item: T) => Entity): KindIndex | null => {
        if (denied || !Array.isArray(list)) return null;
        const index = emptyIndex();
        for (const item of list) add(index, toEntity(item));
        return index;
      };
      kinds.set(
        'brand',
        build(d.brands, (b) => ({ id: b.id, name: b.name, key: normalizeName(b.name), alts: [], orgId })),
      );
      kinds.set(
        'campaign',
        build(d.campaigns, (c) => ({
          id: c.id,
          name: c.name,
          key: normalizeName(c.name),
          alts: [],
          orgId,
          ...(text(c.brandId) ? { brandId: c.brandId as string } : {}),
        })),
      );
      kinds.set(
        'phoneNumber',
        build(d.phoneNumbers, (p) => {
          const nickname = text(p.nickname);
          const digits = phoneKey(p.number) ?? p.number;
          return {
            id: p.id,
            name: nickname ? `${nickname} (${formatPhone(digits)})` : formatPhone(digits),
            key: digits,
            alts: nickname
              ? [normalizeName(nickname), normalizeName(`${nickname} (${formatPhone(digits)})`)]
              : [],
            orgId,
            ...(text(p.brandId) ? { brandId: p.brandId as string } : {}),
            ...(text(p.campaignId) ? { campaignId: p.campaignId as string } : {}),
            ...(text(p.tollFreeVerificationId) ? { tfvId: p.tollFreeVerificationId as string } : {}),
            ...(text(p.channel) ? { channel: p.channel as string } : {}),
          };
        }),
      );
      kinds.set(
        'verification',
        build(d.verifications, (v) => ({
          id: v.id,
          name: v.name,
          key: normalizeName(v.name),
          alts: [],
          orgId,
        })),
      );
      kinds.set(
        'trackingDomain',
        build(d.trackingDomains, (t) => ({
          id: t.id,
          name: t.domain,
          key: domainKey(t.domain),
          alts: [],
          orgId,
        })),
      );
      kinds.set(
        'contactList',
        build(d.contactLists, (l) => ({
          id: l.id,
          name: l.name,
          key: normalizeName(l.name),
          alts: [],
          orgId,
        })),
      );
      kinds.set(
        'media',
        build(d.media, (m) => ({ id: m.id, name: m.name, key: normalizeName(m.name), alts: [], orgId })),
      );
      this.byOrg.set(orgId, kinds);
    }
  }

  /** The organization's display name, or its id when the account does not name it. */
  organizationName(id: string): string {
    return this.orgNames.get(id) ?? id;
  }

  /**
   * Every entity of a kind, each with a value that resolves back to it exactly in its organization:
   * its name when no other entity of the organization has that name, else "Name (id)"; a number's
   * label ("+1 555-010-0101", "Main line (+1 555-010-0163)"). In a stable order: by organization,
   * then value. The template's dropdowns offer these values.
   */
  choices(kind: EntityKind): Choice[] {
    const out: Choice[] = [];
    const from = (index: KindIndex | null | undefined) => {
      if (!index) return;
      const rows: Choice[] = [];
      for (const e of index.list) {
        const twins = (index.byKey.get(e.key) ?? []).length > 1;
        const value = twins ? `${e.name} (${e.id})` : e.name;
        rows.push({
          value,
          id: e.id,
          name: e.name,
          where: this.candidate(kind, e).where,
          organizationId: e.orgId,
        });
      }
      rows.sort((a, b) => cmp(a.value, b.value) || cmp(a.id, b.id));
      out.push(...rows);
    };
    if (kind === 'organization') from(this.organizations);
    else for (const kinds of this.byOrg.values()) from(kinds.get(kind));
    return out;
  }

  /**
   * Text for a cell that resolves to exactly this entity in `scope`: its name when that is unique
   * there, else "Name (id)" (a number: its label). The id itself when the account does not list it.
   */
  valueFor(kind: EntityKind, id: string, scope: RowScope = {}, name?: string): string {
    const e = this.findAnywhere(kind, id);
    const shown = e?.name ?? name;
    if (!shown) return id;
    const field = FIELD_OF[kind];
    const r = this.resolve(field, shown, scope);
    return resolvedId(r) === id ? shown : `${shown} (${id})`;
  }

  /** The organization an entity of the account belongs to (undefined when the account does not list it). */
  organizationOf(kind: EntityKind, id: string): string | undefined {
    return this.findAnywhere(kind, id)?.orgId;
  }

  /** An id the account lists for this kind of entity (in any organization). */
  isKnownId(kind: EntityKind, id: string): boolean {
    return this.findAnywhere(kind, id) !== undefined;
  }

  private findAnywhere(kind: EntityKind, id: string): Entity | undefined {
    if (kind === 'organization') return this.organizations?.byId.get(id);
    for (const kinds of this.byOrg.values()) {
      const e = kinds.get(kind)?.byId.get(id);
      if (e) return e;
    }
    return undefined;
  }

  /** Resolve one reference cell of `field` (an item of a list cell for the list fields). */
  resolve(field: ReferenceField, cellText: string, scope: RowScope = {}): Resolution {
    const kind: EntityKind = REFERENCE_FIELDS[field];
    const slot = this.cache.slot(field, kind, scope);
    const cached = slot.get(cellText);
    if (cached) return cached;
    const r = this.compute(field, kind, cellText.trim(), scope);
    if (cellText.length <= MAX_CACHED_TEXT) this.cache.put(field, kind, scope, cellText, r);
    return r;
  }

  /**
   * Resolve a list cell: split it (see `splitListCell` for the rule) and resolve each item. `kind`
   * says how the cell was read; `ids` is set when every item resolved.
   */
  resolveList(field: ReferenceField, cellText: string, scope: RowScope = {}): ListResolution {
    const kind: EntityKind = REFERENCE_FIELDS[field];
    const slot = this.listCache.slot(field, kind, scope);
    const cached = slot.get(cellText);
    if (cached) return cached;
    const r = this.computeList(field, kind, cellText, scope);
    if (cellText.length <= MAX_CACHED_TEXT) this.listCache.put(field, kind, scope, cellText, r);
    return r;
  }

  private computeList(
    field: ReferenceField,
    kind: EntityKind,
    cellText: string,
    scope: RowScope,
  ): ListResolution {
    const split = splitListCell(cellText, (token) => this.isKnownId(kind, token));
    if (!split.ok) return split;
    const items = split.items.map((item) => this.resolve(field, item, scope));
    const ids: string[] = [];
    for (const r of items) {
      const id = resolvedId(r);
      if (id === null) return { ok: true, kind: split.kind, items, ids: null };
      ids.push(id);
    }
    return { ok: true, kind: split.kind, items, ids };
  }

  /**
   * Resolve every reference cell of a mapped row, top down: the organization first (or
   * `defaultOrganizationId` when the row has none), then the brand within it, the campaign within
   * the brand, the verification, and the numbers, lists, domain and media within those. A level that
   * does not resolve does not stop the others: they are looked up in the widest scope left, so one
   * pass reports every problem of the row.
   */
  resolveReferences(row: RawRow, defaultOrganizationId?: string): RowReferences {
    const cells: RowReferences['cells'] = {};
    const lists: RowReferences['lists'] = {};
    const scope: RowScope = {};
    const channel = parseChannel(row.channel ?? '');
    if (channel.ok) scope.channel = channel.value;
    const one = (field: Exclude<ReferenceField, ListField>, value?: string) => {
      if (value === undefined || value.trim() === '') return null;
      const r = this.resolve(field, value, scope);
      cells[field] = r;
      return resolvedId(r);
    };
    const ownOrg = row.organization_id?.trim() ? row.organization_id : undefined;
    const org = one('organization_id', ownOrg ?? defaultOrganizationId);
    if (org) scope.organizationId = org;
    const brand = one('brand_id', row.brand_id);
    if (brand) scope.brandId = brand;
    const campaign = one('campaign_id', row.campaign_id);
    if (campaign) scope.campaignId = campaign;
    const tfv = one('toll_free_verification_id', row.toll_free_verification_id);
    if (tfv) scope.tollFreeVerificationId = tfv;
    one('phone_number_id', row.phone_number_id);
    one('link_tracking_domain_id', row.link_tracking_domain_id);
    for (const field of REFERENCE_LIST_FIELDS) {
      const value = row[field];
      if (value !== undefined && value.trim() !== '') lists[field] = this.resolveList(field, value, scope);
    }
    return { scope, cells, lists };
  }

  private compute(field: ReferenceField, kind: EntityKind, t: string, scope: RowScope): Resolution {
    const noun = NOUN[field === 'suppression_list_ids' ? 'contactList' : kind];
    const nounOne = field === 'suppression_list_ids' ? 'Suppression list' : noun.one;

    // The indexes to look in: the organization's, or every organization's when the row's is unknown.
    let indexes: KindIndex[];
    let orgScoped = false;
    if (kind === 'organization') {
      if (!this.organizations)
        return this.idOrUnavailable(kind, t, nounOne, 'the organizations this key reaches');
      indexes = [this.organizations];
    } else {
      const org = scope.organizationId ?? null;
      if (org !== null && this.byOrg.has(org)) {
        const index = this.byOrg.get(org)!.get(kind) ?? null;
        if (!index) {
          return this.idOrUnavailable(kind, t, nounOne, `the ${noun.many} of ${this.organizationName(org)}`);
        }
        indexes = [index];
        orgScoped = true;
      } else if (org !== null && (this.organizations === null || this.organizations.byId.has(org))) {
        return this.idOrUnavailable(kind, t, nounOne, `the ${noun.many} of ${this.organizationName(org)}`);
      } else {
        // No organization, or one the account does not have: look in every organization's lists.
        indexes = [];
        for (const kinds of this.byOrg.values()) {
          const index = kinds.get(kind);
          if (index) indexes.push(index);
        }
        if (indexes.length === 0) {
          return this.idOrUnavailable(kind, t, nounOne, `the ${noun.many} of this account`);
        }
      }
    }

    // An id the account lists resolves to itself, wherever it belongs (the account check says
    // whether it fits the row).
    for (const index of indexes) {
      const e = index.byId.get(t);
      if (e) return { kind: 'id', text: t, id: e.id, label: e.name, known: true };
    }
    if (orgScoped) {
      const e = this.findAnywhere(kind, t);
      if (e) return { kind: 'id', text: t, id: e.id, label: e.name, known: true };
    }

    const { inScope, scopeName } = this.narrow(kind, scope, orgScoped);
    const keys = this.keysOf(kind, t);
    const all: Entity[] = [];
    for (const index of indexes) {
      for (const k of keys) {
        for (const e of index.byKey.get(k) ?? []) if (!all.some((x) => x.id === e.id)) all.push(e);
      }
    }
    const matches = all.filter(inScope);
    if (matches.length === 1) {
      const e = matches[0]!;
      return { kind: 'name', text: t, id: e.id, label: e.name };
    }
    if (matches.length > 1) {
      const candidates = this.sortCandidates(matches.map((e) => this.candidate(kind, e)));
      const how = kind === 'phoneNumber' ? `answer to “${t}”` : `are named “${t}”`;
      return {
        kind: 'ambiguous',
        text: t,
        label: t,
        candidates,
        message:
          `${candidates.length} ${noun.many} of ${scopeName} ${how}: ${joinCandidates(candidates, 'and')}. ` +
          'Use the id of the one you mean.',
      };
    }
    if (looksLikeId(t)) return { kind: 'id', text: t, id: t, label: t, known: false };

    // The same name outside the row's scope (another brand, campaign or organization) is named in
    // the message, never taken.
    if (orgScoped && kind !== 'organization') {
      for (const kinds of this.byOrg.values()) {
        const index = kinds.get(kind);
        if (!index || indexes.includes(index)) continue;
        for (const k of keys) {
          for (const e of index.byKey.get(k) ?? []) if (!all.some((x) => x.id === e.id)) all.push(e);
        }
      }
    }
    const elsewhere = this.sortCandidates(all.map((e) => this.candidate(kind, e)));
    const pool: (Entity & { id: string })[] = [];
    for (const index of indexes) for (const e of index.list) if (inScope(e)) pool.push(e);
    const key = keys[0] ?? '';
    const near =
      kind === 'phoneNumber'
        ? closest(
            key,
            pool.flatMap((e) => [{ ...e, key: e.key }, ...e.alts.map((alt) => ({ ...e, key: alt }))]),
          )
        : closest(key, pool);
    const suggestions = near.map((e) => this.candidate(kind, e));
    let message =
      kind === 'organization'
        ? `${nounOne} “${t}” is not an organization this API key reaches.`
        : `${nounOne} “${t}” is not ${noun.a} of ${scopeName}.`;
    if (elsewhere.length > 0) {
      message += ` ${elsewhere.length === 1 ? 'There is one' : 'There are some'} under ${joinCandidates(elsewhere, 'and', true)}.`;
    }
    message +=
      suggestions.length > 0
        ? ` Did you mean ${joinCandidates(suggestions, 'or')}?`
        : ` Use the name or id of ${noun.a} of ${scopeName}.`;
    return { kind: 'not_found', text: t, label: t, suggestions, elsewhere, message };
  }

  private keysOf(kind: EntityKind, t: string): string[] {
    if (kind === 'trackingDomain') return [domainKey(t), normalizeName(t)];
    if (kind === 'phoneNumber') {
      const digits = phoneKey(t);
      const name = normalizeName(t);
      return digits !== null ? [digits, name] : [name];
    }
    return [normalizeName(t)];
  }

  /** Which entities of the organization fit the row's narrower scope, and what to call that scope. */
  private narrow(
    kind: EntityKind,
    scope: RowScope,
    orgScoped: boolean,
  ): { inScope: (e: Entity) => boolean; scopeName: string } {
    const org = scope.organizationId ?? null;
    const orgName =
      kind === 'organization'
        ? 'this account'
        : orgScoped && org !== null
          ? `organization ${this.organizationName(org)}`
          : 'the organizations this key reaches';
    const everything = { inScope: () => true, scopeName: orgName };
    if (!orgScoped || org === null) return everything;
    const kinds = this.byOrg.get(org)!;
    if (kind === 'campaign' && scope.brandId) {
      const brand = kinds.get('brand')?.byId.get(scope.brandId);
      if (brand) {
        const id = brand.id;
        return { inScope: (e) => e.brandId === id, scopeName: `brand ${brand.name}` };
      }
    }
    if (kind === 'phoneNumber') {
      if (scope.tollFreeVerificationId) {
        const v = kinds.get('verification')?.byId.get(scope.tollFreeVerificationId);
        if (v) {
          const id = v.id;
          return { inScope: (e) => e.tfvId === id, scopeName: `toll-free verification ${v.name}` };
        }
      }
      if (scope.campaignId && scope.channel !== 'toll-free') {
        const c = kinds.get('campaign')?.byId.get(scope.campaignId);
        if (c) {
          const id = c.id;
          return { inScope: (e) => e.campaignId === id, scopeName: `campaign ${c.name}` };
        }
      }
    }
    return everything;
  }

  private candidate(kind: EntityKind, e: Entity): Candidate {
    let where: string;
    if (kind === 'organization') where = 'this account';
    else if (kind === 'campaign' && e.brandId) {
      const brand = this.byOrg.get(e.orgId)?.get('brand')?.byId.get(e.brandId);
      where = `brand ${brand?.name ?? e.brandId}`;
    } else if (kind === 'phoneNumber' && e.tfvId) {
      const v = this.byOrg.get(e.orgId)?.get('verification')?.byId.get(e.tfvId);
      where = `toll-free verification ${v?.name ?? e.tfvId}`;
    } else if (kind === 'phoneNumber' && e.campaignId) {
      const c = this.byOrg.get(e.orgId)?.get('campaign')?.byId.get(e.campaignId);
      where = `campaign ${c?.name ?? e.campaignId}`;
    } else where = `organization ${this.organizationName(e.orgId)}`;
    return { id: e.id, name: e.name, where };
  }

  private sortCandidates(list: Candidate[]): Candidate[] {
    const seen = new Set<string>();
    return list
      .filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)))
      .sort((a, b) => cmp(a.name, b.name) || cmp(a.where, b.where) || cmp(a.id, b.id));
  }

  private idOrUnavailable(kind: EntityKind, t: string, nounOne: string, what: string): Resolution {
    if (looksLikeId(t) || this.isKnownId(kind, t))
      return { kind: 'id', text: t, id: t, label: t, known: false };
    return {
      kind: 'unavailable',
      text: t,
      label: t,
      message: `${nounOne} “${t}” could not be looked up: ${what} could not be read. Check the account again, or use the id.`,
    };
  }
}

/** The parts of a row's scope that a kind's resolution depends on. */
function scopeParts(kind: EntityKind, s: RowScope): string[] {
  switch (kind) {
    case 'organization':
      return [];
    case 'campaign':
      return [s.organizationId ?? '', s.brandId ?? ''];
    case 'phoneNumber':
      return [s.organizationId ?? '', s.campaignId ?? '', s.tollFreeVerificationId ?? '', s.channel ?? ''];
    default:
      return [s.organizationId ?? ''];
  }
}

const EMPTY_SLOT: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * Resolutions by field, the scope parts that matter for its kind, then the cell text: maps within
 * maps, so a look-up hashes the strings it is given (ids shared with the snapshot hash once) instead
 * of building a key string per cell. At most `CACHE_LIMIT` entries, then it starts afresh.
 */
class ResolutionCache<T> {
  private root = new Map<string, Map<string, unknown>>();
  private size = 0;

  /** The texts already resolved for this field in this scope (empty when none). */
  slot(field: string, kind: EntityKind, scope: RowScope): ReadonlyMap<string, T> {
    let level: Map<string, unknown> | undefined = this.root.get(field);
    for (const part of scopeParts(kind, scope)) {
      if (!level) return EMPTY_SLOT;
      level = level.get(part) as Map<string, unknown> | undefined;
    }
    return (level as Map<string, T> | undefined) ?? EMPTY_SLOT;
  }

  put(field: string, kind: EntityKind, scope: RowScope, text: string, value: T): void {
    if (this.size >= CACHE_LIMIT) {
      this.root = new Map();
      this.size = 0;
    }
    let level = this.root.get(field);
    if (!level) this.root.set(field, (level = new Map()));
    for (const part of scopeParts(kind, scope)) {
      let next = level.get(part) as Map<string, unknown> | undefined;
      if (!next) level.set(part, (next = new Map()));
      level = next;
    }
    if (!level.has(text)) this.size++;
    level.set(text, value);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "A (id), B (id) and C (id)"; with `where`, "brand X (id)". */
function joinCandidates(list: readonly Candidate[], last: 'and' | 'or', where = false): string {
  const parts = list.map((c) => (where ? `${c.where}: ${c.name} (${c.id})` : `${c.name} (${c.id})`));
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} ${last} ${parts[parts.length - 1]}`;
}

const INDEXES = new WeakMap<AccountSnapshot, AccountNames>();

/** The names of this snapshot, indexed once (the same object for the same snapshot). */
export function accountNames(snapshot: AccountSnapshot): AccountNames {
  let names = INDEXES.get(snapshot);
  if (!names) {
    names = new AccountNames(snapshot);
    INDEXES.set(snapshot, names);
  }
  return names;
}
