/**
 * A per-key sliding-window limiter: each key keeps the times of its requests inside the window; a
 * request is refused while the window already holds `limit` of them. `X-RateLimit-Reset` is the Unix
 * second at which the oldest request in the window leaves it (when one more request becomes possible).
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds. */
  reset: number;
  /** Seconds until a request is possible again (only meaningful when refused). */
  retryAfter: number;
}

/** What the headers say when no limit is configured: the Sandbox never refuses, but still answers. */
export const UNLIMITED_REPORTED_LIMIT = 1_000_000;

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number | undefined,
    private readonly windowMs: number,
  ) {}

  take(key: string, now: number): RateDecision {
    const start = now - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((t) => t > start);
    const limit = this.limit ?? UNLIMITED_REPORTED_LIMIT;
    const allowed = this.limit === undefined || times.length < this.limit;
    if (allowed) times.push(now);
    this.hits.set(key, times);
    const oldest = times[0] ?? now;
    const resetMs = oldest + this.windowMs;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - times.length),
      reset: Math.ceil(resetMs / 1000),
      retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
    };
  }

  /** The state without taking a request (for answers that do not count, e.g. a scripted 429). */
  peek(key: string, now: number): RateDecision {
    const start = now - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((t) => t > start);
    const limit = this.limit ?? UNLIMITED_REPORTED_LIMIT;
    const resetMs = (times[0] ?? now) + this.windowMs;
    return {
      allowed: this.limit === undefined || times.length < this.limit,
      limit,
      remaining: Math.max(0, limit - times.length),
      reset: Math.ceil(resetMs / 1000),
      retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
    };
  }
}
