/** The native menu: the usual shortcuts, each sending a command to the UI. */
import type { MenuItemConstructorOptions } from 'electron';
import type { MENU_COMMANDS } from '../shared/bridge';

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const DOCS_URL = 'https://docs.politicalcomms.com/api-reference/introduction';

export function menuTemplate(options: {
  platform: NodeJS.Platform;
  appName: string;
  dev: boolean;
  send: (command: MenuCommand) => void;
  openDocs: () => void;
}): MenuItemConstructorOptions[] {
  const { send } = options;
  const mac = options.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    click: () => send(command),
    ...(accelerator ? { accelerator } : {}),
  });
  const template: MenuItemConstructorOptions[] = [];
  if (mac)
    template.push({
      label: options.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'quit' }],
    });
  template.push(
    {
      label: '&File',
      submenu: [
        item('Open…', 'open', 'CmdOrCtrl+O'),
        item('Save', 'save', 'CmdOrCtrl+S'),
        item('Save As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Export Results…', 'exportResults', 'CmdOrCtrl+E'),
        item('Download Template…', 'template'),
        { type: 'separator' },
        item(mac ? 'Settings…' : 'Settings', 'settings', 'CmdOrCtrl+,'),
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z'),
        item('Redo', 'redo', mac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        item('Find and Replace…', 'find', 'CmdOrCtrl+F'),
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.dev
          ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const]
          : []),
      ],
    },
    { label: '&Help', submenu: [{ label: 'Political Comms API documentation', click: options.openDocs }] },
  );
  return template;
}
