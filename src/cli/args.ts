/** Arguments shared by the commands that take one spreadsheet: FILE, --sheet, --header-row, --help. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
