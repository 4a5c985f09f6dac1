import type { FieldName } from '../schema/fields';

export type Severity = 'error' | 'warning';

/** One finding about one cell. `row` is the row number as Excel shows it; `field` the API field. */
export interface Issue {
  row: number;
  field: FieldName;
  severity: Severity;
  /** Stable snake_case code, e.g. `brand_forbidden_for_toll_free`. */
  code: string;
  /** Plain English that says what to do. */
  message: string;
}
