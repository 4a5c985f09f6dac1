/**
 * The submission engine (Node only): used by the Electron main process and by the CLI.
 *
 *   const { submission, inputHash } = readSubmission({ bytes, fileName });   // the CLI's file adapter
 *   const run = createRun({ submission, inputHash, audience: 'cli', apiKey, baseUrl, journalPath });
 *   run.on('progress', (p) => ...);  run.on('row', (r) => ...);  run.on('log', (l) => ...);
 *   const summary = await run.start();          // pause(), resume(), cancel() meanwhile
 *   writeResults(summary.source, summary.results, 'xlsx');   // from src/shared/results
 *
 * A dry run is `preflight({ ... })` (= `createRun({ ..., dryRun: true }).start()`): validation and the
 * pre-flight only, nothing created or journaled.
 */
export {
  createRun,
  preflight,
  submissionHash,
  JournalMismatchError,
  ApiKeyError,
  SubmissionError,
  type LogEvent,
  type Progress,
  type Run,
  type RunEvents,
  type RunOptions,
  type RunPhase,
  type RowEvent,
  type RunSummary,
  type StopInfo,
} from './run';
export {
  DEFAULT_RETRY_POLICY,
  PRODUCTION_BASE_URL,
  type RetryPolicy,
  type WaitInfo,
  type WaitReason,
} from './api';
export { realClock, manualClock, type Clock } from './clock';
export { JournalBusyError, FileJournal, replayJournal, type JournalRecord, type RunRecord } from './journal';
export { readSubmission, hashBytes, type InputFile, type FileSubmission } from './input';
export { fetchAccount, loadAccount, type AccountStop, type FetchedAccount } from './account';
export type { Audience } from './errors';
export { inspectJournal, type JournalInfo } from './inspect';
export { openKeys, openKeysAsync, bodyFingerprint } from './prior-keys';
