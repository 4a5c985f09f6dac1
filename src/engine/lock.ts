/**
 * One process at a time per journal: a lock beside it (`<journal>.lock`).
 *
 * A lock entry is a small JSON file naming its owner: pid, host, start time and a random token. It is
 * written and fsynced under a private temp name first and then hard-linked into place, so an entry
 * appears whole or not at all (link fails when the name exists: an atomic "create if absent").
 *
 * A lock left by a process that died is never deleted and re-created (two processes could both do that
 * and both believe they hold it). It is taken over by placing an entry in the slot that succeeds it,
 * `<journal>.lock.<its token>`: the entries form a chain from `<journal>.lock`, and the lock is held by
 * the last entry of the chain whose predecessors are all stale. Only one process can link into a given
 * slot, so only one takes over a given stale owner. After placing its entry a process walks the chain
 * again from the start and holds the lock only if the walk reaches its own token: the chain it looked
 * at may have been released meanwhile (a release removes `<journal>.lock` first, and no token is ever
 * used twice, so a successor of an old chain is unreachable from a new one). Release removes the chain
 * from its start. An entry that cannot be read (empty, damaged) is read again after a pause before it
 * counts as stale. On file systems without hard links an entry is created with O_EXCL instead.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import {
  FileRefusedError,
  openRegularFileSync,
  readFdBoundedSync,
  sleepSync,
  STALE_TEMP_MS,
  syncFolder,
} from './files';

export class JournalBusyError extends Error {
  override name = 'JournalBusyError';
}

const ownerSchema = z.object({
  pid: z.number().int().positive(),
  token: z.string().regex(/^[0-9a-f]{32}$/),
  startedAt: z.string(),
  host: z.string(),
});
type Owner = z.infer<typeof ownerSchema>;

/** What one lock slot holds. */
type Slot =
  | { kind: 'absent' }
  | { kind: 'owner'; owner: Owner; token: string; stale: boolean }
  | { kind: 'unreadable'; token: string; stale: boolean };

/** How long an unreadable lock entry is given to become readable before it counts as stale. */
const UNREADABLE_RECHECK_MS = 150;
const MAX_ATTEMPTS = 50;
/** Each crash while holding the lock adds one entry until a run releases it cleanly. */
const MAX_CHAIN = 1000;
const MAX_LOCK_BYTES = 4096;
const PROCESS_STARTED_AT = Date.now() - process.uptime() * 1000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(owner: Owner): boolean {
  // Another machine (a shared folder): whether its process lives cannot be known from here.
  if (owner.host !== hostname()) return false;
  // This pid: another journal object of this process holds the lock, unless the entry is older than
  // the process (a container restarted with the same pid).
  if (owner.pid === process.pid) return Date.parse(owner.startedAt) < PROCESS_STARTED_AT - 1000;
  return !pidAlive(owner.pid);
}

function readRaw(slot: string): { text: string; id: string } | null {
  let opened;
  try {
    opened = openRegularFileSync(slot, fs.constants.O_RDONLY, 'the lock');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (e instanceof FileRefusedError) {
      throw new JournalBusyError(`${(e as Error).message} Remove it, then try again.`);
    }
    throw e;
  }
  try {
    const bytes = readFdBoundedSync(opened.fd, { path: slot, label: 'the lock', maxBytes: MAX_LOCK_BYTES });
    return { text: bytes.toString('utf8'), id: `${opened.stats.dev}-${opened.stats.ino}` };
  } finally {
    fs.closeSync(opened.fd);
  }
}

function parseOwner(text: string): Owner | null {
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function readSlot(slot: string, rereads = 0): Slot {
  let raw = readRaw(slot);
  if (!raw) return { kind: 'absent' };
  let owner = parseOwner(raw.text);
  if (!owner && /^\s*\d+\s*$/.test(raw.text)) {
    // The older format: the pid alone.
    const pid = Number(raw.text.trim());
    return {
      kind: 'owner',
      owner: { pid, token: '', startedAt: '', host: hostname() },
      token: `p${raw.id}`,
      // This code never writes that format, so with this process's pid it is from an earlier one.
      stale: pid === process.pid || !pidAlive(pid),
    };
  }
  if (!owner) {
    // Empty or damaged: look again before calling it stale (it may be being written without links).
    const first = raw;
    sleepSync(UNREADABLE_RECHECK_MS);
    raw = readRaw(slot);
    if (!raw) return { kind: 'absent' };
    owner = parseOwner(raw.text);
    if (!owner) {
      // Still changing after several looks: someone is writing it, so it is not stale.
      if (raw.id !== first.id || raw.text !== first.text) {
        return rereads < 4
          ? readSlot(slot, rereads + 1)
          : { kind: 'unreadable', token: `u${raw.id}`, stale: false };
      }
      return { kind: 'unreadable', token: `u${raw.id}`, stale: true };
    }
  }
  return { kind: 'owner', owner, token: owner.token, stale: isStale(owner) };
}

/** Create `slot` holding the entry in `tmp`, only if nothing is there. */
function place(tmp: string, slot: string, content: string): boolean {
  try {
    fs.linkSync(tmp, slot);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
  }
  // No hard links here: create it exclusively and write it (readers re-check an empty entry).
  let fd: number;
  try {
    fd = fs.openSync(slot, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The chain from the start, if it reaches `token`. */
function walkTo(lockPath: string, token: string): string[] | null {
  const chain: string[] = [];
  let slot = lockPath;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const seen = readSlot(slot);
    if (seen.kind === 'absent') return null;
    chain.push(slot);
    if (seen.token === token) return chain;
    slot = `${lockPath}.${seen.token}`;
  }
  return null;
}

function removeIfMine(slot: string, token: string): void {
  try {
    const raw = readRaw(slot);
    if (raw && parseOwner(raw.text)?.token === token) fs.unlinkSync(slot);
  } catch {
    // gone already
  }
}

function busyMessage(owner: Owner | null, lockPath: string): string {
  const who = owner
    ? `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}${owner.startedAt ? `, since ${owner.startedAt}` : ''}`
    : 'another process';
  return (
    `Another run is using this journal (${who}). Wait for it to finish, then try again. ` +
    `If no such run is going on any more, delete ${lockPath} and try again.`
  );
}

/** Entries nobody can reach any more (a process died while releasing or backing off) and old temp files. */
function tidy(lockPath: string, chain: readonly string[]): void {
  const dir = dirname(lockPath);
  const name = basename(lockPath);
  const now = Date.now();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const entry = new RegExp(`^${escape(name)}\\.[0-9a-fpu-]+$`);
  const temp = new RegExp(`^\\.${escape(name)}\\.[0-9a-f]{32}\\.tmp$`);
  for (const n of names) {
    const p = join(dir, n);
    if (chain.includes(p) || !(entry.test(n) || temp.test(n))) continue;
    try {
      const st = fs.lstatSync(p);
      if (st.isFile() && now - st.mtimeMs > STALE_TEMP_MS) fs.unlinkSync(p);
    } catch {
      // gone already
    }
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface HeldLock {
  readonly path: string;
  release(): void;
}

/**
 * Take the lock at `lockPath` (its folder must exist), or throw JournalBusyError naming who holds it.
 * Never waits for a live owner.
 */
export function acquireLock(lockPath: string): HeldLock {
  const me: Owner = {
    pid: process.pid,
    token: randomBytes(16).toString('hex'),
    startedAt: new Date().toISOString(),
    host: hostname(),
  };
  const content = JSON.stringify(me) + '\n';
  const tmp = join(dirname(lockPath), `.${basename(lockPath)}.${me.token}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let slot = lockPath;
      let outcome: 'retry' | { busy: Owner | null } | { held: string[] } = 'retry';
      for (let depth = 0; depth < MAX_CHAIN; depth++) {
        if (place(tmp, slot, content)) {
          const chain = walkTo(lockPath, me.token);
          if (chain) outcome = { held: chain };
          else removeIfMine(slot, me.token);
          break;
        }
        const seen = readSlot(slot);
        if (seen.kind === 'absent') break;
        if (!seen.stale) {
          outcome = { busy: seen.kind === 'owner' ? seen.owner : null };
          break;
        }
        slot = `${lockPath}.${seen.token}`;
        if (depth === MAX_CHAIN - 1) {
          throw new JournalBusyError(
            `The lock ${lockPath} has been taken over too many times. Make sure no run of this journal is going on, delete ${lockPath} and the files beside it whose names start with it, then try again.`,
          );
        }
      }
      if (outcome === 'retry') continue;
      if ('busy' in outcome) throw new JournalBusyError(busyMessage(outcome.busy, lockPath));
      const chain = outcome.held;
      syncFolder(dirname(lockPath));
      tidy(lockPath, chain);
      let released = false;
      return {
        path: lockPath,
        release() {
          if (released) return;
          released = true;
          // From the start: once the first entry is gone, a successor of this chain is unreachable.
          for (const p of chain) {
            try {
              fs.unlinkSync(p);
            } catch {
              // already gone
            }
          }
        },
      };
    }
    throw new JournalBusyError(
      `The lock ${lockPath} kept changing while this run tried to take it: another run is starting with this journal. Try again in a moment.`,
    );
  } finally {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}
