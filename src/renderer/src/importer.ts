/**
 * The bridge as the UI sees it: `window.importer` from the Electron preload, or, in a browser served
 * by the web harness, the same contract over HTTP with the harness's per-start token. The token comes
 * once in the address the harness printed; it is moved at once into this tab's sessionStorage (which
 * no other origin can read) and taken out of the address, and every call sends it in a header, never
 * as something the browser would attach by itself.
 */
import {
  BRIDGE,
  BRIDGE_EVENTS,
  type CallName,
  type EventName,
  type EventPayload,
  type ImporterApi,
} from '../../shared/bridge';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../../shared/wire';

declare global {
  interface Window {
    importer?: ImporterApi;
  }
}

const TOKEN_KEY = 'importer-token';

function harnessToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function createHttpImporter(): ImporterApi {
  const token = harnessToken();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let streaming = false;

  const deliver = (data: string) => {
    const { event, payload } = decodeWire(data) as { event: EventName; payload: unknown };
    const parsed = BRIDGE_EVENTS[event]?.safeParse(payload);
    if (!parsed?.success) return;
    for (const l of listeners.get(event) ?? []) l(parsed.data);
  };

  /** The event stream, read with fetch (EventSource cannot send a header); reconnects if it drops. */
  const follow = async () => {
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers: { [TOKEN_HEADER]: token } });
        if (!res.ok || !res.body) return;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = message
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice(6))
              .join('\n');
            if (data) deliver(data);
          }
        }
      } catch {
        // The harness stopped or the connection dropped: try again shortly.
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  const ensureEvents = () => {
    if (streaming) return;
    streaming = true;
    void follow();
  };

  const api: Record<string, unknown> = {
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      ensureEvents();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
  for (const name of Object.keys(BRIDGE) as CallName[]) {
    // A browser never learns where a file lives: nothing to note in the recent files.
    if (name === 'noteRecentFile') continue;
    api[name] = async (input?: unknown) => {
      const res = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: encodeWire({ input }),
      });
      const body = decodeWire(await res.text()) as { output?: unknown; error?: string };
      if (!res.ok || body.error !== undefined)
        throw new Error(body.error ?? `The app answered ${res.status}.`);
      return BRIDGE[name].output.parse(body.output);
    };
  }
  return api as ImporterApi;
}

export const importer: ImporterApi = window.importer ?? createHttpImporter();
