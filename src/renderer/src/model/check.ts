/**
 * One row through the shared validator's per-row function (`createRowCheck`, the one the file
 * validator of the CLI and the main process uses), into per-field severities (for painting and
 * counting) and, when asked, the issues themselves (for tooltips and the side panel).
 */
import { createRowCheck, type Issue, type RowNote } from '../../../shared/validate';
import type { Mapping } from '../../../shared/mapping';
import { FIELD_INDEX, FLAG_FORBIDDEN, FORBIDDEN_CODES, NF, SEV_ERROR, SEV_WARNING } from './fields';

export type NoteLike = RowNote;

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
  const rowCheck = createRowCheck({ mapping, defaultOrganizationId });
  return {
    check(cells, row, notes, sev, issues) {
      sev.fill(0);
      let flags = 0;
      const found = rowCheck.check(cells, row, notes).issues;
      for (let k = 0; k < found.length; k++) {
        const i = found[k]!;
        const at = FIELD_INDEX.get(i.field)!;
        if (i.severity === 'error') {
          sev[at] = SEV_ERROR;
          if (FORBIDDEN_CODES.has(i.code)) flags |= FLAG_FORBIDDEN;
        } else {
          if (sev[at]! < SEV_WARNING) sev[at] = SEV_WARNING;
        }
        issues?.push(i);
      }
      return flags;
    },
    dupKey: (cells) => rowCheck.nameKey(cells),
  };
}

export const EMPTY_SEV = new Uint8Array(NF);
