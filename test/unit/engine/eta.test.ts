/**
 * The time-left estimate counts rate-limit waits: with 10 rows left at 4 a minute it says about
 * 2.5 min, not the few seconds the first rows of the window took.
 */
import { describe, expect, it } from 'vitest';
import { createRun, manualClock, type Progress } from '../../../src/engine';
import { ORG_SENATE } from '../../../src/sandbox';
import { csv, fromFile, jsonResponse, validRows } from './helpers';

const LIMIT = 4;
const WINDOW_MS = 60_000;

/** An API with a sliding write window of 4 per minute on the manual clock; reads answer 404. */
function limitedApi(clock: { now(): number }) {
  const sent: number[] = [];
  let n = 0;
  const api: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (init?.method !== 'POST') {
      if (url.pathname.endsWith('/organizations'))
        return jsonResponse(200, {
          success: true,
          data: [{ id: ORG_SENATE, display_name: 'Rivera for Senate' }],
        });
      return jsonResponse(404, { success: false, error: 'Not here', code: 'NOT_FOUND', statusCode: 404 });
    }
    const t = clock.now();
    while (sent.length > 0 && sent[0]! <= t - WINDOW_MS) sent.shift();
    const reset = () => String(Math.ceil(((sent[0] ?? t) + WINDOW_MS) / 1000));
    if (sent.length >= LIMIT) {
      return jsonResponse(
        429,
        { success: false, error: 'Slow down', code: 'RATE_LIMIT_EXCEEDED', statusCode: 429 },
        { 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset() },
      );
    }
    sent.push(t);
    n++;
    return jsonResponse(
      201,
      { success: true, data: { project_id: `proj_${n}`, status: 'draft' } },
      {
        'x-ratelimit-limit': String(LIMIT),
        'x-ratelimit-remaining': String(LIMIT - sent.length),
        'x-ratelimit-reset': reset(),
      },
    );
  };
  return api;
}

describe('time left', () => {
  it('with 10 rows left at 4 per minute: about 2.5 min, waits included', async () => {
    const clock = manualClock();
    const progress: Progress[] = [];
    const run = createRun({
      ...fromFile(csv(validRows(14))),
      apiKey: 'pc_test_eta',
      baseUrl: 'https://api.example/v1',
      clock,
      random: () => 0.5,
      fetch: limitedApi(clock),
    });
    run.on('progress', (p) => progress.push(p));
    const summary = await run.start();
    expect(summary.counts.created).toBe(14);

    // Right after the fourth row: the window is spent, 10 rows to go.
    const afterFour = progress.find((p) => p.phase === 'sending' && p.done === 4);
    expect(afterFour?.etaSeconds).toBeGreaterThanOrEqual(130);
    expect(afterFour?.etaSeconds).toBeLessThanOrEqual(190);
    // While waiting for the window: never less than the wait itself, and still about 2.5 min.
    const waiting = progress.filter((p) => p.done === 4 && p.waiting?.reason === 'rate_limit');
    expect(waiting.length).toBeGreaterThan(0);
    for (const p of waiting) {
      expect(p.etaSeconds).toBeGreaterThanOrEqual(p.waiting!.secondsLeft - 1);
      expect(p.etaSeconds).toBeLessThanOrEqual(190);
    }
    // And it comes down as rows go: about 15 s a row at this limit.
    const afterTen = progress.find((p) => p.phase === 'sending' && p.done === 10);
    expect(afterTen?.etaSeconds).toBeGreaterThanOrEqual(40);
    expect(afterTen?.etaSeconds).toBeLessThanOrEqual(80);
    expect(progress.at(-1)?.etaSeconds).toBe(0);
  });

  it('without a limit in sight, the session pace alone', async () => {
    const clock = manualClock();
    let n = 0;
    const fast: typeof fetch = async (_input, init) => {
      if (init?.method !== 'POST')
        return jsonResponse(404, { success: false, error: 'no', code: 'NOT_FOUND' });
      await clock.sleep(2000); // each write takes 2 s
      n++;
      return jsonResponse(201, { success: true, data: { project_id: `proj_${n}` } });
    };
    const progress: Progress[] = [];
    const run = createRun({
      ...fromFile(csv(validRows(6))),
      apiKey: 'pc_test_eta',
      baseUrl: 'https://api.example/v1',
      clock,
      fetch: fast,
    });
    run.on('progress', (p) => progress.push(p));
    await run.start();
    const afterTwo = progress.find((p) => p.phase === 'sending' && p.done === 2);
    expect(afterTwo?.etaSeconds).toBe(8);
  });
});
