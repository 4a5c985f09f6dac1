import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  autoMap,
  describeMapping,
  fieldForHeader,
  headerSignature,
  isMappingFor,
  mapRow,
  parseBoolean,
  parseChannel,
  parseList,
  parseProtocol,
} from '../../../src/shared/mapping';
import { FIELDS } from '../../../src/shared/schema/fields';

describe('header matching', () => {
  it('maps every API field name exactly', () => {
    for (const f of FIELDS) expect(fieldForHeader(f.name)).toBe(f.name);
  });
  it('ignores case, spaces, dashes and underscores', () => {
    expect(fieldForHeader('Brand ID')).toBe('brand_id');
    expect(fieldForHeader('  BRAND-id ')).toBe('brand_id');
    expect(fieldForHeader('Phone Numbers')).toBe('phone_number_ids');
    expect(fieldForHeader('phone-number-ids')).toBe('phone_number_ids');
    expect(fieldForHeader('Message')).toBe('message_text');
    expect(fieldForHeader('Toll Free Verification ID')).toBe('toll_free_verification_id');
  });
  it('maps every label and synonym of the catalogue to its own field', () => {
    for (const f of FIELDS) {
      expect(fieldForHeader(f.label)).toBe(f.name);
      for (const s of f.synonyms) expect(fieldForHeader(s), s).toBe(f.name);
    }
  });
  it('reads headers as people write them: short forms, questions and punctuation', () => {
    const cases: Array<[string, string]> = [
      ['Type', 'protocol'],
      ['Link?', 'link_tracking_enabled'],
      ['Track links?', 'link_tracking_enabled'],
      ['Link', 'link_tracking_destination_url'],
      ['URL', 'link_tracking_destination_url'],
      ['Suppress', 'suppression_list_ids'],
      ['Do not contact', 'suppression_list_ids'],
      ['Opt-out', 'opt_out_footer_enabled'],
      ['Opt out?', 'opt_out_footer_enabled'],
      ['Footer?', 'opt_out_footer_enabled'],
      ['Lists', 'contact_list_ids'],
      ['Numbers', 'phone_number_ids'],
      ['Brand:', 'brand_id'],
      ['Campaign *', 'campaign_id'],
      ['“Message”', 'message_text'],
      ['Org #', 'organization_id'],
    ];
    for (const [header, field] of cases) expect(fieldForHeader(header), header).toBe(field);
  });
  it('leaves unknown headers unmapped', () => {
    expect(fieldForHeader('Notes')).toBeNull();
    expect(fieldForHeader('')).toBeNull();
  });
});

describe('autoMap and describeMapping', () => {
  it('maps columns in order; two columns naming one field both map to it, a conflict to resolve', () => {
    const headers = ['Name', 'Brand', 'brand_id', 'Notes'];
    const m = autoMap(headers);
    expect(m.columns).toEqual(['name', 'brand_id', 'brand_id', null]);
    expect(describeMapping(headers, m).conflicts).toEqual([
      { field: 'brand_id', headers: ['Brand', 'brand_id'] },
    ]);
  });
  it('reports unmapped columns and required fields without a column', () => {
    const headers = ['Name', 'Notes', 'Message'];
    const r = describeMapping(headers, autoMap(headers));
    expect(r.unmapped).toEqual(['Notes']);
    expect(r.missingRequired).toEqual(['organization_id', 'protocol', 'phone_number_ids']);
  });
  it('a default organization covers a missing organization column', () => {
    const headers = ['name', 'protocol', 'message_text', 'phone_number_id'];
    expect(
      describeMapping(headers, autoMap(headers), { defaultOrganizationId: 'org_1' }).missingRequired,
    ).toEqual([]);
  });
  it('reports two columns mapped to one field by the user', () => {
    const r = describeMapping(['A', 'B'], { columns: ['name', 'name'] });
    expect(r.conflicts).toEqual([{ field: 'name', headers: ['A', 'B'] }]);
  });
  it('ignores the columns a results sheet adds, and only in a results sheet', () => {
    const headers = ['name', 'status', 'project_id', 'error_message', 'submitted_at'];
    expect(autoMap(headers).columns).toEqual(['name', null, null, null, null]);
    expect(describeMapping(headers, autoMap(headers)).unmapped).toEqual([]);
    // A sheet of the user's own with a "Status" column: that column is reported as not sent.
    expect(describeMapping(['name', 'Status'], autoMap(['name', 'Status'])).unmapped).toEqual(['Status']);
  });
  it('is plain data that survives JSON and is checked against its headers', () => {
    const headers = ['name', 'x'];
    const m = JSON.parse(JSON.stringify(autoMap(headers)));
    expect(isMappingFor(headers, m)).toBe(true);
    expect(isMappingFor(['name'], m)).toBe(false);
    expect(isMappingFor(headers, { columns: ['nope', null] })).toBe(false);
    expect(headerSignature(['Brand ID', 'Name'])).toBe(headerSignature(['brand_id', 'name']));
  });
  it('mapRow keeps only mapped, non-empty cells', () => {
    expect(mapRow(['GOTV', 'note', ''], { columns: ['name', null, 'brand_id'] })).toEqual({ name: 'GOTV' });
  });
});

describe('cell parsers never throw', () => {
  it('on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        for (const r of [parseList(s), parseBoolean(s), parseChannel(s), parseProtocol(s)]) {
          expect(typeof r.ok).toBe('boolean');
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('lists never hold empty or padded ids', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9_]{1,12}$/)),
        fc.constantFrom(',', ';', ' ', '\n', ', '),
        (ids, sep) => {
          const r = parseList(ids.join(sep));
          expect(r).toEqual({ ok: true, value: ids });
        },
      ),
    );
  });
});
