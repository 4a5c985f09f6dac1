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

/** A call as the app's own page makes it: the token header, from the harness's own origin. */
async function call<K extends CallName>(name: K, input?: unknown): Promise<CallOutput<K>> {
  const res = await fetch(`http://127.0.0.1:${h.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'x-importer-token': h.token, origin: `http://127.0.0.1:${h.port}` },
    body: encodeWire({ input }),
  });
  const body = decodeWire(await res.text()) as { output?: CallOutput<K>; error?: string };
  if (!res.ok) throw new Error(body.error);
  return body.output as CallOutput<K>;
}

function raw(
  path: string,
  headers: Record<string, string> = {},
  opts: { method?: string; body?: string; abortAfterHeaders?: boolean } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: h.port, path, headers, method: opts.method ?? 'GET' },
      (res) => {
        if (opts.abortAfterHeaders && res.statusCode === 200) {
          resolve({ status: 200, body: '' });
          req.destroy();
          return;
        }
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the web harness refuses strangers', () => {
  const bridge = (headers: Record<string, string>, name = 'getAppInfo', path = '') =>
    fetch(`http://127.0.0.1:${h.port}/api/call/${name}${path}`, {
      method: 'POST',
      headers,
      body: encodeWire({ input: undefined }),
    });
  const own = () => `http://127.0.0.1:${h.port}`;

  it('answers a bridge call only with the token in its header, never from the address or a cookie', async () => {
    expect((await bridge({ origin: own(), 'x-importer-token': h.token })).status).toBe(200);
    const none = await bridge({ origin: own() });
    expect(none.status).toBe(403);
    expect(await none.text()).toMatch(/token/);
    expect((await bridge({ origin: own(), 'x-importer-token': 'nope' })).status).toBe(403);
    expect((await bridge({ origin: own() }, 'getAppInfo', `?token=${h.token}`)).status).toBe(403);
    // A cookie is what a browser attaches by itself to another same-site page's request.
    expect((await bridge({ origin: own(), cookie: `importer_token=${h.token}` })).status).toBe(403);
  });

  it('answers a bridge call only from its own origin', async () => {
    const token = { 'x-importer-token': h.token };
    // Another port of this computer is another origin (and the same site, for a browser's cookies).
    expect((await bridge({ ...token, origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await bridge({ ...token, origin: 'null' })).status).toBe(403);
    expect((await bridge({ ...token, origin: `http://localhost:${h.port}` })).status).toBe(403);
    // A POST that does not say where it comes from.
    expect((await bridge({ ...token })).status).toBe(403);
    expect((await bridge({ ...token, origin: own(), 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await bridge({ ...token, origin: own(), 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await bridge({ ...token, origin: own(), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // The event stream (a GET: browsers send no Origin to their own origin).
    const events = (headers: Record<string, string>, query = '') =>
      raw(`/api/events${query}`, headers, { abortAfterHeaders: true });
    expect((await events({ ...token, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await events({ ...token, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await events({ ...token, origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await events({}, `?token=${h.token}`)).status).toBe(403);
  });

  it('serves the page without a token and without cookies, under its policy', async () => {
    const res = await fetch(`http://127.0.0.1:${h.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none';.*frame-ancestors 'none'/,
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(await res.text()).not.toContain(h.token);
    expect((await fetch(h.url)).status).toBe(200);
    // A wrong token in the address says so at once.
    expect((await fetch(`http://127.0.0.1:${h.port}/?token=nope`)).status).toBe(403);
    const asset = await fetch(`http://127.0.0.1:${h.port}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses another Host (DNS rebinding) and paths outside the app', async () => {
    expect((await raw(`/`, { host: `evil.example:${h.port}` })).status).toBe(403);
    // A rebound name: the page's own origin, the right token even, but not the harness's host.
    const rebound = await raw(
      '/api/call/getAppInfo',
      {
        host: `evil.example:${h.port}`,
        origin: `http://evil.example:${h.port}`,
        'x-importer-token': h.token,
      },
      { method: 'POST', body: '{}' },
    );
    expect(rebound.status).toBe(403);
    expect((await raw(`/..%2fsecret.txt`)).status).toBe(404);
    expect((await raw(`/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await raw(`/%E0%A4%A`)).status).toBe(404);
    expect((await raw(`/index.html%00.js`)).status).toBe(404);
  });

  it('parses every input with the contract', async () => {
    await expect(call('openExample', { format: 'pdf' })).rejects.toThrow(/Invalid input for openExample/);
    const r = await fetch(`http://127.0.0.1:${h.port}/api/call/deleteEverything`, {
      method: 'POST',
      headers: { 'x-importer-token': h.token, origin: own() },
      body: '{}',
    });
    expect(r.status).toBe(404);
  });
});

/**
 * Send a request with a large declared body, `sent` bytes of it, and wait for the answer without
 * sending the rest. The harness must answer (and stop reading) long before the body is complete.
 */
function oversized(
  port: number,
  token: string,
  opts: { declared?: number; sent: number },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      'x-importer-token': token,
      origin: `http://127.0.0.1:${port}`,
      'content-type': 'application/json',
    };
    if (opts.declared !== undefined) headers['content-length'] = opts.declared;
    const req = request({ host: '127.0.0.1', port, path: '/api/call/saveFile', method: 'POST', headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('The harness kept reading the body instead of refusing it.'));
    }, 15_000);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    const pump = () => {
      while (written < opts.sent) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

describe('request bodies', () => {
  it('refuses a 600 MB body on its declared length, before reading it', async () => {
    const r = await oversized(h.port, h.token, { declared: 600 * 1024 * 1024, sent: 1024 * 1024 });
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/more than the app accepts/);
  });

  it('stops a body without a declared length as soon as it passes the limit', async () => {
    const small = await startWebHarness({
      dataDir: join(root, 'data-small'),
      rendererDir: join(root, 'renderer'),
      maxBodyBytes: 256 * 1024,
    });
    try {
      // Chunked: the length is known only while it arrives. 1 MB sent of a body that never ends.
      const r = await oversized(small.port, small.token, { sent: 1024 * 1024 });
      expect(r.status).toBe(413);
      // The harness still answers afterwards.
      const ok = await fetch(`http://127.0.0.1:${small.port}/api/call/getAppInfo`, {
        method: 'POST',
        headers: { 'x-importer-token': small.token, origin: `http://127.0.0.1:${small.port}` },
        body: '{}',
      });
      expect(ok.status).toBe(200);
    } finally {
      await small.close();
    }
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

  it('keeps settings and saved mappings', async () => {
    await call('setSettings', { defaultOrganizationId: 'org_x' });
    expect((await call('getSettings')).defaultOrganizationId).toBe('org_x');
    await call('setSettings', { defaultOrganizationId: '' });
    expect(await call('getSavedMapping', { signature: 'a|b' })).toBeNull();
    await call('saveMapping', { signature: 'a|b', mapping: { columns: ['name', null] } });
    expect(await call('getSavedMapping', { signature: 'a|b' })).toEqual({ columns: ['name', null] });
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
    const stream = await fetch(`http://127.0.0.1:${h.port}/api/events`, {
      headers: { 'x-importer-token': h.token },
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

describe('npm run web', () => {
  it('refuses a port that is not one, saying so', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/web/cli.ts', '--port', '80abc'], {
      cwd: new URL('../../..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port must be a port number \(1 to 65535\), not "80abc"/);
  });
});
