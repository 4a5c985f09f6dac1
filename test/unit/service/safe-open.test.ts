/** Reading a user-chosen file: regular files only, never blocking, never more than the limit. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile } from '../../../src/engine/service/safe-open';

const dir = mkdtempSync(join(tmpdir(), 'bi-safe-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const unix = process.platform !== 'win32';

describe('readRegularFile', () => {
  it('reads a regular file whole', async () => {
    const f = join(dir, 'a.csv');
    writeFileSync(f, 'x'.repeat(200_000));
    expect((await readRegularFile(f, 1_000_000)).length).toBe(200_000);
    expect((await readRegularFile(f, 200_000)).length).toBe(200_000);
    await expect(readRegularFile(f, 199_999)).rejects.toThrow(/a\.csv is 196 KB, more than the 196 KB/);
    await expect(readRegularFile(f, 100_000)).rejects.toThrow(
      /a\.csv is 196 KB, more than the 98 KB the app reads/,
    );
  });

  it('refuses a folder and a missing file with a plain message', async () => {
    mkdirSync(join(dir, 'folder.csv'));
    await expect(readRegularFile(join(dir, 'folder.csv'), 1000)).rejects.toThrow(/folder\.csv is a folder/);
    await expect(readRegularFile(join(dir, 'gone.csv'), 1000)).rejects.toThrow(
      /gone\.csv is no longer there/,
    );
  });

  it.skipIf(!unix)('refuses devices and pipes without reading or waiting', async () => {
    await expect(readRegularFile('/dev/zero', 1000)).rejects.toThrow(/zero is a device/);
    await expect(readRegularFile('/dev/null', 1000)).rejects.toThrow(/null is a device/);
    const fifo = join(dir, 'p.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(readRegularFile(fifo, 1000)).rejects.toThrow(/p\.csv is a pipe/);
  });

  it.skipIf(!existsSync('/proc/self/status'))(
    'bounds what it reads from a file that reports no size',
    async () => {
      // Files in /proc report a size of 0 and still have content.
      const text = new TextDecoder().decode(await readRegularFile('/proc/self/status', 1_000_000));
      expect(text).toMatch(/^Name:/);
      await expect(readRegularFile('/proc/self/status', 16)).rejects.toThrow(/larger than the/);
    },
  );
});
