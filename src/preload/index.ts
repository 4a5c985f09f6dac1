/**
 * Exposes the bridge contract on `window.importer`, nothing else: one function per call over
 * `ipcRenderer.invoke`, and `on(event, listener)` for events, each checked against the contract.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  BRIDGE,
  BRIDGE_EVENTS,
  CHANNEL_PREFIX,
  EVENT_CHANNEL,
  type CallName,
  type EventName,
} from '../shared/bridge';

type Answer = { ok: true; value: unknown } | { ok: false; error: string };

const api: Record<string, unknown> = {
  /**
   * Note a file the user dropped or picked in the recent files. The page hands over the File, never
   * a path: Electron says where it lives (nothing, for a File the page made up), so the recent list
   * holds only files the user chose.
   */
  async noteRecentFile(file: File) {
    let path: string;
    try {
      path = webUtils.getPathForFile(file);
    } catch {
      path = '';
    }
    if (!path) throw new Error('This file does not come from the computer’s disk, so it cannot be listed.');
    const answer = (await ipcRenderer.invoke(CHANNEL_PREFIX + 'noteRecentFile', {
      name: file.name,
      path,
    })) as Answer;
    if (!answer.ok) throw new Error(answer.error);
    return answer.value;
  },
  pathForFile(file: File): string | null {
    try {
      return webUtils.getPathForFile(file) || null;
    } catch {
      return null;
    }
  },
  on(event: EventName, listener: (payload: unknown) => void) {
    const handler = (_e: unknown, message: { event: EventName; payload: unknown }) => {
      if (message?.event !== event) return;
      const parsed = BRIDGE_EVENTS[event].safeParse(message.payload);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

for (const name of Object.keys(BRIDGE) as CallName[]) {
  if (name === 'noteRecentFile') continue;
  api[name] = async (input?: unknown) => {
    const answer = (await ipcRenderer.invoke(CHANNEL_PREFIX + name, input)) as Answer;
    if (!answer.ok) throw new Error(answer.error);
    return answer.value;
  };
}

contextBridge.exposeInMainWorld('importer', api);
