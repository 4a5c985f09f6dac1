import { afterEach, describe, expect, it } from 'vitest';
import { PoliticalCommsClient } from '@political-comms/sdk';
import { SANDBOX_SENATE_KEY, startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { call, errorOf, tenDlcBody } from './helpers';

let sb: RunningSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('Idempotency-Key', () => {
  it('replays the first answer with the same status and creates nothing more', async () => {
    sb = await startSandbox();
    const body = tenDlcBody({ name: 'once' });
    const first = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body,
      idempotencyKey: 'row-2',
    });
    const second = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body,
      idempotencyKey: 'row-2',
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(sb.state.projects).toHaveLength(1);
  });

  it('compares bodies as JSON: key order and spacing do not matter', async () => {
    sb = await startSandbox();
    const body = tenDlcBody();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body, idempotencyKey: 'k' });
    const again = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      rawBody: JSON.stringify(reordered, null, 2),
      idempotencyKey: 'k',
    });
    expect(again.status).toBe(201);
    expect(sb.state.projects).toHaveLength(1);
  });

  it('refuses the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    sb = await startSandbox();
    await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body: tenDlcBody({ name: 'a' }),
      idempotencyKey: 'k',
    });
    const res = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body: tenDlcBody({ name: 'b' }),
      idempotencyKey: 'k',
    });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(sb.state.projects).toHaveLength(1);
  });

  it('replays a refusal too (400), so a retry of a bad row stays refused', async () => {
    sb = await startSandbox();
    const body = tenDlcBody({ protocol: 'fax' });
    const a = await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body, idempotencyKey: 'bad' });
    const b = await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body, idempotencyKey: 'bad' });
    expect([a.status, b.status]).toEqual([400, 400]);
    expect(b.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('does not store answers that depend on a passing state (409), so a later retry creates', async () => {
    sb = await startSandbox({ sendingPaused: 'organization' });
    const body = tenDlcBody();
    const paused = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body,
      idempotencyKey: 'p',
    });
    expect(paused.status).toBe(409);
    sb.state.config.sendingPaused = false;
    const later = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body,
      idempotencyKey: 'p',
    });
    expect(later.status).toBe(201);
  });

  it('scopes keys per API key', async () => {
    sb = await startSandbox();
    const body = tenDlcBody();
    await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body, idempotencyKey: 'shared' });
    const other = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: SANDBOX_SENATE_KEY,
      body,
      idempotencyKey: 'shared',
    });
    expect(other.status).toBe(201);
    expect(other.headers.get('Idempotent-Replayed')).toBeNull();
    expect(sb.state.projects).toHaveLength(2);
  });

  it('creates again without a key (the official client always sends a fresh one)', async () => {
    sb = await startSandbox();
    const client = new PoliticalCommsClient({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, maxRetries: 0 });
    await client.createProject(tenDlcBody());
    await client.createProject(tenDlcBody());
    await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body: tenDlcBody() });
    expect(sb.state.projects).toHaveLength(3);
    expect(sb.state.duplicateNames().get('GOTV reminder')).toBe(3);
  });

  it('refuses an over-long key', async () => {
    sb = await startSandbox();
    const res = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body: tenDlcBody(),
      idempotencyKey: 'k'.repeat(256),
    });
    expect(res.status).toBe(400);
    expect(errorOf(res).details?.[0]).toMatchObject({ field: 'Idempotency-Key' });
  });
});
