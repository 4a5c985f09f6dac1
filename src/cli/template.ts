/**
 * `template OUT.xlsx|OUT.csv`: write a template spreadsheet with every column and example rows.
 * `template --account [--base-url URL] OUT.xlsx`: the template with this account's names on a Lookup
 * sheet and dropdowns on the reference columns (the key from POLITICAL_COMMS_API_KEY, as `submit`).
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTemplate } from '../shared/template';
import { readAccountForCli } from './account';
import { PRODUCTION_BASE_URL } from '../engine/api';
import { buildAccountTemplate, LOOKUP_SHEET } from '../shared/template/account';

const USAGE = `Usage: broadcast-importer template [--account [--base-url URL]] OUT.xlsx|OUT.csv

Writes a template: every API field as a column, example rows that work against the Sandbox,
and (XLSX) a second sheet that explains each column.

Options:
  --account        write the template for your account instead (XLSX only): its organizations,
                   brands, campaigns, numbers, lists, tracking domains and toll-free verifications
                   on a "${LOOKUP_SHEET}" sheet (names and ids), and dropdowns on the matching columns.
                   The API key is read from POLITICAL_COMMS_API_KEY.
  --base-url URL   API base URL (default: ${PRODUCTION_BASE_URL}; e.g. the Sandbox's)
  -h, --help       show this help`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        account: { type: 'boolean', default: false },
        'base-url': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`Give one output file.\n\n${USAGE}\n`);
    return 2;
  }
  const out = positionals[0]!;
  const ext = extname(out).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') {
    process.stderr.write(`The template must be a .xlsx or .csv file, not "${out}".\n`);
    return 2;
  }
  if (values['base-url'] !== undefined && !values.account) {
    process.stderr.write('--base-url goes with --account (the template for your account).\n');
    return 2;
  }

  let bytes: Uint8Array;
  if (values.account) {
    if (ext !== '.xlsx') {
      process.stderr.write('The account template has dropdowns, so it must be a .xlsx file.\n');
      return 2;
    }
    const snapshot = await readAccountForCli(values['base-url']);
    if (snapshot === null) return 2;
    for (const u of snapshot.unavailable) process.stderr.write(`warning: ${u.message}\n`);
    bytes = buildAccountTemplate(snapshot);
    const count = snapshot.organizations?.length ?? 0;
    process.stderr.write(
      `Read ${count} organization${count === 1 ? '' : 's'} from ${snapshot.source}; their names are on the "${LOOKUP_SHEET}" sheet.\n`,
    );
  } else {
    bytes = buildTemplate(ext === '.csv' ? 'csv' : 'xlsx');
  }
  try {
    await writeFile(out, bytes);
  } catch (e) {
    process.stderr.write(`Cannot write ${out}: ${(e as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`Wrote ${out}\n`);
  return 0;
}
