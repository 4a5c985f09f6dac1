/** Spreadsheets that are valid against the Sandbox's seed account, and small fakes for engine tests. */
import Papa from 'papaparse';
import {
  BRAND_PAC,
  BRAND_RIVERA,
  CAMP_PAC_MEMBERS,
  CAMP_RIVERA_GOTV,
  CL_PAC_MEMBERS,
  CL_RIVERA_SUPPORTERS,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  TD_RIVERA,
  TFV_VERIFIED,
} from '../../../src/sandbox/seed';
import { createRng } from '../../../src/sandbox/rng';
import { readSubmission } from '../../../src/engine/input';

/** A seeded PRNG (mulberry32) for test schedules. */
export const rng = createRng;

export const HEADERS = [
  'organization_id',
  'name',
  'protocol',
  'channel',
  'brand_id',
  'campaign_id',
  'toll_free_verification_id',
  'phone_number_ids',
  'contact_list_ids',
  'message_text',
  'link_tracking_enabled',
  'link_tracking_destination_url',
  'link_tracking_domain_id',
] as const;

export type Cells = Partial<Record<(typeof HEADERS)[number], string>>;

export function tenDlcRow(name: string, extra: Cells = {}): Cells {
  return {
    organization_id: ORG_SENATE,
    name,
    protocol: 'sms',
    brand_id: BRAND_RIVERA,
    campaign_id: CAMP_RIVERA_GOTV,
    phone_number_ids: `${PHONE_NUMBER_IDS.riveraGotv[0]}, ${PHONE_NUMBER_IDS.riveraGotv[1]}`,
    contact_list_ids: CL_RIVERA_SUPPORTERS,
    message_text: `Hi {first_name}, this is ${name}. Polls close at 8pm.`,
    ...extra,
  };
}

export function pacRow(name: string, extra: Cells = {}): Cells {
  return {
    organization_id: ORG_PAC,
    name,
    protocol: 'sms',
    brand_id: BRAND_PAC,
    campaign_id: CAMP_PAC_MEMBERS,
    phone_number_ids: PHONE_NUMBER_IDS.pacMembers[0],
    contact_list_ids: CL_PAC_MEMBERS,
    message_text: `Members update: ${name}`,
    ...extra,
  };
}

export function tollFreeRow(name: string, extra: Cells = {}): Cells {
  return {
    organization_id: ORG_SENATE,
    name,
    protocol: 'sms',
    channel: 'toll-free',
    toll_free_verification_id: TFV_VERIFIED,
    phone_number_ids: PHONE_NUMBER_IDS.tollFreeVerified[0],
    message_text: `Toll-free: ${name}`,
    ...extra,
  };
}

export function trackedRow(name: string): Cells {
  return tenDlcRow(name, {
    message_text: `Vote today {link}`,
    link_tracking_enabled: 'yes',
    link_tracking_destination_url: 'https://rivera-senate.example/vote',
    link_tracking_domain_id: TD_RIVERA,
  });
}

/** A row the validator refuses (no message). */
export function invalidRow(name: string): Cells {
  return tenDlcRow(name, { message_text: '' });
}

export function csv(rows: Cells[]): Uint8Array {
  const text = Papa.unparse({ fields: [...HEADERS], data: rows.map((r) => HEADERS.map((h) => r[h] ?? '')) });
  return new TextEncoder().encode(text + '\n');
}

/** N valid 10DLC rows named `${prefix} 1..N`. */
export function validRows(n: number, prefix = 'Project'): Cells[] {
  return Array.from({ length: n }, (_, i) => tenDlcRow(`${prefix} ${i + 1}`));
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The CLI's file adapter on bytes, with the command line's wording: what `createRun` takes. */
export function fromFile(
  bytes: Uint8Array,
  fileName = 'projects.csv',
  options: { defaultOrganizationId?: string } = {},
) {
  const f = readSubmission({ bytes, fileName }, options);
  return {
    submission: f.submission,
    inputHash: f.inputHash,
    headerRow: f.headerRow,
    fileWarnings: f.fileWarnings,
    audience: 'cli' as const,
  };
}
