/**
 * The API key, encrypted with Electron's safeStorage (async API) in the main process and kept in the
 * app's data folder. The renderer never sees it: it only learns whether one is set.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { SafeStorage } from 'electron';
import type { SecretStore } from '../engine/service';

type Storage = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

export function safeStorageSecrets(storage: Storage, file: string, platform: NodeJS.Platform): SecretStore {
  const protection = async () => {
    if (!(await storage.isAsyncEncryptionAvailable())) return 'unavailable' as const;
    if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text')
      return 'basic_text' as const;
    return 'os' as const;
  };
  const save = async (secret: string) => {
    if ((await protection()) === 'unavailable') {
      throw new Error('This computer offers no way to store the key safely, so it was not saved.');
    }
    await writeFile(file, await storage.encryptStringAsync(secret), { mode: 0o600 });
  };
  return {
    protection,
    save,
    async load() {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch {
        return null;
      }
      try {
        const { result, shouldReEncrypt } = await storage.decryptStringAsync(data);
        if (shouldReEncrypt) await save(result);
        return result;
      } catch {
        return null;
      }
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}
