/**
 * The browser search of the end-to-end tests and the benchmarks, on a made-up file system for each
 * platform: what it finds, in what order, and what it says when there is nothing.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BrowserNotFound,
  findBrowser,
  installAdvice,
  thisSystem,
  type BrowserSystem,
} from '../../../scripts/find-browser';

interface Fake {
  platform: NodeJS.Platform;
  home: string;
  env?: Record<string, string>;
  /** Program files that exist; their folders are listable. */
  files?: string[];
  /** Files that exist but may not be run. */
  plain?: string[];
}

function system(f: Fake): BrowserSystem & { looked: string[] } {
  const files = new Set(f.files ?? []);
  const all = [...files, ...(f.plain ?? [])];
  const sep = f.platform === 'win32' ? '\\' : '/';
  const looked: string[] = [];
  return {
    platform: f.platform,
    env: f.env ?? {},
    home: f.home,
    looked,
    isExecutable(file) {
      looked.push(file);
      return files.has(file);
    },
    list(dir) {
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      const names = all.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split(sep)[0]!);
      return [...new Set(names)];
    },
  };
}

function notFound(sys: BrowserSystem): string {
  try {
    findBrowser(sys);
  } catch (e) {
    if (e instanceof BrowserNotFound) return e.message;
    throw e;
  }
  throw new Error('expected no browser');
}

describe('findBrowser on Linux', () => {
  const home = '/home/ana';

  it('finds Debian and Ubuntu Chromium, Chrome and Edge where their packages put them', () => {
    for (const file of [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome-stable',
      '/opt/google/chrome/chrome',
      '/snap/bin/chromium',
      '/opt/microsoft/msedge/msedge',
    ]) {
      expect(findBrowser(system({ platform: 'linux', home, files: [file] }))).toEqual({
        path: file,
        source: 'installed',
      });
    }
  });

  it('prefers Chromium to Chrome, and passes over a file that cannot be run', () => {
    const files = ['/usr/bin/google-chrome', '/usr/bin/chromium'];
    expect(findBrowser(system({ platform: 'linux', home, files })).path).toBe('/usr/bin/chromium');
    const sys = system({
      platform: 'linux',
      home,
      files: ['/usr/bin/google-chrome'],
      plain: ['/usr/bin/chromium'],
    });
    expect(findBrowser(sys).path).toBe('/usr/bin/google-chrome');
  });

  it('looks up the program names in the folders of PATH', () => {
    const env = { PATH: '/usr/local/bin:relative/bin::/home/ana/bin' };
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'microsoft-edge']) {
      const file = `/home/ana/bin/${name}`;
      expect(findBrowser(system({ platform: 'linux', home, env, files: [file] }))).toEqual({
        path: file,
        source: 'PATH',
      });
    }
    // A relative PATH entry is never searched: it would depend on the folder the tests run from.
    const sys = system({ platform: 'linux', home, env, files: ['relative/bin/chromium'] });
    expect(notFound(sys)).toContain('No Chrome, Chromium or Edge was found');
    expect(sys.looked.some((p) => p.startsWith('relative'))).toBe(false);
  });

  it("falls back to Playwright's cache, newest revision first, in today's and the older layout", () => {
    const files = [
      '/home/ana/.cache/ms-playwright/chromium-1091/chrome-linux/chrome',
      '/home/ana/.cache/ms-playwright/chromium-1200/chrome-linux64/chrome',
      '/home/ana/.cache/ms-playwright/chromium-999/chrome-linux64/chrome',
    ];
    expect(findBrowser(system({ platform: 'linux', home, files }))).toEqual({
      path: files[1],
      source: "Playwright's cache",
    });
    expect(findBrowser(system({ platform: 'linux', home, files: [files[0]!] })).path).toBe(files[0]);
    // Not a chromium-<revision> folder: not looked into.
    const other = ['/home/ana/.cache/ms-playwright/firefox-1400/chrome-linux/chrome'];
    expect(() => findBrowser(system({ platform: 'linux', home, files: other }))).toThrow(BrowserNotFound);
  });

  it("follows XDG_CACHE_HOME and PLAYWRIGHT_BROWSERS_PATH to Playwright's cache", () => {
    const xdg = '/var/cache/ana/ms-playwright/chromium-1200/chrome-linux64/chrome';
    const env = { XDG_CACHE_HOME: '/var/cache/ana' };
    expect(findBrowser(system({ platform: 'linux', home, env, files: [xdg] })).path).toBe(xdg);
    const shared = '/srv/browsers/chromium-1300/chrome-linux64/chrome';
    const named = { PLAYWRIGHT_BROWSERS_PATH: '/srv/browsers' };
    expect(findBrowser(system({ platform: 'linux', home, env: named, files: [shared] })).path).toBe(shared);
  });

  it('takes BROWSER_PATH or CHROMIUM_PATH before anything else, and says so when it names nothing', () => {
    const files = ['/usr/bin/chromium', '/opt/my/chrome'];
    expect(
      findBrowser(system({ platform: 'linux', home, env: { BROWSER_PATH: '/opt/my/chrome' }, files })),
    ).toEqual({
      path: '/opt/my/chrome',
      source: 'BROWSER_PATH',
    });
    expect(
      findBrowser(system({ platform: 'linux', home, env: { CHROMIUM_PATH: '/opt/my/chrome' }, files })),
    ).toEqual({ path: '/opt/my/chrome', source: 'CHROMIUM_PATH' });
    // A wrong override is an error, not a silent fall-back to another browser.
    const message = notFound(
      system({ platform: 'linux', home, env: { BROWSER_PATH: '/opt/gone/chrome' }, files }),
    );
    expect(message).toContain('BROWSER_PATH names /opt/gone/chrome, which is not a program file');
  });

  it('says what to install when there is no browser at all', () => {
    const message = notFound(system({ platform: 'linux', home }));
    expect(message).toBe(installAdvice('linux'));
    expect(message).toContain('apt-get install chromium');
    expect(message).toContain('BROWSER_PATH or CHROMIUM_PATH');
    expect(message).toContain('npx playwright-core install chromium');
  });
});

describe('findBrowser on macOS', () => {
  const home = '/Users/ana';

  it('finds Chrome, Chromium and Edge in /Applications and ~/Applications', () => {
    for (const file of [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ]) {
      expect(findBrowser(system({ platform: 'darwin', home, files: [file] }))).toEqual({
        path: file,
        source: 'installed',
      });
    }
  });

  it("finds Playwright's Chrome for Testing, and the older Chromium build, in ~/Library/Caches", () => {
    const cft =
      '/Users/ana/Library/Caches/ms-playwright/chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing';
    const old =
      '/Users/ana/Library/Caches/ms-playwright/chromium-1091/chrome-mac/Chromium.app/Contents/MacOS/Chromium';
    expect(findBrowser(system({ platform: 'darwin', home, files: [cft, old] })).path).toBe(cft);
    expect(findBrowser(system({ platform: 'darwin', home, files: [old] })).path).toBe(old);
  });

  it('finds a chromium on PATH (Homebrew) and says what to install otherwise', () => {
    const brew = '/opt/homebrew/bin/chromium';
    const env = { PATH: '/usr/bin:/opt/homebrew/bin' };
    expect(findBrowser(system({ platform: 'darwin', home, env, files: [brew] })).path).toBe(brew);
    expect(notFound(system({ platform: 'darwin', home }))).toContain('Google Chrome');
  });
});

describe('findBrowser on Windows', () => {
  const home = 'C:\\Users\\Ana';
  const env = {
    PROGRAMFILES: 'C:\\Program Files',
    'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
    LOCALAPPDATA: 'C:\\Users\\Ana\\AppData\\Local',
  };

  it("finds Chrome, Chromium and Edge in Program Files and the user's AppData", () => {
    for (const file of [
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Users\\Ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\Ana\\AppData\\Local\\Chromium\\Application\\chrome.exe',
    ]) {
      expect(findBrowser(system({ platform: 'win32', home, env, files: [file] }))).toEqual({
        path: file,
        source: 'installed',
      });
    }
  });

  it('uses Program Files on another drive when the environment says so', () => {
    const file = 'D:\\Apps\\Microsoft\\Edge\\Application\\msedge.exe';
    const moved = { ...env, 'PROGRAMFILES(X86)': 'D:\\Apps' };
    expect(findBrowser(system({ platform: 'win32', home, env: moved, files: [file] })).path).toBe(file);
  });

  it('looks up chrome and msedge on PATH with the PATHEXT endings', () => {
    const file = 'C:\\Tools\\msedge.exe';
    const withPath = { ...env, PATH: 'C:\\Windows;C:\\Tools', PATHEXT: '.COM;.EXE' };
    expect(findBrowser(system({ platform: 'win32', home, env: withPath, files: [file] }))).toEqual({
      path: file,
      source: 'PATH',
    });
  });

  it("finds Playwright's Chromium in %LOCALAPPDATA%\\ms-playwright", () => {
    const files = [
      'C:\\Users\\Ana\\AppData\\Local\\ms-playwright\\chromium-1091\\chrome-win\\chrome.exe',
      'C:\\Users\\Ana\\AppData\\Local\\ms-playwright\\chromium-1200\\chrome-win64\\chrome.exe',
    ];
    expect(findBrowser(system({ platform: 'win32', home, env, files })).path).toBe(files[1]);
    expect(findBrowser(system({ platform: 'win32', home, env, files: [files[0]!] })).path).toBe(files[0]);
  });

  it('says what to install when there is nothing', () => {
    expect(notFound(system({ platform: 'win32', home, env }))).toBe(installAdvice('win32'));
  });
});

describe('on this machine', () => {
  it('accepts a runnable file named by BROWSER_PATH and refuses one that cannot be run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bi-browser-'));
    const exe = join(dir, 'chrome');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    const sys = thisSystem();
    expect(findBrowser({ ...sys, env: { BROWSER_PATH: exe } })).toEqual({
      path: exe,
      source: 'BROWSER_PATH',
    });
    if (process.platform !== 'win32') {
      chmodSync(exe, 0o644);
      expect(() => findBrowser({ ...sys, env: { BROWSER_PATH: exe } })).toThrow(BrowserNotFound);
    }
    mkdirSync(join(dir, 'folder'));
    expect(() => findBrowser({ ...sys, env: { BROWSER_PATH: join(dir, 'folder') } })).toThrow(
      BrowserNotFound,
    );
  });

  it('stops the end-to-end run with the one message when no browser is found', () => {
    // The run's set-up, in a child with nothing to find: no PATH, an empty home, a named browser that is gone.
    const empty = mkdtempSync(join(tmpdir(), 'bi-nobrowser-'));
    const setup = new URL('../../e2e/browser-setup.ts', import.meta.url).pathname;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', `import(${JSON.stringify(setup)}).then((m) => m.default())`],
      { env: { HOME: empty, PATH: '', BROWSER_PATH: join(empty, 'chrome') }, encoding: 'utf8' },
    );
    expect(child.status).toBe(1);
    expect(child.stderr.trim()).toMatch(/^BROWSER_PATH names .*chrome, which is not a program file/);
    expect(child.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
