/**
 * Writes examples/projects.csv and examples/projects.xlsx: twenty realistic rows for the Sandbox
 * account, with a few deliberate mistakes so a first run shows what the importer catches.
 *
 *   npx tsx scripts/make-examples.ts
 *
 * The expected findings are asserted by test/integration/examples.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as XLSX from 'xlsx';
import Papa from 'papaparse';
import {
  BRAND_ACTION_FUND,
  BRAND_PAC,
  BRAND_RIVERA,
  CAMP_ACTION_ADVOCACY,
  CAMP_PAC_MEMBERS,
  CAMP_RIVERA_FUNDRAISING,
  CAMP_RIVERA_GOTV,
  CL_ACTION_VOLUNTEERS,
  CL_PAC_DO_NOT_CONTACT,
  CL_PAC_MEMBERS,
  CL_RIVERA_DO_NOT_CONTACT,
  CL_RIVERA_DONORS,
  CL_RIVERA_SUPPORTERS,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS as PN,
  TD_ACTION_FUND,
  TD_PAC,
  TD_RIVERA,
  TFV_REJECTED,
  TFV_VERIFIED,
} from '../src/sandbox/seed';

export const EXAMPLE_HEADERS = [
  'Organization ID',
  'Project name',
  'Protocol',
  'Channel',
  'Brand ID',
  'Campaign ID',
  'Toll-free verification ID',
  'Phone Numbers',
  'Contact lists',
  'Suppression lists',
  'Message',
  'Link tracking',
  'Destination URL',
  'Tracking domain',
  'Link parameter field',
  'Opt-out footer',
  'Notes',
] as const;

type Row = Partial<Record<(typeof EXAMPLE_HEADERS)[number], string>>;

const gotv = (n: number) => PN.riveraGotv.slice(0, n).join(', ');
const fund = (n: number) => PN.riveraFundraising.slice(0, n).join(', ');
const pac = (n: number) => PN.pacMembers.slice(0, n).join('; ');
const act = (n: number) => PN.actionAdvocacy.slice(0, n).join('\n');

const rivera = { 'Organization ID': ORG_SENATE, 'Brand ID': BRAND_RIVERA };
const pacOrg = { 'Organization ID': ORG_PAC, 'Brand ID': BRAND_PAC, 'Campaign ID': CAMP_PAC_MEMBERS };
const actionOrg = {
  'Organization ID': ORG_PAC,
  'Brand ID': BRAND_ACTION_FUND,
  'Campaign ID': CAMP_ACTION_ADVOCACY,
};

export const EXAMPLE_ROWS: Row[] = [
  // row 2
  {
    ...rivera,
    'Project name': 'GOTV — Precinct 12 reminder',
    Protocol: 'SMS',
    Channel: '10DLC',
    'Campaign ID': CAMP_RIVERA_GOTV,
    'Phone Numbers': gotv(3),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    'Suppression lists': CL_RIVERA_DO_NOT_CONTACT,
    Message: 'Hi {first_name}, polls are open until 8pm today. Find your polling place: {link}',
    'Link tracking': 'yes',
    'Destination URL': 'https://rivera-senate.example/vote?utm_source=sms',
    'Tracking domain': TD_RIVERA,
  },
  // row 3
  {
    ...rivera,
    'Project name': 'GOTV — Precinct 14 reminder',
    Protocol: 'sms',
    'Campaign ID': CAMP_RIVERA_GOTV,
    'Phone Numbers': gotv(3),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'Hi {first_name}, polls are open until 8pm today. Find your polling place: {link}',
    'Link tracking': 'yes',
    'Destination URL': 'https://rivera-senate.example/vote?precinct=14',
    'Tracking domain': TD_RIVERA,
  },
  // row 4: mistake — a 10DLC row without its campaign
  {
    ...rivera,
    'Project name': 'Volunteer shift reminder',
    Protocol: 'sms',
    'Phone Numbers': gotv(2),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'Thanks for signing up to knock doors Saturday, {first_name}! Reply YES to confirm.',
    Notes: 'campaign id missing',
  },
  // row 5
  {
    ...rivera,
    'Project name': 'End-of-quarter fundraising ask',
    Protocol: 'sms',
    'Campaign ID': CAMP_RIVERA_FUNDRAISING,
    'Phone Numbers': fund(5),
    'Contact lists': CL_RIVERA_DONORS,
    Message: 'Midnight is our FEC deadline, {first_name}. Can you chip in $10? {link}',
    'Link tracking': 'yes',
    'Destination URL': 'https://rivera-senate.example/donate?ref={donor_id}',
    'Tracking domain': TD_RIVERA,
    'Link parameter field': 'donor_id',
  },
  // row 6: mistake — toll-free with a brand filled in
  {
    'Organization ID': ORG_SENATE,
    'Project name': 'Early vote reminder (toll-free)',
    Protocol: 'sms',
    Channel: 'toll free',
    'Brand ID': BRAND_RIVERA,
    'Toll-free verification ID': TFV_VERIFIED,
    'Phone Numbers': PN.tollFreeVerified.slice(0, 2).join(', '),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'Early voting starts Monday, {first_name}. Make a plan to vote!',
    'Opt-out footer': 'yes',
  },
  // row 7
  {
    'Organization ID': ORG_SENATE,
    'Project name': 'Debate watch party (toll-free)',
    Protocol: 'sms',
    Channel: 'toll-free',
    'Toll-free verification ID': TFV_VERIFIED,
    'Phone Numbers': PN.tollFreeVerified.slice(2, 6).join(', '),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'Join us Thursday at 7pm to watch the debate together, {first_name}.',
  },
  // row 8: mistake — an unreadable protocol
  {
    ...rivera,
    'Project name': 'Rally photo follow-up',
    Protocol: 'picture',
    'Campaign ID': CAMP_RIVERA_GOTV,
    'Phone Numbers': gotv(4),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'Thanks for coming to the rally, {first_name}! Here is a photo from the stage.',
  },
  // row 9
  {
    ...rivera,
    'Project name': 'Donor thank-you',
    Protocol: 'sms',
    'Campaign ID': CAMP_RIVERA_FUNDRAISING,
    'Phone Numbers': fund(2),
    'Contact lists': CL_RIVERA_DONORS,
    Message: 'Thank you for your gift, {first_name}. It means the world to our team.',
    'Opt-out footer': 'no',
  },
  // row 10: mistake — the same number listed twice
  {
    ...pacOrg,
    'Project name': 'Member dues reminder',
    Protocol: 'sms',
    'Phone Numbers': `${PN.pacMembers[0]}; ${PN.pacMembers[1]}; ${PN.pacMembers[0]}`,
    'Contact lists': CL_PAC_MEMBERS,
    'Suppression lists': CL_PAC_DO_NOT_CONTACT,
    Message: 'Hi {first_name}, your annual membership renews this month.',
  },
  // row 11
  {
    ...pacOrg,
    'Project name': 'Town hall invite',
    Protocol: 'mms',
    'Phone Numbers': pac(3),
    'Contact lists': CL_PAC_MEMBERS,
    Message: 'Join our member town hall on Thursday at 7pm, {first_name}!',
  },
  // row 12: mistake — link tracking on, but no tracking domain
  {
    ...pacOrg,
    'Project name': 'Candidate survey',
    Protocol: 'sms',
    'Phone Numbers': pac(2),
    'Contact lists': CL_PAC_MEMBERS,
    Message: 'Tell us which races matter most to you this fall: {link}',
    'Link tracking': 'yes',
    'Destination URL': 'https://forwardtogether.example/survey',
  },
  // row 13
  {
    ...pacOrg,
    'Project name': 'Endorsement announcement',
    Protocol: 'sms',
    'Phone Numbers': pac(4),
    'Contact lists': CL_PAC_MEMBERS,
    Message: 'Big news, {first_name}: our members voted to endorse. Read more: {link}',
    'Link tracking': 'yes',
    'Destination URL': 'https://forwardtogether.example/endorsements',
    'Tracking domain': TD_PAC,
  },
  // row 14: warning — the same name as row 13 in the same organization
  {
    ...pacOrg,
    'Project name': 'Endorsement announcement',
    Protocol: 'sms',
    'Phone Numbers': pac(2),
    'Contact lists': CL_PAC_MEMBERS,
    Message: 'Reminder, {first_name}: see who we endorsed this year.',
  },
  // row 15
  {
    ...actionOrg,
    'Project name': 'Call your senator',
    Protocol: 'sms',
    'Phone Numbers': act(3),
    'Contact lists': CL_ACTION_VOLUNTEERS,
    Message: 'The vote is tomorrow, {first_name}. Call your senator now: {link}',
    'Link tracking': 'yes',
    'Destination URL': 'https://act.forwardtogether.example/call',
    'Tracking domain': TD_ACTION_FUND,
  },
  // row 16: warning — tracking on, but the message has no {link}
  {
    ...actionOrg,
    'Project name': 'Petition push',
    Protocol: 'sms',
    'Phone Numbers': act(2),
    'Contact lists': CL_ACTION_VOLUNTEERS,
    Message: 'Add your name to the clean water petition today, {first_name}.',
    'Link tracking': 'yes',
    'Destination URL': 'https://act.forwardtogether.example/petition',
    'Tracking domain': TD_ACTION_FUND,
  },
  // row 17
  {
    ...actionOrg,
    'Project name': 'Volunteer training invite',
    Protocol: 'sms',
    'Phone Numbers': act(4),
    Message: 'Our next volunteer training is Saturday at 10am, {first_name}. Want in?',
  },
  // row 18: passes the schema, caught by the pre-flight — numbers of another campaign
  {
    ...rivera,
    'Project name': 'Phone bank recruitment',
    Protocol: 'sms',
    'Campaign ID': CAMP_RIVERA_GOTV,
    'Phone Numbers': fund(2),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'We need callers this week, {first_name}. Can you join a phone bank?',
    Notes: 'numbers belong to the fundraising campaign',
  },
  // row 19: passes the schema, caught by the pre-flight — a rejected toll-free verification
  {
    'Organization ID': ORG_SENATE,
    'Project name': 'Absentee ballot reminder (toll-free)',
    Protocol: 'sms',
    Channel: 'toll-free',
    'Toll-free verification ID': TFV_REJECTED,
    'Phone Numbers': PN.tollFreeRejected.slice(0, 2).join(', '),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'Your absentee ballot must be postmarked by Tuesday, {first_name}.',
  },
  // row 20
  {
    ...rivera,
    'Project name': 'Election night party',
    Protocol: 'sms',
    'Campaign ID': CAMP_RIVERA_GOTV,
    'Phone Numbers': gotv(10),
    'Contact lists': `${CL_RIVERA_SUPPORTERS}, ${CL_RIVERA_DONORS}`,
    Message: 'Join us on election night at the Union Hall, {first_name}. Doors at 7pm.',
  },
  // row 21
  {
    ...rivera,
    'Project name': 'Thank you voters',
    Protocol: 'sms',
    'Campaign ID': CAMP_RIVERA_GOTV,
    'Phone Numbers': gotv(6),
    'Contact lists': CL_RIVERA_SUPPORTERS,
    Message: 'Thank you for voting, {first_name}. We did this together.',
  },
];

export function exampleGrid(): string[][] {
  return [[...EXAMPLE_HEADERS], ...EXAMPLE_ROWS.map((r) => EXAMPLE_HEADERS.map((h) => r[h] ?? ''))];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');
  mkdirSync(dir, { recursive: true });
  const grid = exampleGrid();
  // A byte-order mark so Excel opens the UTF-8 file with its dashes intact.
  writeFileSync(join(dir, 'projects.csv'), '\ufeff' + Papa.unparse(grid, { newline: '\r\n' }) + '\r\n');
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet(grid);
  ws['!cols'] = EXAMPLE_HEADERS.map((h) => ({ wch: h === 'Message' ? 60 : Math.max(14, h.length + 2) }));
  XLSX.utils.book_append_sheet(wb, ws, 'Projects');
  const about = XLSX.utils.aoa_to_sheet([
    ['About this file'],
    [
      'Example projects for the Sandbox account. A few rows hold deliberate mistakes; open it in Broadcast Importer to see them.',
    ],
  ]);
  XLSX.utils.book_append_sheet(wb, about, 'About');
  writeFileSync(
    join(dir, 'projects.xlsx'),
    XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }),
  );
  console.log(`Wrote ${grid.length - 1} rows to examples/projects.csv and examples/projects.xlsx`);
}
