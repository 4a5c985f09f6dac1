/**
 * The session against the real privileged side: the real worker core behind the client, the
 * service the app and the web harness expose (every call through its contract schemas, as the
 * main process checks them), and the Sandbox. Runs events back into the session as the app does.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { BRIDGE, type CallName, type EventName } from '../../../src/shared/bridge';
import type { Session, SessionBridge } from '../../../src/renderer/src/session';
import { serviceFixture, type ServiceFixture } from '../../integration/service/helpers';
import { EXAMPLE_CSV } from './harness';
import { file, openSession, recordingBridge, until } from './session-harness';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** The service's handlers as the window reaches them: input and output checked by the contract. */
function bridgeOf(f: ServiceFixture): SessionBridge {
  const call =
    <K extends CallName>(name: K) =>
    async (input: unknown) => {
      const handler = f.service.handlers[name] as (i: unknown) => Promise<unknown>;
      const out = await handler(BRIDGE[name].input.parse(structuredClone(input)));
      return BRIDGE[name].output.parse(structuredClone(out));
    };
  return {
    getSavedMapping: call('getSavedMapping'),
    saveMapping: call('saveMapping'),
    loadAccount: call('loadAccount'),
    startRun: call('startRun'),
    getSavedMatches: call('getSavedMatches'),
    saveMatches: call('saveMatches'),
  } as SessionBridge;
}

/** Route the service's run events to the session, as App does. */
function route(session: () => Session | null) {
  return (event: EventName, payload: unknown) => {
    const s = session();
    if (!s) return;
    const p = structuredClone(payload) as never;
    if (event === 'runProgress') s.onProgress(p);
    else if (event === 'runRow') s.onRow(p);
    else if (event === 'runFinished') s.onFinished(p);
    else if (event === 'runFailed') s.onFailed(p);
  };
}

async function withService(sandbox: Parameters<typeof serviceFixture>[0] = {}) {
  let current: Session | null = null;
  const f = serviceFixture({ ...sandbox, onEvent: route(() => current) });
  open.push(f);
  const bridge = Object.assign(recordingBridge(), bridgeOf(f));
  return {
    f,
    bridge,
    async open(source: Parameters<typeof openSession>[0]) {
      const opened = await openSession(source, { bridge });
      current = opened.session;
      open.push({ close: () => opened.session.dispose() });
      return opened.session;
    },
  };
}

const phys = (s: Session, excelRow: number) => s.model!.rowNumbers.indexOf(excelRow);
const col = (s: Session, header: string) => s.model!.headers.indexOf(header);
const done = (s: Session) => s.review?.step === 'done';

describe('the session and the service', () => {
  test('the rows the grid counts are the rows created; a row fixed afterwards is sent next', async () => {
    const app = await withService();
    const session = await app.open(file('projects.csv', EXAMPLE_CSV));
    await session.confirmColumns();
    await session.checkAccount();
    expect(session.account.snapshot?.source).toBeTruthy();
    const m = session.model!;
    expect(m.rowSev[phys(session, 18)]).toBe(2);
    const plan = session.plan();
    await session.startRun();
    await until(() => done(session), 'the run to end', 30_000);
    expect(session.run?.summary?.counts.created).toBe(plan.rows.length);
    expect(m.rowsCreated).toBe(plan.rows.length);
    for (const r of plan.rows) expect(m.resultOf(r)?.projectId).toMatch(/^proj_/);

    // Row 8, never sent, fixed now: the next run sends it alone.
    m.setCells([{ row: phys(session, 8), col: col(session, 'Protocol'), value: 'mms' }], 'Edit cell');
    expect(Array.from(session.plan().rows)).toEqual([phys(session, 8)]);
    await session.startRun();
    await until(() => done(session) && session.run?.summary?.counts.rows === 1, 'the second run', 30_000);
    expect(m.resultOf(phys(session, 8))?.status).toBe('created');
    expect(m.rowsCreated).toBe(plan.rows.length + 1);
  });

  test('the same file opened again and sent continues the run it left unfinished: no project twice', async () => {
    const app = await withService({ sandbox: { latencyMs: 60 } });
    const first = await app.open(file('projects.csv', EXAMPLE_CSV));
    await first.confirmColumns();
    await first.startRun();
    const runId = first.run!.runId;
    await until(() => first.model!.rowsCreated >= 3, 'a few rows created', 30_000);
    await app.f.service.handlers.cancelRun({ runId });
    await until(() => done(first), 'the run to stop', 30_000);
    first.dispose();

    const again = await app.open(file('projects.csv', EXAMPLE_CSV));
    await again.confirmColumns();
    // The same rows under the same keys: the service picks up the run they belong to.
    expect(again.model!.rowKey(phys(again, 2))).toBe(first.model!.rowKey(phys(first, 2)));
    await again.startRun();
    expect(again.run!.runId).toBe(runId);
    await until(() => done(again), 'the run to end', 30_000);
    expect(again.model!.rowsCreated).toBe(14);
    const names = app.f.sandbox()!.state.projects.map((p) => `${p.detail.organization_id}/${p.detail.name}`);
    // 14 projects, each once (rows 13 and 14 share a name on purpose: the only repeat).
    expect(names.length).toBe(14);
    expect(new Set(names).size).toBe(13);
  });

  test('a run cut short and resumed shows every row it created', async () => {
    const app = await withService({ sandbox: { latencyMs: 60 } });
    const session = await app.open(file('projects.csv', EXAMPLE_CSV));
    await session.confirmColumns();
    await session.startRun();
    const runId = session.run!.runId;
    await until(() => session.model!.rowsCreated >= 3, 'a few rows created', 30_000);
    await app.f.service.handlers.cancelRun({ runId });
    await until(() => done(session), 'the run to stop', 30_000);
    const before = session.model!.rowsCreated;
    expect(before).toBeLessThan(15);

    const recorded = BRIDGE.continueRun.output.parse(await app.f.service.handlers.continueRun({ runId }));
    const resumed = await app.open(recorded);
    expect(resumed.model!.n).toBe(15);
    await resumed.resumeRun();
    await until(() => done(resumed), 'the resumed run to end', 30_000);
    // Every row of the run is on the grid, each created once: those before the cut and after it.
    expect(resumed.model!.rowsCreated).toBe(resumed.run!.summary!.counts.created);
    // Row 18's numbers belong to another campaign: the run's own account check keeps it back.
    expect(resumed.model!.rowsCreated).toBe(14);
    expect(resumed.model!.resultOf(phys(resumed, 18))?.status).not.toBe('created');
  });
});
