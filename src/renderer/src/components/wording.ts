/**
 * The app's wording for what the engine says when the account refuses or a run stops. The engine
 * also serves the command line, whose advice (an environment variable, "run the same command
 * again", `--base-url`) means nothing in a window: here the advice points at Settings and at the
 * app's own buttons.
 */

export interface StopLike {
  reason?: 'account' | 'unreachable' | 'cancelled';
  httpStatus?: number;
  code?: string;
  message: string;
}

/** What the user does next: check the rows again, or create the remaining projects again. */
export type StopContext = 'check' | 'run';

const AGAIN: Record<StopContext, string> = {
  check: 'Then check with the account again.',
  run: 'Then choose Create again: the run goes on where it stopped, and no project is created twice.',
};

/** Sentences of command-line advice, dropped; environment variables, replaced by Settings. */
function withoutCommandLine(message: string): string {
  return message
    .replace(
      /set [A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+ to it \(in the app: Settings > API key\)/g,
      'add it in Settings',
    )
    .replace(/\s*\(and --base-url\)/g, ' (and the server in Settings)')
    .replace(/,?\s*then run the same command again[^.]*\./gi, '.')
    .replace(/(?:^|\s*)Then run the same command again[^.]*\./g, '')
    .replace(/\bset [A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, 'add the API key in Settings')
    .replace(/\b[A-Z][A-Z0-9]*_API_KEY\b/g, 'the API key in Settings')
    .replace(/\s*--[a-z][a-z-]+/g, '')
    .replace(/\s{2,}/g, ' ')
    .replace(/\.\s*\./g, '.')
    .trim();
}

/** The message of a stopped check or run, in the app's words. */
export function stopText(stop: StopLike, context: StopContext): string {
  if (stop.reason === 'cancelled') return withoutCommandLine(stop.message);
  if (stop.httpStatus === 401) {
    return (
      `The API refused the API key${stop.code ? ` (${stop.code})` : ''}. Add a valid key in Settings ` +
      `(create one in the dashboard under Admin > API). ${AGAIN[context]}`
    );
  }
  if (stop.reason === 'unreachable') {
    return (
      'The API cannot be reached or keeps failing. Check the network connection and the server chosen ' +
      `in Settings. ${AGAIN[context]}`
    );
  }
  const text = withoutCommandLine(stop.message);
  // Advice on how to go on is the app's, once.
  return /\b(resume|again)\b/i.test(text) ? text : `${text} ${AGAIN[context]}`;
}

/** A row's failure message (a row given up after retries, an answer never recorded). */
export function rowText(message: string): string {
  return withoutCommandLine(
    message
      .replace(
        /run the same command again to retry this row/g,
        'choose “Retry failed rows” to send this row again',
      )
      .replace(/: run the same command again;/g, ': choose “Retry failed rows”;'),
  );
}
