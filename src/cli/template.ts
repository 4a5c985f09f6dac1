/** `template OUT.xlsx|OUT.csv`: write a template spreadsheet with every column and example rows. */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { buildTemplate } from '../shared/template';

const USAGE = `Usage: broadcast-importer template OUT.xlsx|OUT.csv

Writes a template: every API field as a column, example rows that work against the Sandbox,
and (XLSX) a second sheet that explains each column.`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv.length !== 1 || argv[0]!.startsWith('-')) {
    process.stderr.write(`Give one output file.\n\n${USAGE}\n`);
    return 2;
  }
  const out = argv[0]!;
  const ext = extname(out).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') {
    process.stderr.write(`The template must be a .xlsx or .csv file, not "${out}".\n`);
    return 2;
  }
  try {
    await writeFile(out, buildTemplate(ext === '.csv' ? 'csv' : 'xlsx'));
  } catch (e) {
    process.stderr.write(`Cannot write ${out}: ${(e as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`Wrote ${out}\n`);
  return 0;
}
