/**
 * Findings fixed with one click, a column added (or set) for every row or the selected ones, cells
 * trimmed: through the session as the app runs it, with the real sheet worker core checking every
 * row against the Sandbox's account.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { replaceItem } from '../../../src/renderer/src/model/sheet';
import { headerFor } from '../../../src/renderer/src/model/headers';
import { autoMap } from '../../../src/shared/mapping';
import { FIELDS } from '../../../src/shared/schema/fields';
import type { Session } from '../../../src/renderer/src/session';
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';
import { TFV_VERIFIED } from '../../../src/sandbox';
import { csvBytes } from './harness';
import { file, openSession, sandboxSnapshot, settled, until } from './session-harness';

const PN_GOTV = 'pn_01HRCGB4W8GJACYA1SCX5GNW8R, pn_01HRD8DYP3DFY0SDWCHF9Q1YYS';
const PN_TOLL_FREE = 'pn_01HSAKVT9K8H15WX6S45W192JG, pn_01HSBBY7ZDN7577FB39XT544FY';
const MSG = 'Hi {first_name}, polls are open until 8pm today.';

/** Names everywhere, two rows with the same misspelt campaign, two toll-free rows with no verification. */
const SHEET = [
  'Organization,Project name,Protocol,Channel,Brand,Campaign,Phone Numbers,Message',
  `Rivera for Senate,GOTV A,sms,10dlc,Rivera for Senate,Rivera GOTV 2062,"${PN_GOTV}",${MSG}`,
  `Rivera for Senate,GOTV B,sms,10dlc,Rivera for Senate,Rivera GOTV 2062,"${PN_GOTV}",${MSG}`,
  `Rivera for Senate,Early vote (toll-free),sms,toll-free,,,"${PN_TOLL_FREE}",${MSG}`,
  `Rivera for Senate,Debate watch (toll-free),sms,toll-free,,,"${PN_TOLL_FREE}",${MSG}`,
  `\u00a0Rivera for Senate ,GOTV C,sms,10dlc,Rivera for Senate,Rivera GOTV 2026 ,"${PN_GOTV}",${MSG}`,
].join('\r\n');

let snapshot: AccountSnapshot | null = null;

beforeAll(async () => {
  snapshot = await sandboxSnapshot();
});

async function checked() {
  const opened = await openSession(file('names.csv', csvBytes(SHEET)));
  opened.bridge.account = { snapshot, stop: null };
  await opened.session.confirmColumns();
  // A sheet with names goes through the match step first: straight on to the grid.
  opened.session.continueToRows();
  await opened.session.checkAccount();
  return opened.session;
}

const phys = (s: Session, excelRow: number) => s.model!.rowNumbers.indexOf(excelRow);
const colOf = (s: Session, header: string) => s.model!.headers.indexOf(header);
const campaignIssue = (s: Session, r: number) =>
  s.model!.accountIssues(r).find((i) => i.field === 'campaign_id');

describe('one-click fixes', () => {
  test('a finding keeps its fixes on the way from the worker to the grid', async () => {
    const session = await checked();
    const issue = campaignIssue(session, phys(session, 2));
    expect(issue?.severity).toBe('error');
    expect(issue?.fixes?.[0]).toMatchObject({
      label: 'Did you mean Rivera GOTV 2026?',
      replace: 'Rivera GOTV 2062',
    });
    // The side panel's list (the model's issues of the row) carries them too.
    expect(session.model!.issuesOf(phys(session, 2)).find((i) => i.fixes)?.fixes?.length).toBeGreaterThan(0);
    session.dispose();
  });

  test('applied, the cell takes the name, the row is checked again at once, and undo brings it back', async () => {
    const session = await checked();
    const m = session.model!;
    const r = phys(session, 2);
    const issue = campaignIssue(session, r)!;
    const change = m.fixChange(r, issue, issue.fixes![0]!);
    expect(change).toEqual({ row: r, col: colOf(session, 'Campaign'), value: 'Rivera GOTV 2026' });
    expect(m.setCells([change!], 'Fix')).toBe(1);
    await until(() => m.accountIssues(r).length === 0 && m.rowSev[r] === 0, 'the fixed row to be ready');
    expect(session.plan().rows).toContain(r);
    // The other row with the same typo is not touched by a fix of this one.
    expect(campaignIssue(session, phys(session, 3))).toBeDefined();

    m.undo();
    expect(m.cell(r, colOf(session, 'Campaign'))).toBe('Rivera GOTV 2062');
    await until(() => campaignIssue(session, r) !== undefined, 'the error to come back');
    expect(m.rowSev[r]).toBe(2);
    session.dispose();
  });

  test('every row with the same finding on the same text is fixed in one undoable step', async () => {
    const session = await checked();
    const m = session.model!;
    const r2 = phys(session, 2);
    const r3 = phys(session, 3);
    const issue = campaignIssue(session, r2)!;
    const fix = issue.fixes![0]!;
    expect(m.sameFixRows(r2, issue, fix)).toEqual([r3]);
    const changes = [r2, ...m.sameFixRows(r2, issue, fix)].map((r) => m.fixChange(r, issue, fix)!);
    expect(m.setCells(changes, 'Fix')).toBe(2);
    await until(() => m.rowSev[r2] === 0 && m.rowSev[r3] === 0, 'both rows to be ready');
    expect(m.undoLabel).toBe('Fix');
    m.undo();
    expect([m.cell(r2, colOf(session, 'Campaign')), m.cell(r3, colOf(session, 'Campaign'))]).toEqual([
      'Rivera GOTV 2062',
      'Rivera GOTV 2062',
    ]);
    session.dispose();
  });

  test('a created row is never changed by a fix, alone or among the rows with the same value', async () => {
    const session = await checked();
    const m = session.model!;
    const r2 = phys(session, 2);
    const r3 = phys(session, 3);
    m.setResult(r3, { rowKey: m.rowKey(r3), row: 3, status: 'created', projectId: 'prj_3', attempts: 1 }, []);
    const issue = campaignIssue(session, r2)!;
    const fix = issue.fixes![0]!;
    expect(m.sameFixRows(r2, issue, fix)).toEqual([]);
    const refused: string[] = [];
    m.onRefusal((t) => refused.push(t));
    expect(m.setCells([m.fixChange(r3, issue, fix)!], 'Fix')).toBe(0);
    expect(refused).toHaveLength(1);
    expect(m.cell(r3, colOf(session, 'Campaign'))).toBe('Rivera GOTV 2062');
    session.dispose();
  });

  test('a fix of one item of a list cell keeps the other items as typed', () => {
    expect(replaceItem('Statewide supporters, 2026 donors', '2026 donors', '2025 donors')).toBe(
      'Statewide supporters, 2025 donors',
    );
    expect(
      replaceItem('cl_A;  Statewide supporterz ;cl_B', 'Statewide supporterz', 'Statewide supporters'),
    ).toBe('cl_A;  Statewide supporters ;cl_B');
    expect(replaceItem('pn_A pn_B\npn_C', 'pn_B', 'pn_X')).toBe('pn_A pn_X\npn_C');
    // The whole cell, spaces around it aside.
    expect(replaceItem('  Rivera GOTV 2062\u00a0', 'Rivera GOTV 2062', 'Rivera GOTV 2026')).toBe(
      'Rivera GOTV 2026',
    );
    // An item only part of which is the text is not that item.
    expect(replaceItem('Statewide supporters 2', 'Statewide supporters', 'x')).toBeNull();
  });
});

describe('a whole column', () => {
  test('added for the selected rows: mapped, checked by the worker, exported, and undone whole', async () => {
    const session = await checked();
    const m = session.model!;
    const tf = [phys(session, 4), phys(session, 5)];
    for (const r of tf) expect(m.rowSev[r]).toBe(2);
    const width = m.nCols;
    const set = m.addColumn(
      'Toll-free verification',
      'toll_free_verification_id',
      tf.map((row) => ({ row, value: 'Rivera toll-free (main)' })),
      'Add column',
    );
    expect(set).toBe(2);
    expect(m.nCols).toBe(width + 1);
    expect(m.headers.at(-1)).toBe('Toll-free verification');
    expect(session.mapping.columns.at(-1)).toBe('toll_free_verification_id');
    expect(session.sheet!.headers).toEqual(m.headers);
    await settled(session);
    await until(() => tf.every((r) => m.rowSev[r] === 0), 'the toll-free rows to be ready');
    // The 10DLC rows got no value, and still have none.
    expect(m.cell(phys(session, 2), width)).toBe('');
    // What is sent is the verification's id; the sheet saved keeps the column.
    const prepared = await session.worker.prepare(Int32Array.from(tf), session.mapping, session.defaultOrg);
    expect(
      prepared.map((p) => (p.body as { toll_free_verification_id?: string }).toll_free_verification_id),
    ).toEqual([TFV_VERIFIED, TFV_VERIFIED]);
    const csv = new TextDecoder().decode(
      await session.build({ kind: 'sheet', format: 'csv', sheetName: 'x' }),
    );
    expect(csv.split('\r\n')[0]).toMatch(/,Toll-free verification$/);
    expect(csv.split('\r\n')[3]).toMatch(/,Rivera toll-free \(main\)$/);

    // Find (in the worker) knows the new column and its cells.
    const found = await session.worker.find('rivera toll-free (main)', {
      matchCase: false,
      wholeCell: true,
      column: null,
    });
    expect(Array.from(found)).toEqual(tf.map((r) => r * m.nCols + width));

    // Earlier edits survive the wider layout, and undo of the column leaves them as they were.
    const name = colOf(session, 'Project name');
    m.setCells([{ row: tf[0]!, col: name, value: 'Early vote renamed' }], 'Edit cell');
    m.undo();
    m.undo();
    expect(m.nCols).toBe(width);
    expect(m.headers).not.toContain('Toll-free verification');
    expect(session.mapping.columns).toHaveLength(width);
    await settled(session);
    await until(() => tf.every((r) => m.rowSev[r] === 2), 'the toll-free rows back in error');
    const before = new TextDecoder().decode(
      await session.build({ kind: 'sheet', format: 'csv', sheetName: 'x' }),
    );
    expect(before.split('\r\n')[0]).not.toMatch(/Toll-free verification/);

    // Redo gives the column back, and the edit made after it.
    m.redo();
    expect(m.cell(tf[1]!, width)).toBe('Rivera toll-free (main)');
    m.redo();
    expect(m.cell(tf[0]!, name)).toBe('Early vote renamed');
    await settled(session);
    await until(() => tf.every((r) => m.rowSev[r] === 0), 'ready again');
    session.dispose();
  });

  test('the results sheet keeps the column; once its rows are sent, undo no longer takes it away', async () => {
    const session = await checked();
    const m = session.model!;
    const r4 = phys(session, 4);
    const width = m.nCols;
    m.addColumn(
      'Toll-free verification',
      'toll_free_verification_id',
      [{ row: r4, value: 'Rivera toll-free (main)' }],
      'Add column',
    );
    m.setCells(
      [{ row: phys(session, 2), col: colOf(session, 'Campaign'), value: 'Rivera GOTV 2026' }],
      'Fix',
    );
    m.beginSending([r4]);
    m.setResult(r4, { rowKey: m.rowKey(r4), row: 4, status: 'created', projectId: 'prj_4', attempts: 1 }, []);
    m.endSending();
    // The fix of row 2 is undone; the column, whose value row 4 was sent with, stays.
    expect(m.undo()?.label).toBe('Fix');
    expect(m.undo()).toBeNull();
    expect(m.nCols).toBe(width + 1);
    const results = await session.build({ kind: 'results', format: 'csv', results: m.results() });
    const lines = new TextDecoder().decode(results).split('\r\n');
    expect(lines[0]).toContain('Toll-free verification');
    expect(lines[3]).toContain('Rivera toll-free (main)');
    expect(lines[3]).toContain('prj_4');
    session.dispose();
  });

  test('an existing column set for every row is one undoable step, created rows left alone', async () => {
    const session = await checked();
    const m = session.model!;
    const c = colOf(session, 'Protocol');
    const r2 = phys(session, 2);
    m.setResult(r2, { rowKey: m.rowKey(r2), row: 2, status: 'created', projectId: 'prj_2', attempts: 1 }, []);
    const n = m.setCells(
      Array.from(m.order, (row) => ({ row, col: c, value: 'mms' })),
      'Set Protocol',
    );
    expect(n).toBe(m.order.length - 1);
    expect(m.cell(r2, c)).toBe('sms');
    m.undo();
    expect(Array.from(m.order, (r) => m.cell(r, c))).toEqual(Array(m.order.length).fill('sms'));
    session.dispose();
  });
});

describe('the header of an added column', () => {
  test('is the field as people name it, and maps back to the field when the sheet is opened again', () => {
    expect(headerFor('toll_free_verification_id')).toBe('Toll-free verification');
    expect(headerFor('link_tracking_domain_id')).toBe('Tracking domain');
    for (const f of FIELDS) expect(autoMap([headerFor(f.name)]).columns[0], f.name).toBe(f.name);
  });
});

describe('trim', () => {
  test('spaces around cells (non-breaking too) go in one step; created rows are untouched', async () => {
    const session = await checked();
    const m = session.model!;
    const r6 = phys(session, 6);
    expect(m.rowSev[r6]).toBe(0);
    const r3 = phys(session, 3);
    m.setCells([{ row: r3, col: colOf(session, 'Message'), value: ' padded ' }], 'Edit cell');
    m.setResult(r3, { rowKey: m.rowKey(r3), row: 3, status: 'created', projectId: 'prj_3', attempts: 1 }, []);
    const changes = m.trimChanges();
    expect(changes).toEqual([
      { row: r6, col: colOf(session, 'Organization'), value: 'Rivera for Senate' },
      { row: r6, col: colOf(session, 'Campaign'), value: 'Rivera GOTV 2026' },
    ]);
    expect(m.setCells(changes, 'Trim')).toBe(2);
    expect(m.trimChanges()).toEqual([]);
    expect(m.cell(r3, colOf(session, 'Message'))).toBe(' padded ');
    // Only the cells asked for.
    m.undo();
    expect(m.cell(r6, colOf(session, 'Organization'))).toBe('\u00a0Rivera for Senate ');
    expect(m.trimChanges([{ row: r6, col: colOf(session, 'Campaign') }])).toHaveLength(1);
    session.dispose();
  });
});
