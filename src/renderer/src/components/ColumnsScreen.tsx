/**
 * How the file is read (sheet, header row; for CSV the encoding and delimiter) with a preview of its
 * first lines, and which API field each column fills — matched automatically, editable, with the
 * required fields that have no column called out.
 */
import { useState } from 'react';
import { FIELDS, type FieldName } from '../../../shared/schema/fields';
import type { Delimiter, TextEncodingName } from '../../../shared/sheet';
// The cutting alone: the reader itself runs in the sheet worker, not in the page.
import { shortenText } from '../../../shared/sheet/preview';
import { autoMap } from '../../../shared/mapping';
import type { Session } from '../session';
import { columnLetter, count, plural } from '../model/format';

const ENCODINGS: Array<{ value: TextEncodingName; label: string }> = [
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Windows-1252 (Western)' },
  { value: 'utf-16le', label: 'UTF-16 LE' },
  { value: 'utf-16be', label: 'UTF-16 BE' },
];

const DELIMITERS: Array<{ value: Delimiter; label: string }> = [
  { value: ',', label: 'Comma ( , )' },
  { value: ';', label: 'Semicolon ( ; )' },
  { value: '\t', label: 'Tab' },
];

const PREVIEW_LINES = 8;
const REQUIRED: Array<{ field: FieldName; label: string; alt?: FieldName }> = [
  { field: 'organization_id', label: 'Organization ID' },
  { field: 'name', label: 'Project name' },
  { field: 'protocol', label: 'Protocol (sms or mms)' },
  { field: 'message_text', label: 'Message' },
  { field: 'phone_number_ids', label: 'Phone numbers', alt: 'phone_number_id' },
];

export function ColumnsScreen({ session }: { session: Session }) {
  const sheet = session.sheet;
  const meta = session.fileMeta;
  const preview = session.preview;
  const read = session.readMeta;
  const model = session.model;
  const [headerInput, setHeaderInput] = useState<string | null>(null);
  const edited = !!model && model.editCount > 0;
  const headers = sheet?.headers ?? [];
  const mapping = session.mapping;
  const auto = autoMap(headers);
  const problems = session.mappingProblems();
  const conflicted = new Set(problems.conflicts.map((c) => c.field));
  const visibleSheets = (meta?.sheetNames ?? []).filter((n) => !(meta?.hiddenSheets ?? []).includes(n));
  const headerRow = read?.headerRow ?? preview?.suggestedHeaderRow ?? 1;

  const reread = (patch: Partial<typeof session.options>) => {
    setHeaderInput(null);
    void session.read({ ...session.options, ...patch });
  };

  const samples = (c: number): string[] => {
    if (!model) return [];
    const out: string[] = [];
    for (let i = 0; i < model.n && out.length < 3 && i < 200; i++) {
      const v = model.cell(i, c).trim();
      if (v && !out.includes(v)) out.push(shortenText(v, 47));
    }
    return out;
  };

  const setField = (c: number, field: FieldName | null) => {
    const columns = [...mapping.columns];
    columns[c] = field;
    session.setMapping({ columns });
  };

  const columnFor = (f: FieldName): number => mapping.columns.indexOf(f);
  const rows = model?.n ?? 0;

  return (
    <div className="columns-screen">
      <div className="page-head">
        <div>
          <h1>Check the columns</h1>
          <p className="muted">
            {session.fileName} — {plural(rows, 'row')}. Each column is matched to a field of the project;
            columns set to “Not sent” are ignored.
          </p>
        </div>
        <div className="row-buttons">
          <button
            type="button"
            className="primary big"
            disabled={!sheet || problems.blocking}
            onClick={() => void session.confirmColumns()}
          >
            {session.holdsNames()
              ? 'Match values →'
              : session.reviewed
                ? 'Back to the rows →'
                : `Review ${plural(rows, 'row')} →`}
          </button>
        </div>
      </div>

      {session.error && (
        <div className="banner error" role="alert">
          {session.error}
        </div>
      )}

      <div className="columns-grid">
        <section className="card" aria-labelledby="source-title">
          <h2 id="source-title">How the file is read</h2>
          <fieldset className="source-options" disabled={edited}>
            {visibleSheets.length > 1 && (
              <label>
                Sheet
                <select
                  value={read?.sheet ?? ''}
                  onChange={(e) => reread({ sheet: e.target.value, headerRow: undefined })}
                >
                  {(meta?.sheetNames ?? []).map((n) => (
                    <option key={n} value={n}>
                      {n}
                      {meta?.hiddenSheets.includes(n) ? ' (hidden)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              Header row
              <input
                type="number"
                min={1}
                value={headerInput ?? String(headerRow)}
                onChange={(e) => setHeaderInput(e.target.value)}
                onBlur={() => {
                  const n = Number(headerInput);
                  if (headerInput !== null && Number.isInteger(n) && n >= 1 && n !== headerRow)
                    reread({ headerRow: n });
                  else setHeaderInput(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') e.currentTarget.blur();
                }}
                aria-describedby="header-help"
              />
            </label>
            {meta?.format === 'csv' && (
              <>
                <label>
                  Encoding
                  <select
                    value={read?.encoding ?? preview?.encoding ?? 'utf-8'}
                    onChange={(e) => reread({ encoding: e.target.value as TextEncodingName })}
                  >
                    {ENCODINGS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                        {o.value === preview?.encoding && !session.options.encoding ? ' — detected' : ''}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Delimiter
                  <select
                    value={read?.delimiter ?? preview?.delimiter ?? ','}
                    onChange={(e) => reread({ delimiter: e.target.value as Delimiter })}
                  >
                    {DELIMITERS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                        {o.value === preview?.delimiter && !session.options.delimiter ? ' — detected' : ''}
                      </option>
                    ))}
                  </select>
                </label>
              </>
            )}
          </fieldset>
          <p id="header-help" className="muted small">
            {edited
              ? 'You edited cells: reading the file again would lose the edits, so these settings are locked.'
              : 'Click a line of the preview to use it as the header row.'}
          </p>
          {preview && (
            <div className="preview-wrap">
              <table className="preview" aria-label="First lines of the file">
                <tbody>
                  {preview.lines.slice(0, PREVIEW_LINES + Math.max(0, headerRow - 1)).map((line) => (
                    <tr
                      key={line.row}
                      className={line.row === headerRow ? 'is-header' : line.row < headerRow ? 'above' : ''}
                      onClick={() => !edited && line.row !== headerRow && reread({ headerRow: line.row })}
                      title={line.row === headerRow ? 'Header row' : `Use row ${line.row} as the header row`}
                    >
                      <th scope="row">{line.row}</th>
                      {line.cells.slice(0, 12).map((c, i) => (
                        <td key={i}>{shortenText(c, 27)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="card required" aria-labelledby="required-title">
          <h2 id="required-title">Required fields</h2>
          <ul className="required-list">
            {REQUIRED.map((r) => {
              let c = columnFor(r.field);
              if (c === -1 && r.alt) c = columnFor(r.alt);
              const viaDefault =
                r.field === 'organization_id' && c === -1 && session.defaultOrg.trim() !== '';
              const ok = c !== -1 || viaDefault;
              return (
                <li key={r.field} className={ok ? 'ok' : 'missing'}>
                  <span className="mark" aria-hidden="true">
                    {ok ? '✓' : '✕'}
                  </span>
                  <span>
                    <strong>{r.label}</strong>
                    <br />
                    <span className="muted small">
                      {c !== -1
                        ? `Column ${columnLetter(c)}: “${headers[c]}”`
                        : viaDefault
                          ? `No column: the default organization (${session.defaultOrg}) is used`
                          : 'No column: every row will be an error. Choose a column below.'}
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
          {problems.conflicts.length > 0 && (
            <div className="banner error small" role="alert">
              {problems.conflicts.map((c) => (
                <div key={c.field}>
                  {c.headers.map((h) => `“${h}”`).join(' and ')} both fill <code>{c.field}</code>: keep only
                  one.
                </div>
              ))}
            </div>
          )}
          {session.validation && (
            <p className="muted small" role="status">
              Checking rows… {count(session.validation.done)} of {count(session.validation.total)}
            </p>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="mapping-title">
        <h2 id="mapping-title">Columns</h2>
        <table className="mapping">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">First values</th>
              <th scope="col">Fills the field</th>
              <th scope="col">
                <span className="visually-hidden">How it was matched</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {headers.map((h, c) => {
              const field = mapping.columns[c] ?? null;
              const state =
                field && conflicted.has(field)
                  ? { cls: 'conflict', text: 'Chosen twice' }
                  : !field
                    ? { cls: 'off', text: 'Not sent' }
                    : session.mappingOrigin === 'saved'
                      ? { cls: 'ok', text: 'As saved last time' }
                      : auto.columns[c] === field
                        ? { cls: 'ok', text: 'Matched automatically' }
                        : { cls: 'changed', text: 'Chosen by you' };
              return (
                <tr key={c} className={field ? '' : 'unmapped'}>
                  <th scope="row">
                    <span className="col-letter">{columnLetter(c)}</span> {h || <em>(no header)</em>}
                  </th>
                  <td className="samples">
                    {samples(c).join(' · ') || <span className="muted">empty</span>}
                  </td>
                  <td>
                    <select
                      aria-label={`Field for column ${h || columnLetter(c)}`}
                      value={field ?? ''}
                      onChange={(e) => setField(c, (e.target.value || null) as FieldName | null)}
                    >
                      <option value="">— Not sent —</option>
                      {FIELDS.map((f) => (
                        <option key={f.name} value={f.name}>
                          {f.label} ({f.name})
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <span className={`pill ${state.cls}`}>{state.text}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
