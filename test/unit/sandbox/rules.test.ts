import { describe, expect, it } from 'vitest';
import {
  BRAND_RIVERA,
  CAMP_RIVERA_GOTV,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  SEED,
  TD_RIVERA,
  checkAccount,
  checkPlaceholders,
  checkShape,
  type CreateBody,
} from '../../../src/sandbox';

const base = {
  organization_id: ORG_SENATE,
  name: 'n',
  protocol: 'sms',
  message_text: 'm',
  brand_id: BRAND_RIVERA,
  campaign_id: CAMP_RIVERA_GOTV,
  phone_number_ids: [PHONE_NUMBER_IDS.riveraGotv[0]],
};

function shape(body: Record<string, unknown>) {
  const r = checkShape(body);
  return r.ok
    ? { ok: true as const, body: r.body }
    : { ok: false as const, codes: r.failure.details.map((d) => `${d.field}:${d.code}`) };
}

function placeholders(extra: Record<string, unknown>) {
  const r = checkShape({
    ...base,
    link_tracking_enabled: true,
    link_tracking_domain_id: TD_RIVERA,
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  return checkPlaceholders(r.body)?.details.map((d) => d.code) ?? [];
}

describe('checkShape', () => {
  it('applies the defaults and folds phone_number_id into phone_number_ids', () => {
    const r = shape({ ...base, phone_number_ids: undefined, phone_number_id: 'pn_x' });
    expect(r).toMatchObject({
      ok: true,
      body: {
        channel: '10dlc',
        phone_number_ids: ['pn_x'],
        opt_out_footer_enabled: true,
        link_tracking_enabled: false,
      },
    });
  });

  it('treats null as a wrong type, not as absent', () => {
    expect(shape({ ...base, brand_id: null })).toEqual({ ok: false, codes: ['brand_id:invalid_type'] });
  });

  it('treats an empty or blank string as an empty value, not as absent', () => {
    expect(shape({ ...base, name: '  ' })).toEqual({ ok: false, codes: ['name:too_small'] });
    expect(
      shape({
        ...base,
        channel: 'toll-free',
        toll_free_verification_id: 'tfv_x',
        brand_id: '',
        campaign_id: undefined,
      }),
    ).toEqual({
      ok: false,
      codes: ['brand_id:too_small', 'brand_id:forbidden'],
    });
  });

  it('refuses empty ids inside lists', () => {
    expect(shape({ ...base, media_ids: ['m', ''] })).toEqual({ ok: false, codes: ['media_ids:too_small'] });
  });

  it('accepts empty suppression and media lists', () => {
    expect(shape({ ...base, suppression_list_ids: [], media_ids: [] }).ok).toBe(true);
  });

  it('accepts http and https destinations, with a placeholder anywhere', () => {
    for (const url of ['http://a.example', 'https://a.example/x?y={f}', 'https://{f}.example/']) {
      expect(shape({ ...base, link_tracking_destination_url: url }).ok).toBe(true);
    }
    for (const url of ['ftp://a.example', 'a.example', 'https://', 'mailto:x@y.z']) {
      expect(shape({ ...base, link_tracking_destination_url: url })).toEqual({
        ok: false,
        codes: ['link_tracking_destination_url:invalid_url'],
      });
    }
  });
});

describe('checkPlaceholders', () => {
  it('accepts no placeholder, a matching one, and the whole-URL mode with a fallback', () => {
    expect(placeholders({ link_tracking_destination_url: 'https://a.example/' })).toEqual([]);
    expect(
      placeholders({
        link_tracking_destination_url: 'https://a.example/',
        link_tracking_param_field: 'phone',
      }),
    ).toEqual([]);
    expect(
      placeholders({
        link_tracking_destination_url: 'https://a.example/?p={phone}',
        link_tracking_param_field: 'phone',
      }),
    ).toEqual([]);
    expect(
      placeholders({
        link_tracking_destination_url: 'https://{url}',
        link_tracking_param_field: 'url',
        link_tracking_fallback_url: 'https://a.example/',
      }),
    ).toEqual([]);
  });

  it('only treats exactly https://{field} as the whole-URL mode', () => {
    // http://{url} and https://{url}/ are ordinary placeholders: no fallback needed, and none allowed.
    expect(
      placeholders({ link_tracking_destination_url: 'http://{url}', link_tracking_param_field: 'url' }),
    ).toEqual([]);
    expect(
      placeholders({
        link_tracking_destination_url: 'https://{url}/',
        link_tracking_param_field: 'url',
        link_tracking_fallback_url: 'https://a.example/',
      }),
    ).toEqual(['fallback_not_allowed']);
  });

  it('checks the placeholders even when link tracking is off', () => {
    const r = checkShape({ ...base, link_tracking_destination_url: 'https://a.example/{x}' });
    expect(r.ok && checkPlaceholders(r.body)?.code).toBe('INVALID_LINK_PLACEHOLDER');
  });
});

describe('checkAccount', () => {
  const body = (extra: Partial<CreateBody>): CreateBody => {
    const r = checkShape({ ...base, ...extra });
    if (!r.ok) throw new Error('bad base');
    return r.body;
  };
  const visible = new Set([ORG_SENATE, ORG_PAC]);

  it('accepts a consistent body', () => {
    expect(checkAccount(body({}), SEED, { visibleOrganizationIds: visible })).toBeNull();
  });

  it('reports ids of organizations the key cannot see as not found', () => {
    const r = checkAccount(body({}), SEED, { visibleOrganizationIds: new Set([ORG_PAC]) });
    expect(r?.status).toBe(404);
    expect(r?.details.map((d) => d.field)).toEqual(['brand_id', 'campaign_id', 'phone_number_ids']);
  });

  it('allows the same number twice (the notes do not forbid it)', () => {
    const id = PHONE_NUMBER_IDS.riveraGotv[0];
    expect(
      checkAccount(body({ phone_number_ids: [id, id] }), SEED, { visibleOrganizationIds: visible }),
    ).toBeNull();
  });
});
