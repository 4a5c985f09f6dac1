import { FileJournal, isFinal, replayJournal, type JournalContents, type RunRecord } from './journal';

/** What a journal on disk holds, to offer "resume" (app) or decide to resume (CLI). */
export interface JournalInfo {
  run: RunRecord;
  /** Rows with a final outcome. */
  finished: number;
  created: number;
  /** Rows sent whose answer was never recorded. */
  unknown: number;
  ended: boolean;
}

/**
 * null when there is no journal there, it holds no run, or it cannot be read (not a regular file,
 * too large, damaged): opening that run refuses it, with the reason.
 */
export function inspectJournal(path: string): JournalInfo | null {
  let contents: JournalContents | null;
  try {
    contents = FileJournal.read(path);
  } catch {
    return null;
  }
  if (!contents) return null;
  const state = replayJournal(contents.records);
  if (!state.run) return null;
  let finished = 0;
  let created = 0;
  let unknown = 0;
  for (const r of state.rows.values()) {
    if (isFinal(r)) finished++;
    if (r.result?.status === 'created') created++;
    if (!r.result && r.unanswered) unknown++;
  }
  return { run: state.run, finished, created, unknown, ended: state.ended };
}
