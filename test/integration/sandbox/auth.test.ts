import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoliticalCommsClient, PoliticalCommsError } from '@political-comms/sdk';
import {
  BRAND_PAC,
  CAMP_PAC_MEMBERS,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  SANDBOX_PAC_KEY,
  SANDBOX_SENATE_KEY,
  startSandbox,
  type RunningSandbox,
} from '../../../src/sandbox';
import { call, errorOf, tenDlcBody } from './helpers';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

describe('authentication with X-API-Key', () => {
  it('answers 401 INVALID_API_KEY without a key', async () => {
    const res = await call(sb.baseUrl, 'GET', '/organizations');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, code: 'INVALID_API_KEY', statusCode: 401 });
  });

  it('answers 401 INVALID_API_KEY with a wrong key, through the official client too', async () => {
    const client = new PoliticalCommsClient({ baseUrl: sb.baseUrl, apiKey: 'pc_live_wrong', maxRetries: 0 });
    const err = await client.listOrganizations().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoliticalCommsError);
    expect((err as PoliticalCommsError).statusCode).toBe(401);
    expect((err as PoliticalCommsError).code).toBe('INVALID_API_KEY');
    expect(sb.state.projects).toHaveLength(0);
  });

  it('can answer auth errors the way the auth layer sometimes does: { error, message } without code', async () => {
    const other = await startSandbox({ authErrorsWithoutCode: true });
    try {
      const res = await call(other.baseUrl, 'GET', '/brands', { apiKey: 'nope' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Unauthorized', message: expect.any(String) });
    } finally {
      await other.close();
    }
  });
});

describe('organization scope', () => {
  it('shows a scoped key only its organization', async () => {
    const res = await call(sb.baseUrl, 'GET', '/organizations', { apiKey: SANDBOX_SENATE_KEY });
    expect((res.body as { data: Array<{ id: string }> }).data.map((o) => o.id)).toEqual([ORG_SENATE]);
    const numbers = await call(sb.baseUrl, 'GET', '/phone-numbers', { apiKey: SANDBOX_SENATE_KEY });
    const orgs = new Set((numbers.body as { data: Array<{ org_id: string }> }).data.map((p) => p.org_id));
    expect([...orgs]).toEqual([ORG_SENATE]);
  });

  it('answers 403 ORG_ACCESS_DENIED when a scoped key lists another organization', async () => {
    const res = await call(sb.baseUrl, 'GET', `/brands?organization_id=${ORG_PAC}`, {
      apiKey: SANDBOX_SENATE_KEY,
    });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('ORG_ACCESS_DENIED');
  });

  it('answers 403 ORG_ACCESS_DENIED when a scoped key creates in another organization', async () => {
    const body = tenDlcBody({
      organization_id: ORG_PAC,
      brand_id: BRAND_PAC,
      campaign_id: CAMP_PAC_MEMBERS,
      phone_number_ids: [PHONE_NUMBER_IDS.pacMembers[0]],
      contact_list_ids: undefined,
    });
    const denied = await call(sb.baseUrl, 'POST', '/projects', { apiKey: SANDBOX_SENATE_KEY, body });
    expect(denied.status).toBe(403);
    expect(errorOf(denied).code).toBe('ORG_ACCESS_DENIED');
    const allowed = await call(sb.baseUrl, 'POST', '/projects', { apiKey: SANDBOX_PAC_KEY, body });
    expect(allowed.status).toBe(201);
  });

  it('treats ids of an organization the key cannot see as not found', async () => {
    const res = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: SANDBOX_SENATE_KEY,
      body: tenDlcBody({ phone_number_ids: [PHONE_NUMBER_IDS.pacMembers[0]] }),
    });
    expect(res.status).toBe(404);
    expect(errorOf(res).details?.[0]).toMatchObject({ field: 'phone_number_ids', code: 'not_found' });
  });
});
