/** The app:// protocol's path resolution and answers, in plain Node over real files. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleResponse, isBundleUrl, resolveBundlePath } from '../../../src/main/protocol';
import { RENDERER_CSP } from '../../../src/shared/serve';

const root = mkdtempSync(join(tmpdir(), 'bi-protocol-'));
const build = join(root, 'renderer');
mkdirSync(join(build, 'assets'), { recursive: true });
writeFileSync(join(build, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(build, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'not part of the build');
mkdirSync(join(root, 'renderer-old'));
writeFileSync(join(root, 'renderer-old', 'x.js'), 'a sibling folder sharing the prefix');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the app:// protocol', () => {
  it('knows its own origin exactly', () => {
    expect(isBundleUrl('app://bundle/index.html')).toBe(true);
    expect(isBundleUrl('app://bundle/')).toBe(true);
    for (const url of [
      'file:///index.html',
      'app://bundle.evil/index.html',
      'app://evil.bundle/index.html',
      'app://bundle:1/index.html',
      'app://u:p@bundle/index.html',
      'https://bundle/index.html',
      'app:bundle/index.html',
      'not a url',
    ])
      expect(isBundleUrl(url), url).toBe(false);
  });

  it('resolves the files of the build, and nothing outside it', () => {
    expect(resolveBundlePath(build, 'app://bundle/')).toBe(join(build, 'index.html'));
    expect(resolveBundlePath(build, 'app://bundle/index.html')).toBe(join(build, 'index.html'));
    expect(resolveBundlePath(build, 'app://bundle/assets/index-abc.js?v=1#x')).toBe(
      join(build, 'assets', 'index-abc.js'),
    );
    for (const url of [
      'app://bundle/..%2fsecret.txt',
      'app://bundle/assets%2f..%2f..%2fsecret.txt',
      'app://bundle/..%5csecret.txt',
      'app://bundle/assets\\..\\..\\secret.txt',
      'app://bundle/%2e%2e%2fsecret.txt',
      'app://bundle/..%2frenderer-old/x.js',
      'app://bundle/%00index.html',
      'app://bundle/C:%2fWindows%2fwin.ini',
      'app://bundle/index.html:stream',
      'app://bundle/assets//index-abc.js',
      'app://bundle/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
    ])
      expect(resolveBundlePath(build, url), url).toBeNull();
    // Dot segments the URL parser itself removes stay inside the build.
    const parsed = resolveBundlePath(build, 'app://bundle/../../secret.txt');
    expect(parsed).toBe(join(build, 'secret.txt'));
  });

  it('answers with the file and the policy as a header; 404 for anything else', async () => {
    const page = await bundleResponse(build, { url: 'app://bundle/index.html', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(
      `${RENDERER_CSP}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('id="root"');
    const js = await bundleResponse(build, { url: 'app://bundle/assets/index-abc.js', method: 'GET' });
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    expect((await bundleResponse(build, { url: 'app://bundle/..%2fsecret.txt', method: 'GET' })).status).toBe(
      404,
    );
    expect((await bundleResponse(build, { url: 'app://bundle/missing.js', method: 'GET' })).status).toBe(404);
    expect((await bundleResponse(build, { url: 'app://bundle/assets', method: 'GET' })).status).toBe(404);
    expect((await bundleResponse(build, { url: 'app://bundle/index.html', method: 'POST' })).status).toBe(
      405,
    );
  });

  it('keeps the meta policy of the page equal to the one sent as a header', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(RENDERER_CSP);
  });
});
