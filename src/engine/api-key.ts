/**
 * What a usable API key looks like from the outside: printable ASCII with no spaces. A key pasted
 * with a line break, a tab or an invisible character in it would be sent as a broken header (or
 * split into two), and messages built around it could carry it into the output or a file. Such a key
 * is refused before anything is sent, and the message never repeats the key.
 */

/** null when the key can be used; otherwise a plain message that does not contain the key. */
export function apiKeyProblem(key: string, where = 'The API key'): string | null {
  if (key === '') return `${where} is empty.`;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x21 && c <= 0x7e) continue;
    const what =
      c === 0x0a || c === 0x0d
        ? 'a line break'
        : c < 0x20 || (c >= 0x7f && c <= 0x9f)
          ? 'a control character'
          : c === 0x20 || /\s/.test(key[i]!)
            ? 'a space'
            : /\p{Cf}/u.test(key[i]!)
              ? 'an invisible formatting character'
              : 'a character that is not in any key (keys are plain letters, digits and punctuation)';
    return (
      `${where} holds ${what} at character ${i + 1}, so it cannot be sent. ` +
      'Copy the key again from the dashboard (Admin > API), as one line with nothing around it.'
    );
  }
  return null;
}
