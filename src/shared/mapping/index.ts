/**
 * Spreadsheet columns -> API fields. A mapping is plain serializable data (one entry per column,
 * in column order), so the UI can show it, let the user edit it, and save it per set of headers.
 */
import { FIELDS, FIELD_NAMES, type FieldName, type RawRow } from '../schema/fields';
import { isResultColumn, isResultsSheet } from '../results/table';

export * from './cells';

export interface Mapping {
  /** For each column, in order, the API field it fills, or null when it is not sent. */
  columns: Array<FieldName | null>;
}

/**
 * Lower case, without spaces, punctuation and symbols: "Brand ID" -> "brandid", "Campaign *" ->
 * "campaign", "“Message”" -> "message".
 */
export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Headers asked as a question ("Link?") name the yes/no field first. */
const QUESTIONS: ReadonlyMap<string, FieldName> = new Map(
  FIELDS.flatMap((f) => (f.questions ?? []).map((q) => [normalizeHeader(q), f.name] as const)),
);

const LOOKUP: ReadonlyMap<string, FieldName> = (() => {
  const m = new Map<string, FieldName>();
  // API names and labels first, so a synonym never shadows a real field name.
  for (const f of FIELDS) m.set(normalizeHeader(f.name), f.name);
  for (const f of FIELDS) if (!m.has(normalizeHeader(f.label))) m.set(normalizeHeader(f.label), f.name);
  for (const f of FIELDS)
    for (const s of f.synonyms) if (!m.has(normalizeHeader(s))) m.set(normalizeHeader(s), f.name);
  return m;
})();

/** The field a header names, by API name, label or synonym; null when it names none. */
export function fieldForHeader(header: string): FieldName | null {
  const key = normalizeHeader(header);
  if (header.trim().endsWith('?')) {
    const asked = QUESTIONS.get(key);
    if (asked) return asked;
  }
  return LOOKUP.get(key) ?? null;
}

/**
 * Match every header to the field it names. Two columns naming the same field both map to it, so the
 * conflict is shown and must be resolved (see `describeMapping`): no column is silently dropped.
 */
export function autoMap(headers: readonly string[]): Mapping {
  return { columns: headers.map((h) => fieldForHeader(h)) };
}

export interface MappingReport {
  /** Headers of columns that are not sent (blank headers, and a results sheet's own columns, excepted). */
  unmapped: string[];
  /** Required fields that no column fills (organization_id counts as filled by a default organization). */
  missingRequired: FieldName[];
  /** Fields that more than one column claims: an error the user must resolve. */
  conflicts: Array<{ field: FieldName; headers: string[] }>;
}

export function describeMapping(
  headers: readonly string[],
  mapping: Mapping,
  options: { defaultOrganizationId?: string } = {},
): MappingReport {
  const unmapped: string[] = [];
  const resultsSheet = isResultsSheet(headers);
  const byField = new Map<FieldName, string[]>();
  headers.forEach((h, i) => {
    const field = mapping.columns[i] ?? null;
    if (field) byField.set(field, [...(byField.get(field) ?? []), h]);
    else if (h.trim() !== '' && !(resultsSheet && isResultColumn(h))) unmapped.push(h);
  });
  const missingRequired = FIELDS.filter(
    (f) =>
      f.required &&
      !byField.has(f.name) &&
      !(f.name === 'organization_id' && options.defaultOrganizationId?.trim()),
  ).map((f) => f.name);
  if (!byField.has('phone_number_ids') && !byField.has('phone_number_id'))
    missingRequired.push('phone_number_ids');
  const conflicts = [...byField]
    .filter(([, hs]) => hs.length > 1)
    .map(([field, hs]) => ({ field, headers: hs }));
  return { unmapped, missingRequired, conflicts };
}

/** The cells of one row keyed by the field their column maps to. */
export function mapRow(cells: readonly string[], mapping: Mapping): RawRow {
  const raw: RawRow = {};
  const cols = mapping.columns;
  for (let i = 0; i < cols.length; i++) {
    const field = cols[i];
    if (field) {
      const cell = cells[i];
      if (cell !== undefined && cell !== '') raw[field] = cell;
    }
  }
  return raw;
}

/** Check that a mapping read back from storage still fits these headers and names real fields. */
export function isMappingFor(headers: readonly string[], mapping: unknown): mapping is Mapping {
  if (!mapping || typeof mapping !== 'object') return false;
  const cols = (mapping as Mapping).columns;
  return (
    Array.isArray(cols) &&
    cols.length === headers.length &&
    cols.every((c) => c === null || (FIELD_NAMES as readonly string[]).includes(c))
  );
}

/** A key for "this set of headers", to save and reuse a mapping the user confirmed. */
export function headerSignature(headers: readonly string[]): string {
  return headers.map(normalizeHeader).join('|');
}
