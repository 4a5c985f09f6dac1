/**
 * The API key and where it may go. A key is saved together with the base URL it was saved for and is
 * sent only there: a window that switches to another environment or names another custom server
 * cannot make the app send the key anywhere else, the user has to enter a key for that place.
 */
import { z } from 'zod';
import { apiKeyProblem } from '../api-key';

/** The key as it will be sent, or a message saying what is wrong with what was pasted. */
export function checkApiKey(raw: string): { ok: true; apiKey: string } | { ok: false; message: string } {
  const apiKey = raw.trim();
  if (!apiKey)
    return { ok: false, message: 'The key is empty: paste the key from the dashboard (Admin > API).' };
  if (apiKeyProblem(apiKey) !== null)
    return {
      ok: false,
      message:
        'That key has a space, a line break or another character an API key never contains, so it was not saved. Copy it again from the dashboard (Admin > API) and paste it alone.',
    };
  if (apiKey.length > 512)
    return { ok: false, message: 'That is too long to be an API key: paste the key alone.' };
  return { ok: true, apiKey };
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A custom base URL in its one canonical form (no trailing slash), or a message. https only; plain
 * http only for a server on this computer. No user name or password, query or fragment.
 */
export function checkCustomBaseUrl(
  raw: string,
): { ok: true; baseUrl: string } | { ok: false; message: string } {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'Enter the custom server’s full address, starting with https://.' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)))
    return {
      ok: false,
      message:
        'A custom server must use https:// (plain http:// only for a server on this computer, at 127.0.0.1 or localhost).',
    };
  if (url.username || url.password)
    return {
      ok: false,
      message: 'Leave the user name and password out of the address: the key is sent on its own.',
    };
  if (url.search || url.hash)
    return { ok: false, message: 'Leave the ?… and #… parts out of the server address.' };
  return { ok: true, baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** What the secret store keeps: the key and the one base URL it may be sent to. */
const boundKeySchema = z.object({ v: z.literal(1), apiKey: z.string(), baseUrl: z.string() });
export type BoundKey = { apiKey: string; baseUrl: string };

export function encodeBoundKey(key: BoundKey): string {
  return JSON.stringify({ v: 1, apiKey: key.apiKey, baseUrl: key.baseUrl });
}

/**
 * The stored key and where it belongs. A key stored by an earlier version (the bare key) belongs to
 * Production, where keys were meant to go; anything malformed counts as no key.
 */
export function decodeBoundKey(stored: string | null, productionBaseUrl: string): BoundKey | null {
  if (stored === null) return null;
  let key: BoundKey;
  if (stored.startsWith('{')) {
    let parsed;
    try {
      parsed = boundKeySchema.safeParse(JSON.parse(stored));
    } catch {
      return null;
    }
    if (!parsed.success) return null;
    key = { apiKey: parsed.data.apiKey, baseUrl: parsed.data.baseUrl };
  } else key = { apiKey: stored, baseUrl: productionBaseUrl };
  return checkApiKey(key.apiKey).ok && key.apiKey === key.apiKey.trim() ? key : null;
}
