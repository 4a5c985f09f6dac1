/** The tracker learns, from its own sends and the headers, when the oldest request leaves the window. */
import { describe, expect, it } from 'vitest';
import { RateLimitTracker } from '../../../src/engine/ratelimit';

/** A sliding window of `limit` per `windowMs`, answering like the Sandbox (reset in whole seconds). */
function server(limit: number, windowMs: number) {
  const times: number[] = [];
  return (now: number) => {
    while (times.length > 0 && times[0]! <= now - windowMs) times.shift();
    const allowed = times.length < limit;
    if (allowed) times.push(now);
    const resetMs = (times[0] ?? now) + windowMs;
    return {
      allowed,
      headers: new Headers({
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - times.length)),
        'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      }),
    };
  };
}

/** Send `rows` requests one at a time, each as soon as the tracker allows; the send times and refusals. */
function drive(t: RateLimitTracker, answer: ReturnType<typeof server>, rows: number, start: number) {
  let now = start;
  const sent: number[] = [];
  let refused = 0;
  while (sent.length < rows) {
    now += t.delayBeforeSend('write', now);
    t.noteSend('write', now);
    const a = answer(now);
    t.update('write', a.headers, now);
    t.settled('write', a.allowed);
    if (a.allowed) sent.push(now);
    else refused++;
    now += 1;
  }
  return { sent, refused };
}

describe('RateLimitTracker: learning the window from its own sends', () => {
  it('never exceeds the limit and waits less than the whole-second reset would make it', () => {
    const limit = 10;
    const windowMs = 2000;
    const start = 1_700_000_000_300;
    const learned = drive(new RateLimitTracker(50), server(limit, windowMs), 101, start);
    expect(learned.refused).toBe(0);
    for (let i = limit; i < learned.sent.length; i++) {
      expect(learned.sent[i]! - learned.sent[i - limit]!).toBeGreaterThan(windowMs);
    }
    // The same requests paced from the headers alone (no sends noted) take longer.
    const t = new RateLimitTracker(50);
    const answer = server(limit, windowMs);
    let now = start;
    let last = now;
    for (let k = 0; k < 101; k++) {
      now += t.delayBeforeSend('write', now);
      const a = answer(now);
      expect(a.allowed).toBe(true);
      t.update('write', a.headers, now);
      last = now;
      now += 1;
    }
    const headerSpan = last - start;
    const learnedSpan = learned.sent.at(-1)! - learned.sent[0]!;
    expect(learnedSpan).toBeLessThan(headerSpan);
    expect(learnedSpan).toBeGreaterThanOrEqual(10 * windowMs);
  });

  it('goes back to the headers alone after a 429', () => {
    const t = new RateLimitTracker(50);
    const now = 1_700_000_000_000;
    t.noteSend('write', now);
    t.update(
      'write',
      new Headers({
        'x-ratelimit-limit': '1',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1700000003',
      }),
      now,
    );
    t.settled('write', true);
    // Learned: the request leaves at most 3 s after it was sent; the headers say the same here.
    expect(t.delayBeforeSend('write', now + 100)).toBe(2950);
    t.noteSend('write', now + 100);
    t.update(
      'write',
      new Headers({
        'x-ratelimit-limit': '1',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1700000004',
      }),
      now + 100,
    );
    t.settled('write', false);
    expect(t.delayBeforeSend('write', now + 100)).toBe(3950);
  });
});
