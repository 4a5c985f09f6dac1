import { describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { readSheet } from '../../../src/shared/sheet';
import { fieldIndex, NF } from '../../../src/renderer/src/model/fields';
import type { SheetModel } from '../../../src/renderer/src/model/sheet';
import { csvBytes, EXAMPLE_CSV, EXAMPLE_XLSX, load } from './harness';

const physOf = (m: SheetModel, excelRow: number) => m.rowNumbers.indexOf(excelRow);
const colOf = (m: SheetModel, header: string) => m.headers.indexOf(header);
const codes = (m: SheetModel, excelRow: number) =>
  m.issuesOf(physOf(m, excelRow)).map((i) => `${i.field}:${i.code}`);

describe('the grid model over the example', () => {
  test('finds every mistake on its cell, with the counts per field', async () => {
    const { model: m, settle } = await load(EXAMPLE_CSV, 'projects.csv');
    await settle();
    expect(m.rowsPending).toBe(0);
    expect([m.rowsError, m.rowsWarning, m.rowsValid]).toEqual([5, 3, 12]);
    expect(codes(m, 4)).toEqual(['campaign_id:required_for_10dlc']);
    expect(codes(m, 6)).toEqual(['brand_id:forbidden_for_toll_free']);
    expect(codes(m, 8)).toEqual(['protocol:invalid_protocol']);
    expect(codes(m, 10)).toEqual(['phone_number_ids:duplicate_phone_number']);
    expect(codes(m, 12)).toEqual(['link_tracking_domain_id:required_for_link_tracking']);
    expect(codes(m, 13)).toEqual(['name:duplicate_name']);
    expect(codes(m, 14)).toEqual(['name:duplicate_name']);
    expect(codes(m, 16)).toEqual(['message_text:missing_link_tag']);
    expect(m.cellSev(physOf(m, 8), colOf(m, 'Protocol'))).toBe(2);
    expect(m.cellSev(physOf(m, 13), colOf(m, 'Project name'))).toBe(1);
    expect(m.cellSev(physOf(m, 8), colOf(m, 'Project name'))).toBe(0);
    expect(m.errors[fieldIndex('protocol')]).toBe(1);
    expect(m.warnings[fieldIndex('name')]).toBe(2);
    expect([...m.view('errors')].map((r) => m.rowNumbers[r])).toEqual([4, 6, 8, 10, 12]);
    expect([...m.view('warnings')].map((r) => m.rowNumbers[r])).toEqual([13, 14, 16]);
    expect(m.view('valid').length).toBe(12);
  });

  test('the xlsx example reads the same as the csv one', async () => {
    const csv = await load(EXAMPLE_CSV, 'projects.csv');
    const xlsx = await load(EXAMPLE_XLSX, 'projects.xlsx');
    await csv.settle();
    await xlsx.settle();
    for (let r = 0; r < csv.model.n; r++) expect(xlsx.model.issuesOf(r)).toEqual(csv.model.issuesOf(r));
  });

  test('an edit revalidates its row at once; undo and redo restore both cells and counts', async () => {
    const { model: m, settle } = await load(EXAMPLE_CSV, 'projects.csv');
    await settle();
    const r = physOf(m, 8);
    const c = colOf(m, 'Protocol');
    const before = { errors: m.rowsError, valid: m.rowsValid, v: m.rowVersion[r] };
    expect(m.setCells([{ row: r, col: c, value: 'mms' }], 'Edit cell')).toBe(1);
    expect(m.cellSev(r, c)).toBe(0);
    expect(m.rowsError).toBe(before.errors - 1);
    expect(m.rowsValid).toBe(before.valid + 1);
    expect(m.rowVersion[r]).toBeGreaterThan(before.v!);
    expect(m.dirty).toBe(true);
    expect(m.isEdited(r, c)).toBe(true);
    m.undo();
    expect(m.cell(r, c)).toBe('picture');
    expect(m.isEdited(r, c)).toBe(false);
    expect(m.rowsError).toBe(before.errors);
    expect(m.dirty).toBe(false);
    m.redo();
    expect(m.cell(r, c)).toBe('mms');
    expect(m.rowsError).toBe(before.errors - 1);
    m.markSaved();
    expect(m.dirty).toBe(false);
  });

  test('a change that leaves cells as they are is not an undo step', async () => {
    const { model: m } = await load(EXAMPLE_CSV, 'projects.csv');
    expect(m.setCells([{ row: 0, col: 1, value: m.cell(0, 1) }], 'Edit cell')).toBe(0);
    expect(m.undoLabel).toBeNull();
  });

  test('duplicate names follow edits on other rows, and deleted rows', async () => {
    const { model: m, settle } = await load(EXAMPLE_CSV, 'projects.csv');
    await settle();
    const a = physOf(m, 13);
    const b = physOf(m, 14);
    const name = colOf(m, 'Project name');
    m.setCells([{ row: b, col: name, value: 'Endorsement reminder' }], 'Edit cell');
    expect(m.hasDuplicateName(a)).toBe(false);
    expect(m.hasDuplicateName(b)).toBe(false);
    expect(m.rowsWarning).toBe(1);
    // Same name again, in another case and with spaces: a duplicate again, on both rows.
    m.setCells([{ row: b, col: name, value: '  endorsement ANNOUNCEMENT ' }], 'Edit cell');
    expect(m.hasDuplicateName(a)).toBe(true);
    expect(m.hasDuplicateName(b)).toBe(true);
    // The same name in another organization is not a duplicate.
    const org = colOf(m, 'Organization ID');
    m.setCells([{ row: b, col: org, value: 'org_other' }], 'Edit cell');
    expect(m.hasDuplicateName(a)).toBe(false);
    m.undo();
    expect(m.hasDuplicateName(a)).toBe(true);
    m.deleteRows([b]);
    expect(m.hasDuplicateName(a)).toBe(false);
    expect(m.order.length).toBe(19);
    m.undo();
    expect(m.hasDuplicateName(a)).toBe(true);
    expect(m.order.length).toBe(20);
    expect([m.rowsError, m.rowsWarning, m.rowsValid]).toEqual([5, 3, 12]);
  });

  test('clearing forbidden fields fixes the channel conflict', async () => {
    const { model: m, settle } = await load(EXAMPLE_CSV, 'projects.csv');
    await settle();
    expect(m.rowsForbidden).toBe(1);
    const changes = m.forbiddenFieldChanges();
    expect(changes).toEqual([{ row: physOf(m, 6), col: colOf(m, 'Brand ID'), value: '' }]);
    m.setCells(changes, 'Clear forbidden fields');
    expect(codes(m, 6)).toEqual([]);
    expect(m.rowsForbidden).toBe(0);
  });

  test('a worker result older than an edit does not undo the edit', async () => {
    const { model: m, core, messages, settle } = await load(EXAMPLE_CSV, 'projects.csv');
    await settle();
    const r = physOf(m, 8);
    const c = colOf(m, 'Protocol');
    // A chunk computed before the edit (pass 1) arriving after it.
    const stale = messages.find((x) => x.t === 'checked')!;
    m.setCells([{ row: r, col: c, value: 'mms' }], 'Edit cell');
    if (stale.t === 'checked')
      m.applyChecked(
        stale.pass,
        stale.start,
        stale.count,
        stale.rows,
        new Uint8Array(stale.count * NF).fill(2),
        stale.flags,
      );
    expect(m.cellSev(r, c)).toBe(0);
    void core;
  });

  test('large edits are validated by the worker', async () => {
    const header = 'Organization ID,Project name,Protocol,Brand ID,Campaign ID,Phone Numbers,Message\n';
    const rows = Array.from({ length: 5000 }, (_, i) => `org_1,P ${i},sms,brand_1,camp_1,pn_1,Hello`).join(
      '\n',
    );
    const { model: m, settle } = await load(csvBytes(header + rows), 'big.csv');
    await settle();
    expect(m.rowsValid).toBe(5000);
    const proto = colOf(m, 'Protocol');
    m.setCells(
      Array.from({ length: 5000 }, (_, row) => ({ row, col: proto, value: 'fax' })),
      'Paste',
    );
    await settle();
    expect(m.rowsError).toBe(5000);
    expect(m.errors[fieldIndex('protocol')]).toBe(5000);
  });

  test('a new mapping or default organization revalidates every row', async () => {
    const header = 'Project name,Protocol,Brand ID,Campaign ID,Phone Numbers,Message\n';
    const {
      model: m,
      core,
      settle,
    } = await load(csvBytes(header + 'A,sms,b,c,pn_1,Hi\nA,sms,b,c,pn_2,Hi\n'), 'x.csv');
    await settle();
    expect(codes(m, 2)).toEqual(['organization_id:required', 'name:duplicate_name']);
    expect(m.rowsError).toBe(2);
    m.setMapping(m.mapping, 'org_default');
    core.handle({ t: 'validate', pass: 99, mapping: m.mapping, defaultOrg: 'org_default', rows: null });
    await settle();
    expect(codes(m, 2)).toEqual(['name:duplicate_name']);
    expect([m.rowsError, m.rowsWarning]).toEqual([0, 2]);
  });

  test('cells Excel stored as rounded numbers are errors until edited', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['Organization ID', 'Project name', 'Protocol', 'Brand ID', 'Campaign ID', 'Phone Numbers', 'Message'],
      ['org_1', 'P', 'sms', 'brand_1', Number('12345678901234567890'), 'pn_1', 'Hi'],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    expect(readSheet(bytes, { fileName: 'n.xlsx' }).notes.length).toBe(1);
    const { model: m, settle } = await load(bytes, 'n.xlsx');
    await settle();
    expect(codes(m, 2)).toEqual(['campaign_id:number_lost_digits']);
    m.setCells([{ row: 0, col: 4, value: 'camp_1' }], 'Edit cell');
    expect(codes(m, 2)).toEqual([]);
    m.undo();
    expect(codes(m, 2)).toEqual(['campaign_id:number_lost_digits']);
  });
});

describe('reading', () => {
  test('a title line above the table is not taken for the header', async () => {
    const { messages } = await load(csvBytes('Spring projects\nOrg,Title,Body\na,b,c\n'), 't.csv');
    const sheet = messages.find((m) => m.t === 'sheet');
    expect(sheet?.t === 'sheet' && [sheet.meta.headerRow, sheet.headers]).toEqual([
      2,
      ['Org', 'Title', 'Body'],
    ]);
  });

  test('a header row the user chose is kept', async () => {
    const { messages } = await load(csvBytes('Spring projects\nOrg,Title,Body\na,b,c\n'), 't.csv', {
      options: { headerRow: 1 },
    });
    const sheet = messages.find((m) => m.t === 'sheet');
    expect(sheet?.t === 'sheet' && sheet.meta.headerRow).toBe(1);
  });
});

describe('files the worker builds', () => {
  test('prepared rows hold the chosen rows as the grid shows them, in order, with their bodies', async () => {
    const { model: m, build, settle } = await load(EXAMPLE_XLSX, 'projects.xlsx');
    await settle();
    m.setCells([{ row: physOf(m, 8), col: colOf(m, 'Protocol'), value: 'mms' }], 'Edit cell');
    const rows = Int32Array.from([physOf(m, 3), physOf(m, 8), physOf(m, 4), physOf(m, 21)]);
    const out = build({ t: 'prepare', id: 0, rows, mapping: m.mapping, defaultOrg: '' });
    expect(out?.t).toBe('prepared');
    const prepared = out?.t === 'prepared' ? out.rows : [];
    expect(prepared.map((p) => p.row)).toEqual([3, 8, 4, 21]);
    expect(prepared.map((p) => p.cells)).toEqual([...rows].map((r) => m.rowCells(r)));
    expect(prepared.map((p) => p.rowKey)).toEqual([...rows].map((r) => m.rowKey(r)));
    expect(prepared[1]!.body?.['protocol']).toBe('mms');
    // Row 4 lacks its campaign: no body, and the error that says why.
    expect(prepared[2]!.body).toBeNull();
    expect(prepared[2]!.issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      'campaign_id:required_for_10dlc',
    ]);
  });

  test('the results sheet puts each result on its row, deleted rows left out', async () => {
    const { model: m, build } = await load(EXAMPLE_CSV, 'projects.csv');
    m.deleteRows([physOf(m, 3)]);
    const out = build({
      t: 'build',
      id: 0,
      request: {
        kind: 'results',
        format: 'csv',
        results: [
          { index: physOf(m, 2), row: 2, status: 'created', projectId: 'proj_1', attempts: 1 },
          { index: physOf(m, 4), row: 3, status: 'invalid', attempts: 0 },
        ],
      },
    });
    const back = readSheet(out?.t === 'bytes' ? out.bytes : new Uint8Array(), { fileName: 'r.csv' });
    const status = back.headers.indexOf('status');
    const project = back.headers.indexOf('project_id');
    expect(back.rows.length).toBe(19);
    expect(back.rows[0]!.cells[status]).toBe('created');
    expect(back.rows[0]!.cells[project]).toBe('proj_1');
    expect(back.rows[1]!.cells[1]).toBe('Volunteer shift reminder');
    expect(back.rows[1]!.cells[status]).toBe('invalid');
    expect(back.rows[2]!.cells[status]).toBe('not_sent');
  });

  test('the edited sheet saves as xlsx with every cell as text', async () => {
    const { model: m, build } = await load(csvBytes('Name,Id\nA,007\n'), 'x.csv');
    m.setCells([{ row: 0, col: 1, value: '0012' }], 'Edit cell');
    const out = build({
      t: 'build',
      id: 0,
      request: { kind: 'sheet', format: 'xlsx', sheetName: 'Projects' },
    });
    const back = readSheet(out?.t === 'bytes' ? out.bytes : new Uint8Array(), { fileName: 'x.xlsx' });
    expect(back.rows[0]!.cells).toEqual(['A', '0012']);
  });
});
