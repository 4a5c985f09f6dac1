/**
 * The session against the real sheet worker core: the state it is in, the prepared rows it sends,
 * the answers it takes back by row key, locked created rows, fixing and sending again, a results
 * sheet reopened and a run resumed.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { submissionSchema } from '../../../src/shared/prepared';
import { LOCKED_CREATED } from '../../../src/renderer/src/model/sheet';
import { Session } from '../../../src/renderer/src/session';
import { SheetWorker } from '../../../src/renderer/src/worker/client';
import type { AccountSnapshot } from '../../../src/shared/account/snapshot';
import { ORG_PAC, ORG_SENATE, PHONE_NUMBER_IDS, seedAccount } from '../../../src/sandbox';
import { EXAMPLE_CSV } from './harness';
import {
  file,
  finished,
  inProcessPort,
  openSession,
  recordingBridge,
  rowEvent,
  settled,
  until,
  sandboxSnapshot,
} from './session-harness';

/** The button's count ("Create N projects") and the rows a run would send are the same. */
function agrees(s: Session): number {
  expect(s.readyCount).toBe(s.plan().rows.length);
  return s.readyCount;
}

const phys = (s: Session, excelRow: number) => s.model!.rowNumbers.indexOf(excelRow);
const col = (s: Session, header: string) => s.model!.headers.indexOf(header);

/** The example as an XLSX whose project name in row 3 is the formula error #N/A. */
function exampleWithNaName(): Uint8Array {
  const wb = XLSX.read(EXAMPLE_CSV, { type: 'array', raw: true });
  const ws = wb.Sheets[wb.SheetNames[0]!]!;
  ws['B3'] = { t: 'e', v: 0x2a, w: '#N/A' };
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}

async function openExample() {
  const opened = await openSession(file('projects.csv', EXAMPLE_CSV));
  await opened.session.confirmColumns();
  return opened;
}

describe('session state', () => {
  test('one state per phase, changed only through its methods', async () => {
    const { session, bridge } = await openSession(file('projects.csv', EXAMPLE_CSV));
    expect(session.state).toEqual({ phase: 'columns', error: null });
    await session.confirmColumns();
    expect(session.state).toEqual({ phase: 'review', review: { step: 'idle', last: null } });

    session.confirmRun();
    const confirming = session.review;
    expect(confirming?.step).toBe('confirming');
    if (confirming?.step !== 'confirming') throw new Error('not confirming');
    expect(confirming.plan.rows.length).toBe(15);
    expect(agrees(session)).toBe(15);
    expect(confirming.plan.errors).toBe(5);
    session.cancelConfirm();
    expect(session.review).toEqual({ step: 'idle', last: null });

    session.confirmRun();
    const starting = session.startRun();
    expect(session.review?.step).toBe('starting');
    expect(session.running).toBe(true);
    await starting;
    expect(session.review?.step).toBe('running');
    // No account check, no new run and no other columns while a run is under way.
    session.confirmRun();
    session.showColumns();
    await session.checkAccount();
    expect(session.review?.step).toBe('running');
    expect(bridge.accountCalls).toEqual([]);

    const sent = bridge.started[0]!.rows;
    session.onFinished(
      finished(
        'run-1',
        sent.map((p) => ({
          rowKey: p.rowKey,
          row: p.row,
          status: 'created',
          projectId: `prj_${p.row}`,
          attempts: 1,
        })),
      ),
    );
    expect(session.review?.step).toBe('done');
    expect(session.run?.summary?.counts.created).toBe(15);
    session.dismissRun();
    expect(session.review).toEqual({ step: 'idle', last: null });
    session.dispose();
  });

  test('a file that cannot be read ends in the failed state, with the reason', async () => {
    const session = new Session(file('broken.xlsx', new Uint8Array([0x50, 0x4b, 3, 4, 1, 2])), '', {
      bridge: recordingBridge(),
      worker: new SheetWorker(inProcessPort()),
      frame: (f) => setTimeout(f, 0),
    });
    await session.read({}, true);
    expect(session.state.phase).toBe('failed');
    expect(session.error).toMatch(/\S/);
    session.dispose();
  });
});

describe('prepared rows', () => {
  test('a run sends exactly the rows ready, as the grid holds them, each with its row key', async () => {
    const { session, bridge } = await openExample();
    const m = session.model!;
    // An edit is sent as edited.
    m.setCells(
      [{ row: phys(session, 2), col: col(session, 'Project name'), value: 'GOTV — edited' }],
      'Edit cell',
    );
    await session.startRun();
    expect(bridge.started).toHaveLength(1);
    const sub = submissionSchema.parse(bridge.started[0]);
    expect(sub.rows.map((r) => r.row)).toEqual([2, 3, 5, 7, 9, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
    expect(sub.rows.every((r) => r.body !== null)).toBe(true);
    expect(sub.rows[0]!.body!['name']).toBe('GOTV — edited');
    expect(sub.rows[0]!.cells[col(session, 'Project name')]).toBe('GOTV — edited');
    expect(new Set(sub.rows.map((r) => r.rowKey)).size).toBe(15);
    expect(sub.rows.map((r) => r.rowKey)).toEqual(sub.rows.map((r) => m.rowKey(phys(session, r.row))));
    expect(sub.headers).toEqual(m.headers);
    session.dispose();
  });

  test('a cell the reader flagged (#N/A) is an error: the row is not sent', async () => {
    const { session, bridge } = await openSession(file('projects.xlsx', exampleWithNaName()));
    await session.confirmColumns();
    const r = phys(session, 3);
    expect(session.model!.issuesOf(r).map((i) => `${i.field}:${i.code}`)).toContain('name:error_cell');
    expect(session.plan().rows).not.toContain(r);
    // Even asked for directly, the worker prepares it without a body.
    const [prepared] = await session.worker.prepare(Int32Array.of(r), session.mapping, session.defaultOrg);
    expect(prepared!.body).toBeNull();
    expect(prepared!.issues.map((i) => i.code)).toContain('error_cell');
    await session.startRun();
    expect(bridge.started[0]!.rows.map((p) => p.row)).not.toContain(3);
    expect(bridge.started[0]!.rows.some((p) => p.body?.['name'] === '#N/A')).toBe(false);
    session.dispose();
  });

  test('answers come back by row key, whatever order they arrive in', async () => {
    const { session, bridge } = await openExample();
    const m = session.model!;
    await session.startRun();
    const sent = [...bridge.started[0]!.rows].reverse();
    for (const p of sent)
      session.onRow(rowEvent('run-1', p.rowKey, p.row, { status: 'created', projectId: `prj_${p.row}` }));
    // An answer for a key this document does not have changes nothing.
    session.onRow(rowEvent('run-1', 'unknown-7', 7, { status: 'created', projectId: 'prj_x' }));
    await until(() => m.rowsCreated === 15, 'the answers');
    expect(m.resultOf(phys(session, 21))?.projectId).toBe('prj_21');
    expect(m.resultOf(phys(session, 4))).toBeUndefined();
    session.dispose();
  });
});

describe('created rows are locked', () => {
  async function afterRun() {
    const opened = await openExample();
    const { session, bridge } = opened;
    const m = session.model!;
    const name = col(session, 'Project name');
    // An edit before the run, on a row the run sends, and one on a row it does not send.
    m.setCells([{ row: phys(session, 2), col: name, value: 'Before the run' }], 'Edit cell');
    m.setCells([{ row: phys(session, 4), col: name, value: 'Row 4 renamed' }], 'Edit cell');
    await session.startRun();
    const results = bridge.started[0]!.rows.map((p) => ({
      rowKey: p.rowKey,
      row: p.row,
      status: 'created' as const,
      projectId: `prj_${p.row}`,
      attempts: 1,
    }));
    session.onFinished(finished('run-1', results));
    const refusals: string[] = [];
    m.onRefusal((text) => refusals.push(text));
    return { ...opened, m, name, refusals };
  }

  test('typing, paste, replace, fill down and quick fixes leave them as they are, told once', async () => {
    const { session, m, name, refusals } = await afterRun();
    const r2 = phys(session, 2);
    const r3 = phys(session, 3);
    expect(m.setCells([{ row: r2, col: name, value: 'typed' }], 'Edit cell')).toBe(0);
    expect(m.cell(r2, name)).toBe('Before the run');
    // A paste over created rows and a row with errors: only the latter changes, and one message says why.
    const changed = m.setCells(
      [
        { row: r2, col: name, value: 'p1' },
        { row: r3, col: name, value: 'p2' },
        { row: phys(session, 4), col: name, value: 'p3' },
      ],
      'Paste',
    );
    expect(changed).toBe(1);
    expect(m.cell(r3, name)).toBe('GOTV — Precinct 14 reminder');
    expect(m.cell(phys(session, 4), name)).toBe('p3');
    expect(refusals).toEqual([LOCKED_CREATED, LOCKED_CREATED]);
    expect(m.deleteRows([r2, r3])).toBe(0);
    expect(m.isAlive(r2)).toBe(true);
    expect(refusals).toHaveLength(3);
    // Starting to type in one (the grid asks first) is refused the same way.
    expect(m.editable(r2)).toBe(false);
    expect(m.editable(phys(session, 4))).toBe(true);
    expect(refusals).toHaveLength(4);
    session.dispose();
  });

  test('undo never reaches a sent row: the run cut those steps from the history', async () => {
    const { session, m, name, refusals } = await afterRun();
    const r2 = phys(session, 2);
    const r4 = phys(session, 4);
    m.setCells([{ row: r4, col: name, value: 'Row 4 again' }], 'Edit cell');
    expect(m.undo()).not.toBeNull();
    expect(m.cell(r4, name)).toBe('Row 4 renamed');
    // The step on row 4 (never sent) is still there; the one on row 2 (created) is gone.
    expect(m.undo()).not.toBeNull();
    expect(m.cell(r4, name)).toBe('Volunteer shift reminder');
    expect(m.undo()).toBeNull();
    expect(m.cell(r2, name)).toBe('Before the run');
    expect(m.redo()).not.toBeNull();
    expect(m.redo()).not.toBeNull();
    expect(m.cell(r4, name)).toBe('Row 4 again');
    expect(m.cell(r2, name)).toBe('Before the run');
    expect(refusals).toEqual([]);
    session.dispose();
  });

  test('a step on several rows keeps its part on rows not sent', async () => {
    const { session, bridge } = await openExample();
    const m = session.model!;
    const name = col(session, 'Project name');
    const r2 = phys(session, 2);
    const r4 = phys(session, 4);
    m.setCells(
      [
        { row: r2, col: name, value: 'fill' },
        { row: r4, col: name, value: 'fill' },
      ],
      'Fill down',
    );
    await session.startRun();
    const p2 = bridge.started[0]!.rows.find((p) => p.row === 2)!;
    session.onFinished(
      finished('run-1', [{ rowKey: p2.rowKey, row: 2, status: 'created', projectId: 'prj_2', attempts: 1 }]),
    );
    expect(m.undo()?.label).toBe('Fill down');
    expect(m.cell(r4, name)).toBe('Volunteer shift reminder');
    expect(m.cell(r2, name)).toBe('fill');
    session.dispose();
  });

  test('an unsaved edit on a sent row still counts as unsaved once its undo step is gone', async () => {
    const { session } = await openExample();
    const m = session.model!;
    const name = col(session, 'Project name');
    const r2 = phys(session, 2);
    const r4 = phys(session, 4);
    m.setCells([{ row: r2, col: name, value: 'Edited, then sent' }], 'Edit cell');
    expect(m.dirty).toBe(true);
    await session.startRun();
    // The step on row 2 is cut from the history, but the edit is still not saved anywhere.
    expect(m.undo()).toBeNull();
    expect(m.dirty).toBe(true);
    m.markSaved();
    expect(m.dirty).toBe(false);
    session.dispose();

    // Saved before the run: the run's cut leaves the sheet saved; a later edit and its undo too.
    const other = await openExample();
    const m2 = other.session.model!;
    m2.setCells([{ row: r2, col: name, value: 'Saved, then sent' }], 'Edit cell');
    m2.markSaved();
    await other.session.startRun();
    expect(m2.dirty).toBe(false);
    m2.setCells([{ row: r4, col: name, value: 'After the run' }], 'Edit cell');
    expect(m2.dirty).toBe(true);
    expect(m2.undo()).not.toBeNull();
    expect(m2.dirty).toBe(false);
    other.session.dispose();
  });

  test('while a run sends them, the rows are locked; the rows it did not send are not', async () => {
    const { session } = await openExample();
    const m = session.model!;
    await session.startRun();
    expect(m.isLocked(phys(session, 2))).toBe(true);
    expect(m.isLocked(phys(session, 4))).toBe(false);
    session.onFailed({ runId: 'run-1', message: 'The app stopped.' });
    expect(m.isLocked(phys(session, 2))).toBe(false);
    expect(session.review?.step).toBe('done');
    session.dispose();
  });
});

describe('fix and resend in the same session', () => {
  test('a row refused by the API, edited, loses its old error and is sent by the next run', async () => {
    const { session, bridge } = await openExample();
    const m = session.model!;
    await session.startRun();
    const sent = bridge.started[0]!.rows;
    const refused = sent.find((p) => p.row === 19)!;
    const results = sent.map((p) =>
      p === refused
        ? {
            rowKey: p.rowKey,
            row: p.row,
            status: 'failed' as const,
            errorCode: 'VERIFICATION_NOT_APPROVED',
            errorMessage: 'The verification is not approved.',
            httpStatus: 422,
            attempts: 1,
          }
        : {
            rowKey: p.rowKey,
            row: p.row,
            status: 'created' as const,
            projectId: `prj_${p.row}`,
            attempts: 1,
          },
    );
    session.onFinished(
      finished('run-1', results, [
        {
          row: 19,
          field: 'toll_free_verification_id',
          severity: 'error',
          code: 'VERIFICATION_NOT_APPROVED',
          message: 'The verification is not approved.',
        },
      ]),
    );
    const r19 = phys(session, 19);
    expect(m.rowSev[r19]).toBe(2);
    expect(session.plan().rows).not.toContain(r19);
    expect(session.plan({ kind: 'retry' }).rows).toEqual(Int32Array.of(r19));
    expect(agrees(session)).toBe(0);

    // Row 8 (invalid from the start, never sent) and row 19 are fixed in place.
    const r8 = phys(session, 8);
    m.setCells([{ row: r8, col: col(session, 'Protocol'), value: 'mms' }], 'Edit cell');
    m.setCells(
      [{ row: r19, col: col(session, 'Toll-free verification ID'), value: 'tfv_01HSN4Z2B8K7B81ARAFF34SE9N' }],
      'Edit cell',
    );
    expect(m.resultOf(r19)).toBeUndefined();
    expect(m.issuesOf(r19)).toEqual([]);
    expect(m.rowSev[r19]).toBe(0);
    expect(m.rowSev[r8]).toBe(0);
    expect(session.plan().rows).toEqual(Int32Array.of(r8, r19));
    expect(agrees(session)).toBe(2);

    session.dismissRun();
    bridge.nextRunId = 'run-2';
    session.confirmRun();
    await session.startRun();
    expect(bridge.started[1]!.rows.map((p) => p.row)).toEqual([8, 19]);
    expect(bridge.started[1]!.rows[0]!.body!['protocol']).toBe('mms');
    session.dispose();
  });
});

describe('a results sheet reopened', () => {
  test('shows its created rows as Created with their ids, locked, and sends only the others', async () => {
    const first = await openExample();
    await first.session.startRun();
    const sent = first.bridge.started[0]!.rows;
    const results = sent.slice(0, 8).map((p) => ({
      rowKey: p.rowKey,
      row: p.row,
      status: 'created' as const,
      projectId: `prj_${p.row}`,
      attempts: 1,
    }));
    first.session.onFinished(finished('run-1', results));
    const bytes = await first.session.build({
      kind: 'results',
      format: 'xlsx',
      results: first.session.model!.results(),
    });
    first.session.dispose();

    const { session, bridge } = await openSession(file('projects results.xlsx', bytes));
    await session.confirmColumns();
    await settled(session);
    const m = session.model!;
    expect(m.rowsCreated).toBe(8);
    const r2 = phys(session, 2);
    expect(m.resultOf(r2)).toMatchObject({ status: 'created', projectId: 'prj_2' });
    expect(m.isLocked(r2)).toBe(true);
    const plan = session.plan();
    expect(plan.rows.length).toBe(7);
    expect(plan.created).toBe(8);
    expect(agrees(session)).toBe(7);
    expect(m.rowsValid + m.rowsWarning).toBe(7);
    await session.startRun();
    expect(bridge.started[0]!.rows.map((p) => p.row)).toEqual(sent.slice(8).map((p) => p.row));
    session.dispose();
  });
});

describe('a run resumed', () => {
  test('shows every row the run recorded, and each answer on its row', async () => {
    const first = await openExample();
    await first.session.startRun();
    const submission = first.bridge.started[0]!;
    first.session.dispose();

    const { session, bridge } = await openSession({ runId: 'run-1', submission });
    expect(session.state).toEqual({ phase: 'review', review: { step: 'idle', last: null } });
    const m = session.model!;
    expect(m.n).toBe(15);
    expect(Array.from(m.rowNumbers)).toEqual(submission.rows.map((p) => p.row));
    await session.resumeRun();
    expect(bridge.started[0]).toEqual(submission);
    // The journal's answers for 8 rows created before the interruption, then the rest.
    const results = submission.rows.map((p) => ({
      rowKey: p.rowKey,
      row: p.row,
      status: 'created' as const,
      projectId: `prj_${p.row}`,
      attempts: 1,
    }));
    session.onFinished(finished('run-1', results));
    expect(m.rowsCreated).toBe(15);
    expect(m.resultOf(phys(session, 21))?.projectId).toBe('prj_21');
    session.dispose();
  });
});

/** Row 2's numbers as a person types them ("+1 555-010-0100"), and the ids they stand for. */
const RESOLVED = PHONE_NUMBER_IDS.riveraGotv.slice(0, 3);
const NUMBERS = RESOLVED.map((id) => {
  const e164 = seedAccount().phone_numbers.find((p) => p.id === id)!.number ?? '';
  return `+1 ${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`;
}).join(', ');

describe('account findings survive edits', () => {
  let snapshot: AccountSnapshot | null = null;

  beforeAll(async () => {
    snapshot = await sandboxSnapshot();
  });

  async function checked(source = file('projects.csv', EXAMPLE_CSV)) {
    const opened = await openSession(source);
    opened.bridge.account = { snapshot, stop: null };
    await opened.session.confirmColumns();
    // A sheet with names goes through the match step first.
    opened.session.continueToRows();
    await opened.session.checkAccount();
    return opened;
  }

  test('the snapshot is kept for the session; row 18 stays in error after an unrelated edit', async () => {
    const { session, bridge } = await checked();
    expect(bridge.accountCalls).toHaveLength(1);
    expect([...(bridge.accountCalls[0]!.organizationIds as string[])].sort()).toEqual(
      [ORG_SENATE, ORG_PAC].sort(),
    );
    expect(session.account.snapshot?.fetchedAt).toBeGreaterThan(0);
    expect(session.review).toEqual({ step: 'idle', last: null });
    const m = session.model!;
    const r18 = phys(session, 18);
    expect(m.accountIssues(r18).map((i) => i.code)).toContain('phone_number_not_in_campaign');
    expect(m.rowSev[r18]).toBe(2);
    const before = m.rowsError;

    m.setCells([{ row: r18, col: col(session, 'Opt-out footer'), value: 'yes' }], 'Edit cell');
    await until(() => m.accountIssues(r18).length > 0 && m.isValidated(r18), 'the row to be checked again');
    await new Promise((r) => setTimeout(r, 10));
    expect(m.accountIssues(r18).map((i) => i.code)).toContain('phone_number_not_in_campaign');
    expect(m.rowSev[r18]).toBe(2);
    expect(m.rowsError).toBe(before);
    expect(session.plan().rows).not.toContain(r18);
    agrees(session);

    // Fixed with numbers of its own campaign, it is checked against the kept data at once: ready.
    m.setCells(
      [
        {
          row: r18,
          col: col(session, 'Phone Numbers'),
          value: 'pn_01HRCGB4W8GJACYA1SCX5GNW8R, pn_01HRD8DYP3DFY0SDWCHF9Q1YYS',
        },
      ],
      'Edit cell',
    );
    await until(() => m.accountIssues(r18).length === 0, 'the fix to be checked');
    expect(m.rowSev[r18]).toBe(0);
    expect(bridge.accountCalls).toHaveLength(1);
    expect(session.plan().rows).toContain(r18);
    session.dispose();
  });

  test('another account (environment or key) forgets the data kept and its findings', async () => {
    const { session } = await checked();
    const m = session.model!;
    const r18 = phys(session, 18);
    expect(m.rowSev[r18]).toBe(2);
    session.forgetAccount();
    expect(session.account.snapshot).toBeNull();
    await until(() => m.accountIssues(r18).length === 0, 'the findings to go');
    expect(m.rowSev[r18]).toBe(0);
    // Edits are no longer checked against it.
    m.setCells([{ row: r18, col: col(session, 'Opt-out footer'), value: 'yes' }], 'Edit cell');
    await new Promise((r) => setTimeout(r, 20));
    expect(m.accountIssues(r18)).toEqual([]);
    agrees(session);
    session.dispose();
  });

  test('a row deleted before a refresh and brought back by undo keeps what the account says of it', async () => {
    const { session } = await checked();
    const m = session.model!;
    const r18 = phys(session, 18);
    expect(m.deleteRows([r18])).toBe(1);
    await session.checkAccount();
    expect(m.undo()?.kind).toBe('delete');
    expect(m.isAlive(r18)).toBe(true);
    expect(m.accountIssues(r18).map((i) => i.code)).toContain('phone_number_not_in_campaign');
    expect(m.rowSev[r18]).toBe(2);
    agrees(session);
    session.dispose();
  });

  test('typed phone numbers and a named brand are checked as what they name, and sent as their ids', async () => {
    // Rows 2 and 3 type their numbers; row 3 also names its brand instead of giving its id.
    const text = new TextDecoder().decode(EXAMPLE_CSV);
    const lines = text.split('\r\n');
    const typed = (line: string) =>
      line.replace(
        'pn_01HRCGB4W8GJACYA1SCX5GNW8R, pn_01HRD8DYP3DFY0SDWCHF9Q1YYS, pn_01HRE0HHDBP23FJ6SM2CNPSMQK',
        NUMBERS,
      );
    lines[1] = typed(lines[1]!);
    lines[2] = typed(lines[2]!).replace('brand_01HR77TXQCN3JZF2DZYTBBGTM9', 'Rivera for Senate');
    const { session, bridge } = await checked(
      file('typed.csv', new TextEncoder().encode(lines.join('\r\n'))),
    );
    const m = session.model!;
    const r2 = phys(session, 2);
    const r3 = phys(session, 3);
    expect(m.rowSev[r2]).toBeLessThan(2);
    expect(m.rowSev[r3]).toBeLessThan(2);
    // The grid keeps what was typed; what is sent is the ids.
    expect(m.cell(r3, col(session, 'Brand ID'))).toBe('Rivera for Senate');
    expect(m.cell(r2, col(session, 'Phone Numbers'))).toContain('+1');
    await session.startRun();
    const sent = bridge.started[0]!.rows;
    const row3 = sent.find((p) => p.row === 3)!;
    expect(row3.body).toMatchObject({ brand_id: 'brand_01HR77TXQCN3JZF2DZYTBBGTM9' });
    expect((row3.body as { phone_number_ids: string[] }).phone_number_ids).toEqual([
      'pn_01HRCGB4W8GJACYA1SCX5GNW8R',
      'pn_01HRD8DYP3DFY0SDWCHF9Q1YYS',
      'pn_01HRE0HHDBP23FJ6SM2CNPSMQK',
    ]);
    session.dispose();
  });

  test('a body sent after a check carries the ids the account resolved', async () => {
    const text = new TextDecoder().decode(EXAMPLE_CSV);
    const lines = text.split('\r\n');
    lines[1] = lines[1]!.replace(
      'pn_01HRCGB4W8GJACYA1SCX5GNW8R, pn_01HRD8DYP3DFY0SDWCHF9Q1YYS, pn_01HRE0HHDBP23FJ6SM2CNPSMQK',
      NUMBERS,
    );
    const { session, bridge } = await checked(
      file('typed.csv', new TextEncoder().encode(lines.join('\r\n'))),
    );
    await session.startRun();
    const row2 = bridge.started[0]!.rows.find((p) => p.row === 2)!;
    expect(row2.body!['phone_number_ids']).toEqual(RESOLVED);
    session.dispose();
  });
});
