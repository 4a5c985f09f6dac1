/**
 * The bridge as the UI sees it: `window.importer` from the Electron preload, or, in a browser served
 * by the web harness, the same contract over HTTP with the harness's per-start token.
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
  let source: EventSource | null = null;

  const ensureEvents = () => {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (m: MessageEvent<string>) => {
      const { event, payload } = decodeWire(m.data) as { event: EventName; payload: unknown };
      const parsed = BRIDGE_EVENTS[event]?.safeParse(payload);
      if (!parsed?.success) return;
      for (const l of listeners.get(event) ?? []) l(parsed.data);
    };
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
