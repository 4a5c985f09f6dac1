/**
 * The main process stays responsive: while a run sends, neither the service nor the engine does
 * synchronous file I/O (journal appends and fsyncs, the runs manifest and the stored submission are
 * all asynchronous). Every synchronous `fs` call is counted while rows are being sent.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readSubmission } from '../../../src/engine/input';
import { csv, validRows } from '../../unit/engine/helpers';
import { serviceFixture, type ServiceFixture } from './helpers';

const SYNC = [
  'openSync',
  'writeSync',
  'fsyncSync',
  'fdatasyncSync',
  'closeSync',
  'readFileSync',
  'writeFileSync',
  'appendFileSync',
  'renameSync',
  'unlinkSync',
  'rmSync',
  'mkdirSync',
  'readdirSync',
  'statSync',
  'existsSync',
  'copyFileSync',
] as const;

const originals = new Map<string, unknown>();
let phase: 'off' | 'starting' | 'sending' = 'off';
const calls: Record<'starting' | 'sending', string[]> = { starting: [], sending: [] };

beforeEach(() => {
  const mutable = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of SYNC) {
    const original = mutable[name]!;
    originals.set(name, original);
    mutable[name] = function (this: unknown, ...args: unknown[]) {
      if (phase !== 'off') calls[phase].push(`${name}(${typeof args[0] === 'string' ? args[0] : ''})`);
      return original.apply(this, args);
    };
  }
  syncBuiltinESMExports();
});
afterEach(() => {
  const mutable = fs as unknown as Record<string, unknown>;
  for (const [name, original] of originals) mutable[name] = original;
  syncBuiltinESMExports();
});

let f: ServiceFixture | null = null;
afterEach(async () => {
  phase = 'off';
  await f?.close();
  f = null;
});

it('no synchronous file I/O while a run sends', async () => {
  const rows = 60;
  let seen = 0;
  f = serviceFixture({
    sandbox: { latencyMs: 2 },
    onEvent: (event, payload) => {
      if (event === 'runProgress' && (payload as { phase: string }).phase === 'sending') phase = 'sending';
      if (event === 'runRow' && ++seen === rows) phase = 'off';
    },
  });
  const { submission } = readSubmission({ bytes: csv(validRows(rows, 'Quiet')), fileName: 'quiet.csv' });
  phase = 'starting';
  const { runId } = await f.service.handlers.startRun(submission);
  const summary = await f.finished(runId);
  expect(summary.counts.created).toBe(rows);
  expect(seen).toBe(rows);
  // The hook is live: it saw the synchronous work of starting (opening the journal, say).
  expect(calls.starting.length).toBeGreaterThan(0);
  expect(calls.sending).toEqual([]);
});
