/**
 * The match step of a session: after the columns, the account's names are loaded once, each
 * distinct name is shown once, a choice fills every cell with that value as one undoable edit, and
 * the choices are remembered for the account. The real worker core; the Sandbox's account.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';
import {
  BRAND_ACTION_FUND,
  CAMP_ACTION_PHONE_BANK,
  CAMP_RIVERA_GOTV,
  CL_RIVERA_VOLUNTEERS,
  ORG_PAC,
  ORG_SENATE,
} from '../../../src/sandbox';
import { EXAMPLE_CSV } from './harness';
import { file, openSession, recordingBridge, sandboxSnapshot, settled, until } from './session-harness';
import { scopeKey } from '../../../src/renderer/src/model/match';

const NAMES_CSV = [
  'Organization,Project name,Protocol,Brand,Campaign,Phone numbers,Contact lists,Message',
  'Rivera for Senate,GOTV one,sms,Rivera for Senate,Rivera GOTV 2026,(555) 010-0100,Volunteers,Polls are open until 8pm.',
  'Rivera for Senate,GOTV two,sms,Rivera for Senate,Rivera GOTV 2062,(555) 010-0101,"Volunteers; 2024 donors",Polls are open until 8pm.',
  'Forward Together PAC,Phone bank,sms,Forward Together Action Fund,Action Fund Phone Bank,(555) 010-0143,Lapsed members,Call us tonight.',
  'Rivera for Senate,GOTV three,sms,Rivera for Senate,Rivera GOTV 2062,(555) 010-0102,Volunteers,Polls are open until 8pm.',
].join('\r\n');
const names = () => file('names.csv', new TextEncoder().encode(NAMES_CSV));

let snapshot: AccountSnapshot | null = null;

beforeAll(async () => {
  snapshot = await sandboxSnapshot();
});

function connected() {
  const bridge = recordingBridge();
  bridge.account = { snapshot, stop: null };
  return bridge;
}

const ready = (s: { matchStep: { step: string } | null }) => s.matchStep?.step === 'ready';

describe('the match step', () => {
  test('loads the account once and shows each distinct name once, with the decisions it needs', async () => {
    const { session, bridge } = await openSession(names(), { bridge: connected() });
    expect(session.phase).toBe('columns');
    expect(session.holdsNames()).toBe(true);
    await session.confirmColumns();
    expect(session.matchStep).toEqual({ step: 'ready' });
    expect(bridge.accountCalls).toHaveLength(1);
    expect(session.account.snapshot).not.toBeNull();
    const groups = session.matchGroups();
    const decide = groups.filter((g) => g.status === 'decide');
    expect(decide.map((g) => [g.field, g.text, g.rows.length])).toEqual([
      ['campaign_id', 'Action Fund Phone Bank', 1],
      ['campaign_id', 'Rivera GOTV 2062', 2],
    ]);
    // "Volunteers" of the Senate rows is one value, matched once for its three rows.
    const vol = groups.find((g) => g.text === 'Volunteers')!;
    expect(vol).toMatchObject({ status: 'matched', rows: [0, 1, 3] });
    expect(vol.resolution).toMatchObject({ id: CL_RIVERA_VOLUNTEERS });
    // Going on to the rows and checking them reuses the same data (no fetch per row or per check).
    session.continueToRows();
    expect(session.phase).toBe('review');
    expect(bridge.accountCalls).toHaveLength(1);
    session.dispose();
  });

  test('a choice fills every cell with that value as one undoable edit, and is remembered', async () => {
    const { session, bridge } = await openSession(names(), { bridge: connected() });
    await session.confirmColumns();
    const m = session.model!;
    const campaign = session.mapping.columns.indexOf('campaign_id');
    const typo = session.matchGroups().find((g) => g.text === 'Rivera GOTV 2062')!;
    const n = session.applyMatch(typo, {
      value: 'Rivera GOTV 2026',
      id: CAMP_RIVERA_GOTV,
      name: 'Rivera GOTV 2026',
      where: 'brand Rivera for Senate',
      suggested: true,
    });
    expect(n).toBe(2);
    expect([m.cell(1, campaign), m.cell(3, campaign)]).toEqual(['Rivera GOTV 2026', 'Rivera GOTV 2026']);
    expect(m.undoLabel).toBe('Match “Rivera GOTV 2062”');
    expect(bridge.savedCalls).toEqual([
      {
        organizationIds: [ORG_SENATE, ORG_PAC].sort(),
        matches: [
          { field: 'campaign_id', scope: typo.scopeKey, text: 'Rivera GOTV 2062', id: CAMP_RIVERA_GOTV },
        ],
      },
    ]);
    // The value now resolves by itself: no decision left for it.
    expect(session.matchGroups().some((g) => g.text === 'Rivera GOTV 2062')).toBe(false);
    // One step of the grid's history takes it back (and the choice is no longer shown).
    expect(session.activeMatches()).toHaveLength(1);
    m.undo();
    expect(m.cell(1, campaign)).toBe('Rivera GOTV 2062');
    expect(m.cell(3, campaign)).toBe('Rivera GOTV 2062');
    expect(session.activeMatches()).toEqual([]);
    m.redo();
    expect(m.cell(1, campaign)).toBe('Rivera GOTV 2026');
    // Undone on the match step: the typed text is back and the choice is forgotten.
    session.undoMatch(0);
    expect(m.cell(3, campaign)).toBe('Rivera GOTV 2062');
    expect(session.matches).toEqual([]);
    expect(bridge.savedCalls[1]!.matches).toEqual([
      { field: 'campaign_id', scope: typo.scopeKey, text: 'Rivera GOTV 2062', id: null },
    ]);
    session.dispose();
  });

  test('a remembered choice is applied when the same text comes back, and shown as remembered', async () => {
    const bridge = connected();
    const scope = scopeKey('campaign', { organizationId: ORG_PAC, brandId: BRAND_ACTION_FUND });
    bridge.saved = [
      { field: 'campaign_id', scope, text: 'action fund phone bank', id: CAMP_ACTION_PHONE_BANK },
    ];
    const { session } = await openSession(names(), { bridge });
    await session.confirmColumns();
    const campaign = session.mapping.columns.indexOf('campaign_id');
    expect(session.model!.cell(2, campaign)).toBe(`Action Fund Phone Bank (${CAMP_ACTION_PHONE_BANK})`);
    expect(session.matches).toMatchObject([{ text: 'Action Fund Phone Bank', remembered: true }]);
    expect(
      session
        .matchGroups()
        .filter((g) => g.status === 'decide')
        .map((g) => g.text),
    ).toEqual(['Rivera GOTV 2062']);
    // Rows of another account do not take it: an entity that is not there is never applied.
    session.dispose();
  });

  test('a remembered id the account no longer has is not applied', async () => {
    const bridge = connected();
    const scope = scopeKey('campaign', { organizationId: ORG_PAC, brandId: BRAND_ACTION_FUND });
    bridge.saved = [{ field: 'campaign_id', scope, text: 'Action Fund Phone Bank', id: 'camp_gone' }];
    const { session } = await openSession(names(), { bridge });
    await session.confirmColumns();
    expect(session.matches).toEqual([]);
    expect(session.model!.cell(2, session.mapping.columns.indexOf('campaign_id'))).toBe(
      'Action Fund Phone Bank',
    );
    session.dispose();
  });

  test('without a connection it says why and lets the user go on to the rows', async () => {
    const bridge = recordingBridge();
    const message =
      'There is no API key yet: add yours in Settings (or switch to the Sandbox to try things out).';
    bridge.account = { snapshot: null, stop: { reason: 'account', message } };
    const { session } = await openSession(names(), { bridge });
    await session.confirmColumns();
    expect(session.matchStep).toEqual({ step: 'unavailable', error: message });
    expect(session.matchGroups()).toEqual([]);
    // A key added meanwhile: trying again loads the names.
    bridge.account = { snapshot, stop: null };
    await session.retryMatch();
    expect(ready(session)).toBe(true);
    session.continueToRows();
    expect(session.phase).toBe('review');
    session.dispose();
  });

  test('another account set up in Settings meanwhile: its names are loaded instead', async () => {
    const bridge = connected();
    const { session } = await openSession(names(), { bridge });
    await session.confirmColumns();
    expect(bridge.accountCalls).toHaveLength(1);
    const message = 'The API key was refused. Check it in Settings.';
    bridge.account = { snapshot: null, stop: { reason: 'account', message } };
    session.forgetAccount();
    await until(() => session.matchStep?.step === 'unavailable', 'the match step to say why');
    expect(bridge.accountCalls).toHaveLength(2);
    expect(session.matchStep).toEqual({ step: 'unavailable', error: message });
    session.dispose();
  });

  test('a sheet of ids has nothing to match: the columns lead straight to the rows', async () => {
    const { session, bridge } = await openSession(file('projects.csv', EXAMPLE_CSV), { bridge: connected() });
    expect(session.holdsNames()).toBe(false);
    await session.confirmColumns();
    expect(session.phase).toBe('review');
    expect(bridge.accountCalls).toHaveLength(0);
    session.dispose();
  });

  test('a file whose columns were confirmed before opens on the match step', async () => {
    const bridge = connected();
    const first = await openSession(names(), { bridge });
    const mapping = first.session.mapping;
    first.session.dispose();
    bridge.getSavedMapping = async () => structuredClone(mapping);
    const { session } = await openSession(names(), { bridge });
    await until(() => ready(session), 'the match step');
    await settled(session);
    expect(session.phase).toBe('match');
    session.showColumns();
    expect(session.phase).toBe('columns');
    session.dispose();
  });
});
