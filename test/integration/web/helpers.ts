/** Calling the web harness over real HTTP, as the app's own page does. */
import type { WebHarness } from '../../../src/web/server';
import { decodeWire, encodeWire } from '../../../src/shared/wire';
import type { CallName, CallOutput } from '../../../src/shared/bridge';

export async function bridgeCall<K extends CallName>(
  h: WebHarness,
  name: K,
  input?: unknown,
): Promise<CallOutput<K>> {
  const res = await fetch(`http://127.0.0.1:${h.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'x-importer-token': h.token, origin: `http://127.0.0.1:${h.port}` },
    body: encodeWire({ input }),
  });
  const body = decodeWire(await res.text()) as { output?: CallOutput<K>; error?: string };
  if (!res.ok) throw new Error(body.error);
  return body.output as CallOutput<K>;
}
