/**
 * The issues the UI shows for a row or a cell: errors before warnings, and nothing that speaks of
 * what creating the row would do once it is created.
 */
import type { Issue } from '../../../shared/validate';
import { SEV_ERROR, SEV_WARNING } from '../model/fields';
import { STATUS_CREATED, type SheetModel } from '../model/sheet';

/** Findings about what sending the row would do: stale once the project exists. */
const BEFORE_SENDING = new Set(['project_name_exists']);

/** Errors first, then warnings; each group keeps its order (the columns'). */
export function errorsFirst<T extends { severity: 'error' | 'warning' }>(issues: readonly T[]): T[] {
  return [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity !== 'error')];
}

function forStatus(model: SheetModel, phys: number, issues: Issue[]): Issue[] {
  if (model.resultStatus[phys] !== STATUS_CREATED) return issues;
  return issues.some((i) => BEFORE_SENDING.has(i.code))
    ? issues.filter((i) => !BEFORE_SENDING.has(i.code))
    : issues;
}

export function shownIssues(model: SheetModel, phys: number): Issue[] {
  return errorsFirst(forStatus(model, phys, model.issuesOf(phys)));
}

export function shownCellIssues(model: SheetModel, phys: number, col: number): Issue[] {
  return errorsFirst(forStatus(model, phys, model.cellIssues(phys, col)));
}

/** The severity a cell is painted with. */
export function shownCellSev(model: SheetModel, phys: number, col: number): number {
  const sev = model.cellSev(phys, col);
  if (sev === 0 || model.resultStatus[phys] !== STATUS_CREATED) return sev;
  const issues = shownCellIssues(model, phys, col);
  return issues.some((i) => i.severity === 'error') ? SEV_ERROR : issues.length > 0 ? SEV_WARNING : 0;
}
