/**
 * Deterministic inputs for the benchmarks, written once into bench/.data/ (git-ignored) and reused
 * while their name (rows, seed) matches. Rows are valid for the Sandbox's seed account, with a fixed
 * share of mistakes and warnings spread through the file, so validation takes every kind of path.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import {
  BRAND_PAC,
  BRAND_RIVERA,
  CAMP_PAC_MEMBERS,
  CAMP_RIVERA_FUNDRAISING,
  CAMP_RIVERA_GOTV,
  CL_PAC_DO_NOT_CONTACT,
  CL_PAC_MEMBERS,
  CL_RIVERA_DO_NOT_CONTACT,
  CL_RIVERA_DONORS,
  CL_RIVERA_SUPPORTERS,
  ORG_PAC,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  SEED,
  TD_RIVERA,
  TFV_VERIFIED,
} from '../src/sandbox/seed';
import { createRng } from '../src/sandbox/rng';

export const DATA_DIR = new URL('./.data/', import.meta.url).pathname;

/** 15 columns, friendly headers as people write them. */
export const HEADERS = [
  'Organization ID',
  'Project name',
  'Protocol',
  'Channel',
  'Brand ID',
  'Campaign ID',
  'Toll-free verification ID',
  'Phone Numbers',
  'Contact lists',
  'Message',
  'Link tracking',
  'Destination URL',
  'Tracking domain',
  'Link parameter field',
  'Opt-out footer',
] as const;

type Row = string[];

const rivera = PHONE_NUMBER_IDS.riveraGotv;
const pac = PHONE_NUMBER_IDS.pacMembers;
const tollFree = PHONE_NUMBER_IDS.tollFreeVerified;
const riveraFundraising = PHONE_NUMBER_IDS.riveraFundraising;

/** One row; `kind` picks the shape (valid ones mostly, every 8th and 13th with mistakes). */
function makeRow(i: number, rnd: () => number): Row {
  const name = `Project ${i + 1} ${Math.floor(rnd() * 1e6).toString(36)}`;
  const kind = i % 20;
  const r: Row = new Array<string>(HEADERS.length).fill('');
  const set = (h: (typeof HEADERS)[number], v: string) => (r[HEADERS.indexOf(h)] = v);
  if (kind === 3 || kind === 11) {
    set('Organization ID', ORG_SENATE);
    set('Project name', name);
    set('Protocol', 'sms');
    set('Channel', 'toll-free');
    set('Toll-free verification ID', TFV_VERIFIED);
    set('Phone Numbers', tollFree[i % tollFree.length]!);
    set('Message', `Toll-free update ${i}: reply STOP to opt out.`);
  } else if (kind === 5 || kind === 15) {
    set('Organization ID', ORG_PAC);
    set('Project name', name);
    set('Protocol', 'mms');
    set('Brand ID', BRAND_PAC);
    set('Campaign ID', CAMP_PAC_MEMBERS);
    set('Phone Numbers', `${pac[i % pac.length]!}; ${pac[(i + 1) % pac.length]!}`);
    set('Contact lists', CL_PAC_MEMBERS);
    set('Message', `Members update ${i}, {first_name}.`);
    set('Opt-out footer', 'yes');
  } else {
    set('Organization ID', ORG_SENATE);
    set('Project name', name);
    set('Protocol', i % 2 ? 'SMS' : 'sms');
    set('Channel', '10dlc');
    set('Brand ID', BRAND_RIVERA);
    set('Campaign ID', CAMP_RIVERA_GOTV);
    set('Phone Numbers', `${rivera[i % rivera.length]!}, ${rivera[(i + 3) % rivera.length]!}`);
    set('Contact lists', CL_RIVERA_SUPPORTERS);
    set('Message', `Hi {first_name}, polls close at 8pm. Find your place: {link}`);
    set('Link tracking', 'yes');
    set('Destination URL', `https://example.org/vote?c=${i}&p={phone}`);
    set('Link parameter field', 'phone');
    set('Tracking domain', TD_RIVERA);
    set('Opt-out footer', i % 3 ? 'true' : '');
  }
  // Mistakes and warnings (about a quarter of the rows invalid, some with warnings).
  if (kind === 7) set('Campaign ID', '');
  if (kind === 9) set('Protocol', 'fax');
  if (kind === 13) set('Channel', 'toll-free'); // with its brand and campaign: forbidden
  if (kind === 17) set('Destination URL', 'example.org/no-scheme');
  if (kind === 19) set('Phone Numbers', '+1 555 010 0100');
  if (kind === 1 && i % 40 === 1) set('Project name', `Weekly update ${Math.floor(i / 400)}`); // names repeated on 10 rows
  if (kind === 18) set('Link tracking', 'maybe');
  return r;
}

function fileName(kind: string, rows: number, ext: string): string {
  return join(DATA_DIR, `${kind}-${rows}.${ext}`);
}

/** The rows themselves (header first), for the XLSX writer. */
export function makeRows(rows: number, seed = 20261127): Row[] {
  const rnd = createRng(seed);
  const out: Row[] = [[...HEADERS]];
  for (let i = 0; i < rows; i++) out.push(makeRow(i, rnd));
  return out;
}

/** A CSV of `rows` data rows; written in pieces, so a million rows never sit in memory at once. */
export async function csvFile(rows: number, seed = 20261127): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = fileName(`projects-s${seed}`, rows, 'csv');
  if (existsSync(path)) return path;
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  const rnd = createRng(seed);
  let failed: Error | null = null;
  out.on('error', (e) => (failed = e));
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => {
      if (failed) reject(failed);
      else if (out.write(s)) resolve();
      else out.once('drain', resolve);
    });
  await write(Papa.unparse([[...HEADERS]], { newline: '\r\n' }) + '\r\n');
  const batch = 5000;
  for (let start = 0; start < rows; start += batch) {
    const part: Row[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) part.push(makeRow(i, rnd));
    await write(Papa.unparse(part, { newline: '\r\n' }) + '\r\n');
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  renameSync(tmp, path);
  return path;
}

/** The same rows as an XLSX workbook (every cell a text cell, as the template writes them). */
export function xlsxFile(rows: number, seed = 20261127): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = fileName(`projects-s${seed}`, rows, 'xlsx');
  if (existsSync(path)) return path;
  const ws = XLSX.utils.aoa_to_sheet(makeRows(rows, seed));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Projects');
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  return path;
}

/** Valid rows only (for submitting): every row is created by the Sandbox. */
export function validCsvText(rows: number, seed = 7): string {
  const rnd = createRng(seed);
  const out: Row[] = [[...HEADERS]];
  for (let i = 0; out.length <= rows; i++) {
    const kind = i % 20;
    if ([1, 7, 9, 13, 17, 18, 19].includes(kind)) continue;
    out.push(makeRow(i, rnd));
  }
  return Papa.unparse(out, { newline: '\r\n' });
}

/**
 * The example's twenty rows (with their mistakes) over and over, each name made unique: the file the
 * end-to-end tests open in Chromium (about 181 bytes a row, so a million rows fit the app's 200 MB).
 */
export function exampleCsvFile(rows: number): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = fileName('example', rows, 'csv');
  if (existsSync(path)) return path;
  const text = readFileSync(new URL('../examples/projects.csv', import.meta.url), 'utf8').replace(
    /^\uFEFF/,
    '',
  );
  const [header, ...body] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const parts: string[] = [Papa.unparse([header!], { newline: '\r\n' })];
  const batch = 10_000;
  for (let start = 0; start < rows; start += batch) {
    const out: string[][] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const r = [...body[i % body.length]!];
      r[1] = `${r[1]} #${i + 1}`;
      out.push(r);
    }
    parts.push(Papa.unparse(out, { newline: '\r\n' }));
  }
  writeFileSync(`${path}.tmp`, parts.join('\r\n'));
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * A million rows within the app's 200 MB: the same columns, shorter rows (one number, no link
 * tracking), every tenth row with a mistake and every fiftieth named like nine others.
 */
export async function compactCsvFile(rows: number, seed = 20261127): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = fileName(`compact-s${seed}`, rows, 'csv');
  if (existsSync(path)) return path;
  const rnd = createRng(seed);
  const col = (h: (typeof HEADERS)[number]) => HEADERS.indexOf(h);
  const parts: string[] = [Papa.unparse([[...HEADERS]], { newline: '\r\n' })];
  const batch = 10_000;
  for (let start = 0; start < rows; start += batch) {
    const out: Row[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const r: Row = new Array<string>(HEADERS.length).fill('');
      r[col('Organization ID')] = ORG_SENATE;
      r[col('Project name')] =
        i % 50 === 7 ? `Weekly ${Math.floor(i / 500)}` : `P${i} ${Math.floor(rnd() * 1296).toString(36)}`;
      r[col('Protocol')] = i % 10 === 3 ? 'fax' : 'sms';
      r[col('Brand ID')] = BRAND_RIVERA;
      r[col('Campaign ID')] = CAMP_RIVERA_GOTV;
      r[col('Phone Numbers')] = rivera[i % rivera.length]!;
      r[col('Message')] = `Vote ${i}`;
      out.push(r);
    }
    parts.push(Papa.unparse(out, { newline: '\r\n' }));
  }
  writeFileSync(`${path}.tmp`, parts.join('\r\n'));
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The headers of the names sheet: as people write them. */
export const NAMES_HEADERS = [
  'Organization',
  'Project name',
  'Type',
  'Channel',
  'Brand',
  'Campaign',
  'Toll-free verification',
  'Numbers',
  'Lists',
  'Suppress',
  'Message',
  'Link?',
  'URL',
  'Tracking domain',
] as const;

/** Each reference as its name (as people type it, case and spacing varying) and as its id. */
interface Ref {
  name: string;
  id: string;
}
const ref = (name: string, id: string): Ref => ({ name, id });

/** A seed number as people type it: `(555) 010-0101`. */
function typedNumber(id: string): string {
  const n = SEED.phone_numbers.find((p) => p.id === id)?.number ?? '';
  const d = n.replace(/\D/g, '').slice(1);
  return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
}

/**
 * One row of the names sheet, in its `names` or `ids` form (the same row either way): Rivera GOTV
 * and Fundraising rows, PAC member rows and toll-free rows, with typed numbers, lists of names, and
 * one row in fifty naming a campaign that does not exist (in the ids form: a campaign of another
 * brand), so both forms have the same invalid rows.
 */
function makeNamesRow(i: number, rnd: () => number, form: 'names' | 'ids'): Row {
  const r: Row = new Array<string>(NAMES_HEADERS.length).fill('');
  const set = (h: (typeof NAMES_HEADERS)[number], v: string) => (r[NAMES_HEADERS.indexOf(h)] = v);
  const put = (h: (typeof NAMES_HEADERS)[number], refs: Ref[]) =>
    set(h, refs.map((x) => (form === 'names' ? x.name : x.id)).join(form === 'names' ? '; ' : ', '));
  const number = (id: string) => ref(typedNumber(id), id);
  const kind = i % 10;
  set('Project name', `Project ${i + 1} ${Math.floor(rnd() * 1e6).toString(36)}`);
  set('Type', i % 2 ? 'SMS' : 'sms');
  if (kind === 3) {
    put('Organization', [ref('Rivera for Senate', ORG_SENATE)]);
    set('Channel', 'toll-free');
    put('Toll-free verification', [ref('Rivera toll-free (main)', TFV_VERIFIED)]);
    put('Numbers', [number(tollFree[i % tollFree.length]!)]);
    put('Suppress', [ref('Do not contact (Rivera)', CL_RIVERA_DO_NOT_CONTACT)]);
    set('Message', `Toll-free update ${i}: reply STOP to opt out.`);
  } else if (kind === 5) {
    put('Organization', [ref('Forward Together PAC', ORG_PAC)]);
    set('Channel', '10DLC');
    put('Brand', [ref('forward together pac', BRAND_PAC)]);
    put('Campaign', [ref('PAC Member Updates', CAMP_PAC_MEMBERS)]);
    put('Numbers', [number(pac[i % pac.length]!), number(pac[(i + 1) % pac.length]!)]);
    put('Lists', [ref('PAC members', CL_PAC_MEMBERS)]);
    put('Suppress', [ref('Do not contact (Forward Together)', CL_PAC_DO_NOT_CONTACT)]);
    set('Message', `Members update ${i}, {first_name}.`);
  } else {
    const fundraising = kind === 7;
    put('Organization', [ref(i % 3 ? 'Rivera for Senate' : 'rivera for senate', ORG_SENATE)]);
    set('Channel', '10DLC');
    put('Brand', [ref('Rivera for Senate', BRAND_RIVERA)]);
    const numbers = fundraising ? riveraFundraising : rivera;
    if (i % 50 === 1)
      put('Campaign', [ref('Rivera GOTV 2062', CAMP_RIVERA_FUNDRAISING)]); // a typo, a wrong campaign
    else if (fundraising) put('Campaign', [ref('Rivera Fundraising', CAMP_RIVERA_FUNDRAISING)]);
    else put('Campaign', [ref(i % 4 ? 'Rivera GOTV 2026' : 'rivera gotv 2026', CAMP_RIVERA_GOTV)]);
    put('Numbers', [number(numbers[i % numbers.length]!), number(numbers[(i + 3) % numbers.length]!)]);
    put('Lists', [
      ref('Statewide supporters', CL_RIVERA_SUPPORTERS),
      ...(i % 2 ? [ref('2024 donors', CL_RIVERA_DONORS)] : []),
    ]);
    put('Suppress', [ref('Do not contact (Rivera)', CL_RIVERA_DO_NOT_CONTACT)]);
    set('Message', `Hi {first_name}, polls close at 8pm. Find your place: {link}`);
    set('Link?', 'yes');
    set('URL', `https://example.org/vote?c=${i}`);
    put('Tracking domain', [ref('go.rivera-senate.example', TD_RIVERA)]);
  }
  return r;
}

/** The names sheet (`names`) or the same sheet written with ids (`ids`), `rows` data rows. */
export function namesCsvFile(rows: number, form: 'names' | 'ids', seed = 20261202): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = fileName(`names-${form}-s${seed}`, rows, 'csv');
  if (existsSync(path)) return path;
  const rnd = createRng(seed);
  const parts: string[] = [Papa.unparse([[...NAMES_HEADERS]], { newline: '\r\n' })];
  const batch = 10_000;
  for (let start = 0; start < rows; start += batch) {
    const out: Row[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) out.push(makeNamesRow(i, rnd, form));
    parts.push(Papa.unparse(out, { newline: '\r\n' }));
  }
  writeFileSync(`${path}.tmp`, parts.join('\r\n') + '\r\n');
  renameSync(`${path}.tmp`, path);
  return path;
}
