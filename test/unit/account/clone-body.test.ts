/**
 * The account check copies every body before resolving its names in place: the copy is deep, equal to
 * what `structuredClone` makes, and anything that is not plain data is left to `structuredClone`.
 */
import { describe, expect, it } from 'vitest';
import { cloneBody } from '../../../src/shared/account/check';

describe('cloneBody', () => {
  it('copies a body deeply: equal, and no part shared with the original', () => {
    const body = {
      organization_id: 'Rivera for Senate',
      name: 'GOTV',
      phone_number_ids: ['(555) 010-0101', '(555) 010-0102'],
      link_tracking_enabled: true,
      nested: { list: [{ a: 1 }, null, 'x'] },
      nothing: undefined,
    };
    const copy = cloneBody(body);
    expect(copy).toStrictEqual(structuredClone(body));
    expect(copy).not.toBe(body);
    expect(copy.phone_number_ids).not.toBe(body.phone_number_ids);
    expect(copy.nested.list[0]).not.toBe(body.nested.list[0]);
    copy.phone_number_ids[0] = 'pn_1';
    expect(body.phone_number_ids[0]).toBe('(555) 010-0101');
    expect(Object.keys(copy)).toEqual(Object.keys(body));
  });

  it('keeps a "__proto__" key of parsed JSON as a key, as structuredClone does', () => {
    const body = JSON.parse('{"name":"x","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = cloneBody(body);
    expect(copy).toStrictEqual(structuredClone(body));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves what is not plain data to structuredClone: dates, sparse arrays, cycles, functions', () => {
    const date = { at: new Date(0) };
    expect(cloneBody(date).at).toBeInstanceOf(Date);
    // eslint-disable-next-line no-sparse-arrays
    const sparse = { list: [1, , 3] };
    expect(1 in cloneBody(sparse).list).toBe(false);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const copy = cloneBody(cyclic);
    expect(copy.self).toBe(copy);
    expect(() => cloneBody({ f: () => 1 })).toThrow();
  });
});
