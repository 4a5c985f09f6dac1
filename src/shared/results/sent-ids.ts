/**
 * What the results sheet says was sent for the cells that named things: the cells keep the names
 * people typed ("Rivera GOTV 2026", "(555) 010-0101"), and `sent_ids` lists the ids the request
 * carried for them, so the sheet re-imports exactly and still says what the API received.
 */
import { splitListCell } from '../account/names';
import { REFERENCE_FIELDS, type ReferenceField } from '../account/resolve';
import type { FieldName } from '../schema/fields';

const FIELDS = Object.keys(REFERENCE_FIELDS) as ReferenceField[];

/**
 * "brand_id: brand_…; phone_number_ids: pn_…, pn_…" for each reference field whose sent id(s) are
 * not what its cell holds (a cell that held the ids themselves is not repeated); "" when none.
 * `columns` is the mapping (the field of each column); a field with no column was filled from
 * `defaultOrganizationId` (the organization) or not at all.
 */
export function sentIdsOf(
  body: object | null | undefined,
  cells: readonly string[],
  columns: readonly (FieldName | null)[],
  defaultOrganizationId?: string,
): string {
  if (!body) return '';
  const parts: string[] = [];
  for (const field of FIELDS) {
    const sent = (body as Record<string, unknown>)[field];
    if (sent === undefined || sent === null) continue;
    const col = columns.indexOf(field);
    const typed =
      col >= 0 ? (cells[col] ?? '') : field === 'organization_id' ? (defaultOrganizationId ?? '') : '';
    if (Array.isArray(sent)) {
      const ids = sent.filter((x): x is string => typeof x === 'string');
      const split = splitListCell(typed);
      const items = split.ok ? split.items : [];
      if (ids.length === items.length && ids.every((id, i) => id === items[i])) continue;
      if (ids.length > 0) parts.push(`${field}: ${ids.join(', ')}`);
    } else if (typeof sent === 'string' && sent !== typed.trim()) {
      parts.push(`${field}: ${sent}`);
    }
  }
  return parts.join('; ');
}
