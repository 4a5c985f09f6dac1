import { afterEach, describe, expect, it } from 'vitest';
import type { PoliticalCommsError } from '@political-comms/sdk';
import { PoliticalCommsClient } from '@political-comms/sdk';
import { SANDBOX_SENATE_KEY, startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { call, tenDlcBody } from './helpers';

let sb: RunningSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('rate limits', () => {
  it('puts X-RateLimit-* on every answer, errors included', async () => {
    sb = await startSandbox({ writeLimit: 5, readLimit: 7 });
    const ok = await call(sb.baseUrl, 'GET', '/organizations', { apiKey: sb.apiKey });
    const unauth = await call(sb.baseUrl, 'GET', '/organizations', { apiKey: 'wrong' });
    const invalid = await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body: {} });
    for (const res of [ok, unauth, invalid]) {
      expect(res.headers.get('X-RateLimit-Limit')).toMatch(/^\d+$/);
      expect(res.headers.get('X-RateLimit-Remaining')).toMatch(/^\d+$/);
      expect(res.headers.get('X-RateLimit-Reset')).toMatch(/^\d+$/);
    }
    expect(ok.headers.get('X-RateLimit-Limit')).toBe('7');
    expect(ok.headers.get('X-RateLimit-Remaining')).toBe('6');
    expect(invalid.headers.get('X-RateLimit-Limit')).toBe('5');
    expect(invalid.headers.get('X-RateLimit-Remaining')).toBe('4');
  });

  it('refuses the request past the limit with 429 RATE_LIMIT_EXCEEDED and Retry-After', async () => {
    let now = 1_800_000_000_000;
    sb = await startSandbox({ writeLimit: 2, windowMs: 10_000, clock: () => now });
    const post = () => call(sb!.baseUrl, 'POST', '/projects', { apiKey: sb!.apiKey, body: tenDlcBody() });
    expect((await post()).status).toBe(201);
    now += 4_000;
    expect((await post()).status).toBe(201);
    now += 1_000;
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      success: false,
      error: expect.any(String),
      code: 'RATE_LIMIT_EXCEEDED',
      statusCode: 429,
      retryAfter: 5,
    });
    expect(refused.headers.get('Retry-After')).toBe('5');
    expect(refused.headers.get('X-RateLimit-Remaining')).toBe('0');
    // Reset: when the oldest request leaves the window.
    expect(refused.headers.get('X-RateLimit-Reset')).toBe(String((1_800_000_000_000 + 10_000) / 1000));
    expect(sb.state.projects).toHaveLength(2);
    // The window slides: once the first request is out, one more is allowed.
    now += 5_001;
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(429);
  });

  it('counts reads and writes apart, and each key apart', async () => {
    sb = await startSandbox({ writeLimit: 1, readLimit: 1 });
    expect(
      (await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body: tenDlcBody() })).status,
    ).toBe(201);
    expect((await call(sb.baseUrl, 'GET', '/organizations', { apiKey: sb.apiKey })).status).toBe(200);
    expect((await call(sb.baseUrl, 'GET', '/organizations', { apiKey: sb.apiKey })).status).toBe(429);
    expect((await call(sb.baseUrl, 'GET', '/organizations', { apiKey: SANDBOX_SENATE_KEY })).status).toBe(
      200,
    );
  });

  it('reports no limit as a large one and never refuses', async () => {
    sb = await startSandbox();
    const client = new PoliticalCommsClient({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, maxRetries: 0 });
    for (let i = 0; i < 20; i++) await client.listBrands();
    expect(client.lastRateLimit?.limit).toBeGreaterThanOrEqual(1_000_000);
  });

  it('lets the official client read the state and see the 429', async () => {
    sb = await startSandbox({ readLimit: 1 });
    const client = new PoliticalCommsClient({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, maxRetries: 0 });
    await client.listBrands();
    expect(client.lastRateLimit).toMatchObject({ limit: 1, remaining: 0 });
    const err = await client.listBrands().catch((e: unknown) => e);
    expect((err as PoliticalCommsError).code).toBe('RATE_LIMIT_EXCEEDED');
  });
});
