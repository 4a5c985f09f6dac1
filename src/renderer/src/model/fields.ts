/**
 * Per-field bookkeeping shared by the grid model and the worker: field indexes, severities, flags.
 */
import { FIELD_NAMES, FIELD_BY_NAME, type FieldName } from '../../../shared/schema/fields';

export const NF = FIELD_NAMES.length;

export const FIELD_INDEX: ReadonlyMap<FieldName, number> = new Map(FIELD_NAMES.map((f, i) => [f, i]));

export const NAME_FIELD = FIELD_INDEX.get('name')!;

export function fieldIndex(field: FieldName): number {
  return FIELD_INDEX.get(field)!;
}

export function fieldLabel(field: FieldName): string {
  return FIELD_BY_NAME.get(field)?.label ?? field;
}

/** Severity of a cell or a row: nothing to say, a warning, an error. Ordered so `max` combines them. */
export const SEV_NONE = 0;
export const SEV_WARNING = 1;
export const SEV_ERROR = 2;
export type Sev = 0 | 1 | 2;

/** Row flags the validator sets alongside severities, for the quick fixes. */
export const FLAG_FORBIDDEN = 1;

export const FORBIDDEN_CODES: ReadonlySet<string> = new Set([
  'forbidden_for_toll_free',
  'forbidden_for_10dlc',
]);
