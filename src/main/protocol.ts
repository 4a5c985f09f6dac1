/**
 * The app's own origin, `app://bundle`: a privileged custom protocol that serves the files of the
 * renderer build and nothing else, each with the Content-Security-Policy as a response header.
 * Loading the window from here rather than `file:` means no other local page can pass for the app
 * (the IPC sender check and the navigation policy accept this exact origin only) and the
 * GrantFileProtocolExtraPrivileges fuse can stay off.
 *
 * Pure Node (no Electron import): the main process registers `bundleResponse` with `protocol.handle`.
 */
import { stat, readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { contentType, RENDERER_CSP_HEADER } from '../shared/serve';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** A standard, secure scheme (its own origin, fetch and module workers work); nothing more. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

/** Is `url` a page of the app's own origin, `app://bundle`, and nothing that merely looks like it? */
export function isBundleUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && !u.port && !u.username && !u.password;
}

/**
 * The file of the renderer build that `requestUrl` names, or null for anything else: another scheme
 * or host, a dot segment or a backslash (encoded or not), a NUL, a drive or stream name, a path that
 * would leave `rendererDir`.
 */
export function resolveBundlePath(rendererDir: string, requestUrl: string): string | null {
  if (!isBundleUrl(requestUrl)) return null;
  const raw = new URL(requestUrl).pathname;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (!path.startsWith('/') || /[\\\0:]/.test(path)) return null;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, ...segments);
  return file.startsWith(root + sep) ? file : null;
}

/** The answer of the `app:` protocol to one request. */
export async function bundleResponse(
  rendererDir: string,
  request: { url: string; method: string },
): Promise<Response> {
  const headers = {
    'content-security-policy': RENDERER_CSP_HEADER,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new Response('Not allowed.', { status: 405, headers });
  const file = resolveBundlePath(rendererDir, request.url);
  if (file) {
    try {
      if ((await stat(file)).isFile()) {
        const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
        return new Response(body, {
          status: 200,
          headers: { ...headers, 'content-type': contentType(file) },
        });
      }
    } catch {
      // Not there: answered below.
    }
  }
  return new Response('Not found.', { status: 404, headers });
}
