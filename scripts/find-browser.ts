/**
 * Finds a Chromium-family browser already on this machine for the end-to-end tests and the benchmarks
 * (both drive it through playwright-core, which downloads nothing): the one BROWSER_PATH or
 * CHROMIUM_PATH names, else Chrome, Chromium or Edge where their installers put them or on the PATH,
 * else a Chromium that Playwright downloaded into its own cache.
 *
 * Everything the search looks at comes in through `BrowserSystem`, so it is tested for Linux, macOS
 * and Windows on any machine. Run directly, it prints the browser's path, or what to install.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BrowserSystem {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** True for a file this user may run (on Windows: any file). */
  isExecutable(file: string): boolean;
  /** The names in a folder; [] when it cannot be read. */
  list(dir: string): string[];
}

export interface FoundBrowser {
  path: string;
  /** Where it was found, for the log: "BROWSER_PATH", "PATH", "installed", "Playwright's cache". */
  source: string;
}

export const OVERRIDE_VARIABLES = ['BROWSER_PATH', 'CHROMIUM_PATH'] as const;

/** Thrown when the search cannot go on: a named browser missing, or none found. */
export class BrowserNotFound extends Error {}

/** Program names on the PATH, most specific first. */
const PATH_NAMES: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  linux: [
    'chromium',
    'chromium-browser',
    'google-chrome',
    'google-chrome-stable',
    'google-chrome-beta',
    'microsoft-edge',
    'microsoft-edge-stable',
  ],
  darwin: ['chromium', 'google-chrome', 'microsoft-edge'],
  win32: ['chrome', 'msedge', 'chromium'],
};

function pathModule(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** The usual install locations of Chrome, Chromium and Edge. */
function installedPaths(sys: BrowserSystem): string[] {
  const p = pathModule(sys.platform);
  if (sys.platform === 'darwin') {
    const apps = [
      ['Google Chrome.app', 'Google Chrome'],
      ['Chromium.app', 'Chromium'],
      ['Microsoft Edge.app', 'Microsoft Edge'],
      ['Google Chrome Beta.app', 'Google Chrome Beta'],
    ];
    return ['/Applications', p.join(sys.home, 'Applications')].flatMap((root) =>
      apps.map(([app, exe]) => p.join(root, app!, 'Contents', 'MacOS', exe!)),
    );
  }
  if (sys.platform === 'win32') {
    const roots = [
      sys.env['PROGRAMFILES'] ?? 'C:\\Program Files',
      sys.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)',
      sys.env['LOCALAPPDATA'] ?? p.join(sys.home, 'AppData', 'Local'),
    ];
    return roots.flatMap((root) => [
      p.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      p.join(root, 'Chromium', 'Application', 'chrome.exe'),
      p.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
    '/opt/microsoft/msedge/msedge',
  ];
}

/** Programs of these names in the folders of PATH (with Windows' PATHEXT endings). */
function onPath(sys: BrowserSystem): string[] {
  const p = pathModule(sys.platform);
  const win = sys.platform === 'win32';
  const value = sys.env['PATH'] ?? (win ? sys.env['Path'] : undefined) ?? '';
  const dirs = value.split(win ? ';' : ':').filter((d) => d !== '' && p.isAbsolute(d));
  const endings = win ? (sys.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter((e) => e !== '') : [''];
  const names = PATH_NAMES[sys.platform] ?? PATH_NAMES.linux!;
  return names.flatMap((name) =>
    dirs.flatMap((dir) => endings.map((end) => p.join(dir, name + end.toLowerCase()))),
  );
}

/** Playwright's cache folder, as playwright-core computes it. */
function playwrightCache(sys: BrowserSystem): string {
  const p = pathModule(sys.platform);
  const named = sys.env['PLAYWRIGHT_BROWSERS_PATH'];
  if (named && named !== '0' && p.isAbsolute(named)) return named;
  if (sys.platform === 'darwin') return p.join(sys.home, 'Library', 'Caches', 'ms-playwright');
  if (sys.platform === 'win32') {
    return p.join(sys.env['LOCALAPPDATA'] ?? p.join(sys.home, 'AppData', 'Local'), 'ms-playwright');
  }
  return p.join(sys.env['XDG_CACHE_HOME'] || p.join(sys.home, '.cache'), 'ms-playwright');
}

/** Inside a `chromium-<revision>` folder: today's Chrome for Testing layout, then the older one. */
const CACHE_LAYOUTS: Partial<Record<NodeJS.Platform, readonly string[][]>> = {
  linux: [
    ['chrome-linux64', 'chrome'],
    ['chrome-linux-arm64', 'chrome'],
    ['chrome-linux', 'chrome'],
  ],
  darwin: [
    ['chrome-mac-arm64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
    ['chrome-mac-x64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
    ['chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'],
  ],
  win32: [
    ['chrome-win64', 'chrome.exe'],
    ['chrome-win', 'chrome.exe'],
  ],
};

/** The Chromiums in Playwright's cache, newest revision first. */
function cachedPaths(sys: BrowserSystem): string[] {
  const p = pathModule(sys.platform);
  const cache = playwrightCache(sys);
  const revisions = sys
    .list(cache)
    .map((name) => /^chromium-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  const layouts = CACHE_LAYOUTS[sys.platform] ?? CACHE_LAYOUTS.linux!;
  return revisions.flatMap((m) => layouts.map((parts) => p.join(cache, m[0], ...parts)));
}

/** What to install, for the message shown when nothing is found. */
export function installAdvice(platform: NodeJS.Platform): string {
  const names = OVERRIDE_VARIABLES.join(' or ');
  const own =
    platform === 'darwin'
      ? 'install Google Chrome (https://www.google.com/chrome/) or Chromium (brew install --cask chromium)'
      : platform === 'win32'
        ? 'install Google Chrome (https://www.google.com/chrome/); Microsoft Edge, which Windows includes, is found too'
        : 'install Chromium (Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium) or Google Chrome';
  return (
    `No Chrome, Chromium or Edge was found for the end-to-end tests. To run them, ${own}; ` +
    `or set ${names} to the browser's program file; or run \`npx playwright-core install chromium\` ` +
    "to put one in Playwright's cache. (`npm run test:unit` needs no browser.)"
  );
}

/** The first browser found, in the order described at the top. */
export function findBrowser(sys: BrowserSystem): FoundBrowser {
  for (const name of OVERRIDE_VARIABLES) {
    const named = sys.env[name];
    if (!named) continue;
    if (sys.isExecutable(named)) return { path: named, source: name };
    throw new BrowserNotFound(
      `${name} names ${named}, which is not a program file that can be run. ` +
        `Point ${name} at the browser's executable (for example /usr/bin/chromium), or unset it to search the usual places.`,
    );
  }
  const searches: [string, string[]][] = [
    ['installed', installedPaths(sys)],
    ['PATH', onPath(sys)],
    ["Playwright's cache", cachedPaths(sys)],
  ];
  for (const [source, candidates] of searches) {
    const found = candidates.find((c) => sys.isExecutable(c));
    if (found) return { path: found, source };
  }
  throw new BrowserNotFound(installAdvice(sys.platform));
}

/** This machine. */
export function thisSystem(): BrowserSystem {
  return {
    platform: process.platform,
    env: process.env,
    home: homedir(),
    isExecutable(file) {
      try {
        if (!statSync(file).isFile()) return false;
        if (process.platform !== 'win32') accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    list(dir) {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
  };
}

let cached: FoundBrowser | undefined;

/** The browser on this machine (searched once per process). Throws BrowserNotFound. */
export function browserPath(): string {
  cached ??= findBrowser(thisSystem());
  return cached.path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const found = findBrowser(thisSystem());
    console.log(`${found.path} (${found.source})`);
  } catch (e) {
    if (!(e instanceof BrowserNotFound)) throw e;
    console.error(e.message);
    process.exitCode = 1;
  }
}
