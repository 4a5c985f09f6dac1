/**
 * The application shell: the top bar, the screen for where the user is (start, columns, review),
 * settings, confirmations, toasts, the window title, drag-and-drop, native menu commands and the
 * submission events.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { CallOutput, EventPayload } from '../../shared/bridge';
import { importer } from './importer';
import { markOpen } from './perf';
import { Session, type OpenedFile, type RecordedRun } from './session';
import { fileSize } from './model/format';
import type { SheetWorker } from './worker/client';
import { startSheetWorker } from './worker/start';
import { StartScreen } from './components/StartScreen';
import { ColumnsScreen } from './components/ColumnsScreen';
import { MatchScreen } from './components/MatchScreen';
import { ReviewScreen, type ReviewHandle } from './components/ReviewScreen';
import { SettingsDialog } from './components/SettingsDialog';
import { ConfirmDialog, type ConfirmOptions } from './components/Dialog';
import { Toasts, type Toast } from './components/Toasts';
import { CloseDialog } from './components/CloseDialog';
import { ownFormat, saveSheet } from './components/save';

export type SettingsView = CallOutput<'getSettings'>;
type AppInfo = CallOutput<'getAppInfo'>;
type Recent = CallOutput<'listRecentFiles'>;
type Unfinished = CallOutput<'listUnfinishedRuns'>;

const EMPTY_SUBSCRIBE = () => () => {};
const ZERO = () => 0;

export function environmentLabel(s: SettingsView | null): string {
  if (!s) return '';
  if (s.environment === 'sandbox') return 'Sandbox';
  if (s.environment === 'production') return 'Production';
  return 'Custom server';
}

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [recent, setRecent] = useState<Recent>([]);
  const [unfinished, setUnfinished] = useState<Unfinished>([]);
  const [session, setSession] = useState<Session | null>(null);
  const [templateBusy, setTemplateBusy] = useState(false);
  const [showSettings, setShowSettings] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [confirm, setConfirm] = useState<{ options: ConfirmOptions; resolve(ok: boolean): void } | null>(
    null,
  );
  const [dragOver, setDragOver] = useState(false);
  /** The window is closing (or the app quitting) over unsaved edits or a run: what to do. */
  const [closeAsk, setCloseAsk] = useState<{ quitting: boolean } | null>(null);
  const review = useRef<ReviewHandle>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const sessionRef = useRef<Session | null>(null);
  /** A sheet worker loaded ahead of time, so opening a file does not wait for one to start. */
  const spareWorker = useRef<SheetWorker | null>(null);
  const toastId = useRef(1);

  useSyncExternalStore(session?.subscribe ?? EMPTY_SUBSCRIBE, session?.getVersion ?? ZERO);
  const model = session?.model ?? null;
  useSyncExternalStore(model?.subscribe ?? EMPTY_SUBSCRIBE, model?.getVersion ?? ZERO);

  const toast = useCallback((kind: Toast['kind'], text: string, action?: Toast['action']) => {
    const id = toastId.current++;
    setToasts((list) => [...list.slice(-1), { id, kind, text, ...(action ? { action } : {}) }]);
    if (kind !== 'error') setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 5000);
  }, []);

  // An edit's "Undo" offer ends where the run begins: the rows it sends can no longer be undone.
  useEffect(() => {
    if (!session) return;
    let was = session.running;
    return session.subscribe(() => {
      const now = session.running;
      if (now && !was) setToasts((list) => list.filter((t) => t.action?.label !== 'Undo'));
      was = now;
    });
  }, [session]);

  const ask = useCallback(
    (options: ConfirmOptions) => new Promise<boolean>((resolve) => setConfirm({ options, resolve })),
    [],
  );

  const refreshLists = useCallback(() => {
    importer.listRecentFiles().then(setRecent, () => {});
    importer.listUnfinishedRuns().then(setUnfinished, () => {});
  }, []);

  useEffect(() => {
    spareWorker.current ??= startSheetWorker();
  }, []);

  useEffect(() => {
    importer.getAppInfo().then(setInfo, () => {});
    importer
      .getSettings()
      .then(setSettings, (e: unknown) => toast('error', `The settings could not be read: ${String(e)}`));
    refreshLists();
  }, [refreshLists, toast]);

  // The window title: file name, with a dot while there are unsaved edits.
  const dirty = !!model?.dirty;
  const title = session
    ? `${dirty ? '● ' : ''}${session.fileName} — Broadcast Importer`
    : 'Broadcast Importer';
  useEffect(() => {
    document.title = title;
  }, [title]);
  // The privileged side holds the window's close only while there are unsaved edits.
  useEffect(() => {
    importer.setDocumentState({ dirty, title }).catch(() => false);
  }, [dirty, title]);

  const replaceSession = useCallback(
    async (file: OpenedFile | RecordedRun, after?: (s: Session) => void) => {
      const current = sessionRef.current;
      if (current?.running) {
        toast(
          'error',
          'Projects are being created: wait for the run to end (or cancel it) before opening another file.',
        );
        return;
      }
      if (current?.model?.dirty) {
        const ok = await ask({
          title: 'Discard your edits?',
          body: <p>{current.fileName} has edits that are not saved. Opening another file discards them.</p>,
          confirm: 'Discard and open',
          danger: true,
        });
        if (!ok) return;
      }
      current?.dispose();
      const worker = spareWorker.current ?? startSheetWorker();
      spareWorker.current = null;
      const s = new Session(file, settings?.defaultOrganizationId ?? '', {
        worker,
        bridge: importer,
        frame: (f) => requestAnimationFrame(f),
      });
      sessionRef.current = s;
      setSession(s);
      await s.read({}, true);
      after?.(s);
      refreshLists();
      // The next file gets a fresh worker, started once this one is read.
      setTimeout(() => (spareWorker.current ??= startSheetWorker()), 1500);
    },
    [ask, refreshLists, settings?.defaultOrganizationId, toast],
  );

  const openBytes = useCallback(
    (file: OpenedFile, at?: number) => {
      markOpen(at);
      void replaceSession(file);
    },
    [replaceSession],
  );

  const openDialog = useCallback(async () => {
    if (info?.runtime !== 'electron') {
      fileInput.current?.click();
      return;
    }
    try {
      const result = await importer.openFile({});
      if ('cancelled' in result) return;
      openBytes(result);
    } catch (e) {
      toast('error', e instanceof Error ? e.message : String(e));
    }
  }, [info?.runtime, openBytes, toast]);

  const openRecent = useCallback(
    async (id: string) => {
      const at = performance.now();
      try {
        const result = await importer.openFile({ id });
        if ('cancelled' in result) return;
        openBytes(result, at);
      } catch (e) {
        toast('error', `That file could not be opened: ${e instanceof Error ? e.message : String(e)}`);
        refreshLists();
      }
    },
    [openBytes, refreshLists, toast],
  );

  const openExample = useCallback(
    async (format: 'csv' | 'xlsx') => {
      const at = performance.now();
      try {
        const file = await importer.openExample({ format });
        openBytes(file, at);
        if (settings && settings.environment !== 'sandbox') {
          toast('info', 'The example is made for the Sandbox account.', {
            label: 'Switch to Sandbox',
            run: () => {
              importer.setSettings({ environment: 'sandbox' }).then(setSettings, () => {});
            },
          });
        }
      } catch (e) {
        toast('error', e instanceof Error ? e.message : String(e));
      }
    },
    [openBytes, settings, toast],
  );

  const openLocalFile = useCallback(
    async (file: File, at: number) => {
      markOpen(at);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const path = importer.pathForFile?.(file) ?? null;
      if (path) void importer.noteRecentFile?.(file).catch(() => undefined);
      void replaceSession({ name: file.name, path, bytes });
    },
    [replaceSession],
  );

  const saveTemplate = useCallback(
    async (format: 'csv' | 'xlsx') => {
      const worker = startSheetWorker();
      try {
        const bytes = await worker.build({ kind: 'template', format });
        const result = await importer.saveFile({ suggestedName: `projects-template.${format}`, bytes });
        if ('cancelled' in result) return;
        toast('success', `Template saved: ${result.path}`, {
          label: 'Show in folder',
          run: () => void importer.showInFolder({ path: result.path }),
        });
      } catch (e) {
        toast('error', `The template could not be saved: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        worker.terminate();
      }
    },
    [toast],
  );

  const saveAccountTemplate = useCallback(async () => {
    setTemplateBusy(true);
    const worker = startSheetWorker();
    try {
      const { snapshot, stop } = await importer.loadAccount({ organizationIds: 'all' });
      if (!snapshot) {
        toast(
          'error',
          `The account could not be read, so no template was made. ${stop?.message ?? ''}`.trim(),
        );
        return;
      }
      const bytes = await worker.build({ kind: 'account-template', snapshot });
      const result = await importer.saveFile({ suggestedName: 'projects-template-with-account.xlsx', bytes });
      if ('cancelled' in result) return;
      const n = snapshot.organizations?.length ?? 0;
      toast(
        'success',
        `Template saved with the names of ${n === 1 ? '1 organization' : `${n} organizations`}: ${result.path}`,
        { label: 'Show in folder', run: () => void importer.showInFolder({ path: result.path }) },
      );
      for (const u of snapshot.unavailable) toast('info', u.message);
    } catch (e) {
      toast('error', `The template could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      worker.terminate();
      setTemplateBusy(false);
    }
  }, [toast]);

  const resumeRun = useCallback(
    async (runId: string) => {
      try {
        // The rows that run recorded, under their own keys: the grid shows each of them, and every
        // answer (those already in its journal too) lands on its row.
        const recorded = await importer.continueRun({ runId });
        markOpen();
        await replaceSession(recorded, (s) => {
          if (!s.sheet) return;
          s.resumeRun().catch((e: unknown) =>
            toast('error', `The run could not be continued: ${e instanceof Error ? e.message : String(e)}`),
          );
        });
      } catch (e) {
        toast('error', `The run could not be continued: ${e instanceof Error ? e.message : String(e)}`);
        refreshLists();
      }
    },
    [refreshLists, replaceSession, toast],
  );

  const discardRun = useCallback(
    async (runId: string, fileName: string) => {
      const ok = await ask({
        title: 'Discard this unfinished run?',
        body: (
          <p>
            The rows of {fileName} that were not sent yet will not be sent. Projects already created stay
            created.
          </p>
        ),
        confirm: 'Discard',
        danger: true,
      });
      if (!ok) return;
      await importer.discardRun({ runId }).catch(() => false);
      refreshLists();
    },
    [ask, refreshLists],
  );

  const closeFile = useCallback(async () => {
    const s = sessionRef.current;
    if (!s) return;
    if (s.running) {
      toast('error', 'Projects are being created: wait for the run to end, or cancel it, first.');
      return;
    }
    if (s.model?.dirty) {
      const ok = await ask({
        title: 'Close without saving?',
        body: <p>Your edits to {s.fileName} are not saved.</p>,
        confirm: 'Close without saving',
        danger: true,
      });
      if (!ok) return;
    }
    s.dispose();
    sessionRef.current = null;
    setSession(null);
    refreshLists();
  }, [ask, refreshLists, toast]);

  // Submission events and native menu commands.
  useEffect(() => {
    const offs = [
      importer.on('runProgress', (p) => sessionRef.current?.onProgress(p)),
      importer.on('runRow', (e) => sessionRef.current?.onRow(e)),
      importer.on('runFinished', (s: EventPayload<'runFinished'>) => {
        // The privileged side shows the OS notification when a long run ends.
        sessionRef.current?.onFinished(s);
        refreshLists();
      }),
      importer.on('runFailed', (e) => {
        sessionRef.current?.onFailed(e);
        refreshLists();
      }),
      importer.on('menu', (command) => {
        if (command === 'open') void openDialog();
        else if (command === 'settings') setShowSettings(true);
        else if (command === 'template') void saveTemplate('xlsx');
        else review.current?.command(command);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [openDialog, refreshLists, saveTemplate]);

  // Drag and drop anywhere in the window.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      setDragOver(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragOver(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragOver(false);
      const file = e.dataTransfer?.files[0];
      if (file) void openLocalFile(file, e.timeStamp);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openLocalFile]);

  // Closing the window (or quitting) over unsaved edits or a run: the privileged side asks here.
  useEffect(() => importer.on('closeRequested', (r) => setCloseAsk(r)), []);

  const saveBeforeClose = useCallback(async () => {
    const s = sessionRef.current;
    if (!s?.model) return true;
    try {
      const saved = await saveSheet(s, ownFormat(s));
      if (saved) toast('success', `Saved: ${saved.path}`);
      return saved !== null;
    } catch (e) {
      toast('error', `The sheet could not be saved: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }, [toast]);

  const closing = useRef(false);
  const discardAndClose = useCallback(async () => {
    if (closing.current) return;
    closing.current = true;
    let closed = false;
    try {
      closed = await importer.closeWindow();
    } catch (e) {
      toast('error', `The window could not be closed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      closing.current = false;
    }
    setCloseAsk(null);
    if (!closed || info?.runtime === 'electron') return;
    // In a browser the page closes its own state: the file and its edits are gone, as in a closed window.
    sessionRef.current?.dispose();
    sessionRef.current = null;
    setSession(null);
    refreshLists();
    window.close();
  }, [info?.runtime, refreshLists, toast]);

  // Saved or finished meanwhile: nothing left to ask about.
  const nothingToAsk = !!closeAsk && !dirty && !session?.running;
  useEffect(() => {
    if (nothingToAsk) void discardAndClose();
  }, [nothingToAsk, discardAndClose]);

  const env = environmentLabel(settings);

  let screen;
  if (!session) {
    screen = (
      <StartScreen
        settings={settings}
        recent={recent}
        unfinished={unfinished}
        onOpen={() => void openDialog()}
        onOpenRecent={(p) => void openRecent(p)}
        onExample={(f) => void openExample(f)}
        onTemplate={(f) => void saveTemplate(f)}
        onAccountTemplate={() => void saveAccountTemplate()}
        accountTemplateBusy={templateBusy}
        onResume={(id) => void resumeRun(id)}
        onDiscard={(id, name) => void discardRun(id, name)}
        onSettings={() => setShowSettings(true)}
      />
    );
  } else if (session.phase === 'reading') {
    screen = (
      <div className="center-screen" role="status" aria-live="polite">
        <div className="spinner" aria-hidden="true" />
        <p className="lead">
          Reading {session.fileName} ({fileSize(session.file.bytes.length)})…
        </p>
        <p className="muted">Large files take a few seconds. The window stays responsive meanwhile.</p>
      </div>
    );
  } else if (session.phase === 'failed') {
    screen = (
      <div className="center-screen">
        <div className="card error-card" role="alert">
          <h2>{session.fileName} could not be read</h2>
          <p>{session.error}</p>
          <div className="row-buttons">
            <button type="button" className="primary" onClick={() => void openDialog()}>
              Open another file
            </button>
            {session.preview && (
              <button type="button" onClick={() => session.showColumns()}>
                Change how it is read
              </button>
            )}
            <button type="button" onClick={() => void closeFile()}>
              Back to start
            </button>
          </div>
        </div>
      </div>
    );
  } else if (session.phase === 'columns') {
    screen = <ColumnsScreen session={session} />;
  } else if (session.phase === 'match') {
    screen = <MatchScreen session={session} onSettings={() => setShowSettings(true)} />;
  } else {
    screen = (
      <ReviewScreen
        ref={review}
        session={session}
        settings={settings}
        toast={toast}
        ask={ask}
        onSettings={() => setShowSettings(true)}
      />
    );
  }

  return (
    <div className={`app${dragOver ? ' drag-over' : ''}`}>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          Broadcast Importer
        </div>
        {session && (
          <div className="file-title" title={session.file.path ?? session.fileName}>
            <span className="file-name">{session.fileName}</span>
            {dirty && <span className="unsaved">Edited — not saved</span>}
          </div>
        )}
        <div className="topbar-actions">
          {session && (
            <>
              {session.phase === 'review' && (
                <>
                  <button
                    type="button"
                    onClick={() => session.showColumns()}
                    disabled={session.running || !!session.recorded}
                    title="Change which field each column fills"
                  >
                    Columns…
                  </button>
                  <button
                    type="button"
                    onClick={() => review.current?.command('saveAs')}
                    title="Save the sheet with your edits (Ctrl+S)"
                  >
                    Save…
                  </button>
                </>
              )}
              <button type="button" onClick={() => void openDialog()}>
                Open…
              </button>
              <button type="button" onClick={() => void closeFile()}>
                Close file
              </button>
            </>
          )}
          <button
            type="button"
            className={`env-badge env-${settings?.environment ?? 'none'}`}
            onClick={() => setShowSettings(true)}
            title="Settings: environment, API key, default organization"
          >
            <span className="dot" aria-hidden="true" />
            {env || 'Settings'}
            {settings && settings.environment !== 'sandbox' && !settings.hasApiKey && (
              <span className="needs-key"> · no API key</span>
            )}
          </button>
        </div>
      </header>
      <main className="screen">{screen}</main>
      <input
        ref={fileInput}
        type="file"
        className="visually-hidden"
        data-testid="file-input"
        accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.ods,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const file = e.target.files?.[0];
          const at = e.timeStamp;
          e.target.value = '';
          if (file) void openLocalFile(file, at);
        }}
      />
      {dragOver && (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop the spreadsheet to open it</div>
        </div>
      )}
      {showSettings && settings && (
        <SettingsDialog
          settings={settings}
          onChange={(s) => {
            // Another environment, server or key is another account: its data kept so far no longer applies.
            if (
              s.environment !== settings.environment ||
              s.baseUrl !== settings.baseUrl ||
              s.hasApiKey !== settings.hasApiKey
            )
              sessionRef.current?.forgetAccount();
            setSettings(s);
            sessionRef.current?.setDefaultOrg(s.defaultOrganizationId);
          }}
          onClose={() => setShowSettings(false)}
        />
      )}
      {closeAsk && !nothingToAsk && (
        <CloseDialog
          fileName={session?.fileName ?? 'The sheet'}
          dirty={dirty}
          running={!!session?.running}
          quitting={closeAsk.quitting}
          onSave={saveBeforeClose}
          onDiscard={discardAndClose}
          onCancel={() => setCloseAsk(null)}
        />
      )}
      {confirm && (
        <ConfirmDialog
          options={confirm.options}
          onAnswer={(ok) => {
            confirm.resolve(ok);
            setConfirm(null);
          }}
        />
      )}
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((l) => l.filter((t) => t.id !== id))} />
    </div>
  );
}
