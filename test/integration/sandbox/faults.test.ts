import { afterEach, describe, expect, it } from 'vitest';
import type { PoliticalCommsError } from '@political-comms/sdk';
import { PoliticalCommsClient } from '@political-comms/sdk';
import { startSandbox, type FaultName, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox';
import { call, errorOf, tenDlcBody } from './helpers';

let sb: RunningSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const post = (
  s: RunningSandbox,
  opts: { idempotencyKey?: string; signal?: AbortSignal; name?: string } = {},
) =>
  call(s.baseUrl, 'POST', '/projects', {
    apiKey: s.apiKey,
    body: tenDlcBody(opts.name ? { name: opts.name } : {}),
    idempotencyKey: opts.idempotencyKey,
    signal: opts.signal,
  });

async function faultsOf(options: SandboxOptions, writes: number): Promise<FaultName[]> {
  const s = await startSandbox(options);
  try {
    for (let i = 0; i < writes; i++) await post(s, { idempotencyKey: `k${i}` }).catch(() => undefined);
    return s.state.log.map((e) => e.fault);
  } finally {
    await s.close();
  }
}

describe('latency', () => {
  it('adds the fixed latency to every answer', async () => {
    sb = await startSandbox({ latencyMs: 120 });
    const started = performance.now();
    await call(sb.baseUrl, 'GET', '/organizations', { apiKey: sb.apiKey });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('draws the jitter from the seed: the same seed gives the same delays', async () => {
    const delays = async (seed: number) => {
      const s = await startSandbox({ latencyMs: 1, jitterMs: 20, seed });
      try {
        for (let i = 0; i < 5; i++) await call(s.baseUrl, 'GET', '/brands', { apiKey: s.apiKey });
        return s.state.log.map((e) => e.delayMs);
      } finally {
        await s.close();
      }
    };
    const a = await delays(7);
    expect(await delays(7)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
    for (const d of a) expect(d).toBeGreaterThanOrEqual(1);
  });
});

describe('random faults', () => {
  it('answers a seeded share of writes with 500/502/503, the same ones for the same seed', async () => {
    const a = await faultsOf({ failRate: 0.3, seed: 42 }, 60);
    const b = await faultsOf({ failRate: 0.3, seed: 42 }, 60);
    expect(b).toEqual(a);
    const failed = a.filter((f) => f === '500' || f === '502' || f === '503');
    expect(failed.length).toBeGreaterThan(8);
    expect(failed.length).toBeLessThan(32);
    expect(await faultsOf({ failRate: 0.3, seed: 43 }, 60)).not.toEqual(a);
  });

  it('leaves reads alone unless faultScope is "all"', async () => {
    sb = await startSandbox({ failRate: 1 });
    expect((await call(sb.baseUrl, 'GET', '/brands', { apiKey: sb.apiKey })).status).toBe(200);
    await sb.close();
    sb = await startSandbox({ failRate: 1, faultScope: 'all' });
    expect((await call(sb.baseUrl, 'GET', '/brands', { apiKey: sb.apiKey })).status).toBeGreaterThanOrEqual(
      500,
    );
  });

  it('mixes resets and slow answers by their rates', async () => {
    const faults = await faultsOf(
      { resetBeforeRate: 0.2, resetAfterRate: 0.2, slowRate: 0.2, slowMs: 1, seed: 3 },
      50,
    );
    expect(new Set(faults)).toEqual(new Set(['none', 'reset_before', 'reset_after', 'slow']));
  });
});

describe('scripted faults', () => {
  it('answers 500 and 503 in the JSON envelope, 502 and 504 as a gateway HTML page', async () => {
    sb = await startSandbox({ faults: { next: ['500', '502', '503', '504'] } });
    const answers = [await post(sb), await post(sb), await post(sb), await post(sb)];
    expect(answers.map((a) => a.status)).toEqual([500, 502, 503, 504]);
    expect(errorOf(answers[0]!).code).toBe('INTERNAL_ERROR');
    expect(answers[1]!.headers.get('Content-Type')).toMatch(/text\/html/);
    expect(answers[1]!.body).toBeUndefined();
    expect(errorOf(answers[2]!).code).toBe('SERVICE_UNAVAILABLE');
    expect(answers.every((a) => a.headers.get('X-RateLimit-Limit') !== null)).toBe(true);
    expect(sb.state.projects).toHaveLength(0);
    expect((await post(sb)).status).toBe(201);
  });

  it('resets the connection before the project is created: a retry with the same key creates it once', async () => {
    sb = await startSandbox({ faults: { next: ['reset_before'] } });
    await expect(post(sb, { idempotencyKey: 'row-7' })).rejects.toThrow();
    expect(sb.state.projects).toHaveLength(0);
    expect(sb.state.log[0]).toMatchObject({ status: 'reset', fault: 'reset_before' });
    expect((await post(sb, { idempotencyKey: 'row-7' })).status).toBe(201);
    expect(sb.state.projects).toHaveLength(1);
  });

  it('resets the connection after the project is created: the retry with the same key replays it', async () => {
    sb = await startSandbox({ faults: { next: ['reset_after'] } });
    const client = new PoliticalCommsClient({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, maxRetries: 0 });
    const err = await client
      .createProject(tenDlcBody(), { idempotencyKey: 'row-9' })
      .catch((e: unknown) => e);
    expect((err as PoliticalCommsError).code).toBe('NETWORK_ERROR');
    expect(sb.state.projects).toHaveLength(1);
    const retry = await client.createProject(tenDlcBody(), { idempotencyKey: 'row-9' });
    expect(retry.data.project_id).toBe(sb.state.projects[0]!.detail.project_id);
    expect(sb.state.projects).toHaveLength(1);
    expect(sb.state.log.map((e) => e.replayed)).toEqual([false, true]);
  });

  it('without a key, a reset after creation makes the retry a duplicate (what the importer must avoid)', async () => {
    sb = await startSandbox({ faults: { next: ['reset_after'] } });
    await expect(post(sb)).rejects.toThrow();
    await post(sb);
    expect(sb.state.duplicateNames().get('GOTV reminder')).toBe(2);
  });

  it('answers slower than a client timeout; the project exists and the same key tells its id', async () => {
    sb = await startSandbox({ faults: { next: ['slow'] }, slowMs: 2_000 });
    await expect(post(sb, { idempotencyKey: 'slow-1', signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(sb.state.projects).toHaveLength(1);
    const retry = await post(sb, { idempotencyKey: 'slow-1' });
    expect(retry.status).toBe(201);
    expect((retry.body as { data: { project_id: string } }).data.project_id).toBe(
      sb.state.projects[0]!.detail.project_id,
    );
  });

  it('follows a plan by request number, reads included', async () => {
    sb = await startSandbox({
      faults: { plan: (r) => (r.seq === 2 ? '503' : r.writeSeq === 2 ? '429' : null) },
    });
    expect((await call(sb.baseUrl, 'GET', '/brands', { apiKey: sb.apiKey })).status).toBe(200);
    expect((await call(sb.baseUrl, 'GET', '/brands', { apiKey: sb.apiKey })).status).toBe(503);
    expect((await post(sb)).status).toBe(201);
    const limited = await post(sb);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
  });

  it('takes faults queued while running', async () => {
    sb = await startSandbox();
    sb.state.pushFaults('none', '500');
    expect((await post(sb)).status).toBe(201);
    expect((await post(sb)).status).toBe(500);
    expect((await post(sb)).status).toBe(201);
  });
});

describe('account states', () => {
  it('answers 409 SENDING_PAUSED with the scope', async () => {
    sb = await startSandbox({ sendingPaused: 'platform' });
    const client = new PoliticalCommsClient({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, maxRetries: 0 });
    const err = (await client.createProject(tenDlcBody()).catch((e: unknown) => e)) as PoliticalCommsError;
    expect(err.statusCode).toBe(409);
    expect(err.code).toBe('SENDING_PAUSED');
    expect(err.body).toMatchObject({ details: { scope: 'platform' } });
    sb.state.config.sendingPaused = 'organization';
    expect(errorOf(await post(sb))).toMatchObject({ details: { scope: 'organization' } });
    sb.state.config.sendingPaused = false;
    sb.state.pushFaults('sending_paused');
    expect((await post(sb)).status).toBe(409);
    expect(sb.state.projects).toHaveLength(0);
  });

  it('answers 403 ONBOARDING_INCOMPLETE with the missing steps and the onboarding URL', async () => {
    sb = await startSandbox({ onboardingIncomplete: true });
    const res = await post(sb);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      success: false,
      code: 'ONBOARDING_INCOMPLETE',
      statusCode: 403,
      details: { missingSteps: ['profile', 'funding'], onboardingUrl: expect.stringMatching(/^https:\/\//) },
    });
    expect(sb.state.projects).toHaveLength(0);
  });
});

describe('close()', () => {
  it('leaves no open handles, even with a slow answer pending and keep-alive sockets', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const s = await startSandbox({ slowMs: 60_000, faults: { next: ['slow'] } });
    await call(s.baseUrl, 'GET', '/brands', { apiKey: s.apiKey });
    const pending = post(s).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    const servers = (list: string[]) => list.filter((r) => r === 'TCPServerWrap').length;
    expect(servers(process.getActiveResourcesInfo())).toBe(servers(before) + 1);
    await s.close();
    expect(await pending).toBe('aborted');
    await new Promise((r) => setTimeout(r, 50));
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    expect(servers(after)).toBeLessThanOrEqual(servers(before));
    expect(after.filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(
      before.filter((r) => r === 'Timeout').length,
    );
    await s.close(); // twice is fine
  });
});
