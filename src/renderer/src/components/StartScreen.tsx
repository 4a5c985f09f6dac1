/**
 * The first screen: open a spreadsheet (button, drag-and-drop, recent files), try the example,
 * get the template, or pick up a run an earlier session left unfinished.
 */
import type { CallOutput } from '../../../shared/bridge';
import type { SettingsView } from '../App';
import { count } from '../model/format';

type Recent = CallOutput<'listRecentFiles'>;
type Unfinished = CallOutput<'listUnfinishedRuns'>;

function ago(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (s < 90) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} minutes ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} hours ago`;
  return new Date(t).toLocaleDateString();
}

export function StartScreen(props: {
  settings: SettingsView | null;
  recent: Recent;
  unfinished: Unfinished;
  onOpen(): void;
  /** Open a recent file by its id. */
  onOpenRecent(id: string): void;
  onExample(format: 'csv' | 'xlsx'): void;
  onTemplate(format: 'csv' | 'xlsx'): void;
  /** The Excel template with the account's names on a Lookup sheet and dropdowns over them. */
  onAccountTemplate(): void;
  accountTemplateBusy: boolean;
  onResume(runId: string): void;
  onDiscard(runId: string, fileName: string): void;
  onSettings(): void;
}) {
  const s = props.settings;
  const needsKey = s && s.environment !== 'sandbox' && !s.hasApiKey;
  return (
    <div className="start">
      <section className="start-main">
        <h1>Create broadcast projects from a spreadsheet</h1>
        <p className="lead">
          One row per project. Every row is checked before anything is sent; you fix problems right in the
          grid, then create the projects in one go.
        </p>

        {props.unfinished.length > 0 && (
          <div className="card unfinished" role="region" aria-label="Unfinished runs">
            <h2>Unfinished run{props.unfinished.length > 1 ? 's' : ''}</h2>
            {props.unfinished.map((u) => (
              <div key={u.runId} className="unfinished-row">
                <div>
                  <strong>{u.fileName}</strong>
                  <div className="muted">
                    {count(u.done)} of {count(u.total)} rows done ({count(u.created)} created
                    {u.failed ? `, ${count(u.failed)} not created` : ''}) — started {ago(u.startedAt)}
                  </div>
                </div>
                <div className="row-buttons">
                  <button type="button" className="primary" onClick={() => props.onResume(u.runId)}>
                    Resume
                  </button>
                  <button type="button" onClick={() => props.onDiscard(u.runId, u.fileName)}>
                    Discard
                  </button>
                </div>
              </div>
            ))}
          </div>
        )}

        <div className="dropzone" onClick={props.onOpen} role="presentation">
          <div className="dropzone-icon" aria-hidden="true">
            ⇪
          </div>
          <p className="dropzone-title">Drop a CSV or Excel file here</p>
          <p className="muted">CSV, XLSX, XLS or ODS — up to a million rows</p>
          <button
            type="button"
            className="primary big"
            onClick={(e) => {
              e.stopPropagation();
              props.onOpen();
            }}
          >
            Open a spreadsheet…
          </button>
        </div>

        {needsKey && (
          <p className="notice">
            No API key is set for {s.environment === 'production' ? 'Production' : 'your server'}: you can
            open and check files, but creating projects needs a key.{' '}
            <button type="button" className="link" onClick={props.onSettings}>
              Open settings
            </button>
          </p>
        )}
      </section>

      <aside className="start-side">
        <div className="card">
          <h2>Try the example</h2>
          <p className="muted">
            Twenty projects for the Sandbox account, with a few mistakes to find and fix. Nothing is sent
            anywhere in Sandbox mode.
          </p>
          <div className="row-buttons">
            <button type="button" className="primary" onClick={() => props.onExample('xlsx')}>
              Open example
            </button>
            <button type="button" onClick={() => props.onExample('csv')}>
              Example as CSV
            </button>
          </div>
        </div>

        <div className="card">
          <h2>Start from the template</h2>
          <p className="muted">Every column the importer understands, with working example rows.</p>
          <div className="row-buttons">
            <button type="button" onClick={() => props.onTemplate('xlsx')}>
              Download template (Excel)
            </button>
            <button type="button" onClick={() => props.onTemplate('csv')}>
              CSV
            </button>
          </div>
          <p className="muted">
            Or with your account’s organizations, brands, campaigns, numbers and lists as dropdowns, so every
            cell can be picked by name.
          </p>
          <div className="row-buttons">
            <button type="button" onClick={props.onAccountTemplate} disabled={props.accountTemplateBusy}>
              {props.accountTemplateBusy ? 'Reading the account…' : 'Template with my account’s names'}
            </button>
          </div>
        </div>

        <div className="card">
          <h2>Recent files</h2>
          {props.recent.length === 0 ? (
            <p className="muted">Files you open appear here.</p>
          ) : (
            <ul className="recent">
              {props.recent.slice(0, 8).map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    className="recent-item"
                    onClick={() => props.onOpenRecent(r.id)}
                    title={r.path}
                  >
                    <span className="recent-name">{r.name}</span>
                    <span className="muted recent-when">{ago(r.openedAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </aside>
    </div>
  );
}
