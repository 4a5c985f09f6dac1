/**
 * The body rules of `POST /v1/projects`, written from the API notes and the SDK types alone. This is
 * deliberately independent of `src/shared/` (the importer's own row schema): the Sandbox is the second
 * opinion that catches that schema's mistakes, so it must not share them.
 *
 * Three layers, in the order the API applies them:
 *  1. shape (`checkShape`): strict object, types, required fields, channel rules, counts, URL syntax
 *     → 400 VALIDATION_ERROR with one `{ field, message, code }` per problem;
 *  2. link placeholders (`checkPlaceholders`) → 400 INVALID_LINK_PLACEHOLDER;
 *  3. the account (`checkAccount`): every id exists where the organization can see it and the pieces
 *     belong together → 404 NOT_FOUND for ids nobody can see, else 400 VALIDATION_ERROR.
 *
 * Decisions where the notes are silent (each one is also in the README):
 *  - `phone_number_id` and `phone_number_ids` together: refused (400 VALIDATION_ERROR on
 *    `phone_number_id`). The deprecated field is an alias ("treated as a one-element
 *    phone_number_ids"); two values for one setting are ambiguous, and a strict API refuses rather
 *    than guessing which one wins.
 *  - A toll-free verification that is not `Verified` (e.g. `Rejected`) does NOT block creating a draft:
 *    the notes name no error for it and only require the numbers to be under that verification; carriers
 *    enforce verification when sending. Pre-flight should warn. `requireVerifiedTollFree` turns it on.
 *  - `link_tracking_destination_url` and `link_tracking_fallback_url` must be absolute http(s) URLs
 *    (a `{field}` placeholder stands for one URL-safe token). The placeholder rules apply whenever a
 *    destination URL is given, whether or not `link_tracking_enabled` is true. An empty `{}` names no
 *    field and is refused; only exactly `https://{field}` is the whole-URL mode (not `http://{field}`
 *    nor `https://{field}/`); the fallback, used when the contact's field is unusable, may not itself
 *    hold a placeholder.
 *  - The same phone number twice in `phone_number_ids` is accepted (the notes do not forbid it).
 *  - `suppression_list_ids` must be contact lists of the organization; `media_ids` are only
 *    type-checked (the SDK says the API currently ignores them in favour of media URLs).
 *  - Empty strings are values, not absences: `"brand_id": ""` on a toll-free project is a forbidden
 *    field, and on a 10DLC project an empty (invalid) id.
 */
import type { SeedAccount } from './seed';

export interface FieldIssue {
  field: string;
  message: string;
  code: string;
}

export interface RuleFailure {
  status: number;
  code: string;
  error: string;
  details: FieldIssue[];
}

/** A body that passed the shape checks, with the deprecated alias folded in and defaults applied. */
export interface CreateBody {
  organization_id: string;
  name: string;
  protocol: 'sms' | 'mms';
  message_text: string;
  channel: '10dlc' | 'toll-free';
  brand_id?: string;
  campaign_id?: string;
  toll_free_verification_id?: string;
  phone_number_ids: string[];
  contact_list_ids?: string[];
  suppression_list_ids?: string[];
  media_ids?: string[];
  link_tracking_enabled: boolean;
  link_tracking_destination_url?: string;
  link_tracking_domain_id?: string;
  link_tracking_param_field?: string;
  link_tracking_fallback_url?: string;
  opt_out_footer_enabled: boolean;
}

export const CREATE_FIELDS = [
  'organization_id',
  'name',
  'protocol',
  'message_text',
  'channel',
  'brand_id',
  'campaign_id',
  'toll_free_verification_id',
  'phone_number_ids',
  'phone_number_id',
  'contact_list_ids',
  'suppression_list_ids',
  'media_ids',
  'link_tracking_enabled',
  'link_tracking_destination_url',
  'link_tracking_domain_id',
  'link_tracking_param_field',
  'link_tracking_fallback_url',
  'opt_out_footer_enabled',
] as const;

export const MAX_PHONE_NUMBERS = 49;
export const MAX_PARAM_FIELD_LENGTH = 64;

const STRING_FIELDS = [
  'organization_id',
  'name',
  'protocol',
  'message_text',
  'channel',
  'brand_id',
  'campaign_id',
  'toll_free_verification_id',
  'phone_number_id',
  'link_tracking_destination_url',
  'link_tracking_domain_id',
  'link_tracking_param_field',
  'link_tracking_fallback_url',
] as const;
const ARRAY_FIELDS = ['phone_number_ids', 'contact_list_ids', 'suppression_list_ids', 'media_ids'] as const;
const BOOLEAN_FIELDS = ['link_tracking_enabled', 'opt_out_footer_enabled'] as const;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

export function failure(status: number, code: string, error: string, details: FieldIssue[]): RuleFailure {
  return { status, code, error, details };
}

/** Layer 1: the request schema. Returns every problem at once, like a strict schema validator. */
export function checkShape(
  input: unknown,
): { ok: true; body: CreateBody } | { ok: false; failure: RuleFailure } {
  const issues: FieldIssue[] = [];
  const add = (field: string, code: string, message: string) => issues.push({ field, code, message });

  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    add('body', 'invalid_type', `The request body must be a JSON object, received ${typeName(input)}.`);
    return { ok: false, failure: failure(400, 'VALIDATION_ERROR', 'Validation failed', issues) };
  }
  const raw = input as Record<string, unknown>;
  const known = new Set<string>(CREATE_FIELDS);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) add(key, 'unrecognized_key', `Unrecognized property "${key}".`);
  }
  const has = (k: string) => Object.prototype.hasOwnProperty.call(raw, k) && raw[k] !== undefined;

  for (const f of STRING_FIELDS) {
    if (!has(f)) continue;
    const v = raw[f];
    if (typeof v !== 'string') add(f, 'invalid_type', `Expected a string, received ${typeName(v)}.`);
    else if (v.trim().length === 0) add(f, 'too_small', `${f} must not be empty.`);
  }
  for (const f of ARRAY_FIELDS) {
    if (!has(f)) continue;
    const v = raw[f];
    if (!Array.isArray(v)) {
      add(f, 'invalid_type', `Expected an array of ids, received ${typeName(v)}.`);
      continue;
    }
    v.forEach((item, i) => {
      if (typeof item !== 'string')
        add(f, 'invalid_type', `${f}[${i}]: expected a string, received ${typeName(item)}.`);
      else if (item.trim().length === 0) add(f, 'too_small', `${f}[${i}] must not be empty.`);
    });
  }
  for (const f of BOOLEAN_FIELDS) {
    if (has(f) && typeof raw[f] !== 'boolean') {
      add(f, 'invalid_type', `Expected a boolean (true or false), received ${typeName(raw[f])}.`);
    }
  }

  for (const f of ['organization_id', 'name', 'protocol', 'message_text'] as const) {
    if (!has(f)) add(f, 'required', `${f} is required.`);
  }
  const str = (f: string): string | undefined =>
    typeof raw[f] === 'string' ? (raw[f] as string) : undefined;

  const protocol = str('protocol');
  if (protocol !== undefined && protocol.trim() && protocol !== 'sms' && protocol !== 'mms') {
    add('protocol', 'invalid_enum_value', `protocol must be "sms" or "mms", received "${protocol}".`);
  }
  const channelRaw = str('channel');
  if (channelRaw !== undefined && channelRaw.trim() && channelRaw !== '10dlc' && channelRaw !== 'toll-free') {
    add('channel', 'invalid_enum_value', `channel must be "10dlc" or "toll-free", received "${channelRaw}".`);
  }
  const channel: '10dlc' | 'toll-free' = channelRaw === 'toll-free' ? 'toll-free' : '10dlc';
  const channelKnown = !has('channel') || channelRaw === '10dlc' || channelRaw === 'toll-free';

  if (channelKnown && channel === '10dlc') {
    if (!has('brand_id')) add('brand_id', 'required', 'brand_id is required when channel is 10dlc.');
    if (!has('campaign_id')) add('campaign_id', 'required', 'campaign_id is required when channel is 10dlc.');
    if (has('toll_free_verification_id')) {
      add(
        'toll_free_verification_id',
        'forbidden',
        'toll_free_verification_id must be omitted when channel is 10dlc.',
      );
    }
  } else if (channelKnown) {
    if (!has('toll_free_verification_id')) {
      add(
        'toll_free_verification_id',
        'required',
        'toll_free_verification_id is required when channel is toll-free.',
      );
    }
    if (has('brand_id')) add('brand_id', 'forbidden', 'brand_id must be omitted when channel is toll-free.');
    if (has('campaign_id'))
      add('campaign_id', 'forbidden', 'campaign_id must be omitted when channel is toll-free.');
  }

  const hasIds = has('phone_number_ids');
  const hasId = has('phone_number_id');
  if (!hasIds && !hasId) {
    add('phone_number_ids', 'required', 'phone_number_ids is required (1 to 49 phone number ids).');
  } else if (hasIds && hasId) {
    add(
      'phone_number_id',
      'conflict',
      'Give phone_number_ids or the deprecated phone_number_id, not both (use phone_number_ids).',
    );
  }
  if (hasIds && Array.isArray(raw.phone_number_ids)) {
    const n = raw.phone_number_ids.length;
    if (n < 1) add('phone_number_ids', 'too_small', 'phone_number_ids must hold at least 1 id.');
    if (n > MAX_PHONE_NUMBERS) {
      add(
        'phone_number_ids',
        'too_big',
        `phone_number_ids holds ${n} ids; at most ${MAX_PHONE_NUMBERS} are allowed.`,
      );
    }
  }
  if (has('contact_list_ids') && Array.isArray(raw.contact_list_ids) && raw.contact_list_ids.length === 0) {
    add(
      'contact_list_ids',
      'too_small',
      'contact_list_ids must not be empty; omit it to attach lists later.',
    );
  }

  if (raw.link_tracking_enabled === true) {
    if (!has('link_tracking_destination_url')) {
      add(
        'link_tracking_destination_url',
        'required',
        'link_tracking_destination_url is required when link tracking is on.',
      );
    }
    if (!has('link_tracking_domain_id')) {
      add(
        'link_tracking_domain_id',
        'required',
        'link_tracking_domain_id is required when link tracking is on.',
      );
    }
  }
  const param = str('link_tracking_param_field');
  if (param !== undefined && param.length > MAX_PARAM_FIELD_LENGTH) {
    add(
      'link_tracking_param_field',
      'too_big',
      `link_tracking_param_field is ${param.length} characters; at most ${MAX_PARAM_FIELD_LENGTH} are allowed.`,
    );
  }
  const dest = str('link_tracking_destination_url');
  if (dest !== undefined && dest.trim()) {
    const probe = dest.replace(PLACEHOLDER, 'placeholder');
    if (!isHttpUrl(probe))
      add('link_tracking_destination_url', 'invalid_url', 'Must be an absolute http(s) URL.');
  }
  const fallback = str('link_tracking_fallback_url');
  if (fallback !== undefined && fallback.trim() && !isHttpUrl(fallback)) {
    add('link_tracking_fallback_url', 'invalid_url', 'Must be an absolute http(s) URL.');
  }

  if (issues.length > 0)
    return { ok: false, failure: failure(400, 'VALIDATION_ERROR', 'Validation failed', issues) };

  const arr = (f: string) => (has(f) ? [...(raw[f] as string[])] : undefined);
  const body: CreateBody = {
    organization_id: raw.organization_id as string,
    name: raw.name as string,
    protocol: raw.protocol as 'sms' | 'mms',
    message_text: raw.message_text as string,
    channel,
    phone_number_ids: hasIds ? [...(raw.phone_number_ids as string[])] : [raw.phone_number_id as string],
    link_tracking_enabled: raw.link_tracking_enabled === true,
    opt_out_footer_enabled: raw.opt_out_footer_enabled !== false,
  };
  for (const f of [
    'brand_id',
    'campaign_id',
    'toll_free_verification_id',
    'link_tracking_destination_url',
    'link_tracking_domain_id',
    'link_tracking_param_field',
    'link_tracking_fallback_url',
  ] as const) {
    if (has(f)) body[f] = raw[f] as string;
  }
  for (const f of ['contact_list_ids', 'suppression_list_ids', 'media_ids'] as const) {
    const v = arr(f);
    if (v) body[f] = v;
  }
  return { ok: true, body };
}

/**
 * Layer 2: the `{field}` placeholder rules of `link_tracking_destination_url`.
 *  - at most one placeholder, and it must name `link_tracking_param_field`;
 *  - exactly `https://{field}` is the whole-URL mode: it needs `link_tracking_fallback_url`, and
 *    `https://{phone}` is not allowed;
 *  - `link_tracking_fallback_url` anywhere else is refused.
 */
export function checkPlaceholders(body: CreateBody): RuleFailure | null {
  const issues: FieldIssue[] = [];
  const add = (field: string, code: string, message: string) => issues.push({ field, code, message });
  const dest = body.link_tracking_destination_url;
  const param = body.link_tracking_param_field;
  let wholeUrl = false;
  if (dest !== undefined) {
    const names = [...dest.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
    if (names.length > 1) {
      add(
        'link_tracking_destination_url',
        'too_many_placeholders',
        'The destination URL may hold only one {field} placeholder.',
      );
    } else if (names.length === 1) {
      const name = names[0] as string;
      if (name.trim() === '') {
        add(
          'link_tracking_destination_url',
          'empty_placeholder',
          'A placeholder must name a field: "{}" names none.',
        );
      } else if (param === undefined) {
        add(
          'link_tracking_destination_url',
          'placeholder_without_param_field',
          `The placeholder {${name}} needs link_tracking_param_field set to "${name}".`,
        );
      } else if (name !== param) {
        add(
          'link_tracking_destination_url',
          'placeholder_mismatch',
          `The placeholder {${name}} does not match link_tracking_param_field "${param}".`,
        );
      } else if (dest === `https://{${name}}`) {
        wholeUrl = true;
        if (name === 'phone') {
          add(
            'link_tracking_destination_url',
            'phone_as_url',
            '"https://{phone}" is not allowed as a whole URL.',
          );
        } else if (body.link_tracking_fallback_url === undefined) {
          add(
            'link_tracking_fallback_url',
            'fallback_required',
            'link_tracking_fallback_url is required when the destination URL is a whole-URL placeholder.',
          );
        }
      }
    }
  }
  const fallback = body.link_tracking_fallback_url;
  if (fallback !== undefined && wholeUrl && fallback.match(PLACEHOLDER)) {
    add(
      'link_tracking_fallback_url',
      'placeholder_in_fallback',
      'link_tracking_fallback_url is used when the contact field is unusable, so it cannot hold a {field} placeholder.',
    );
  }
  if (fallback !== undefined && !wholeUrl && issues.length === 0) {
    add(
      'link_tracking_fallback_url',
      'fallback_not_allowed',
      'link_tracking_fallback_url is only allowed when the destination URL is exactly "https://{field}".',
    );
  }
  if (issues.length === 0) return null;
  return failure(400, 'INVALID_LINK_PLACEHOLDER', issues[0]?.message ?? 'Invalid link placeholder', issues);
}

export interface AccountCheckOptions {
  /** The organizations the API key may see. */
  visibleOrganizationIds: ReadonlySet<string>;
  /** Refuse toll-free verifications that are not `Verified` (off by default, see the header). */
  requireVerifiedTollFree?: boolean;
}

/**
 * Layer 3: what only the account knows. The organization itself is checked by the caller (403).
 * Ids that do not exist in any organization the key can see → 404 NOT_FOUND (all of them listed);
 * otherwise mismatches → 400 VALIDATION_ERROR.
 */
export function checkAccount(
  body: CreateBody,
  account: SeedAccount,
  opts: AccountCheckOptions,
): RuleFailure | null {
  const missing: FieldIssue[] = [];
  const wrong: FieldIssue[] = [];
  const org = body.organization_id;
  const visible = (orgId: string | undefined) =>
    orgId !== undefined && opts.visibleOrganizationIds.has(orgId);
  const notFound = (field: string, what: string, id: string) =>
    missing.push({ field, code: 'not_found', message: `${what} "${id}" was not found.` });
  const mismatch = (field: string, code: string, message: string) => wrong.push({ field, code, message });

  if (body.channel === '10dlc') {
    const brand = account.brands.find((b) => b.id === body.brand_id);
    if (!brand || !visible(brand.org_id)) notFound('brand_id', 'Brand', body.brand_id as string);
    else if (brand.org_id !== org) {
      mismatch('brand_id', 'wrong_organization', `Brand "${brand.id}" belongs to another organization.`);
    }
    const campaign = account.campaigns.find((c) => c.id === body.campaign_id);
    if (!campaign || !visible(campaign.org_id))
      notFound('campaign_id', 'Campaign', body.campaign_id as string);
    else if (campaign.brand_id !== body.brand_id) {
      mismatch(
        'campaign_id',
        'wrong_brand',
        `Campaign "${campaign.id}" does not belong to brand "${body.brand_id}".`,
      );
    }
  } else {
    const tfv = account.toll_free_verifications.find((v) => v.id === body.toll_free_verification_id);
    if (!tfv || !visible(tfv.org_id)) {
      notFound(
        'toll_free_verification_id',
        'Toll-free verification',
        body.toll_free_verification_id as string,
      );
    } else if (tfv.org_id !== org) {
      mismatch(
        'toll_free_verification_id',
        'wrong_organization',
        `Toll-free verification "${tfv.id}" belongs to another organization.`,
      );
    } else if (opts.requireVerifiedTollFree && tfv.status !== 'Verified') {
      mismatch(
        'toll_free_verification_id',
        'not_verified',
        `Toll-free verification "${tfv.id}" is "${tfv.status}", not "Verified".`,
      );
    }
  }

  body.phone_number_ids.forEach((id, i) => {
    const field = 'phone_number_ids';
    const pn = account.phone_numbers.find((p) => p.id === id);
    if (!pn || !visible(pn.org_id)) return notFound(field, `Phone number [${i}]`, id);
    if (pn.org_id !== org)
      return mismatch(field, 'wrong_organization', `Phone number "${id}" belongs to another organization.`);
    if (pn.status !== undefined && pn.status !== 'active') {
      return mismatch(field, 'inactive', `Phone number "${id}" is ${pn.status}.`);
    }
    if (body.channel === '10dlc') {
      if (pn.channel !== '10dlc') {
        return mismatch(field, 'wrong_channel', `Phone number "${id}" is a ${pn.channel} number, not 10DLC.`);
      }
      if (pn.campaign_id !== body.campaign_id) {
        return mismatch(
          field,
          'wrong_campaign',
          `Phone number "${id}" is not assigned to campaign "${body.campaign_id}".`,
        );
      }
    } else {
      if (pn.channel !== 'toll-free') {
        return mismatch(
          field,
          'not_toll_free',
          `Phone number "${id}" is a ${pn.channel} number, not toll-free.`,
        );
      }
      if (pn.toll_free_verification_id !== body.toll_free_verification_id) {
        return mismatch(
          field,
          'wrong_verification',
          `Phone number "${id}" is not under toll-free verification "${body.toll_free_verification_id}".`,
        );
      }
    }
  });

  for (const field of ['contact_list_ids', 'suppression_list_ids'] as const) {
    for (const id of body[field] ?? []) {
      const list = account.contact_lists.find((l) => l.id === id);
      if (!list || !visible(list.org_id)) notFound(field, 'Contact list', id);
      else if (list.org_id !== org)
        mismatch(field, 'wrong_organization', `Contact list "${id}" belongs to another organization.`);
    }
  }

  if (body.link_tracking_domain_id !== undefined) {
    const id = body.link_tracking_domain_id;
    const domain = account.tracking_domains.find((d) => d.id === id);
    const domainOrg = typeof domain?.org_id === 'string' ? domain.org_id : undefined;
    if (!visible(domainOrg)) notFound('link_tracking_domain_id', 'Tracking domain', id);
    else if (domainOrg !== org) {
      mismatch(
        'link_tracking_domain_id',
        'wrong_organization',
        `Tracking domain "${id}" belongs to another organization.`,
      );
    }
  }

  if (missing.length > 0) return failure(404, 'NOT_FOUND', missing[0]?.message ?? 'Not found', missing);
  if (wrong.length > 0) return failure(400, 'VALIDATION_ERROR', 'Validation failed', wrong);
  return null;
}
