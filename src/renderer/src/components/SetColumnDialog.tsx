/**
 * Set a whole column: one value for every row, or only for the selected rows. A field with no
 * column yet gets one (headed with the field's name, mapped to it); with the account's data at hand
 * the value is picked from the account's entities, enum and yes/no fields offer their values, any
 * other field takes what is typed. One undoable step either way.
 */
import { useMemo, useState } from 'react';
import {
  accountNames,
  isReferenceField,
  REFERENCE_FIELDS,
  REFERENCE_LIST_FIELDS,
  type Choice,
} from '../../../shared/account/resolve';
import type { AccountSnapshot } from '../../../shared/account/snapshot';
import { FIELDS, FIELD_BY_NAME, type FieldName } from '../../../shared/schema/fields';
import { fieldIndex } from '../model/fields';
import { headerFor } from '../model/headers';
import { count, plural } from '../model/format';
import type { CellChange, SheetModel } from '../model/sheet';
import { Dialog } from './Dialog';

/** The values an enum or yes/no field takes. */
const VALUES: Partial<Record<FieldName, string[]>> = {
  protocol: ['sms', 'mms'],
  channel: ['10dlc', 'toll-free'],
};
const YES_NO = ['yes', 'no'];

function valuesOf(field: FieldName): string[] | null {
  const spec = FIELD_BY_NAME.get(field);
  if (spec?.kind === 'boolean') return YES_NO;
  return VALUES[field] ?? null;
}

export function SetColumnDialog(props: {
  model: SheetModel;
  snapshot: AccountSnapshot | null;
  /** Rows selected now (physical indexes), in sheet order. */
  selectedRows: number[];
  /** The field to start with (the selected cell's column's), if any. */
  initialField: FieldName | null;
  /** Change cells as one undoable step (the grid's edit path); returns how many changed. */
  onSetCells(changes: CellChange[], label: string): number;
  /** What was done; `undoable` when it made a step of the history. */
  onDone(text: string, undoable: boolean): void;
  onClose(): void;
}) {
  const { model, snapshot, selectedRows } = props;
  const columnOf = (f: FieldName) => model.fieldColumn[fieldIndex(f)]!;
  const firstFree = FIELDS.find((f) => columnOf(f.name) === -1)?.name ?? FIELDS[0]!.name;
  const [field, setField] = useState<FieldName>(props.initialField ?? firstFree);
  const [scope, setScope] = useState<'all' | 'selected'>(selectedRows.length > 1 ? 'selected' : 'all');
  const [typed, setTyped] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [search, setSearch] = useState('');

  const names = useMemo(() => (snapshot ? accountNames(snapshot) : null), [snapshot]);
  const col = columnOf(field);
  const header = col === -1 ? headerFor(field) : model.headers[col] || field;
  const choices: Choice[] = useMemo(
    () => (names && isReferenceField(field) ? names.choices(REFERENCE_FIELDS[field]) : []),
    [names, field],
  );
  const multiple = (REFERENCE_LIST_FIELDS as readonly string[]).includes(field);
  const fixed = valuesOf(field);
  const q = search.trim().toLowerCase();
  const shown = choices.filter(
    (c) => q === '' || `${c.value} ${c.id} ${c.where}`.toLowerCase().includes(q) || picked.includes(c.value),
  );

  const value = choices.length > 0 ? picked.join(', ') : typed.trim();
  const rows = (scope === 'all' ? [...model.order] : selectedRows).filter((r) => model.isAlive(r));
  const open = rows.filter((r) => !model.isLocked(r)).length;
  // An empty value clears an existing column; from the account's list, something must be picked.
  const canApply = open > 0 && (value !== '' || (col !== -1 && choices.length === 0));

  const apply = () => {
    if (!canApply) return;
    if (col === -1) {
      const n = model.addColumn(
        header,
        field,
        rows.map((row) => ({ row, value })),
        `Add ${header} column`,
      );
      if (n >= 0) props.onDone(`Column ${header} added, set in ${plural(n, 'row')}.`, true);
    } else {
      const changes = rows.map((row) => ({ row, col, value }));
      const n = props.onSetCells(changes, `Set ${header}`);
      const done = value === '' ? 'cleared' : 'set';
      props.onDone(
        n > 0 ? `${header} ${done} in ${plural(n, 'row')}.` : `${header} already had that value.`,
        n > 0,
      );
    }
    props.onClose();
  };

  const changeField = (f: FieldName) => {
    setField(f);
    setTyped('');
    setPicked([]);
    setSearch('');
  };

  return (
    <Dialog
      title="Set a column"
      onClose={props.onClose}
      testId="set-column"
      footer={
        <>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={!canApply} onClick={apply}>
            {col === -1
              ? `Add column for ${plural(open, 'row')}`
              : value === ''
                ? `Clear ${plural(open, 'row')}`
                : `Set ${plural(open, 'row')}`}
          </button>
        </>
      }
    >
      <form
        className="set-column-form"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label className="field">
          Field
          <select value={field} onChange={(e) => changeField(e.target.value as FieldName)} data-autofocus>
            {FIELDS.map((f) => {
              const c = columnOf(f.name);
              return (
                <option key={f.name} value={f.name}>
                  {c === -1
                    ? `${headerFor(f.name)} — no column yet`
                    : `${f.label} — column “${model.headers[c] || f.name}”`}
                </option>
              );
            })}
          </select>
        </label>
        <p className="small muted">
          {col === -1
            ? `A column “${header}” is added to the sheet, kept when you save it.`
            : `Every chosen row of column “${header}” gets this value.`}{' '}
          {FIELD_BY_NAME.get(field)?.help}
        </p>

        <fieldset className="rows-choice">
          <legend className="small muted">Rows</legend>
          <label className="check">
            <input type="radio" checked={scope === 'all'} onChange={() => setScope('all')} /> Every row (
            {count(model.order.length)})
          </label>
          <label className="check">
            <input type="radio" checked={scope === 'selected'} onChange={() => setScope('selected')} />{' '}
            Selected rows ({count(selectedRows.length)})
          </label>
        </fieldset>

        {choices.length > 0 ? (
          <>
            <label className="field">
              Search the account
              <input
                type="search"
                value={search}
                placeholder="Name or id"
                onChange={(e) => setSearch(e.target.value)}
              />
            </label>
            <label className="field">
              {multiple ? 'Values (pick one or more)' : 'Value'}
              <select
                multiple={multiple}
                size={8}
                value={multiple ? picked : (picked[0] ?? '')}
                onChange={(e) => setPicked([...e.target.selectedOptions].map((o) => o.value))}
              >
                {shown.map((c) => (
                  <option key={`${c.id}`} value={c.value}>
                    {c.value} — {c.where} ({c.id})
                  </option>
                ))}
              </select>
            </label>
            {shown.length === 0 && <p className="small muted">Nothing in the account matches “{search}”.</p>}
          </>
        ) : fixed ? (
          <label className="field">
            Value
            <select value={typed} onChange={(e) => setTyped(e.target.value)}>
              <option value="">{col === -1 ? 'Choose…' : '(empty)'}</option>
              {fixed.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label className="field">
            Value
            <input
              type="text"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder={
                isReferenceField(field) ? 'A name or an id (check with the account to pick from a list)' : ''
              }
            />
          </label>
        )}
        {open < rows.length && (
          <p className="small muted">
            {plural(rows.length - open, 'row')} already created or being sent{' '}
            {rows.length - open === 1 ? 'stays as it is' : 'stay as they are'}.
          </p>
        )}
      </form>
    </Dialog>
  );
}
