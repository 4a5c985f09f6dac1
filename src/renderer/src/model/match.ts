/**
 * Matching values: the distinct names a sheet's reference columns hold (organization, brand,
 * campaign, verification, numbers, lists, suppression lists, domain, media), each once per scope,
 * with how many rows use it and what the account resolves it to.
 *
 * A value is looked up where the rows using it are (their organization, brand, campaign…), so the
 * same text can resolve differently for two sets of rows: it is then one group per scope. Cells that
 * hold ids are not names and form no group (the account check judges them).
 *
 * A choice is applied to the cells themselves: the chosen entity's value (its name, or "Name (id)"
 * where the name alone is not unique) replaces the typed text in every cell of the group (just that
 * item in a list cell), so what the grid shows is what is sent, with no table of aliases beside it.
 */
import type { FieldName, RawRow } from '../../../shared/schema/fields';
import {
  REFERENCE_FIELDS,
  REFERENCE_LIST_FIELDS,
  resolvedId,
  type AccountNames,
  type EntityKind,
  type ReferenceField,
  type Resolution,
  type RowScope,
} from '../../../shared/account/resolve';
import { looksLikeId, normalizeName, splitListCell } from '../../../shared/account/names';

/** The rows to match, as the grid holds them. */
export interface MatchSource {
  /** Physical rows still in the sheet, in order. */
  rows: ArrayLike<number>;
  /** The column a field is read from (-1: none). */
  column(field: FieldName): number;
  cell(r: number, c: number): string;
}

export interface CellEdit {
  row: number;
  col: number;
  value: string;
}

/** One distinct value of a field, in one scope. */
export interface MatchGroup {
  /** Field, scope and text: stable while the cells stay as they are. */
  key: string;
  field: ReferenceField;
  kind: EntityKind;
  /** The text as typed (trimmed; a list cell's item): the first of `variants`. */
  text: string;
  /** Every spelling of it in these rows (case, spacing and punctuation forgiven, as names are). */
  variants: string[];
  scope: RowScope;
  /** The ids the look-up depends on for this kind (see `scopeKey`). */
  scopeKey: string;
  /** Where it was looked up, for people: "organization Rivera for Senate", "brand …". */
  where: string;
  /** Physical rows using it. */
  rows: number[];
  resolution: Resolution;
  /** Resolved to exactly one entity (nothing to decide), or waiting for a choice. */
  status: 'matched' | 'decide';
}

/** An entity the user can pick for a group. */
export interface MatchOption {
  /** The cell text that resolves to exactly this entity in the group's scope. */
  value: string;
  id: string;
  name: string;
  where: string;
  /** Offered by the look-up itself (one of the same-name entities, or a close name). */
  suggested: boolean;
}

const FIELD_ORDER: readonly ReferenceField[] = [
  'organization_id',
  'brand_id',
  'campaign_id',
  'toll_free_verification_id',
  'phone_number_id',
  'phone_number_ids',
  'link_tracking_domain_id',
  'contact_list_ids',
  'suppression_list_ids',
  'media_ids',
];

const LIST_FIELDS: ReadonlySet<string> = new Set(REFERENCE_LIST_FIELDS);

/** The ids a look-up of this kind depends on: rows agreeing on these resolve a text alike. */
export function scopeKey(kind: EntityKind, s: RowScope): string {
  switch (kind) {
    case 'organization':
      return '';
    case 'campaign':
      return `${s.organizationId ?? ''}|${s.brandId ?? ''}`;
    case 'phoneNumber':
      return `${s.organizationId ?? ''}|${s.campaignId ?? ''}|${s.tollFreeVerificationId ?? ''}|${s.channel ?? ''}`;
    default:
      return s.organizationId ?? '';
  }
}

/** The key a remembered choice is kept under: the field, the scope and the text (case and spacing forgiven). */
export function memoryKey(field: ReferenceField, scope: string, text: string): string {
  return `${field}\u0000${scope}\u0000${normalizeName(text)}`;
}

/** The mapped reference columns (a field's first column). */
function referenceColumns(src: MatchSource): Array<{ field: ReferenceField; col: number }> {
  const out: Array<{ field: ReferenceField; col: number }> = [];
  for (const field of FIELD_ORDER) {
    const col = src.column(field);
    if (col >= 0) out.push({ field, col });
  }
  return out;
}

/**
 * Whether any reference cell holds something other than ids (a name, a number written out): only
 * then is there anything to match. Needs no account.
 */
export function holdsNames(src: MatchSource): boolean {
  const cols = referenceColumns(src);
  if (cols.length === 0) return false;
  for (let i = 0; i < src.rows.length; i++) {
    const r = src.rows[i]!;
    for (const { field, col } of cols) {
      const v = src.cell(r, col).trim();
      if (v === '') continue;
      if (LIST_FIELDS.has(field)) {
        const split = splitListCell(v);
        if (split.ok && split.items.some((item) => !looksLikeId(item.trim()))) return true;
      } else if (!looksLikeId(v)) return true;
    }
  }
  return false;
}

/** The row as the look-up reads it: its reference cells and its channel. */
function rawRow(src: MatchSource, r: number, cols: ReadonlyArray<{ field: ReferenceField; col: number }>) {
  const row: RawRow = {};
  for (const { field, col } of cols) row[field] = src.cell(r, col);
  const channel = src.column('channel');
  if (channel >= 0) row.channel = src.cell(r, channel);
  return row;
}

/** "organization Rivera for Senate", "brand Rivera for Senate", "campaign …", for a scope. */
function scopeLabel(names: AccountNames, kind: EntityKind, s: RowScope): string {
  const label = (field: ReferenceField, id: string) => {
    const r = names.resolve(field, id, s);
    return r.kind === 'id' ? r.label : id;
  };
  if (kind === 'organization') return 'this account';
  if (kind === 'campaign' && s.brandId) return `brand ${label('brand_id', s.brandId)}`;
  if (kind === 'phoneNumber' && s.tollFreeVerificationId)
    return `toll-free verification ${label('toll_free_verification_id', s.tollFreeVerificationId)}`;
  if (kind === 'phoneNumber' && s.campaignId && s.channel !== 'toll-free')
    return `campaign ${label('campaign_id', s.campaignId)}`;
  if (s.organizationId) return `organization ${names.organizationName(s.organizationId)}`;
  return 'every organization (the row names none)';
}

/**
 * The distinct values of the reference columns, once per field, text and scope, in field order and
 * then by text. Each row is resolved as the account check resolves it (top down, in its scope).
 */
export function matchGroups(src: MatchSource, names: AccountNames, defaultOrg: string): MatchGroup[] {
  const cols = referenceColumns(src);
  if (cols.length === 0) return [];
  const groups = new Map<string, MatchGroup>();
  const note = (r: number, field: ReferenceField, res: Resolution, scope: RowScope) => {
    if (res.kind === 'id') return;
    const kind = REFERENCE_FIELDS[field];
    const sk = scopeKey(kind, scope);
    const key = memoryKey(field, sk, res.text);
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        field,
        kind,
        text: res.text,
        variants: [res.text],
        // The scope the look-up used, narrowed to what this kind depends on.
        scope: { ...scope },
        scopeKey: sk,
        where: scopeLabel(names, kind, scope),
        rows: [],
        resolution: res,
        status: res.kind === 'name' ? 'matched' : 'decide',
      };
      groups.set(key, g);
    }
    if (!g.variants.includes(res.text)) g.variants.push(res.text);
    if (g.rows[g.rows.length - 1] !== r) g.rows.push(r);
  };
  for (let i = 0; i < src.rows.length; i++) {
    const r = src.rows[i]!;
    const row = rawRow(src, r, cols);
    const refs = names.resolveReferences(row, defaultOrg);
    // The scope each level was looked up in: the levels above it only.
    const scope: RowScope = refs.scope.channel ? { channel: refs.scope.channel } : {};
    const org = refs.cells.organization_id;
    if (org && row.organization_id?.trim()) note(r, 'organization_id', org, scope);
    if (refs.scope.organizationId) scope.organizationId = refs.scope.organizationId;
    const brand = refs.cells.brand_id;
    if (brand) note(r, 'brand_id', brand, scope);
    if (refs.scope.brandId) scope.brandId = refs.scope.brandId;
    const campaign = refs.cells.campaign_id;
    if (campaign) note(r, 'campaign_id', campaign, scope);
    if (refs.scope.campaignId) scope.campaignId = refs.scope.campaignId;
    const tfv = refs.cells.toll_free_verification_id;
    if (tfv) note(r, 'toll_free_verification_id', tfv, scope);
    if (refs.scope.tollFreeVerificationId) scope.tollFreeVerificationId = refs.scope.tollFreeVerificationId;
    for (const field of ['phone_number_id', 'link_tracking_domain_id'] as const) {
      const res = refs.cells[field];
      if (res) note(r, field, res, scope);
    }
    for (const field of REFERENCE_LIST_FIELDS) {
      const list = refs.lists[field];
      if (!list?.ok) continue;
      for (const item of list.items) note(r, field, item, scope);
    }
  }
  const order = new Map(FIELD_ORDER.map((f, i) => [f, i]));
  return [...groups.values()].sort(
    (a, b) =>
      order.get(a.field)! - order.get(b.field)! ||
      cmp(normalizeName(a.text), normalizeName(b.text)) ||
      cmp(a.where, b.where) ||
      cmp(a.key, b.key),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What the user can pick for a group: the entities the look-up offered (same-name ones, close names)
 * first, then every other entity of the kind that resolves in the group's scope. Each with the cell
 * text that resolves to exactly it there.
 */
export function matchOptions(names: AccountNames, g: MatchGroup): MatchOption[] {
  const out: MatchOption[] = [];
  const seen = new Set<string>();
  const offer = (id: string, name: string, where: string, suggested: boolean) => {
    if (seen.has(id)) return;
    const value = names.valueFor(g.kind, id, g.scope, name);
    // Offered only when it fits the rows: it resolves to this entity where they look it up.
    if (resolvedId(names.resolve(g.field, value, g.scope)) !== id) return;
    seen.add(id);
    out.push({ value, id, name, where, suggested });
  };
  const r = g.resolution;
  if (r.kind === 'ambiguous') for (const c of r.candidates) offer(c.id, c.name, c.where, true);
  if (r.kind === 'not_found') for (const c of r.suggestions) offer(c.id, c.name, c.where, true);
  const org = g.scope.organizationId ?? null;
  for (const c of names.choices(g.kind)) {
    if (g.kind !== 'organization' && org !== null && c.organizationId !== org) continue;
    offer(c.id, c.name, c.where, false);
  }
  return out;
}

/** Options whose name, id or place contain every word of the query (case forgiven). */
export function filterOptions(options: readonly MatchOption[], query: string): MatchOption[] {
  const words = query
    .toLowerCase()
    .split(/\s+/u)
    .filter((w) => w !== '');
  if (words.length === 0) return [...options];
  return options.filter((o) => {
    const hay = `${o.name} ${o.id} ${o.where} ${o.value}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/**
 * A cell with `from` replaced by `to`: the whole cell, or in a list cell just the items that are
 * `from` (in any spelling `normalizeName` forgives). A list whose items hold a comma or semicolon is written as a JSON list, so each item
 * stays one item. Returns the cell as it was when nothing in it is `from`.
 */
export function replaceInCell(
  field: ReferenceField,
  cell: string,
  from: string,
  to: string,
  isKnownId: (token: string) => boolean = () => false,
): string {
  const key = normalizeName(from);
  const same = (item: string) => item.trim() === from || (key !== '' && normalizeName(item) === key);
  if (!LIST_FIELDS.has(field)) return same(cell) ? to : cell;
  const split = splitListCell(cell, isKnownId);
  if (!split.ok) return cell;
  let changed = false;
  const items = split.items.map((item) => {
    if (!same(item)) return item;
    changed = true;
    return to;
  });
  if (!changed) return cell;
  if (cell.trim().startsWith('[') || items.some((s) => /[,;\r\n\u2028\u2029]/u.test(s)))
    return JSON.stringify(items);
  return items.join(', ');
}

/** The edits that put `value` in place of the group's text in every cell of the group. */
export function matchEdits(
  src: MatchSource,
  g: MatchGroup,
  value: string,
  isKnownId: (token: string) => boolean = () => false,
): CellEdit[] {
  const col = src.column(g.field);
  if (col < 0) return [];
  const edits: CellEdit[] = [];
  for (const r of g.rows) {
    const before = src.cell(r, col);
    const after = replaceInCell(g.field, before, g.text, value, isKnownId);
    if (after !== before) edits.push({ row: r, col, value: after });
  }
  return edits;
}

const PLACES = new WeakMap<AccountNames, Map<EntityKind, Map<string, string>>>();

/** Where an entity of the account belongs ("brand Rivera for Senate"), or '' when the account does not list it. */
export function entityWhere(names: AccountNames, kind: EntityKind, id: string): string {
  let kinds = PLACES.get(names);
  if (!kinds) PLACES.set(names, (kinds = new Map()));
  let places = kinds.get(kind);
  if (!places) {
    places = new Map(names.choices(kind).map((c) => [c.id, c.where]));
    kinds.set(kind, places);
  }
  return places.get(id) ?? '';
}
