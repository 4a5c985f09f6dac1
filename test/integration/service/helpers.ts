/** The service as the app runs it (the same handlers Electron and the web harness expose), over a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type Platform, type Service } from '../../../src/engine/service';
import type { EventName, EventPayload } from '../../../src/shared/bridge';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox';

export interface ServiceFixture {
  service: Service;
  dataDir: string;
  events: Array<{ event: EventName; payload: unknown }>;
  sandbox(): RunningSandbox | null;
  /** Resolves with the first runFinished of this run among the events from index `since` on. */
  finished(runId: string, since?: number): Promise<EventPayload<'runFinished'>>;
  close(): Promise<void>;
}

export function serviceFixture(
  options: {
    dataDir?: string;
    sandbox?: SandboxOptions;
    onEvent?: (event: EventName, payload: unknown) => void;
  } = {},
): ServiceFixture {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bi-service-'));
  const events: ServiceFixture['events'] = [];
  const waiters: Array<(e: { event: EventName; payload: unknown }) => void> = [];
  let sb: RunningSandbox | null = null;
  let secret: string | null = null;
  const platform: Platform = {
    runtime: 'web',
    version: '0.0.0-test',
    platform: process.platform,
    dataDir,
    examplesDir: join(import.meta.dirname, '../../../examples'),
    chooseFileToOpen: async () => null,
    chooseSavePath: async (name) => join(dataDir, name),
    knowsDroppedFilePaths: false,
    setDocumentState: () => false,
    closeWindow: async () => false,
    showInFolder: () => false,
    openExternal: async () => false,
    notify: () => true,
    secrets: {
      protection: async () => 'memory',
      save: async (s) => void (secret = s),
      load: async () => secret,
      clear: async () => void (secret = null),
    },
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      const e = { event, payload };
      events.push(e);
      options.onEvent?.(event, payload);
      for (const w of waiters.splice(0)) w(e);
    },
    startSandbox: async () => {
      sb = await startSandbox({ latencyMs: 0, jitterMs: 0, ...options.sandbox });
      return sb;
    },
  };
  const service = createService(platform);
  return {
    service,
    dataDir,
    events,
    sandbox: () => sb,
    finished: (runId, since = 0) =>
      new Promise((resolve, reject) => {
        const seen = events
          .slice(since)
          .find((e) => e.event === 'runFinished' && (e.payload as { runId: string }).runId === runId);
        if (seen) return resolve(seen.payload as EventPayload<'runFinished'>);
        const wait = (e: { event: EventName; payload: unknown }) => {
          const p = e.payload as { runId?: string; message?: string };
          if (e.event === 'runFinished' && p.runId === runId)
            resolve(e.payload as EventPayload<'runFinished'>);
          else if (e.event === 'runFailed' && p.runId === runId) reject(new Error(p.message));
          else waiters.push(wait);
        };
        waiters.push(wait);
      }),
    async close() {
      await service.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
