/**
 * One place where requests leave: the official SDK client (with its own retries off), wrapped in a
 * `fetch` that notes each answer's status and headers, a per-request timeout through AbortSignal,
 * pacing from the rate-limit headers, and retries with full-jitter backoff. Used by the pre-flight
 * (reads) and by sending (writes).
 */
import { PoliticalCommsClient, PoliticalCommsError } from '@political-comms/sdk';
import { fullJitterDelay } from './backoff';
import type { Clock } from './clock';
import { classifyFailure, failureFromBody, type ApiFailure } from './errors';
import { RateLimitTracker, type Bucket } from './ratelimit';

export const PRODUCTION_BASE_URL = 'https://api.politicalcomms.com/v1';

export interface RetryPolicy {
  /** Tries for 5xx, network errors and timeouts (the first one included). */
  maxAttempts: number;
  /** Waits after a 429 before giving up on a row (separate from maxAttempts: a 429 is not a failure). */
  maxRateLimitWaits: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxRateLimitWaits: 50,
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
  requestTimeoutMs: 30_000,
};

export type WaitReason = 'rate_limit' | 'backoff';

export interface WaitInfo {
  reason: WaitReason;
  /** Epoch ms when the wait ends. */
  until: number;
  secondsLeft: number;
}

/** Pause / cancel, as the request loop sees them. */
export interface Control {
  /** Resolves when the run may go on (immediately unless paused); false when cancelled. */
  checkpoint(): Promise<boolean>;
  readonly cancelled: boolean;
  /** Aborts when waits must end early (cancel). */
  readonly wakeSignal: AbortSignal;
  /** Aborts the request in flight (cancel without waiting for it). */
  readonly abortSignal: AbortSignal;
}

export interface CallHooks {
  /** Called right before each attempt leaves (after pacing); the journal records the attempt here. */
  beforeAttempt?(attempt: number): void | Promise<void>;
  /** A non-final answer: the call will be retried after `retryInMs`. */
  onRetry?(attempt: number, failure: ApiFailure, retryInMs: number): void;
  onWait?(wait: WaitInfo | null): void;
}

export type CallOutcome<T> =
  | { kind: 'ok'; data: T; httpStatus: number; attempts: number }
  /** `retryable`: the last answer was transient (5xx, network, timeout), so the outcome is not known for sure. */
  | { kind: 'failed'; failure: ApiFailure; attempts: number; retryable: boolean }
  | { kind: 'stopped'; failure: ApiFailure; attempts: number }
  /** `inFlight`: a request was aborted on its way, so whether the API acted on it is unknown. */
  | { kind: 'cancelled'; attempts: number; inFlight: boolean };

export interface ApiSessionOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  clock: Clock;
  random: () => number;
  policy: RetryPolicy;
  control: Control;
}

interface LastAnswer {
  status: number;
  headers: Headers;
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export class ApiSession {
  readonly client: PoliticalCommsClient;
  readonly limits = new RateLimitTracker();
  readonly baseUrl: string;
  private last: LastAnswer | null = null;
  /** Requests that got an answer, by status (429 included): for tests and diagnostics. */
  readonly statusCounts = new Map<number, number>();

  constructor(private readonly options: ApiSessionOptions) {
    const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const wrapped: typeof fetch = async (input, init) => {
      const response = await baseFetch(input, init);
      this.last = { status: response.status, headers: response.headers };
      this.statusCounts.set(response.status, (this.statusCounts.get(response.status) ?? 0) + 1);
      return response;
    };
    this.baseUrl = (options.baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '');
    this.client = new PoliticalCommsClient({
      apiKey: options.apiKey,
      baseUrl: this.baseUrl,
      maxRetries: 0,
      fetch: wrapped,
    });
  }

  private async wait(reason: WaitReason, ms: number, hooks: CallHooks): Promise<void> {
    const { clock, control } = this.options;
    const until = clock.now() + ms;
    for (;;) {
      const left = until - clock.now();
      if (left <= 0 || control.cancelled) break;
      hooks.onWait?.({ reason, until, secondsLeft: Math.ceil(left / 1000) });
      await clock.sleep(Math.min(1000, left), control.wakeSignal);
    }
    hooks.onWait?.(null);
  }

  /**
   * Run one API call to a final outcome. `fn` gets the signal to pass to the SDK method. Never throws
   * for API or network trouble; only programming errors escape.
   */
  async call<T>(
    bucket: Bucket,
    fn: (signal: AbortSignal) => Promise<T>,
    hooks: CallHooks = {},
  ): Promise<CallOutcome<T>> {
    const { clock, control, policy, random } = this.options;
    let attempts = 0;
    let transient = 0;
    let rateLimited = 0;
    for (;;) {
      if (!(await control.checkpoint())) return { kind: 'cancelled', attempts, inFlight: false };
      const pace = this.limits.delayBeforeSend(bucket, clock.now());
      if (pace > 0) {
        await this.wait('rate_limit', pace, hooks);
        continue;
      }
      attempts++;
      await hooks.beforeAttempt?.(attempts);
      const answer = await this.attempt(bucket, fn);
      if (answer.kind === 'ok') return { kind: 'ok', data: answer.data, httpStatus: answer.status, attempts };
      if (answer.kind === 'cancelled') return { kind: 'cancelled', attempts, inFlight: true };
      const failure = answer.failure;
      const headers = answer.headers;
      switch (classifyFailure(failure)) {
        case 'stop':
          return { kind: 'stopped', failure, attempts };
        case 'final':
          return { kind: 'failed', failure, attempts, retryable: false };
        case 'retry_rate_limit': {
          rateLimited++;
          if (rateLimited > policy.maxRateLimitWaits)
            return { kind: 'failed', failure, attempts, retryable: true };
          const delay =
            (headers && this.limits.delayAfterRefusal(headers, clock.now())) ??
            fullJitterDelay(rateLimited, random, policy.backoffBaseMs, policy.backoffCapMs);
          hooks.onRetry?.(attempts, failure, delay);
          await this.wait('rate_limit', delay, hooks);
          break;
        }
        case 'retry_transient': {
          transient++;
          if (transient >= policy.maxAttempts) return { kind: 'failed', failure, attempts, retryable: true };
          let delay = fullJitterDelay(transient, random, policy.backoffBaseMs, policy.backoffCapMs);
          const asked = headers ? this.limits.delayAfterRefusal(headers, clock.now()) : null;
          if (headers?.get('retry-after') && asked !== null)
            delay = Math.max(delay, Math.min(asked, policy.backoffCapMs));
          hooks.onRetry?.(attempts, failure, delay);
          await this.wait('backoff', delay, hooks);
          break;
        }
      }
    }
  }

  private async attempt<T>(
    bucket: Bucket,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<
    | { kind: 'ok'; data: T; status: number }
    | { kind: 'failed'; failure: ApiFailure; headers: Headers | null }
    | { kind: 'cancelled' }
  > {
    const { control, policy, clock } = this.options;
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort(new TimeoutError(`no answer within ${Math.round(policy.requestTimeoutMs / 1000)} s`));
    }, policy.requestTimeoutMs);
    const onAbort = () => ctl.abort(control.abortSignal.reason);
    if (control.abortSignal.aborted) onAbort();
    else control.abortSignal.addEventListener('abort', onAbort, { once: true });
    this.last = null;
    this.limits.noteSend(bucket, clock.now());
    try {
      const data = await fn(ctl.signal);
      const last = this.last as LastAnswer | null;
      if (last) this.limits.update(bucket, last.headers, clock.now());
      return { kind: 'ok', data, status: last?.status ?? 200 };
    } catch (error) {
      const last = this.last as LastAnswer | null;
      if (control.abortSignal.aborted && !timedOut) return { kind: 'cancelled' };
      if (timedOut) {
        return {
          kind: 'failed',
          failure: {
            httpStatus: 0,
            code: 'TIMEOUT',
            message: `No answer within ${policy.requestTimeoutMs} ms`,
          },
          headers: null,
        };
      }
      if (error instanceof PoliticalCommsError && error.statusCode > 0) {
        if (last) this.limits.update(bucket, last.headers, clock.now());
        return {
          kind: 'failed',
          failure: failureFromBody(error.statusCode, error.body, error.code),
          headers: last?.headers ?? null,
        };
      }
      if (last && last.status >= 200 && last.status < 300) {
        // The API answered yes but the body could not be read: the outcome is unknown, retry with the same key.
        return {
          kind: 'failed',
          failure: { httpStatus: 0, code: 'BAD_RESPONSE', message: `Unreadable answer: ${describe(error)}` },
          headers: null,
        };
      }
      return {
        kind: 'failed',
        failure: { httpStatus: 0, code: 'NETWORK_ERROR', message: describe(error) },
        headers: null,
      };
    } finally {
      clearTimeout(timer);
      control.abortSignal.removeEventListener('abort', onAbort);
      // Whether the request counts in the API's window: a 429 does not; without an answer, nobody knows.
      const answered = this.last as LastAnswer | null;
      this.limits.settled(bucket, answered ? answered.status !== 429 : null);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof PoliticalCommsError) return error.message;
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
