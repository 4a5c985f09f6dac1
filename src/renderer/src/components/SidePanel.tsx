/**
 * The side panel: everything about the selected row (each problem in plain English, a way to jump to
 * its cell, the quick fix when there is one, the API's answer after a run), then the whole file's
 * problems per column with the file-wide quick fixes.
 */
import { useEffect, useMemo, useState } from 'react';
import { FIELDS, type FieldName } from '../../../shared/schema/fields';
import type { Issue } from '../../../shared/validate';
import type { Fix } from '../../../shared/validate/types';
import { FLAG_FORBIDDEN, FORBIDDEN_CODES, fieldIndex } from '../model/fields';
import { count, plural } from '../model/format';
import type { SheetModel } from '../model/sheet';
import type { Session } from '../session';
import { normalizeName } from '../../../shared/account/names';
import { errorsFirst, shownIssues } from './issues';

function PeerList({ session, phys }: { session: Session; phys: number }) {
  const [peers, setPeers] = useState<{ phys: number; rows: number[]; total: number } | null>(null);
  const model = session.model;
  const version = model?.rowVersion[phys];
  useEffect(() => {
    let live = true;
    session.worker.peers(phys).then(
      (p) => live && setPeers({ phys, ...p }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [session, phys, version]);
  if (!peers || peers.phys !== phys || peers.total === 0) return null;
  const more = peers.total - peers.rows.length;
  return (
    <p className="small muted">
      Same name in row{peers.total > 1 ? 's' : ''} {peers.rows.join(', ')}
      {more > 0 ? ` and ${count(more)} more` : ''}.
    </p>
  );
}

/** A finding's fixes as buttons: this row, or every row with the same finding on the same text. */
function FixButtons(props: {
  model: SheetModel;
  phys: number;
  issue: Issue;
  onApply(issue: Issue, fix: Fix, all: boolean): void;
}) {
  const { model, phys, issue } = props;
  const locked = model.isLocked(phys);
  const fixes = locked ? [] : (issue.fixes ?? []).filter((f) => model.fixChange(phys, issue, f) !== null);
  // Counted once per change of the sheet, not on every repaint (a big sheet has many findings).
  const version = model.version;
  const others = useMemo(
    () => fixes.map((f) => model.sameFixRows(phys, issue, f).length),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [model, version, phys, issue, fixes.length],
  );
  if (fixes.length === 0) return null;
  return (
    <div className="fix-buttons">
      {fixes.map((f, k) => {
        const sameRows = others[k] ?? 0;
        return (
          <div key={k} className="fix-choice">
            <button type="button" className="fix-button" onClick={() => props.onApply(issue, f, false)}>
              {f.label}
            </button>
            {sameRows > 0 && (
              <button
                type="button"
                className="link fix-all"
                onClick={() => props.onApply(issue, f, true)}
                title={`Every row where “${f.replace}” has this problem`}
              >
                Apply to all {count(sameRows + 1)} rows with “{f.replace}”
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}

function columnName(model: SheetModel, field: FieldName): string | null {
  const c = model.fieldColumn[fieldIndex(field)]!;
  return c === -1 ? null : model.headers[c] || field;
}

export function SidePanel(props: {
  session: Session;
  model: SheetModel;
  activePhys: number | null;
  onGoto(phys: number, col: number): void;
  onFilterField(field: FieldName): void;
  onFix(changes: ReturnType<SheetModel['forbiddenFieldChanges']>, label: string): void;
  /** Apply a finding's fix to this row (or, with `all`, to every row with the same finding and text). */
  onApplyFix(phys: number, issue: Issue, fix: Fix, all: boolean): void;
}) {
  const { session, model, activePhys } = props;
  const phys = activePhys !== null && model.isAlive(activePhys) ? activePhys : null;
  const issues: Issue[] = phys === null ? [] : shownIssues(model, phys);
  const result = phys === null ? undefined : model.resultOf(phys);
  const forbidden = phys !== null && (model.rowFlags(phys) & FLAG_FORBIDDEN) !== 0;
  const forbiddenFields = [...new Set(issues.filter((i) => FORBIDDEN_CODES.has(i.code)).map((i) => i.field))];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;

  // Columns with errors first, then those with warnings only; each in the sheet's column order.
  const perField = FIELDS.map((f, i) => ({
    field: f.name,
    label: columnName(model, f.name),
    column: model.fieldColumn[i]! === -1 ? Number.MAX_SAFE_INTEGER : model.fieldColumn[i]!,
    errors: model.errors[i]!,
    warnings: model.warnings[i]!,
  }))
    .filter((x) => x.errors > 0 || x.warnings > 0)
    .sort((a, b) => a.column - b.column)
    .map((x) => ({ ...x, severity: x.errors > 0 ? ('error' as const) : ('warning' as const) }));
  const perFieldShown = errorsFirst(perField);

  const fileWarnings = [...new Set(session.fileWarnings())];

  return (
    <aside className="side" aria-label="Details">
      {phys !== null && (
        <section className="side-section" aria-labelledby="row-title">
          <h2 id="row-title">
            Row {model.rowNumbers[phys]}
            {result?.status === 'created' ? (
              <span className="pill ok">Created</span>
            ) : !model.isValidated(phys) ? (
              <span className="pill off">Checking…</span>
            ) : errors > 0 ? (
              <span className="pill err">{plural(errors, 'error')}</span>
            ) : warnings > 0 ? (
              <span className="pill warn">{plural(warnings, 'warning')}</span>
            ) : (
              <span className="pill ok">No problems</span>
            )}
          </h2>
          {result && (
            <div className={`result-box ${result.status}`}>
              {result.status === 'created' ? (
                <>
                  <strong>Created</strong> — project <code className="selectable">{result.projectId}</code>
                  {result.projectStatus ? ` (${result.projectStatus})` : ''}
                </>
              ) : result.status === 'failed' ? (
                <>
                  <strong>Failed</strong>
                  {result.httpStatus
                    ? ` (HTTP ${result.httpStatus}${result.errorCode ? `, ${result.errorCode}` : ''})`
                    : ''}
                  : {result.errorMessage ? result.errorMessage : 'the API refused this row.'}
                </>
              ) : result.status === 'invalid' ? (
                <>Not sent: the row had errors when the run started.</>
              ) : result.status === 'skipped' ? (
                <>Skipped{result.errorMessage ? `: ${result.errorMessage}` : '.'}</>
              ) : (
                <>
                  Not sent
                  {result.errorMessage ? `: ${result.errorMessage.replace(/^Not sent:\s*/i, '')}` : '.'}
                </>
              )}
            </div>
          )}
          {issues.length === 0 && !result && model.isValidated(phys) && (
            <p className="muted">Nothing to fix in this row.</p>
          )}
          <ul className="issue-list">
            {issues.map((i, k) => {
              const col = model.fieldColumn[fieldIndex(i.field)]!;
              return (
                <li key={k} className={i.severity === 'error' ? 'err' : 'warn'}>
                  <button
                    type="button"
                    className="issue"
                    onClick={() => col !== -1 && props.onGoto(phys, col)}
                    disabled={col === -1}
                    title={col === -1 ? 'No column fills this field' : 'Go to the cell'}
                  >
                    <span className="issue-head">
                      <span className="sev" aria-label={i.severity}>
                        {i.severity === 'error' ? '✕' : '!'}
                      </span>
                      {columnName(model, i.field) ?? `${i.field} (no column)`}
                    </span>
                    <span className="issue-msg">{i.message}</span>
                  </button>
                  <FixButtons
                    model={model}
                    phys={phys}
                    issue={i}
                    onApply={(issue, fix, all) => props.onApplyFix(phys, issue, fix, all)}
                  />
                  {i.code === 'duplicate_name' && <PeerList session={session} phys={phys} />}
                </li>
              );
            })}
          </ul>
          <SentAs session={session} model={model} phys={phys} />
          {forbidden && forbiddenFields.length > 0 && (
            <button
              type="button"
              className="fix"
              onClick={() => props.onFix(model.forbiddenFieldChanges([phys]), 'Clear forbidden fields')}
            >
              Clear {forbiddenFields.map((f) => columnName(model, f) ?? f).join(' and ')} in this row
            </button>
          )}
        </section>
      )}

      <section className="side-section" aria-labelledby="summary-title">
        <h2 id="summary-title">Whole file</h2>
        <dl className="summary">
          <div>
            <dt>Rows</dt>
            <dd>{count(model.order.length)}</dd>
          </div>
          <div className="err">
            <dt>With errors</dt>
            <dd>{count(model.rowsError)}</dd>
          </div>
          <div className="warn">
            <dt>With warnings</dt>
            <dd>{count(model.rowsWarning)}</dd>
          </div>
          <div className="ok">
            <dt>Ready</dt>
            <dd>{count(model.rowsValid)}</dd>
          </div>
          {model.rowsCreated > 0 && (
            <div className="ok">
              <dt>Created</dt>
              <dd>{count(model.rowsCreated)}</dd>
            </div>
          )}
        </dl>
        {perField.length > 0 && (
          <>
            <h3>Problems by column</h3>
            <ul className="field-counts">
              {perFieldShown.map((f) => (
                <li key={f.field}>
                  <button
                    type="button"
                    onClick={() => props.onFilterField(f.field)}
                    title="Show only these rows and go to the first"
                  >
                    <span className="fc-name">{f.label ?? `${f.field} (no column)`}</span>
                    {f.errors > 0 && <span className="badge err">{count(f.errors)}</span>}
                    {f.warnings > 0 && <span className="badge warn">{count(f.warnings)}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        {model.rowsForbidden > 0 && (
          <button
            type="button"
            className="fix"
            onClick={() => props.onFix(model.forbiddenFieldChanges(), 'Clear forbidden fields')}
          >
            Clear forbidden fields in {plural(model.rowsForbidden, 'row')}
          </button>
        )}
        {fileWarnings.length > 0 && (
          <ul className="file-warnings">
            {fileWarnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}

/** The names a row typed and what each is sent as ("Campaign: Rivera GOTV 2026 (camp_…)"). */
function SentAs(props: { session: Session; model: SheetModel; phys: number }) {
  const list = props.session.resolvedOf(props.phys);
  if (list.length === 0) return null;
  return (
    <div className="sent-as">
      <h3>Names sent as</h3>
      <ul>
        {list.map((x, k) => (
          <li key={k}>
            <span className="sent-field">{columnName(props.model, x.field) ?? x.field}</span> “{x.from}”
            {normalizeName(x.from) === normalizeName(x.label) ? ' → ' : ` is ${x.label} → `}
            <code className="selectable">{x.to}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
