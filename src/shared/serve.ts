/**
 * How the built renderer is served, by the Electron app's protocol and by the web harness alike.
 *
 * The renderer's Content-Security-Policy, in one place: `src/renderer/index.html` carries it as a meta
 * tag (a test keeps the two equal), and the Electron protocol and the web harness send it as a
 * response header too, with the directives a meta tag cannot carry (who may frame the page).
 */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; worker-src 'self' blob:; connect-src 'self'";

/** The policy as a response header: the page may not be framed, its base URL and forms stay home. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

const CONTENT_TYPES: Record<string, string> = {
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

/** The content type of a file of the renderer build, by its extension. */
export function contentType(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[path.slice(dot).toLowerCase()]) || 'application/octet-stream';
}
