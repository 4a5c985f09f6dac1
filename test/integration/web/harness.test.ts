import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebHarness, type WebHarness } from '../../../src/web/server';
import { decodeWire, encodeWire } from '../../../src/shared/wire';
import { checkAgainstAccount } from '../../../src/shared/account/check';
import { readSubmission } from '../../../src/engine/input';
import type { CallName, CallOutput } from '../../../src/shared/bridge';

let h: WebHarness;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bi-web-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  h = await startWebHarness({
    dataDir: join(root, 'data'),
    rendererDir,
    sandbox: { latencyMs: 0, jitterMs: 0 },
  });
});
afterAll(async () => {
  await h.close();
  rmSync(root, { recursive: true, force: true });
});

async function call<K extends CallName>(name: K, input?: unknown): Promise<CallOutput<K>> {
  const res = await fetch(`http://127.0.0.1:${h.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'x-importer-token': h.token },
    body: encodeWire({ input }),
  });
  const body = decodeWire(await res.text()) as { output?: CallOutput<K>; error?: string };
  if (!res.ok) throw new Error(body.error);
  return body.output as CallOutput<K>;
}

function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web harness refuses strangers', () => {
  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await fetch(`http://127.0.0.1:${h.port}/`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${h.port}/?token=nope`)).status).toBe(403);
    const r = await fetch(`http://127.0.0.1:${h.port}/api/call/getAppInfo`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(403);
    expect(await r.text()).toMatch(/token/);
  });

  it('serves the app with the token, then trusts its cookie only', async () => {
    const res = await fetch(h.url);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await fetch(`http://127.0.0.1:${h.port}/assets/app.js`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses another Host (DNS rebinding) and paths outside the app', async () => {
    expect((await raw(`/?token=${h.token}`, { host: `evil.example:${h.port}` })).status).toBe(403);
    expect((await raw(`/..%2fsecret.txt?token=${h.token}`)).status).toBe(404);
    expect((await raw(`/%2e%2e/secret.txt?token=${h.token}`)).status).toBe(404);
  });

  it('parses every input with the contract', async () => {
    await expect(call('openExample', { format: 'pdf' })).rejects.toThrow(/Invalid input for openExample/);
    const r = await fetch(`http://127.0.0.1:${h.port}/api/call/deleteEverything`, {
      method: 'POST',
      headers: { 'x-importer-token': h.token },
      body: '{}',
    });
    expect(r.status).toBe(404);
  });
});

describe('the service behind it', () => {
  it('starts in Sandbox mode and connects to the local simulator', async () => {
    const s = await call('getSettings');
    expect(s.environment).toBe('sandbox');
    const t = await call('testConnection');
    expect(t.ok).toBe(true);
    expect(t.organizations.map((o) => o.name)).toEqual(['Rivera for Senate', 'Forward Together PAC']);
    expect((await call('getSettings')).baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('keeps settings, saved mappings and recent files', async () => {
    await call('setSettings', { defaultOrganizationId: 'org_x' });
    expect((await call('getSettings')).defaultOrganizationId).toBe('org_x');
    await call('setSettings', { defaultOrganizationId: '' });
    expect(await call('getSavedMapping', { signature: 'a|b' })).toBeNull();
    await call('saveMapping', { signature: 'a|b', mapping: { columns: ['name', null] } });
    expect(await call('getSavedMapping', { signature: 'a|b' })).toEqual({ columns: ['name', null] });
    const recent = await call('noteRecentFile', { name: 'x.csv', path: join(root, 'secret.txt') });
    expect(recent[0]).toMatchObject({ name: 'x.csv' });
    expect(await call('listRecentFiles')).toHaveLength(1);
  });

  it('never writes the API key to disk, and tells the UI only whether one is set', async () => {
    await call('setSettings', { environment: 'production' });
    const v = await call('setApiKey', { apiKey: 'pc_live_do_not_store_me' });
    expect(v.hasApiKey).toBe(true);
    expect(v.keyProtection).toBe('memory');
    expect(JSON.stringify(v)).not.toContain('pc_live_do_not_store_me');
    const files = readdirSync(h.dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    for (const f of files)
      expect(readFileSync(join(f.parentPath, f.name), 'utf8')).not.toContain('pc_live_do_not_store_me');
    expect((await call('clearApiKey')).hasApiKey).toBe(false);
    await call('setSettings', { environment: 'sandbox' });
  });

  it('opens only allowlisted https documentation links', async () => {
    expect(await call('openExternal', { url: 'https://evil.example/' })).toBe(false);
    expect(await call('openExternal', { url: 'javascript:alert(1)' })).toBe(false);
  });

  it('loads the account for the example and checks its rows against it', async () => {
    const file = await call('openExample', { format: 'xlsx' });
    const { submission } = readSubmission({ bytes: file.bytes, fileName: file.name });
    const rows = submission.rows.flatMap((r) =>
      r.body ? [{ rowKey: r.rowKey, row: r.row, body: r.body as never }] : [],
    );
    const orgs = [...new Set(rows.map((r) => (r.body as { organization_id: string }).organization_id))];
    const account = await call('loadAccount', { organizationIds: orgs });
    expect(account.stop).toBeNull();
    const p = checkAgainstAccount(rows, account.snapshot!);
    const errors = p.issues.filter((i) => i.severity === 'error').map((i) => `${i.row} ${i.field}`);
    expect(errors).toContain('18 phone_number_ids');
    expect(p.issues.filter((i) => i.row === 19).map((i) => `${i.field} ${i.severity} ${i.code}`)).toEqual([
      'toll_free_verification_id warning toll_free_verification_not_verified',
    ]);
    // Validation findings are not repeated: the UI already shows them.
    expect(p.issues.find((i) => i.code === 'forbidden_for_toll_free')).toBeUndefined();
  });

  it('submits, streams progress, and exports a results sheet', async () => {
    const events: Array<{ event: string; payload: { runId?: string } }> = [];
    const controller = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${h.port}/api/events?token=${h.token}`, {
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (chunk.startsWith('data: ')) events.push(decodeWire(chunk.slice(6)) as (typeof events)[number]);
        }
      }
    })();

    const grid = [
      ['organization_id', 'name', 'protocol', 'brand_id', 'campaign_id', 'phone_number_ids', 'message_text'],
      [
        'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0',
        'Web run A',
        'sms',
        'brand_01HR77TXQCN3JZF2DZYTBBGTM9',
        'camp_01HR9G1HX1EN9R9RS5X0FZS0PB',
        'pn_01HRCGB4W8GJACYA1SCX5GNW8R',
        'Hi',
      ],
      [
        'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0',
        'Web run B',
        'sms',
        '',
        'camp_01HR9G1HX1EN9R9RS5X0FZS0PB',
        'pn_01HRCGB4W8GJACYA1SCX5GNW8R',
        'Hi',
      ],
    ];
    const csv = new TextEncoder().encode(grid.map((r) => r.join(',')).join('\n') + '\n');
    const { submission } = readSubmission({ bytes: csv, fileName: 'web.csv' });
    const { runId } = await call('startRun', submission);
    for (let i = 0; i < 200 && !events.some((e) => e.event === 'runFinished'); i++)
      await new Promise((r) => setTimeout(r, 25));
    controller.abort();
    await pump;
    const finished = events.find((e) => e.event === 'runFinished')!
      .payload as CallOutput<'listUnfinishedRuns'>[number] & {
      counts: { created: number; invalid: number };
      results: Array<{ row: number; status: string }>;
    };
    expect(finished.runId).toBe(runId);
    expect(finished.counts).toMatchObject({ created: 1, invalid: 1 });
    expect(events.some((e) => e.event === 'runProgress' && e.payload.runId === runId)).toBe(true);
    expect(events.filter((e) => e.event === 'runRow').length).toBeGreaterThanOrEqual(1);

    const saved = await call('exportResults', { runId, format: 'csv' });
    expect('path' in saved && saved.path.startsWith(h.outDir)).toBe(true);
    const text = readFileSync((saved as { path: string }).path, 'utf8');
    expect(text).toMatch(/Web run A.*created/);
    expect(text).toMatch(/Web run B.*invalid/);
    expect(await call('listUnfinishedRuns')).toEqual([]);
  });
});
