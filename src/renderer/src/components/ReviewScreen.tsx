/**
 * The review screen: toolbar (filters, next problem, undo/redo, find, fill down, delete rows, save,
 * pre-flight, create), the grid, the side panel for the selected row, and the run panel while and
 * after projects are created.
 */
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useState,
  useSyncExternalStore,
  type Ref,
} from 'react';
import type { MENU_COMMANDS } from '../../../shared/bridge';
import type { FieldName } from '../../../shared/schema/fields';
import type { Issue } from '../../../shared/validate';
import type { Fix } from '../../../shared/validate/types';
import { importer } from '../importer';
import type { SettingsView } from '../App';
import type { RunPlan, Session } from '../session';
import { markEdit } from '../perf';
import { SEV_ERROR, SEV_WARNING, fieldIndex } from '../model/fields';
import { baseName, count, plural } from '../model/format';
import type { CellChange, RowFilter } from '../model/sheet';
import {
  clearChanges,
  copyText,
  fillDownChanges,
  pasteChanges,
  rangeOf,
  rangeSize,
  rowsOf,
  viewIndexAtOrAfter,
  viewIndexOf,
  type Range,
  type Selection,
} from '../model/selection';
import type { FindOptions } from '../model/find';
import { Grid, type GridColumn, type GridCommands } from './Grid';
import { SidePanel } from './SidePanel';
import { SetColumnDialog } from './SetColumnDialog';
import { FindBar } from './FindBar';
import { RunPanel } from './RunPanel';
import { Dialog, type ConfirmOptions } from './Dialog';
import type { Toast } from './Toasts';
import { returnFocus, rescueFocus } from './focus';
import { ownFormat, saveSheet } from './save';

export interface ReviewHandle {
  command(command: (typeof MENU_COMMANDS)[number]): void;
}

interface PhysPos {
  phys: number;
  col: number;
}

const MAX_CELLS_AT_ONCE = 2_000_000;

function defaultWidth(field: FieldName | null, header: string): number {
  if (field === 'message_text') return 340;
  if (field === 'name') return 230;
  if (field === 'phone_number_ids' || field === 'contact_list_ids' || field === 'suppression_list_ids')
    return 260;
  if (field === 'protocol' || field === 'channel') return 96;
  if (field === 'link_tracking_enabled' || field === 'opt_out_footer_enabled') return 116;
  if (field?.endsWith('_url')) return 260;
  if (field) return 230;
  return Math.max(120, Math.min(220, header.length * 9 + 40));
}

export function ReviewScreen(props: {
  ref?: Ref<ReviewHandle>;
  session: Session;
  settings: SettingsView | null;
  toast(kind: Toast['kind'], text: string, action?: Toast['action']): void;
  ask(options: ConfirmOptions): Promise<boolean>;
  onSettings(): void;
}) {
  const { session, settings, toast, ask, onSettings, ref } = props;
  const model = session.model!;
  useSyncExternalStore(model.subscribe, model.getVersion);
  useSyncExternalStore(session.subscribe, session.getVersion);

  const [filter, setFilter] = useState<RowFilter>('all');
  const [field, setField] = useState<FieldName | null>(null);
  const [sel, setSel] = useState<{ anchor: PhysPos; focus: PhysPos }>(() => ({
    anchor: { phys: model.order[0] ?? 0, col: 0 },
    focus: { phys: model.order[0] ?? 0, col: 0 },
  }));
  const [reveal, setReveal] = useState(0);
  const [widths, setWidths] = useState<Record<number, number>>({});
  const [findOpen, setFindOpen] = useState(false);
  const [findFocus, setFindFocus] = useState(0);
  const [dialog, setDialog] = useState<'save' | 'setColumn' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** The settings the last account check and the last run were started with. */
  const [checkedWith, setCheckedWith] = useState(settings);
  const [ranWith, setRanWith] = useState(settings);

  const view = model.view(filter, field);
  const run = session.run;
  const running = session.running;
  const readOnly = running || !model.loaded;
  const checkedAgo = useCheckedAgo(
    session.account.snapshot && !session.checkingAccount ? session.account.snapshot.fetchedAt : null,
  );

  const mapping = model.mapping;
  const columns: GridColumn[] = useMemo(
    () =>
      model.headers.map((header, index) => {
        const f = mapping.columns[index] ?? null;
        return { index, header, field: f, width: widths[index] ?? defaultWidth(f, header) };
      }),
    [model, mapping, widths],
  );

  // The selection is kept by physical row, so it survives filters; the grid works in view positions.
  const toView = (p: PhysPos) => {
    let row = viewIndexOf(view, p.phys);
    if (row === -1) row = Math.min(view.length - 1, viewIndexAtOrAfter(view, p.phys));
    return { row: Math.max(0, row), col: Math.min(p.col, model.nCols - 1) };
  };
  const selection: Selection = { anchor: toView(sel.anchor), focus: toView(sel.focus) };
  const activePhys = view.length > 0 ? view[selection.focus.row]! : null;

  const onSelect = (s: Selection) => {
    const phys = (row: number) => view[Math.max(0, Math.min(view.length - 1, row))] ?? 0;
    setSel({
      anchor: { phys: phys(s.anchor.row), col: s.anchor.col },
      focus: { phys: phys(s.focus.row), col: s.focus.col },
    });
  };

  const goto = useCallback((phys: number, col: number) => {
    setSel({ anchor: { phys, col }, focus: { phys, col } });
    setReveal((n) => n + 1);
  }, []);

  const apply = useCallback(
    (changes: CellChange[], label: string) => {
      if (readOnly) return 0;
      if (changes.length > MAX_CELLS_AT_ONCE) {
        toast(
          'error',
          `That changes ${count(changes.length)} cells; select at most ${count(MAX_CELLS_AT_ONCE)} at once.`,
        );
        return 0;
      }
      return model.setCells(changes, label);
    },
    [model, readOnly, toast],
  );

  // The model refuses edits to created rows (and rows being sent), on every path: say why, once.
  useEffect(() => model.onRefusal((text) => toast('info', text)), [model, toast]);

  const selectRange = (r: Range) => {
    const at = (row: number) => view[Math.max(0, Math.min(view.length - 1, row))] ?? 0;
    setSel({ anchor: { phys: at(r.top), col: r.left }, focus: { phys: at(r.bottom), col: r.right } });
  };

  const afterUndo = (cmd: ReturnType<typeof model.undo>) => {
    if (!cmd) return;
    if (cmd.kind === 'cells' && cmd.keys.length > 0) {
      const key = cmd.keys[0]!;
      const phys = Math.floor(key / model.nCols);
      goto(phys, key - phys * model.nCols);
    } else if (cmd.kind === 'delete' && cmd.rows.length > 0 && model.isAlive(cmd.rows[0]!)) {
      goto(cmd.rows[0]!, sel.focus.col);
    }
  };

  const undo = () => {
    if (readOnly) return;
    afterUndo(model.undo());
  };
  const redo = () => {
    if (readOnly) return;
    afterUndo(model.redo());
  };

  /** The next (or previous) cell with an error, else with a warning, from the selected cell on. */
  const nextIssue = (backwards = false) => {
    const n = view.length;
    if (n === 0) return;
    const start = selection.focus.row;
    for (const wanted of [SEV_ERROR, SEV_WARNING]) {
      for (let k = 0; k <= n; k++) {
        const i = backwards ? (start - k + n) % n : (start + k) % n;
        const phys = view[i]!;
        if (!model.isValidated(phys) || model.rowSev[phys]! < wanted) continue;
        const cols = [...Array(model.nCols).keys()];
        if (backwards) cols.reverse();
        const cur = selection.focus.col;
        const candidates = cols.filter((c) => model.cellSev(phys, c) === wanted);
        const pick =
          k === 0
            ? candidates.find((c) => (backwards ? c < cur : c > cur))
            : k === n
              ? candidates.find((c) => (backwards ? c >= cur : c <= cur))
              : candidates[0];
        if (pick !== undefined) return goto(phys, pick);
        if (k > 0 && k < n && candidates.length === 0 && model.rowSev[phys] === wanted) return goto(phys, 0);
      }
    }
    toast('info', 'No errors or warnings left in these rows.');
  };

  const deleteRows = (range: Range) => {
    if (readOnly) return;
    const rows = rowsOf(view, range);
    if (rows.length === 0) return;
    const n = model.deleteRows(rows, rows.length === 1 ? 'Delete row' : 'Delete rows');
    if (n === 0) return;
    toast('info', `${plural(n, 'row')} deleted.`, { label: 'Undo', run: () => afterUndo(model.undo()) });
  };

  /** Spaces around the text of the selected cells (or of every cell, with one cell selected) go. */
  const trim = () => {
    if (readOnly) return;
    const rows = sizeSel > 1 ? rowsOf(view, range) : null;
    const cells = rows?.flatMap((row) =>
      Array.from({ length: range.right - range.left + 1 }, (_, k) => ({ row, col: range.left + k })),
    );
    const n = apply(model.trimChanges(cells), 'Trim spaces');
    if (n > 0) toast('success', `Spaces trimmed in ${plural(n, 'cell')}.`, { label: 'Undo', run: undo });
    else toast('info', `No ${cells ? 'selected ' : ''}cell has spaces around its text.`);
  };

  /** A finding's fix, in this row or in every row with the same finding on the same text. */
  const applyFix = (phys: number, issue: Issue, fix: Fix, all: boolean) => {
    const rows = all ? [phys, ...model.sameFixRows(phys, issue, fix)] : [phys];
    const changes = rows.flatMap((r) => model.fixChange(r, issue, fix) ?? []);
    const n = apply(changes, all ? 'Fix rows' : 'Fix');
    if (n > 1) toast('success', `${plural(n, 'row')} fixed.`, { label: 'Undo', run: undo });
    // The button goes away with the problem it fixed: the keyboard stays on the grid.
    returnFocus();
  };

  const commands: GridCommands = {
    commit(pos, value, timeStamp) {
      const phys = view[pos.row];
      if (phys === undefined) return;
      markEdit(timeStamp);
      apply([{ row: phys, col: pos.col, value }], 'Edit cell');
    },
    copy: (range) => {
      if (rangeSize(range) > MAX_CELLS_AT_ONCE) {
        toast('error', `Select at most ${count(MAX_CELLS_AT_ONCE)} cells to copy.`);
        return '';
      }
      return copyText(model, view, range);
    },
    cut(range) {
      const text = copyText(model, view, range);
      apply(clearChanges(view, range), 'Cut');
      return text;
    },
    paste(range, text) {
      if (text === '') return;
      const changes = pasteChanges(model, view, range, text);
      apply(changes, 'Paste');
      if (changes.length > 0) {
        const last = changes[changes.length - 1]!;
        const bottom = viewIndexOf(view, last.row);
        selectRange({
          top: range.top,
          left: range.left,
          bottom: Math.max(range.top, bottom),
          right: last.col,
        });
      }
    },
    clear: (range) => apply(clearChanges(view, range), 'Clear cells'),
    fillDown: (range) => apply(fillDownChanges(model, view, range), 'Fill down'),
    undo,
    redo,
    nextIssue,
    deleteRows,
    resizeColumn: (index, width) => setWidths((w) => ({ ...w, [index]: width })),
  };

  // ---- saving and exporting ----------------------------------------------------------------------

  const save = async (format: 'csv' | 'xlsx') => {
    setDialog(null);
    setBusy('Saving…');
    try {
      const result = await saveSheet(session, format);
      if (!result) return;
      toast('success', `Saved: ${result.path}`, {
        label: 'Show in folder',
        run: () => void importer.showInFolder({ path: result.path }),
      });
    } catch (e) {
      toast('error', `The sheet could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const exportResults = async (format: 'csv' | 'xlsx') => {
    if (!model.hasResults) {
      toast('info', 'There are no results yet: create the projects first.');
      return;
    }
    setBusy('Exporting…');
    try {
      const bytes = await session.build({ kind: 'results', format, results: model.results() });
      const result = await importer.saveFile({
        suggestedName: `${baseName(session.fileName)} results.${format}`,
        bytes,
      });
      if ('cancelled' in result) return;
      session.noteSaved({ path: result.path, label: 'results' });
      toast('success', `Results saved: ${result.path}`, {
        label: 'Show in folder',
        run: () => void importer.showInFolder({ path: result.path }),
      });
    } catch (e) {
      toast('error', `The results could not be exported: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };

  // ---- pre-flight and runs -------------------------------------------------------------------------

  const preflight = async () => {
    const startedWith = settings;
    await session.checkAccount();
    setCheckedWith(startedWith);
    const acc = session.account;
    // A refusal of the account is in the banner above the grid, until the settings change.
    if (acc.error) toast('error', `The check could not run: ${acc.error}`);
    else if (acc.stop) return;
    else if (acc.snapshot) {
      const found = session.accountFindings();
      if (found.issues === 0) toast('success', 'The account check found no problems.');
      else
        toast(
          'info',
          `The account check found ${plural(found.issues, 'problem')} in ${plural(found.rows, 'row')}.`,
        );
    }
  };

  const start = async (kind: 'all' | 'retry') => {
    setDialog(null);
    setRanWith(settings);
    setBusy('Starting…');
    try {
      await session.startRun({ kind });
    } catch (e) {
      toast('error', `The run could not start: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const cancelRun = async () => {
    if (!run) return;
    const ok = await ask({
      title: 'Stop creating projects?',
      body: <p>Projects already created stay created. The rows not sent yet are not sent.</p>,
      confirm: 'Stop the run',
      cancel: 'Keep going',
      danger: true,
    });
    if (ok) await importer.cancelRun({ runId: run.runId }).catch(() => false);
  };

  // ---- menu commands and shortcuts ---------------------------------------------------------------

  const findInSheet = useCallback(
    (query: string, options: FindOptions) => session.worker.find(query, options),
    [session],
  );

  const openFind = () => {
    setFindOpen(true);
    setFindFocus((n) => n + 1);
  };

  const handle = {
    command(command: (typeof MENU_COMMANDS)[number]) {
      const inText =
        document.activeElement instanceof HTMLInputElement ||
        document.activeElement instanceof HTMLTextAreaElement;
      if (command === 'undo') return inText ? document.execCommand('undo') : undo();
      if (command === 'redo') return inText ? document.execCommand('redo') : redo();
      if (command === 'find') return openFind();
      if (command === 'save') return void save(ownFormat(session));
      if (command === 'saveAs') return setDialog('save');
      if (command === 'exportResults') return void exportResults('xlsx');
    },
  };
  useImperativeHandle(ref, () => handle);

  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        handle.command('find');
      } else if (ctrl && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        handle.command(e.shiftKey ? 'saveAs' : 'save');
      }
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  });

  // A button disabled while its work runs (the account check, Create), or a run panel replaced by
  // its outcome, takes the focus with it: give it back to the grid.
  const checking = session.checkingAccount;
  const finished = run?.summary ?? run?.failure ?? null;
  useEffect(() => {
    rescueFocus();
  }, [running, checking, finished]);

  // ---- rendering --------------------------------------------------------------------------------

  const fieldHeader = (f: FieldName) => {
    const c = model.fieldColumn[fieldIndex(f)]!;
    return c >= 0 ? model.headers[c] || f : f;
  };
  const pending = model.rowsPending > 0 || !!session.validation;
  // Counts the model keeps up to date: no pass over the rows on each render.
  const sendable = session.readyCount;
  const failedRows = model.rowsFailed;
  const range = rangeOf(selection);
  const sizeSel = rangeSize(range);
  const needsKey = !!settings && settings.environment !== 'sandbox' && !settings.hasApiKey;
  const filterCounts: Record<RowFilter, number> = {
    all: model.order.length,
    errors: model.rowsError,
    warnings: model.rowsWarning,
    valid: model.rowsValid,
    created: model.rowsCreated,
  };
  const filters: RowFilter[] = ['all', 'errors', 'warnings', 'valid'];
  if (model.rowsCreated > 0) filters.push('created');
  const FILTER_LABELS: Record<RowFilter, string> = {
    all: 'All',
    errors: 'Errors',
    warnings: 'Warnings',
    valid: 'Ready',
    created: 'Created',
  };
  const stale = filter !== 'all' || field !== null ? model.editsSinceView : 0;

  return (
    <div className="review">
      <div className="toolbar" role="toolbar" aria-label="Rows">
        <div className="toolbar-main">
          <div className="segmented" role="group" aria-label="Show rows">
            {filters.map((f) => (
              <button
                key={f}
                type="button"
                aria-pressed={filter === f && field === null}
                className={`seg seg-${f}`}
                onClick={() => {
                  setFilter(f);
                  setField(null);
                  model.refreshViews();
                }}
              >
                {FILTER_LABELS[f]}
                <span className="seg-count">{count(filterCounts[f])}</span>
              </button>
            ))}
          </div>
          {field && (
            <span className="chip">
              Problems in {fieldHeader(field)}
              <button
                type="button"
                className="icon-button"
                aria-label="Show every row"
                onClick={() => {
                  setField(null);
                  setFilter('all');
                }}
              >
                ×
              </button>
            </span>
          )}
          {stale > 0 && (
            <button
              type="button"
              className="link"
              onClick={() => model.refreshViews()}
              title="Apply the filter to your edits"
            >
              ↻ Refresh filter
            </button>
          )}
          <button
            type="button"
            onClick={() => nextIssue(false)}
            title="Go to the next error or warning (F8)"
            aria-label="Next problem"
          >
            <span className="tb-long">Next problem</span>
            <span className="tb-short">Next</span>
          </button>
          <span className="sep" />
          <button
            type="button"
            onClick={undo}
            disabled={readOnly || !model.undoLabel}
            title={model.undoLabel ? `Undo ${model.undoLabel.toLowerCase()} (Ctrl+Z)` : 'Nothing to undo'}
            aria-label="Undo"
            className="icon-text"
          >
            ↶
          </button>
          <button
            type="button"
            onClick={redo}
            disabled={readOnly || !model.redoLabel}
            title={model.redoLabel ? `Redo ${model.redoLabel.toLowerCase()} (Ctrl+Y)` : 'Nothing to redo'}
            aria-label="Redo"
            className="icon-text"
          >
            ↷
          </button>
          <button type="button" onClick={openFind} title="Find and replace (Ctrl+F)">
            Find
          </button>
          <button
            type="button"
            className="compact"
            onClick={() => commands.fillDown(range)}
            disabled={readOnly || range.bottom === range.top}
            title="Copy the top cell of the selection into the cells below it (Ctrl+D)"
            aria-label="Fill down"
          >
            <FillDownIcon />
            <span className="tb-label">Fill down</span>
          </button>
          <button
            type="button"
            className="compact"
            onClick={() => deleteRows(range)}
            disabled={readOnly || view.length === 0}
            title="Delete the selected rows (Ctrl+-)"
            aria-label={range.bottom > range.top ? 'Delete rows' : 'Delete row'}
          >
            <DeleteIcon />
            <span className="tb-label">{range.bottom > range.top ? 'Delete rows' : 'Delete row'}</span>
          </button>
          <button
            type="button"
            className="compact"
            onClick={() => setDialog('setColumn')}
            disabled={readOnly}
            title="Give a column one value in every row or in the selected rows, or add a column the sheet lacks"
            aria-label="Set column…"
          >
            <SetColumnIcon />
            <span className="tb-label">Set column…</span>
          </button>
          <button
            type="button"
            className="compact"
            onClick={trim}
            disabled={readOnly}
            title="Trim: remove the spaces around the text of the selected cells (of every cell when one is selected)"
            aria-label="Trim"
          >
            <TrimIcon />
            <span className="tb-label">Trim</span>
          </button>
        </div>
        {/* The account check and Create stay together, on the toolbar's first line. */}
        <div className="toolbar-actions">
          {checkedAgo && <span className="muted small checked-ago">{checkedAgo} ·</span>}
          <button
            type="button"
            onClick={() => void preflight()}
            disabled={readOnly || pending || session.checkingAccount}
            title={
              checkedAgo
                ? `${checkedAgo}. Fetch the account's data again and check the rows against it`
                : 'Check the rows against the account: brands, campaigns, numbers, verifications, domains, lists'
            }
          >
            {session.checkingAccount
              ? 'Checking with the account…'
              : session.account.snapshot
                ? 'Refresh'
                : 'Check with account'}
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => session.confirmRun({ kind: 'all' })}
            disabled={readOnly || pending || session.checkingAccount || sendable === 0}
            title={
              pending
                ? 'Wait until every row is checked'
                : session.checkingAccount
                  ? 'Wait until the account check is done'
                  : sendable === 0
                    ? 'No row is ready to send'
                    : undefined
            }
          >
            {running
              ? 'Creating projects…'
              : pending
                ? 'Checking rows…'
                : sendable > 0
                  ? model.rowsCreated > 0
                    ? `Create ${plural(sendable, 'remaining project')}`
                    : `Create ${plural(sendable, 'project')}`
                  : model.rowsError > 0
                    ? `${plural(model.rowsError, 'row')} left with errors`
                    : model.rowsCreated > 0
                      ? 'Every project is created'
                      : 'No row is ready to send'}
          </button>
        </div>
      </div>

      {session.account.stop && checkedWith === settings && (
        <div className="banner error" role="alert">
          The account check stopped: {session.account.stop.message}{' '}
          <button type="button" className="link" onClick={onSettings}>
            Open settings
          </button>
        </div>
      )}
      {run && (
        <RunPanel
          run={run}
          progressAt={run.progressAt}
          failedRows={failedRows}
          settingsChanged={ranWith !== settings}
          saved={session.lastSaved}
          onPause={() => void importer.pauseRun({ runId: run.runId })}
          onResume={() => void importer.resumeRun({ runId: run.runId })}
          onCancel={() => void cancelRun()}
          onExport={(f) => void exportResults(f)}
          onRetry={() => void start('retry')}
          onShow={(path) => void importer.showInFolder({ path })}
          onDismiss={() => session.dismissRun()}
        />
      )}
      {findOpen && (
        <FindBar
          model={model}
          view={view}
          active={activePhys === null ? null : { phys: activePhys, col: selection.focus.col }}
          readOnly={readOnly}
          focusToken={findFocus}
          find={findInSheet}
          onGoto={goto}
          onApply={(changes, label) => {
            const n = apply(changes, label);
            if (label === 'Replace all')
              toast('success', `${plural(n, 'cell')} changed.`, { label: 'Undo', run: undo });
          }}
          onClose={() => {
            setFindOpen(false);
            returnFocus();
          }}
        />
      )}

      <div className="review-main">
        <Grid
          model={model}
          version={model.version}
          view={view}
          columns={columns}
          selection={selection}
          onSelect={onSelect}
          readOnly={readOnly}
          commands={commands}
          revealToken={reveal}
          label={`Rows of ${session.fileName}`}
          account={session.account.snapshot}
        />
        <SidePanel
          session={session}
          model={model}
          activePhys={activePhys}
          onGoto={goto}
          onFilterField={(f) => {
            setField(f);
            setFilter('all');
            model.refreshViews();
            // The cursor goes to the column's first problem (an error before any warning).
            const rows = model.view('all', f);
            const fi = fieldIndex(f);
            let first = rows.find((r) => model.fieldSev(r, fi) === SEV_ERROR);
            first ??= rows[0];
            const col = model.fieldColumn[fi]!;
            if (first !== undefined) goto(first, col >= 0 ? col : sel.focus.col);
            returnFocus();
          }}
          onFix={(changes, label) => {
            const n = apply(changes, label);
            if (n > 0) toast('success', `${plural(n, 'cell')} cleared.`, { label: 'Undo', run: undo });
            // The button goes away with the problem it fixed: the keyboard stays on the grid.
            returnFocus();
          }}
          onApplyFix={applyFix}
        />
      </div>

      <footer className="statusbar" role="status" aria-live="polite">
        {session.validation ? (
          <span className="checking">
            <progress
              max={session.validation.total || 1}
              value={session.validation.done}
              aria-label="Rows checked"
            />
            Checking rows… {count(session.validation.done)} of {count(session.validation.total)}
          </span>
        ) : (
          <span>
            {plural(model.order.length, 'row')} ·{' '}
            <span className="err-text">{count(model.rowsError)} with errors</span> ·{' '}
            <span className="warn-text">{count(model.rowsWarning)} with warnings</span> ·{' '}
            {count(model.rowsValid)} ready
            {model.rowsCreated > 0 && (
              <>
                {' '}
                · <span className="ok-text">{count(model.rowsCreated)} created</span>
              </>
            )}
          </span>
        )}
        <span className="grow" />
        {busy && <span>{busy}</span>}
        {model.editCount > 0 && <span>{plural(model.editCount, 'edited cell')}</span>}
        {sizeSel > 1 && <span>{plural(sizeSel, 'cell')} selected</span>}
        {needsKey && (
          <button type="button" className="link" onClick={onSettings}>
            Add an API key to create projects
          </button>
        )}
      </footer>

      {dialog === 'save' && (
        <Dialog title="Save the sheet" onClose={() => setDialog(null)}>
          <p>
            Saves every row as you see it now, with your edits ({plural(model.editCount, 'edited cell')}).
            Deleted rows are left out.
          </p>
          <div className="choice-buttons">
            <button type="button" className="primary" onClick={() => void save('xlsx')}>
              Excel workbook (.xlsx)
            </button>
            <button type="button" onClick={() => void save('csv')}>
              CSV (.csv, UTF-8)
            </button>
          </div>
        </Dialog>
      )}
      {dialog === 'setColumn' && (
        <SetColumnDialog
          model={model}
          snapshot={session.account.snapshot}
          selectedRows={rowsOf(view, range)}
          initialField={model.fieldOfColumn(selection.focus.col)}
          onSetCells={apply}
          onDone={(text, undoable) =>
            undoable ? toast('success', text, { label: 'Undo', run: undo }) : toast('info', text)
          }
          onClose={() => setDialog(null)}
        />
      )}
      {session.review?.step === 'confirming' && (
        <SubmitDialog
          session={session}
          settings={settings}
          plan={session.review.plan}
          onCancel={() => session.cancelConfirm()}
          onPreflight={() => {
            session.cancelConfirm();
            void preflight();
          }}
          onStart={() => void start('all')}
          onSettings={onSettings}
          onLeaveOut={(rows) => session.leaveOut(rows)}
        />
      )}
    </div>
  );
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * "Checked 3 min ago": when the account's data kept for the session was fetched (null when none is
 * kept, or while it is being fetched again); kept current while on show.
 */
function useCheckedAgo(at: number | null): string | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, [at]);
  if (at === null) return null;
  const minutes = Math.max(0, Math.floor((now - at) / 60_000));
  return `Checked ${minutes === 0 ? 'just now' : minutes < 60 ? `${minutes} min ago` : `at ${clock(at)}`}`;
}

/** A toolbar icon: one stroked path on a 16 × 16 grid. */
function ToolbarIcon(props: { d: string; stroke: number }) {
  return (
    <svg className="tb-icon" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
      <path d={props.d} fill="none" stroke="currentColor" strokeWidth={props.stroke} />
    </svg>
  );
}

const FillDownIcon = () => <ToolbarIcon d="M8 2v8M4.5 6.5 8 10l3.5-3.5M3 13.5h10" stroke={1.6} />;
const SetColumnIcon = () => (
  <ToolbarIcon d="M5.5 2.5h5v11h-5zM5.5 6h5M5.5 9.5h5M13.5 4v8M12 10.5l1.5 1.5 1.5-1.5" stroke={1.3} />
);
const TrimIcon = () => (
  <ToolbarIcon d="M1.5 8h4M4 6l2 2-2 2M14.5 8h-4M12 6l-2 2 2 2M7.2 3.5v9M8.8 3.5v9" stroke={1.3} />
);
const DeleteIcon = () => (
  <ToolbarIcon d="M2.5 4.5h11M6 4.5V2.8h4v1.7M4 4.5l.7 9h6.6l.7-9M6.7 7v4.5M9.3 7v4.5" stroke={1.4} />
);

function SubmitDialog(props: {
  session: Session;
  settings: SettingsView | null;
  plan: RunPlan;
  onCancel(): void;
  onPreflight(): void;
  onStart(): void;
  onSettings(): void;
  /** Leave these rows out of this run (they stay in the sheet). */
  onLeaveOut(rows: number[]): void;
}) {
  const { session, settings, plan } = props;
  const model = session.model!;
  const sendable = plan.rows.length;
  const { errors, warnings } = plan;
  /** Rows the account check found a project of the same name for: sending them makes a second one. */
  const existing: number[] = [];
  for (const r of plan.rows) {
    if (model.accountIssues(r).some((i) => i.code === 'project_name_exists')) existing.push(r);
  }
  const env = settings?.environment ?? 'sandbox';
  const needsKey = env !== 'sandbox' && !settings?.hasApiKey;
  const checked = !!session.account.snapshot;
  return (
    <Dialog
      title={`Create ${plural(sendable, 'project')}?`}
      onClose={props.onCancel}
      testId="submit-dialog"
      footer={
        <>
          <button type="button" onClick={props.onCancel}>
            Not now
          </button>
          <button
            type="button"
            className="primary"
            onClick={props.onStart}
            disabled={needsKey || sendable === 0}
            data-autofocus
          >
            Create {plural(sendable, 'project')}
          </button>
        </>
      }
    >
      <dl className="confirm-counts">
        <div className="ok">
          <dt>Projects to create</dt>
          <dd>{count(sendable)}</dd>
        </div>
        {warnings > 0 && (
          <div className="warn">
            <dt>…of which with warnings</dt>
            <dd>{count(warnings)}</dd>
          </div>
        )}
        {errors > 0 && (
          <div className="err">
            <dt>Rows with errors, not sent</dt>
            <dd>{count(errors)}</dd>
          </div>
        )}
        {plan.created > 0 && (
          <div>
            <dt>Already created, not sent again</dt>
            <dd>{count(plan.created)}</dd>
          </div>
        )}
        {plan.leftOut > 0 && (
          <div className="left-out">
            <dt>Left out of this run (still in the sheet)</dt>
            <dd>{count(plan.leftOut)}</dd>
          </div>
        )}
      </dl>
      {existing.length > 0 && (
        <div className="banner warning small existing-projects" role="alert">
          <p>
            <strong>
              {plural(existing.length, 'row')} would create a second project with a name that already exists
            </strong>{' '}
            in {existing.length === 1 ? 'its' : 'their'} organization (found by the account check).
          </p>
          <button type="button" onClick={() => props.onLeaveOut(existing)}>
            Leave {existing.length === 1 ? 'this row' : `these ${count(existing.length)} rows`} out
          </button>
        </div>
      )}
      <p>
        In{' '}
        <strong>
          {env === 'sandbox'
            ? 'the Sandbox (nothing leaves this computer)'
            : env === 'production'
              ? 'Production'
              : 'your custom server'}
        </strong>
        {settings?.baseUrl ? ` — ${settings.baseUrl}` : ''}
        {session.defaultOrg ? `, default organization ${session.defaultOrg}` : ''}.
      </p>
      <p className="muted small">
        Rows are sent in order at the pace the API allows. Each row is sent once: if the app closes during the
        run, it offers to resume where it stopped, without creating any project twice.
      </p>
      {needsKey && (
        <p className="banner error small">
          No API key is stored.{' '}
          <button type="button" className="link" onClick={props.onSettings}>
            Add one in settings
          </button>
        </p>
      )}
      {!checked && !needsKey && (
        <p className="banner info small">
          Tip: the account check finds problems the file alone cannot show (a campaign of another brand,
          numbers of another campaign…).{' '}
          <button type="button" className="link" onClick={props.onPreflight}>
            Check with account first
          </button>
        </p>
      )}
    </Dialog>
  );
}
