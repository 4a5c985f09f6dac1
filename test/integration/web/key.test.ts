/**
 * The API key goes only where it was saved for. Driven over the web harness's real HTTP with the
 * token, i.e. as a compromised page of the app itself could: it may change the settings, it cannot
 * make the app send the stored key to another server.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from '../../../src/web/server';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import type { CallName } from '../../../src/shared/bridge';
import { checkCustomBaseUrl } from '../../../src/engine/service/key';
import { bridgeCall } from './helpers';

let h: WebHarness;
let root: string;
let sb: RunningSandbox;
let thief: Server;
let thiefUrl: string;
/** Every request the other server received, with its headers. */
const received: Array<{ url: string; headers: Record<string, unknown> }> = [];
const call = <K extends CallName>(name: K, input?: unknown) => bridgeCall(h, name, input);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bi-web-key-'));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
  h = await startWebHarness({ dataDir: join(root, 'data'), rendererDir: join(root, 'renderer') });
  // A real API to save a key for, as a custom server on this computer.
  sb = await startSandbox({ latencyMs: 0, jitterMs: 0 });
  thief = createServer((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":[],"has_more":false}');
  });
  await new Promise<void>((ok) => thief.listen(0, '127.0.0.1', () => ok()));
  thiefUrl = `http://127.0.0.1:${(thief.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await h.close();
  await sb.close();
  await new Promise((ok) => thief.close(ok));
  rmSync(root, { recursive: true, force: true });
});

describe('the key is bound to where it was saved for', () => {
  it('is sent to the custom server it was saved for', async () => {
    await call('setSettings', { environment: 'custom', customBaseUrl: sb.baseUrl });
    const v = await call('setApiKey', { apiKey: sb.apiKey });
    expect(v.hasApiKey).toBe(true);
    expect(v.baseUrl).toBe(sb.baseUrl);
    const t = await call('testConnection');
    expect(t.ok).toBe(true);
    expect(t.organizations.length).toBeGreaterThan(0);
  });

  it('is not sent when the window points the settings at another server', async () => {
    received.length = 0;
    const v = await call('setSettings', { environment: 'custom', customBaseUrl: thiefUrl });
    expect(v.hasApiKey).toBe(false);
    expect(v.keySavedFor).toBe(sb.baseUrl);
    const t = await call('testConnection');
    expect(t.ok).toBe(false);
    expect(t.message).toMatch(
      /saved for http:\/\/127\.0\.0\.1:\d+\/v1.*Enter the key for http:\/\/127\.0\.0\.1/,
    );
    expect(JSON.stringify(t)).not.toContain(sb.apiKey);
    // Nor by an account check, which sends requests of its own.
    const account = await call('loadAccount', { organizationIds: ['org_x'] });
    expect(account.snapshot).toBeNull();
    expect(account.stop?.message).toMatch(/saved for/);
    expect(received).toEqual([]);
  });

  it('is not sent to Production either, when it was saved for another server', async () => {
    const v = await call('setSettings', { environment: 'production' });
    expect(v.hasApiKey).toBe(false);
    const t = await call('testConnection');
    expect(t).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Enter the key for https:\/\/api\./),
    });
  });

  it('follows the user back: the server it was saved for gets it again', async () => {
    const v = await call('setSettings', { environment: 'custom', customBaseUrl: `${sb.baseUrl}/` });
    expect(v.hasApiKey).toBe(true);
    expect((await call('testConnection')).ok).toBe(true);
  });

  it('a new key for another server replaces the old one, and is sent only there', async () => {
    await call('setSettings', { environment: 'custom', customBaseUrl: thiefUrl });
    await call('setApiKey', { apiKey: 'pc_test_forTheOtherServer1' });
    received.length = 0;
    await call('testConnection');
    expect(received.map((r) => r.headers['x-api-key'])).toEqual(['pc_test_forTheOtherServer1']);
    await call('setSettings', { environment: 'custom', customBaseUrl: sb.baseUrl });
    expect((await call('testConnection')).ok).toBe(false);
    await call('clearApiKey');
  });
});

describe('what is accepted as a key and a server', () => {
  it('refuses keys with control characters or whitespace inside', async () => {
    await call('setSettings', { environment: 'production' });
    for (const apiKey of [
      'pc_live_abc\ndef',
      'pc_live_abc\rdef',
      'pc_live abc',
      'pc_live_abc\tdef',
      'pc_live_\u0000x',
      'pc_live_é',
    ])
      await expect(call('setApiKey', { apiKey }), JSON.stringify(apiKey)).rejects.toThrow(
        /space, a line break or another character/,
      );
    expect((await call('getSettings')).hasApiKey).toBe(false);
    // Spaces around a pasted key are only trimmed.
    expect((await call('setApiKey', { apiKey: '  pc_live_Trimmed123\n' })).hasApiKey).toBe(true);
    await call('clearApiKey');
  });

  it('saves no key for the Sandbox, which needs none', async () => {
    await call('setSettings', { environment: 'sandbox' });
    await expect(call('setApiKey', { apiKey: 'pc_live_x1' })).rejects.toThrow(/Sandbox needs no key/);
  });

  it('takes a custom server over https only, plain http only on this computer', async () => {
    for (const customBaseUrl of [
      'http://api.example.org/v1',
      'ftp://api.example.org/',
      'javascript:alert(1)',
      'https://user:pw@api.example.org/v1',
      'https://api.example.org/v1?x=1',
      'api.example.org',
    ])
      await expect(
        call('setSettings', { environment: 'custom', customBaseUrl }),
        customBaseUrl,
      ).rejects.toThrow();
    expect((await call('getSettings')).customBaseUrl).not.toMatch(/example/);
    const ok = await call('setSettings', {
      environment: 'custom',
      customBaseUrl: 'https://api.example.org/v1/',
    });
    expect(ok.customBaseUrl).toBe('https://api.example.org/v1');
    expect(checkCustomBaseUrl('http://localhost:8080/v1')).toEqual({
      ok: true,
      baseUrl: 'http://localhost:8080/v1',
    });
    expect(checkCustomBaseUrl('http://[::1]:8080/v1')).toMatchObject({ ok: true });
    expect(checkCustomBaseUrl('http://127.0.0.1.evil.example/v1')).toMatchObject({ ok: false });
    await call('setSettings', { environment: 'sandbox' });
  });
});
