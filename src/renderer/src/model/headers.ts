/** Headers for the columns the app adds to a sheet. */
import { autoMap } from '../../../shared/mapping';
import { FIELD_BY_NAME, type FieldName } from '../../../shared/schema/fields';

/**
 * The header a new column gets: the field's name as people say it ("Toll-free verification"), when
 * that maps back to the field once the sheet is opened again; else the field's label.
 */
export function headerFor(field: FieldName): string {
  const label = FIELD_BY_NAME.get(field)?.label ?? field;
  const short = label.replace(/\s+IDs?$/, '').replace(/\s*\(deprecated\)$/, '');
  return short !== label && autoMap([short]).columns[0] === field ? short : label;
}
