/**
 * Find and replace: every match in the sheet is counted as you type; Enter goes to the next one,
 * Shift+Enter to the previous one; replace one cell or all of them as one undoable step.
 */
import { useEffect, useRef, useState } from 'react';
import { replaceChanges, type FindOptions } from '../model/find';
import { count, plural } from '../model/format';
import type { CellChange, SheetModel } from '../model/sheet';
import { viewIndexOf } from '../model/selection';

export function FindBar(props: {
  model: SheetModel;
  view: Int32Array;
  active: { phys: number; col: number } | null;
  readOnly: boolean;
  onGoto(phys: number, col: number): void;
  onApply(changes: CellChange[], label: string): void;
  onClose(): void;
  /** Every matching cell (row * columns + column), ascending; searched by the sheet worker. */
  find(query: string, options: FindOptions): Promise<Int32Array>;
  focusToken: number;
}) {
  const { model, view, active } = props;
  const [query, setQuery] = useState('');
  const [replacement, setReplacement] = useState('');
  const [matchCase, setMatchCase] = useState(false);
  const [wholeCell, setWholeCell] = useState(false);
  const [inColumn, setInColumn] = useState(false);
  const [found, setFound] = useState<{ key: string; matches: number[] }>({ key: '', matches: [] });
  const input = useRef<HTMLInputElement>(null);
  const column = inColumn && active ? active.col : null;
  const opts: FindOptions = { matchCase, wholeCell, column };
  const searchKey = JSON.stringify([query, matchCase, wholeCell, column, model.version]);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [props.focusToken]);

  const { find } = props;
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      if (query === '') return setFound({ key: searchKey, matches: [] });
      find(query, { matchCase, wholeCell, column }).then(
        (keys) => live && setFound({ key: searchKey, matches: Array.from(keys) }),
        () => {},
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [searchKey, find, query, matchCase, wholeCell, column]);

  const matches = found.key === searchKey ? found.matches : null;
  const nCols = model.nCols;
  const activeKey = active ? active.phys * nCols + active.col : -1;
  const visible = (key: number) => viewIndexOf(view, Math.floor(key / nCols)) !== -1;
  const position = matches ? matches.indexOf(activeKey) : -1;

  const go = (backwards: boolean) => {
    if (!matches || matches.length === 0) return;
    const list = matches;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! <= activeKey) lo = mid + 1;
      else hi = mid;
    }
    // lo: first match after the active cell.
    const n = list.length;
    for (let k = 0; k < n; k++) {
      const i = backwards ? ((((position === -1 ? lo - 1 : position - 1) - k) % n) + n) % n : (lo + k) % n;
      const key = list[i]!;
      if (!visible(key)) continue;
      const phys = Math.floor(key / nCols);
      props.onGoto(phys, key - phys * nCols);
      return;
    }
  };

  const replaceOne = () => {
    if (!matches || position === -1) return go(false);
    props.onApply(replaceChanges(model, [activeKey], query, replacement, opts), 'Replace');
    go(false);
  };

  const replaceAll = () => {
    if (!matches || matches.length === 0) return;
    props.onApply(replaceChanges(model, matches, query, replacement, opts), 'Replace all');
  };

  return (
    <div className="findbar" role="search" aria-label="Find and replace">
      <input
        ref={input}
        type="search"
        aria-label="Find"
        placeholder="Find"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go(e.shiftKey);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            props.onClose();
          }
        }}
      />
      <span className="find-count muted" role="status">
        {query === ''
          ? ''
          : matches === null
            ? 'Searching…'
            : matches.length === 0
              ? 'No matches'
              : position >= 0
                ? `${count(position + 1)} of ${count(matches.length)}`
                : plural(matches.length, 'match', 'matches')}
      </span>
      <button type="button" onClick={() => go(true)} disabled={!matches?.length} aria-label="Previous match">
        ↑
      </button>
      <button type="button" onClick={() => go(false)} disabled={!matches?.length} aria-label="Next match">
        ↓
      </button>
      <input
        type="text"
        aria-label="Replace with"
        placeholder="Replace with"
        value={replacement}
        disabled={props.readOnly}
        onChange={(e) => setReplacement(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            replaceOne();
          } else if (e.key === 'Escape') props.onClose();
        }}
      />
      <button type="button" onClick={replaceOne} disabled={props.readOnly || !matches?.length}>
        Replace
      </button>
      <button type="button" onClick={replaceAll} disabled={props.readOnly || !matches?.length}>
        Replace all
      </button>
      <label className="check">
        <input type="checkbox" checked={matchCase} onChange={(e) => setMatchCase(e.target.checked)} /> Match
        case
      </label>
      <label className="check">
        <input type="checkbox" checked={wholeCell} onChange={(e) => setWholeCell(e.target.checked)} /> Whole
        cell
      </label>
      <label className="check">
        <input type="checkbox" checked={inColumn} onChange={(e) => setInColumn(e.target.checked)} /> This
        column only
      </label>
      <button type="button" className="icon-button" aria-label="Close find" onClick={props.onClose}>
        ×
      </button>
    </div>
  );
}
