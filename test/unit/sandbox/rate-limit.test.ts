import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter, UNLIMITED_REPORTED_LIMIT } from '../../../src/sandbox/rate-limit';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` requests per window and refuses the next', () => {
    const l = new SlidingWindowLimiter(3, 1_000);
    expect([0, 100, 200].map((t) => l.take('k', t).allowed)).toEqual([true, true, true]);
    const refused = l.take('k', 300);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 3, retryAfter: 1 });
  });

  it('slides: a request leaves the window windowMs after it was made', () => {
    const l = new SlidingWindowLimiter(2, 1_000);
    l.take('k', 0);
    l.take('k', 600);
    expect(l.take('k', 999).allowed).toBe(false);
    expect(l.take('k', 1_001).allowed).toBe(true);
    expect(l.take('k', 1_100).allowed).toBe(false);
    expect(l.take('k', 1_601).allowed).toBe(true);
  });

  it('resets at the second the oldest request leaves, and says how long to wait', () => {
    const l = new SlidingWindowLimiter(1, 60_000);
    l.take('k', 1_000_000);
    const d = l.take('k', 1_030_500);
    expect(d.reset).toBe(Math.ceil(1_060_000 / 1000));
    expect(d.retryAfter).toBe(30);
  });

  it('keeps each key apart and does not count refused requests', () => {
    const l = new SlidingWindowLimiter(1, 1_000);
    l.take('a', 0);
    expect(l.take('a', 10).allowed).toBe(false);
    expect(l.take('a', 20).allowed).toBe(false);
    expect(l.take('b', 30).allowed).toBe(true);
    expect(l.take('a', 1_001).allowed).toBe(true);
  });

  it('never refuses without a limit, and reports a large one', () => {
    const l = new SlidingWindowLimiter(undefined, 1_000);
    for (let i = 0; i < 100; i++) expect(l.take('k', i).allowed).toBe(true);
    expect(l.peek('k', 100)).toMatchObject({
      limit: UNLIMITED_REPORTED_LIMIT,
      remaining: UNLIMITED_REPORTED_LIMIT - 100,
    });
  });
});
