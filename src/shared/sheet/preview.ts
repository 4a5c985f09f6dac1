/**
 * Cutting a long text for display (the file preview, a column's first values) without breaking a
 * character apart: never between the two halves of a surrogate pair (an emoji, a rare CJK
 * character), and, where the runtime can tell (Intl.Segmenter), never inside a grapheme (a flag, a
 * family emoji, a letter with its combining accent, a skin-tone modifier).
 */

type Segmenter = { segment(text: string): Iterable<{ index: number }> };

const graphemes: Segmenter | null =
  typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function'
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : null;

/** Where the first `count` characters of `text` end, or -1 when it has no more than that. */
function endOfFirst(text: string, count: number, segmenter: Segmenter | null): number {
  if (segmenter) {
    let n = 0;
    // Segmenting is lazy: a 5 MB cell costs only the characters kept.
    for (const s of segmenter.segment(text)) {
      if (n === count) return s.index;
      n++;
    }
    return -1;
  }
  let i = 0;
  for (let n = 0; i < text.length; n++) {
    if (n === count) return i;
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return -1;
}

/**
 * The text itself when it has at most `max` characters (graphemes), else its first `max` followed
 * by an ellipsis. `segmenter: null` cuts by code points (what runtimes without Intl.Segmenter get).
 */
export function shortenText(text: string, max: number, segmenter: Segmenter | null = graphemes): string {
  // Every character is at least one UTF-16 unit: a text this short has nothing to cut.
  if (text.length <= max) return text;
  const end = endOfFirst(text, Math.max(0, Math.floor(max)), segmenter);
  return end === -1 ? text : text.slice(0, end) + '…';
}
