/**
 * Spaces around a cell's text are a nuisance, not a value: every Unicode space (non-breaking ones
 * included), and the zero-width ones a copy from a web page or a PDF leaves behind.
 */
const SURROUNDING = /^[\s\u200b\u2060\ufeff]+|[\s\u200b\u2060\ufeff]+$/gu;
const ONLY = /^[\s\u200b\u2060\ufeff]*$/u;

export function trimSpaces(text: string): string {
  return text.replace(SURROUNDING, '');
}

/** Whether `text` from `from` to `to` holds nothing but spaces. */
export function onlySpaces(text: string, from = 0, to = text.length): boolean {
  return from >= to || ONLY.test(text.slice(from, to));
}
