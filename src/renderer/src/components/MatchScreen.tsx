/**
 * The match step, between the columns and the rows: every distinct name the reference columns hold,
 * once per scope, with what it is in the account. Values that match need nothing; where none or
 * several fit, a searchable list of the account's entities. A choice puts the chosen entity in
 * every cell with that value (one undoable edit) and is remembered for this account.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { accountNames, type ReferenceField } from '../../../shared/account/resolve';
import type { Session } from '../session';
import { entityWhere, filterOptions, matchOptions, type MatchGroup, type MatchOption } from '../model/match';
import { count, plural } from '../model/format';

const FIELD_LABEL: Record<ReferenceField, string> = {
  organization_id: 'Organization',
  brand_id: 'Brand',
  campaign_id: 'Campaign',
  toll_free_verification_id: 'Toll-free verification',
  phone_number_ids: 'Phone numbers',
  phone_number_id: 'Phone number',
  contact_list_ids: 'Contact lists',
  suppression_list_ids: 'Suppression lists',
  media_ids: 'Media',
  link_tracking_domain_id: 'Tracking domain',
};

const KIND_MANY: Record<ReferenceField, string> = {
  organization_id: 'organizations',
  brand_id: 'brands',
  campaign_id: 'campaigns',
  toll_free_verification_id: 'toll-free verifications',
  phone_number_ids: 'numbers',
  phone_number_id: 'numbers',
  contact_list_ids: 'contact lists',
  suppression_list_ids: 'contact lists',
  media_ids: 'media files',
  link_tracking_domain_id: 'tracking domains',
};

/** Groups shown with a picker at most (the rest are fixed in the grid); matched values listed at most. */
const MAX_DECISIONS = 50;
const MAX_MATCHED = 300;
/** Options listed at once in a picker (the search narrows them). */
const MAX_OPTIONS = 60;

export function MatchScreen({ session, onSettings }: { session: Session; onSettings: () => void }) {
  const step = session.matchStep;
  const model = session.model;
  const snapshot = session.account.snapshot;
  const groups = step?.step === 'ready' ? session.matchGroups() : [];
  const decide = groups.filter((g) => g.status === 'decide');
  const matched = groups.filter((g) => g.status === 'matched');
  const chosen = step?.step === 'ready' ? session.activeMatches() : [];
  const rows = model?.order.length ?? 0;
  const header = (field: ReferenceField) => {
    const c = session.mapping.columns.indexOf(field);
    const h = c >= 0 ? model?.headers[c]?.trim() : '';
    return h && h !== FIELD_LABEL[field] ? `${h} (${FIELD_LABEL[field]})` : FIELD_LABEL[field];
  };

  return (
    <div className="match-screen">
      <div className="page-head">
        <div>
          <h1>Match values</h1>
          <p className="muted">
            {session.fileName}: each name in the reference columns, once, with what it is in the account. A
            choice applies to every row with that value, and is remembered for this account.
          </p>
        </div>
        <div className="row-buttons">
          <button type="button" onClick={() => session.showColumns()}>
            ← Columns
          </button>
          <button type="button" className="primary big" onClick={() => session.continueToRows()}>
            {`Review ${plural(rows, 'row')} →`}
          </button>
        </div>
      </div>

      {step?.step === 'loading' && (
        <div className="match-loading" role="status" aria-live="polite">
          <div className="spinner" aria-hidden="true" />
          <p>Loading the account’s names…</p>
        </div>
      )}

      {step?.step === 'unavailable' && (
        <div className="banner warning" role="alert">
          <p>
            <strong>The account’s names could not be loaded.</strong> {step.error}
          </p>
          <p>
            You can go on to the rows: names are resolved when you check them with the account or create the
            projects.
          </p>
          <div className="row-buttons">
            <button type="button" onClick={onSettings}>
              Open settings
            </button>
            <button type="button" onClick={() => void session.retryMatch()}>
              Try again
            </button>
          </div>
        </div>
      )}

      {step?.step === 'ready' && snapshot && (
        <>
          <p className="match-summary" role="status">
            {decide.length > 0
              ? `${plural(decide.length, 'value')} to decide · ${plural(matched.length, 'value')} matched`
              : groups.length > 0
                ? `Every value matches: ${plural(matched.length, 'value')} matched.`
                : 'No names to match: the reference columns hold ids only.'}
          </p>

          {decide.length > 0 && (
            <section className="card match-section" aria-labelledby="match-decide">
              <h2 id="match-decide">Needs a decision</h2>
              <ul className="match-decisions">
                {decide.slice(0, MAX_DECISIONS).map((g) => (
                  <Decision
                    key={g.key}
                    group={g}
                    header={header(g.field)}
                    options={matchOptions(accountNames(snapshot), g)}
                    onPick={(o) => session.applyMatch(g, o)}
                  />
                ))}
              </ul>
              {decide.length > MAX_DECISIONS && (
                <p className="muted">
                  And {count(decide.length - MAX_DECISIONS)} more: fix them in the grid, where each is shown
                  on its row.
                </p>
              )}
            </section>
          )}

          {chosen.length > 0 && (
            <section className="card match-section" aria-labelledby="match-chosen">
              <h2 id="match-chosen">Your choices</h2>
              <ul className="match-chosen">
                {chosen.map(({ match: m, index: i }) => (
                  <li key={`${m.field}-${m.scopeKey}-${m.text}-${i}`}>
                    <span className="match-field">{header(m.field)}</span>
                    <span className="match-typed">“{m.text}”</span>
                    <span aria-hidden="true">→</span>
                    <span className="match-entity">
                      {m.name} <code>{m.id}</code>
                    </span>
                    <span className="muted small">{plural(m.cells.length, 'cell')}</span>
                    {m.remembered && <span className="pill ok">remembered</span>}
                    <button
                      type="button"
                      onClick={() => session.undoMatch(i)}
                      aria-label={`Undo the match of “${m.text}”`}
                    >
                      Undo
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}

          {matched.length > 0 && (
            <details className="card match-section match-matched">
              <summary>
                <strong>{plural(matched.length, 'value')} matched</strong>
                <span className="muted"> — each names exactly one entity where its rows use it</span>
              </summary>
              <table className="match-table">
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">In the sheet</th>
                    <th scope="col">In the account</th>
                    <th scope="col">Where</th>
                    <th scope="col">Rows</th>
                  </tr>
                </thead>
                <tbody>
                  {matched.slice(0, MAX_MATCHED).map((g) => (
                    <tr key={g.key}>
                      <td>{header(g.field)}</td>
                      <td>{g.text}</td>
                      <td>
                        {g.resolution.label}{' '}
                        <code>{g.resolution.kind === 'name' ? g.resolution.id : ''}</code>
                      </td>
                      <td>
                        {g.resolution.kind === 'name'
                          ? entityWhere(accountNames(snapshot), g.kind, g.resolution.id) || g.where
                          : g.where}
                      </td>
                      <td className="num">{count(g.rows.length)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {matched.length > MAX_MATCHED && (
                <p className="muted">And {count(matched.length - MAX_MATCHED)} more.</p>
              )}
            </details>
          )}
        </>
      )}
    </div>
  );
}

function Decision({
  group,
  header,
  options,
  onPick,
}: {
  group: MatchGroup;
  header: string;
  options: MatchOption[];
  onPick: (o: MatchOption) => void;
}) {
  const r = group.resolution;
  const best = r.kind === 'not_found' ? options.find((o) => o.suggested) : undefined;
  const why =
    r.kind === 'ambiguous'
      ? `${r.candidates.length} ${KIND_MANY[group.field]} of ${group.where} have this name: pick the one you mean.`
      : r.kind === 'not_found'
        ? `Nothing of ${group.where} has this name.`
        : r.kind === 'unavailable'
          ? r.message
          : '';
  return (
    <li className="match-decision" aria-label={`${header}: “${group.text}”`}>
      <div className="match-decision-head">
        <span className="match-field">{header}</span>
        <span className="match-typed">“{group.text}”</span>
        <span className="muted small">
          {plural(group.rows.length, 'row')} · {group.where}
        </span>
      </div>
      <p className="muted small">{why}</p>
      {best && (
        <div className="row-buttons">
          <button type="button" className="primary" onClick={() => onPick(best)}>
            Use {best.name}
          </button>
          <span className="muted small">
            <code>{best.id}</code> · {best.where}
          </span>
        </div>
      )}
      {r.kind !== 'unavailable' && (
        <Picker label={`Choose for “${group.text}”`} options={options} onPick={onPick} />
      )}
    </li>
  );
}

/** A searchable list of entities: type to narrow it, arrows to move, Enter (or a click) to pick. */
function Picker({
  label,
  options,
  onPick,
}: {
  label: string;
  options: MatchOption[];
  onPick: (o: MatchOption) => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const shown = useMemo(() => filterOptions(options, query).slice(0, MAX_OPTIONS), [options, query]);
  const at = Math.min(active, Math.max(0, shown.length - 1));
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(at + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(at - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const o = shown[at];
      if (o) onPick(o);
    }
  };
  return (
    <div className="match-picker">
      <input
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={shown[at] ? `${id}-${at}` : undefined}
        aria-label={label}
        placeholder="Search by name or id"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
      />
      <ul id={`${id}-list`} role="listbox" aria-label={label} className="match-options">
        {shown.length === 0 && <li className="muted small">Nothing in this scope fits “{query}”.</li>}
        {shown.map((o, i) => (
          <li
            key={o.id}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === at}
            className={i === at ? 'active' : undefined}
            onMouseEnter={() => setActive(i)}
            onClick={() => onPick(o)}
          >
            <span className="match-option-name">{o.name}</span>
            {o.suggested && <span className="pill changed">suggested</span>}
            <code>{o.id}</code>
            <span className="muted small">{o.where}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
