/**
 * `submit FILE [--sheet NAME] [--header-row N] [--org ID] [--base-url URL] [--dry-run]
 *        [--results OUT.xlsx|OUT.csv] [--journal PATH [--continue-edited]]`
 *
 * Creates one project per valid row, in row order, and writes the results sheet. The key comes from
 * POLITICAL_COMMS_API_KEY. Reference cells may hold names: the pre-flight resolves them to ids against
 * the account, and the summary says what each distinct name became. When the journal already holds a
 * run of the same file, the run resumes.
 * Progress goes to stderr (a live bar on a terminal, plain lines otherwise); the summary to stdout.
 * Exit 0 every row created, 1 some row not created, 2 usage error, unreadable file, or a run stopped
 * by an account-level refusal.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseBaseUrlOption, parseFileCommand, readApiKeyFromEnv } from './args';
import {
  createRun,
  inspectJournal,
  openKeys,
  readSubmission,
  JournalBusyError,
  JournalMismatchError,
  PRODUCTION_BASE_URL,
  type Progress,
  type RunSummary,
} from '../engine';
import { JournalDamagedError } from '../engine/journal';
import {
  checkDistinctFiles,
  checkWritableFile,
  FileAccessError,
  FileRefusedError,
  identity,
  readRegularFile,
  statIfExists,
  writeFileAtomically,
} from '../engine/files';
import { resultsFormatOf, writeResults, type ResultsFormat } from '../shared/results';
import { CSV_MAX_FILE_BYTES } from '../shared/sheet';
import { describeReadError } from './read';
import { describeFix, NameSummary } from './account';

const USAGE = `Usage: broadcast-importer submit FILE [options]

Creates one Political Comms broadcast project per valid row of a CSV or XLSX file, in row order,
and writes a results sheet. The API key is read from POLITICAL_COMMS_API_KEY.

Options:
  --sheet NAME         the workbook sheet to read (default: the first visible sheet)
  --header-row N       the row that holds the column headers (default: the first non-empty row)
  --org ID             default organization for rows with no organization_id
  --base-url URL       API base URL (default: ${PRODUCTION_BASE_URL}; e.g. the Sandbox's)
  --dry-run            only check every row against the account (pre-flight); create nothing.
                       Names in reference cells are resolved either way: the summary says what
                       each became (the id that is, or would be, sent)
  --results PATH       the results sheet, .xlsx or .csv (default: FILE's name + ".results" beside it)
  --journal PATH       the run's journal (default: beside the results file). If it already holds
                       a run of the same file, that run is resumed instead of starting over.
                       The input, the results and the journal must be three different files, in
                       folders that exist.
  --continue-edited    continue the journal's run with an edited version of its file: rows it
                       created are not sent again (even if edited), rows whose outcome is unknown
                       are sent again with their Idempotency-Key, the other rows as usual
  -h, --help           show this help

Exit codes: 0 every row created, 1 some row not created, 2 usage error, unreadable file, or a run
stopped by an account-level error (key refused, onboarding incomplete, no access, sending paused).`;

function defaultResultsPath(input: string): string {
  const ext = extname(input).toLowerCase();
  const format: ResultsFormat = ext === '.csv' || ext === '.tsv' || ext === '.txt' ? 'csv' : 'xlsx';
  return join(dirname(input), `${basename(input, extname(input))}.results.${format}`);
}

function defaultJournalPath(results: string): string {
  return join(dirname(results), `${basename(results, extname(results))}.journal.jsonl`);
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`
    : `${m}:${String(r).padStart(2, '0')}`;
}

/** Progress on stderr: a live bar on a terminal, plain lines otherwise. */
function createReporter(stream: NodeJS.WriteStream) {
  const live = !!stream.isTTY;
  let lastDraw = 0;
  let drawn = false;
  let lastWaitUntil = 0;
  let lastPhase = '';
  let lastDone = 0;

  const bar = (p: Progress): string => {
    const width = 24;
    const share = p.total > 0 ? p.done / p.total : p.phase === 'done' ? 1 : 0;
    const filled = Math.round(share * width);
    const parts = [
      `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}`,
      `created ${p.created}`,
      `failed ${p.failed}`,
    ];
    if (p.phase === 'preflight') parts.push('checking the account');
    if (p.phase === 'paused') parts.push('paused');
    if (p.currentRow !== null)
      parts.push(`row ${p.currentRow}${p.attempt && p.attempt > 1 ? ` (try ${p.attempt})` : ''}`);
    if (p.waiting) {
      parts.push(`${p.waiting.reason === 'rate_limit' ? 'rate limit' : 'retry'}: ${p.waiting.secondsLeft} s`);
    }
    if (p.etaSeconds !== null && p.done < p.total) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
    return parts.join('  ');
  };

  const clear = () => {
    if (live && drawn) {
      stream.write('\r\x1b[2K');
      drawn = false;
    }
  };

  return {
    progress(p: Progress): void {
      if (live) {
        const t = Date.now();
        if (t - lastDraw < 100 && p.waiting === null && p.phase === lastPhase) return;
        lastDraw = t;
        lastPhase = p.phase;
        const text = bar(p);
        const cols = stream.columns ?? 100;
        stream.write(`\r\x1b[2K${text.length > cols - 1 ? text.slice(0, cols - 1) : text}`);
        drawn = true;
        return;
      }
      if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        if (p.phase === 'preflight') stream.write('Checking every row against the account (pre-flight)...\n');
        if (p.phase === 'sending') stream.write(`Sending ${p.total - p.done} row(s)...\n`);
        if (p.phase === 'paused') stream.write('Paused.\n');
      }
      if (p.done !== lastDone && p.done > 0 && p.done < p.total && p.done % 10 === 0) {
        const eta = p.etaSeconds !== null ? `, about ${formatDuration(p.etaSeconds)} left` : '';
        stream.write(`${p.done}/${p.total} done: ${p.created} created, ${p.failed} failed${eta}.\n`);
      }
      lastDone = p.done;
      if (p.waiting && p.waiting.until !== lastWaitUntil) {
        lastWaitUntil = p.waiting.until;
        if (p.waiting.reason === 'rate_limit') {
          stream.write(`Waiting ${p.waiting.secondsLeft} s for the rate limit window.\n`);
        }
      }
    },
    line(text: string): void {
      clear();
      stream.write(text.endsWith('\n') ? text : text + '\n');
    },
    done(): void {
      clear();
    },
  };
}

function printIssues(summary: RunSummary, write: (s: string) => void, limit: number): void {
  const lines: string[] = [];
  for (const w of summary.fileWarnings) lines.push(`warning: ${w.message}`);
  for (const i of summary.issues) {
    let line = `row ${i.row}, ${i.field} (${i.severity}): ${i.message}`;
    for (const f of i.fixes ?? []) line += `\n  fix: ${describeFix(f, i.field)}`;
    lines.push(line);
  }
  for (const l of lines.slice(0, limit)) write(l);
  if (lines.length > limit) write(`... and ${lines.length - limit} more: see the results sheet.`);
}

/**
 * Other journals in the journal's folder: rows they sent without learning the outcome keep their
 * Idempotency-Key when the same body is submitted again from another file (e.g. a fixed results sheet).
 */
function siblingJournals(journalPath: string): string[] {
  const own = statIfExists(journalPath);
  try {
    return readdirSync(dirname(journalPath))
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => join(dirname(journalPath), f))
      .filter((p) => {
        if (p === journalPath) return false;
        const st = own && statIfExists(p);
        return !(st && st.dev === own.dev && st.ino === own.ino);
      });
  } catch {
    return [];
  }
}

/** The run's own files, checked before anything is read or sent. Throws FileRefusedError. */
function checkRunFiles(input: string, resultsPath: string | null, journalPath: string | undefined): void {
  if (resultsPath) checkWritableFile(resultsPath, 'the results file');
  if (journalPath) checkWritableFile(journalPath, 'the journal');
  checkDistinctFiles([
    { label: 'the input file', path: input },
    ...(resultsPath ? [{ label: 'the results file', path: resultsPath }] : []),
    ...(journalPath
      ? [
          { label: 'the journal', path: journalPath },
          { label: "the journal's lock", path: `${identity(journalPath).real}.lock` },
        ]
      : []),
  ]);
}

/** What stopped the run before it could finish, as one plain message. */
function describeRunError(e: unknown, file: string, journalPath: string | undefined): string | null {
  if (
    e instanceof JournalMismatchError ||
    e instanceof JournalBusyError ||
    e instanceof JournalDamagedError ||
    e instanceof FileRefusedError ||
    e instanceof FileAccessError
  )
    return e.message;
  if ((e as Error)?.name === 'SheetError') return describeReadError(e, file);
  // The input is in memory by now: a file-system error can only come from the journal.
  if ((e as NodeJS.ErrnoException)?.code && journalPath)
    return new FileAccessError(journalPath, 'write the journal', e).message;
  return null;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseFileCommand(argv, USAGE, 'submit', {
    org: { type: 'string' },
    'base-url': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    results: { type: 'string' },
    journal: { type: 'string' },
    'continue-edited': { type: 'boolean', default: false },
  });
  if (!args.ok) return args.exitCode;
  const { values, headerRow } = args;
  const file = resolve(args.file);
  const dryRun = values['dry-run'] === true;
  const resultsPath =
    values.results !== undefined ? resolve(values.results) : dryRun ? null : defaultResultsPath(file);
  let format: ResultsFormat | null = null;
  if (resultsPath) {
    format = resultsFormatOf(resultsPath);
    if (!format) {
      process.stderr.write(`--results must name a .xlsx or .csv file, not "${values.results}".\n`);
      return 2;
    }
  }
  let baseUrl = values['base-url'];
  if (baseUrl !== undefined) {
    const parsed = parseBaseUrlOption(baseUrl);
    if (parsed === null) return 2;
    baseUrl = parsed;
  }
  const org = values.org?.trim();
  if (values.org !== undefined && !org) {
    process.stderr.write('--org needs an organization id.\n');
    return 2;
  }
  const apiKey = readApiKeyFromEnv();
  if (apiKey === null) return 2;
  const journalPath = dryRun
    ? undefined
    : values.journal !== undefined
      ? resolve(values.journal)
      : defaultJournalPath(resultsPath as string);

  try {
    checkRunFiles(file, resultsPath, journalPath);
  } catch (e) {
    if (!(e instanceof FileRefusedError)) throw e;
    process.stderr.write(e.message + '\n');
    return 2;
  }

  let bytes: Uint8Array;
  try {
    const read = await readRegularFile(file, { label: 'the file', maxBytes: CSV_MAX_FILE_BYTES });
    bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
  } catch (e) {
    process.stderr.write(describeReadError(e, file) + '\n');
    return 2;
  }

  const continueEdited = values['continue-edited'] === true;
  if (continueEdited && !journalPath) {
    process.stderr.write('--continue-edited needs the journal of the run to continue (--journal PATH).\n');
    return 2;
  }

  const reporter = createReporter(process.stderr);
  // A run being resumed reads the file as it was read then: same sheet, header row and mapping.
  let prior;
  try {
    prior = journalPath ? inspectJournal(journalPath)?.run : undefined;
  } catch (e) {
    const message =
      describeRunError(e, file, journalPath) ??
      `Cannot read the journal ${journalPath}: ${(e as Error).message}`;
    process.stderr.write(`${message}\n`);
    return 2;
  }
  let input;
  try {
    const sameFile = prior && !continueEdited ? prior : null;
    input = readSubmission(
      {
        bytes,
        fileName: basename(file),
        ...(values.sheet !== undefined
          ? { sheet: values.sheet }
          : prior?.sheet
            ? { sheet: prior.sheet }
            : {}),
        ...(headerRow !== undefined
          ? { headerRow }
          : sameFile?.headerRow
            ? { headerRow: sameFile.headerRow }
            : {}),
      },
      {
        ...(sameFile ? { mapping: sameFile.mapping } : {}),
        ...(org
          ? { defaultOrganizationId: org }
          : prior?.defaultOrganizationId
            ? { defaultOrganizationId: prior.defaultOrganizationId }
            : {}),
      },
    );
  } catch (e) {
    process.stderr.write(describeReadError(e, file) + '\n');
    return 2;
  }
  const priorKeys = journalPath
    ? openKeys(siblingJournals(journalPath), { warn: (m) => reporter.line(`warning: ${m}`) })
    : undefined;
  const submission = createRun({
    submission: input.submission,
    inputHash: input.inputHash,
    headerRow: input.headerRow,
    fileWarnings: input.fileWarnings,
    audience: 'cli',
    apiKey,
    ...(baseUrl ? { baseUrl } : {}),
    ...(journalPath && priorKeys ? { journalPath, priorKeys } : {}),
    ...(continueEdited ? { continueEdited } : {}),
    dryRun,
  });
  submission.on('progress', (p) => reporter.progress(p));
  submission.on('log', (l) => {
    // The message that ends the run is printed once, with the summary.
    if (!l.stop) reporter.line(l.level === 'info' ? l.message : `${l.level}: ${l.message}`);
  });
  if (!process.stderr.isTTY) {
    submission.on('row', ({ result: r }) => {
      if (r.status === 'created') reporter.line(`row ${r.row}: created ${r.projectId ?? ''}`);
      else if (r.status === 'failed')
        reporter.line(`row ${r.row}: failed ${r.errorCode ?? ''}: ${r.errorMessage ?? ''}`);
    });
  }

  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      reporter.line('Stopping after the request in flight (press Ctrl-C again to abort it now)...');
      submission.cancel({ waitForInFlight: true });
    } else submission.cancel();
  };
  const onSigterm = () => submission.cancel();
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  let summary: RunSummary;
  try {
    summary = await submission.start();
  } catch (e) {
    reporter.done();
    const message = describeRunError(e, file, journalPath);
    if (message === null) throw e;
    process.stderr.write(`${message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
  reporter.done();

  printIssues(summary, (s) => process.stderr.write(s + '\n'), dryRun ? 500 : 100);

  if (resultsPath && format) {
    try {
      writeFileAtomically(
        resultsPath,
        writeResults(summary.source, summary.results, format),
        'the results file',
      );
    } catch (e) {
      if (!(e instanceof FileRefusedError || e instanceof FileAccessError)) throw e;
      const again = summary.journalPath
        ? ' Every outcome is in the journal: run the same command again to write the results.'
        : '';
      process.stderr.write(`${e.message}${again}\n`);
      return 2;
    }
  }

  const c = summary.counts;
  const out: string[] = [];
  out.push(
    `${summary.fileName}${summary.sheet ? ` (sheet "${summary.sheet}")` : ''}: ${c.rows} row(s)` +
      (dryRun
        ? `, ${c.rows - c.invalid - c.skipped} would be sent, ${c.invalid} invalid, ${c.skipped} skipped (dry run: nothing created).`
        : `, ${c.created} created, ${c.failed} failed, ${c.invalid} invalid, ${c.skipped} skipped, ${c.notSent} not sent.`),
  );
  if (summary.resolved.length > 0) {
    const names = new NameSummary();
    names.add(summary.resolved);
    out.push(
      dryRun
        ? 'Names resolved against the account (these ids would be sent):'
        : 'Names resolved against the account (sent as ids):',
      ...names.lines().map((l) => `  ${l}`),
    );
  }
  if (summary.resumed) out.push('Resumed an earlier run of this file from its journal.');
  if (summary.stop)
    out.push(summary.stop.reason === 'account' ? `Stopped: ${summary.stop.message}` : summary.stop.message);
  if (resultsPath) out.push(`Results: ${resultsPath}`);
  if (summary.journalPath) out.push(`Journal: ${summary.journalPath}`);
  process.stdout.write(out.join('\n') + '\n');

  if (summary.state === 'stopped' && summary.stop?.reason === 'account') return 2;
  if (summary.state === 'stopped') return 1;
  if (dryRun) return c.invalid > 0 ? 1 : 0;
  return c.rows === c.created + c.skipped ? 0 : 1;
}
