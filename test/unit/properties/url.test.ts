/**
 * The URL check's fast path for plain URLs must agree with the URL parser on every input, and the
 * placeholder scan with the `{name}` pattern it replaces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAbsoluteHttpUrl, placeholders } from '../../../src/shared/schema/row';

function byParser(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const u = new URL(url.replace(/\{[^{}]*\}/g, 'x'));
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const PIECES = [
  'a',
  'Z',
  '0',
  '9',
  '-',
  '.',
  ':',
  '/',
  '?',
  '#',
  '@',
  '{',
  '}',
  '%',
  ' ',
  '_',
  '\\',
  'xn--',
  '80',
  '0x1f',
  'é',
  '[',
  ']',
  '999',
  '65536',
];
const urlArb = fc
  .tuple(
    fc.constantFrom('http://', 'https://', 'HTTPS://', 'ftp://', 'https:/', ''),
    fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }),
  )
  .map(([scheme, parts]) => scheme + parts.join(''));

describe('isAbsoluteHttpUrl', () => {
  it('agrees with the URL parser (property)', () => {
    fc.assert(
      fc.property(urlArb, (url) => {
        expect(isAbsoluteHttpUrl(url)).toBe(byParser(url));
      }),
      { numRuns: 5000 },
    );
  });
  it('agrees on hosts the fast path must leave to the parser', () => {
    for (const url of [
      'https://1.2.3.999/x',
      'https://xn--zz.org/',
      'https://a..b/',
      'https://a.0x1f',
      'https://ex.org:99999',
      'https://e_x.org',
    ]) {
      expect(isAbsoluteHttpUrl(url)).toBe(byParser(url));
    }
  });
});

describe('placeholders', () => {
  it('finds what the {name} pattern finds (property)', () => {
    const text = fc
      .array(fc.constantFrom('a', '{', '}', '{}', '{x}', 'phone', '/'), { maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => {
        const expected = [...s.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);
        expect(placeholders(s)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
