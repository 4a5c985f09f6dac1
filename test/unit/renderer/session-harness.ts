/**
 * A Session as the app runs it, in one Node process: the real sheet worker core behind the real
 * client, with every message structured-cloned (and its buffers moved) as across a worker boundary,
 * and a bridge that records what the session asks of the privileged side.
 */
import { createWorkerCore } from '../../../src/renderer/src/worker/core';
import { SheetWorker, type WorkerPort } from '../../../src/renderer/src/worker/client';
import type { FromWorker, ToWorker } from '../../../src/renderer/src/worker/protocol';
import {
  Session,
  type OpenedFile,
  type RecordedRun,
  type SessionBridge,
} from '../../../src/renderer/src/session';
import type { CallInput, CallOutput, EventPayload } from '../../../src/shared/bridge';
import type { Submission } from '../../../src/shared/prepared';
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';
import { loadAccount } from '../../../src/engine';
import { ORG_PAC, ORG_SENATE, startSandbox } from '../../../src/sandbox';

/** A worker port that runs the real core in this process, one message at a time, as a worker would. */
export function inProcessPort(): WorkerPort {
  let closed = false;
  const port: WorkerPort = {
    onmessage: null,
    onerror: null,
    postMessage(message: ToWorker, transfer: ArrayBuffer[]) {
      const copy = structuredClone(message, { transfer });
      setTimeout(() => {
        if (!closed) core.handle(copy);
      }, 0);
    },
    terminate() {
      closed = true;
    },
  };
  const core = createWorkerCore((message: FromWorker, transfer?: ArrayBuffer[]) => {
    const copy = structuredClone(message, { transfer: transfer ?? [] });
    setTimeout(() => {
      if (!closed) port.onmessage?.({ data: copy });
    }, 0);
  });
  return port;
}

export interface RecordingBridge extends SessionBridge {
  started: Submission[];
  accountCalls: Array<CallInput<'loadAccount'>>;
  account: CallOutput<'loadAccount'>;
  nextRunId: string;
  /** What `getSavedMatches` answers, and every `saveMatches` call. */
  saved: CallOutput<'getSavedMatches'>;
  savedCalls: Array<CallInput<'saveMatches'>>;
}

export function recordingBridge(): RecordingBridge {
  const bridge: RecordingBridge = {
    started: [],
    accountCalls: [],
    account: { snapshot: null, stop: null },
    nextRunId: 'run-1',
    async getSavedMapping() {
      return null;
    },
    async saveMapping() {
      return true;
    },
    saved: [],
    async getSavedMatches() {
      return structuredClone(bridge.saved);
    },
    async saveMatches(input) {
      bridge.savedCalls.push(structuredClone(input));
      return true;
    },
    savedCalls: [],
    async loadAccount(input) {
      bridge.accountCalls.push(input);
      return structuredClone(bridge.account);
    },
    async startRun(input) {
      // What crosses the bridge is a copy (and the contract's schema must accept it).
      bridge.started.push(structuredClone(input));
      return { runId: bridge.nextRunId };
    },
  };
  return bridge;
}

/** Resolves once `ready()` holds, checking after each turn of the event loop. */
export async function until(ready: () => boolean, what = 'the session', limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export interface Opened {
  session: Session;
  bridge: RecordingBridge;
}

/** Open a file (or a recorded run) and wait until every row is in and checked. */
export async function openSession(
  source: OpenedFile | RecordedRun,
  opts: { defaultOrg?: string; bridge?: RecordingBridge } = {},
): Promise<Opened> {
  const bridge = opts.bridge ?? recordingBridge();
  const session = new Session(source, opts.defaultOrg ?? '', {
    bridge,
    worker: new SheetWorker(inProcessPort()),
    frame: (f) => setTimeout(f, 0),
  });
  await session.read({}, true);
  await settled(session);
  return { session, bridge };
}

/** Every row is checked and the last validation pass has ended. */
export async function settled(session: Session): Promise<void> {
  await until(
    () => !!session.model?.loaded && session.model.rowsPending === 0 && session.validation === null,
    'every row to be checked',
  );
  // Let messages already posted (duplicates, account findings) arrive.
  await new Promise((r) => setTimeout(r, 5));
}

export function file(name: string, bytes: Uint8Array): OpenedFile {
  return { name, path: null, bytes };
}

/** The privileged side's answer to each sent row, as the run's events carry them. */
export function rowEvent(
  runId: string,
  rowKey: string,
  row: number,
  result: Partial<EventPayload<'runRow'>['result']> & { status: EventPayload<'runRow'>['result']['status'] },
  issues: EventPayload<'runRow'>['issues'] = [],
): EventPayload<'runRow'> {
  return { runId, result: { rowKey, row, attempts: 1, ...result }, issues };
}

export function finished(
  runId: string,
  results: Array<EventPayload<'runRow'>['result']>,
  issues: EventPayload<'runFinished'>['issues'] = [],
): EventPayload<'runFinished'> {
  const counts = { rows: results.length, created: 0, failed: 0, invalid: 0, skipped: 0, notSent: 0 };
  for (const r of results) {
    if (r.status === 'created') counts.created++;
    else if (r.status === 'failed') counts.failed++;
    else if (r.status === 'invalid') counts.invalid++;
    else if (r.status === 'skipped') counts.skipped++;
    else counts.notSent++;
  }
  return {
    runId,
    state: 'completed',
    resumed: false,
    stop: null,
    counts,
    results,
    issues,
    fileName: 'sheet',
  };
}

/**
 * The Sandbox account as the app's account check fetches it (both organizations, every list), from a
 * real Sandbox started for the purpose and closed again.
 */
export async function sandboxSnapshot(): Promise<AccountSnapshot | null> {
  const sandbox = await startSandbox({ port: 0 });
  try {
    const fetched = await loadAccount({
      apiKey: sandbox.apiKey,
      baseUrl: sandbox.baseUrl,
      organizationIds: [ORG_SENATE, ORG_PAC],
      source: 'Sandbox',
      audience: 'app',
    });
    return fetched.snapshot;
  } finally {
    await sandbox.close();
  }
}
