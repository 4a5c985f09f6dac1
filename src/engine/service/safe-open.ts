/**
 * Reading a file the user chose, safely: only a regular file is read (a device such as /dev/zero, a
 * FIFO, a socket or a folder is refused before a byte is read), opening never blocks (a FIFO is
 * opened non-blocking, then refused), and at most `maxBytes` are read, however large the file is or
 * claims to be (files in /proc report a size of 0 and still have content).
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FileRefusedError, readHandleBounded } from '../files';

/** A file the app refused to read, with a message a person understands. */
export class UnsafeFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeFileError';
  }
}

function describe(stat: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  return 'a device';
}

const MB = 1024 * 1024;
const megabytes = (n: number) =>
  n >= 10 * MB
    ? `${Math.round(n / MB)} MB`
    : n >= MB
      ? `${(n / MB).toFixed(1)} MB`
      : `${Math.ceil(n / 1024)} KB`;

/** The bytes of the regular file at `path`, at most `maxBytes` of them; refuses anything else. */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
  const name = basename(path);
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
  let handle;
  try {
    handle = await open(path, flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnsafeFileError(`${name} is no longer there: it was moved or deleted.`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new UnsafeFileError(`${name} cannot be read: this account has no permission to open it.`);
    if (code === 'EISDIR') throw new UnsafeFileError(`${name} is a folder, not a spreadsheet.`);
    throw new UnsafeFileError(`${name} cannot be opened (${code ?? (e as Error).message}).`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new UnsafeFileError(`${name} is ${describe(info)}, not a spreadsheet file, so it was not read.`);
    }
    if (info.size > maxBytes) {
      throw new UnsafeFileError(
        `${name} is ${megabytes(info.size)}, more than the ${megabytes(maxBytes)} the app reads.`,
      );
    }
    try {
      // The one bounded read (it also catches a file that grows, or reports no size, while read).
      return new Uint8Array(await readHandleBounded(handle, { path, label: name, maxBytes }));
    } catch (e) {
      if (e instanceof FileRefusedError)
        throw new UnsafeFileError(`${name} is larger than the ${megabytes(maxBytes)} the app reads.`);
      throw e;
    }
  } finally {
    await handle.close();
  }
}

/** Is `path` a regular file now (following links), without opening it? */
export async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
