/**
 * Differential test: the shared row validator (the importer's schema) against the Sandbox (an
 * independent reading of the API notes). Generated rows, biased to the edges, go through both; the test
 * fails on any row one accepts and the other refuses, and prints the row.
 *
 * The validator knows syntax, not the account, so rows are kept account-consistent: every id comes from
 * one scenario (a 10DLC campaign or a toll-free verification, with that organization's lists and
 * domains). The Sandbox runs with extra numbers in every campaign and verification so that 49 and 50
 * ids are reachable.
 *
 * A row the validator accepts is sent as its payload; a row it refuses is sent as the closest body the
 * raw row implies (cells trimmed, lists split, booleans read, unreadable cells sent as they are, link
 * fields only when link tracking is on, as the importer sends them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BRAND_RIVERA,
  CAMP_RIVERA_GOTV,
  CL_ACTION_VOLUNTEERS,
  CL_PAC_DO_NOT_CONTACT,
  CL_PAC_MEMBERS,
  CL_RIVERA_DO_NOT_CONTACT,
  CL_RIVERA_DONORS,
  CL_RIVERA_SUPPORTERS,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  SEED,
  TD_ACTION_FUND,
  TD_PAC,
  TD_RIVERA,
  seedAccount,
  startSandbox,
  type RunningSandbox,
  type SeedAccount,
} from '../../src/sandbox';
import { validateRow } from '../../src/shared/validate';
import type { FieldName, RawRow } from '../../src/shared/schema/fields';
import { parseBoolean, parseChannel, parseList, parseProtocol } from '../../src/shared/mapping/cells';

/** DIFF_RUNS and DIFF_SEED widen or vary a local search; the suite runs the fixed default. */
const RUNS = Number(process.env.DIFF_RUNS ?? 1_200);
const SEED_FC = Number(process.env.DIFF_SEED ?? 20260117);
const EXTRA_NUMBERS = 50;

interface Scenario {
  org: string;
  channel: '10dlc' | 'toll-free';
  brand?: string;
  campaign?: string;
  tfv?: string;
  numbers: string[];
  lists: string[];
  domains: string[];
  /** A brand/campaign/verification id of the other channel, for the "forbidden field" edge. */
  foreign: string;
}

/** The seed, plus EXTRA_NUMBERS more numbers in every campaign and verification. */
function diffAccount(): SeedAccount {
  const acc = seedAccount();
  const extra = [];
  for (const c of acc.campaigns) {
    const model = acc.phone_numbers.find((p) => p.campaign_id === c.id)!;
    for (let i = 0; i < EXTRA_NUMBERS; i++)
      extra.push({ ...model, id: `pn_diff_${c.id}_${i}`, number: undefined });
  }
  for (const v of acc.toll_free_verifications) {
    const model = acc.phone_numbers.find((p) => p.toll_free_verification_id === v.id)!;
    for (let i = 0; i < EXTRA_NUMBERS; i++)
      extra.push({ ...model, id: `pn_diff_${v.id}_${i}`, number: undefined });
  }
  acc.phone_numbers.push(...extra);
  return acc;
}

function scenarios(acc: SeedAccount): Scenario[] {
  const lists = (org: string) =>
    org === ORG_SENATE
      ? [CL_RIVERA_SUPPORTERS, CL_RIVERA_DONORS, CL_RIVERA_DO_NOT_CONTACT]
      : [CL_PAC_MEMBERS, CL_ACTION_VOLUNTEERS, CL_PAC_DO_NOT_CONTACT];
  const domains = (org: string) => (org === ORG_SENATE ? [TD_RIVERA] : [TD_PAC, TD_ACTION_FUND]);
  const out: Scenario[] = [];
  for (const c of acc.campaigns) {
    const org = c.org_id as string;
    out.push({
      org,
      channel: '10dlc',
      brand: c.brand_id as string,
      campaign: c.id as string,
      numbers: acc.phone_numbers.filter((p) => p.campaign_id === c.id).map((p) => p.id as string),
      lists: lists(org),
      domains: domains(org),
      foreign: SEED.toll_free_verifications[0]!.id as string,
    });
  }
  for (const v of acc.toll_free_verifications) {
    const org = v.org_id as string;
    out.push({
      org,
      channel: 'toll-free',
      tfv: v.id as string,
      numbers: acc.phone_numbers
        .filter((p) => p.toll_free_verification_id === v.id)
        .map((p) => p.id as string),
      lists: lists(org),
      domains: domains(org),
      foreign: SEED.brands[0]!.id as string,
    });
  }
  return out;
}

// ---- generators -------------------------------------------------------------------------------------
//
// A row starts valid (for its scenario) and then 0 to 3 of its fields are replaced by an edge value:
// empty, blank, forbidden, out of range, malformed. About a quarter of the rows stay valid.

const ABSENT = undefined;
type Cell = string | undefined;
const blank = fc.constantFrom<Cell>(ABSENT, '', '  ');
const separator = fc.constantFrom(', ', ',', ';', '\n', ' ', ' , ');

/** A list cell of distinct ids from the pool: separated in any accepted way, or a JSON array. */
function listCell(pool: readonly string[], minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.shuffledSubarray([...pool], { minLength, maxLength }), separator, fc.boolean(), fc.boolean())
    .map(([ids, sep, json, pad]) => {
      if (json && ids.length > 0) return JSON.stringify(ids);
      const text = ids.join(sep);
      return pad ? ` ${text} ` : text;
    });
}

type PhoneCells = Pick<RawRow, 'phone_number_ids' | 'phone_number_id'>;

/** phone_number_ids / phone_number_id for n numbers, in the ways a sheet can hold them. */
function phoneCells(
  pool: readonly string[],
  count: fc.Arbitrary<number>,
  forms: string[],
): fc.Arbitrary<PhoneCells> {
  return fc.tuple(count, fc.constantFrom(...forms)).chain(([n, form]) =>
    listCell(pool, n, n).map((ids): PhoneCells => {
      const parsed = parseList(ids);
      const [first, second] = parsed.ok ? parsed.value : [];
      switch (form) {
        case 'single':
          return n === 1 && first ? { phone_number_id: first } : { phone_number_ids: ids };
        case 'list-and-empty-single':
          return { phone_number_ids: ids, phone_number_id: '' };
        case 'both':
          return { phone_number_ids: ids, phone_number_id: first ?? pool[0] };
        case 'single-of-two':
          return first && second ? { phone_number_id: `${first}, ${second}` } : { phone_number_ids: ids };
        default:
          return { phone_number_ids: ids };
      }
    }),
  );
}

const PARAMS = ['phone', 'custom_url', 'linkid'];
const DESTINATIONS = [
  'https://rivera.example/donate',
  ' https://rivera.example/donate ',
  'https://rivera.example/vote?ref={linkid}',
  'https://rivera.example/vote?ref={custom_url}',
  'https://rivera.example/vote?p={phone}',
  'https://{custom_url}',
  'https://{linkid}',
  'https://{phone}',
  'https://{}',
  'https://rivera.example/{}',
  'https://rivera.example/{linkid}/{linkid}',
  'https://rivera.example/{linkid}/{phone}',
  'http://{linkid}',
  'https://{custom_url}/',
  'HTTPS://{custom_url}',
  'http://rivera.example/plain',
  'https://rivera.example/a b',
  'rivera.example/donate',
  'ftp://rivera.example/file',
  'https://',
];
const FALLBACKS = [
  'https://rivera.example/fallback',
  'http://rivera.example/fallback',
  'not a url',
  'https://rivera.example/{custom_url}',
];
const ON = fc.constantFrom('yes', 'true', 'TRUE', '1', 'Y');
const OFF = fc.constantFrom<Cell>(ABSENT, '', 'no', 'false', '0', 'N');

type LinkCells = Pick<
  RawRow,
  | 'link_tracking_enabled'
  | 'link_tracking_destination_url'
  | 'link_tracking_domain_id'
  | 'link_tracking_param_field'
  | 'link_tracking_fallback_url'
>;

/** A valid link-tracking group: off (other cells anything), plain, a matching placeholder, or the whole-URL mode. */
function linkCells(sc: Scenario): fc.Arbitrary<LinkCells> {
  const domain = fc.constantFrom(...sc.domains);
  const anything = (values: string[]) => fc.oneof(blank, fc.constantFrom(...values));
  return fc.oneof(
    fc.record({
      link_tracking_enabled: OFF,
      link_tracking_destination_url: anything(DESTINATIONS),
      link_tracking_domain_id: anything(sc.domains),
      link_tracking_param_field: anything(PARAMS),
      link_tracking_fallback_url: anything(FALLBACKS),
    }),
    fc.record({
      link_tracking_enabled: ON,
      link_tracking_destination_url: fc.constantFrom(
        'https://rivera.example/donate',
        ' http://rivera.example/plain ',
      ),
      link_tracking_domain_id: domain,
      link_tracking_param_field: fc.oneof(blank, fc.constantFrom(...PARAMS, ' linkid ', 'f'.repeat(64))),
      link_tracking_fallback_url: blank,
    }),
    fc.constantFrom(...PARAMS).chain((p) =>
      fc.record({
        link_tracking_enabled: ON,
        link_tracking_destination_url: fc.constantFrom(
          `https://rivera.example/vote?ref={${p}}`,
          `http://{${p}}`,
        ),
        link_tracking_domain_id: domain,
        link_tracking_param_field: fc.constantFrom(p, ` ${p} `),
        link_tracking_fallback_url: blank,
      }),
    ),
    fc.constantFrom('custom_url', 'linkid').chain((p) =>
      fc.record({
        link_tracking_enabled: ON,
        link_tracking_destination_url: fc.constant(`https://{${p}}`),
        link_tracking_domain_id: domain,
        link_tracking_param_field: fc.constant(p),
        link_tracking_fallback_url: fc.constantFrom(
          'https://rivera.example/fallback',
          'http://rivera.example/f',
        ),
      }),
    ),
  );
}

function validRow(sc: Scenario): fc.Arbitrary<RawRow> {
  const tenDlc = sc.channel === '10dlc';
  const name = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() !== ''),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((t) => t.trim() !== ''),
    fc.constantFrom('GOTV reminder — Précinct 12', 'x'.repeat(300), '=SUM(A1:A2)', '0012', '1e5'),
  );
  const cells = fc.record({
    organization_id: fc.constantFrom(sc.org, sc.org, ` ${sc.org} `),
    name,
    protocol: fc.constantFrom('sms', 'mms', 'SMS', ' Mms '),
    message_text: fc.constantFrom('Vote today: {link}', 'Hi {first_name}, polls close at 8.', 'STOP=END?'),
    channel: tenDlc
      ? fc.constantFrom<Cell>(ABSENT, '', '10dlc', '10DLC', ' 10dlc ')
      : fc.constantFrom('toll-free', 'Toll Free', 'tollfree', 'toll_free', 'TOLL-FREE'),
    brand_id: tenDlc ? fc.constantFrom(sc.brand!, ` ${sc.brand!}`) : blank,
    campaign_id: tenDlc ? fc.constant(sc.campaign!) : blank,
    toll_free_verification_id: tenDlc ? blank : fc.constant(sc.tfv!),
    contact_list_ids: fc.oneof(blank, listCell(sc.lists, 1, 3)),
    suppression_list_ids: fc.oneof(blank, fc.constant(','), listCell(sc.lists, 1, 2)),
    media_ids: fc.constantFrom<Cell>(ABSENT, '', ',', 'media_01HX0000000000000000000001', 'media_a, media_b'),
    opt_out_footer_enabled: fc.constantFrom<Cell>(ABSENT, '', 'yes', 'no', 'TRUE', 'false'),
  });
  const phones = phoneCells(
    sc.numbers,
    fc.oneof(fc.constantFrom(1, 2, 48, 49), fc.integer({ min: 1, max: 12 })),
    ['list', 'list', 'single', 'list-and-empty-single'],
  );
  return fc.tuple(cells, phones, linkCells(sc)).map(([c, p, l]) => ({ ...c, ...p, ...l }) as RawRow);
}

/** Edge values per field, for the mutations. */
function edges(sc: Scenario): Partial<Record<FieldName | 'phones', fc.Arbitrary<Cell | PhoneCells>>> {
  const tenDlc = sc.channel === '10dlc';
  return {
    organization_id: blank,
    name: blank,
    protocol: fc.constantFrom<Cell>(ABSENT, '', 'text', 'sms/mms'),
    message_text: fc.constantFrom<Cell>(ABSENT, '', '\n'),
    channel: fc.constantFrom('fax', 'sms'),
    brand_id: tenDlc ? blank : fc.constant(sc.foreign),
    campaign_id: tenDlc ? blank : fc.constant('camp_01HX0000000000000000000000'),
    toll_free_verification_id: tenDlc ? fc.constant(sc.foreign) : blank,
    contact_list_ids: fc.constantFrom(',', ' ; ', '[]'),
    link_tracking_enabled: fc.constantFrom('maybe', 'on', 'yes please'),
    link_tracking_destination_url: fc.oneof(blank, fc.constantFrom(...DESTINATIONS)),
    link_tracking_domain_id: blank,
    link_tracking_param_field: fc.oneof(blank, fc.constantFrom(...PARAMS, 'f'.repeat(65))),
    link_tracking_fallback_url: fc.oneof(blank, fc.constantFrom(...FALLBACKS)),
    opt_out_footer_enabled: fc.constantFrom('nope', 'tru'),
    phones: phoneCells(sc.numbers, fc.constantFrom(0, 1, 2, 49, 50), ['list', 'both', 'single-of-two']),
  };
}

function rowFor(sc: Scenario): fc.Arbitrary<RawRow> {
  const e = edges(sc);
  const fields = Object.keys(e) as Array<keyof typeof e>;
  const mutations = fc.oneof(
    { weight: 1, arbitrary: fc.constant([] as typeof fields) },
    { weight: 3, arbitrary: fc.subarray(fields, { minLength: 1, maxLength: 3 }) },
  );
  return fc
    .tuple(validRow(sc), mutations)
    .chain(([row, which]) =>
      fc.tuple(fc.constant(row), ...which.map((f) => e[f]!.map((v) => [f, v] as const))),
    )
    .map(([row, ...changes]) => {
      const out: RawRow = { ...row };
      for (const [f, v] of changes) {
        if (f === 'phones') {
          delete out.phone_number_ids;
          delete out.phone_number_id;
          Object.assign(out, v);
        } else out[f] = v as Cell;
      }
      for (const k of Object.keys(out) as FieldName[]) if (out[k] === undefined) delete out[k];
      return out;
    });
}

// ---- the closest body of a refused row --------------------------------------------------------------

const TEXT_FIELDS = [
  'organization_id',
  'name',
  'message_text',
  'brand_id',
  'campaign_id',
  'toll_free_verification_id',
  'phone_number_id',
] as const;
const LIST_FIELDS = ['phone_number_ids', 'contact_list_ids', 'suppression_list_ids', 'media_ids'] as const;
const LINK_FIELDS = [
  'link_tracking_destination_url',
  'link_tracking_domain_id',
  'link_tracking_param_field',
  'link_tracking_fallback_url',
] as const;

export function closestBody(raw: RawRow): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const t = (f: FieldName) => (raw[f] ?? '').trim();
  for (const f of TEXT_FIELDS) if (t(f)) body[f] = t(f);
  if (t('protocol')) {
    const p = parseProtocol(t('protocol'));
    body.protocol = p.ok ? p.value : t('protocol');
  }
  if (t('channel')) {
    const c = parseChannel(t('channel'));
    body.channel = c.ok ? c.value : t('channel');
  }
  for (const f of LIST_FIELDS) {
    if (!t(f)) continue;
    const l = parseList(raw[f] ?? '');
    body[f] = l.ok ? l.value : raw[f];
  }
  for (const f of ['link_tracking_enabled', 'opt_out_footer_enabled'] as const) {
    if (!t(f)) continue;
    const b = parseBoolean(raw[f] ?? '');
    body[f] = b.ok ? b.value : raw[f];
  }
  if (body.link_tracking_enabled === true) for (const f of LINK_FIELDS) if (t(f)) body[f] = t(f);
  return body;
}

// ---- the test ---------------------------------------------------------------------------------------

let sb: RunningSandbox;
let account: SeedAccount;
beforeAll(async () => {
  account = diffAccount();
  sb = await startSandbox({ account });
});
afterAll(() => sb.close());

async function sandboxAccepts(
  body: unknown,
): Promise<{ accepted: boolean; status: number; answer: unknown }> {
  const res = await fetch(`${sb.baseUrl}/projects`, {
    method: 'POST',
    headers: { 'X-API-Key': sb.apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer: unknown = await res.json();
  if (![201, 400, 404].includes(res.status))
    throw new Error(`unexpected ${res.status}: ${JSON.stringify(answer)}`);
  return { accepted: res.status === 201, status: res.status, answer };
}

async function compare(raw: RawRow): Promise<string | null> {
  const v = validateRow(raw, { row: 2 });
  const body = v.payload ?? closestBody(raw);
  const s = await sandboxAccepts(body);
  const validatorAccepts = v.payload !== null;
  if (validatorAccepts === s.accepted) return null;
  const errors = v.issues.filter((i) => i.severity === 'error').map((i) => `${i.field}: ${i.code}`);
  return [
    `Disagreement: validator ${validatorAccepts ? 'ACCEPTS' : 'REFUSES'}, Sandbox ${s.accepted ? 'ACCEPTS' : `REFUSES (${s.status})`}`,
    `row: ${JSON.stringify(raw)}`,
    `body sent: ${JSON.stringify(body)}`,
    `validator errors: ${JSON.stringify(errors)}`,
    `sandbox answer: ${JSON.stringify(s.answer)}`,
  ].join('\n');
}

describe('differential: shared validator vs Sandbox', () => {
  it(`agrees on ${RUNS} generated rows`, async () => {
    const stats = { rows: 0, bothAccept: 0, bothRefuse: 0 };
    const all = scenarios(account);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...all).chain((sc) => rowFor(sc)),
        async (raw) => {
          stats.rows++;
          const disagreement = await compare(raw);
          if (disagreement) throw new Error(disagreement);
          if (validateRow(raw, { row: 2 }).payload) stats.bothAccept++;
          else stats.bothRefuse++;
        },
      ),
      { numRuns: RUNS, seed: SEED_FC },
    );
    if (process.env.DIFF_STATS) console.log(stats);
    expect(stats.rows).toBeGreaterThanOrEqual(Math.min(RUNS, 1_000));
    // The generator must exercise both sides, not only refusals.
    expect(stats.bothAccept).toBeGreaterThan(RUNS * 0.1);
    expect(stats.bothRefuse).toBeGreaterThan(RUNS * 0.1);
  });

  // Found by this test: the validator once accepted "{}" as naming the (empty) parameter field.
  it('agrees on an empty {} placeholder', async () => {
    const raw: RawRow = {
      organization_id: ORG_SENATE,
      name: 'Empty placeholder',
      protocol: 'sms',
      message_text: 'Vote today: {link}',
      brand_id: BRAND_RIVERA,
      campaign_id: CAMP_RIVERA_GOTV,
      phone_number_ids: PHONE_NUMBER_IDS.riveraGotv[0],
      link_tracking_enabled: 'yes',
      link_tracking_destination_url: 'https://rivera.example/{}',
      link_tracking_domain_id: TD_RIVERA,
    };
    expect(await compare(raw)).toBeNull();
  });
});
