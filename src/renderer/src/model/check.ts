/**
 * One row through the shared rules, into per-field severities (for painting and counting) and,
 * when asked, the issues themselves (for tooltips and the side panel). It parses with the same zod
 * row schema and `rowWarnings` as the shared validator: the unit tests prove both give the same issues.
 */
import { rowSchema, rowWarnings } from '../../../shared/schema/row';
import { mapRow, type Mapping } from '../../../shared/mapping';
import type { FieldName } from '../../../shared/schema/fields';
import type { Issue } from '../../../shared/validate';
import {
  FIELD_INDEX,
  FLAG_FORBIDDEN,
  FLAG_TYPED_PHONE,
  FORBIDDEN_CODES,
  NF,
  SEV_ERROR,
  SEV_WARNING,
} from './fields';

export interface NoteLike {
  column: number;
  code: string;
  message: string;
}

export interface RowChecker {
  /**
   * Fills `sev` (NF entries) with the validator's severity per field and returns the row's flags.
   * When `issues` is given, the issues are pushed to it (validator errors, warnings, then cell notes).
   */
  check(
    cells: readonly string[],
    row: number,
    notes: readonly NoteLike[] | undefined,
    sev: Uint8Array,
    issues?: Issue[],
  ): number;
  /** The duplicate-name key of a row (organization + lower-cased name), or null without a name. */
  dupKey(cells: readonly string[]): string | null;
}

export function createRowChecker(mapping: Mapping, defaultOrganizationId: string): RowChecker {
  const defaultOrg = defaultOrganizationId.trim();
  const schema = rowSchema(defaultOrg ? { defaultOrganizationId: defaultOrg } : {});
  const cols = mapping.columns;
  const orgCols: number[] = [];
  const nameCols: number[] = [];
  cols.forEach((f, i) => {
    if (f === 'organization_id') orgCols.push(i);
    if (f === 'name') nameCols.push(i);
  });
  // mapRow lets a later non-empty column win when two name the same field: do the same here.
  const lastFilled = (cells: readonly string[], at: number[]): string => {
    let v = '';
    for (const i of at) {
      const cell = cells[i];
      if (cell !== undefined && cell !== '') v = cell;
    }
    return v;
  };
  return {
    check(cells, row, notes, sev, issues) {
      sev.fill(0);
      let flags = 0;
      const raw = mapRow(cells, mapping);
      // The one row schema of the CLI and the main process; mapped cells are always text, so it parses.
      const outcome = schema.safeParse(raw);
      const found = outcome.success ? outcome.data.findings : [];
      for (const f of found) {
        sev[FIELD_INDEX.get(f.field)!] = SEV_ERROR;
        if (FORBIDDEN_CODES.has(f.code)) flags |= FLAG_FORBIDDEN;
        issues?.push({ row, field: f.field, severity: 'error', code: f.code, message: f.message });
      }
      for (const w of rowWarnings(raw)) {
        const i = FIELD_INDEX.get(w.field)!;
        if (sev[i]! < SEV_WARNING) sev[i] = SEV_WARNING;
        if (w.code === 'phone_number_not_id') flags |= FLAG_TYPED_PHONE;
        issues?.push({ row, severity: 'warning', ...w });
      }
      if (notes) {
        for (const n of notes) {
          const field: FieldName | null | undefined = cols[n.column];
          if (!field) continue;
          sev[FIELD_INDEX.get(field)!] = SEV_ERROR;
          issues?.push({ row, field, severity: 'error', code: n.code, message: n.message });
        }
      }
      return flags;
    },
    dupKey(cells) {
      const name = lastFilled(cells, nameCols).trim();
      if (!name) return null;
      const org = lastFilled(cells, orgCols).trim() || defaultOrg;
      return `${org}\u0000${name.toLowerCase()}`;
    },
  };
}

export const EMPTY_SEV = new Uint8Array(NF);
