/**
 * The review grid: virtualized in both directions (only the cells on screen are in the DOM), with a
 * frozen header row and frozen row-number and status columns, Excel row numbers, severity painting,
 * keyboard navigation, in-place editing and clipboard ranges.
 *
 * Very tall sheets are scrolled through a scaled canvas (browsers cap element heights), so a
 * million rows scroll like a thousand.
 */
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent as ReactClipboardEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  type MouseEvent as ReactMouseEvent,
} from 'react';
import type { FieldName } from '../../../shared/schema/fields';
import type { AccountSnapshot } from '../../../shared/account/snapshot';
import { mapRow } from '../../../shared/mapping';
import { pickerFor, type Picker } from '../model/picker';
import { useCellPicker } from './CellPicker';
import { FIELD_INDEX, SEV_ERROR, SEV_WARNING } from '../model/fields';
import {
  STATUS_CREATED,
  STATUS_FAILED,
  STATUS_INVALID,
  STATUS_NOT_SENT,
  STATUS_SKIPPED,
  type SheetModel,
} from '../model/sheet';
import { clampPos, rangeOf, type CellPos, type Range, type Selection } from '../model/selection';
import { gridRendered } from '../perf';
import { setFocusHome } from './focus';
import { shownCellIssues, shownCellSev, shownIssues } from './issues';

export const ROW_H = 30;
export const HEADER_H = 56;
export const STATUS_W = 104;

/** Wide enough for the largest row number of the sheet. */
function rowNumberWidth(model: SheetModel): number {
  const last = model.n > 0 ? model.rowNumbers[model.n - 1]! : 1;
  return Math.max(52, String(last).length * 9 + 26);
}
/** Tallest canvas we ask the browser for; taller sheets scroll through a scaled canvas. */
const MAX_CANVAS = 12_000_000;
const OVERSCAN_ROWS = 4;
/** Width of the tip that shows the active cell's problems (see .cell-tip). */
const TIP_W = 380;

export interface GridColumn {
  index: number;
  header: string;
  field: FieldName | null;
  width: number;
}

export type EditMode = 'enter' | 'edit';

export interface GridCommands {
  commit(pos: CellPos, value: string, timeStamp: number): void;
  copy(range: Range): string;
  paste(range: Range, text: string): void;
  cut(range: Range): string;
  clear(range: Range): void;
  fillDown(range: Range): void;
  undo(): void;
  redo(): void;
  nextIssue(backwards: boolean): void;
  deleteRows(range: Range): void;
  resizeColumn(index: number, width: number): void;
}

interface GridProps {
  model: SheetModel;
  version: number;
  view: Int32Array;
  columns: GridColumn[];
  selection: Selection;
  onSelect(selection: Selection): void;
  readOnly: boolean;
  commands: GridCommands;
  /** Bumped to bring the active cell into view. */
  revealToken: number;
  label: string;
  /** The account's data, when loaded: reference cells then edit with a list of its entities. */
  account?: AccountSnapshot | null;
}

interface EditState {
  row: number;
  col: number;
  value: string;
  mode: EditMode;
  /** The values the cell offers as a list while it is edited (see CellPicker). */
  picker: Picker | null;
}

function statusOf(model: SheetModel, phys: number): { text: string; cls: string; title: string } {
  const status = model.resultStatus[phys]!;
  const result = model.resultOf(phys);
  if (status === STATUS_CREATED)
    return { text: 'Created', cls: 'st-created', title: `Created: ${result?.projectId ?? ''}` };
  if (status === STATUS_FAILED)
    return {
      text: 'Failed',
      cls: 'st-failed',
      title: result?.errorMessage ? `Failed: ${result.errorMessage}` : 'Failed',
    };
  if (!model.isValidated(phys)) return { text: 'Checking…', cls: 'st-pending', title: 'Being checked' };
  const sev = model.rowSev[phys]!;
  const base =
    sev === SEV_ERROR
      ? {
          text: 'Error',
          cls: 'st-error',
          title: 'This row has errors: it will not be sent until they are fixed.',
        }
      : sev === SEV_WARNING
        ? { text: 'Warning', cls: 'st-warning', title: 'This row has warnings: it can be sent.' }
        : { text: 'Ready', cls: 'st-ready', title: 'No problems found.' };
  if (status === STATUS_INVALID) return { ...base, text: 'Not sent', title: 'Not sent: the row had errors.' };
  if (status === STATUS_SKIPPED) return { ...base, text: 'Skipped', title: 'Skipped by the last run.' };
  if (status === STATUS_NOT_SENT && sev !== SEV_ERROR)
    return { ...base, text: 'Not sent', title: 'Not sent.' };
  return base;
}

function displayText(value: string): string {
  return value.length > 300
    ? value.slice(0, 300).replace(/\r?\n/g, ' ⏎ ') + '…'
    : value.replace(/\r?\n/g, ' ⏎ ');
}

interface RowProps {
  model: SheetModel;
  phys: number;
  viewRow: number;
  rowVersion: number;
  epoch: number;
  cols: GridColumn[];
  c0: number;
  c1: number;
  leftPad: number;
  /** The selection's columns when this row is in it, else -1/-1. */
  selLeft: number;
  selRight: number;
  activeCol: number;
  /** The active cell's problems are shown in the tip below it. */
  tip: boolean;
  rownumW: number;
  /** Only for the row being edited. */
  editor: EditorHooks | null;
  readOnly: boolean;
}

interface EditorHooks {
  state: EditState;
  onKey(e: ReactKeyboardEvent<HTMLTextAreaElement>, value: string): void;
  onChange(value: string): void;
  onBlur(value: string): void;
  /** Commit this value and stay on the cell (a value picked from the list). */
  onCommit(value: string): void;
}

const GridRow = memo(function GridRow(p: RowProps) {
  const { model, phys, viewRow } = p;
  const status = statusOf(model, phys);
  const locked = model.isLocked(phys);
  const created = model.resultStatus[phys] === STATUS_CREATED;
  const rowSev = !model.isValidated(phys)
    ? 0
    : !created || model.rowSev[phys] === 0
      ? model.rowSev[phys]!
      : shownIssues(model, phys).reduce(
          (worst, i) => Math.max(worst, i.severity === 'error' ? SEV_ERROR : SEV_WARNING),
          0,
        );
  const cells = [];
  for (let c = p.c0; c <= p.c1; c++) {
    const col = p.cols[c]!;
    const value = model.cell(phys, c);
    const sev = shownCellSev(model, phys, c);
    const selected = c >= p.selLeft && c <= p.selRight;
    const active = c === p.activeCol;
    let cls = 'cell';
    if (!col.field) cls += ' unmapped';
    if (sev === SEV_ERROR) cls += ' err';
    else if (sev === SEV_WARNING) cls += ' warn';
    if (selected) cls += ' sel';
    if (active) cls += ' active';
    if (model.isEdited(phys, c)) cls += ' edited';
    const title = sev
      ? shownCellIssues(model, phys, c)
          .map((i) => i.message)
          .join('\n')
      : undefined;
    const editing = p.editor && p.editor.state.col === c ? p.editor : null;
    cells.push(
      <div
        key={c}
        role="gridcell"
        id={`cell-${viewRow}-${c}`}
        aria-colindex={c + 3}
        aria-selected={selected}
        aria-invalid={sev === SEV_ERROR ? true : undefined}
        aria-describedby={active && p.tip ? 'cell-tip' : undefined}
        aria-readonly={p.readOnly || locked ? true : undefined}
        data-r={viewRow}
        data-c={c}
        className={cls}
        style={{ width: col.width }}
        title={title}
      >
        {editing ? (
          <CellEditor
            key={editing.state.mode}
            initial={editing.state.value}
            minWidth={col.width}
            picker={editing.state.picker}
            typingStart={editing.state.mode === 'enter'}
            onKey={editing.onKey}
            onChange={editing.onChange}
            onBlur={editing.onBlur}
            onCommit={editing.onCommit}
          />
        ) : (
          displayText(value)
        )}
      </div>,
    );
  }
  let cls = 'row';
  if (rowSev === SEV_ERROR) cls += ' row-err';
  else if (rowSev === SEV_WARNING) cls += ' row-warn';
  if (locked) cls += ' locked';
  return (
    <div role="row" aria-rowindex={viewRow + 2} className={cls}>
      <div
        role="rowheader"
        aria-colindex={1}
        className={`rownum${p.selLeft !== -1 ? ' sel' : ''}`}
        data-r={viewRow}
        data-c={-1}
        style={{ width: p.rownumW }}
        title={`Row ${model.rowNumbers[phys]} of the file`}
      >
        {model.rowNumbers[phys]}
      </div>
      <div
        role="gridcell"
        aria-colindex={2}
        className={`status ${status.cls}`}
        style={{ width: STATUS_W, left: p.rownumW }}
        title={status.title}
        data-r={viewRow}
        data-c={-2}
      >
        <span className="dot" aria-hidden="true" />
        {status.text}
      </div>
      {p.leftPad > 0 && <div className="pad" style={{ width: p.leftPad }} />}
      {cells}
    </div>
  );
});

function CellEditor(props: {
  initial: string;
  minWidth: number;
  picker: Picker | null;
  typingStart: boolean;
  onKey(e: ReactKeyboardEvent<HTMLTextAreaElement>, value: string): void;
  onChange(value: string): void;
  onBlur(value: string): void;
  onCommit(value: string): void;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useState(props.initial);
  const list = useCellPicker({
    picker: props.picker,
    value,
    typingStart: props.typingStart,
    setText: (text, committed) => {
      setValue(text);
      props.onChange(committed);
    },
    passKey: (e, v) => props.onKey(e, v),
    commit: props.onCommit,
  });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    const end = el.value.length;
    el.setSelectionRange(end, end);
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = '0px';
    el.style.height = `${Math.min(240, Math.max(ROW_H, el.scrollHeight + 2))}px`;
  }, [value]);
  const box = (
    <textarea
      ref={ref}
      className="cell-editor"
      aria-label="Cell value"
      spellCheck={false}
      value={value}
      {...list?.inputProps}
      style={{
        minWidth: props.minWidth,
        width: Math.max(props.minWidth, Math.min(520, value.length * 7.5 + 24)),
      }}
      onChange={(e) => {
        list?.onInput();
        setValue(e.target.value);
        props.onChange(e.target.value);
      }}
      onKeyDown={(e) => {
        if (list?.onKey(e)) return;
        props.onKey(e, list ? list.commitValue(value) : value);
      }}
      onBlur={() => props.onBlur(list ? list.commitValue(value) : value)}
    />
  );
  return list ? list.wrap(box) : box;
}

function HeaderCell({
  col,
  model,
  selected,
  onResize,
}: {
  col: GridColumn;
  model: SheetModel;
  selected: boolean;
  onResize(index: number, width: number): void;
}) {
  const f = col.field;
  const fi = f && model.fieldColumn[FIELD_INDEX.get(f)!] === col.index ? FIELD_INDEX.get(f)! : -1;
  const errors = fi >= 0 ? model.errors[fi]! : 0;
  const warnings = fi >= 0 ? model.warnings[fi]! : 0;
  const startResize = (e: ReactMouseEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const x0 = e.clientX;
    const w0 = col.width;
    const move = (m: MouseEvent) => onResize(col.index, Math.max(60, Math.min(900, w0 + m.clientX - x0)));
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  return (
    <div
      role="columnheader"
      aria-colindex={col.index + 3}
      className={`colhead${f ? '' : ' unmapped'}${selected ? ' sel' : ''}`}
      style={{ width: col.width }}
      data-c={col.index}
      data-r={-1}
      title={f ? `${col.header} → ${f}` : `${col.header}: not sent to the API`}
    >
      <div className="colhead-name">{col.header || <em>(no header)</em>}</div>
      <div className="colhead-meta">
        {f ? <code>{f}</code> : <span className="muted">not sent</span>}
        {errors > 0 && (
          <span className="badge err" title={`${errors} ${errors === 1 ? 'error' : 'errors'} in this column`}>
            {errors.toLocaleString('en-US')}
          </span>
        )}
        {warnings > 0 && (
          <span
            className="badge warn"
            title={`${warnings} ${warnings === 1 ? 'warning' : 'warnings'} in this column`}
          >
            {warnings.toLocaleString('en-US')}
          </span>
        )}
      </div>
      <div className="resize" onMouseDown={startResize} aria-hidden="true" />
    </div>
  );
}

/**
 * Which rows and columns to render for a scroll position. Vertically, a canvas taller than the
 * browser allows is scaled: scrollTop maps linearly onto the rows' virtual offset.
 */
function windowOf(
  scrollTopIn: number,
  scrollLeft: number,
  nRows: number,
  bodyH: number,
  bodyW: number,
  colLeft: Float64Array,
) {
  const nCols = colLeft.length - 1;
  const totalRowsH = nRows * ROW_H;
  const canvasRowsH = Math.min(totalRowsH, MAX_CANVAS);
  const maxScroll = Math.max(0, canvasRowsH - bodyH);
  const maxVirtual = Math.max(0, totalRowsH - bodyH);
  const scale = maxScroll > 0 ? maxVirtual / maxScroll : 1;
  const scrollTop = Math.min(scrollTopIn, maxScroll);
  const virtualTop = scrollTop * scale;
  const first = Math.max(0, Math.min(nRows - 1, Math.floor(virtualTop / ROW_H)));
  const offset = virtualTop - first * ROW_H;
  const visibleCount = Math.ceil((bodyH + offset) / ROW_H) + 1;
  const r0 = Math.max(0, first - (scale === 1 ? OVERSCAN_ROWS : 0));
  const r1 = Math.min(nRows - 1, first + visibleCount + (scale === 1 ? OVERSCAN_ROWS : 0));
  const topPad = Math.max(0, scrollTop - offset - (first - r0) * ROW_H);
  let c0 = 0;
  while (c0 < nCols - 1 && colLeft[c0 + 1]! <= scrollLeft) c0++;
  let c1 = c0;
  while (c1 < nCols - 1 && colLeft[c1 + 1]! < scrollLeft + bodyW) c1++;
  c0 = Math.max(0, c0 - 1);
  c1 = Math.min(nCols - 1, c1 + 1);
  return { canvasRowsH, maxScroll, scale, scrollTop, virtualTop, r0, r1, topPad, c0, c1 };
}

export function Grid(props: GridProps) {
  const { model, view, columns, selection, onSelect, readOnly, commands } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  const [size, setSize] = useState({ width: 800, height: 600 });
  const [editor, setEditorState] = useState<EditState | null>(null);
  const [focused, setFocused] = useState(false);
  const editRef = useRef<EditState | null>(null);
  const editorValue = useRef('');
  const setEditor = (state: EditState | null) => {
    editRef.current = state;
    setEditorState(state);
  };
  const dragging = useRef(false);
  const nRows = view.length;
  const nCols = columns.length;
  const rownumW = rowNumberWidth(model);
  const FROZEN_W = rownumW + STATUS_W;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const colLeft = useMemo(() => {
    const left = new Float64Array(columns.length + 1);
    for (let i = 0; i < columns.length; i++) left[i + 1] = left[i]! + columns[i]!.width;
    return left;
  }, [columns]);
  const totalW = colLeft[columns.length]!;

  const bodyH = Math.max(0, size.height - HEADER_H);
  const bodyW = Math.max(0, size.width - FROZEN_W);
  const { scale, virtualTop, r0, r1, topPad, c0, c1, canvasRowsH } = windowOf(
    scroll.top,
    scroll.left,
    nRows,
    bodyH,
    bodyW,
    colLeft,
  );
  const range = rangeOf(selection);
  const active = selection.focus;

  useLayoutEffect(() => {
    gridRendered(r1 >= r0 && nRows > 0);
  });

  // Bring the active cell into view when asked (keyboard moves, jumps, find).
  const reveal = useCallback(
    (pos: CellPos) => {
      const el = scroller.current;
      if (!el) return;
      const rowTop = pos.row * ROW_H;
      let vTop = virtualTop;
      if (rowTop < vTop) vTop = rowTop;
      else if (rowTop + ROW_H > vTop + bodyH) vTop = rowTop + ROW_H - bodyH;
      if (vTop !== virtualTop) el.scrollTop = scale > 0 ? Math.round(vTop / scale) : vTop;
      if (pos.col >= 0 && pos.col < nCols) {
        const left = colLeft[pos.col]!;
        const right = colLeft[pos.col + 1]!;
        if (left < el.scrollLeft) el.scrollLeft = left;
        else if (right > el.scrollLeft + bodyW) el.scrollLeft = Math.min(left, right - bodyW);
      }
    },
    [virtualTop, bodyH, scale, colLeft, nCols, bodyW],
  );

  const lastReveal = useRef(props.revealToken);
  useEffect(() => {
    if (lastReveal.current === props.revealToken) return;
    lastReveal.current = props.revealToken;
    reveal(selection.focus);
  }, [props.revealToken, reveal, selection.focus]);

  const select = useCallback(
    (sel: Selection, show = true) => {
      onSelect(sel);
      if (show) reveal(sel.focus);
    },
    [onSelect, reveal],
  );

  const focusGrid = () => scroller.current?.focus({ preventScroll: true });
  // Focus that loses its place (a dialog, the find bar or a busy button gone) comes back here.
  useEffect(() => setFocusHome(() => scroller.current?.focus({ preventScroll: true })), []);

  const move = (dRow: number, dCol: number, extend: boolean) => {
    if (nRows === 0) return;
    const focus = clampPos({ row: active.row + dRow, col: active.col + dCol }, nRows, nCols);
    select(extend ? { anchor: selection.anchor, focus } : { anchor: focus, focus });
  };

  const startEdit = (mode: EditMode, initial?: string) => {
    if (readOnly || nRows === 0) return;
    const phys = view[active.row];
    if (phys === undefined || !model.editable(phys)) return;
    const value = initial ?? model.cell(phys, active.col);
    editorValue.current = value;
    reveal(active);
    const picker = pickerFor(
      columns[active.col]?.field ?? null,
      mapRow(model.rowCells(phys), model.mapping),
      {
        snapshot: props.account ?? null,
        defaultOrg: model.defaultOrg,
      },
    );
    setEditor({ row: active.row, col: active.col, value, mode, picker });
  };

  const finishEdit = (commit: boolean, value: string, timeStamp: number, then?: () => void) => {
    const ed = editRef.current;
    if (!ed) return;
    setEditor(null);
    if (commit) commands.commit({ row: ed.row, col: ed.col }, value, timeStamp);
    then?.();
    focusGrid();
  };

  const onEditorKey = (e: ReactKeyboardEvent<HTMLTextAreaElement>, value: string) => {
    const ed = editor;
    if (!ed) return;
    e.stopPropagation();
    const moveAfter = (dRow: number, dCol: number) => () => {
      const focus = clampPos({ row: ed.row + dRow, col: ed.col + dCol }, nRows, nCols);
      select({ anchor: focus, focus });
    };
    if (e.key === 'Escape') {
      e.preventDefault();
      finishEdit(false, value, e.timeStamp);
    } else if (e.key === 'Enter' && !e.altKey && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      finishEdit(true, value, e.timeStamp, moveAfter(1, 0));
    } else if (e.key === 'Enter' && (e.altKey || e.ctrlKey)) {
      // A line break inside the cell (lists of ids may use one per line).
      e.preventDefault();
      const el = e.currentTarget;
      const start = el.selectionStart;
      const next = value.slice(0, start) + '\n' + value.slice(el.selectionEnd);
      el.value = next;
      el.setSelectionRange(start + 1, start + 1);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    } else if (e.key === 'Tab') {
      e.preventDefault();
      finishEdit(true, value, e.timeStamp, moveAfter(0, e.shiftKey ? -1 : 1));
    } else if (e.key === 'F2') {
      e.preventDefault();
      setEditor({ ...ed, value, mode: ed.mode === 'enter' ? 'edit' : 'enter' });
    } else if (ed.mode === 'enter' && e.key.startsWith('Arrow')) {
      e.preventDefault();
      const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key] ?? [
        0, 0,
      ];
      finishEdit(true, value, e.timeStamp, moveAfter(d[0]!, d[1]!));
    }
  };

  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (editor) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const pageRows = Math.max(1, Math.floor(bodyH / ROW_H) - 1);
    const key = e.key;
    let handled = true;
    if (key === 'ArrowDown') move(ctrl ? nRows : 1, 0, e.shiftKey);
    else if (key === 'ArrowUp') move(ctrl ? -nRows : -1, 0, e.shiftKey);
    else if (key === 'ArrowRight') move(0, ctrl ? nCols : 1, e.shiftKey);
    else if (key === 'ArrowLeft') move(0, ctrl ? -nCols : -1, e.shiftKey);
    else if (key === 'PageDown') move(pageRows, 0, e.shiftKey);
    else if (key === 'PageUp') move(-pageRows, 0, e.shiftKey);
    else if (key === 'Home') move(ctrl ? -nRows : 0, -nCols, e.shiftKey);
    else if (key === 'End') move(ctrl ? nRows : 0, nCols, e.shiftKey);
    else if (key === 'Tab' && (e.shiftKey ? active.col > 0 : active.col < nCols - 1)) {
      // Tab moves along the row; from the last cell (first, with Shift) it leaves the grid.
      move(0, e.shiftKey ? -1 : 1, false);
    } else if (key === 'Enter' && !ctrl) {
      if (e.shiftKey) move(-1, 0, false);
      else startEdit('edit');
    } else if (key === 'F2') startEdit('edit');
    else if (key === 'F8') commands.nextIssue(e.shiftKey);
    else if (key === 'Escape') select({ anchor: active, focus: active }, false);
    else if ((key === 'Delete' || key === 'Backspace') && !readOnly) commands.clear(range);
    else if (ctrl && !e.altKey && key.toLowerCase() === 'a') {
      select({ anchor: { row: 0, col: 0 }, focus: { row: nRows - 1, col: nCols - 1 } }, false);
    } else if (ctrl && key.toLowerCase() === 'z' && !e.shiftKey) commands.undo();
    else if (ctrl && (key.toLowerCase() === 'y' || (key.toLowerCase() === 'z' && e.shiftKey)))
      commands.redo();
    else if (ctrl && key.toLowerCase() === 'd' && !readOnly) commands.fillDown(range);
    else if (ctrl && key === '-' && !readOnly) commands.deleteRows(range);
    else if (!ctrl && !e.altKey && key.length === 1 && !readOnly) startEdit('enter', key);
    else handled = false;
    if (handled) e.preventDefault();
  };

  const posFromEvent = (e: { target: EventTarget }): { row: number; col: number } | null => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-r]');
    if (!el) return null;
    return { row: Number(el.dataset['r']), col: Number(el.dataset['c']) };
  };

  const onMouseDown = (e: ReactMouseEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const hit = posFromEvent(e);
    if (!hit || (e.target as HTMLElement).closest('.cell-editor, .cell-picker')) return;
    if (editor) finishEdit(true, editorValue.current, e.timeStamp);
    if (hit.row === -1) {
      // A column header: the whole column.
      if (nRows === 0) return;
      const anchor = e.shiftKey ? selection.anchor : { row: 0, col: hit.col };
      select(
        {
          anchor: { row: e.shiftKey ? anchor.row : 0, col: anchor.col },
          focus: { row: nRows - 1, col: hit.col },
        },
        false,
      );
      e.preventDefault();
      focusGrid();
      return;
    }
    if (hit.col < 0) {
      // The row number or status: the whole row.
      const anchor = e.shiftKey ? { row: selection.anchor.row, col: 0 } : { row: hit.row, col: 0 };
      select({ anchor, focus: { row: hit.row, col: nCols - 1 } }, false);
      e.preventDefault();
      focusGrid();
      return;
    }
    const pos = { row: hit.row, col: hit.col };
    select(e.shiftKey ? { anchor: selection.anchor, focus: pos } : { anchor: pos, focus: pos }, false);
    dragging.current = true;
    e.preventDefault();
    focusGrid();
  };

  const onMouseMove = (e: ReactMouseEvent<HTMLDivElement>) => {
    if (!dragging.current || (e.buttons & 1) === 0) {
      dragging.current = false;
      return;
    }
    const hit = posFromEvent(e);
    if (!hit || hit.row < 0 || hit.col < 0) return;
    if (hit.row !== selection.focus.row || hit.col !== selection.focus.col) {
      onSelect({ anchor: selection.anchor, focus: hit });
    }
  };

  const onDoubleClick = (e: ReactMouseEvent<HTMLDivElement>) => {
    const hit = posFromEvent(e);
    if (!hit || hit.row < 0 || hit.col < 0 || editor) return;
    if ((e.target as HTMLElement).closest('.cell-picker')) return;
    startEdit('edit');
  };

  const onCopy = (e: ReactClipboardEvent<HTMLDivElement>) => {
    if (editor) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', commands.copy(range));
  };
  const onCut = (e: ReactClipboardEvent<HTMLDivElement>) => {
    if (editor) return;
    e.preventDefault();
    if (readOnly) return;
    e.clipboardData.setData('text/plain', commands.cut(range));
  };
  const onPaste = (e: ReactClipboardEvent<HTMLDivElement>) => {
    if (editor) return;
    e.preventDefault();
    if (readOnly) return;
    commands.paste(range, e.clipboardData.getData('text/plain'));
  };

  const activeId =
    nRows > 0 && active.row >= r0 && active.row <= r1 ? `cell-${active.row}-${active.col}` : undefined;

  // The active cell's problems, in a tip under it while the grid has the keyboard focus.
  const activePhys = view[active.row];
  const tipIssues =
    focused && !editor && activeId && activePhys !== undefined && active.col >= c0 && active.col <= c1
      ? shownCellIssues(model, activePhys, active.col)
      : [];
  let tip = null;
  if (tipIssues.length > 0) {
    const rowTop = HEADER_H + topPad + (active.row - r0) * ROW_H;
    const below = rowTop + ROW_H + 90 < HEADER_H + topPad + (r1 - r0 + 1) * ROW_H || active.row < 3;
    tip = (
      <div
        id="cell-tip"
        role="tooltip"
        className={`cell-tip ${tipIssues.some((i) => i.severity === 'error') ? 'err' : 'warn'}`}
        style={{
          // Under the cell, kept inside the visible part of the grid.
          left: Math.max(
            scroll.left + FROZEN_W,
            Math.min(FROZEN_W + colLeft[active.col]!, scroll.left + size.width - TIP_W - 8),
          ),
          ...(below ? { top: rowTop + ROW_H + 4 } : { top: rowTop - 4, transform: 'translateY(-100%)' }),
        }}
      >
        {tipIssues.map((i, k) => (
          <div key={k}>{i.message}</div>
        ))}
      </div>
    );
  }

  const rows = [];
  for (let i = r0; i <= r1 && nRows > 0; i++) {
    const phys = view[i]!;
    const inSel = i >= range.top && i <= range.bottom;
    rows.push(
      <GridRow
        key={phys}
        model={model}
        phys={phys}
        viewRow={i}
        rowVersion={model.rowVersion[phys]!}
        epoch={model.epoch}
        cols={columns}
        c0={c0}
        c1={c1}
        leftPad={colLeft[c0]!}
        selLeft={inSel ? range.left : -1}
        selRight={inSel ? range.right : -1}
        activeCol={i === active.row ? active.col : -1}
        rownumW={rownumW}
        tip={i === active.row && tipIssues.length > 0}
        editor={
          editor && editor.row === i
            ? {
                state: editor,
                onKey: onEditorKey,
                onChange: (v) => (editorValue.current = v),
                onBlur: (v) => finishEdit(true, v, performance.now()),
                onCommit: (v) => finishEdit(true, v, performance.now()),
              }
            : null
        }
        readOnly={readOnly}
      />,
    );
  }

  const headers = [];
  for (let c = c0; c <= c1 && nCols > 0; c++) {
    headers.push(
      <HeaderCell
        key={c}
        col={columns[c]!}
        model={model}
        selected={c >= range.left && c <= range.right && range.top === 0 && range.bottom === nRows - 1}
        onResize={commands.resizeColumn}
      />,
    );
  }

  return (
    <div
      ref={scroller}
      className="grid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={nRows + 1}
      aria-colcount={nCols + 2}
      aria-multiselectable="true"
      aria-activedescendant={activeId}
      aria-readonly={readOnly || undefined}
      tabIndex={0}
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        const left = e.currentTarget.scrollLeft;
        // The cell being edited scrolled out of the rendered window: keep what was typed.
        const ed = editRef.current;
        if (ed) {
          const w = windowOf(top, left, nRows, bodyH, bodyW, colLeft);
          if (ed.row < w.r0 || ed.row > w.r1 || ed.col < w.c0 || ed.col > w.c1) {
            finishEdit(true, editorValue.current, e.timeStamp);
          }
        }
        setScroll({ top, left });
      }}
      onKeyDown={onKeyDown}
      onMouseDown={onMouseDown}
      onMouseMove={onMouseMove}
      onMouseUp={() => (dragging.current = false)}
      onDoubleClick={onDoubleClick}
      onCopy={onCopy}
      onCut={onCut}
      onPaste={onPaste}
    >
      <div className="canvas" style={{ height: HEADER_H + canvasRowsH, width: FROZEN_W + totalW }}>
        <div
          className="head"
          role="row"
          aria-rowindex={1}
          style={{ height: HEADER_H, width: FROZEN_W + totalW }}
        >
          <div role="columnheader" aria-colindex={1} className="rownum corner" style={{ width: rownumW }}>
            Row
          </div>
          <div
            role="columnheader"
            aria-colindex={2}
            className="status corner"
            style={{ width: STATUS_W, left: rownumW }}
          >
            Status
          </div>
          {colLeft[c0]! > 0 && <div className="pad" style={{ width: colLeft[c0] }} />}
          {headers}
        </div>
        <div style={{ height: topPad }} aria-hidden="true" />
        {rows}
        {tip}
      </div>
      {nRows === 0 && <div className="grid-empty">No rows match this filter.</div>}
    </div>
  );
}
