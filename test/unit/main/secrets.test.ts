import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeStorageSecrets } from '../../../src/main/secrets';

const dir = mkdtempSync(join(tmpdir(), 'bi-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const storage = (backend: string, available = true) => ({
  isAsyncEncryptionAvailable: async () => available,
  getSelectedStorageBackend: () => backend as 'basic_text',
  encryptStringAsync: async (s: string) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x33)),
  decryptStringAsync: async (b: Buffer) => ({
    result: Buffer.from(b.map((x) => x ^ 0x33)).toString(),
    shouldReEncrypt: false,
  }),
});

describe('the API key in safeStorage', () => {
  it('stores the key encrypted, reads it back, and clears it', async () => {
    const file = join(dir, 'key.bin');
    const s = safeStorageSecrets(storage('gnome_libsecret'), file, 'linux');
    expect(await s.load()).toBeNull();
    await s.save('pc_live_secret_123');
    expect(readFileSync(file).toString('latin1')).not.toContain('pc_live_secret_123');
    expect(await s.load()).toBe('pc_live_secret_123');
    await s.clear();
    expect(await s.load()).toBeNull();
  });
  it('reports the basic_text backend on Linux so the UI can warn', async () => {
    expect(await safeStorageSecrets(storage('basic_text'), join(dir, 'a'), 'linux').protection()).toBe(
      'basic_text',
    );
    expect(await safeStorageSecrets(storage('basic_text'), join(dir, 'a'), 'darwin').protection()).toBe('os');
  });
  it('refuses to store a key when no encryption is available', async () => {
    const s = safeStorageSecrets(storage('unknown', false), join(dir, 'b'), 'linux');
    expect(await s.protection()).toBe('unavailable');
    await expect(s.save('pc_live_x')).rejects.toThrow(/not saved/);
  });
});
