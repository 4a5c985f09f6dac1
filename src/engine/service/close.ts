/**
 * When the window may close and the app may quit: a small state machine, the same for the Electron
 * main process and the web harness. Node only, no Electron: the caller turns its answers into
 * `event.preventDefault()`.
 *
 * - Closing the window while the document has unsaved edits, or while a run is under way, is held
 *   back and the UI is asked (`closeRequested`); nothing else traps the close.
 * - "Discard and close" (`closeWindow`) cancels a run in progress cleanly — the request in flight is
 *   allowed to finish and its answer recorded, for a bounded time — then closes (or quits, when the
 *   request came from quitting).
 * - Quitting with nothing unsaved cancels a run in progress the same way, then quits.
 */
import type { EventName, EventPayload } from '../../shared/bridge';

export interface CloseGuardHost {
  /** Ask the UI what to do with the unsaved edits (or the run under way). */
  emitCloseRequested(quitting: boolean): void;
  /** Cancel one run, letting the request in flight finish. */
  cancelRun(runId: string): Promise<unknown>;
  /** Close the window for real: its close handler lets it through from now on. */
  closeWindow(): void;
  /** Quit the app for real: the before-quit handler lets it through from now on. */
  quit(): void;
  /** Everything else to stop before quitting (the Sandbox, runs still going after the bound). */
  shutdown(): Promise<void>;
}

export interface CloseGuardOptions {
  /** How long a cancelled run may take to record its request in flight before the app goes on. */
  cancelTimeoutMs?: number;
}

export type CloseAnswer = 'allow' | 'prevent';

export interface CloseGuard {
  setDocumentState(state: { dirty: boolean; title: string }): boolean;
  readonly documentState: { dirty: boolean; title: string };
  /** Runs under way, as the run events told (and `runStarted`). */
  readonly running: ReadonlySet<string>;
  runStarted(runId: string): void;
  /** Every event sent to the UI passes here: run events tell which runs are under way. */
  observe<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** The window's 'close' event. */
  onWindowClose(): CloseAnswer;
  /** The app's 'before-quit' event. */
  onBeforeQuit(): CloseAnswer;
  /** The UI chose "Discard and close". */
  closeWindow(): Promise<boolean>;
  /** A new window was opened (macOS keeps the app without one): nothing of the old one holds it. */
  windowOpened(): void;
  /** The page is gone (crashed, killed): nobody can answer, so closing only cancels runs cleanly. */
  pageGone(): void;
}

const ENDED_PHASES = new Set(['done', 'stopped', 'cancelled']);

export function createCloseGuard(host: CloseGuardHost, options: CloseGuardOptions = {}): CloseGuard {
  const cancelTimeoutMs = options.cancelTimeoutMs ?? 15_000;
  let doc = { dirty: false, title: '' };
  const running = new Set<string>();
  /** The user chose to close (or there was nothing to ask): the window's close goes through. */
  let discarded = false;
  /** The last close request came from quitting: closing then quits the app. */
  let quitting = false;
  /** Quitting is under way (runs being cancelled, then shutdown). */
  let finishing: Promise<void> | null = null;
  /** Everything is stopped: the next before-quit goes through. */
  let quitReady = false;
  let idleWaiters: Array<() => void> = [];
  let noPage = false;

  const ended = (runId: string) => {
    running.delete(runId);
    if (running.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  /** Cancel every run under way and wait (bounded) until each has recorded its request in flight. */
  async function cancelRuns(): Promise<void> {
    if (running.size === 0) return;
    const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
    await Promise.all([...running].map((id) => host.cancelRun(id).catch(() => undefined)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, cancelTimeoutMs)));
    await Promise.race([idle, bound]);
    clearTimeout(timer);
  }

  function finishQuit(): Promise<void> {
    finishing ??= (async () => {
      discarded = true;
      await cancelRuns();
      await host.shutdown().catch(() => undefined);
      quitReady = true;
      host.quit();
    })();
    return finishing;
  }

  async function closeNow(): Promise<boolean> {
    discarded = true;
    if (quitting) {
      await finishQuit();
      return true;
    }
    await cancelRuns();
    host.closeWindow();
    return true;
  }

  return {
    get documentState() {
      return { ...doc };
    },
    get running() {
      return running;
    },

    setDocumentState(state) {
      doc = { dirty: state.dirty, title: state.title };
      return true;
    },

    runStarted(runId) {
      running.add(runId);
    },

    observe(event, payload) {
      if (event === 'runProgress') {
        const p = payload as EventPayload<'runProgress'>;
        if (ENDED_PHASES.has(p.phase)) ended(p.runId);
        else running.add(p.runId);
      } else if (event === 'runFinished' || event === 'runFailed') {
        ended((payload as { runId: string }).runId);
      }
    },

    onWindowClose() {
      if (discarded || quitReady) return 'allow';
      if (noPage) {
        if (running.size === 0) return 'allow';
        void closeNow();
        return 'prevent';
      }
      if (doc.dirty || running.size > 0) {
        // A close that reaches here comes from the window itself, not from quitting.
        quitting = false;
        host.emitCloseRequested(false);
        return 'prevent';
      }
      return 'allow';
    },

    onBeforeQuit() {
      if (quitReady) return 'allow';
      if (finishing) return 'prevent';
      if (doc.dirty && !discarded && !noPage) {
        quitting = true;
        host.emitCloseRequested(true);
        return 'prevent';
      }
      void finishQuit();
      return 'prevent';
    },

    closeWindow: closeNow,

    windowOpened() {
      discarded = false;
      quitting = false;
      noPage = false;
      doc = { dirty: false, title: '' };
    },

    pageGone() {
      noPage = true;
      doc = { dirty: false, title: doc.title };
    },
  };
}
