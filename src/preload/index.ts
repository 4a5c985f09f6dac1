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
  api[name] = async (input?: unknown) => {
    const answer = (await ipcRenderer.invoke(CHANNEL_PREFIX + name, input)) as Answer;
    if (!answer.ok) throw new Error(answer.error);
    return answer.value;
  };
}

contextBridge.exposeInMainWorld('importer', api);
