/** What the secret store keeps for the key, and how it is read back. */
import { describe, expect, it } from 'vitest';
import { checkApiKey, decodeBoundKey, encodeBoundKey } from '../../../src/engine/service/key';

const PROD = 'https://api.politicalcomms.com/v1';

describe('the stored key', () => {
  it('comes back with the base URL it was saved for', () => {
    const stored = encodeBoundKey({ apiKey: 'pc_live_abc123', baseUrl: 'https://api.example.org/v1' });
    expect(decodeBoundKey(stored, PROD)).toEqual({
      apiKey: 'pc_live_abc123',
      baseUrl: 'https://api.example.org/v1',
    });
  });

  it('a bare key stored by an earlier version belongs to Production only', () => {
    expect(decodeBoundKey('pc_live_legacy1', PROD)).toEqual({ apiKey: 'pc_live_legacy1', baseUrl: PROD });
  });

  it('anything damaged, or a key that could never be sent as is, counts as no key', () => {
    expect(decodeBoundKey(null, PROD)).toBeNull();
    expect(decodeBoundKey('{not json', PROD)).toBeNull();
    expect(decodeBoundKey('{"v":2,"apiKey":"k","baseUrl":"x"}', PROD)).toBeNull();
    expect(decodeBoundKey('pc_live_a\nb', PROD)).toBeNull();
    expect(decodeBoundKey(' pc_live_padded', PROD)).toBeNull();
    expect(decodeBoundKey(encodeBoundKey({ apiKey: 'pc live', baseUrl: PROD }), PROD)).toBeNull();
  });

  it('is checked when saved: trimmed, printable ASCII without spaces, not absurdly long', () => {
    expect(checkApiKey('  pc_live_ok123\n')).toEqual({ ok: true, apiKey: 'pc_live_ok123' });
    expect(checkApiKey('')).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
    expect(checkApiKey('pc_live_\u200bzero')).toMatchObject({ ok: false });
    expect(checkApiKey('pc_live_\u001bx')).toMatchObject({ ok: false });
    expect(checkApiKey('k'.repeat(513))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/too long/),
    });
  });
});
