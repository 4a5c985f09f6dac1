import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREVIEW_MAX_CELL_CHARS, previewSheet, shortenText } from '../../../src/shared/sheet';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** A lone half of a surrogate pair: what a cut in the middle of an emoji leaves. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('shortenText never cuts a character in half', () => {
  it('keeps emoji whole where a cut by UTF-16 units would split them', () => {
    const text = '🗳️ Vote early 🇺🇸 — 👨‍👩‍👧 family day 👍🏽 thanks 🎉🎉🎉';
    for (let max = 0; max < 40; max++) {
      const out = shortenText(text, max);
      expect(out).not.toMatch(LONE_SURROGATE);
      expect(text.startsWith(out.replace(/…$/, ''))).toBe(true);
    }
    // Graphemes: the flag, the family and the thumbs-up with its skin tone stay in one piece.
    expect(shortenText('ab🇺🇸cd', 3)).toBe('ab🇺🇸…');
    expect(shortenText('👨‍👩‍👧👨‍👩‍👧', 1)).toBe('👨‍👩‍👧…');
    expect(shortenText('x👍🏽y', 2)).toBe('x👍🏽…');
    expect(shortenText('cafe\u0301s', 4)).toBe('cafe\u0301…');
  });

  it('by code points when the runtime has no Intl.Segmenter', () => {
    expect(shortenText('ab😀cd', 3, null)).toBe('ab😀…');
    expect(shortenText('😀😀😀', 2, null)).toBe('😀😀…');
    // Nothing to cut: three code points in six UTF-16 units.
    expect(shortenText('😀😀😀', 3, null)).toBe('😀😀😀');
  });

  it('leaves text that fits as it is, and counts characters, not UTF-16 units', () => {
    expect(shortenText('GOTV', 27)).toBe('GOTV');
    // 20 emoji are 40 UTF-16 units but 20 characters: no cut at 27.
    expect(shortenText('🎉'.repeat(20), 27)).toBe('🎉'.repeat(20));
    expect(shortenText('x'.repeat(30), 27)).toBe('x'.repeat(27) + '…');
  });

  it('any text, any length: a prefix of whole characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.nat(70), (text, max) => {
        for (const seg of [undefined, null] as const) {
          const out = seg === null ? shortenText(text, max, null) : shortenText(text, max);
          expect(out).not.toMatch(LONE_SURROGATE);
          const kept = out.endsWith('…') && out !== text ? out.slice(0, -1) : out;
          expect(text.startsWith(kept)).toBe(true);
        }
      }),
    );
  });

  it('the file preview cuts a long cell of emoji on a character boundary', () => {
    const long = '🎉'.repeat(PREVIEW_MAX_CELL_CHARS + 100);
    const p = previewSheet(utf8(`name,message_text\nA,x${long}\n`), { fileName: 'emoji.csv' });
    const cell = p.lines[1]!.cells[1]!;
    expect(cell).not.toMatch(LONE_SURROGATE);
    expect(cell.endsWith('…')).toBe(true);
    expect([...cell.slice(0, -1)]).toHaveLength(PREVIEW_MAX_CELL_CHARS);
  });
});
