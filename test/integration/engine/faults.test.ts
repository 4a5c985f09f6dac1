/** Every fault mode of the Sandbox: what the run does, and never a missing or a second project. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRun, type RunOptions, type RunSummary } from '../../../src/engine';
import {
  FAULT_NAMES,
  SANDBOX_SENATE_KEY,
  startSandbox,
  type FaultName,
  type RunningSandbox,
  type SandboxOptions,
  type SandboxRequestInfo,
} from '../../../src/sandbox';
import { csv, fromFile, pacRow, validRows } from '../../unit/engine/helpers';

const FAST = { backoffBaseMs: 10, backoffCapMs: 100, requestTimeoutMs: 400 };

const open: RunningSandbox[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function sandbox(o: SandboxOptions = {}): Promise<RunningSandbox> {
  const s = await startSandbox({ seed: 3, slowMs: 1200, ...o });
  open.push(s);
  return s;
}

function run(sb: RunningSandbox, n: number, extra: Partial<RunOptions> = {}): Promise<RunSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'bi-faults-'));
  dirs.push(dir);
  return createRun({
    ...fromFile(csv(validRows(n)), 'p.csv'),
    apiKey: sb.apiKey,
    baseUrl: sb.baseUrl,
    policy: FAST,
    journalPath: join(dir, 'j.jsonl'),
    ...extra,
  }).start();
}

function exactlyOnce(sb: RunningSandbox, n: number): void {
  const names = sb.state.projects.map((p) => p.detail.name).sort();
  expect(names).toEqual(
    validRows(n)
      .map((r) => r.name)
      .sort(),
  );
}

describe('fault modes', () => {
  const transient: Array<[FaultName, number | 'reset']> = [
    ['reset_before', 'reset'],
    ['reset_after', 'reset'],
    ['slow', 0],
    ['500', 500],
    ['502', 502],
    ['503', 503],
    ['504', 504],
    ['429', 429],
  ];
  it('covers every fault the Sandbox has', () => {
    const tested = new Set<string>([
      'none',
      'sending_paused',
      'onboarding_incomplete',
      ...transient.map(([f]) => f),
    ]);
    expect(FAULT_NAMES.filter((f) => !tested.has(f))).toEqual([]);
  });

  it.each(transient)(
    '%s on the first write: retried with the same key, one project per row',
    async (fault) => {
      // windowMs: a scripted 429 asks to wait until the (empty) window ends.
      const arrivals: Array<string | undefined> = [];
      const plan = (req: SandboxRequestInfo) => {
        if (req.method === 'POST') arrivals.push(req.idempotencyKey);
        return null;
      };
      const sb = await sandbox({ faults: { next: [fault], plan }, windowMs: 1000 });
      const summary = await run(sb, 3);
      expect(summary.state).toBe('completed');
      expect(summary.results.map((r) => [r.status, r.attempts])).toEqual([
        ['created', 2],
        ['created', 1],
        ['created', 1],
      ]);
      exactlyOnce(sb, 3);
      // Arrivals, not answers: a slow answer is still on its way when the retry has been answered.
      expect(arrivals).toHaveLength(4);
      expect(arrivals[1]).toBe(arrivals[0]);
      expect(new Set(arrivals).size).toBe(3);
      const writes = sb.state.log.filter((e) => e.method === 'POST');
      if (fault === 'reset_after' || fault === 'slow')
        expect(writes.filter((w) => w.replayed)).toHaveLength(1);
    },
  );

  it('none: every row in one attempt', async () => {
    const sb = await sandbox({ faults: { next: ['none'] } });
    const summary = await run(sb, 2);
    expect(summary.results.map((r) => r.attempts)).toEqual([1, 1]);
  });

  it.each([
    ['sending_paused', 409, 'SENDING_PAUSED', /paused/],
    ['onboarding_incomplete', 403, 'ONBOARDING_INCOMPLETE', /onboarding/],
  ] as const)(
    '%s stops the run with what to do; once lifted, the same command finishes it',
    async (fault, status, code, text) => {
      const sb = await sandbox({ faults: { next: ['none', fault] } });
      const dir = mkdtempSync(join(tmpdir(), 'bi-faults-'));
      dirs.push(dir);
      const journalPath = join(dir, 'j.jsonl');
      const first = await run(sb, 4, { journalPath });
      expect(first.state).toBe('stopped');
      expect(first.stop).toMatchObject({ reason: 'account', row: 3, httpStatus: status, code });
      expect(first.stop?.message).toMatch(text);
      expect(first.stop?.message).toMatch(/run the same command again/);
      expect(first.results.map((r) => r.status)).toEqual(['created', 'not_sent', 'not_sent', 'not_sent']);
      expect(first.results[1]).toMatchObject({ errorCode: code, httpStatus: status });
      expect(sb.state.log.filter((e) => e.method === 'POST')).toHaveLength(2);

      const second = await run(sb, 4, { journalPath });
      expect(second.state).toBe('completed');
      expect(second.results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created']);
      exactlyOnce(sb, 4);
    },
  );

  it('the whole account paused or not onboarded: the first write stops the run', async () => {
    for (const o of [{ sendingPaused: 'platform' as const }, { onboardingIncomplete: true }]) {
      const sb = await sandbox(o);
      const summary = await run(sb, 3);
      expect(summary.state).toBe('stopped');
      expect(sb.state.log.filter((e) => e.method === 'POST')).toHaveLength(1);
      expect(sb.state.projects).toHaveLength(0);
    }
  });

  it('a key refused while sending (401, with or without a code) stops the run', async () => {
    for (const authErrorsWithoutCode of [false, true]) {
      const sb = await sandbox({ authErrorsWithoutCode });
      let n = 0;
      const revoke: typeof fetch = (input, init) => {
        if (init?.method === 'POST' && ++n === 2) {
          const headers = new Headers(init.headers);
          headers.set('X-API-Key', 'pc_live_revoked');
          return fetch(input, { ...init, headers });
        }
        return fetch(input, init);
      };
      const summary = await run(sb, 3, { fetch: revoke });
      expect(summary.state).toBe('stopped');
      expect(summary.stop).toMatchObject({ reason: 'account', httpStatus: 401, row: 3 });
      expect(summary.stop?.message).toMatch(/POLITICAL_COMMS_API_KEY/);
      expect(summary.results.map((r) => r.status)).toEqual(['created', 'not_sent', 'not_sent']);
    }
  });

  it('ORG_ACCESS_DENIED on a write stops the run', async () => {
    const sb = await sandbox();
    const narrow: typeof fetch = (input, init) => {
      if (init?.method === 'POST') {
        const headers = new Headers(init.headers);
        headers.set('X-API-Key', SANDBOX_SENATE_KEY);
        return fetch(input, { ...init, headers });
      }
      return fetch(input, init);
    };
    const summary = await createRun({
      ...fromFile(csv([pacRow('PAC row')]), 'p.csv'),
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
      policy: FAST,
      fetch: narrow,
    }).start();
    expect(summary.stop).toMatchObject({ reason: 'account', httpStatus: 403, code: 'ORG_ACCESS_DENIED' });
    expect(summary.stop?.message).toMatch(/organization_id/);
  });

  it('random faults at every step (seeded): every row created exactly once', async () => {
    const sb = await sandbox({
      seed: 11,
      failRate: 0.2,
      resetBeforeRate: 0.1,
      resetAfterRate: 0.15,
      slowRate: 0.05,
      slowMs: 800,
      faultScope: 'all',
      latencyMs: 2,
    });
    const summary = await run(sb, 20);
    expect(summary.counts).toMatchObject({ created: 20, failed: 0 });
    exactlyOnce(sb, 20);
    expect(summary.results.some((r) => r.attempts > 1)).toBe(true);
    expect(sb.state.log.some((e) => e.replayed)).toBe(true);
    expect(sb.state.log.some((e) => e.code === 'IDEMPOTENCY_KEY_REUSED')).toBe(false);
  });

  it('an API that keeps failing: rows give up after bounded attempts, then the run stops; the next run retries them with the same keys', async () => {
    const sb = await sandbox({ failRate: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'bi-faults-'));
    dirs.push(dir);
    const journalPath = join(dir, 'j.jsonl');
    const first = await run(sb, 5, { journalPath, policy: { ...FAST, maxAttempts: 3 } });
    expect(first.state).toBe('stopped');
    expect(first.stop?.reason).toBe('unreachable');
    expect(first.results.map((r) => r.status)).toEqual([
      'failed',
      'failed',
      'failed',
      'not_sent',
      'not_sent',
    ]);
    expect(first.results[0]).toMatchObject({ attempts: 3 });
    expect(first.results[0]?.errorMessage).toMatch(/run the same command again/);
    const keys = new Set(sb.state.log.filter((e) => e.method === 'POST').map((e) => e.idempotencyKey));
    expect(keys.size).toBe(3);

    sb.state.config.failRate = 0;
    const second = await run(sb, 5, { journalPath });
    expect(second.counts.created).toBe(5);
    expect(second.results[0]).toMatchObject({ attempts: 4 });
    const keys2 = new Set(sb.state.log.filter((e) => e.method === 'POST').map((e) => e.idempotencyKey));
    expect(keys2.size).toBe(5);
    exactlyOnce(sb, 5);
  });

  it('an API that cannot be reached stops before sending', async () => {
    const sb = await sandbox();
    const baseUrl = sb.baseUrl;
    await sb.close();
    const summary = await createRun({
      ...fromFile(csv(validRows(2)), 'p.csv'),
      apiKey: sb.apiKey,
      baseUrl,
      policy: { ...FAST, maxAttempts: 2 },
    }).start();
    expect(summary.state).toBe('stopped');
    expect(summary.stop).toMatchObject({ reason: 'unreachable' });
    expect(summary.results.map((r) => r.status)).toEqual(['not_sent', 'not_sent']);
  });
});
