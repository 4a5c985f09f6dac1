/**
 * `template OUT.xlsx|OUT.csv`: write a template spreadsheet with every column and example rows.
 * `template --account [--base-url URL] OUT.xlsx`: the template with this account's names on a Lookup
 * sheet and dropdowns on the reference columns (the key from POLITICAL_COMMS_API_KEY, as `submit`).
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { PoliticalCommsClient, PoliticalCommsError } from '@political-comms/sdk';
import { buildTemplate } from '../shared/template';
import { parseBaseUrlOption, readApiKeyFromEnv } from './args';
import { buildAccountTemplate, LOOKUP_SHEET } from '../shared/template/account';
import {
  organizationDataFromApi,
  organizationsFromApi,
  type OrganizationLists,
} from '../shared/account/from-api';
import type { AccountSnapshot } from '../shared/account/snapshot';
import { PRODUCTION_BASE_URL } from '../engine/api';

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

/** Why the account could not be read at all. */
export class AccountFetchError extends Error {
  override name = 'AccountFetchError';
}

function describe(e: unknown): { status: number; code: string; message: string } {
  if (e instanceof PoliticalCommsError) {
    return { status: e.statusCode, code: e.code || `HTTP_${e.statusCode}`, message: e.message };
  }
  return { status: 0, code: 'NETWORK', message: (e as Error)?.message ?? String(e) };
}

/**
 * The account's reference data through the official SDK: the organizations the key reaches, then
 * each organization's lists. A list that cannot be read is left out and named in `unavailable`; a
 * refused key or an unreachable API is an `AccountFetchError`.
 */
export async function fetchAccountSnapshot(
  client: PoliticalCommsClient,
  source: string,
  now: () => number = Date.now,
): Promise<AccountSnapshot> {
  let organizations;
  try {
    organizations = organizationsFromApi((await client.listOrganizations()).data);
  } catch (e) {
    const d = describe(e);
    if (d.status === 401) {
      throw new AccountFetchError(
        'The API key was refused (401). Check POLITICAL_COMMS_API_KEY (the dashboard: Admin > API).',
      );
    }
    if (d.status === 0 || d.status >= 500) {
      throw new AccountFetchError(`Could not reach the API at ${source}: ${d.message}`);
    }
    throw new AccountFetchError(
      `Could not list the organizations of this API key (${d.code}: ${d.message}).`,
    );
  }
  const unavailable: AccountSnapshot['unavailable'] = [];
  const byOrganization: AccountSnapshot['byOrganization'] = {};
  for (const org of organizations) {
    const lists: OrganizationLists = {};
    let denied = false;
    const read = async <K extends keyof OrganizationLists>(
      key: K,
      what: string,
      fn: () => Promise<{ data: NonNullable<OrganizationLists[K]> }>,
    ) => {
      if (denied) return;
      try {
        const answer = await fn();
        lists[key] = (Array.isArray(answer.data) ? answer.data : []) as OrganizationLists[K];
      } catch (e) {
        const d = describe(e);
        if (d.code === 'ORG_ACCESS_DENIED') denied = true;
        // The media list is optional: an API without it leaves the media column without a dropdown.
        else if (key !== 'media' || (d.status !== 404 && d.status !== 405)) {
          unavailable.push({
            code: d.code,
            message: `Could not read the ${what} of ${org.name} (${d.code}: ${d.message}); that column has no dropdown.`,
          });
        }
      }
    };
    const q = { organization_id: org.id };
    await read('brands', 'brands', () => client.listBrands(q));
    await read('campaigns', 'campaigns', () => client.listCampaigns(q));
    await read('phoneNumbers', 'phone numbers', () => client.listPhoneNumbers(q));
    await read('verifications', 'toll-free verifications', () => client.listTollFreeVerifications(q));
    await read('trackingDomains', 'tracking domains', () => client.listTrackingDomains(q));
    await read('contactLists', 'contact lists', () => client.listContactLists(q));
    await read('media', 'media', () => client.listMedia(q));
    byOrganization[org.id] = denied ? { denied: true } : organizationDataFromApi(lists);
  }
  return { source, fetchedAt: now(), organizations, byOrganization, unavailable };
}

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
    const baseUrl = parseBaseUrlOption(values['base-url'] ?? PRODUCTION_BASE_URL);
    if (baseUrl === null) return 2;
    const apiKey = readApiKeyFromEnv();
    if (apiKey === null) return 2;
    let snapshot: AccountSnapshot;
    try {
      snapshot = await fetchAccountSnapshot(new PoliticalCommsClient({ apiKey, baseUrl }), baseUrl);
    } catch (e) {
      if (!(e instanceof AccountFetchError)) throw e;
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    for (const u of snapshot.unavailable) process.stderr.write(`warning: ${u.message}\n`);
    bytes = buildAccountTemplate(snapshot);
    const count = snapshot.organizations?.length ?? 0;
    process.stderr.write(
      `Read ${count} organization${count === 1 ? '' : 's'} from ${baseUrl}; their names are on the "${LOOKUP_SHEET}" sheet.\n`,
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
