import { describe, expect, it } from 'vitest';
import { stopMessage } from '../../../src/engine/errors';
import { rowText, stopText } from '../../../src/renderer/src/components/wording';

const CLI = /POLITICAL_COMMS_API_KEY|same command|--base-url|environment variable/;

describe('the app speaks of Settings and its own buttons, never of the command line', () => {
  it('an account that refuses the key', () => {
    const f = { httpStatus: 401, code: 'UNAUTHORIZED', message: 'Invalid API key' };
    const engine = stopMessage(f, undefined, 'cli');
    expect(engine).toMatch(CLI);
    for (const context of ['check', 'run'] as const) {
      const text = stopText({ reason: 'account', httpStatus: 401, code: f.code, message: engine }, context);
      expect(text).not.toMatch(CLI);
      expect(text).toMatch(/Settings/);
    }
    expect(stopText({ httpStatus: 401, message: engine }, 'run')).toMatch(/Create again/);
  });

  it('every other stop keeps the engine’s facts and drops its command-line advice', () => {
    for (const f of [
      {
        httpStatus: 403,
        code: 'ONBOARDING_INCOMPLETE',
        message: 'Finish onboarding',
        details: { missingSteps: ['brand'], onboardingUrl: 'https://app.example/onboarding' },
      },
      { httpStatus: 403, code: 'ORG_ACCESS_DENIED', message: 'No access' },
      { httpStatus: 409, code: 'SENDING_PAUSED', message: 'Paused', details: { scope: 'platform' } },
      { httpStatus: 418, code: 'TEAPOT', message: 'Short and stout' },
    ]) {
      const text = stopText(
        { reason: 'account', httpStatus: f.httpStatus, code: f.code, message: stopMessage(f, 'org_1', 'cli') },
        'run',
      );
      expect(text).not.toMatch(CLI);
      expect(text).toContain(f.message);
      expect(text).toMatch(/Create again/);
    }
    const unreachable =
      'The API at http://127.0.0.1:9 cannot be reached or keeps failing (NETWORK: refused). Check the network connection (and --base-url), then run the same command again: the run resumes where it stopped.';
    expect(stopText({ reason: 'unreachable', message: unreachable }, 'run')).not.toMatch(CLI);
    // Wording without command-line advice comes through as it is, with the app's way on added once.
    expect(stopText({ reason: 'account', message: 'Sending is paused. Resume later.' }, 'run')).toBe(
      'Sending is paused. Resume later.',
    );
  });

  it('a row given up after retries, and an answer never recorded', () => {
    const given =
      'Service unavailable (gave up after 5 tries; run the same command again to retry this row with the same Idempotency-Key)';
    expect(rowText(given)).toBe(
      'Service unavailable (gave up after 5 tries; choose “Retry failed rows” to send this row again with the same Idempotency-Key)',
    );
    const unknown =
      'A request was sent and its answer was not recorded: run the same command again; the same Idempotency-Key makes the API answer with the project if it was created.';
    expect(rowText(unknown)).not.toMatch(CLI);
    expect(rowText('brand_id: not found')).toBe('brand_id: not found');
  });
});
