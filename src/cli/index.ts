/**
 * The command line: one entry, one module per command, each loaded only when asked for so that
 * start-up stays quick for scripts.
 */
export type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  validate: {
    summary: 'check every row of a spreadsheet against the API rules',
    load: () => import('./validate'),
  },
  template: {
    summary: 'write an empty template spreadsheet (CSV or XLSX)',
    load: () => import('./template'),
  },
  submit: {
    summary: 'create the valid rows as projects, in row order, resumable',
    load: () => import('./submit'),
  },
  sandbox: { summary: 'start the local API simulator on 127.0.0.1', load: () => import('./sandbox') },
};

export const USAGE = `Usage: broadcast-importer <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`broadcast-importer <command> --help\` for the options of one command.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  const { run } = await command.load();
  return run(rest);
}
