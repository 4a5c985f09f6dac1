/** A run under a real write limit (Sandbox, short window): no 429 at all, and a pace close to the limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, type Progress } from '../../../src/engine';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { csv, fromFile, validRows } from '../../unit/engine/helpers';

const LIMIT = 5;
const WINDOW_MS = 2500;
const ROWS = 15;

let sb: RunningSandbox;
const postTimes: number[] = [];
beforeAll(async () => {
  sb = await startSandbox({
    writeLimit: LIMIT,
    windowMs: WINDOW_MS,
    latencyMs: 5,
    faults: {
      plan: (req) => {
        if (req.method === 'POST') postTimes.push(Date.now());
        return null;
      },
    },
  });
});
afterAll(async () => {
  await sb.close();
});

describe('pacing under a rate limit', () => {
  it('gets no 429 and keeps close to the allowed rate', async () => {
    const progress: Progress[] = [];
    const run = createRun({
      ...fromFile(csv(validRows(ROWS)), 'p.csv'),
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
    });
    run.on('progress', (p) => progress.push(p));
    const started = Date.now();
    const summary = await run.start();
    const total = Date.now() - started;

    expect(summary.counts.created).toBe(ROWS);
    const statuses = sb.state.log.map((e) => e.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);

    // Never more than LIMIT writes in any window.
    for (let i = LIMIT; i < postTimes.length; i++) {
      expect((postTimes[i] as number) - (postTimes[i - LIMIT] as number)).toBeGreaterThanOrEqual(
        WINDOW_MS - 20,
      );
    }
    // Pace: after the first full window, rows flow at close to LIMIT per WINDOW_MS. X-RateLimit-Reset is
    // in whole seconds, so each wait can run up to a second long; allow that and no more.
    const span = (postTimes.at(-1) as number) - (postTimes[0] as number);
    const ideal = ((ROWS - LIMIT) / LIMIT) * WINDOW_MS;
    expect(span).toBeGreaterThanOrEqual(ideal - 50);
    expect(span).toBeLessThanOrEqual(ideal + ((ROWS - LIMIT) / LIMIT) * 1000 + 800);
    const allowed = LIMIT / (WINDOW_MS / 1000);
    const achieved = (ROWS - LIMIT) / (span / 1000);
    console.info(
      `write limit ${LIMIT}/${WINDOW_MS} ms: allowed ${allowed.toFixed(2)}/s, achieved ${achieved.toFixed(2)}/s ` +
        `after the first window, 429s: 0, whole run ${(total / 1000).toFixed(1)} s`,
    );

    const waits = progress.filter((p) => p.waiting?.reason === 'rate_limit');
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits.map((p) => p.waiting?.secondsLeft ?? 0))).toBeGreaterThanOrEqual(1);
    expect(progress.some((p) => p.phase === 'sending' && (p.etaSeconds ?? 0) > 0)).toBe(true);
  });
});
