/**
 * `sandbox [--port N] [--latency MS] [--fail-rate P] [--write-limit N] [--read-limit N] [--seed S]`
 * `sandbox --print-seed`
 *
 * Starts the local API simulator and prints `BASE_URL=…` and `API_KEY=…` on stdout, one per line
 * (other tools read exactly these two lines), then serves until SIGINT/SIGTERM and exits 0. The request
 * log and the organization-scoped keys go to stderr. Usage errors: message on stderr, exit 2; a port
 * that cannot be opened: exit 1.
 */
import { parseArgs } from 'node:util';
import { SANDBOX_KEYS, SEED, startSandbox, type SandboxLogEntry, type SandboxOptions } from '../sandbox';

const USAGE = `Usage: broadcast-importer sandbox [options]
       broadcast-importer sandbox --print-seed

Starts a local simulator of the Political Comms API on 127.0.0.1 (nothing is sent anywhere) and
prints BASE_URL=… and API_KEY=… for it. Serves until interrupted (Ctrl+C).

Options:
  --port N                 port to listen on (default 0: a free port)
  --latency MS             added to every answer (default 0)
  --jitter MS              up to this much more, at random (default 0)
  --fail-rate P            share 0–1 of writes answered 500/502/503 (default 0)
  --reset-before-rate P    share of writes whose connection is reset before anything happens
  --reset-after-rate P     share of writes whose connection is reset after the project is created
  --slow-rate P            share of writes answered only after --slow-ms
  --slow-ms MS             delay of a slow answer (default 15000)
  --write-limit N          writes allowed per key per 60 s (default: no limit)
  --read-limit N           reads allowed per key per 60 s (default: no limit)
  --seed S                 seed of the fault generator, an integer (default 1)
  --sending-paused SCOPE   refuse creates with 409 SENDING_PAUSED (organization or platform)
  --onboarding-incomplete  refuse creates with 403 ONBOARDING_INCOMPLETE
  --quiet                  do not log requests on stderr
  --print-seed             print the seed account as JSON and exit
  -h, --help               show this help`;

class UsageError extends Error {}

function num(
  name: string,
  text: string | undefined,
  opts: { int?: boolean; max?: number } = {},
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (opts.int && !Number.isInteger(value))) {
    throw new UsageError(`--${name} expects a${opts.int ? 'n integer' : ' number'} ≥ 0, got "${text}".`);
  }
  if (opts.max !== undefined && value > opts.max)
    throw new UsageError(`--${name} must be at most ${opts.max}, got "${text}".`);
  return value;
}

/** The printable seed, shaped like the API's list answers (tracking domains also carry their org_id). */
export function seedJson(): string {
  return JSON.stringify(
    {
      organizations: SEED.organizations,
      brands: SEED.brands,
      campaigns: SEED.campaigns,
      phone_numbers: SEED.phone_numbers,
      toll_free_verifications: SEED.toll_free_verifications,
      tracking_domains: SEED.tracking_domains,
      contact_lists: SEED.contact_lists,
    },
    null,
    2,
  );
}

function parse(argv: string[]): {
  help: boolean;
  printSeed: boolean;
  quiet: boolean;
  options: SandboxOptions;
} {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      'fail-rate': { type: 'string' },
      'reset-before-rate': { type: 'string' },
      'reset-after-rate': { type: 'string' },
      'slow-rate': { type: 'string' },
      'slow-ms': { type: 'string' },
      'write-limit': { type: 'string' },
      'read-limit': { type: 'string' },
      seed: { type: 'string' },
      'sending-paused': { type: 'string' },
      'onboarding-incomplete': { type: 'boolean' },
      quiet: { type: 'boolean' },
      'print-seed': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const paused = values['sending-paused'];
  if (paused !== undefined && paused !== 'organization' && paused !== 'platform') {
    throw new UsageError(`--sending-paused expects "organization" or "platform", got "${paused}".`);
  }
  const seedText = values.seed;
  if (seedText !== undefined && !/^-?\d+$/.test(seedText.trim())) {
    throw new UsageError(`--seed expects an integer, got "${seedText}".`);
  }
  const options: SandboxOptions = {
    port: num('port', values.port, { int: true, max: 65535 }),
    latencyMs: num('latency', values.latency),
    jitterMs: num('jitter', values.jitter),
    failRate: num('fail-rate', values['fail-rate'], { max: 1 }),
    resetBeforeRate: num('reset-before-rate', values['reset-before-rate'], { max: 1 }),
    resetAfterRate: num('reset-after-rate', values['reset-after-rate'], { max: 1 }),
    slowRate: num('slow-rate', values['slow-rate'], { max: 1 }),
    slowMs: num('slow-ms', values['slow-ms']),
    writeLimit: num('write-limit', values['write-limit'], { int: true }),
    readLimit: num('read-limit', values['read-limit'], { int: true }),
    windowMs: 60_000,
    seed: seedText === undefined ? undefined : Number(seedText),
    sendingPaused: paused ?? false,
    onboardingIncomplete: values['onboarding-incomplete'] ?? false,
  };
  const shares =
    (options.failRate ?? 0) +
    (options.resetBeforeRate ?? 0) +
    (options.resetAfterRate ?? 0) +
    (options.slowRate ?? 0);
  if (shares > 1) throw new UsageError('The fault rates add up to more than 1.');
  return {
    help: values.help ?? false,
    printSeed: values['print-seed'] ?? false,
    quiet: values.quiet ?? false,
    options,
  };
}

function describe(e: SandboxLogEntry): string {
  const status = e.status === 'reset' ? 'RESET' : String(e.status);
  const extras = [
    e.code,
    e.fault !== 'none' ? `fault=${e.fault}` : undefined,
    e.replayed ? 'replayed' : undefined,
    e.projectId,
  ].filter(Boolean);
  return `${e.method} ${e.path} → ${status}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.printSeed) {
    process.stdout.write(`${seedJson()}\n`);
    return 0;
  }

  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      ...parsed.options,
      onRequest: parsed.quiet ? undefined : (e) => process.stderr.write(`${describe(e)}\n`),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Could not start the Sandbox: ${message}\n`);
    return 1;
  }

  process.stdout.write(`BASE_URL=${sandbox.baseUrl}\nAPI_KEY=${sandbox.apiKey}\n`);
  const scoped = SANDBOX_KEYS.filter((k) => k.key !== sandbox.apiKey)
    .map((k) => `  ${k.key}  (${k.label})`)
    .join('\n');
  process.stderr.write(
    `Sandbox listening on ${sandbox.baseUrl}. Nothing leaves this machine.\n` +
      `Keys scoped to one organization:\n${scoped}\n` +
      `Seed ids: broadcast-importer sandbox --print-seed. Stop with Ctrl+C.\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
  process.stderr.write('Sandbox stopped.\n');
  return 0;
}
