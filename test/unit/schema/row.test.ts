import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../../src/shared/schema/fields';
import { createRowValidator, validateRow } from '../../../src/shared/validate';
import { parseList } from '../../../src/shared/mapping';
import { createProjectRequestSchema } from '../../../src/shared/schema/request';

const BASE: RawRow = {
  organization_id: 'org_A',
  name: 'GOTV reminder',
  protocol: 'sms',
  message_text: 'Polls are open until 8pm',
  brand_id: 'brand_1',
  campaign_id: 'camp_1',
  phone_number_ids: 'pn_1, pn_2',
};

const TOLL_FREE: RawRow = {
  organization_id: 'org_A',
  name: 'TF blast',
  protocol: 'sms',
  message_text: 'Hello',
  channel: 'toll-free',
  toll_free_verification_id: 'tfv_1',
  phone_number_ids: 'pn_tf1',
};

const TRACKED: RawRow = {
  ...BASE,
  message_text: 'Polls are open until 8pm: {link}',
  link_tracking_enabled: 'yes',
  link_tracking_destination_url: 'https://example.org/vote',
  link_tracking_domain_id: 'td_1',
};

function check(over: RawRow, base: RawRow = BASE, defaultOrganizationId?: string) {
  const raw: RawRow = { ...base, ...over };
  for (const k of Object.keys(raw) as (keyof RawRow)[]) if (raw[k] === undefined) delete raw[k];
  return validateRow(raw, { row: 7, defaultOrganizationId });
}
const errors = (r: ReturnType<typeof check>) => r.issues.filter((i) => i.severity === 'error');
const warnings = (r: ReturnType<typeof check>) => r.issues.filter((i) => i.severity === 'warning');
const codes = (r: ReturnType<typeof check>) => r.issues.map((i) => `${i.field}:${i.code}`);

describe('a valid row', () => {
  it('becomes the exact CreateProjectRequest body', () => {
    const r = check({});
    expect(r.issues).toEqual([]);
    expect(r.payload).toEqual({
      organization_id: 'org_A',
      name: 'GOTV reminder',
      protocol: 'sms',
      channel: '10dlc',
      message_text: 'Polls are open until 8pm',
      brand_id: 'brand_1',
      campaign_id: 'camp_1',
      phone_number_ids: ['pn_1', 'pn_2'],
    });
    expect(createProjectRequestSchema.safeParse(r.payload).success).toBe(true);
  });

  it('places every issue on the Excel row it was given', () => {
    const r = check({ name: '' });
    expect(r.issues[0]).toMatchObject({ row: 7, field: 'name', severity: 'error', code: 'required' });
  });
});

describe('required fields', () => {
  it.each(['name', 'message_text', 'protocol'] as const)('%s is required', (field) => {
    const r = check({ [field]: '  ' });
    expect(r.payload).toBeNull();
    expect(codes(r)).toContain(`${field}:required`);
  });

  it('organization_id is required when there is no default organization', () => {
    const r = check({ organization_id: undefined });
    expect(codes(r)).toEqual(['organization_id:required']);
    expect(r.issues[0]!.message).toMatch(/default organization/);
  });

  it('a default organization fills an empty organization cell, and a cell overrides it', () => {
    expect(check({ organization_id: '' }, BASE, 'org_default').payload?.organization_id).toBe('org_default');
    expect(check({}, BASE, 'org_default').payload?.organization_id).toBe('org_A');
  });
});

describe('protocol', () => {
  it('accepts sms and mms in any case', () => {
    expect(check({ protocol: ' SMS ' }).payload?.protocol).toBe('sms');
    expect(check({ protocol: 'Mms' }).payload?.protocol).toBe('mms');
  });
  it('rejects anything else, quoting the cell', () => {
    const r = check({ protocol: 'fax' });
    expect(codes(r)).toEqual(['protocol:invalid_protocol']);
    expect(r.issues[0]!.message).toContain('"fax"');
  });
});

describe('channel', () => {
  it('defaults to 10dlc when empty', () => {
    expect(check({ channel: '' }).payload?.channel).toBe('10dlc');
  });
  it.each(['toll-free', 'Toll Free', 'TOLLFREE', 'toll_free'])('"%s" means toll-free', (channel) => {
    expect(check({ channel }, TOLL_FREE).payload?.channel).toBe('toll-free');
  });
  it('rejects an unknown channel, quoting the cell', () => {
    const r = check({ channel: 'short code' });
    expect(codes(r)).toEqual(['channel:invalid_channel']);
    expect(r.issues[0]!.message).toContain('"short code"');
  });

  it('10dlc requires brand_id and campaign_id', () => {
    expect(codes(check({ brand_id: '' }))).toEqual(['brand_id:required_for_10dlc']);
    expect(codes(check({ campaign_id: '' }))).toEqual(['campaign_id:required_for_10dlc']);
  });
  it('10dlc forbids toll_free_verification_id, saying why', () => {
    const r = check({ toll_free_verification_id: 'tfv_1' });
    expect(codes(r)).toEqual(['toll_free_verification_id:forbidden_for_10dlc']);
    expect(r.issues[0]!.message).toMatch(/toll_free_verification_id must be empty for a 10DLC project/);
  });
  it('toll-free requires toll_free_verification_id', () => {
    expect(codes(check({ toll_free_verification_id: '' }, TOLL_FREE))).toEqual([
      'toll_free_verification_id:required_for_toll_free',
    ]);
  });
  it('toll-free forbids brand_id and campaign_id, each on its own field', () => {
    const r = check({ brand_id: 'brand_1', campaign_id: 'camp_1' }, TOLL_FREE);
    expect(codes(r)).toEqual(['brand_id:forbidden_for_toll_free', 'campaign_id:forbidden_for_toll_free']);
    expect(r.issues[0]!.message).toMatch(/^brand_id must be empty for a toll-free project/);
  });
  it('a toll-free body carries the verification and no brand or campaign', () => {
    const p = check({}, TOLL_FREE).payload!;
    expect(p.toll_free_verification_id).toBe('tfv_1');
    expect('brand_id' in p || 'campaign_id' in p).toBe(false);
  });
});

describe('phone numbers', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `pn_${i + 1}`).join(',');
  it('needs one of phone_number_ids / phone_number_id', () => {
    expect(codes(check({ phone_number_ids: '' }))).toEqual(['phone_number_ids:required']);
    expect(codes(check({ phone_number_ids: ' , ;' }))).toEqual(['phone_number_ids:required']);
  });
  it('accepts 1 and 49 ids', () => {
    expect(check({ phone_number_ids: ids(1) }).payload?.phone_number_ids).toHaveLength(1);
    expect(check({ phone_number_ids: ids(49) }).payload?.phone_number_ids).toHaveLength(49);
  });
  it('rejects more than 49, saying how many there are', () => {
    const r = check({ phone_number_ids: ids(50) });
    expect(codes(r)).toEqual(['phone_number_ids:too_many_phone_numbers']);
    expect(r.issues[0]!.message).toContain('has 50 ids');
  });
  it('rejects an id listed twice, naming it', () => {
    const r = check({ phone_number_ids: 'pn_1, pn_2; pn_1' });
    expect(codes(r)).toEqual(['phone_number_ids:duplicate_phone_number']);
    expect(r.issues[0]!.message).toContain('pn_1');
  });
  it('splits on commas, semicolons, spaces and new lines, and reads JSON arrays', () => {
    expect(check({ phone_number_ids: 'pn_1;pn_2 pn_3\npn_4' }).payload?.phone_number_ids).toEqual([
      'pn_1',
      'pn_2',
      'pn_3',
      'pn_4',
    ]);
    expect(check({ phone_number_ids: '["pn_1","pn_2"]' }).payload?.phone_number_ids).toEqual([
      'pn_1',
      'pn_2',
    ]);
  });
  it('a broken JSON list is an error quoting the cell', () => {
    const r = check({ phone_number_ids: '["pn_1",' });
    expect(codes(r)).toEqual(['phone_number_ids:invalid_list']);
    expect(r.issues[0]!.message).toContain('["pn_1",');
  });
  it('the deprecated phone_number_id is sent as phone_number_ids', () => {
    const p = check({ phone_number_ids: undefined, phone_number_id: 'pn_9' }).payload!;
    expect(p.phone_number_ids).toEqual(['pn_9']);
    expect('phone_number_id' in p).toBe(false);
  });
  it('both columns filled is an error on phone_number_id', () => {
    const r = check({ phone_number_id: 'pn_9' });
    expect(codes(r)).toEqual(['phone_number_id:phone_number_id_conflict']);
    expect(r.issues[0]!.message).toMatch(/deprecated/);
  });
  it('several ids in phone_number_id is an error', () => {
    expect(codes(check({ phone_number_ids: undefined, phone_number_id: 'pn_1, pn_2' }))).toEqual([
      'phone_number_id:phone_number_id_not_single',
    ]);
  });
  it('a number typed as a phone number stays whole (the account turns it into its id)', () => {
    const r = check({ phone_number_ids: '+1 555 010 0100, pn_2' });
    expect(r.payload?.phone_number_ids).toEqual(['+1 555 010 0100', 'pn_2']);
    expect(codes(r)).toEqual([]);
  });
  it('a list cell of names splits at commas, semicolons and new lines only; of ids, at spaces too', () => {
    expect(
      check({ contact_list_ids: 'Statewide supporters; Do not contact (Rivera)\n2024 donors' }).payload
        ?.contact_list_ids,
    ).toEqual(['Statewide supporters', 'Do not contact (Rivera)', '2024 donors']);
    expect(check({ contact_list_ids: 'cl_1 cl_2, cl_3' }).payload?.contact_list_ids).toEqual([
      'cl_1',
      'cl_2',
      'cl_3',
    ]);
    expect(check({ phone_number_ids: '5550100101 +15550100102' }).payload?.phone_number_ids).toEqual([
      '5550100101',
      '+15550100102',
    ]);
  });
});

describe('link tracking', () => {
  it('a complete tracked row is valid and sends the link fields', () => {
    const r = check({}, TRACKED);
    expect(r.issues).toEqual([]);
    expect(r.payload).toMatchObject({
      link_tracking_enabled: true,
      link_tracking_destination_url: 'https://example.org/vote',
      link_tracking_domain_id: 'td_1',
    });
  });
  it('requires a destination URL and a domain', () => {
    expect(codes(check({ link_tracking_destination_url: '' }, TRACKED))).toEqual([
      'link_tracking_destination_url:required_for_link_tracking',
    ]);
    expect(codes(check({ link_tracking_domain_id: '' }, TRACKED))).toEqual([
      'link_tracking_domain_id:required_for_link_tracking',
    ]);
  });
  it.each(['example.org/vote', 'ftp://example.org', '/vote', 'https://', 'javascript:alert(1)'])(
    'rejects "%s" as a destination',
    (url) => {
      expect(codes(check({ link_tracking_destination_url: url }, TRACKED))).toEqual([
        'link_tracking_destination_url:invalid_url',
      ]);
    },
  );
  it('a {field} in the URL must name link_tracking_param_field', () => {
    const url = 'https://example.org/vote?c={linkid}';
    expect(
      check({ link_tracking_destination_url: url, link_tracking_param_field: 'linkid' }, TRACKED).issues,
    ).toEqual([]);
    const r = check({ link_tracking_destination_url: url, link_tracking_param_field: 'other' }, TRACKED);
    expect(codes(r)).toEqual(['link_tracking_destination_url:placeholder_field_mismatch']);
    expect(codes(check({ link_tracking_destination_url: url }, TRACKED))).toEqual([
      'link_tracking_destination_url:placeholder_field_mismatch',
    ]);
  });
  it('an empty {} placeholder names no field', () => {
    expect(codes(check({ link_tracking_destination_url: 'https://e.org/{}' }, TRACKED))).toEqual([
      'link_tracking_destination_url:empty_placeholder',
    ]);
    expect(
      codes(
        check(
          { link_tracking_destination_url: 'https://{}', link_tracking_fallback_url: 'https://e.org' },
          TRACKED,
        ),
      ),
    ).toEqual(['link_tracking_destination_url:empty_placeholder']);
  });
  it('at most one placeholder', () => {
    const r = check(
      { link_tracking_destination_url: 'https://e.org/{a}/{a}', link_tracking_param_field: 'a' },
      TRACKED,
    );
    expect(codes(r)).toEqual(['link_tracking_destination_url:too_many_placeholders']);
  });
  it('the whole-URL form https://{field} needs a fallback URL', () => {
    const whole = {
      link_tracking_destination_url: 'https://{custom_url}',
      link_tracking_param_field: 'custom_url',
    };
    expect(codes(check(whole, TRACKED))).toEqual([
      'link_tracking_fallback_url:required_for_whole_url_placeholder',
    ]);
    const ok = check({ ...whole, link_tracking_fallback_url: 'https://example.org' }, TRACKED);
    expect(ok.issues).toEqual([]);
    expect(ok.payload?.link_tracking_fallback_url).toBe('https://example.org');
  });
  it('the fallback URL must itself be an absolute URL', () => {
    const r = check(
      {
        link_tracking_destination_url: 'https://{custom_url}',
        link_tracking_param_field: 'custom_url',
        link_tracking_fallback_url: 'example.org',
      },
      TRACKED,
    );
    expect(codes(r)).toEqual(['link_tracking_fallback_url:invalid_url']);
  });
  it('https://{phone} is not allowed', () => {
    const r = check(
      {
        link_tracking_destination_url: 'https://{phone}',
        link_tracking_param_field: 'phone',
        link_tracking_fallback_url: 'https://example.org',
      },
      TRACKED,
    );
    expect(codes(r)).toEqual(['link_tracking_destination_url:phone_url_not_allowed']);
  });
  it('a fallback URL outside the whole-URL form is an error', () => {
    expect(codes(check({ link_tracking_fallback_url: 'https://example.org/x' }, TRACKED))).toEqual([
      'link_tracking_fallback_url:fallback_not_allowed',
    ]);
  });
  it('link_tracking_param_field is at most 64 characters', () => {
    expect(check({ link_tracking_param_field: 'f'.repeat(64) }, TRACKED).issues).toEqual([]);
    const r = check({ link_tracking_param_field: 'f'.repeat(65) }, TRACKED);
    expect(codes(r)).toEqual(['link_tracking_param_field:param_field_too_long']);
    expect(r.issues[0]!.message).toContain('65');
  });
  it('link fields while tracking is off: a warning each, and they are not sent', () => {
    const r = check({ link_tracking_enabled: 'no' }, TRACKED);
    expect(errors(r)).toEqual([]);
    expect(codes(r)).toEqual([
      'link_tracking_destination_url:ignored_without_link_tracking',
      'link_tracking_domain_id:ignored_without_link_tracking',
      'message_text:link_tag_without_tracking',
    ]);
    expect(r.payload).not.toHaveProperty('link_tracking_destination_url');
    expect(r.payload?.link_tracking_enabled).toBe(false);
    const empty = check({ link_tracking_enabled: undefined }, TRACKED);
    expect(warnings(empty)).toHaveLength(3);
  });
  it('tracking on and no {link} in the message: a warning that does not block the row', () => {
    const r = check({ message_text: 'No link here' }, TRACKED);
    expect(codes(r)).toEqual(['message_text:missing_link_tag']);
    expect(r.payload).not.toBeNull();
  });
});

describe('lists', () => {
  it('contact_list_ids given but yielding no id is an error', () => {
    expect(codes(check({ contact_list_ids: ' ; , ' }))).toEqual(['contact_list_ids:empty_contact_list_ids']);
    expect(codes(check({ contact_list_ids: '[]' }))).toEqual(['contact_list_ids:empty_contact_list_ids']);
  });
  it('contact lists split like phone ids; an empty cell sends nothing', () => {
    expect(check({ contact_list_ids: 'cl_1; cl_2' }).payload?.contact_list_ids).toEqual(['cl_1', 'cl_2']);
    expect(check({ contact_list_ids: '' }).payload).not.toHaveProperty('contact_list_ids');
  });
  it('suppression lists and media split the same way', () => {
    const p = check({ suppression_list_ids: 'sl_1 sl_2', media_ids: '["m_1"]' }).payload!;
    expect(p.suppression_list_ids).toEqual(['sl_1', 'sl_2']);
    expect(p.media_ids).toEqual(['m_1']);
  });
});

describe('booleans', () => {
  it.each([
    ['yes', true],
    ['Y', true],
    ['TRUE', true],
    ['1', true],
    ['no', false],
    ['n', false],
    ['FALSE', false],
    ['0', false],
  ])('"%s" reads as %s', (cell, value) => {
    expect(check({ opt_out_footer_enabled: cell }).payload?.opt_out_footer_enabled).toBe(value);
  });
  it('empty means not given', () => {
    expect(check({ opt_out_footer_enabled: '' }).payload).not.toHaveProperty('opt_out_footer_enabled');
  });
  it('an unreadable boolean is an error quoting the cell', () => {
    const r = check({ opt_out_footer_enabled: 'maybe' });
    expect(codes(r)).toEqual(['opt_out_footer_enabled:invalid_boolean']);
    expect(r.issues[0]!.message).toContain('"maybe"');
  });
});

describe('the schema itself', () => {
  it('refuses a cell that is not text, on its own field', () => {
    const r = validateRow(
      { ...BASE, name: 5 as unknown as string, brand_id: ['b'] as unknown as string },
      { row: 3 },
    );
    expect(r.payload).toBeNull();
    expect(r.issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      'name:invalid_cell',
      'brand_id:invalid_cell',
    ]);
  });
  it('refuses a row that is not a set of cells', () => {
    const r = validateRow(null as unknown as RawRow, { row: 3 });
    expect(r.payload).toBeNull();
    expect(r.issues[0]).toMatchObject({ row: 3, severity: 'error', code: 'invalid_cell' });
  });
});

describe('warnings never block a row; errors do', () => {
  it('a row with only warnings has a payload', () => {
    const r = check({ link_tracking_enabled: 'no', link_tracking_domain_id: 'td_1' });
    expect(warnings(r)).toHaveLength(1);
    expect(r.payload).not.toBeNull();
  });
  it('a row with an error has none', () => {
    expect(check({ brand_id: '' }).payload).toBeNull();
  });
});

describe('list cells split on any Unicode space', () => {
  const SPACES = ['\u00a0', '\u3000', '\u2002', '\u2009', '\u202f', '\u205f', '\u1680', ' \u00a0 '];
  for (const sp of SPACES) {
    it(`splits on ${[...sp].map((c) => 'U+' + c.codePointAt(0)!.toString(16).padStart(4, '0')).join(' ')} like a space`, () => {
      expect(parseList(`pn_1${sp}pn_2`)).toEqual({ ok: true, value: ['pn_1', 'pn_2'] });
      expect(parseList(`pn_1,${sp}pn_2${sp}pn_3`)).toEqual({ ok: true, value: ['pn_1', 'pn_2', 'pn_3'] });
    });
  }
  it('sends two ids for a cell split by a non-breaking space', () => {
    expect(check({ phone_number_ids: 'pn_1\u00a0pn_2' }).payload!.phone_number_ids).toEqual(['pn_1', 'pn_2']);
  });
  it('keeps a phone number typed with non-breaking spaces as one item', () => {
    expect(parseList('+1\u00a0555\u00a0010\u00a00100')).toEqual({
      ok: true,
      value: ['+1\u00a0555\u00a0010\u00a00100'],
    });
  });
});

describe('the deprecated phone_number_id', () => {
  it('sends the one parsed id, not the raw cell', () => {
    for (const cell of ['pn_9;', '["pn_9"]', ' pn_9 ,', 'pn_9\n']) {
      const r = check({ phone_number_ids: undefined, phone_number_id: cell });
      expect(codes(r)).toEqual([]);
      expect(r.payload!.phone_number_ids).toEqual(['pn_9']);
    }
  });
  it('a cell that holds no id is an error, not an empty id', () => {
    const r = check({ phone_number_ids: undefined, phone_number_id: ';' });
    expect(r.payload).toBeNull();
    expect(codes(r)).toEqual(['phone_number_id:required']);
  });
  it('a broken JSON list is an error on phone_number_id', () => {
    const r = check({ phone_number_ids: undefined, phone_number_id: '["pn_9"' });
    expect(r.payload).toBeNull();
    expect(codes(r)).toEqual(['phone_number_id:invalid_list']);
  });
});

describe('{link} in a message while link tracking is off', () => {
  it('is a warning, whether tracking is off or not given', () => {
    for (const tracking of ['no', 'false', undefined]) {
      const r = check({ message_text: 'Vote today: {link}', link_tracking_enabled: tracking });
      expect(r.payload).not.toBeNull();
      expect(codes(r)).toEqual(['message_text:link_tag_without_tracking']);
      expect(r.issues[0]!.severity).toBe('warning');
      expect(r.issues[0]!.message).toContain('{link}');
    }
  });
  it('is no warning when tracking is on', () => {
    const r = check({
      message_text: 'Vote today: {link}',
      link_tracking_enabled: 'yes',
      link_tracking_destination_url: 'https://example.org/vote',
      link_tracking_domain_id: 'td_1',
    });
    expect(codes(r)).toEqual([]);
  });
});

describe('lists read once per distinct cell', () => {
  it('are shared between bodies and frozen, so no body can change another', () => {
    const v = createRowValidator({});
    const a = v({ ...BASE }, 2).payload!;
    const b = v({ ...BASE, name: 'Other' }, 3).payload!;
    expect(a.phone_number_ids).toEqual(['pn_1', 'pn_2']);
    expect(b.phone_number_ids).toBe(a.phone_number_ids);
    expect(Object.isFrozen(a.phone_number_ids)).toBe(true);
    expect(() => a.phone_number_ids!.push('pn_3')).toThrow(TypeError);
    expect(b.phone_number_ids).toEqual(['pn_1', 'pn_2']);
  });
});
