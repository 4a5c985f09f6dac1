import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  closest,
  domainKey,
  editDistance,
  looksLikeId,
  MAX_SUGGESTIONS,
  normalizeName,
  phoneKey,
  similarity,
  splitListCell,
} from '../../../src/shared/account/names';

describe('normalizeName', () => {
  it('forgives case, extra spaces and punctuation', () => {
    expect(normalizeName('  Rivera   GOTV  2026 ')).toBe('rivera gotv 2026');
    expect(normalizeName('RIVERA gotv 2026')).toBe(normalizeName('Rivera GOTV 2026'));
    expect(normalizeName('Do not contact (Rivera)')).toBe('do not contact rivera');
    expect(normalizeName('Do not contact - Rivera')).toBe('do not contact rivera');
    expect(normalizeName('2024-donors')).toBe(normalizeName('2024 donors'));
    expect(normalizeName('O’Brien for Mayor')).toBe(normalizeName('OBrien for mayor'));
    // NFKC: full-width letters and a no-break space are the plain ones.
    expect(normalizeName('Ｒｉｖｅｒａ\u00a0GOTV')).toBe('rivera gotv');
  });

  it('keeps digits, accents and word order: those are different names', () => {
    expect(normalizeName('Rivera GOTV 2062')).not.toBe(normalizeName('Rivera GOTV 2026'));
    expect(normalizeName('Peña')).not.toBe(normalizeName('Pena'));
    expect(normalizeName('GOTV Rivera')).not.toBe(normalizeName('Rivera GOTV'));
  });

  it('is idempotent and ignores case and surrounding or repeated spaces (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const n = normalizeName(s);
        expect(normalizeName(n)).toBe(n);
        expect(normalizeName(`  ${s.toUpperCase()}  `)).toBe(normalizeName(s.toUpperCase()));
        expect(normalizeName(s.replace(/ /g, '   '))).toBe(n);
      }),
    );
  });
});

describe('phoneKey', () => {
  it('reads every common spelling of one number as its E.164 digits', () => {
    for (const s of [
      '+1 555-010-0101',
      '(555) 010-0101',
      '5550100101',
      '1-555-010-0101',
      '+15550100101',
      '555.010.0101',
      ' +1 (555) 010 0101 ',
    ]) {
      expect(phoneKey(s), s).toBe('15550100101');
    }
  });

  it('is null for what is not a phone number', () => {
    for (const s of [
      '',
      'pn_01HRCGB4W8GJACYA1SCX5GNW8R',
      '555-0101',
      'Main line',
      '+1 555 010 01x1',
      '1234567890123456',
    ])
      expect(phoneKey(s), s).toBeNull();
  });

  it('agrees for all spellings of any NANP number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[2-9]\d{9}$/), (d) => {
        const a = d.slice(0, 3);
        const b = d.slice(3, 6);
        const c = d.slice(6);
        const want = `1${d}`;
        for (const s of [
          d,
          `+1${d}`,
          `+1 ${a}-${b}-${c}`,
          `(${a}) ${b}-${c}`,
          `1-${a}-${b}-${c}`,
          `${a}.${b}.${c}`,
        ])
          expect(phoneKey(s)).toBe(want);
      }),
    );
  });
});

describe('domainKey', () => {
  it('drops the scheme, trailing slashes and case', () => {
    for (const s of [
      'go.rivera-senate.example',
      'https://go.rivera-senate.example/',
      'HTTP://Go.Rivera-Senate.example//',
      ' go.rivera-senate.example. ',
    ])
      expect(domainKey(s), s).toBe('go.rivera-senate.example');
  });
  it('keeps a path, so a URL is not taken for its domain', () => {
    expect(domainKey('https://go.rivera-senate.example/donate')).toBe('go.rivera-senate.example/donate');
  });
});

describe('looksLikeId', () => {
  it('tells ids from names', () => {
    expect(looksLikeId('pn_01HRCGB4W8GJACYA1SCX5GNW8R')).toBe(true);
    expect(looksLikeId('camp_01HRA84MS3W9N3Z5DSPH7R5J4P')).toBe(true);
    expect(looksLikeId('Statewide supporters')).toBe(false);
    expect(looksLikeId('5550100101')).toBe(false);
    expect(looksLikeId('pn_')).toBe(false);
  });
});

describe('similarity and closest', () => {
  it('edit distance is a metric on samples (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, b, 2)).toBe(Math.min(d, 3));
      }),
    );
  });

  it('ranks a typo and a missing word first', () => {
    const entries = ['Rivera GOTV 2026', 'Rivera Fundraising', 'PAC Member Updates', 'Volunteer calls'].map(
      (name, i) => ({ id: `id${i}`, name, key: normalizeName(name) }),
    );
    expect(closest(normalizeName('Rivera GOTV 2062'), entries)[0]?.name).toBe('Rivera GOTV 2026');
    expect(closest(normalizeName('GOTV'), entries)[0]?.name).toBe('Rivera GOTV 2026');
    expect(closest(normalizeName('Fundraising'), entries)[0]?.name).toBe('Rivera Fundraising');
    expect(closest(normalizeName('zzzzzz qqqq'), entries)).toEqual([]);
    expect(similarity('a', 'a')).toBe(1);
  });

  it('offers at most three, in the same order whatever the order of the account (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 12 }),
        fc.string({ maxLength: 10 }),
        (names, query) => {
          const entries = names.map((name, i) => ({ id: `id${i}`, name, key: normalizeName(name) }));
          const a = closest(normalizeName(query), entries);
          const b = closest(normalizeName(query), [...entries].reverse());
          expect(a.map((e) => e.id)).toEqual(b.map((e) => e.id));
          expect(a.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
        },
      ),
    );
  });
});

describe('splitListCell', () => {
  it('splits an id list on commas, semicolons, new lines and any Unicode space', () => {
    expect(
      splitListCell('pn_01AAAAAAAA pn_01BBBBBBBB,pn_01CCCCCCCC;\npn_01DDDDDDDD\u2003pn_01EEEEEEEE'),
    ).toEqual({
      ok: true,
      kind: 'ids',
      items: ['pn_01AAAAAAAA', 'pn_01BBBBBBBB', 'pn_01CCCCCCCC', 'pn_01DDDDDDDD', 'pn_01EEEEEEEE'],
    });
    expect(splitListCell('5550100101 +15550100102')).toEqual({
      ok: true,
      kind: 'ids',
      items: ['5550100101', '+15550100102'],
    });
  });

  it('takes an id the account knows as an id, whatever its shape', () => {
    expect(splitListCell('LEGACY-1 LEGACY-2', (t) => t.startsWith('LEGACY-'))).toEqual({
      ok: true,
      kind: 'ids',
      items: ['LEGACY-1', 'LEGACY-2'],
    });
  });

  it('splits a name list on commas, semicolons and new lines only', () => {
    expect(splitListCell('Do not contact (Rivera); 2024 donors\nStatewide supporters, Volunteers')).toEqual({
      ok: true,
      kind: 'names',
      items: ['Do not contact (Rivera)', '2024 donors', 'Statewide supporters', 'Volunteers'],
    });
    expect(splitListCell('Statewide supporters')).toEqual({
      ok: true,
      kind: 'names',
      items: ['Statewide supporters'],
    });
    // A name beside an id makes a name list: the id stays one item.
    expect(splitListCell('cl_01AAAAAAAA, Statewide supporters')).toEqual({
      ok: true,
      kind: 'names',
      items: ['cl_01AAAAAAAA', 'Statewide supporters'],
    });
  });

  it('keeps phone numbers written with spaces whole', () => {
    expect(splitListCell('+1 555 010 0101; (555) 010-0102')).toEqual({
      ok: true,
      kind: 'names',
      items: ['+1 555 010 0101', '(555) 010-0102'],
    });
  });

  it('reads a JSON array item by item, names or ids', () => {
    expect(splitListCell('["Do not contact (Rivera)", " 2024 donors ", ""]')).toEqual({
      ok: true,
      kind: 'names',
      items: ['Do not contact (Rivera)', '2024 donors'],
    });
    expect(splitListCell('["pn_01AAAAAAAA","pn_01BBBBBBBB"]')).toEqual({
      ok: true,
      kind: 'ids',
      items: ['pn_01AAAAAAAA', 'pn_01BBBBBBBB'],
    });
    expect(splitListCell('[not json')).toMatchObject({ ok: false });
    expect(splitListCell('{"a":1}')).toMatchObject({ ok: true, kind: 'names' });
    expect(splitListCell('[{"a":1}]')).toMatchObject({ ok: false });
    expect(splitListCell('"x"')).toMatchObject({ ok: true });
  });

  it('an empty cell is an empty list', () => {
    expect(splitListCell('  \n ')).toEqual({ ok: true, kind: 'ids', items: [] });
  });

  const idArb = fc.stringMatching(/^(pn|cl|media)_[0-9A-Z]{8,12}$/);
  const nameArb = fc
    .array(fc.stringMatching(/^[A-Za-z0-9()'&.-]{1,8}$/), { minLength: 2, maxLength: 4 })
    .map((w) => w.join(' '));

  it('gives back the ids of an id list joined by any separators (property)', () => {
    fc.assert(
      fc.property(
        fc.array(idArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(' ', ',', '; ', '\n', '\t', '\u00a0', ' , ', '\r\n'), {
          minLength: 8,
          maxLength: 8,
        }),
        (ids, seps) => {
          const cell = ids.map((id, i) => (i === 0 ? id : seps[i % seps.length] + id)).join('');
          expect(splitListCell(cell)).toEqual({ ok: true, kind: 'ids', items: ids });
        },
      ),
    );
  });

  it('gives back the names of a name list, spaces inside kept (property)', () => {
    fc.assert(
      fc.property(
        fc.array(nameArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(', ', ';', '\n', ' ; ', '\r\n'),
        (names, sep) => {
          const cell = names.join(sep);
          expect(splitListCell(cell)).toEqual({ ok: true, kind: 'names', items: names });
          expect(splitListCell(JSON.stringify(names))).toEqual({ ok: true, kind: 'names', items: names });
        },
      ),
    );
  });

  it('never throws, and never returns an empty or untrimmed item (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const r = splitListCell(s);
        if (!r.ok) return;
        for (const item of r.items) {
          expect(item).toBe(item.trim());
          expect(item).not.toBe('');
        }
      }),
    );
  });
});
