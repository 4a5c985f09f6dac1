/**
 * The list that opens under a cell being edited when its field offers values (see model/picker.ts):
 * the account's entities for a reference cell, the values of an enum or yes/no cell.
 *
 * An aid, never in the way: the cell's text box keeps the focus and takes any text, exactly as
 * without the list. Nothing in the list is active until the user moves into it (↓ when editing,
 * Alt+↓ while typing over a cell, where the arrows still move to the next cell); then ↑↓ move, Enter
 * picks (or, in a list cell, adds or removes and stays open), Tab picks and moves on, Esc cancels.
 * Clicking an option picks it (toggles it in a list cell; "Done" finishes).
 *
 * ARIA: the text box and the list form a combobox (the 1.1 pattern, so the box stays a text box);
 * the active option is the box's active descendant.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  filterOptions,
  finalText,
  splitTyped,
  toggleValue,
  type Picker,
  type PickerOption,
} from '../model/picker';

/** Options put in the page at once; more are reached by typing. */
const SHOWN = 300;
const POPUP_W = 460;

export interface PickerHooks {
  /** Handles a key the list acts on; false lets the editor handle it as it always has. */
  onKey(e: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** The value to commit for this text (a list cell drops the ", " the list added last). */
  commitValue(text: string): string;
  /** The user typed: the list filters by it. */
  onInput(): void;
  /** Attributes for the text box. */
  inputProps: Record<string, string | undefined>;
  /** Wraps the text box: the combobox and its list. */
  wrap(input: ReactNode): ReactNode;
}

interface Args {
  /** None: the editor is a plain text box. */
  picker: Picker | null;
  value: string;
  /** Editing started by typing over the cell (arrows then move to the next cell). */
  typingStart: boolean;
  /** Replace the text box's text (a list cell's toggles); `committed`: what it commits as. */
  setText(text: string, committed: string): void;
  /** Let the editor handle this key with this value (Enter/Tab commit and move as always). */
  passKey(e: KeyboardEvent<HTMLTextAreaElement>, value: string): void;
  /** Commit this value and stay on the cell. */
  commit(value: string): void;
}

const EMPTY: Picker = {
  field: 'name',
  multi: false,
  title: '',
  options: [],
  empty: '',
  holds: () => ({ keys: new Set(), others: [] }),
};

/** The list's hooks for the cell editor, or null when the cell offers no list. */
export function useCellPicker(args: Args): PickerHooks | null {
  const { value } = args;
  const picker = args.picker ?? EMPTY;
  const id = useId();
  const listId = `${id}-list`;
  const [typing, setTyping] = useState(args.typingStart);
  const [active, setActive] = useState(-1);
  const [listText, setListText] = useState<string | null>(null);
  const { prefix, query } = picker.multi
    ? splitTyped(value, typing)
    : { prefix: value, query: typing ? value.trim() : '' };
  const filtered = useMemo(() => filterOptions(picker.options, query), [picker, query]);
  const held = useMemo(() => picker.holds(prefix), [picker, prefix]);
  const activeOption = active >= 0 ? filtered[active] : undefined;
  const optionId = (o: PickerOption) => `${id}-o-${picker.options.indexOf(o)}`;

  const commitValue = (text: string) =>
    picker.multi && listText !== null && text === listText ? finalText(text) : text;

  const toggle = (o: PickerOption) => {
    const next = toggleValue(picker, value, typing, o);
    setTyping(false);
    setListText(next);
    args.setText(next, finalText(next));
    // The list shows everything again: stay on the option just toggled.
    setActive((a) => (a >= 0 ? picker.options.indexOf(o) : -1));
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    const plain = !e.ctrlKey && !e.metaKey && !e.shiftKey;
    const n = Math.min(filtered.length, SHOWN);
    if (e.key === 'ArrowDown' && plain && (active >= 0 || !args.typingStart || e.altKey)) {
      e.preventDefault();
      if (n > 0) setActive((a) => Math.min(a + 1, n - 1));
      return true;
    }
    if (e.key === 'ArrowUp' && plain && active >= 0) {
      e.preventDefault();
      setActive((a) => a - 1);
      return true;
    }
    if ((e.key === 'PageDown' || e.key === 'PageUp') && active >= 0) {
      e.preventDefault();
      const d = e.key === 'PageDown' ? 8 : -8;
      setActive((a) => Math.max(0, Math.min(n - 1, a + d)));
      return true;
    }
    if (e.key === 'Enter' && !e.altKey && plain && activeOption) {
      e.preventDefault();
      if (picker.multi) toggle(activeOption);
      else args.passKey(e, activeOption.value);
      return true;
    }
    if (e.key === 'Tab' && activeOption && !picker.multi) {
      args.passKey(e, activeOption.value);
      return true;
    }
    return false;
  };

  if (!args.picker) return null;
  return {
    onKey,
    commitValue,
    onInput() {
      setTyping(true);
      setListText(null);
      setActive(-1);
    },
    inputProps: {
      'aria-autocomplete': 'list',
      'aria-controls': listId,
      'aria-activedescendant': activeOption ? optionId(activeOption) : undefined,
    },
    wrap: (input) => (
      <div
        className="cell-combo"
        role="combobox"
        aria-expanded="true"
        aria-haspopup="listbox"
        aria-label={`${picker.title}: ${picker.multi ? 'choose any' : 'choose one'} or type`}
      >
        {input}
        <PickerPopup
          picker={picker}
          listId={listId}
          filtered={filtered}
          held={held}
          activeKey={activeOption?.key ?? null}
          optionId={optionId}
          query={query}
          onPick={(o) => (picker.multi ? toggle(o) : args.commit(o.value))}
          onDone={() => args.commit(commitValue(value))}
          watch={value}
        />
      </div>
    ),
  };
}

interface Place {
  left: number;
  width: number;
  maxH: number;
  top?: number;
  bottom?: number;
}

function samePlace(a: Place, b: Place): boolean {
  return (
    a.left === b.left && a.width === b.width && a.maxH === b.maxH && a.top === b.top && a.bottom === b.bottom
  );
}

/** Where the list goes, in window coordinates: under the text box, or above it when more room is there. */
function placeOf(anchor: Element, grid: Element, count: number): Place {
  const g = grid.getBoundingClientRect();
  const a = anchor.getBoundingClientRect();
  const head = grid.querySelector('.head')?.getBoundingClientRect().bottom ?? g.top;
  const below = Math.min(g.bottom, window.innerHeight) - a.bottom - 8;
  const above = a.top - Math.max(head, 0) - 8;
  const wanted = Math.min(360, 110 + Math.min(count, 8) * 38);
  const up = below < wanted && above > below;
  const width = Math.round(Math.max(Math.min(POPUP_W, g.width - 24), Math.min(a.width, g.width - 24, 560)));
  const left = Math.round(Math.max(g.left + 4, Math.min(a.left, g.right - 12 - width)));
  const maxH = Math.round(Math.max(120, Math.min(360, up ? above : below)));
  return up
    ? { left, width, maxH, bottom: Math.round(window.innerHeight - a.top + 2) }
    : { left, width, maxH, top: Math.round(a.bottom + 2) };
}

function PickerPopup(p: {
  picker: Picker;
  listId: string;
  filtered: PickerOption[];
  held: { keys: Set<string>; others: string[] };
  activeKey: string | null;
  optionId(o: PickerOption): string;
  query: string;
  onPick(o: PickerOption): void;
  onDone(): void;
  /** Re-measured when this changes (the text box grows with its text). */
  watch: string;
}) {
  const { picker, filtered, held } = p;
  const ref = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<Place | null>(null);

  // Fixed under the cell when it fits (else above it), inside the grid's visible part: the grid's
  // canvas clips what overflows it, a fixed box is not clipped.
  useLayoutEffect(() => {
    const el = ref.current;
    const anchor = el?.parentElement;
    const grid = el?.closest('.grid');
    if (!el || !anchor || !grid) return;
    const measure = () => {
      const next = placeOf(anchor, grid, filtered.length);
      setPlace((prev) => (prev && samePlace(prev, next) ? prev : next));
    };
    measure();
    // The text box grows with its text (and settles its height after this runs).
    const ro = new ResizeObserver(measure);
    ro.observe(anchor);
    grid.addEventListener('scroll', measure, { passive: true });
    window.addEventListener('resize', measure);
    return () => {
      ro.disconnect();
      grid.removeEventListener('scroll', measure);
      window.removeEventListener('resize', measure);
    };
  }, [p.watch, filtered.length]);

  // The active option, or at first the one the cell holds, in view.
  const firstHeld = useRef(true);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const target =
      p.activeKey !== null
        ? list.querySelector<HTMLElement>('[role="option"].active')
        : firstHeld.current
          ? list.querySelector<HTMLElement>('[role="option"][aria-selected="true"]')
          : null;
    firstHeld.current = false;
    if (target) {
      const top = target.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
      const bottom = top + target.offsetHeight;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
    }
  }, [p.activeKey]);

  const shown = filtered.slice(0, SHOWN);
  const body: ReactNode[] = [];
  let group: string | undefined;
  let groupItems: ReactNode[] = [];
  const flush = () => {
    if (groupItems.length === 0) return;
    if (group === undefined) body.push(...groupItems);
    else {
      const gid = `${p.listId}-g-${body.length}`;
      body.push(
        <div key={gid} role="group" aria-labelledby={gid}>
          <div id={gid} role="presentation" className="picker-group">
            {group}
          </div>
          {groupItems}
        </div>,
      );
    }
    groupItems = [];
  };
  for (const o of shown) {
    if (o.group !== group) {
      flush();
      group = o.group;
    }
    const selected = held.keys.has(o.key);
    const isActive = o.key === p.activeKey;
    groupItems.push(
      <div
        key={o.key}
        id={p.optionId(o)}
        role="option"
        aria-selected={selected}
        className={`picker-option${isActive ? ' active' : ''}${selected ? ' held' : ''}`}
        onClick={() => p.onPick(o)}
      >
        <span className={picker.multi ? 'picker-check' : 'picker-mark'} aria-hidden="true">
          {selected ? '✓' : ''}
        </span>
        <span className="picker-text">
          <span className="picker-label">{o.label}</span>
          {(o.id || o.detail) && (
            <span className="picker-meta">
              {o.detail && <span>{o.detail}</span>}
              {o.id && <code>{o.id}</code>}
            </span>
          )}
        </span>
      </div>,
    );
  }
  flush();

  const hint = picker.multi
    ? 'Enter adds or removes · Tab or Done to finish'
    : p.activeKey !== null
      ? 'Enter picks · Esc cancels'
      : '↓ to choose · Enter keeps what you typed · Esc cancels';

  return (
    <div
      ref={ref}
      className="cell-picker"
      style={
        place
          ? {
              left: place.left,
              width: place.width,
              ...(place.top !== undefined ? { top: place.top } : { bottom: place.bottom }),
            }
          : { visibility: 'hidden' }
      }
      title=""
      // The text box keeps the focus (and its text) while the list is used with the mouse.
      onMouseDown={(e) => e.preventDefault()}
    >
      <div className="picker-title">{picker.title}</div>
      {picker.multi && held.others.length > 0 && (
        <div className="picker-note">
          Also in the cell, not in this list: {held.others.map((t) => `“${t}”`).join(', ')}
        </div>
      )}
      <div
        ref={listRef}
        id={p.listId}
        role="listbox"
        aria-label={picker.title}
        aria-multiselectable={picker.multi || undefined}
        className="picker-list"
        style={{ maxHeight: (place?.maxH ?? 260) - 64 }}
      >
        {body}
      </div>
      {shown.length === 0 && (
        <div className="picker-empty">
          {picker.options.length === 0 ? picker.empty : `Nothing here matches “${p.query}”.`}
        </div>
      )}
      {filtered.length > SHOWN && (
        <div className="picker-note">{filtered.length - SHOWN} more: type to narrow the list.</div>
      )}
      <div className="picker-foot">
        <span className="picker-hint">{hint}</span>
        {picker.multi && (
          <button type="button" className="picker-done" onClick={p.onDone}>
            Done
          </button>
        )}
      </div>
    </div>
  );
}
