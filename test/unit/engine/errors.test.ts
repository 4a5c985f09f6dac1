import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  failureFromBody,
  gaveUpMessage,
  stopMessage,
  unreachableMessage,
  validationIssues,
} from '../../../src/engine/errors';

describe('API failures', () => {
  it('maps VALIDATION_ERROR details back onto the fields of the row', () => {
    const f = failureFromBody(400, {
      success: false,
      error: 'Validation failed',
      code: 'VALIDATION_ERROR',
      details: [
        { field: 'phone_number_ids', code: 'not_in_campaign', message: 'pn_1 is not in the campaign' },
        { field: 'contact_list_ids[0]', code: 'not_found', message: 'cl_9 does not exist' },
        { path: ['body', 'campaign_id'], message: 'unknown campaign' },
        { field: 'Idempotency-Key', message: 'too long' },
      ],
    });
    const issues = validationIssues(7, f);
    expect(issues.map((i) => [i.row, i.field, i.code, i.severity])).toEqual([
      [7, 'phone_number_ids', 'not_in_campaign', 'error'],
      [7, 'contact_list_ids', 'not_found', 'error'],
      [7, 'campaign_id', 'api_validation_error', 'error'],
      [7, 'name', 'api_validation_error', 'error'],
    ]);
    expect(issues[3]?.message).toContain('too long');
  });

  it('puts a placeholder refusal on the destination URL', () => {
    const f = failureFromBody(400, { error: 'bad placeholder', code: 'INVALID_LINK_PLACEHOLDER' });
    expect(validationIssues(3, f)[0]?.field).toBe('link_tracking_destination_url');
  });

  it('says what to do for every refusal that stops the run, and that the run resumes', () => {
    const cases = [
      [
        failureFromBody(401, { error: 'Invalid API key', code: 'INVALID_API_KEY' }),
        /POLITICAL_COMMS_API_KEY/,
      ],
      [
        failureFromBody(403, {
          error: 'Finish onboarding',
          code: 'ONBOARDING_INCOMPLETE',
          details: { missingSteps: ['profile', 'funding'], onboardingUrl: 'https://app.example/onboarding' },
        }),
        /profile and funding.*https:\/\/app\.example\/onboarding/,
      ],
      [failureFromBody(403, { error: 'no', code: 'ORG_ACCESS_DENIED' }), /organization_id/],
      [
        failureFromBody(409, { error: 'paused', code: 'SENDING_PAUSED', details: { scope: 'platform' } }),
        /platform-wide/,
      ],
    ] as const;
    for (const [f, pattern] of cases) {
      expect(classifyFailure(f)).toBe('stop');
      const m = stopMessage(f, 'org_1', 'cli');
      expect(m).toMatch(pattern);
      expect(m).toMatch(/run the same command again/);
    }
  });

  it("speaks to its audience: the app's messages never name the environment variable, options or commands", () => {
    const failures = [
      failureFromBody(401, { error: 'bad key', code: 'INVALID_API_KEY' }),
      failureFromBody(403, { error: 'steps', code: 'ONBOARDING_INCOMPLETE' }),
      failureFromBody(403, { error: 'no', code: 'ORG_ACCESS_DENIED' }),
      failureFromBody(409, { error: 'paused', code: 'SENDING_PAUSED', details: { scope: 'organization' } }),
      failureFromBody(503, { error: 'down' }),
    ];
    const app = [
      ...failures.map((f) => stopMessage(f, 'org_1', 'app')),
      unreachableMessage('https://api.example/v1', failures[4]!, 'app'),
      gaveUpMessage(failures[4]!, 6, 'app'),
    ];
    for (const m of app) {
      expect(m).not.toMatch(/POLITICAL_COMMS_API_KEY|--base-url|command|organization_id/);
    }
    expect(stopMessage(failures[0]!, undefined, 'app')).toMatch(/Settings.*choose Create again/);
    expect(unreachableMessage('https://api.example/v1', failures[4]!, 'app')).toMatch(/choose Create again/);
    expect(gaveUpMessage(failures[4]!, 6, 'app')).toMatch(/Retry failed rows/);
    // After an account check the way on is to check again, not to create.
    for (const f of failures) {
      const m = stopMessage(f, 'org_1', 'app-check');
      expect(m).not.toMatch(/POLITICAL_COMMS_API_KEY|--base-url|command|Create again/);
      expect(m).toMatch(/check with the account again/);
    }
    expect(stopMessage(failures[0]!, undefined, 'cli')).toMatch(
      /POLITICAL_COMMS_API_KEY.*run the same command again/,
    );
    expect(unreachableMessage('https://api.example/v1', failures[4]!, 'cli')).toMatch(/--base-url/);
    expect(gaveUpMessage(failures[4]!, 6, 'cli')).toMatch(/run the same command again/);
  });

  it('reads odd bodies without throwing', () => {
    expect(failureFromBody(502, '<html>Bad Gateway</html>', 'HTTP_502')).toEqual({
      httpStatus: 502,
      code: 'HTTP_502',
      message: '<html>Bad Gateway</html>',
    });
    expect(failureFromBody(403, null).code).toBe('HTTP_403');
    expect(failureFromBody(401, { message: 'The API key is not valid.' }).message).toBe(
      'The API key is not valid.',
    );
  });
});

describe('a command that only read the account', () => {
  const refused = failureFromBody(401, { error: 'Invalid API key', code: 'UNAUTHORIZED' });
  const away = { httpStatus: 0, code: 'NETWORK_ERROR', message: 'connect ECONNREFUSED' } as const;
  it('speaks of the command line and of running the command again, never of a run that resumes', () => {
    const key = stopMessage(refused, undefined, 'cli-check');
    expect(key).toMatch(/set POLITICAL_COMMS_API_KEY to it\. Then run the command again\.$/);
    const net = unreachableMessage('http://127.0.0.1:1/v1', away, 'cli-check');
    expect(net).toMatch(/Check the network connection \(and --base-url\), then run the command again\.$/);
    for (const m of [key, net]) expect(m).not.toMatch(/resumes|Settings/);
  });
});
