import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoliticalCommsClient, PoliticalCommsError } from '@political-comms/sdk';
import {
  BRAND_ACTION_FUND,
  BRAND_PAC,
  BRAND_RIVERA,
  CAMP_PAC_MEMBERS,
  CAMP_RIVERA_FUNDRAISING,
  CAMP_RIVERA_GOTV,
  CL_PAC_MEMBERS,
  CL_RIVERA_DO_NOT_CONTACT,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  TD_PAC,
  TD_RIVERA,
  TFV_REJECTED,
  TFV_VERIFIED,
  startSandbox,
  type RunningSandbox,
} from '../../../src/sandbox';
import { call, errorOf, tenDlcBody, tollFreeBody } from './helpers';

let sb: RunningSandbox;
let client: PoliticalCommsClient;

beforeAll(async () => {
  sb = await startSandbox();
  client = new PoliticalCommsClient({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, maxRetries: 0 });
});
afterAll(() => sb.close());

async function refusal(body: unknown): Promise<PoliticalCommsError> {
  try {
    await client.createProject(body as never);
  } catch (err) {
    if (err instanceof PoliticalCommsError) return err;
    throw err;
  }
  throw new Error('expected the create to be refused');
}

function details(err: PoliticalCommsError): Array<{ field: string; code: string; message: string }> {
  return (err.body as { details: Array<{ field: string; code: string; message: string }> }).details;
}

describe('POST /v1/projects: success', () => {
  it('creates a 10DLC draft and answers 201 with the success envelope', async () => {
    const res = await call(sb.baseUrl, 'POST', '/projects', {
      apiKey: sb.apiKey,
      body: tenDlcBody({ name: 'A' }),
    });
    expect(res.status).toBe(201);
    const body = res.body as { success: boolean; data: Record<string, unknown> };
    expect(body.success).toBe(true);
    expect(body.data.status).toBe('draft');
    expect(body.data.name).toBe('A');
    expect(body.data.project_id).toMatch(/^proj_01[0-9A-HJKMNP-TV-Z]{24}$/);
    expect(body.data.id).toBe(body.data.project_id);
    expect(body.data.channel).toBe('10dlc');
    expect(body.data.completeness).toMatchObject({ has_list: true, ready_to_test: true });
  });

  it('creates a toll-free draft through the official client', async () => {
    const res = await client.createProject(tollFreeBody({ name: 'TF' }));
    expect(res.success).toBe(true);
    expect(res.data).toMatchObject({ name: 'TF', status: 'draft', channel: 'toll-free' });
  });

  it('defaults channel to 10dlc and accepts the deprecated phone_number_id as a one-element list', async () => {
    const body = tenDlcBody({
      name: 'single',
      phone_number_ids: undefined,
      phone_number_id: PHONE_NUMBER_IDS.riveraGotv[4],
    });
    delete body.channel;
    const res = await client.createProject(body);
    const id = res.data.project_id as string;
    const detail = await call(sb.baseUrl, 'GET', `/projects/${id}`, { apiKey: sb.apiKey });
    expect(detail.body).toMatchObject({
      data: {
        channel: '10dlc',
        phone_number_ids: [PHONE_NUMBER_IDS.riveraGotv[4]],
        opt_out_footer_enabled: true,
      },
    });
  });

  it('accepts 49 phone numbers when the campaign has them', async () => {
    const extra = await startSandbox({
      account: (() => {
        const acc = sb.state.account;
        const numbers = Array.from({ length: 50 }, (_, i) => ({
          ...acc.phone_numbers[0],
          id: `pn_01TESTBIGCAMPAIGN${String(i).padStart(8, '0')}`,
        }));
        return { ...acc, phone_numbers: [...acc.phone_numbers, ...numbers] };
      })(),
    });
    try {
      const ids = Array.from({ length: 50 }, (_, i) => `pn_01TESTBIGCAMPAIGN${String(i).padStart(8, '0')}`);
      const ok = await call(extra.baseUrl, 'POST', '/projects', {
        apiKey: extra.apiKey,
        body: tenDlcBody({ phone_number_ids: ids.slice(0, 49) }),
      });
      expect(ok.status).toBe(201);
      const tooMany = await call(extra.baseUrl, 'POST', '/projects', {
        apiKey: extra.apiKey,
        body: tenDlcBody({ phone_number_ids: ids }),
      });
      expect(tooMany.status).toBe(400);
      expect(errorOf(tooMany).details?.[0]).toMatchObject({ field: 'phone_number_ids', code: 'too_big' });
    } finally {
      await extra.close();
    }
  });

  it('accepts link tracking with a matching placeholder, and the whole-URL mode with a fallback', async () => {
    await client.createProject(
      tenDlcBody({
        link_tracking_enabled: true,
        link_tracking_destination_url: 'https://rivera.example/vote?ref={linkid}',
        link_tracking_domain_id: TD_RIVERA,
        link_tracking_param_field: 'linkid',
      }),
    );
    await client.createProject(
      tenDlcBody({
        link_tracking_enabled: true,
        link_tracking_destination_url: 'https://{custom_url}',
        link_tracking_domain_id: TD_RIVERA,
        link_tracking_param_field: 'custom_url',
        link_tracking_fallback_url: 'https://rivera.example/',
      }),
    );
  });
});

describe('POST /v1/projects: body rules (400 VALIDATION_ERROR with per-field details)', () => {
  it('refuses an unknown property', async () => {
    const err = await refusal({ ...tenDlcBody(), type: 'broadcast' });
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.body).toMatchObject({ success: false, statusCode: 400, error: expect.any(String) });
    expect(details(err)).toEqual([expect.objectContaining({ field: 'type', code: 'unrecognized_key' })]);
  });

  it('names every missing required field', async () => {
    const err = await refusal({});
    expect(details(err).map((d) => d.field)).toEqual(
      expect.arrayContaining([
        'organization_id',
        'name',
        'protocol',
        'message_text',
        'brand_id',
        'campaign_id',
        'phone_number_ids',
      ]),
    );
  });

  it('refuses values of the wrong type (strings, arrays of strings, booleans)', async () => {
    const err = await refusal(
      tenDlcBody({
        name: 5,
        phone_number_ids: [PHONE_NUMBER_IDS.riveraGotv[0], 7],
        opt_out_footer_enabled: 'yes',
      }),
    );
    expect(details(err).map((d) => [d.field, d.code])).toEqual([
      ['name', 'invalid_type'],
      ['phone_number_ids', 'invalid_type'],
      ['opt_out_footer_enabled', 'invalid_type'],
    ]);
  });

  it('takes protocol and channel only in their normalized spelling', async () => {
    const err = await refusal(tenDlcBody({ protocol: 'SMS', channel: 'toll free' }));
    expect(details(err).map((d) => d.field)).toEqual(['protocol', 'channel']);
  });

  it('requires brand and campaign for 10DLC and forbids the verification', async () => {
    const err = await refusal(
      tenDlcBody({ brand_id: undefined, campaign_id: undefined, toll_free_verification_id: TFV_VERIFIED }),
    );
    expect(details(err).map((d) => [d.field, d.code])).toEqual([
      ['brand_id', 'required'],
      ['campaign_id', 'required'],
      ['toll_free_verification_id', 'forbidden'],
    ]);
  });

  it('requires the verification for toll-free and forbids brand and campaign, even empty', async () => {
    const err = await refusal(
      tollFreeBody({ toll_free_verification_id: undefined, brand_id: BRAND_RIVERA, campaign_id: '' }),
    );
    expect(details(err).map((d) => [d.field, d.code])).toEqual(
      expect.arrayContaining([
        ['toll_free_verification_id', 'required'],
        ['brand_id', 'forbidden'],
        ['campaign_id', 'forbidden'],
      ]),
    );
  });

  it('takes 1 to 49 phone numbers', async () => {
    const none = await refusal(tenDlcBody({ phone_number_ids: [] }));
    expect(details(none)).toEqual([
      expect.objectContaining({ field: 'phone_number_ids', code: 'too_small' }),
    ]);
    const fifty = await refusal(
      tenDlcBody({ phone_number_ids: Array.from({ length: 50 }, (_, i) => `pn_${i}`) }),
    );
    expect(details(fifty)).toEqual([expect.objectContaining({ field: 'phone_number_ids', code: 'too_big' })]);
  });

  it('refuses phone_number_id and phone_number_ids together', async () => {
    const err = await refusal(tenDlcBody({ phone_number_id: PHONE_NUMBER_IDS.riveraGotv[0] }));
    expect(details(err)).toEqual([expect.objectContaining({ field: 'phone_number_id', code: 'conflict' })]);
  });

  it('refuses an explicitly empty contact_list_ids', async () => {
    const err = await refusal(tenDlcBody({ contact_list_ids: [] }));
    expect(details(err)).toEqual([expect.objectContaining({ field: 'contact_list_ids', code: 'too_small' })]);
  });

  it('requires destination and domain when link tracking is on', async () => {
    const err = await refusal(tenDlcBody({ link_tracking_enabled: true }));
    expect(details(err).map((d) => d.field)).toEqual([
      'link_tracking_destination_url',
      'link_tracking_domain_id',
    ]);
  });

  it('limits link_tracking_param_field to 64 characters', async () => {
    const body = tenDlcBody({
      link_tracking_enabled: true,
      link_tracking_destination_url: 'https://rivera.example/',
      link_tracking_domain_id: TD_RIVERA,
    });
    await client.createProject({ ...body, link_tracking_param_field: 'f'.repeat(64) });
    const err = await refusal({ ...body, link_tracking_param_field: 'f'.repeat(65) });
    expect(details(err)).toEqual([
      expect.objectContaining({ field: 'link_tracking_param_field', code: 'too_big' }),
    ]);
  });

  it('refuses a destination that is not an absolute http(s) URL', async () => {
    const err = await refusal(
      tenDlcBody({
        link_tracking_enabled: true,
        link_tracking_destination_url: 'rivera.example',
        link_tracking_domain_id: TD_RIVERA,
      }),
    );
    expect(details(err)).toEqual([
      expect.objectContaining({ field: 'link_tracking_destination_url', code: 'invalid_url' }),
    ]);
  });

  it('refuses a body that is not JSON, or not an object', async () => {
    const bad = await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, rawBody: '{"name":' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe('VALIDATION_ERROR');
    const arr = await call(sb.baseUrl, 'POST', '/projects', { apiKey: sb.apiKey, body: [1] });
    expect(arr.status).toBe(400);
  });
});

describe('POST /v1/projects: link placeholders (400 INVALID_LINK_PLACEHOLDER)', () => {
  const tracking = (dest: string, extra: Record<string, unknown> = {}) =>
    tenDlcBody({
      link_tracking_enabled: true,
      link_tracking_destination_url: dest,
      link_tracking_domain_id: TD_RIVERA,
      ...extra,
    });

  it.each([
    [
      'a placeholder that is not the param field',
      tracking('https://r.example/?a={other}', { link_tracking_param_field: 'linkid' }),
      'placeholder_mismatch',
    ],
    [
      'a placeholder without a param field',
      tracking('https://r.example/?a={linkid}'),
      'placeholder_without_param_field',
    ],
    ['an empty placeholder', tracking('https://r.example/?a={}'), 'empty_placeholder'],
    [
      'two placeholders',
      tracking('https://r.example/{linkid}/{linkid}', { link_tracking_param_field: 'linkid' }),
      'too_many_placeholders',
    ],
    [
      'https://{field} without a fallback',
      tracking('https://{custom_url}', { link_tracking_param_field: 'custom_url' }),
      'fallback_required',
    ],
    [
      'https://{phone}',
      tracking('https://{phone}', {
        link_tracking_param_field: 'phone',
        link_tracking_fallback_url: 'https://r.example/',
      }),
      'phone_as_url',
    ],
    [
      'a fallback outside the whole-URL mode',
      tracking('https://r.example/', { link_tracking_fallback_url: 'https://r.example/f' }),
      'fallback_not_allowed',
    ],
    [
      'a placeholder inside the fallback',
      tracking('https://{custom_url}', {
        link_tracking_param_field: 'custom_url',
        link_tracking_fallback_url: 'https://r.example/{custom_url}',
      }),
      'placeholder_in_fallback',
    ],
  ])('refuses %s', async (_label, body, code) => {
    const err = await refusal(body);
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('INVALID_LINK_PLACEHOLDER');
    expect(details(err)[0]?.code).toBe(code);
  });
});

describe('POST /v1/projects: account checks', () => {
  it('answers 404 NOT_FOUND naming every id nobody can see', async () => {
    const err = await refusal(
      tenDlcBody({ brand_id: 'brand_nope', phone_number_ids: ['pn_nope', PHONE_NUMBER_IDS.riveraGotv[0]] }),
    );
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('NOT_FOUND');
    expect(details(err).map((d) => d.field)).toEqual(['brand_id', 'phone_number_ids']);
  });

  it('refuses a brand of another organization', async () => {
    const err = await refusal(
      tenDlcBody({
        brand_id: BRAND_PAC,
        campaign_id: CAMP_PAC_MEMBERS,
        phone_number_ids: [PHONE_NUMBER_IDS.pacMembers[0]],
      }),
    );
    expect(err.statusCode).toBe(400);
    expect(details(err).map((d) => [d.field, d.code])).toEqual([
      ['brand_id', 'wrong_organization'],
      ['phone_number_ids', 'wrong_organization'],
    ]);
  });

  it('refuses a campaign of another brand', async () => {
    const err = await refusal(
      tenDlcBody({
        organization_id: ORG_PAC,
        brand_id: BRAND_ACTION_FUND,
        campaign_id: CAMP_PAC_MEMBERS,
        contact_list_ids: undefined,
        phone_number_ids: [PHONE_NUMBER_IDS.pacMembers[0]],
      }),
    );
    expect(details(err)).toEqual([expect.objectContaining({ field: 'campaign_id', code: 'wrong_brand' })]);
  });

  it('refuses a 10DLC number of another campaign, or not assigned, or toll-free', async () => {
    const err = await refusal(
      tenDlcBody({
        phone_number_ids: [
          PHONE_NUMBER_IDS.riveraGotv[0],
          PHONE_NUMBER_IDS.riveraFundraising[0],
          PHONE_NUMBER_IDS.senateUnassigned[0],
          PHONE_NUMBER_IDS.tollFreeVerified[0],
        ],
      }),
    );
    expect(details(err).map((d) => d.code)).toEqual(['wrong_campaign', 'wrong_campaign', 'wrong_channel']);
  });

  it('refuses a toll-free project with a 10DLC number or a number under another verification', async () => {
    const err = await refusal(
      tollFreeBody({
        phone_number_ids: [PHONE_NUMBER_IDS.riveraGotv[0], PHONE_NUMBER_IDS.tollFreeRejected[0]],
      }),
    );
    expect(details(err).map((d) => d.code)).toEqual(['not_toll_free', 'wrong_verification']);
  });

  it('lets a draft use a Rejected verification unless requireVerifiedTollFree is on', async () => {
    const body = tollFreeBody({
      toll_free_verification_id: TFV_REJECTED,
      phone_number_ids: [PHONE_NUMBER_IDS.tollFreeRejected[0]],
    });
    await client.createProject(body);
    sb.state.config.requireVerifiedTollFree = true;
    try {
      const err = await refusal(body);
      expect(details(err)).toEqual([
        expect.objectContaining({ field: 'toll_free_verification_id', code: 'not_verified' }),
      ]);
    } finally {
      sb.state.config.requireVerifiedTollFree = false;
    }
  });

  it('refuses a tracking domain or contact list of another organization', async () => {
    const err = await refusal(
      tenDlcBody({
        contact_list_ids: [CL_PAC_MEMBERS],
        suppression_list_ids: [CL_RIVERA_DO_NOT_CONTACT, 'cl_nope'],
        link_tracking_enabled: true,
        link_tracking_destination_url: 'https://rivera.example/',
        link_tracking_domain_id: TD_PAC,
      }),
    );
    // cl_nope does not exist: 404 wins and lists only the missing id.
    expect(err.statusCode).toBe(404);
    expect(details(err)).toEqual([
      expect.objectContaining({ field: 'suppression_list_ids', code: 'not_found' }),
    ]);
    const err2 = await refusal(
      tenDlcBody({
        contact_list_ids: [CL_PAC_MEMBERS],
        link_tracking_enabled: true,
        link_tracking_destination_url: 'https://rivera.example/',
        link_tracking_domain_id: TD_PAC,
      }),
    );
    expect(details(err2).map((d) => [d.field, d.code])).toEqual([
      ['contact_list_ids', 'wrong_organization'],
      ['link_tracking_domain_id', 'wrong_organization'],
    ]);
  });
});

describe('GET list endpoints with the SDK filters', () => {
  it('lists organizations', async () => {
    const res = await client.listOrganizations();
    expect(res.data.map((o) => o.id)).toEqual([ORG_SENATE, ORG_PAC]);
  });

  it('filters brands and campaigns', async () => {
    expect((await client.listBrands({ organization_id: ORG_PAC })).data.map((b) => b.id)).toEqual([
      BRAND_PAC,
      BRAND_ACTION_FUND,
    ]);
    const camps = await client.listCampaigns({ organization_id: ORG_SENATE, brand_id: BRAND_RIVERA });
    expect(camps.data.map((c) => c.id)).toEqual([CAMP_RIVERA_GOTV, CAMP_RIVERA_FUNDRAISING]);
  });

  it('filters phone numbers by organization, campaign, channel and owner type', async () => {
    const byCampaign = await client.listPhoneNumbers({ campaign_id: CAMP_RIVERA_GOTV });
    expect(byCampaign.data.map((p) => p.id)).toEqual([...PHONE_NUMBER_IDS.riveraGotv]);
    expect(byCampaign.data[0]).toMatchObject({
      number: '+15550100100',
      channel: '10dlc',
      brand_id: BRAND_RIVERA,
      org_id: ORG_SENATE,
    });
    const tollFree = await client.listPhoneNumbers({ organization_id: ORG_SENATE, channel: 'toll-free' });
    expect(tollFree.data).toHaveLength(10);
    const unassigned = await client.listPhoneNumbers({ owner_type: 'unassigned' });
    expect(unassigned.data).toHaveLength(4);
  });

  it('filters toll-free verifications by status, and reads one with its numbers', async () => {
    const verified = await client.listTollFreeVerifications({ status: 'Verified' });
    expect(verified.data.map((v) => v.id)).toEqual([TFV_VERIFIED]);
    const one = await client.getTollFreeVerification(TFV_REJECTED);
    expect(one.data.phone_number_ids).toEqual([...PHONE_NUMBER_IDS.tollFreeRejected]);
  });

  it('lists tracking domains without the owner, and contact lists by brand', async () => {
    const domains = await client.listTrackingDomains({ organization_id: ORG_PAC });
    expect(domains.data.map((d) => d.id)).toHaveLength(2);
    expect(domains.data[0]).not.toHaveProperty('org_id');
    expect(domains.data[0]).toMatchObject({ source: 'own', status: 'active' });
    const lists = await client.listContactLists({ organization_id: ORG_PAC, brand_id: BRAND_PAC });
    expect(lists.data.map((l) => l.id)).toEqual([CL_PAC_MEMBERS]);
  });

  it('lists the projects created, so tests can count duplicates', async () => {
    const before = (await client.listProjects({ organization_id: ORG_PAC })).data.length;
    await client.createProject(
      tenDlcBody({
        organization_id: ORG_PAC,
        brand_id: BRAND_PAC,
        campaign_id: CAMP_PAC_MEMBERS,
        phone_number_ids: [PHONE_NUMBER_IDS.pacMembers[1]],
        contact_list_ids: undefined,
        name: 'PAC dup',
      }),
    );
    const after = await client.listProjects({ organization_id: ORG_PAC, campaign_id: CAMP_PAC_MEMBERS });
    expect(after.data).toHaveLength(before + 1);
    expect(after.data.at(-1)).toMatchObject({
      name: 'PAC dup',
      type: 'broadcast',
      status: 'draft',
      org_id: ORG_PAC,
    });
    expect(sb.state.listProjects({ name: 'PAC dup' })).toHaveLength(1);
  });

  it('answers 404 for an unknown route', async () => {
    const res = await call(sb.baseUrl, 'GET', '/nothing-here', { apiKey: sb.apiKey });
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });
});
