/**
 * Closing the window and quitting: the close guard on its own (a host that records what it is told),
 * then wired into the main process with Electron mocked.
 */
import { describe, expect, it, vi } from 'vitest';
import { createCloseGuard, type CloseGuardHost } from '../../../src/engine/service/close';
import type { EventPayload } from '../../../src/shared/bridge';
import { CHANNEL_PREFIX } from '../../../src/shared/bridge';
import { electronMock, recorded } from './electron-mock';

vi.mock('electron', () => electronMock());

function host(overrides: Partial<CloseGuardHost> = {}) {
  const log: string[] = [];
  const h: CloseGuardHost = {
    emitCloseRequested: (quitting) => void log.push(`ask(${quitting ? 'quitting' : 'closing'})`),
    cancelRun: async (id) => void log.push(`cancel(${id})`),
    closeWindow: () => void log.push('close'),
    quit: () => void log.push('quit'),
    shutdown: async () => void log.push('shutdown'),
    ...overrides,
  };
  return { h, log };
}

const progress = (
  runId: string,
  phase: EventPayload<'runProgress'>['phase'],
): EventPayload<'runProgress'> => ({
  runId,
  phase,
  rows: 3,
  total: 3,
  done: 1,
  created: 1,
  failed: 0,
  invalid: 0,
  skipped: 0,
  currentRow: 3,
  currentRowKey: 'row-3',
  attempt: 1,
  waiting: null,
  etaSeconds: null,
});

const finished = (runId: string): EventPayload<'runFinished'> => ({
  runId,
  state: 'cancelled',
  resumed: false,
  stop: null,
  counts: { rows: 3, created: 1, failed: 0, invalid: 0, skipped: 0, notSent: 2 },
  results: [],
  issues: [],
  fileName: 'x.csv',
});

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the close guard', () => {
  it('lets a window with nothing unsaved and no run close without asking', () => {
    const { h, log } = host();
    const g = createCloseGuard(h);
    g.setDocumentState({ dirty: false, title: 'a.csv' });
    expect(g.onWindowClose()).toBe('allow');
    expect(log).toEqual([]);
  });

  it('holds the close of a dirty document, asks the UI, and closes once the user discards', async () => {
    const { h, log } = host();
    const g = createCloseGuard(h);
    g.setDocumentState({ dirty: true, title: '● a.csv — Broadcast Importer' });
    expect(g.onWindowClose()).toBe('prevent');
    expect(log).toEqual(['ask(closing)']);
    // Saved meanwhile: nothing holds the close any more.
    g.setDocumentState({ dirty: false, title: 'a.csv' });
    expect(g.onWindowClose()).toBe('allow');
    g.setDocumentState({ dirty: true, title: 'a.csv' });
    expect(g.onWindowClose()).toBe('prevent');
    await expect(g.closeWindow()).resolves.toBe(true);
    expect(log).toEqual(['ask(closing)', 'ask(closing)', 'close']);
    // The close that follows goes through.
    expect(g.onWindowClose()).toBe('allow');
  });

  it('"Discard and close" during a run cancels it and waits for its request in flight before closing', async () => {
    const { h, log } = host();
    const g = createCloseGuard(h);
    g.observe('runProgress', progress('r1', 'sending'));
    expect(g.running.has('r1')).toBe(true);
    expect(g.onWindowClose()).toBe('prevent');
    let closed = false;
    const closing = g.closeWindow().then(() => (closed = true));
    await tick();
    expect(log).toEqual(['ask(closing)', 'cancel(r1)']);
    expect(closed).toBe(false);
    // The run records its last answer and ends: only now does the window close.
    g.observe('runFinished', finished('r1'));
    await closing;
    expect(log).toEqual(['ask(closing)', 'cancel(r1)', 'close']);
  });

  it('does not wait for ever for a run that does not end', async () => {
    const { h, log } = host();
    const g = createCloseGuard(h, { cancelTimeoutMs: 30 });
    g.runStarted('stuck');
    await g.closeWindow();
    expect(log).toEqual(['cancel(stuck)', 'close']);
  });

  it('quitting during a run (nothing unsaved) cancels it cleanly, stops the rest, then quits', async () => {
    const { h, log } = host();
    const g = createCloseGuard(h);
    g.observe('runProgress', progress('r1', 'sending'));
    expect(g.onBeforeQuit()).toBe('prevent');
    // A second Ctrl+Q while it winds down changes nothing.
    expect(g.onBeforeQuit()).toBe('prevent');
    await tick();
    expect(log).toEqual(['cancel(r1)']);
    g.observe('runProgress', progress('r1', 'cancelled'));
    await tick();
    expect(log).toEqual(['cancel(r1)', 'shutdown', 'quit']);
    // The quit that follows, and the windows it closes, go through.
    expect(g.onBeforeQuit()).toBe('allow');
    expect(g.onWindowClose()).toBe('allow');
  });

  it('quitting with unsaved edits asks first; discarding then quits instead of only closing', async () => {
    const { h, log } = host();
    const g = createCloseGuard(h);
    g.setDocumentState({ dirty: true, title: 'a.csv' });
    expect(g.onBeforeQuit()).toBe('prevent');
    expect(log).toEqual(['ask(quitting)']);
    await g.closeWindow();
    expect(log).toEqual(['ask(quitting)', 'shutdown', 'quit']);
    expect(g.onBeforeQuit()).toBe('allow');
  });

  it('a quit the user cancelled does not turn a later window close into a quit', async () => {
    const { h, log } = host();
    const g = createCloseGuard(h);
    g.setDocumentState({ dirty: true, title: 'a.csv' });
    g.onBeforeQuit();
    // The user chose Cancel: nothing is sent back. Later they close the window.
    expect(g.onWindowClose()).toBe('prevent');
    await g.closeWindow();
    expect(log).toEqual(['ask(quitting)', 'ask(closing)', 'close']);
  });

  it('a page that is gone cannot hold the window: its run is cancelled cleanly, then it closes', async () => {
    const { h, log } = host();
    const g = createCloseGuard(h, { cancelTimeoutMs: 1000 });
    g.setDocumentState({ dirty: true, title: 'a.csv' });
    g.pageGone();
    expect(g.onWindowClose()).toBe('allow');
    g.runStarted('r2');
    expect(g.onWindowClose()).toBe('prevent');
    await tick();
    g.observe('runFailed', { runId: 'r2', message: 'x' });
    await tick();
    expect(log).toEqual(['cancel(r2)', 'close']);
  });
});

describe('the main process close handling (Electron mocked)', () => {
  it('asks the page before closing a dirty window, closes on closeWindow, and quits cleanly', async () => {
    await import('../../../src/main/index');
    await new Promise((r) => setTimeout(r, 20));
    const appFrame = { senderFrame: { url: 'app://bundle/index.html', parent: null } };
    const call = (name: string, input?: unknown) =>
      recorded.handles.get(CHANNEL_PREFIX + name)!(appFrame, input);
    const win = recorded.windows[0]!;
    const bw = (await import('electron')).BrowserWindow as unknown as {
      all: Array<{ emit(...a: unknown[]): boolean; close(): void }>;
    };
    const window = bw.all[0]!;

    // Nothing unsaved: the close goes through untouched.
    const free = { preventDefault: vi.fn() };
    window.emit('close', free);
    expect(free.preventDefault).not.toHaveBeenCalled();

    await expect(call('setDocumentState', { dirty: true, title: '● a.csv' })).resolves.toMatchObject({
      ok: true,
    });
    win.webContents.sent.length = 0;
    const held = { preventDefault: vi.fn() };
    window.emit('close', held);
    expect(held.preventDefault).toHaveBeenCalled();
    expect(win.webContents.sent).toEqual([
      ['importer:event', { event: 'closeRequested', payload: { quitting: false } }],
    ]);

    // "Discard and close": the window closes for real.
    const closed = vi.fn();
    (window as unknown as { once(e: string, f: () => void): void }).once('closed', closed);
    await expect(call('closeWindow')).resolves.toMatchObject({ ok: true, value: true });
    expect(closed).toHaveBeenCalled();

    // Quitting stops what is left (the service), then quits.
    const { app } = (await import('electron')) as unknown as {
      app: { emit(...a: unknown[]): boolean; quit: ReturnType<typeof vi.fn> };
    };
    const quit = { preventDefault: vi.fn() };
    app.emit('before-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    const again = { preventDefault: vi.fn() };
    app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
