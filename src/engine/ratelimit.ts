/**
 * Pacing from the answers' own headers: after every answer the engine notes `X-RateLimit-Limit`,
 * `-Remaining` and `-Reset` per bucket (reads and writes are limited separately), and before the next
 * request of that bucket it waits when the window is spent. No limit is ever hard-coded.
 *
 * `X-RateLimit-Reset` in whole Unix seconds can be up to a second later than the moment the oldest
 * request leaves the window. When requests of a bucket go one at a time, the tracker also learns from
 * the headers how long after its own sending a request leaves the window: an answer saying that
 * `limit - remaining` requests are in the window names its oldest one (the one sent that many sends
 * ago), and its reset bounds "leaves at most this long after it was sent". Every answer tightens that
 * bound, so a spent window is waited out until the oldest request has left, not until the next
 * whole second. The bound can only be too long, never too short; a 429 on the bucket (someone else
 * using the key, say) turns the learning off and the headers alone decide again.
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

/** What one bucket learned from its own sends (see the module comment). */
interface SendLog {
  /** Send times of the latest requests, oldest first (at most MAX_SENDS). */
  sends: number[];
  inFlight: number;
  /** Upper bound of "sent to out of the window", ms; Infinity until learned. */
  leaveAfter: number;
  /** False after a 429 or an answer that contradicts the log: then the headers alone decide. */
  usable: boolean;
}

const MAX_SENDS = 10_000;

/** A reset given in whole Unix seconds (the documented form): the only one that needs learning. */
function resetSeconds(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  const n = Number(value);
  return n > 1e9 && n <= 1e12 ? n : null;
}

export class RateLimitTracker {
  private readonly windows = new Map<Bucket, WindowState>();
  private readonly logs = new Map<Bucket, SendLog>();

  /** @param marginMs added to every wait, so the request lands after the window has moved. */
  constructor(private readonly marginMs = 50) {}

  private log(bucket: Bucket): SendLog {
    let log = this.logs.get(bucket);
    if (!log) {
      log = { sends: [], inFlight: 0, leaveAfter: Number.POSITIVE_INFINITY, usable: true };
      this.logs.set(bucket, log);
    }
    return log;
  }

  /** A request of this bucket is leaving now. Pair with `settled` once it has an outcome. */
  noteSend(bucket: Bucket, now: number): void {
    const log = this.log(bucket);
    log.inFlight++;
    log.sends.push(now);
    if (log.sends.length > MAX_SENDS) log.sends.splice(0, log.sends.length - MAX_SENDS);
  }

  /**
   * The request noted last has an outcome. `counted`: false when the API refused it with a 429 (not in
   * the window), null when it is unknown whether it reached the API (no answer): the log is dropped.
   */
  settled(bucket: Bucket, counted: boolean | null): void {
    const log = this.log(bucket);
    log.inFlight = Math.max(0, log.inFlight - 1);
    if (counted === false) {
      log.sends.pop();
      log.usable = false;
    } else if (counted === null) log.sends.length = 0;
  }

  /** Learn from an answer to a request sent alone (nothing else of the bucket in flight). */
  private learn(bucket: Bucket, headers: Headers, limit: number, remaining: number): void {
    const log = this.logs.get(bucket);
    if (!log || !log.usable || log.inFlight !== 1) return;
    const reset = resetSeconds(headers.get('x-ratelimit-reset'));
    if (reset === null || !Number.isFinite(limit)) return;
    const inWindow = limit - remaining;
    if (inWindow < 1 || inWindow > log.sends.length) return;
    const oldest = log.sends[log.sends.length - inWindow]!;
    const bound = reset * 1000 - oldest;
    if (bound <= 0) {
      log.usable = false;
      return;
    }
    if (bound < log.leaveAfter) log.leaveAfter = bound;
  }

  update(bucket: Bucket, headers: Headers, now: number): void {
    const limit = Number(headers.get('x-ratelimit-limit'));
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const resetAt = parseResetHeader(headers.get('x-ratelimit-reset'), now);
    if (headers.get('x-ratelimit-remaining') === null || !Number.isFinite(remaining)) return;
    this.learn(bucket, headers, limit, remaining);
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
    let at = w.resetAt;
    // The window is full: the oldest of the last `limit` sends leaves first.
    const log = this.logs.get(bucket);
    if (log && log.usable && Number.isFinite(log.leaveAfter) && w.limit >= 1 && log.sends.length >= w.limit) {
      at = Math.min(at, log.sends[log.sends.length - w.limit]! + log.leaveAfter);
    }
    return Math.max(0, at + this.marginMs - now);
  }

  /**
   * Milliseconds per request the limit allows (how long a request stays in the window, divided by
   * the limit), once the headers have shown it; null before. For the time-left estimate.
   */
  paceMs(bucket: Bucket): number | null {
    const w = this.windows.get(bucket);
    const log = this.logs.get(bucket);
    if (!w || !Number.isFinite(w.limit) || w.limit < 1 || !log || !Number.isFinite(log.leaveAfter))
      return null;
    return log.leaveAfter / w.limit;
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
