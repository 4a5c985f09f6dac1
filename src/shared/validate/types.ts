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
  /** One-click fixes ("Did you mean Rivera GOTV 2026?"), best first. */
  fixes?: Fix[];
}

/**
 * A fix offered as a button: put `with` in place of `replace` in the cell of `field` (the issue's
 * own field when absent). `replace` is the text as typed: the whole cell, or one item of a list cell.
 */
export interface Fix {
  label: string;
  field?: FieldName;
  replace: string;
  with: string;
}
