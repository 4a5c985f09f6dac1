/**
 * One process contending for a journal's lock (run by lock-race.test.ts):
 *   node --import tsx lock-contender.ts JOURNAL LOG GO_FILE ID ROUNDS HOLD_MS DIE_EVERY
 * Prints "ready", waits for GO_FILE to name a start time, spins to it, then tries to open the journal
 * ROUNDS times. Every outcome is appended to LOG (O_APPEND, one line each). While it holds the lock
 * it owns MARKER (created with O_EXCL): a second holder at the same moment cannot create it and
 * logs "overlap". With DIE_EVERY > 0, every DIE_EVERY-th hold ends in process.exit without releasing
 * the lock (a crash), leaving a stale lock for the others to take over.
 */
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { FileJournal, JournalBusyError } from '../../../src/engine/journal';

const [journal, log, goFile, id, roundsText, holdText, dieText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const rounds = Number(roundsText);
const holdMs = Number(holdText);
const dieEvery = Number(dieText);
const marker = `${journal}.holder`;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const note = (line: string) => appendFileSync(log, `${line}\n`);

process.stdout.write('ready\n');
while (!existsSync(goFile) || readFileSync(goFile, 'utf8').trim() === '') sleep(2);
const go = Number(readFileSync(goFile, 'utf8'));
if (go - Date.now() > 5) sleep(go - Date.now() - 5);
while (Date.now() < go) {
  // spin to the same millisecond as the others
}

let holds = 0;
for (let round = 0; round < rounds; round++) {
  let opened;
  try {
    opened = FileJournal.open(journal);
  } catch (e) {
    if (e instanceof JournalBusyError) note(`busy ${id} ${e.message}`);
    else
      note(
        `error ${id} ${(e as Error).name} ${(e as NodeJS.ErrnoException).code ?? ''} ${(e as Error).message}`,
      );
    sleep(Math.random() * 3);
    continue;
  }
  try {
    closeSync(openSync(marker, 'wx'));
  } catch {
    note(`overlap ${id}`);
  }
  note(`held ${id}`);
  sleep(holdMs);
  holds++;
  try {
    unlinkSync(marker);
  } catch {
    note(`overlap ${id}`);
  }
  if (dieEvery > 0 && holds % dieEvery === 0) {
    note(`died ${id}`);
    process.exit(0); // without closing: the lock stays behind, stale
  }
  await opened.journal.close(); // releases the lock once pending appends are written
  sleep(Math.random() * 3);
}
note(`done ${id}`);
