/**
 * The row schema: one zod schema that turns a mapped spreadsheet row (the text of each cell, keyed
 * by API field) into the exact `CreateProjectRequest` body, or into errors that each name the field
 * they belong to. Warnings never block a row, so they are computed beside it by `rowWarnings`.
 */
import { z } from 'zod';
import type { CreateProjectRequest } from '@political-comms/sdk';
import { FIELD_NAMES, type FieldName, type RawRow } from './fields';
import {
  parseBoolean,
  parseChannel,
  parseProtocol,
  quoteCell,
  repeatedItems,
  type Channel,
  type Parsed,
  type Protocol,
} from '../mapping/cells';
import { splitListCell } from '../account/names';

export const MAX_PHONE_NUMBERS = 49;
export const MAX_PARAM_FIELD_LENGTH = 64;

/** A finding before it is placed on a row: the field, a stable code and a plain message. */
export interface FieldFinding {
  field: FieldName;
  code: string;
  message: string;
}

const INVALID_CODE: Partial<Record<FieldName, string>> = {
  protocol: 'invalid_protocol',
  channel: 'invalid_channel',
  link_tracking_enabled: 'invalid_boolean',
  opt_out_footer_enabled: 'invalid_boolean',
  phone_number_ids: 'invalid_list',
  phone_number_id: 'invalid_list',
  contact_list_ids: 'invalid_list',
  suppression_list_ids: 'invalid_list',
  media_ids: 'invalid_list',
};

const text = (v: string | undefined): string => (v === undefined ? '' : v.trim());

/** The `{name}` placeholders in a URL, in order (a brace pair with no brace inside). */
export function placeholders(url: string): string[] {
  const out: string[] = [];
  let open = url.indexOf('{');
  while (open !== -1) {
    let i = open + 1;
    while (i < url.length && url.charCodeAt(i) !== 123 && url.charCodeAt(i) !== 125) i++;
    if (i === url.length) break;
    if (url.charCodeAt(i) === 125) {
      out.push(url.slice(open + 1, i));
      open = url.indexOf('{', i + 1);
    } else open = i;
  }
  return out;
}

const WHOLE_URL_PLACEHOLDER = /^https:\/\/\{([^{}]*)\}$/;

/** The field named by a whole-URL placeholder destination (`https://{field}`), or null. */
export function wholeUrlPlaceholder(url: string): string | null {
  const m = WHOLE_URL_PLACEHOLDER.exec(url);
  return m ? (m[1] ?? '') : null;
}

/**
 * URLs that the URL parser certainly accepts with a host: http(s), a host of plain ASCII labels whose
 * last label starts with a letter (so it is never read as an IPv4 number) and no punycode label (which
 * the parser checks), an optional short port, then anything printable. Others go to the parser.
 */
const PLAIN_HTTP_URL =
  /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?(?::\d{1,4})?(?:[/?#][\x21-\x7e]*)?$/i;

const HTTP_SCHEME = /^https?:\/\//i;
const PUNYCODE_HOST = /^https?:\/\/[^/?#]*xn--/i;

/** An absolute http(s) URL; `{field}` placeholders are allowed anywhere. */
export function isAbsoluteHttpUrl(url: string): boolean {
  if (!HTTP_SCHEME.test(url)) return false;
  if (PLAIN_HTTP_URL.test(url) && !PUNYCODE_HOST.test(url)) return true;
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{[^{}]*\}/g, 'x'));
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
}

/** Collects the errors of one row (a class, not closures: this runs once per row of huge files). */
class Findings {
  failed = false;
  constructor(private readonly out: FieldFinding[]) {}

  fail(field: FieldName, code: string, message: string): void {
    this.failed = true;
    this.out.push({ field, code, message });
  }

  /** The parsed value, or undefined after reporting the cell as unreadable. */
  typed<T>(field: FieldName, parsed: Parsed<T>, cell: string): T | undefined {
    if (parsed.ok) return parsed.value;
    this.fail(
      field,
      INVALID_CODE[field] ?? 'invalid_value',
      `${field} cannot be read: ${quoteCell(cell)} — ${parsed.reason}.`,
    );
    return undefined;
  }
}

/** What a list cell says, worked out once per distinct cell text. */
export interface ListCell {
  parsed: Parsed<string[]>;
  /** Ids listed more than once, each once, in order of first repeat. */
  repeated: string[];
}

function readList(cell: string): ListCell {
  // Ids split at spaces too; a cell of names ("Do not contact (Rivera)") at commas, semicolons and
  // new lines only (see `splitListCell` for the rule).
  const split = splitListCell(cell);
  const parsed: Parsed<string[]> = split.ok ? { ok: true, value: split.items } : split;
  if (!parsed.ok) return { parsed, repeated: [] };
  // Shared by every row (and body) with this cell: frozen, so no one can change it for the others.
  Object.freeze(parsed.value);
  return { parsed, repeated: repeatedItems(parsed.value) };
}

const EMPTY_LIST: ListCell = readList('');

/** Distinct cell texts remembered per kind of cell; past this, cells are read without remembering. */
const CACHE_LIMIT = 2048;

/**
 * The cell parsers, remembering what each distinct cell text reads as: most columns of a large file
 * repeat the same few texts (the same brand, campaign, numbers, "yes"), so each is read once. Keys and
 * values are copies that share no memory with the reader's text. Values are shared between rows (and
 * request bodies): the lists are frozen.
 */
export class CellReader {
  private readonly lists = new Map<string, ListCell>();
  private readonly booleans = new Map<string, Parsed<boolean | undefined>>();
  private readonly protocols = new Map<string, Parsed<Protocol | undefined>>();
  private readonly channels = new Map<string, Parsed<Channel>>();

  // An empty cell (the most common of all) is answered without a lookup.
  list(cell: string): ListCell {
    return cell === '' ? EMPTY_LIST : remember(this.lists, cell, readList);
  }
  boolean(cell: string): Parsed<boolean | undefined> {
    return cell === '' ? parseBoolean(cell) : remember(this.booleans, cell, parseBoolean);
  }
  protocol(cell: string): Parsed<Protocol | undefined> {
    return cell === '' ? parseProtocol(cell) : remember(this.protocols, cell, parseProtocol);
  }
  channel(cell: string): Parsed<Channel> {
    return cell === '' ? parseChannel(cell) : remember(this.channels, cell, parseChannel);
  }
}

function remember<T>(map: Map<string, T>, cell: string, read: (cell: string) => T): T {
  const known = map.get(cell);
  if (known !== undefined) return known;
  if (map.size >= CACHE_LIMIT || cell.length > 256) return read(cell);
  const key = ('\u0000' + cell).slice(1);
  const value = read(key);
  map.set(key, value);
  return value;
}

/**
 * Every error rule of the API notes, over the cells of one row. Returns the body when there is no
 * error; every error found is pushed to `out`. `defaultOrganizationId` fills an empty organization cell.
 */
export function checkRow(
  cells: RawRow,
  defaultOrganizationId: string | undefined,
  out: FieldFinding[],
  read: CellReader = new CellReader(),
): CreateProjectRequest | null {
  const f = new Findings(out);
  // Required text fields.
  const organizationId = text(cells.organization_id) || (defaultOrganizationId ?? '').trim();
  if (!organizationId) {
    f.fail(
      'organization_id',
      'required',
      'organization_id is required: fill the cell or choose a default organization.',
    );
  }
  const name = text(cells.name);
  if (!name) f.fail('name', 'required', 'name is required: give the project a name.');
  const messageText = text(cells.message_text);
  if (!messageText) f.fail('message_text', 'required', 'message_text is required: type the message to send.');

  const protocolCell = cells.protocol ?? '';
  const protocol = f.typed('protocol', read.protocol(protocolCell), protocolCell);
  if (protocolCell.trim() === '') f.fail('protocol', 'required', 'protocol is required: sms or mms.');

  // Channel and the fields it requires or forbids.
  const channelCell = cells.channel ?? '';
  const channel = f.typed('channel', read.channel(channelCell), channelCell);
  const brandId = text(cells.brand_id);
  const campaignId = text(cells.campaign_id);
  const verificationId = text(cells.toll_free_verification_id);
  if (channel === '10dlc') {
    if (!brandId)
      f.fail(
        'brand_id',
        'required_for_10dlc',
        'brand_id is required for a 10DLC project: give the brand id, or set channel to toll-free.',
      );
    if (!campaignId)
      f.fail(
        'campaign_id',
        'required_for_10dlc',
        'campaign_id is required for a 10DLC project: give the campaign id, or set channel to toll-free.',
      );
    if (verificationId) {
      f.fail(
        'toll_free_verification_id',
        'forbidden_for_10dlc',
        'toll_free_verification_id must be empty for a 10DLC project: clear it, or set channel to toll-free.',
      );
    }
  } else if (channel === 'toll-free') {
    if (!verificationId) {
      f.fail(
        'toll_free_verification_id',
        'required_for_toll_free',
        'toll_free_verification_id is required for a toll-free project: give the verification id, or set channel to 10dlc.',
      );
    }
    if (brandId) {
      f.fail(
        'brand_id',
        'forbidden_for_toll_free',
        'brand_id must be empty for a toll-free project: clear it, or set channel to 10dlc.',
      );
    }
    if (campaignId) {
      f.fail(
        'campaign_id',
        'forbidden_for_toll_free',
        'campaign_id must be empty for a toll-free project: clear it, or set channel to 10dlc.',
      );
    }
  }

  // Sending numbers: phone_number_ids, or the deprecated single phone_number_id.
  const idsCell = cells.phone_number_ids ?? '';
  const singleCell = text(cells.phone_number_id);
  const idsList = read.list(idsCell);
  let phoneIds = f.typed('phone_number_ids', idsList.parsed, idsCell);
  let repeated = idsList.repeated;
  if (singleCell && idsCell.trim()) {
    f.fail(
      'phone_number_id',
      'phone_number_id_conflict',
      'phone_number_id is deprecated and phone_number_ids is also filled: move this id into phone_number_ids and clear this cell.',
    );
  } else if (singleCell) {
    // The one id the cell holds, read like any list cell ("pn_9;" and ["pn_9"] send pn_9).
    const singleList = read.list(singleCell);
    const single = f.typed('phone_number_id', singleList.parsed, singleCell);
    if (single === undefined) phoneIds = undefined;
    else if (single.length > 1) {
      f.fail(
        'phone_number_id',
        'phone_number_id_not_single',
        `phone_number_id holds ${single.length} ids; it takes one. Put several in phone_number_ids.`,
      );
    } else if (single.length === 0) {
      f.fail(
        'phone_number_id',
        'required',
        `phone_number_id ${quoteCell(singleCell)} holds no id: give the sending number id, or clear the cell and fill phone_number_ids.`,
      );
    } else {
      phoneIds = single;
      repeated = [];
    }
  }
  if (phoneIds !== undefined) {
    if (phoneIds.length === 0 && !singleCell) {
      f.fail(
        'phone_number_ids',
        'required',
        'phone_number_ids is required: give 1 to 49 sending number ids.',
      );
    } else if (phoneIds.length > MAX_PHONE_NUMBERS) {
      f.fail(
        'phone_number_ids',
        'too_many_phone_numbers',
        `phone_number_ids has ${phoneIds.length} ids; a project takes at most ${MAX_PHONE_NUMBERS}. Split it into several projects.`,
      );
    }
    for (const dup of repeated) {
      f.fail(
        'phone_number_ids',
        'duplicate_phone_number',
        `phone_number_ids lists ${dup} more than once: keep it once.`,
      );
    }
  }

  // Lists.
  const listsCell = cells.contact_list_ids ?? '';
  const contactLists = f.typed('contact_list_ids', read.list(listsCell).parsed, listsCell);
  if (contactLists !== undefined && contactLists.length === 0 && listsCell.trim() !== '') {
    f.fail(
      'contact_list_ids',
      'empty_contact_list_ids',
      `contact_list_ids ${quoteCell(listsCell)} holds no id: give at least one list id, or leave the cell empty.`,
    );
  }
  const suppressionCell = cells.suppression_list_ids ?? '';
  const suppressionLists = f.typed(
    'suppression_list_ids',
    read.list(suppressionCell).parsed,
    suppressionCell,
  );
  const mediaCell = cells.media_ids ?? '';
  const mediaIds = f.typed('media_ids', read.list(mediaCell).parsed, mediaCell);

  // Booleans.
  const trackingCell = cells.link_tracking_enabled ?? '';
  const tracking = f.typed('link_tracking_enabled', read.boolean(trackingCell), trackingCell);
  const footerCell = cells.opt_out_footer_enabled ?? '';
  const footer = f.typed('opt_out_footer_enabled', read.boolean(footerCell), footerCell);

  // Link tracking.
  const destination = text(cells.link_tracking_destination_url);
  const domainId = text(cells.link_tracking_domain_id);
  const paramField = text(cells.link_tracking_param_field);
  const fallback = text(cells.link_tracking_fallback_url);
  if (tracking === true) {
    if (!destination) {
      f.fail(
        'link_tracking_destination_url',
        'required_for_link_tracking',
        'link_tracking_destination_url is required when link tracking is on: give the URL links redirect to.',
      );
    }
    if (!domainId) {
      f.fail(
        'link_tracking_domain_id',
        'required_for_link_tracking',
        'link_tracking_domain_id is required when link tracking is on: give a tracking domain id.',
      );
    }
    if (paramField.length > MAX_PARAM_FIELD_LENGTH) {
      f.fail(
        'link_tracking_param_field',
        'param_field_too_long',
        `link_tracking_param_field is ${paramField.length} characters long; at most ${MAX_PARAM_FIELD_LENGTH} are allowed.`,
      );
    }
    if (destination) checkDestination(destination, paramField, fallback, f);
    else if (fallback) {
      f.fail(
        'link_tracking_fallback_url',
        'fallback_not_allowed',
        'link_tracking_fallback_url is only used when the destination is exactly https://{field}: clear it.',
      );
    }
  }

  if (f.failed || !organizationId || !protocol || !phoneIds) return null;

  const body: CreateProjectRequest = {
    organization_id: organizationId,
    name,
    protocol,
    channel: channel ?? '10dlc',
    message_text: messageText,
    phone_number_ids: phoneIds,
  };
  if (channel === 'toll-free') body.toll_free_verification_id = verificationId;
  else {
    body.brand_id = brandId;
    body.campaign_id = campaignId;
  }
  if (contactLists && contactLists.length > 0) body.contact_list_ids = contactLists;
  if (suppressionLists && suppressionLists.length > 0) body.suppression_list_ids = suppressionLists;
  if (mediaIds && mediaIds.length > 0) body.media_ids = mediaIds;
  if (tracking !== undefined) body.link_tracking_enabled = tracking;
  if (tracking === true) {
    body.link_tracking_destination_url = destination;
    body.link_tracking_domain_id = domainId;
    if (paramField) body.link_tracking_param_field = paramField;
    if (fallback) body.link_tracking_fallback_url = fallback;
  }
  if (footer !== undefined) body.opt_out_footer_enabled = footer;
  return body;
}

function emptyPlaceholder(f: Findings): void {
  f.fail(
    'link_tracking_destination_url',
    'empty_placeholder',
    'The destination has an empty {} placeholder: put the contact field name inside the braces, or remove them.',
  );
}

function checkDestination(destination: string, paramField: string, fallback: string, f: Findings): void {
  const whole = wholeUrlPlaceholder(destination);
  if (whole !== null) {
    if (whole === '') emptyPlaceholder(f);
    else if (whole === 'phone') {
      f.fail(
        'link_tracking_destination_url',
        'phone_url_not_allowed',
        'https://{phone} is not allowed as a whole destination URL: use a contact field that holds a URL.',
      );
    } else if (whole !== paramField) {
      f.fail(
        'link_tracking_destination_url',
        'placeholder_field_mismatch',
        paramField
          ? `The destination uses {${whole}} but link_tracking_param_field is "${paramField}": make them the same.`
          : `The destination uses {${whole}}: set link_tracking_param_field to "${whole}".`,
      );
    }
    if (!fallback) {
      f.fail(
        'link_tracking_fallback_url',
        'required_for_whole_url_placeholder',
        `link_tracking_fallback_url is required when the destination is https://{${whole}}: give the URL used when a contact has none.`,
      );
    } else if (!isAbsoluteHttpUrl(fallback) || placeholders(fallback).length > 0) {
      f.fail(
        'link_tracking_fallback_url',
        'invalid_url',
        `link_tracking_fallback_url ${quoteCell(fallback)} is not an absolute http(s) URL without placeholders.`,
      );
    }
    return;
  }
  if (!isAbsoluteHttpUrl(destination)) {
    f.fail(
      'link_tracking_destination_url',
      'invalid_url',
      `link_tracking_destination_url ${quoteCell(destination)} is not an absolute URL: it must start with https:// or http://.`,
    );
  } else {
    const found = placeholders(destination);
    if (found.length > 1) {
      f.fail(
        'link_tracking_destination_url',
        'too_many_placeholders',
        `The destination has ${found.length} {field} placeholders; at most one is allowed.`,
      );
    } else if (found[0] === '') {
      emptyPlaceholder(f);
    } else if (found.length === 1 && found[0] !== paramField) {
      f.fail(
        'link_tracking_destination_url',
        'placeholder_field_mismatch',
        paramField
          ? `The destination uses {${found[0]}} but link_tracking_param_field is "${paramField}": make them the same.`
          : `The destination uses {${found[0]}}: set link_tracking_param_field to "${found[0]}".`,
      );
    }
  }
  if (fallback) {
    f.fail(
      'link_tracking_fallback_url',
      'fallback_not_allowed',
      'link_tracking_fallback_url is only used when the destination is exactly https://{field}: clear it.',
    );
  }
}

const LINK_FIELDS: readonly FieldName[] = [
  'link_tracking_destination_url',
  'link_tracking_domain_id',
  'link_tracking_param_field',
  'link_tracking_fallback_url',
];

/** Shared by every row without findings of a kind: never added to. */
const NONE: FieldFinding[] = [];

/** Findings that never block a row (a row without any shares one empty list: do not add to it). */
export function rowWarnings(cells: RawRow, read: CellReader = new CellReader()): FieldFinding[] {
  const out: FieldFinding[] = [];
  const tracking = read.boolean(cells.link_tracking_enabled ?? '');
  const on = tracking.ok && tracking.value === true;
  if (tracking.ok && !on) {
    for (const field of LINK_FIELDS) {
      if (text(cells[field])) {
        out.push({
          field,
          code: 'ignored_without_link_tracking',
          message: `${field} will not be sent because link tracking is off: set link_tracking_enabled to yes, or clear the cell.`,
        });
      }
    }
  }
  const message = text(cells.message_text);
  if (tracking.ok && !on && message.includes('{link}')) {
    out.push({
      field: 'message_text',
      code: 'link_tag_without_tracking',
      message:
        'The message has {link} but link tracking is off, so {link} would be sent as it is: set link_tracking_enabled to yes, or take {link} out of the message.',
    });
  }
  if (on && message && !message.includes('{link}')) {
    out.push({
      field: 'message_text',
      code: 'missing_link_tag',
      message:
        'Link tracking is on but the message has no {link}: add {link} where the tracked link should go.',
    });
  }
  return out.length === 0 ? NONE : out;
}

export interface RowContext {
  defaultOrganizationId?: string;
}

/** What the row schema makes of a row: the exact API body, or null and the errors that block it. */
export interface RowOutcome {
  payload: CreateProjectRequest | null;
  findings: FieldFinding[];
  /** Findings that never block the row (only for a set of text cells). */
  warnings: FieldFinding[];
}

const notText = (v: unknown): boolean => v !== undefined && typeof v !== 'string';

/** Every API field of an object is text or absent (each field read by name: the fast common case). */
function allText(c: Record<string, unknown>): boolean {
  return !(
    notText(c.organization_id) ||
    notText(c.name) ||
    notText(c.protocol) ||
    notText(c.channel) ||
    notText(c.brand_id) ||
    notText(c.campaign_id) ||
    notText(c.toll_free_verification_id) ||
    notText(c.phone_number_ids) ||
    notText(c.phone_number_id) ||
    notText(c.contact_list_ids) ||
    notText(c.suppression_list_ids) ||
    notText(c.media_ids) ||
    notText(c.message_text) ||
    notText(c.link_tracking_enabled) ||
    notText(c.link_tracking_destination_url) ||
    notText(c.link_tracking_domain_id) ||
    notText(c.link_tracking_param_field) ||
    notText(c.link_tracking_fallback_url) ||
    notText(c.opt_out_footer_enabled)
  );
}

/** A set of cells whose every API field is text or absent: what the rules can read. */
export function isCellRow(v: unknown): v is RawRow {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  return allText(v as Record<string, unknown>);
}

/**
 * The schema itself: `rowSchema(context).safeParse(cells)` turns a mapped row into its outcome — the
 * exact `CreateProjectRequest` body, or null with the errors (each on its API field, with a stable
 * code), and the warnings. Errors are data of the outcome, not zod failures: building a zod error per
 * invalid row cost more than the rules themselves on large files. A value that is not a set of cells
 * fails to parse. One schema remembers what each distinct cell text reads as (see `CellReader`).
 */
export function rowSchema(context: RowContext = {}) {
  const read = new CellReader();
  // One transform rather than an object check piped into a transform: the pipe allocated more per
  // row than the rules themselves.
  return z.transform((input: unknown, ctx): RowOutcome => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      ctx.issues.push({ code: 'custom', message: 'A row must be a set of cells.', input });
      return z.NEVER;
    }
    const cells = input as Record<string, unknown>;
    const findings: FieldFinding[] = [];
    // The shape is checked here rather than by a zod object of 19 optional strings: this runs once
    // per row of files with a million rows, and the object parse cost more than every rule together.
    if (!allText(cells)) {
      for (const f of FIELD_NAMES) {
        if (notText(cells[f])) {
          findings.push({ field: f, code: 'invalid_cell', message: `${f}: the cell must be text.` });
        }
      }
      // A row that is not a set of text cells has only its shape errors: there is nothing to warn about.
      return { payload: null, findings, warnings: NONE };
    }
    const payload = checkRow(cells as RawRow, context.defaultOrganizationId, findings, read);
    const warnings = rowWarnings(cells as RawRow, read);
    return { payload: findings.length === 0 ? payload : null, findings, warnings };
  });
}
