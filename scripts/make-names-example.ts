/**
 * Writes examples/projects-names.csv: 150 projects for the Sandbox account written the way people
 * keep them in a spreadsheet — friendly headers, names instead of ids, phone numbers formatted for
 * people, a Notes column, a few blank lines, and four genuine mistakes:
 *
 * - row 32: the campaign typed "Rivera GOTV 2062" (suggested: Rivera GOTV 2026);
 * - row 96: the brand typed "Forward Together Action Fnd" (suggested: Forward Together Action Fund);
 * - rows 125 and 126: "Action Fund Phone Bank", the name of two campaigns of that brand (pick one);
 * - row 130: no message.
 *
 * Lines 31, 93 and 94 are blank.
 *
 *   npx tsx scripts/make-names-example.ts
 *
 * The findings, and every row created once they are fixed, are asserted through `submit` by
 * test/integration/names-example.test.ts, and in the app by test/e2e/names.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Papa from 'papaparse';

export const NAMES_HEADERS = [
  'Organization',
  'Project',
  'Type',
  'Brand',
  'Campaign',
  'Numbers',
  'Lists',
  'Suppress',
  'Message',
  'Link?',
  'URL',
  'Tracking domain',
  'Notes',
] as const;

type Row = Partial<Record<(typeof NAMES_HEADERS)[number], string>>;

/** (555) 010-0100 … as people write them, in a few common spellings. */
const spell = (n: number, style: number): string => {
  const last = String(n).padStart(4, '0');
  switch (style % 4) {
    case 0:
      return `(555) 010-${last}`;
    case 1:
      return `+1 555-010-${last}`;
    case 2:
      return `555010${last}`;
    default:
      return `1-555-010-${last}`;
  }
};

const PRECINCTS = 60;

function rows(): Array<Row | null> {
  const out: Array<Row | null> = [];
  // Rivera GOTV: 60 precinct reminders (a blank line after the 29th).
  for (let i = 0; i < PRECINCTS; i++) {
    const n = i + 1;
    out.push({
      Organization: i % 3 === 0 ? 'Rivera for Senate' : 'rivera for senate',
      Project: `GOTV — Precinct ${n} reminder`,
      Type: 'SMS',
      Brand: 'Rivera for Senate',
      // The 30th (row 32): a typo in the campaign's name.
      Campaign: n === 30 ? 'Rivera GOTV 2062' : 'Rivera GOTV 2026',
      Numbers: `${spell(100 + (i % 10), i)}, ${spell(100 + ((i + 1) % 10), i + 1)}`,
      Lists: 'Statewide supporters',
      Suppress: 'Do not contact (Rivera)',
      Message: `Hi {first_name}, polls in precinct ${n} are open until 8pm today. Find your polling place: {link}`,
      'Link?': 'yes',
      URL: `https://rivera-senate.example/vote?precinct=${n}`,
      'Tracking domain': 'go.rivera-senate.example',
      Notes: i % 7 === 0 ? 'Check turnout numbers first' : '',
    });
    if (n === 29) out.push(null);
  }
  // Rivera fundraising: 30 asks.
  for (let i = 0; i < 30; i++) {
    out.push({
      Organization: 'Rivera for Senate',
      Project: `Fundraising ask ${i + 1}`,
      Type: 'sms',
      Brand: 'Rivera for Senate',
      Campaign: 'Rivera Fundraising',
      Numbers: spell(110 + (i % 10), i + 2),
      Lists: i % 2 === 0 ? '2024 donors; 2025 donors' : 'Event RSVPs',
      Suppress: 'Do not contact (Rivera)',
      Message: 'Every dollar counts, {first_name}. Chip in before midnight: {link}',
      'Link?': 'Yes',
      URL: 'https://rivera-senate.example/donate',
      'Tracking domain': 'https://go.rivera-senate.example/',
      Notes: '',
    });
  }
  out.push(null, null);
  // Forward Together Action Fund: 30 advocacy alerts; the second (row 96) has a typo in the brand.
  for (let i = 0; i < 30; i++) {
    out.push({
      Organization: 'Forward Together PAC',
      Project: `Advocacy alert ${i + 1}`,
      Type: 'sms',
      Brand: i === 1 ? 'Forward Together Action Fnd' : 'Forward Together Action Fund',
      Campaign: 'Action Fund Advocacy',
      Numbers: `${spell(130 + (i % 10), i + 3)}`,
      Lists: i % 3 === 0 ? 'Action Fund volunteers; Volunteers' : 'Action Fund volunteers',
      Suppress: 'Do not contact (Forward Together)',
      Message: 'Call your representative today, {first_name}: {link}',
      'Link?': 'yes',
      URL: 'https://forwardtogether.example/act',
      'Tracking domain': 'act.forwardtogether.example',
      Notes: i === 0 ? 'Legal approved the wording' : '',
    });
  }
  // Phone bank (rows 125, 126): two campaigns of the brand have this name.
  for (let i = 0; i < 2; i++) {
    out.push({
      Organization: 'Forward Together PAC',
      Project: `Phone bank shift ${i + 1}`,
      Type: 'sms',
      Brand: 'Forward Together Action Fund',
      Campaign: 'Action Fund Phone Bank',
      Numbers: `${spell(143 + i, i)}`,
      Lists: 'Action Fund volunteers',
      Suppress: '',
      Message: 'Can you take a phone bank shift this week, {first_name}? Reply YES.',
      'Link?': 'no',
      Notes: 'Second round of calls',
    });
  }
  // PAC member updates: 28 (the fourth, row 130, has no message).
  for (let i = 0; i < 28; i++) {
    out.push({
      Organization: 'Forward Together PAC',
      Project: `Member update ${i + 1}`,
      Type: 'SMS',
      Brand: 'Forward Together PAC',
      Campaign: 'PAC Member Updates',
      Numbers: `${spell(120 + (i % 10), i)}; ${spell(120 + ((i + 5) % 10), i + 1)}`,
      Lists: i % 4 === 0 ? 'PAC members, Volunteers' : 'PAC members',
      Suppress: 'Do not contact (Forward Together)',
      Message: i === 3 ? '' : `Member update ${i + 1}: the board meets Thursday. Details: {link}`,
      'Link?': 'yes',
      URL: 'https://forwardtogether.example/members',
      'Tracking domain': 'link.forwardtogether.example',
      Notes: '',
    });
  }
  return out;
}

/** The header and every line (a blank line is a row of empty cells). */
export function namesExampleGrid(): string[][] {
  return [[...NAMES_HEADERS], ...rows().map((r) => NAMES_HEADERS.map((h) => (r ? (r[h] ?? '') : '')))];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');
  mkdirSync(dir, { recursive: true });
  const grid = namesExampleGrid();
  writeFileSync(join(dir, 'projects-names.csv'), '\ufeff' + Papa.unparse(grid, { newline: '\r\n' }) + '\r\n');
  console.log(`Wrote ${grid.length - 1} lines to examples/projects-names.csv`);
}
