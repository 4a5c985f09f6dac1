/**
 * The submission under way (progress, rate, time left, the rate-limit countdown, pause / resume /
 * cancel), then its outcome with the follow-ups: export the results, retry the failed rows, show the
 * results file in its folder.
 */
import { useEffect, useState } from 'react';
import type { RunState, SavedOutput } from '../session';
import { count, duration, plural } from '../model/format';

export function RunPanel(props: {
  run: RunState;
  progressAt: number;
  failedRows: number;
  /** The settings changed since the run started: an account refusal it met may no longer hold. */
  settingsChanged: boolean;
  saved: SavedOutput | null;
  onPause(): void;
  onResume(): void;
  onCancel(): void;
  onExport(format: 'csv' | 'xlsx'): void;
  onRetry(): void;
  onShow(path: string): void;
  onDismiss(): void;
}) {
  const { run } = props;
  const p = run.progress;
  const summary = run.summary;
  const [now, setNow] = useState(() => Date.now());
  const waiting = !summary && p?.waiting ? p.waiting : null;
  useEffect(() => {
    if (summary || run.failure) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [summary, run.failure]);

  if (run.failure) {
    return (
      <div className="run-panel failed" role="alert">
        <div className="run-main">
          <strong>The run stopped: </strong>
          {run.failure}
        </div>
        <div className="row-buttons">
          <button type="button" onClick={() => props.onExport('xlsx')}>
            Export results
          </button>
          <button type="button" onClick={props.onDismiss}>
            Close
          </button>
        </div>
      </div>
    );
  }

  if (summary) {
    const c = summary.counts;
    const title =
      summary.state === 'completed'
        ? c.failed === 0
          ? `Done: ${plural(c.created, 'project')} created.`
          : `Done: ${plural(c.created, 'project')} created, ${count(c.failed)} failed.`
        : summary.state === 'cancelled'
          ? `Cancelled: ${plural(c.created, 'project')} created before you stopped.`
          : props.settingsChanged
            ? `Stopped: ${plural(c.created, 'project')} created before it stopped. The settings changed since: choose Create to go on where it stopped.`
            : `Stopped: ${summary.stop ? summary.stop.message : 'the account refused the requests.'}`;
    return (
      <div
        className={`run-panel ${c.failed > 0 || summary.state !== 'completed' ? 'warn' : 'done'}`}
        role="status"
      >
        <div className="run-main">
          <strong className="run-title">{title}</strong>
          <span className="muted">
            {[
              c.invalid ? `${count(c.invalid)} not sent (errors)` : '',
              c.skipped ? `${count(c.skipped)} skipped` : '',
              c.notSent ? `${count(c.notSent)} not sent` : '',
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </div>
        <div className="row-buttons">
          <button type="button" className="primary" onClick={() => props.onExport('xlsx')}>
            Export results (Excel)
          </button>
          <button type="button" onClick={() => props.onExport('csv')}>
            CSV
          </button>
          {props.saved && (
            <button type="button" onClick={() => props.onShow(props.saved!.path)}>
              Show in folder
            </button>
          )}
          {props.failedRows > 0 && (
            <button type="button" onClick={props.onRetry}>
              Retry {plural(props.failedRows, 'failed row')}
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Close the run summary"
            onClick={props.onDismiss}
          >
            ×
          </button>
        </div>
      </div>
    );
  }

  const total = p?.total ?? run.total;
  const done = p?.done ?? 0;
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  const elapsed = Math.max(1, (now - run.startedAt) / 1000);
  const rate = done / (elapsed / 60);
  const left = waiting ? Math.max(0, Math.ceil(waiting.secondsLeft - (now - props.progressAt) / 1000)) : 0;
  const phase = p?.phase ?? 'preparing';
  return (
    <div className="run-panel running" role="region" aria-label="Creating projects">
      <div className="run-main">
        <div className="run-line">
          <strong>
            {phase === 'paused'
              ? 'Paused'
              : phase === 'preparing' || phase === 'preflight'
                ? 'Getting ready…'
                : `Creating projects… ${count(done)} of ${count(total)}`}
          </strong>
          <span className="muted">
            {count(p?.created ?? 0)} created
            {p?.failed ? ` · ${count(p.failed)} failed` : ''}
            {done > 0 && phase === 'sending' ? ` · ${Math.round(rate)} per minute` : ''}
            {p?.etaSeconds != null && phase === 'sending' ? ` · about ${duration(p.etaSeconds)} left` : ''}
          </span>
        </div>
        <progress max={total || 1} value={done} aria-label="Rows done" />
        <span className="pct" aria-hidden="true">
          {pct}%
        </span>
        {waiting && (
          <div className="wait" role="status">
            {waiting.reason === 'rate_limit'
              ? `The API's rate limit is reached: sending again in ${duration(left)}.`
              : `The API did not answer: trying again in ${duration(left)}.`}
          </div>
        )}
      </div>
      <div className="row-buttons">
        {phase === 'paused' ? (
          <button type="button" className="primary" onClick={props.onResume}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={props.onPause}>
            Pause
          </button>
        )}
        <button type="button" className="danger-link" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
