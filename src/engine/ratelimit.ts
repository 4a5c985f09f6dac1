/**
 * Pacing from the answers' own headers: after every answer the engine notes `X-RateLimit-Limit`,
 * `-Remaining` and `-Reset` per bucket (reads and writes are limited separately), and before the next
 * request of that bucket it waits when the window is spent. No limit is ever hard-coded.
 */
export type Bucket = 'read' | 'write';

export interface WindowState {
  limit: number;
  remaining: number;
  /** Epoch milliseconds when a request is possible again. */
  resetAt: number;
}

/** Read a reset header: Unix seconds (the documented form), epoch milliseconds, or seconds from now. */
export function parseResetHeader(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return null;
  if (n > 1e12) return n;
  if (n > 1e9) return n * 1000;
  return now + n * 1000;
}

/** `Retry-After`: delay in seconds or an HTTP date. Milliseconds from now, or null. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export class RateLimitTracker {
  private readonly windows = new Map<Bucket, WindowState>();

  /** @param marginMs added to every wait, so the request lands after the window has moved. */
  constructor(private readonly marginMs = 50) {}

  update(bucket: Bucket, headers: Headers, now: number): void {
    const limit = Number(headers.get('x-ratelimit-limit'));
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const resetAt = parseResetHeader(headers.get('x-ratelimit-reset'), now);
    if (headers.get('x-ratelimit-remaining') === null || !Number.isFinite(remaining)) return;
    this.windows.set(bucket, {
      limit: Number.isFinite(limit) ? limit : Number.NaN,
      remaining,
      resetAt: resetAt ?? now,
    });
  }

  get(bucket: Bucket): WindowState | undefined {
    return this.windows.get(bucket);
  }

  /** How long to wait before the next request of this bucket (0 when the window has room). */
  delayBeforeSend(bucket: Bucket, now: number): number {
    const w = this.windows.get(bucket);
    if (!w || w.remaining > 0) return 0;
    return Math.max(0, w.resetAt + this.marginMs - now);
  }

  /** After a 429: the longer of Retry-After and the reset, or null when the answer says neither. */
  delayAfterRefusal(headers: Headers, now: number): number | null {
    const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
    const reset = parseResetHeader(headers.get('x-ratelimit-reset'), now);
    const candidates = [retryAfter, reset === null ? null : reset - now].filter(
      (v): v is number => v !== null && v >= 0,
    );
    if (candidates.length === 0) return null;
    return Math.max(...candidates) + this.marginMs;
  }
}
