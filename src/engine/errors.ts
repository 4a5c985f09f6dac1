/**
 * What an API answer means for the run: a final failure of one row, a reason to retry, or a reason
 * to stop the whole run (every later row would fail the same way).
 */
import { isFieldName, type FieldName } from '../shared/schema/fields';
import type { Issue } from '../shared/validate/types';

export interface ApiFailure {
  /** 0 when no answer came (network error, timeout). */
  httpStatus: number;
  code: string;
  message: string;
  details?: unknown;
}

export type FailureKind = 'retry_rate_limit' | 'retry_transient' | 'stop' | 'final';

/** 401 always stops; these 403 and 409 codes stop too. */
const STOP_CODES = new Set(['ONBOARDING_INCOMPLETE', 'ORG_ACCESS_DENIED', 'SENDING_PAUSED']);

export function classifyFailure(f: ApiFailure): FailureKind {
  if (f.httpStatus === 0) return 'retry_transient';
  if (f.httpStatus === 429) return 'retry_rate_limit';
  if (f.httpStatus >= 500) return 'retry_transient';
  if (f.httpStatus === 401) return 'stop';
  if ((f.httpStatus === 403 || f.httpStatus === 409) && STOP_CODES.has(f.code)) return 'stop';
  return 'final';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read an error answer defensively: the envelope has `error`, `code`, `details`; auth-layer answers only `error`/`message`. */
export function failureFromBody(httpStatus: number, body: unknown, fallbackCode?: string): ApiFailure {
  const b = isRecord(body) ? body : {};
  const code =
    typeof b.code === 'string' && b.code
      ? b.code
      : (fallbackCode ?? (httpStatus ? `HTTP_${httpStatus}` : 'ERROR'));
  const parts = [b.error, b.message].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const message =
    parts[0] ??
    (typeof body === 'string' && body.trim()
      ? body.trim().slice(0, 300)
      : `Request failed with status ${httpStatus}`);
  return { httpStatus, code, message, ...(b.details !== undefined ? { details: b.details } : {}) };
}

/**
 * Who reads the messages: the command line may name the environment variable, the options and "run
 * the same command again"; the app speaks of Settings and its Resume button, never of either. A
 * `-check` audience only read the account (no run to resume): the CLI's `validate --account` and
 * `template --account`, the app's account check.
 */
export type Audience = 'cli' | 'cli-check' | 'app' | 'app-check';

const onCommandLine = (audience: Audience) => audience === 'cli' || audience === 'cli-check';

/** How to go on after a stop, in the reader's terms (in the app: after a run, or after an account check). */
export function resumeHint(audience: Audience): string {
  if (audience === 'cli') return 'Then run the same command again: the run resumes where it stopped.';
  if (audience === 'cli-check') return 'Then run the command again.';
  if (audience === 'app-check') return 'Then check with the account again.';
  return 'Then choose Create again: the run goes on where it stopped, and no project is created twice.';
}

/** What the user must do, for an answer that stops the run. Always ends with how to resume. */
export function stopMessage(f: ApiFailure, organizationId: string | undefined, audience: Audience): string {
  const resume = resumeHint(audience);
  const details = isRecord(f.details) ? f.details : {};
  if (f.httpStatus === 401) {
    return onCommandLine(audience)
      ? `The API refused the key (${f.code}: ${f.message}). Create a key in the dashboard under Admin > API and ` +
          `set POLITICAL_COMMS_API_KEY to it. ${resume}`
      : `The API refused the key (${f.code}: ${f.message}). Create a key in the dashboard under Admin > API and ` +
          `fix the key in Settings. ${resume}`;
  }
  if (f.code === 'ONBOARDING_INCOMPLETE') {
    const steps = Array.isArray(details.missingSteps) ? details.missingSteps.join(' and ') : '';
    const url = typeof details.onboardingUrl === 'string' ? ` at ${details.onboardingUrl}` : '';
    return (
      `The organization${organizationId ? ` ${organizationId}` : ''} has not finished onboarding` +
      `${steps ? ` (missing: ${steps})` : ''}, so projects cannot be created. Finish onboarding${url}. ${resume}`
    );
  }
  if (f.code === 'ORG_ACCESS_DENIED') {
    return (
      `This API key may not act for organization${organizationId ? ` ${organizationId}` : ''} (${f.message}). ` +
      (onCommandLine(audience)
        ? 'Use a key of that organization or of a parent organization, or correct organization_id in the file. '
        : 'Use a key of that organization or of a parent organization (Settings), or correct the organization in the sheet. ') +
      resume
    );
  }
  if (f.code === 'SENDING_PAUSED') {
    const scope = details.scope === 'platform' ? 'platform-wide' : 'for the organization';
    return (
      `Sending is paused ${scope} (${f.message}), so no project can be created now. ` +
      (details.scope === 'platform'
        ? 'Wait until Political Comms lifts the pause (see the status page). '
        : 'Ask an administrator of the organization or Political Comms support to lift it. ') +
      resume
    );
  }
  return `${f.code}: ${f.message}. ${resume}`;
}

/** The API cannot be reached or keeps failing: what to check, then how to go on. */
export function unreachableMessage(baseUrl: string, f: ApiFailure, audience: Audience): string {
  const what = `The API at ${baseUrl} cannot be reached or keeps failing (${f.code}${f.httpStatus ? ` ${f.httpStatus}` : ''}: ${f.message}). `;
  if (audience === 'cli')
    return `${what}Check the network connection (and --base-url), then run the same command again: the run resumes where it stopped.`;
  if (audience === 'cli-check')
    return `${what}Check the network connection (and --base-url), then run the command again.`;
  return `${what}Check the network connection (and the environment in Settings). ${resumeHint(audience)}`;
}

/** A row that failed on transient errors after every try: how it is tried again. */
export function gaveUpMessage(f: ApiFailure, attempts: number, audience: Audience): string {
  return audience === 'cli'
    ? `${f.message} (gave up after ${attempts} tries; run the same command again to retry this row with the same Idempotency-Key)`
    : `${f.message} (gave up after ${attempts} tries; choose “Retry failed rows” to send it again: it goes with the same Idempotency-Key, so it cannot be created twice)`;
}

/** The API field a VALIDATION_ERROR detail points at (`field`, `path`, `param`, e.g. "phone_number_ids[0]"). */
function detailField(d: Record<string, unknown>): FieldName | null {
  const raw = d.field ?? d.path ?? d.param ?? d.property;
  const text = Array.isArray(raw) ? raw.map(String).join('.') : typeof raw === 'string' ? raw : '';
  for (const part of text.split(/[.[\]/]+/)) if (isFieldName(part)) return part;
  return null;
}

/**
 * A 400 VALIDATION_ERROR mapped back onto the fields of its row, in the validator's shape, so the UI
 * can paint the cells. Details that name no known field are folded into one issue on `name`.
 */
export function validationIssues(row: number, f: ApiFailure): Issue[] {
  const out: Issue[] = [];
  const unplaced: string[] = [];
  const details = Array.isArray(f.details) ? f.details : [];
  for (const d of details) {
    if (!isRecord(d)) continue;
    const message = typeof d.message === 'string' ? d.message : JSON.stringify(d);
    const field = detailField(d);
    const code = typeof d.code === 'string' && d.code ? d.code : 'api_validation_error';
    if (field)
      out.push({ row, field, severity: 'error', code, message: `The API refused this value: ${message}` });
    else unplaced.push(message);
  }
  if (unplaced.length > 0 || out.length === 0) {
    const text = `${unplaced.join(' ')} ${f.message}`;
    const field: FieldName =
      f.code === 'INVALID_LINK_PLACEHOLDER'
        ? 'link_tracking_destination_url'
        : (text.split(/[^a-z_]+/).find((w): w is FieldName => isFieldName(w)) ?? 'name');
    out.push({
      row,
      field,
      severity: 'error',
      code: f.code === 'VALIDATION_ERROR' ? 'api_validation_error' : f.code.toLowerCase(),
      message: `The API refused this row: ${unplaced.length ? unplaced.join('; ') : f.message}`,
    });
  }
  return out;
}

/** One line for the results sheet's error_message: the API's message and the fields it named. */
export function failureSummary(f: ApiFailure, issues?: Issue[]): string {
  if (!issues || issues.length === 0) return f.message;
  return `${f.message}: ${issues.map((i) => `${i.field}: ${i.message.replace(/^The API refused (this value|this row): /, '')}`).join('; ')}`;
}
