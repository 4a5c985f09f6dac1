import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    // The app's own origin, never a file: URL (any local HTML file would pass for the app).
    expect(recorded.windows[0]!.loaded).toBe('app://bundle/index.html');
  });

  it('serves the renderer build from a privileged app:// protocol, with its policy as a header', async () => {
    expect(recorded.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const handler = recorded.protocolHandlers.get('app')!;
    const page = await handler(new Request('app://bundle/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none';.*frame-ancestors 'none'/,
    );
    expect(await page.text()).toContain('<div id="root">');
    // src/main/index.ts exists beside the renderer folder: it is not part of the build served.
    for (const url of [
      'app://bundle/..%2fmain%2findex.ts',
      'app://bundle/%2e%2e/main/index.ts',
      'app://other/index.html',
    ])
      expect((await handler(new Request(url))).status, url).toBe(404);
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
    const appFrame = { url: 'app://bundle/index.html', parent: null };
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
    // A local HTML file, or a look-alike of the app's origin, is not the app.
    for (const url of [
      'file:///app/out/renderer/index.html',
      'file:///tmp/evil.html',
      'app://bundle.evil/index.html',
      'app://bundle:8080/index.html',
      'app://user@bundle/index.html',
      'app://other/index.html',
      'http://bundle/index.html',
    ])
      expect(await call({ senderFrame: { url, parent: null } }, undefined), url).toMatchObject({ ok: false });
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
    const local = { preventDefault: vi.fn() };
    wc.emit('will-navigate', local, 'file:///tmp/evil.html');
    expect(local.preventDefault).toHaveBeenCalled();
    const ok = { preventDefault: vi.fn() };
    wc.emit('will-navigate', ok, 'app://bundle/index.html');
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

describe('paths from the window (Electron mocked)', () => {
  const appFrame = { url: 'app://bundle/index.html', parent: null };
  const invoke = (name: string, input: unknown) =>
    recorded.handles.get(CHANNEL_PREFIX + name)!({ senderFrame: appFrame }, input) as Promise<{
      ok: boolean;
      value?: unknown;
      error?: string;
    }>;

  it('shows in its folder only a file the app saved in this session', async () => {
    recorded.shownInFolder.length = 0;
    expect(await invoke('showInFolder', { path: '/etc/passwd' })).toEqual({ ok: true, value: false });
    const target = join(mkdtempSync(join(tmpdir(), 'bi-main-save-')), 'out.csv');
    recorded.nextSavePath = target;
    const saved = await invoke('saveFile', { suggestedName: 'out.csv', bytes: new Uint8Array([104, 105]) });
    recorded.nextSavePath = null;
    expect(saved).toEqual({ ok: true, value: { path: target } });
    expect(readFileSync(target, 'utf8')).toBe('hi');
    expect(await invoke('showInFolder', { path: target })).toEqual({ ok: true, value: true });
    expect(recorded.shownInFolder).toEqual([target]);
  });

  it('opens a file only through the dialog or the recent list, never by a path the window names', async () => {
    expect(await invoke('openFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Invalid input for openFile/),
    });
    expect(await invoke('openFile', { id: 'made-up' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no longer in the recent files/),
    });
  });
});
