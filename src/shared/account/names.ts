/**
 * How a typed name, phone number or domain compares with the account's: the normal forms that count
 * as the same (exact matches), the similarity that ranks "did you mean" suggestions (never a match),
 * and how a list cell that may hold names is split into items.
 *
 * Pure and total: every function returns a value for any input and never throws.
 */
import { looksLikePhoneNumber, parseList } from '../mapping/cells';

/**
 * The form in which two names count as the same: Unicode NFKC, case-folded, apostrophes dropped
 * ("O’Brien" = "OBrien"), other punctuation read as a space ("2024-donors" = "2024 donors"), runs of
 * white space collapsed, trimmed. Accents, digits and word order still count: anything looser is a
 * suggestion, not a match.
 */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`ʼ]/gu, '')
    .replace(/\p{P}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * A phone number in any common spelling as its E.164 digits without the plus: `+1 555-010-0101`,
 * `(555) 010-0101`, `5550100101`, `1-555-010-0101` and `+15550100101` are all `15550100101`. Ten
 * digits without a plus are a North American number (a 1 in front). Null when the text is not a
 * phone number (letters, too few or too many digits).
 */
export function phoneKey(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  return looksLikePhoneNumber(t) ? e164Digits(t) : null;
}

/**
 * The digits of a trimmed phone number in E.164 form without the plus; ten digits without a plus are
 * a North American number and get their 1. No check that the text is a phone number (`phoneKey` does).
 */
function e164Digits(trimmed: string): string {
  const digits = trimmed.replace(/\D/g, '');
  return digits.length === 10 && !trimmed.startsWith('+') ? `1${digits}` : digits;
}

/** E.164 written for people: `+1 555-010-0101` for North American numbers, `+<digits>` otherwise. */
export function formatPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) {
    return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  }
  return `+${digits}`;
}

/**
 * A tracking domain as typed (`https://go.example.org/`, `GO.example.org`, `go.example.org.`) in the
 * form the account lists it: lower case, without a scheme, trailing slashes or a trailing dot. A path
 * after the host is kept, so a URL is not mistaken for its domain.
 */
export function domainKey(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/\/+$/, '')
    .replace(/\.+$/, '');
}

/**
 * Text shaped like one of the API's ids: a short lower-case prefix, an underscore, then letters,
 * digits and underscores (`org_01HR5QQ3…`, `pn_…`, `camp_…`). Names have spaces or other shapes.
 */
export function looksLikeId(text: string): boolean {
  return /^[a-z]{2,12}_[A-Za-z0-9_]{1,100}$/.test(text);
}

/** Levenshtein distance, stopping early (returning `limit + 1`) once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length === 0 || b.length === 0) return Math.min(a.length + b.length, limit + 1);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length]!, limit + 1);
}

/**
 * How alike two normalized names are, from 0 to 1: the better of their edit similarity
 * (1 − distance / longer length) and their word overlap (shared words / all words), so both a typo
 * ("Rivera GOTV 2062") and a missing or reordered word ("GOTV Rivera") rank high.
 */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  // Only an edit similarity at or above the threshold can matter: stop counting beyond it.
  const limit = Math.floor(longer * (1 - SUGGESTION_THRESHOLD));
  const distance = editDistance(a, b, limit);
  const edit = distance > limit ? 0 : 1 - distance / longer;
  const wa = new Set(a.split(' ').filter(Boolean));
  const wb = new Set(b.split(' ').filter(Boolean));
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  const union = wa.size + wb.size - shared;
  const words = union === 0 ? 0 : shared / union;
  // One name holding the other whole ("gotv" in "rivera gotv 2026") is a strong hint too.
  const contains = a.length >= 3 && b.length >= 3 && (a.includes(b) || b.includes(a)) ? 0.6 : 0;
  return Math.max(edit, words, contains);
}

/** Below this similarity a name is not offered as a suggestion at all. */
export const SUGGESTION_THRESHOLD = 0.4;
/** Texts longer than this get no suggestions. */
export const MAX_SUGGESTIBLE_LENGTH = 1000;
/** At most this many suggestions are offered. */
export const MAX_SUGGESTIONS = 3;

export interface Suggestible {
  id: string;
  /** What is compared (normalized). */
  key: string;
  /** What is shown. */
  name: string;
}

/**
 * The closest entries to `key`, best first, at most `MAX_SUGGESTIONS`, none below
 * `SUGGESTION_THRESHOLD`. Ties are broken by name, then id, so the order is always the same.
 */
export function closest<T extends Suggestible>(key: string, entries: readonly T[]): T[] {
  // A text this long is no one's name: nothing to suggest (and nothing worth comparing).
  if (key.length > MAX_SUGGESTIBLE_LENGTH) return [];
  // An entity may be offered under several keys (a number and its nickname): its best one counts.
  const best = new Map<string, { e: T; s: number }>();
  for (const e of entries) {
    const s = similarity(key, e.key);
    if (s < SUGGESTION_THRESHOLD) continue;
    const had = best.get(e.id);
    if (!had || s > had.s) best.set(e.id, { e, s });
  }
  const scored = [...best.values()];
  scored.sort(
    (x, y) =>
      y.s - x.s ||
      (x.e.name < y.e.name ? -1 : x.e.name > y.e.name ? 1 : 0) ||
      (x.e.id < y.e.id ? -1 : x.e.id > y.e.id ? 1 : 0),
  );
  return scored.slice(0, MAX_SUGGESTIONS).map((x) => x.e);
}

export type ListCell = { ok: true; kind: 'ids' | 'names'; items: string[] } | { ok: false; reason: string };

/**
 * Splits a list cell (numbers, contact lists, suppression lists, media) into items.
 *
 * The rule, decided per cell:
 * - A JSON array of strings (`["Statewide supporters", "2024 donors"]`) is taken item by item, as written.
 * - Otherwise the cell is cut at every comma, semicolon, new line and Unicode space. If every piece
 *   is an id the account knows (`isKnownId`), or looks like an id (`pn_01HR…`) or a phone number
 *   written without spaces (`5550100101`, `+15550100101`), the cell is an **id list** and those
 *   pieces are its items: `pn_A pn_B` is two ids, as it always was.
 * - Else the cell is a **name list**: names hold spaces ("Do not contact (Rivera)"), so it is cut at
 *   commas, semicolons and new lines only, and each trimmed piece is one item. A phone number written
 *   with spaces (`+1 555 010 0101; (555) 010-0102`) is a name-list item too and still resolves as a number.
 *
 * Empty pieces are dropped; an empty cell is an empty id list.
 */
export function splitListCell(cell: string, isKnownId: (token: string) => boolean = () => false): ListCell {
  const t = cell.trim();
  if (t === '') return { ok: true, kind: 'ids', items: [] };
  if (t.startsWith('[')) {
    // A JSON list is read as the id lists read it: one reading of JSON in a cell.
    const parsed = parseList(t);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    const items = parsed.value;
    const kind = items.every((s) => idLikeToken(s, isKnownId)) ? 'ids' : 'names';
    return { ok: true, kind, items };
  }
  const tokens = t.split(/[,;\s]+/u).filter((s) => s !== '');
  if (tokens.every((s) => idLikeToken(s, isKnownId))) return { ok: true, kind: 'ids', items: tokens };
  const items = t
    .split(/[,;\r\n\u2028\u2029]+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { ok: true, kind: 'names', items };
}

function idLikeToken(token: string, isKnownId: (token: string) => boolean): boolean {
  return looksLikeId(token) || isKnownId(token) || (!/\s/.test(token) && phoneKey(token) !== null);
}
