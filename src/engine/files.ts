/**
 * Paths a person names (the input sheet, the journal, the results file) are checked here before
 * anything is opened, read or written:
 *  - only regular files are read or written: a folder, a device (/dev/zero, /dev/full), a named pipe
 *    (FIFO) or a socket is refused with a message that says what it is;
 *  - files are opened with O_NONBLOCK (a FIFO swapped in after the check cannot hang the open) and
 *    checked again on the open descriptor (fstat), so the check and the read are about the same file;
 *  - every read has a size limit;
 *  - the files of one run must be distinct (by real path, and by device + inode for hard links);
 *  - files are written atomically and durably (temp file in the same folder, fsync, rename, fsync of
 *    the folder), and a temp file a kill left behind is removed by the next write.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { open as openAsync, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatBytes } from '../shared/sheet/types';

/** A path that names something other than a regular file, a missing folder, or two roles for one file. */
export class FileRefusedError extends Error {
  override name = 'FileRefusedError';
  constructor(
    readonly path: string,
    /** The reason alone, e.g. "it is a device (such as /dev/zero), not a file". */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export type FileKind = 'file' | 'folder' | 'device' | 'pipe' | 'socket' | 'other';

export function kindOf(st: fs.Stats): FileKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'folder';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
  if (st.isFIFO()) return 'pipe';
  if (st.isSocket()) return 'socket';
  return 'other';
}

const KIND_REASON: Record<Exclude<FileKind, 'file'>, string> = {
  folder: 'it is a folder, not a file',
  device: 'it is a device (such as /dev/zero or /dev/full), not a file',
  pipe: 'it is a named pipe (FIFO), not a file',
  socket: 'it is a socket, not a file',
  other: 'it is not a regular file',
};

function refuseKind(path: string, label: string, kind: Exclude<FileKind, 'file'>): FileRefusedError {
  const reason = KIND_REASON[kind];
  return new FileRefusedError(path, reason, `${capitalize(label)} ${path} cannot be used: ${reason}.`);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** stat (following links), or null when nothing is there. */
export function statIfExists(path: string): fs.Stats | null {
  try {
    return fs.statSync(path);
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/** What an error from the file system means, in a few plain words ("the disk is full"). */
export function fileErrorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  switch (err?.code) {
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'your disk quota is used up';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOENT':
    case 'ENOTDIR':
      return 'its folder does not exist';
    case 'EFBIG':
      return 'the file is larger than the disk allows';
    case 'EIO':
      return 'the disk reported an input/output error';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'the path has too many symbolic links';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

function fileErrorAdvice(e: unknown): string {
  switch ((e as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return ' Free some space on that disk, then try again.';
    case 'EROFS':
      return ' Choose a folder on a disk that can be written to.';
    case 'EACCES':
    case 'EPERM':
      return ' Choose a folder you may write in, or ask for access to this one.';
    default:
      return '';
  }
}

/** A file could not be opened, read or written; the message says why in plain words. */
export class FileAccessError extends Error {
  override name = 'FileAccessError';
  /** The system's error code (ENOSPC, EROFS, EACCES…), when there is one. */
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    /** e.g. "write the journal" */
    action: string,
    cause: unknown,
  ) {
    super(`Cannot ${action} ${path}: ${fileErrorReason(cause)}.${fileErrorAdvice(cause)}`, { cause });
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** The folder a file is to be written in must exist and be a folder (nothing creates it). */
export function checkFolderOf(path: string, label: string): void {
  const dir = dirname(resolve(path));
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    const reason = isMissing(e)
      ? 'its folder does not exist'
      : `its folder cannot be read (${fileErrorReason(e)})`;
    throw new FileRefusedError(
      path,
      reason,
      `${capitalize(label)} ${path} cannot be used: ${reason}. Create the folder ${dir} or name another place.`,
    );
  }
  if (!st.isDirectory()) {
    const reason = `${dir} is not a folder`;
    throw new FileRefusedError(path, reason, `${capitalize(label)} ${path} cannot be used: ${reason}.`);
  }
}

/**
 * A file about to be written (created, appended to or replaced): its folder exists, and what is
 * there now, if anything, is a regular file. Returns its stats, or null when it does not exist yet.
 */
export function checkWritableFile(path: string, label: string): fs.Stats | null {
  checkFolderOf(path, label);
  const st = statIfExists(path);
  if (st) {
    const kind = kindOf(st);
    if (kind !== 'file') throw refuseKind(path, label, kind);
  }
  return st;
}

/** A file that must exist and be a regular file. */
export function checkReadableFile(path: string, label: string): fs.Stats {
  const st = fs.statSync(path); // ENOENT and the like are described by the caller
  const kind = kindOf(st);
  if (kind !== 'file') throw refuseKind(path, label, kind);
  return st;
}

const { O_RDONLY, O_NONBLOCK } = fs.constants;
/** O_NOCTTY where it exists: opening a terminal device must never make it ours. */
const O_NOCTTY = fs.constants.O_NOCTTY ?? 0;

/**
 * Open a regular file. What is at the path is checked before the open (a FIFO is never opened for
 * writing, which could block) and again on the open descriptor (fstat): a file swapped for a device
 * in between is refused too. `flags` are added to O_NONBLOCK | O_NOCTTY.
 */
export function openRegularFileSync(
  path: string,
  flags: number,
  label: string,
  mode = 0o600,
  through: Pick<typeof fs, 'openSync' | 'closeSync'> = fs,
): { fd: number; stats: fs.Stats } {
  const before = statIfExists(path);
  const kindBefore = before ? kindOf(before) : 'file';
  if (kindBefore !== 'file') throw refuseKind(path, label, kindBefore);
  const fd = through.openSync(path, flags | O_NONBLOCK | O_NOCTTY, mode);
  try {
    const stats = fs.fstatSync(fd);
    const kind = kindOf(stats);
    if (kind !== 'file') throw refuseKind(path, label, kind);
    return { fd, stats };
  } catch (e) {
    through.closeSync(fd);
    throw e;
  }
}

/** The same, asynchronously, for reading. */
export async function openRegularFile(
  path: string,
  label: string,
): Promise<{ handle: FileHandle; stats: fs.Stats }> {
  checkReadableFile(path, label);
  const handle = await openAsync(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  try {
    const stats = await handle.stat();
    const kind = kindOf(stats);
    if (kind !== 'file') throw refuseKind(path, label, kind);
    return { handle, stats };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

export function tooLargeError(path: string, label: string, size: number, maxBytes: number): FileRefusedError {
  const reason = `it is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} that can be read`;
  return new FileRefusedError(path, reason, `${capitalize(label)} ${path} cannot be used: ${reason}.`);
}

/**
 * Read an open file from `position` to the end it had when reading began, at most `maxBytes`: a file
 * larger than the limit is refused before any read; bytes appended meanwhile (another run writing
 * the journal) are not read.
 */
export function readFdBoundedSync(
  fd: number,
  opts: { path: string; label: string; maxBytes: number; position?: number },
): Buffer {
  const start = opts.position ?? 0;
  const size = fs.fstatSync(fd).size;
  if (size - start > opts.maxBytes) throw tooLargeError(opts.path, opts.label, size, opts.maxBytes);
  const buf = Buffer.alloc(Math.max(0, size - start));
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/**
 * Read an open file whole, at most `maxBytes`: refused before reading when it is larger, and when it
 * grows past the limit while being read.
 */
export async function readHandleBounded(
  handle: FileHandle,
  opts: { path: string; label: string; maxBytes: number },
): Promise<Buffer> {
  const size = (await handle.stat()).size;
  if (size > opts.maxBytes) throw tooLargeError(opts.path, opts.label, size, opts.maxBytes);
  let buf = Buffer.alloc(size + 1);
  let got = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
    if (bytesRead === 0) return buf.subarray(0, got);
    got += bytesRead;
    if (got > opts.maxBytes) throw tooLargeError(opts.path, opts.label, got, opts.maxBytes);
    if (got === buf.length) {
      const bigger = Buffer.alloc(Math.min(opts.maxBytes + 1, buf.length * 2));
      buf.copy(bigger);
      buf = bigger;
    }
  }
}

/** Read a whole regular file, at most `maxBytes`: the one way a named file is read whole. */
export async function readRegularFile(
  path: string,
  opts: { label: string; maxBytes: number },
): Promise<Buffer> {
  const { handle } = await openRegularFile(path, opts.label);
  try {
    return await readHandleBounded(handle, { path, ...opts });
  } finally {
    await handle.close();
  }
}

/**
 * Where a path really points: the real path of the file, or, when it does not exist yet, where it
 * would be created (a dangling symbolic link is followed to its target).
 */
export function identity(path: string): { real: string; devIno: string | null } {
  let abs = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      const st = fs.statSync(abs);
      return { real: fs.realpathSync(abs), devIno: `${st.dev}:${st.ino}` };
    } catch {
      // not there (yet)
    }
    try {
      if (!fs.lstatSync(abs).isSymbolicLink()) break;
      abs = resolve(dirname(abs), fs.readlinkSync(abs));
    } catch {
      break;
    }
  }
  try {
    return { real: join(fs.realpathSync(dirname(abs)), basename(abs)), devIno: null };
  } catch {
    return { real: abs, devIno: null };
  }
}

/**
 * The files of one run are distinct: the same file named twice (directly, through a symbolic link or
 * through a hard link) would have one overwrite the other (the results replacing the journal, journal
 * lines appended into the sheet).
 */
export function checkDistinctFiles(files: ReadonlyArray<{ label: string; path: string }>): void {
  // Where names are usually case-insensitive, two names differing only in case are one file.
  const fold = process.platform === 'darwin' || process.platform === 'win32';
  const seen: Array<{ label: string; path: string; real: string; devIno: string | null }> = [];
  for (const f of files) {
    const id = identity(f.path);
    const real = fold ? id.real.toLowerCase() : id.real;
    const same = seen.find((s) => s.real === real || (s.devIno !== null && s.devIno === id.devIno));
    if (same) {
      const reason = `${same.label} and ${f.label} are the same file`;
      throw new FileRefusedError(
        f.path,
        reason,
        `${capitalize(same.label)} and ${f.label} are the same file (${f.path}): one would overwrite the other. Name a different file for ${f.label}.`,
      );
    }
    seen.push({ ...f, real, devIno: id.devIno });
  }
}

/** Temp files of `writeFileAtomically`: `.NAME.<16 hex>.tmp` beside the file. */
function tempNamePattern(name: string): RegExp {
  // 16 hex digits now; 8 in files left by earlier versions.
  return new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.([0-9a-f]{8}|[0-9a-f]{16})\\.tmp$`);
}

/** A temp file untouched for this long was left by a process that died while writing. */
export const STALE_TEMP_MS = 60_000;

function removeStaleTemps(path: string, now: number): void {
  const dir = dirname(path);
  const pattern = tempNamePattern(basename(path));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const p = join(dir, name);
    try {
      const st = fs.lstatSync(p);
      if (st.isFile() && now - st.mtimeMs > STALE_TEMP_MS) fs.unlinkSync(p);
    } catch {
      // gone already, or not ours to remove
    }
  }
}

export function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, O_RDONLY);
    fs.fsyncSync(fd);
  } catch {
    // Not supported everywhere (Windows); the file's own fsync still holds its bytes.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * Replace `path` with `bytes` so that it holds either the old bytes or the new ones, never a part:
 * a temp file in the same folder, fsynced, renamed over the file, then the folder fsynced so that
 * the rename survives a power cut. Temp files an earlier, killed write left behind are removed.
 */
export function writeFileAtomically(path: string, bytes: Uint8Array, label: string, mode = 0o644): void {
  checkWritableFile(path, label);
  removeStaleTemps(path, Date.now());
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // Checked again just before the rename: never replace a device or a folder put there meanwhile.
    checkWritableFile(path, label);
    fs.renameSync(tmp, path);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never created, already renamed, or gone
    }
    if (e instanceof FileRefusedError || !(e as NodeJS.ErrnoException).code) throw e;
    throw new FileAccessError(path, `write ${label}`, e);
  }
  syncFolder(dirname(path));
}

/** Block the thread for a short while (a lock re-check): no busy loop. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
