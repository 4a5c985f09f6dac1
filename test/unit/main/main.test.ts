import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE, CHANNEL_PREFIX } from '../../../src/shared/bridge';
import { electronMock, recorded } from './electron-mock';

vi.mock('electron', () => electronMock());

beforeAll(async () => {
  await import('../../../src/main/index');
  await new Promise((r) => setTimeout(r, 20));
});

describe('main process wiring (Electron mocked)', () => {
  it('opens one window with a sandboxed, isolated renderer and the bundled preload', () => {
    expect(recorded.windows).toHaveLength(1);
    const prefs = recorded.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(String(prefs['preload'])).toMatch(/preload[/\\]index\.cjs$/);
    expect(recorded.windows[0]!.loaded).toMatch(/renderer[/\\]index\.html$/);
  });

  it('registers a handler for every call of the bridge contract, and nothing else', () => {
    expect([...recorded.handles.keys()].sort()).toEqual(
      Object.keys(BRIDGE)
        .map((n) => CHANNEL_PREFIX + n)
        .sort(),
    );
  });

  it('refuses calls from a foreign frame or a sub-frame, and malformed input', async () => {
    const call = recorded.handles.get(CHANNEL_PREFIX + 'getAppInfo')!;
    const appFrame = { url: 'file:///app/out/renderer/index.html', parent: null };
    expect(await call({ senderFrame: appFrame }, undefined)).toMatchObject({
      ok: true,
      value: { runtime: 'electron' },
    });
    expect(
      await call({ senderFrame: { url: 'https://evil.example/', parent: null } }, undefined),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Refused/),
    });
    expect(await call({ senderFrame: { url: 'file:///x.html', parent: appFrame } }, undefined)).toMatchObject(
      { ok: false },
    );
    expect(await call({ senderFrame: null }, undefined)).toMatchObject({ ok: false });
    const open = recorded.handles.get(CHANNEL_PREFIX + 'openExample')!;
    expect(await open({ senderFrame: appFrame }, { format: 'pdf' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Invalid input for openExample/),
    });
  });

  it('denies navigation away from the app and every new window', () => {
    const wc = recorded.windows[0]!.webContents;
    const nav = { preventDefault: vi.fn() };
    wc.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const ok = { preventDefault: vi.fn() };
    wc.emit('will-navigate', ok, 'file:///app/out/renderer/index.html');
    expect(ok.preventDefault).not.toHaveBeenCalled();
    expect(wc.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler!({ url: 'https://docs.politicalcomms.com/api-reference/introduction' })).toEqual({
      action: 'deny',
    });
  });

  it('opens only allowlisted https documentation links in the system browser', async () => {
    recorded.opened.length = 0;
    const wc = recorded.windows[0]!.webContents;
    wc.openHandler!({ url: 'https://evil.example/' });
    wc.openHandler!({ url: 'http://docs.politicalcomms.com/' });
    wc.openHandler!({ url: 'https://docs.politicalcomms.com/api-reference/introduction' });
    await new Promise((r) => setTimeout(r, 0));
    expect(recorded.opened).toEqual(['https://docs.politicalcomms.com/api-reference/introduction']);
  });

  it('denies every permission request and check', () => {
    const cb = vi.fn();
    recorded.permissionRequest!(null, 'notifications', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheck!()).toBe(false);
  });

  it('sets a menu with the usual shortcuts, each sending its command to the window', () => {
    const items = (recorded.menuTemplate as Array<{ submenu?: unknown[] }>).flatMap(
      (m) => (m.submenu ?? []) as Array<{ label?: string; accelerator?: string; click?: () => void }>,
    );
    const byLabel = Object.fromEntries(items.filter((i) => i.label).map((i) => [i.label, i]));
    expect(byLabel['Open…']!.accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel['Save']!.accelerator).toBe('CmdOrCtrl+S');
    expect(byLabel['Export Results…']!.accelerator).toBe('CmdOrCtrl+E');
    expect(byLabel['Undo']!.accelerator).toBe('CmdOrCtrl+Z');
    expect(byLabel['Find and Replace…']!.accelerator).toBe('CmdOrCtrl+F');
    const wc = recorded.windows[0]!.webContents;
    wc.sent.length = 0;
    byLabel['Save']!.click!();
    expect(wc.sent).toEqual([['importer:event', { event: 'menu', payload: 'save' }]]);
  });
});
