/**
 * What a cell's picker offers: the values a cell may take, as a list to choose from while editing.
 *
 * - Reference cells (organization, brand, campaign, numbers, verification, domain, lists, media),
 *   once the account's data is loaded: the account's entities, each with the text to put in the cell
 *   (a value that resolves back to that entity in the row's scope), its name, id and where it
 *   belongs. The list is narrowed the way the cell is resolved: campaigns to the row's brand,
 *   numbers to the row's toll-free verification or campaign, everything else to the row's
 *   organization; when the row's organization is not known, every organization's, grouped.
 * - Enum and boolean cells (protocol, channel, yes/no fields): their values, with or without an account.
 *
 * The picker is an aid: the cell still takes any text. Pure: no DOM, no React.
 */
import type { AccountSnapshot } from '../../../shared/account/snapshot';
import {
  accountNames,
  isReferenceField,
  resolvedId,
  REFERENCE_FIELDS,
  REFERENCE_LIST_FIELDS,
  type AccountNames,
  type EntityKind,
  type ReferenceField,
  type RowScope,
} from '../../../shared/account/resolve';
import { normalizeName } from '../../../shared/account/names';
import { FIELD_BY_NAME, type FieldName, type RawRow } from '../../../shared/schema/fields';
import { parseBoolean, parseChannel, parseProtocol } from '../../../shared/mapping/cells';

export interface PickerOption {
  /** Identity within the picker: the entity's id, or the enum's value. */
  key: string;
  /** What the cell gets when this option is chosen. */
  value: string;
  /** Shown first. */
  label: string;
  /** The entity's id (reference options only). */
  id?: string;
  /** Where it belongs ("brand Rivera for Senate"), or a note on an enum value. */
  detail?: string;
  /** The organization heading it is listed under, when the list spans organizations. */
  group?: string;
  /** Lower-cased text the filter searches. */
  haystack: string;
}

export interface Picker {
  field: FieldName;
  /** Several values, joined with ", " (numbers and lists). */
  multi: boolean;
  /** What the list holds ("Campaigns of brand Rivera for Senate"). */
  title: string;
  options: PickerOption[];
  /** Said when the list is empty. */
  empty: string;
  /** The option keys a cell text holds (and, for lists, the items that match no option). */
  holds(text: string): { keys: Set<string>; others: string[] };
}

export interface PickerContext {
  snapshot: AccountSnapshot | null;
  defaultOrg: string;
}

const NOUNS: Record<EntityKind, string> = {
  organization: 'Organizations',
  brand: 'Brands',
  campaign: 'Campaigns',
  phoneNumber: 'Numbers',
  verification: 'Toll-free verifications',
  trackingDomain: 'Tracking domains',
  contactList: 'Contact lists',
  media: 'Media files',
};

/** Longest cell text whose items the picker marks as chosen. */
const MAX_READ = 20_000;

/** Most options a picker lists (an account with more is narrowed by typing). */
export const MAX_OPTIONS = 2000;

/** What the filter searches: every part as written and in its normal form, and a number's digits. */
function haystackOf(number: string | undefined, ...parts: Array<string | undefined>): string {
  const words = parts
    .filter((p): p is string => !!p)
    .map((p) => `${p.toLowerCase()} ${normalizeName(p)}`)
    .join(' ');
  return number ? `${words} ${number.replace(/\D/g, '')}` : words;
}

function enumOption(value: string, detail?: string): PickerOption {
  return {
    key: value,
    value,
    label: value,
    ...(detail ? { detail } : {}),
    haystack: haystackOf(undefined, value, detail),
  };
}

/** The enum and boolean fields' values, and how a cell's text reads as one of them. */
function enumPicker(field: FieldName): Picker | null {
  const spec = FIELD_BY_NAME.get(field);
  if (!spec) return null;
  let options: PickerOption[];
  let read: (text: string) => string | null;
  if (field === 'protocol') {
    options = [enumOption('sms', 'text message'), enumOption('mms', 'picture message')];
    read = (t) => {
      const p = parseProtocol(t);
      return p.ok && p.value ? p.value : null;
    };
  } else if (field === 'channel') {
    options = [enumOption('10dlc', 'the default when empty'), enumOption('toll-free')];
    read = (t) => {
      if (t.trim() === '') return null;
      const p = parseChannel(t);
      return p.ok ? p.value : null;
    };
  } else if (spec.kind === 'boolean') {
    options =
      field === 'opt_out_footer_enabled'
        ? [enumOption('yes', 'the default when empty'), enumOption('no')]
        : [enumOption('yes'), enumOption('no')];
    read = (t) => {
      const p = parseBoolean(t);
      return p.ok && p.value !== undefined ? (p.value ? 'yes' : 'no') : null;
    };
  } else return null;
  return {
    field,
    multi: false,
    title: spec.label,
    options,
    empty: '',
    holds(text) {
      const v = read(text);
      return { keys: new Set(v ? [v] : []), others: [] };
    },
  };
}

/** Where a kind's entities are looked up for this row, as the resolution does it. */
interface Narrowing {
  title: string;
  /** null: every organization's, grouped. */
  organizationId: string | null;
  keep: (id: string, orgId: string) => boolean;
}

function narrowing(
  snapshot: AccountSnapshot,
  names: AccountNames,
  field: ReferenceField,
  kind: EntityKind,
  scope: RowScope,
): Narrowing {
  const noun = field === 'suppression_list_ids' ? 'Suppression lists' : NOUNS[kind];
  if (kind === 'organization') {
    return { title: 'Organizations this key reaches', organizationId: null, keep: () => true };
  }
  const org = scope.organizationId ?? null;
  if (org === null) {
    return {
      title: `${noun} of all organizations`,
      organizationId: null,
      keep: () => true,
    };
  }
  const data = snapshot.byOrganization[org];
  const orgName = names.organizationName(org);
  const inOrg = { title: `${noun} of ${orgName}`, organizationId: org, keep: () => true };
  if (!data) return inOrg;
  if (kind === 'campaign' && scope.brandId) {
    const brand = data.brands?.find((b) => b.id === scope.brandId);
    if (brand) {
      const of = new Map((data.campaigns ?? []).map((c) => [c.id, c.brandId ?? null]));
      return {
        title: `${noun} of brand ${brand.name}`,
        organizationId: org,
        keep: (id) => of.get(id) === brand.id,
      };
    }
  }
  if (kind === 'phoneNumber') {
    const numbers = new Map((data.phoneNumbers ?? []).map((p) => [p.id, p]));
    if (scope.tollFreeVerificationId) {
      const v = data.verifications?.find((x) => x.id === scope.tollFreeVerificationId);
      if (v) {
        return {
          title: `${noun} of toll-free verification ${v.name}`,
          organizationId: org,
          keep: (id) => numbers.get(id)?.tollFreeVerificationId === v.id,
        };
      }
    }
    if (scope.campaignId && scope.channel !== 'toll-free') {
      const c = data.campaigns?.find((x) => x.id === scope.campaignId);
      if (c) {
        return {
          title: `${noun} of campaign ${c.name}`,
          organizationId: org,
          keep: (id) => numbers.get(id)?.campaignId === c.id,
        };
      }
    }
  }
  return inOrg;
}

/** The row's scope, resolved from its own cells (its organization, brand, campaign, verification). */
export function rowScope(snapshot: AccountSnapshot, row: RawRow, defaultOrg: string): RowScope {
  return accountNames(snapshot).resolveReferences(row, defaultOrg.trim() || undefined).scope;
}

const LIST_FIELDS: ReadonlySet<string> = new Set(REFERENCE_LIST_FIELDS);
/** A value with one of these would be cut in two in a list cell: the id goes there instead. */
const LIST_SEPARATOR = /[,;\r\n\u2028\u2029]/u;

function referencePicker(
  field: ReferenceField,
  row: RawRow,
  snapshot: AccountSnapshot,
  defaultOrg: string,
): Picker {
  const names = accountNames(snapshot);
  const kind = REFERENCE_FIELDS[field];
  const scope = rowScope(snapshot, row, defaultOrg);
  const multi = LIST_FIELDS.has(field);
  const n = narrowing(snapshot, names, field, kind, scope);
  const grouped = n.organizationId === null && kind !== 'organization';
  const options: PickerOption[] = [];
  for (const c of names.choices(kind)) {
    if (n.organizationId !== null && c.organizationId !== n.organizationId) continue;
    if (!n.keep(c.id, c.organizationId)) continue;
    let value = names.valueFor(kind, c.id, scope);
    if (multi && LIST_SEPARATOR.test(value)) value = c.id;
    const group = grouped ? names.organizationName(c.organizationId) : undefined;
    // Under an organization's heading, "organization …" goes without saying.
    const detail =
      kind === 'organization' || (group && c.where === `organization ${group}`) ? undefined : c.where;
    options.push({
      key: c.id,
      value,
      label: c.name,
      id: c.id,
      ...(detail ? { detail } : {}),
      ...(group ? { group } : {}),
      haystack: haystackOf(kind === 'phoneNumber' ? c.name : undefined, c.name, c.id, value, detail),
    });
    if (options.length >= MAX_OPTIONS) break;
  }
  const byName = (a: PickerOption, b: PickerOption) =>
    cmp(a.group ?? '', b.group ?? '') ||
    cmp(a.label.toLowerCase(), b.label.toLowerCase()) ||
    cmp(a.key, b.key);
  options.sort(byName);
  // Where they belong goes without saying when the title says it for all of them.
  const details = new Set(options.map((o) => o.detail));
  const only = details.size === 1 ? [...details][0] : undefined;
  if (only && n.title.endsWith(only.replace(/^organization /, ''))) {
    for (const o of options) delete o.detail;
  }
  const noun = (field === 'suppression_list_ids' ? 'suppression lists' : NOUNS[kind]).toLowerCase();
  const unread =
    n.organizationId !== null &&
    (!snapshot.byOrganization[n.organizationId] ||
      snapshot.byOrganization[n.organizationId]!.denied === true);
  const empty = unread
    ? `The ${noun} of ${names.organizationName(n.organizationId!)} were not read: check with the account again.`
    : `No ${noun} here in this account. Type the name or id.`;
  const keys = new Set(options.map((o) => o.key));
  return {
    field,
    multi,
    title: n.title,
    options,
    empty,
    holds(text) {
      const held = new Set<string>();
      const others: string[] = [];
      // A cell longer than any list of names is not read item by item on every key pressed.
      if (text.trim() === '' || text.length > MAX_READ) return { keys: held, others };
      if (multi) {
        const list = names.resolveList(field, text, scope);
        if (!list.ok) return { keys: held, others: [text.trim()] };
        for (const item of list.items) {
          const id = resolvedId(item);
          if (id !== null && keys.has(id)) held.add(id);
          else others.push(item.text);
        }
      } else {
        const id = resolvedId(names.resolve(field, text, scope));
        if (id !== null && keys.has(id)) held.add(id);
      }
      return { keys: held, others };
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The picker for a cell of `field` in a row (its mapped cells), or null when the field offers no
 * list: a free-text field, or a reference field while no account data is loaded.
 */
export function pickerFor(field: FieldName | null, row: RawRow, ctx: PickerContext): Picker | null {
  if (!field) return null;
  if (isReferenceField(field)) {
    return ctx.snapshot ? referencePicker(field, row, ctx.snapshot, ctx.defaultOrg) : null;
  }
  return enumPicker(field);
}

/**
 * The options whose text holds every word of the query (case, punctuation and spacing ignored;
 * digits match a number however it is written), in the picker's order.
 */
export function filterOptions(options: readonly PickerOption[], query: string): PickerOption[] {
  const q = query.trim();
  if (q === '') return [...options];
  const words = normalizeName(q)
    .split(' ')
    .filter((w) => w !== '');
  const digits = q.replace(/\D/g, '');
  const numeric = digits.length >= 3 && /^[\d\s()+.-]+$/.test(q);
  return options.filter((o) => {
    if (numeric && o.haystack.includes(digits)) return true;
    if (words.length === 0) return o.haystack.includes(q.toLowerCase());
    return words.every((w) => o.haystack.includes(w));
  });
}

const SEPARATORS = /[,;\r\n\u2028\u2029]/gu;

/**
 * A multi-value cell while it is edited: the items already in it (`prefix`) and the item being
 * typed (`query`, what the list is filtered by). `typing`: the user typed since the list last
 * changed the text; otherwise the whole text is items.
 */
export function splitTyped(text: string, typing: boolean): { prefix: string; query: string } {
  if (!typing) return { prefix: text, query: '' };
  let last = -1;
  for (const m of text.matchAll(SEPARATORS)) last = m.index;
  return last === -1
    ? { prefix: '', query: text.trim() }
    : { prefix: text.slice(0, last + 1), query: text.slice(last + 1).trim() };
}

/**
 * The text of a multi-value cell after choosing `option`: added when the cell does not hold it
 * (in place of the item being typed), else taken out. Items that match no option stay as written.
 * Ends with ", " so the next name can be typed straight away (see `finalText`).
 */
export function toggleValue(picker: Picker, text: string, typing: boolean, option: PickerOption): string {
  const { prefix } = splitTyped(text, typing);
  const items = itemsOf(picker, prefix);
  const has = items.some((i) => i.key === option.key);
  const kept = has
    ? items.filter((i) => i.key !== option.key)
    : [...items, { key: option.key, text: option.value }];
  return kept.length === 0 ? '' : `${kept.map((i) => i.text).join(', ')}, `;
}

/** The cell's items in order, each with the option it matches (key '' for none). */
function itemsOf(picker: Picker, text: string): Array<{ key: string; text: string }> {
  const out: Array<{ key: string; text: string }> = [];
  for (const part of text.split(SEPARATORS)) {
    const t = part.trim();
    if (t === '') continue;
    const held = picker.holds(t);
    if (held.keys.size === 1 && held.others.length === 0) out.push({ key: [...held.keys][0]!, text: t });
    else {
      // An id list written with spaces ("pn_A pn_B") holds several items in one part.
      const keys = [...held.keys];
      if (keys.length > 1 && held.others.length === 0) {
        const byKey = new Map(picker.options.map((o) => [o.key, o.value]));
        for (const k of keys) out.push({ key: k, text: byKey.get(k) ?? k });
      } else out.push({ key: keys.length === 1 ? keys[0]! : '', text: t });
    }
  }
  return out;
}

/**
 * What a multi-value cell commits when its text is the one the list last made: without the ", "
 * added after the last value. (Text the user typed is committed exactly as typed.)
 */
export function finalText(listText: string): string {
  return listText.replace(/[,;]\s*$/u, '');
}
