/**
 * The web harness: the built renderer served on 127.0.0.1, answering the bridge contract over HTTP
 * with the same service code as the Electron main process. A person without Electron can use the
 * app in a browser, and end-to-end tests drive it in headless Chromium.
 *
 * Every request must carry the per-start token (query `token`, header, or the cookie set when the
 * page is opened with it) and come from this machine; anything else is refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { BRIDGE, type CallName, type EventName, type EventPayload } from '../shared/bridge';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../shared/wire';
import { createService, type Platform, type SecretStore } from '../engine/service';
import { createCloseGuard, type CloseAnswer } from '../engine/service/close';
import { startSandbox, type SandboxOptions } from '../sandbox';

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
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 512 * 1024 * 1024;
const COOKIE = 'importer_token';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

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

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('The request is too large.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function uniquePath(dir: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  let candidate = join(dir, name);
  for (let i = 2; existsSync(candidate); i++) candidate = join(dir, `${stem} (${i})${ext}`);
  return candidate;
}

export async function startWebHarness(options: WebHarnessOptions = {}): Promise<WebHarness> {
  const token = randomBytes(24).toString('base64url');
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
  let quit = false;

  const platform: Platform = {
    runtime: 'web',
    version: packageJson.version,
    platform: process.platform,
    dataDir,
    examplesDir: options.examplesDir ?? join(ROOT_DIR, 'examples'),
    chooseFileToOpen: async () => null,
    chooseSavePath: async (name) => uniquePath(outDir, name),
    showInFolder: () => false,
    openExternal: async () => false,
    notify: () => false,
    secrets: memorySecrets(),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      closeGuard.observe(event, payload);
      const data = `data: ${encodeWire({ event, payload })}\n\n`;
      for (const s of streams) s.write(data);
    },
    startSandbox: () => startSandbox({ latencyMs: 40, jitterMs: 40, ...options.sandbox }),
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
    const url = new URL(req.url ?? '/', `http://${host}`);
    const given =
      url.searchParams.get('token') ?? (req.headers[TOKEN_HEADER] as string | undefined) ?? cookieToken(req);
    if (!given || !sameToken(given, token)) {
      return send(
        res,
        403,
        'This address needs the token the app printed when it started. Open the full address it printed.',
      );
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
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
        input = (decodeWire(await readBody(req)) as { input?: unknown }).input;
      } catch {
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

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Not allowed.');
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return send(res, 404, 'Not found.');
    }
    const headers: Record<string, string> = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (url.searchParams.get('token'))
      headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
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
