/**
 * Cell parsers: spreadsheet text -> typed values. Every one is total: it returns a result or a
 * reason, and never throws, whatever the input.
 */
import type { CreateProjectRequest } from '@political-comms/sdk';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** true/false, yes/no, y/n, 1/0 and Excel's TRUE/FALSE, any case. Empty means "not given" (undefined). */
export function parseBoolean(cell: string): Parsed<boolean | undefined> {
  const t = cell.trim().toLowerCase();
  switch (t) {
    case '':
      return NOT_GIVEN;
    case 'true':
    case 'yes':
    case 'y':
    case '1':
      return TRUE;
    case 'false':
    case 'no':
    case 'n':
    case '0':
      return FALSE;
    default:
      return { ok: false, reason: 'expected yes or no (also true/false, y/n, 1/0)' };
  }
}

const NOT_GIVEN: Parsed<undefined> = { ok: true, value: undefined };
const TRUE: Parsed<boolean> = { ok: true, value: true };
const FALSE: Parsed<boolean> = { ok: true, value: false };

export type Protocol = CreateProjectRequest['protocol'];
export type Channel = NonNullable<CreateProjectRequest['channel']>;

/** sms or mms, any case. */
export function parseProtocol(cell: string): Parsed<Protocol | undefined> {
  switch (cell.trim().toLowerCase()) {
    case '':
      return NOT_GIVEN;
    case 'sms':
      return SMS;
    case 'mms':
      return MMS;
    default:
      return { ok: false, reason: 'expected sms or mms' };
  }
}

const SMS: Parsed<Protocol> = { ok: true, value: 'sms' };
const MMS: Parsed<Protocol> = { ok: true, value: 'mms' };
const TEN_DLC: Parsed<Channel> = { ok: true, value: '10dlc' };
const TOLL_FREE: Parsed<Channel> = { ok: true, value: 'toll-free' };

/** 10dlc or toll-free (also "toll free", "tollfree", "toll_free"), any case; empty means 10dlc. */
export function parseChannel(cell: string): Parsed<Channel> {
  switch (cell.trim().toLowerCase().replace(/\s+/g, ' ')) {
    case '':
    case '10dlc':
    case '10 dlc':
    case '10-dlc':
    case '10_dlc':
      return TEN_DLC;
    case 'toll-free':
    case 'toll free':
    case 'tollfree':
    case 'toll_free':
      return TOLL_FREE;
    default:
      return { ok: false, reason: 'expected 10dlc or toll-free' };
  }
}

/** A token that a person typed as a phone number ("+1 555 010 0100", "(555) 010-0100"), not an id. */
export function looksLikePhoneNumber(token: string): boolean {
  if (!/^\+?[\d\s().-]+$/.test(token)) return false;
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= 10 && digits <= 15;
}

/**
 * A list cell: ids separated by commas, semicolons, spaces (any Unicode space) or new lines, or a JSON
 * array of strings.
 * A phone number typed with spaces inside ("+1 555 010 0100") stays one item.
 */
export function parseList(cell: string): Parsed<string[]> {
  const t = cell.trim();
  if (t === '') return { ok: true, value: [] };
  if (t.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(t);
    } catch {
      return { ok: false, reason: 'it starts with "[" but is not a valid JSON list' };
    }
    if (!Array.isArray(data)) return { ok: false, reason: 'it is not a list' };
    const out: string[] = [];
    for (const item of data) {
      if (typeof item !== 'string' && typeof item !== 'number') {
        return { ok: false, reason: 'a JSON list of ids must hold only text' };
      }
      const s = String(item).trim();
      if (s !== '') out.push(s);
    }
    return { ok: true, value: out };
  }
  // Fast path: a single id with no separator at all.
  if (!SEPARATOR.test(t)) return { ok: true, value: [t] };
  const out: string[] = [];
  for (const part of t.split(/[,;\r\n]+/)) {
    const p = part.trim();
    if (p === '') continue;
    // Any Unicode space splits (a non-breaking or ideographic space pasted from a web page or Word).
    if (!SPACE.test(p)) out.push(p);
    else if (looksLikePhoneNumber(p)) out.push(p);
    else for (const w of p.split(/\s+/)) if (w !== '') out.push(w);
  }
  return { ok: true, value: out };
}

const SEPARATOR = /[,;\s]/;
const SPACE = /\s/;

/** Ids appearing more than once in a list, each named once, in order of first repeat. */
export function repeatedItems(items: readonly string[]): string[] {
  const n = items.length;
  if (n < 2) return [];
  const repeated: string[] = [];
  if (n <= 16) {
    // Short lists (the usual case): comparing pairs is cheaper than building a set.
    for (let i = 1; i < n; i++) {
      const id = items[i]!;
      for (let j = 0; j < i; j++) {
        if (items[j] === id) {
          if (!repeated.includes(id)) repeated.push(id);
          break;
        }
      }
    }
    return repeated;
  }
  const seen = new Set<string>();
  for (const id of items) {
    if (seen.has(id)) {
      if (!repeated.includes(id)) repeated.push(id);
    } else seen.add(id);
  }
  return repeated;
}

/** Quote a cell in a message, shortened so a 5 MB cell does not become a 5 MB message. */
export function quoteCell(cell: string, max = 60): string {
  const oneLine = cell.replace(/\s+/g, ' ').trim();
  return `"${oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine}"`;
}
