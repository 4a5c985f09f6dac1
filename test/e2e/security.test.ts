/** The built renderer's security policy, checked on the file that ships and in a real browser. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, type App } from './helpers';

declare const document: {
  addEventListener(
    type: 'securitypolicyviolation',
    fn: (e: { violatedDirective: string; blockedURI: string }) => void,
  ): void;
};

let app: App;
beforeAll(async () => {
  app = await launchApp();
});
afterAll(async () => app?.close());

describe('renderer security', () => {
  it('ships a Content-Security-Policy that starts from default-src none, without eval or remote hosts', () => {
    const html = readFileSync(new URL('../../out/renderer/index.html', import.meta.url), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp.startsWith("default-src 'none';")).toBe(true);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('runs the whole start screen and an example with no policy violation or page error', async () => {
    const violations: string[] = [];
    app.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await app.page
      .getByRole('button', { name: /example/i })
      .first()
      .click();
    await app.page
      .getByRole('grid')
      .or(app.page.getByText(/columns/i).first())
      .first()
      .waitFor();
    expect(violations).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it('cannot reach anything but its own origin: the policy itself refuses the request', async () => {
    const blocked = await app.page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
      await fetch('https://example.com/').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      return seen;
    });
    // The policy arrives twice, as the page's meta tag and as the response header: each refuses it.
    expect(blocked).toEqual([
      expect.stringMatching(/^connect-src https:\/\/example\.com/),
      expect.stringMatching(/^connect-src https:\/\/example\.com/),
    ]);
  });

  it('is served with the policy as a header too, with what a meta tag cannot say', async () => {
    const res = await fetch(`http://127.0.0.1:${app.harness.port}/`);
    const header = res.headers.get('content-security-policy') ?? '';
    expect(header.startsWith("default-src 'none';")).toBe(true);
    expect(header).toMatch(/frame-ancestors 'none'/);
    expect(header).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});
