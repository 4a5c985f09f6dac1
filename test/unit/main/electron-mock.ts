/** A recording stand-in for the parts of Electron the main process uses. */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  sent: Array<[string, unknown]> = [];
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

export const recorded = {
  windows: [] as Array<{
    options: Record<string, unknown>;
    webContents: FakeWebContents;
    loaded: string | null;
  }>,
  handles: new Map<string, (...args: unknown[]) => unknown>(),
  menuTemplate: null as unknown,
  permissionRequest: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | (() => boolean),
  appEvents: new EventEmitter(),
  opened: [] as string[],
  privilegedSchemes: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  shownInFolder: [] as string[],
  /** What the next save dialog answers. */
  nextSavePath: null as string | null,
};

export function electronMock(): Record<string, unknown> {
  class BrowserWindow extends EventEmitter {
    static all: BrowserWindow[] = [];
    static getAllWindows() {
      return BrowserWindow.all;
    }
    webContents = new FakeWebContents();
    title = 'Broadcast Importer';
    constructor(options: Record<string, unknown>) {
      super();
      const entry = { options, webContents: this.webContents, loaded: null as string | null };
      recorded.windows.push(entry);
      BrowserWindow.all.push(this);
    }
    loadFile(p: string) {
      recorded.windows.at(-1)!.loaded = p;
      return Promise.resolve();
    }
    loadURL(u: string) {
      recorded.windows.at(-1)!.loaded = u;
      return Promise.resolve();
    }
    getTitle() {
      return this.title;
    }
    show() {}
    setDocumentEdited() {}
    /** Like Electron: 'close' first, which a listener may prevent, then 'closed'. */
    close() {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (!prevented) this.emit('closed');
    }
  }
  const app = Object.assign(recorded.appEvents, {
    isPackaged: false,
    getVersion: () => '0.0.0-test',
    getName: () => 'Broadcast Importer',
    getAppPath: () => process.cwd(),
    getPath: () => '/tmp/broadcast-importer-main-test',
    whenReady: () => Promise.resolve(),
    quit: vi.fn(),
  });
  return {
    app,
    BrowserWindow,
    dialog: {
      showOpenDialog: vi.fn(),
      showSaveDialog: vi.fn(async () =>
        recorded.nextSavePath
          ? { canceled: false, filePath: recorded.nextSavePath }
          : { canceled: true, filePath: '' },
      ),
      showMessageBoxSync: vi.fn(() => 1),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: typeof recorded.privilegedSchemes) =>
        recorded.privilegedSchemes.push(...schemes),
      handle: (scheme: string, fn: (request: Request) => Promise<Response>) =>
        recorded.protocolHandlers.set(scheme, fn),
    },
    ipcMain: {
      handle: (channel: string, fn: (...args: unknown[]) => unknown) => recorded.handles.set(channel, fn),
    },
    Menu: {
      buildFromTemplate: (t: unknown) => {
        recorded.menuTemplate = t;
        return t;
      },
      setApplicationMenu: vi.fn(),
    },
    Notification: Object.assign(
      class {
        show() {}
      },
      { isSupported: () => false },
    ),
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptStringAsync: async (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
      decryptStringAsync: async (b: Buffer) => ({
        result: Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
        shouldReEncrypt: false,
      }),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof recorded.permissionRequest) =>
          (recorded.permissionRequest = h),
        setPermissionCheckHandler: (h: typeof recorded.permissionCheck) => (recorded.permissionCheck = h),
      },
    },
    shell: {
      openExternal: vi.fn(async (u: string) => void recorded.opened.push(u)),
      showItemInFolder: vi.fn((p: string) => void recorded.shownInFolder.push(p)),
    },
  };
}
