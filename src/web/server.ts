/**
 * The web harness: the built renderer served on 127.0.0.1, answering the bridge contract over HTTP
 * with the same service code as the Electron main process. A person without Electron can use the
 * app in a browser, and end-to-end tests drive it in headless Chromium.
 *
 * The page itself (HTML, scripts) holds no secret and is served to any request from this computer
 * that names the harness's own host and port. The bridge (`/api/…`) answers only a call that
 *   - carries the per-start token in the `x-importer-token` header: never a cookie or anything else a
 *     browser attaches by itself, so a page of another origin cannot borrow it; the page reads the
 *     token once from the address it was opened with and keeps it in its own sessionStorage, which
 *     no other origin can read;
 *   - comes from the harness's own origin: `Origin`, when present (and always for POST), equals it;
 *     `Sec-Fetch-Site`, when present, is `same-origin`;
 *   - names the harness's host and port in `Host` (a DNS-rebinding page names its own);
 *   - has a body within the limit, refused on its declared length before a byte is read, and
 *     counted while it streams otherwise.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { BRIDGE, type CallName, type EventName, type EventPayload } from '../shared/bridge';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../shared/wire';
import {
  createService,
  MAX_OPEN_BYTES,
  safeFileName,
  type Platform,
  type SecretStore,
} from '../engine/service';
import { createCloseGuard, type CloseAnswer } from '../engine/service/close';
import { contentType, RENDERER_CSP_HEADER } from '../shared/serve';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../sandbox';

export const ROOT_DIR = resolve(import.meta.dirname, '../..');

export interface WebHarnessOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Settings, recent files, journals. Default: a new temporary folder. */
  dataDir?: string;
  /** The built renderer (`electron-vite build`). */
  rendererDir?: string;
  /** Where saved files go (a browser has no save dialog). Default: `<dataDir>/saved`. */
  outDir?: string;
  examplesDir?: string;
  /** Options of the Sandbox started for Sandbox mode. */
  sandbox?: SandboxOptions;
  /** The largest request body accepted. Default: room for the largest sheet the app reads. */
  maxBodyBytes?: number;
}

export interface WebHarness {
  /** The address to open, token included. */
  url: string;
  token: string;
  port: number;
  dataDir: string;
  outDir: string;
  /**
   * What closing the browser window would do if a browser asked first (none does without a
   * `beforeunload` trap): the same close guard as the Electron window, so tests can drive it.
   */
  requestClose(): CloseAnswer;
  /** What quitting would do (Electron's before-quit): the same guard. */
  requestQuit(): CloseAnswer;
  /** The page chose to close ("Discard and close"), or quitting went through. */
  readonly windowClosed: boolean;
  readonly quit: boolean;
  readonly documentState: { dirty: boolean; title: string };
  /** The built-in Sandbox, once the app started it (null before). */
  readonly sandbox: RunningSandbox | null;
  close(): Promise<void>;
}

/** The largest sheet, base64 in JSON (4/3), and room for the rest of the call. */
export const MAX_BODY_BYTES = Math.ceil((MAX_OPEN_BYTES * 4) / 3) + 1024 * 1024;

/** A key kept in memory only: the harness never writes it anywhere. */
function memorySecrets(): SecretStore {
  let secret: string | null = null;
  return {
    protection: async () => 'memory',
    save: async (s) => {
      secret = s;
    },
    load: async () => secret,
    clear: async () => {
      secret = null;
    },
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::ffff:127.0.0.1' || address === '::1';
}

/** Headers of every answer: not cached, not sniffed, not embeddable by another origin. */
const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, ...COMMON_HEADERS, ...extra });
  res.end(body);
}

class BodyTooLarge extends Error {}

/** The body, refused as soon as it is longer than `limit`: on its declared length, or while it arrives. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLarge());
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // A client that gives up half-way: let go of what it sent (no effect once the body is complete).
    req.on('close', () => reject(new Error('The request was abandoned.')));
  });
}

/** A new file in `dir` (never outside it, never over an existing one) for a suggested name. */
export function uniquePath(dir: string, suggested: string): string {
  const name = safeFileName(suggested);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  let candidate = join(dir, name);
  for (let i = 2; existsSync(candidate); i++) candidate = join(dir, `${stem} (${i})${ext}`);
  if (dirname(resolve(candidate)) !== resolve(dir)) throw new Error('Saved files stay in the save folder.');
  return candidate;
}

/**
 * Why a bridge request is refused, or null: the token header, then the origin. `origin` is the
 * harness's own (`http://` + the Host it was reached at, already checked).
 */
export function refuseBridgeRequest(
  headers: IncomingMessage['headers'],
  method: string,
  origin: string,
  token: string,
): string | null {
  const given = headers[TOKEN_HEADER];
  if (typeof given !== 'string' || !sameToken(given, token))
    return 'This address needs the token the app printed when it started. Open the full address it printed.';
  const from = headers.origin;
  if (from !== undefined && from !== origin) return 'Refused: this call came from another web page.';
  if (method !== 'GET' && from === undefined) return 'Refused: this call does not say which page sent it.';
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'Refused: this call came from another web page.';
  return null;
}

export async function startWebHarness(options: WebHarnessOptions = {}): Promise<WebHarness> {
  const token = randomBytes(24).toString('base64url');
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'broadcast-importer-web-'));
  const outDir = options.outDir ?? join(dataDir, 'saved');
  mkdirSync(outDir, { recursive: true });
  const rendererDir = resolve(options.rendererDir ?? join(ROOT_DIR, 'out/renderer'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `The app is not built yet (${rendererDir} has no index.html): run \`npm run build\` first.`,
    );
  }
  const packageJson = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string };
  const streams = new Set<ServerResponse>();
  let windowClosed = false;
  let sandbox: RunningSandbox | null = null;
  let quit = false;

  const platform: Platform = {
    runtime: 'web',
    version: packageJson.version,
    platform: process.platform,
    dataDir,
    examplesDir: options.examplesDir ?? join(ROOT_DIR, 'examples'),
    chooseFileToOpen: async () => null,
    chooseSavePath: async (name) => uniquePath(outDir, name),
    knowsDroppedFilePaths: false,
    showInFolder: () => false,
    openExternal: async () => false,
    notify: () => false,
    secrets: memorySecrets(),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      closeGuard.observe(event, payload);
      const data = `data: ${encodeWire({ event, payload })}\n\n`;
      for (const s of streams) s.write(data);
    },
    startSandbox: async () =>
      (sandbox = await startSandbox({ latencyMs: 40, jitterMs: 40, ...options.sandbox })),
    setDocumentState: (state) => closeGuard.setDocumentState(state),
    closeWindow: () => closeGuard.closeWindow(),
  };
  // A browser tab closes without asking the server: the page closes its own state once this answers.
  const closeGuard = createCloseGuard({
    emitCloseRequested: (quitting) => platform.emit('closeRequested', { quitting }),
    cancelRun: (runId) => service.handlers.cancelRun({ runId }),
    closeWindow: () => (windowClosed = true),
    quit: () => (quit = true),
    shutdown: async () => {},
  });
  const service = createService(platform);

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, encodeWire({ error: (e as Error).message }), 'application/json');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) return send(res, 403, 'Only this computer may use the app.');
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return send(res, 403, 'Open the app at the address it printed.');
    }
    const origin = `http://${host}`;
    const url = new URL(req.url ?? '/', origin);

    if (url.pathname.startsWith('/api/')) {
      const refusal = refuseBridgeRequest(req.headers, req.method ?? 'GET', origin, token);
      if (refusal) {
        // Nothing of the body is read: the connection is closed once the answer is out.
        res.on('finish', () => req.socket.destroySoon());
        return send(res, 403, encodeWire({ error: refusal }), 'application/json', { connection: 'close' });
      }
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': 'text/event-stream',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST.');
      const name = url.pathname.slice('/api/call/'.length) as CallName;
      if (!Object.hasOwn(BRIDGE, name))
        return send(res, 404, encodeWire({ error: `Unknown call ${name}.` }), 'application/json');
      let input: unknown;
      try {
        input = (decodeWire(await readBody(req, maxBodyBytes)) as { input?: unknown }).input;
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          res.on('finish', () => req.socket.destroySoon());
          return send(
            res,
            413,
            encodeWire({ error: 'That is more than the app accepts in one call.' }),
            'application/json',
            { connection: 'close' },
          );
        }
        return send(res, 400, encodeWire({ error: 'The request body is not valid.' }), 'application/json');
      }
      const parsed = BRIDGE[name].input.safeParse(input);
      if (!parsed.success) {
        return send(
          res,
          400,
          encodeWire({ error: `Invalid input for ${name}: ${parsed.error.message}` }),
          'application/json',
        );
      }
      try {
        const handler = service.handlers[name] as (i: unknown) => Promise<unknown>;
        const output = BRIDGE[name].output.parse(await handler(parsed.data));
        return send(res, 200, encodeWire({ output }), 'application/json');
      } catch (e) {
        return send(res, 500, encodeWire({ error: (e as Error).message }), 'application/json');
      }
    }

    if (url.pathname.startsWith('/api/')) return send(res, 404, 'Not found.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Not allowed.');
    // The page needs no token to load (it holds no secret); a wrong token in the address is refused,
    // so that a mistyped address says so at once instead of failing on the first call.
    const offered = url.searchParams.get('token');
    if (offered !== null && !sameToken(offered, token)) {
      return send(
        res,
        403,
        'This address needs the token the app printed when it started. Open the full address it printed.',
      );
    }
    let relative: string;
    try {
      relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    } catch {
      return send(res, 404, 'Not found.');
    }
    const file = normalize(join(rendererDir, relative));
    if (
      relative.includes('\0') ||
      !file.startsWith(rendererDir + sep) ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      return send(res, 404, 'Not found.');
    }
    const headers: Record<string, string> = {
      ...COMMON_HEADERS,
      'content-type': contentType(file),
      'content-security-policy': RENDERER_CSP_HEADER,
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
    };
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    dataDir,
    outDir,
    requestClose: () => closeGuard.onWindowClose(),
    requestQuit: () => closeGuard.onBeforeQuit(),
    get windowClosed() {
      return windowClosed;
    },
    get quit() {
      return quit;
    },
    get documentState() {
      return closeGuard.documentState;
    },
    /** The built-in Sandbox, once the app started it (to see what it received). */
    get sandbox() {
      return sandbox;
    },
    async close() {
      for (const s of streams) s.end();
      streams.clear();
      await service.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
