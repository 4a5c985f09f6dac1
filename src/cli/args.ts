/** Arguments shared by the commands that take one spreadsheet: FILE, --sheet, --header-row, --help. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { apiKeyProblem } from '../engine/api-key';

type Options = NonNullable<ParseArgsConfig['options']>;

const FILE_OPTIONS = {
  sheet: { type: 'string' },
  'header-row': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

type Values<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'string' } ? string : boolean;
};

export type FileCommandArgs<O extends Options> =
  | { ok: true; values: Values<O & typeof FILE_OPTIONS>; file: string; headerRow: number | undefined }
  | { ok: false; exitCode: number };

/**
 * Parse `COMMAND FILE [options]`. Usage errors are written to stderr with the usage text (exit 2);
 * `--help` prints the usage to stdout (exit 0).
 */
export function parseFileCommand<O extends Options>(
  argv: string[],
  usage: string,
  verb: string,
  options: O,
): FileCommandArgs<O> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...options, ...FILE_OPTIONS } });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${usage}\n`);
    return { ok: false, exitCode: 2 };
  }
  const positionals = parsed.positionals;
  const values = parsed.values as Values<O & typeof FILE_OPTIONS>;
  if (values.help) {
    process.stdout.write(usage + '\n');
    return { ok: false, exitCode: 0 };
  }
  if (positionals.length !== 1) {
    process.stderr.write(
      `${positionals.length === 0 ? `Give the file to ${verb}.` : 'Give one file.'}\n\n${usage}\n`,
    );
    return { ok: false, exitCode: 2 };
  }
  let headerRow: number | undefined;
  const rawHeaderRow = values['header-row'];
  if (rawHeaderRow !== undefined) {
    headerRow = Number(rawHeaderRow);
    if (!Number.isInteger(headerRow) || headerRow < 1) {
      process.stderr.write(`--header-row must be a row number (1 or more), not "${String(rawHeaderRow)}".\n`);
      return { ok: false, exitCode: 2 };
    }
  }
  return { ok: true, values, file: positionals[0]!, headerRow };
}

/** `--base-url` as given (no trailing slash), or null after saying on stderr why it is unusable. */
export function parseBaseUrlOption(value: string): string | null {
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http');
  } catch {
    process.stderr.write(`--base-url must be an http(s) URL, not "${value}".\n`);
    return null;
  }
  return value.replace(/\/+$/, '');
}

/**
 * The API key from POLITICAL_COMMS_API_KEY, or null after saying on stderr what is wrong (missing, or
 * holding a line break or another character no key has: the message never repeats the key).
 */
export function readApiKeyFromEnv(): string | null {
  const apiKey = process.env.POLITICAL_COMMS_API_KEY?.trim();
  if (!apiKey) {
    process.stderr.write(
      'Set POLITICAL_COMMS_API_KEY to your API key (the dashboard: Admin > API), then run the command again.\n',
    );
    return null;
  }
  const problem = apiKeyProblem(apiKey, 'POLITICAL_COMMS_API_KEY');
  if (problem) {
    process.stderr.write(problem + '\n');
    return null;
  }
  return apiKey;
}
