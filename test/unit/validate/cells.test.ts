/** Cell reading: what a spreadsheet cell says is what is sent. */
import { describe, expect, it } from 'vitest';
import { parseList } from '../../../src/shared/mapping';
import type { RawRow } from '../../../src/shared/schema/fields';
import { validateRow } from '../../../src/shared/validate';

const BASE: RawRow = {
  organization_id: 'org_A',
  name: 'GOTV reminder',
  protocol: 'sms',
  message_text: 'Polls are open until 8pm',
  brand_id: 'brand_1',
  campaign_id: 'camp_1',
  phone_number_ids: 'pn_1',
};
const check = (over: RawRow) => {
  const raw: RawRow = { ...BASE, ...over };
  for (const k of Object.keys(raw) as (keyof RawRow)[]) if (raw[k] === undefined) delete raw[k];
  return validateRow(raw, { row: 2 });
};
const codes = (r: ReturnType<typeof check>) => r.issues.map((i) => `${i.field}:${i.code}`);

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
