/**
 * The Electron main process: thin wiring of the window, its security policy, the menu, dialogs,
 * safeStorage and notifications onto the shared service (src/engine/service).
 */
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import { EVENT_CHANNEL } from '../shared/bridge';
import { createService, isAllowedExternalLink, type Platform } from '../engine/service';
import { createCloseGuard } from '../engine/service/close';
import { startSandbox } from '../sandbox';
import { applySecurity, denyPermissions, isAppUrl, SECURE_WEB_PREFERENCES } from './security';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, bundleResponse } from './protocol';
import { registerBridge } from './ipc';
import { DOCS_URL, menuTemplate } from './menu';
import { safeStorageSecrets } from './secrets';
import { guardWindowClose } from './close';

const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const rendererDir = join(import.meta.dirname, '../renderer');
let mainWindow: BrowserWindow | null = null;

// The app's own origin, app://bundle (src/main/protocol.ts): registered before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

const SHEET_FILTERS = [
  { name: 'Spreadsheets', extensions: ['xlsx', 'xls', 'csv', 'ods', 'tsv', 'txt'] },
  { name: 'All files', extensions: ['*'] },
];

const openExternal = (url: string) => {
  if (isAllowedExternalLink(url)) void shell.openExternal(url);
};

const platform: Platform = {
  runtime: 'electron',
  version: app.getVersion(),
  platform: process.platform,
  dataDir: app.getPath('userData'),
  examplesDir: app.isPackaged ? join(process.resourcesPath, 'examples') : join(app.getAppPath(), 'examples'),
  async chooseFileToOpen() {
    const options = { properties: ['openFile' as const], filters: SHEET_FILTERS };
    const r = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
  async chooseSavePath(suggestedName) {
    const options = { defaultPath: join(app.getPath('documents'), suggestedName) };
    const r = mainWindow
      ? await dialog.showSaveDialog(mainWindow, options)
      : await dialog.showSaveDialog(options);
    return r.canceled ? null : (r.filePath ?? null);
  },
  knowsDroppedFilePaths: true,
  showInFolder(path) {
    shell.showItemInFolder(path);
    return true;
  },
  async openExternal(url) {
    await shell.openExternal(url);
    return true;
  },
  notify(title, body) {
    if (!Notification.isSupported()) return false;
    new Notification({ title, body }).show();
    return true;
  },
  secrets: safeStorageSecrets(safeStorage, join(app.getPath('userData'), 'api-key.bin'), process.platform),
  emit(event, payload) {
    closeGuard.observe(event, payload);
    mainWindow?.webContents.send(EVENT_CHANNEL, { event, payload });
  },
  startSandbox: () => startSandbox({ latencyMs: 120, jitterMs: 120 }),
  setDocumentState(state) {
    if (process.platform === 'darwin') mainWindow?.setDocumentEdited(state.dirty);
    return closeGuard.setDocumentState(state);
  },
  closeWindow: () => closeGuard.closeWindow(),
};

// Closing with unsaved edits or a run under way asks the UI; quitting cancels a run cleanly.
const closeGuard = createCloseGuard({
  emitCloseRequested: (quitting) => platform.emit('closeRequested', { quitting }),
  cancelRun: (runId) => service.handlers.cancelRun({ runId }),
  closeWindow: () => mainWindow?.close(),
  quit: () => app.quit(),
  shutdown: () => service.close(),
});

const service = createService(platform);

/** A call is trusted only from the app's own top frame. */
function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url, devServerUrl);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Broadcast Importer',
    // Packaged inside the app (electron-builder.yml); two folders up from out/main, as from src/main.
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(import.meta.dirname, '../preload/index.cjs') },
  });
  applySecurity(win.webContents, devServerUrl, openExternal);
  win.once('ready-to-show', () => win.show());
  guardWindowClose(win, closeGuard);
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadURL(APP_ENTRY_URL);
  return win;
}

app.on('web-contents-created', (_event, contents) => applySecurity(contents, devServerUrl, openExternal));

void app.whenReady().then(() => {
  protocol.handle(APP_SCHEME, (request) => bundleResponse(rendererDir, request));
  denyPermissions(session.defaultSession);
  registerBridge(ipcMain, service.handlers, isTrustedSender);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        appName: app.getName(),
        dev: !!devServerUrl,
        send: (command) => mainWindow?.webContents.send(EVENT_CHANNEL, { event: 'menu', payload: command }),
        openDocs: () => openExternal(DOCS_URL),
      }),
    ),
  );
  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Runs in flight are cancelled cleanly on quit (they stay resumable from their journals).
app.on('before-quit', (event) => {
  if (closeGuard.onBeforeQuit() === 'prevent') event.preventDefault();
});
