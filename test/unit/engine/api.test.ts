import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ApiSession, DEFAULT_RETRY_POLICY, type Control, type RetryPolicy } from '../../../src/engine/api';
import { fullJitterDelay } from '../../../src/engine/backoff';
import { manualClock } from '../../../src/engine/clock';
import { RateLimitTracker, parseResetHeader, parseRetryAfter } from '../../../src/engine/ratelimit';
import { jsonResponse } from './helpers';

function control(): Control & { cancel(abort: boolean): void } {
  const wake = new AbortController();
  const abort = new AbortController();
  const c = {
    cancelled: false,
    wakeSignal: wake.signal,
    abortSignal: abort.signal,
    checkpoint: async () => !c.cancelled,
    cancel(abortInFlight: boolean) {
      c.cancelled = true;
      wake.abort();
      if (abortInFlight) abort.abort(new DOMException('cancelled', 'AbortError'));
    },
  };
  return c;
}

const created = (id = 'proj_1') =>
  jsonResponse(201, { success: true, data: { project_id: id, status: 'draft' } });
const error = (
  status: number,
  code: string | undefined,
  headers: Record<string, string> = {},
  details?: unknown,
) =>
  jsonResponse(
    status,
    { success: false, error: `refused ${status}`, ...(code ? { code } : {}), details },
    headers,
  );

function session(
  answers: Array<Response | Error | ((init: RequestInit) => Promise<Response>)>,
  policy: Partial<RetryPolicy> = {},
  random = () => 0.5,
) {
  const clock = manualClock();
  const ctl = control();
  const seen: Array<{ url: string; headers: Headers; at: number }> = [];
  const fetchFake = async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), headers: new Headers(init?.headers), at: clock.now() });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(init ?? {});
    return next;
  };
  const api = new ApiSession({
    apiKey: 'pc_test_key',
    baseUrl: 'http://127.0.0.1:9/v1',
    fetch: fetchFake as typeof fetch,
    clock,
    random,
    policy: { ...DEFAULT_RETRY_POLICY, ...policy },
    control: ctl,
  });
  const create = (key = 'k1') =>
    api.call('write', (signal) =>
      api.client.createProject(
        { organization_id: 'org', name: 'n', protocol: 'sms', message_text: 'm', phone_number_ids: ['pn'] },
        { idempotencyKey: key, signal },
      ),
    );
  return { api, clock, ctl, seen, create };
}

describe('full-jitter backoff', () => {
  it('stays in [0, min(cap, base * 2^(n-1)))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (n, r) => {
          const d = fullJitterDelay(n, () => r, 1000, 60_000);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.min(60_000, 1000 * 2 ** (n - 1)));
        },
      ),
    );
    expect(fullJitterDelay(1, () => 0.999, 1000, 60_000)).toBe(999);
    expect(fullJitterDelay(30, () => 0.999, 1000, 60_000)).toBe(59_940);
  });
});

describe('rate-limit headers', () => {
  it('reads reset as Unix seconds, epoch ms or seconds from now, and Retry-After as seconds or a date', () => {
    const now = 1_700_000_000_000;
    expect(parseResetHeader('1700000005', now)).toBe(1_700_000_005_000);
    expect(parseResetHeader('1700000005000', now)).toBe(1_700_000_005_000);
    expect(parseResetHeader('30', now)).toBe(now + 30_000);
    expect(parseResetHeader('soon', now)).toBeNull();
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(new Date(now + 9000).toUTCString(), now)).toBe(9000);
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('waits only when the window is spent, per bucket', () => {
    const t = new RateLimitTracker(50);
    const now = 1_700_000_000_000;
    t.update(
      'write',
      new Headers({
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1700000003',
      }),
      now,
    );
    t.update(
      'read',
      new Headers({
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '99',
        'x-ratelimit-reset': '1700000060',
      }),
      now,
    );
    expect(t.delayBeforeSend('write', now)).toBe(3050);
    expect(t.delayBeforeSend('read', now)).toBe(0);
    expect(t.delayBeforeSend('write', now + 3000)).toBe(50);
    expect(t.delayBeforeSend('write', now + 3001 + 50)).toBe(0);
  });
});

describe('ApiSession: retries and pacing', () => {
  it("sends the SDK body with the given Idempotency-Key and never the SDK's own retries", async () => {
    const s = session([created()]);
    const out = await s.create('row-key-1');
    expect(out).toMatchObject({ kind: 'ok', attempts: 1, httpStatus: 201 });
    expect(s.seen[0]?.headers.get('idempotency-key')).toBe('row-key-1');
    expect(s.seen[0]?.headers.get('x-api-key')).toBe('pc_test_key');
  });

  it('retries 5xx, network errors and timeouts with full jitter, reusing the same key', async () => {
    const s = session([
      error(500, 'INTERNAL_ERROR'),
      new TypeError('fetch failed'),
      error(502, undefined),
      created(),
    ]);
    const out = await s.create('same');
    expect(out).toMatchObject({ kind: 'ok', attempts: 4 });
    expect(new Set(s.seen.map((x) => x.headers.get('idempotency-key')))).toEqual(new Set(['same']));
    // random() = 0.5: 500, 1000, 2000 ms.
    expect(s.seen.map((x, i) => (i ? x.at - (s.seen[i - 1]?.at ?? 0) : 0))).toEqual([0, 500, 1000, 2000]);
  });

  it('honours Retry-After on a 503 (up to the backoff cap)', async () => {
    const s = session([error(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '4' }), created()], {}, () => 0);
    await s.create();
    expect((s.seen[1]?.at ?? 0) - (s.seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(4000);
  });

  it('gives up after maxAttempts transient failures and says the outcome is unknown', async () => {
    const s = session(
      Array.from({ length: 10 }, () => error(500, 'INTERNAL_ERROR')),
      { maxAttempts: 4 },
    );
    const out = await s.create();
    expect(out).toMatchObject({ kind: 'failed', attempts: 4, retryable: true, failure: { httpStatus: 500 } });
    expect(s.seen).toHaveLength(4);
  });

  it('never retries 400, 403, 404, 409 and 401; account-level codes stop the run', async () => {
    const cases: Array<[number, string | undefined, string]> = [
      [400, 'VALIDATION_ERROR', 'failed'],
      [400, 'INVALID_LINK_PLACEHOLDER', 'failed'],
      [403, 'PERMISSION_DENIED', 'failed'],
      [404, 'NOT_FOUND', 'failed'],
      [409, 'CONFLICT', 'failed'],
      [422, 'IDEMPOTENCY_KEY_REUSED', 'failed'],
      [401, 'INVALID_API_KEY', 'stopped'],
      [401, undefined, 'stopped'],
      [403, 'ONBOARDING_INCOMPLETE', 'stopped'],
      [403, 'ORG_ACCESS_DENIED', 'stopped'],
      [409, 'SENDING_PAUSED', 'stopped'],
    ];
    for (const [status, code, kind] of cases) {
      const s = session([error(status, code), created()]);
      const out = await s.create();
      expect({ status, code, kind: out.kind, requests: s.seen.length }).toEqual({
        status,
        code,
        kind,
        requests: 1,
      });
    }
  });

  it('after a 429 waits for Retry-After or the reset, whichever is later, and does not count it as a failure', async () => {
    const resetAt = Math.ceil((manualClock().now() + 8000) / 1000);
    const answers = [
      error(429, 'RATE_LIMIT_EXCEEDED', {
        'retry-after': '3',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-limit': '5',
        'x-ratelimit-reset': String(resetAt),
      }),
      error(429, 'RATE_LIMIT_EXCEEDED', { 'retry-after': '1' }),
      created(),
    ];
    const s2 = session(answers, { maxAttempts: 1 });
    const out = await s2.create();
    expect(out).toMatchObject({ kind: 'ok', attempts: 3 });
    const gap1 = (s2.seen[1]?.at ?? 0) - (s2.seen[0]?.at ?? 0);
    expect(gap1).toBeGreaterThanOrEqual(resetAt * 1000 - (s2.seen[0]?.at ?? 0));
    expect((s2.seen[2]?.at ?? 0) - (s2.seen[1]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('paces from the headers: waits for the reset before sending when the window is spent', async () => {
    const waits: number[] = [];
    const resetSec = Math.ceil((manualClock().now() + 5000) / 1000);
    const spent = {
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(resetSec),
    };
    const s2 = session([
      jsonResponse(201, { success: true, data: { project_id: 'a' } }, spent),
      created('b'),
    ]);
    await s2.create('a');
    const before = s2.clock.now();
    const out = await s2.api.call(
      'write',
      (signal) =>
        s2.api.client.createProject(
          { organization_id: 'o', name: 'n', protocol: 'sms', message_text: 'm' },
          { idempotencyKey: 'b', signal },
        ),
      { onWait: (w) => w && waits.push(w.secondsLeft) },
    );
    expect(out.kind).toBe('ok');
    expect(s2.seen[1]?.at).toBeGreaterThanOrEqual(resetSec * 1000);
    expect(s2.seen[1]!.at - before).toBeLessThan(6000);
    expect(waits[0]).toBeGreaterThanOrEqual(4);
    expect(waits.at(-1)).toBe(1);
    expect(s2.api.statusCounts.get(429)).toBeUndefined();
  });

  it('times a request out through its AbortSignal and retries it as transient', async () => {
    const hang = (init: RequestInit) =>
      new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const s = session([hang, created()], { requestTimeoutMs: 20 });
    const retries: string[] = [];
    const out = await s.api.call(
      'write',
      (signal) =>
        s.api.client.createProject(
          { organization_id: 'o', name: 'n', protocol: 'sms', message_text: 'm' },
          { idempotencyKey: 'k', signal },
        ),
      { onRetry: (_n, f) => retries.push(f.code) },
    );
    expect(out).toMatchObject({ kind: 'ok', attempts: 2 });
    expect(retries).toEqual(['TIMEOUT']);
  });

  it('cancel aborts the request in flight and reports it as in flight', async () => {
    const hang = (init: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        setTimeout(() => s.ctl.cancel(true), 5);
      });
    const s = session([hang]);
    const out = await s.create();
    expect(out).toEqual({ kind: 'cancelled', attempts: 1, inFlight: true });
  });

  it('reads error bodies defensively (HTML from a gateway, auth answers without a code)', async () => {
    const html = new Response('<html>502 Bad Gateway</html>', {
      status: 502,
      headers: { 'content-type': 'text/html' },
    });
    const s = session([
      html,
      jsonResponse(401, { error: 'Unauthorized', message: 'The API key is not valid.' }),
    ]);
    const retries: Array<[number, string]> = [];
    const out = await s.api.call(
      'write',
      (signal) =>
        s.api.client.createProject(
          { organization_id: 'o', name: 'n', protocol: 'sms', message_text: 'm' },
          { idempotencyKey: 'k', signal },
        ),
      { onRetry: (_n, f) => retries.push([f.httpStatus, f.code]) },
    );
    expect(retries).toEqual([[502, 'HTTP_502']]);
    expect(out).toMatchObject({
      kind: 'stopped',
      failure: { httpStatus: 401, code: 'HTTP_401', message: 'Unauthorized' },
    });
  });
});
