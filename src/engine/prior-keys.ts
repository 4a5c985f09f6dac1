/**
 * Idempotency-Keys of rows whose outcome an earlier run never learned (the request was sent and no
 * answer was recorded, or it kept failing on transient errors). When the same body is sent again in a
 * new run — an edited sheet, "retry failed rows" — it must go with the same key, so the API answers
 * with the project it may already have created instead of creating a second one.
 */
import { readFile } from 'node:fs/promises';
import type { CreateProjectRequest } from '@political-comms/sdk';
import { FileRefusedError } from './files';
import {
  FileJournal,
  JournalDamagedError,
  parseJournal,
  replayJournal,
  type JournalContents,
  type JournalRecord,
} from './journal';

/** The same text for the same body, whatever the order of its properties. */
export function bodyFingerprint(body: CreateProjectRequest): string {
  return JSON.stringify(body, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function collect(keys: Map<string, string>, records: readonly JournalRecord[]): void {
  for (const r of replayJournal(records).rows.values()) {
    if (!r.key || !r.body) continue;
    const unknown = !r.result || (r.result.status === 'failed' && r.result.retryable === true);
    if (unknown) keys.set(bodyFingerprint(r.body), r.key);
  }
}

/**
 * body fingerprint -> key, over the given journals. Missing ones are passed over; one that is not a
 * regular file (a device, a FIFO), is too large or is not a readable journal is passed over with a
 * warning, without waiting on it or reading it whole.
 */
export function openKeys(
  journalPaths: readonly string[],
  options: { warn?: (message: string) => void } = {},
): Map<string, string> {
  const keys = new Map<string, string>();
  for (const path of journalPaths) {
    let contents: JournalContents | null;
    try {
      contents = FileJournal.read(path);
    } catch (e) {
      const why =
        e instanceof JournalDamagedError
          ? e.problem
          : e instanceof FileRefusedError
            ? e.reason
            : e instanceof Error
              ? e.message
              : String(e);
      options.warn?.(`Passed over ${path} when looking for the keys of earlier runs: ${why}.`);
      continue;
    }
    if (contents) collect(keys, contents.records);
  }
  return keys;
}

/** The same, read asynchronously (the app's main process never blocks on a file). */
export async function openKeysAsync(journalPaths: readonly string[]): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const path of journalPaths) {
    let records: JournalRecord[];
    try {
      // Only journals the app itself keeps, in its own folder; a damaged one is passed over.
      records = parseJournal(await readFile(path, 'utf8'), path).records;
    } catch {
      continue;
    }
    collect(keys, records);
  }
  return keys;
}
