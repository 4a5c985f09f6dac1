/**
 * A row whose outcome is unknown (the connection dropped after the API created it) must never be
 * created twice, even when the user sends it again in a new run (edited sheet, "retry failed rows"):
 * the new run reuses the key an earlier journal holds for the very same body.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRun, openKeys } from '../../../src/engine';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { csv, fromFile, tenDlcRow } from '../../unit/engine/helpers';

let sb: RunningSandbox;
let dir: string;
beforeEach(async () => {
  sb = await startSandbox({ seed: 3 });
  dir = mkdtempSync(join(tmpdir(), 'bi-prior-'));
});
afterEach(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

it('reuses the Idempotency-Key of an earlier run for a row whose outcome it never learned', async () => {
  const first = join(dir, 'first.jsonl');
  // The project is created, then the connection drops; with one try the row ends "failed, retryable".
  sb.state.pushFaults('reset_after');
  const one = await createRun({
    ...fromFile(csv([tenDlcRow('Only once'), tenDlcRow('Other')]), 'a.csv'),
    apiKey: sb.apiKey,
    baseUrl: sb.baseUrl,
    journalPath: first,
    policy: { maxAttempts: 1, backoffBaseMs: 1, backoffCapMs: 1 },
  }).start();
  expect(one.results.map((r) => r.status)).toEqual(['failed', 'created']);
  expect(sb.state.projects.filter((p) => p.detail.name === 'Only once')).toHaveLength(1);

  const prior = openKeys([first]);
  expect(prior.size).toBe(1);

  // The user retries the failed row from a new sheet: a new run, a new journal.
  const two = await createRun({
    ...fromFile(csv([tenDlcRow('Only once')]), 'retry.csv'),
    apiKey: sb.apiKey,
    baseUrl: sb.baseUrl,
    journalPath: join(dir, 'second.jsonl'),
    priorKeys: prior,
  }).start();
  expect(two.results.map((r) => r.status)).toEqual(['created']);
  expect(two.results[0]!.projectId).toBe(
    sb.state.projects.find((p) => p.detail.name === 'Only once')!.detail.project_id,
  );
  expect(sb.state.projects.filter((p) => p.detail.name === 'Only once')).toHaveLength(1);
});

it('finds no open key for rows that were created, refused or never sent', async () => {
  const path = join(dir, 'done.jsonl');
  await createRun({
    ...fromFile(csv([tenDlcRow('Fine')]), 'a.csv'),
    apiKey: sb.apiKey,
    baseUrl: sb.baseUrl,
    journalPath: path,
  }).start();
  expect(openKeys([path, join(dir, 'missing.jsonl')]).size).toBe(0);
});
