/**
 * The sheet worker's logic, free of worker globals so that it also runs under Node in the tests:
 * reading and previewing files, holding a mirror of the grid (original columns plus the user's
 * edits), validation passes in chunks, duplicate names, and building files (submission CSV, the
 * edited sheet, the results sheet, the template).
 */
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import { listSheets, previewSheet, readSheet, SheetError, detectFormat } from '../../../shared/sheet';
import type { CellNote, ReadOptions, SheetData, SheetFormat, SheetPreview } from '../../../shared/sheet';
import { findCells, type Searchable } from '../model/find';
import type { Mapping } from '../../../shared/mapping';
import { fromResultsSheet, isResultsSheet, writeResults, type RowResult } from '../../../shared/results';
import { mapRow } from '../../../shared/mapping';
import { createRowValidator, noteIssues, type Issue } from '../../../shared/validate';
import type { PreparedRow, Submission } from '../../../shared/prepared';
import type { AccountSnapshot } from '../../../shared/account/snapshot';
import { checkAgainstAccount } from '../../../shared/account/check';
import type { CreateProjectRequest } from '@political-comms/sdk';
import { buildTemplate } from '../../../shared/template';
import { buildAccountTemplate } from '../../../shared/template/account';
import { buildColumnar, columnarCell, type Columnar } from '../model/columnar';
import { createRowChecker, type NoteLike, type RowChecker } from '../model/check';
import { DupIndex, duplicatesAmong } from '../model/dups';
import { hashKey } from '../model/hash';
import { NF } from '../model/fields';
import {
  rowKeyOf,
  type BuildRequest,
  type ColumnChange,
  type CreatedRow,
  type FromWorker,
  type ReadMeta,
  type ResolvedValue,
  type SourceOptions,
  type ToWorker,
} from './protocol';

/** Posts a message; `transfer` lists the buffers moved, not copied. */
export type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

const CHUNK_ROWS = 4096;

/** Issue codes that come from the reader's cell notes (a formula error, a number that lost digits). */
const READER_NOTE_CODES: ReadonlySet<string> = new Set(['error_cell', 'number_lost_digits']);

function sameMapping(a: Mapping, b: Mapping): boolean {
  return a.columns.length === b.columns.length && a.columns.every((f, i) => f === b.columns[i]);
}

interface Doc {
  headers: string[];
  nCols: number;
  n: number;
  data: Columnar;
  rowNumbers: Int32Array;
  edits: Map<number, string>;
  notesByRow: Map<number, NoteLike[]>;
  alive: Uint8Array;
  checker: RowChecker | null;
  hashes: Uint32Array;
  dups: DupIndex | null;
  dupFlag: Uint8Array;
  /** Lower-cased columns for find, made on first use. */
  lower: Array<string | undefined>;
  /** Row keys, when the rows came with theirs (see `rowKeyOf`). */
  keys: string[] | null;
  /** Rows already created, never sent again. */
  created: Map<number, CreatedRow>;
  /** What the account check found per row (only rows with findings or a resolved body). */
  account: Map<number, RowAccount>;
}

interface RowAccount {
  issues: Issue[];
  /** The body with names resolved to ids, when the account resolved any. */
  body: CreateProjectRequest | null;
  resolved: ResolvedValue[];
}

const DUP_MESSAGE = 'Another row of the same organization has this name: give each project its own name.';

/** Rows a results sheet records as created (status "created" with a project id). */
function createdRowsOf(data: SheetData): { data: SheetData; created: Map<number, CreatedRow> } {
  const created = new Map<number, CreatedRow>();
  if (!isResultsSheet(data.headers)) return { data, created };
  const { sheet, previous } = fromResultsSheet(data);
  const statusAt = sheet.headers.findIndex((h) => h.trim().toLowerCase() === 'project_status');
  sheet.rows.forEach((r, index) => {
    const prev = previous.get(r.row);
    if (!prev || prev.status !== 'created' || !prev.projectId) return;
    const projectStatus = statusAt >= 0 ? (r.cells[statusAt] ?? '').trim() : '';
    created.set(index, {
      index,
      projectId: prev.projectId.slice(0, 200),
      ...(projectStatus ? { projectStatus: projectStatus.slice(0, 100) } : {}),
    });
  });
  return { data: sheet, created };
}

/** Rows sent with the first answer, so the grid can paint before every cell has arrived. */
export const HEAD_ROWS = 200;

interface Pass {
  pass: number;
  mapping: Mapping;
  defaultOrg: string;
  rows: Int32Array | null;
}

export function createWorkerCore(post: Post, yieldNow: () => Promise<void> = defaultYield) {
  let file: { bytes: Uint8Array; fileName: string } | null = null;
  let doc: Doc | null = null;
  const queue: Pass[] = [];
  let running = false;

  const cell = (d: Doc, r: number, c: number): string => {
    const e = d.edits.get(r * d.nCols + c);
    return e !== undefined ? e : columnarCell(d.data, r, c);
  };
  const rowCells = (d: Doc, r: number): string[] => {
    const out = new Array<string>(d.nCols);
    for (let c = 0; c < d.nCols; c++) out[c] = cell(d, r, c);
    return out;
  };
  const rowNotes = (d: Doc, r: number): NoteLike[] | undefined => {
    const notes = d.notesByRow.get(r);
    if (!notes) return undefined;
    // A note describes the cell as it was read: once the user edits the cell it no longer applies.
    return notes.filter((n) => !d.edits.has(r * d.nCols + n.column));
  };
  const keyOf = (d: Doc, r: number): string | null =>
    d.alive[r] && d.checker ? d.checker.dupKey(rowCells(d, r)) : null;

  function readOptions(options: SourceOptions): ReadOptions {
    return { fileName: file!.fileName, ...options };
  }

  function failMessage(e: unknown): string {
    if (e instanceof SheetError) return e.message;
    return `The file could not be read: ${e instanceof Error ? e.message : String(e)}`;
  }

  /** Read the file with these options: the first rows at once, then every cell, then the preview. */
  function read(id: number, options: SourceOptions): void {
    if (!file) return post({ t: 'failed', id, message: 'No file is open.' });
    const { bytes } = file;
    doc = null;
    queue.length = 0;
    const opts = readOptions(options);
    let data: SheetData;
    try {
      data = readSheet(bytes, opts);
      // A header of one or two cells is usually a title line above the table: take the row the
      // preview guesses instead (the user can still choose another one).
      if (options.headerRow === undefined && data.headers.length < 3) {
        const guess = previewSheet(bytes, opts).suggestedHeaderRow;
        if (guess !== data.headerRow) data = readSheet(bytes, { ...opts, headerRow: guess });
      }
    } catch (e) {
      post({ t: 'failed', id, message: failMessage(e) });
      postPreview(id, opts, null);
      return;
    }
    const results = createdRowsOf(data);
    data = results.data;
    install(id, {
      headers: data.headers,
      rows: data.rows,
      notes: data.notes,
      meta: {
        sheet: data.sheet,
        encoding: data.encoding,
        delimiter: data.delimiter,
        headerRow: data.headerRow,
      },
      keys: null,
      created: results.created,
    });
    postPreview(id, opts, data);
  }

  /** A new document: its first rows at once, then every cell. */
  function install(
    id: number,
    source: {
      headers: string[];
      rows: ReadonlyArray<{ row: number; cells: string[] }>;
      notes: CellNote[];
      meta: ReadMeta;
      keys: string[] | null;
      created: Map<number, CreatedRow>;
    },
  ): void {
    const { headers, rows } = source;
    const n = rows.length;
    const nCols = headers.length;
    const rowNumbers = new Int32Array(n);
    for (let r = 0; r < n; r++) rowNumbers[r] = rows[r]!.row;
    const rowIndex = new Map<number, number>();
    for (let r = 0; r < n; r++) rowIndex.set(rowNumbers[r]!, r);
    const notes = source.notes.filter((note) => rowIndex.has(note.row));
    const head = rows.slice(0, HEAD_ROWS).map((r) => r.cells);
    const numbers = rowNumbers.slice();
    post(
      {
        t: 'sheet',
        id,
        headers,
        rowNumbers: numbers,
        head,
        notes,
        meta: source.meta,
        keys: source.keys,
        created: [...source.created.values()],
      },
      [numbers.buffer],
    );

    const columnar = buildColumnar(rows as Array<{ row: number; cells: string[] }>, nCols);
    const notesByRow = new Map<number, NoteLike[]>();
    for (const note of notes) {
      const r = rowIndex.get(note.row)!;
      const list = notesByRow.get(r) ?? [];
      list.push({ column: note.column, code: note.code, message: note.message });
      notesByRow.set(r, list);
    }
    doc = {
      headers,
      nCols,
      n,
      data: columnar,
      rowNumbers,
      edits: new Map(),
      notesByRow,
      alive: new Uint8Array(n).fill(1),
      checker: null,
      hashes: new Uint32Array(n),
      dups: null,
      dupFlag: new Uint8Array(n),
      lower: [],
      keys: source.keys,
      created: source.created,
      account: new Map(),
    };
    const offs = columnar.offs.map((o) => o.slice());
    post(
      { t: 'columns', id, cols: columnar.cols, offs },
      offs.map((o) => o.buffer),
    );
  }

  /** The rows a run recorded, to resume it: shown as they were sent, under their own keys. */
  function openSubmission(id: number, submission: Submission): void {
    file = null;
    doc = null;
    queue.length = 0;
    const nCols = submission.headers.length;
    const rows = submission.rows.map((r) => ({
      row: r.row,
      cells: Array.from({ length: nCols }, (_, c) => r.cells[c] ?? ''),
    }));
    // What the reader knew of a cell (a formula error…) came along as the row's issues: keep it.
    const notes: CellNote[] = [];
    for (const r of submission.rows) {
      for (const issue of r.issues) {
        if (issue.severity !== 'error' || !READER_NOTE_CODES.has(issue.code)) continue;
        const column = submission.mapping.columns.indexOf(issue.field);
        if (column >= 0) notes.push({ row: r.row, column, code: issue.code, message: issue.message });
      }
    }
    const created = new Map<number, CreatedRow>();
    submission.rows.forEach((r, index) => {
      if (r.createdBefore) created.set(index, { index, ...r.createdBefore });
    });
    install(id, {
      headers: submission.headers,
      rows,
      notes,
      meta: { sheet: submission.sheet ?? null, encoding: null, delimiter: null, headerRow: 1 },
      keys: submission.rows.map((r) => r.rowKey),
      created,
    });
  }

  // ---- prepared rows and the account check ------------------------------------------------------

  /** The account's reference data for this session, and the mapping rows are checked with. */
  let account: { snapshot: AccountSnapshot; mapping: Mapping; defaultOrg: string } | null = null;

  function validatorFor(defaultOrg: string) {
    const org = defaultOrg.trim();
    return createRowValidator(org ? { defaultOrganizationId: org } : {});
  }

  /** A row as the file alone says it: its exact body (or null) and every issue the validator finds. */
  function validateRow(
    d: Doc,
    r: number,
    mapping: Mapping,
    validate: ReturnType<typeof createRowValidator>,
  ): { cells: string[]; body: CreateProjectRequest | null; issues: Issue[] } {
    const cells = rowCells(d, r);
    const row = d.rowNumbers[r]!;
    const v = validate(mapRow(cells, mapping), row);
    const issues = [...v.issues];
    const notes = rowNotes(d, r);
    if (notes)
      issues.push(
        ...noteIssues(
          notes.map((n) => ({ ...n, row })),
          mapping,
        ),
      );
    if (d.dupFlag[r]) {
      issues.push({ row, field: 'name', severity: 'warning', code: 'duplicate_name', message: DUP_MESSAGE });
    }
    const body = issues.some((i) => i.severity === 'error') ? null : v.payload;
    return { cells, body, issues };
  }

  /** Check these rows against the account now and post what was found, replacing what was known of them. */
  function checkRows(d: Doc, list: readonly number[]): void {
    const a = account;
    if (!a) return;
    const validate = validatorFor(a.defaultOrg);
    const input: Array<{ rowKey: string; row: number; body: CreateProjectRequest; createdBefore?: boolean }> =
      [];
    const own = new Map<number, Issue[]>();
    const byRow = new Map<number, number>();
    for (const r of list) {
      // Deleted rows too: undeleted, they show what the account says of them.
      const v = validateRow(d, r, a.mapping, validate);
      own.set(r, v.issues);
      byRow.set(d.rowNumbers[r]!, r);
      if (!v.body) continue;
      input.push({
        rowKey: rowKeyOf(d.rowNumbers, d.keys, r),
        row: d.rowNumbers[r]!,
        body: v.body,
        ...(d.created.has(r) ? { createdBefore: true } : {}),
      });
    }
    const result = checkAgainstAccount(input, a.snapshot);
    const found = new Map<number, RowAccount>();
    const entry = (r: number) => {
      let e = found.get(r);
      if (!e) found.set(r, (e = { issues: [], body: null, resolved: [] }));
      return e;
    };
    for (const issue of result.issues) {
      const r = byRow.get(issue.row);
      if (r === undefined) continue;
      // The validator's own findings are already on the grid: keep only what the account adds.
      if (own.get(r)!.some((i) => i.field === issue.field && i.code === issue.code)) continue;
      entry(r).issues.push(issue);
    }
    for (const x of result.resolved) {
      const r = byRow.get(x.row);
      if (r === undefined) continue;
      entry(r).resolved.push({ index: r, field: x.field, from: x.from, to: x.to, label: x.label });
    }
    // A body differs from the validator's only where the account resolved a value: keep just those.
    for (const x of input) {
      const r = byRow.get(x.row)!;
      const e = found.get(r);
      if (e && e.resolved.length > 0) e.body = result.bodies.get(x.rowKey) ?? null;
    }
    const outRows: number[] = [];
    const outIssues: Issue[][] = [];
    const resolved: ResolvedValue[] = [];
    for (const r of list) {
      const e = found.get(r);
      if (e) d.account.set(r, e);
      else d.account.delete(r);
      outRows.push(r);
      outIssues.push(e?.issues ?? []);
      if (e) resolved.push(...e.resolved);
    }
    const sent = Int32Array.from(outRows);
    post({ t: 'account', rows: sent, issues: outIssues, resolved, full: false, complete: false }, [
      sent.buffer,
    ]);
  }

  let accountPass = 0;

  /**
   * Check every row against the account (or forget every finding, without a snapshot), a chunk at a
   * time so that edits are checked in between; `complete` says when every row was.
   */
  async function checkAll(d: Doc): Promise<void> {
    const pass = ++accountPass;
    if (!account) {
      d.account.clear();
      post({ t: 'account', rows: new Int32Array(0), issues: [], resolved: [], full: true, complete: true });
      return;
    }
    for (let start = 0; start < d.n; start += CHUNK_ROWS) {
      if (doc !== d || pass !== accountPass || !account) return;
      const end = Math.min(d.n, start + CHUNK_ROWS);
      const chunk: number[] = [];
      for (let r = start; r < end; r++) chunk.push(r);
      checkRows(d, chunk);
      await yieldNow();
    }
    if (doc !== d || pass !== accountPass) return;
    post({ t: 'account', rows: new Int32Array(0), issues: [], resolved: [], full: false, complete: true });
  }

  /** Prepared rows for a submission: what the grid holds now, keyed for the life of the document. */
  function prepare(id: number, rows: Int32Array, mapping: Mapping, defaultOrg: string): void {
    const d = doc;
    if (!d) return post({ t: 'failed', id, message: 'No sheet is open.' });
    const validate = validatorFor(defaultOrg);
    const checked = account && sameMapping(account.mapping, mapping) && account.defaultOrg === defaultOrg;
    const out: PreparedRow[] = [];
    for (const r of rows) {
      if (r < 0 || r >= d.n || !d.alive[r]) continue;
      const v = validateRow(d, r, mapping, validate);
      const acc = checked ? d.account.get(r) : undefined;
      const issues = acc ? [...v.issues, ...acc.issues] : v.issues;
      const body = issues.some((i) => i.severity === 'error') ? null : (acc?.body ?? v.body);
      const created = d.created.get(r);
      out.push({
        rowKey: rowKeyOf(d.rowNumbers, d.keys, r),
        row: d.rowNumbers[r]!,
        cells: v.cells,
        body: body as Record<string, unknown> | null,
        // Within the contract's bounds, whatever the cells quoted in a message.
        issues: issues.slice(0, 1000).map((i) => ({
          row: i.row,
          field: i.field,
          severity: i.severity,
          code: i.code.slice(0, 100),
          message: i.message.length > 4000 ? `${i.message.slice(0, 3999)}…` : i.message,
        })),
        ...(created
          ? {
              createdBefore: {
                projectId: created.projectId,
                ...(created.projectStatus ? { projectStatus: created.projectStatus } : {}),
              },
            }
          : {}),
      });
    }
    post({ t: 'prepared', id, rows: out });
  }

  function postPreview(id: number, opts: ReadOptions, data: SheetData | null): void {
    if (!file) return;
    let preview: SheetPreview | null = null;
    let sheets = { names: data?.sheetNames ?? [], hidden: [] as string[] };
    let format: SheetFormat = data?.format ?? 'csv';
    try {
      format = detectFormat(file.fileName, file.bytes);
      sheets = listSheets(file.bytes, opts);
      preview = previewSheet(file.bytes, opts);
    } catch {
      // The preview is a help for choosing the header row; the read itself already said what failed.
    }
    post({
      t: 'preview',
      id,
      preview,
      meta: { format, sheetNames: sheets.names, hiddenSheets: sheets.hidden },
    });
  }

  function open(id: number, bytes: Uint8Array, fileName: string, options: SourceOptions): void {
    file = { bytes, fileName };
    read(id, options);
  }

  async function runPasses(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const pass = queue.shift()!;
        await runPass(pass);
      }
    } finally {
      running = false;
    }
  }

  async function runPass(p: Pass): Promise<void> {
    const d = doc;
    if (!d) return;
    const full = p.rows === null;
    if (full) {
      d.checker = createRowChecker(p.mapping, p.defaultOrg);
      d.dups = null;
    }
    const checker = d.checker ?? createRowChecker(p.mapping, p.defaultOrg);
    const total = full ? d.n : p.rows!.length;
    const scratch = new Uint8Array(NF);
    for (let start = 0; start < total; start += CHUNK_ROWS) {
      if (doc !== d) return;
      // A newer full pass replaces this one (and anything queued before it).
      if (queue.some((q) => q.rows === null)) return;
      const count = Math.min(CHUNK_ROWS, total - start);
      const sev = new Uint8Array(count * NF);
      const flags = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const r = full ? start + i : p.rows![start + i]!;
        const cells = rowCells(d, r);
        flags[i] = checker.check(cells, d.rowNumbers[r]!, rowNotes(d, r), scratch);
        sev.set(scratch, i * NF);
        if (full) {
          const key = d.alive[r] ? checker.dupKey(cells) : null;
          d.hashes[r] = key === null ? 0 : hashKey(key);
        }
      }
      const rows = full ? null : p.rows!.slice(start, start + count);
      const transfer: ArrayBuffer[] = [sev.buffer, flags.buffer];
      if (rows) transfer.push(rows.buffer);
      post(
        { t: 'checked', pass: p.pass, start, count, rows, sev, flags, done: start + count, total },
        transfer,
      );
      await yieldNow();
    }
    if (doc !== d) return;
    if (full) {
      d.dups = new DupIndex(d.hashes);
      d.dupFlag.fill(0);
      const dupRows: number[] = [];
      for (const bucket of d.dups.buckets()) {
        for (const r of duplicatesAmong(bucket, (row) => keyOf(d, row))) {
          d.dupFlag[r] = 1;
          dupRows.push(r);
        }
      }
      const rows = Int32Array.from(dupRows);
      const flags = new Uint8Array(rows.length).fill(1);
      post({ t: 'dups', rows, flags, full: true }, [rows.buffer, flags.buffer]);
    }
    post({ t: 'passDone', pass: p.pass });
  }

  /** After cells or the row order changed: new keys for these rows, and the duplicate flags that moved. */
  function rekey(d: Doc, touched: Iterable<number>): void {
    const dups = d.dups;
    if (!d.checker) return;
    const buckets = new Set<number>();
    for (const r of touched) {
      const key = keyOf(d, r);
      const h = key === null ? 0 : hashKey(key);
      if (!dups) {
        // A full pass is under way: it rebuilds the index from these hashes when it ends.
        d.hashes[r] = h;
        continue;
      }
      const old = d.hashes[r]!;
      if (old === h) {
        if (h !== 0) buckets.add(h);
        continue;
      }
      if (old !== 0) buckets.add(old);
      if (h !== 0) buckets.add(h);
      dups.set(r, h);
    }
    if (!dups) return;
    const changedRows: number[] = [];
    const changedFlags: number[] = [];
    const setFlag = (r: number, f: number) => {
      if (d.dupFlag[r] === f) return;
      d.dupFlag[r] = f;
      changedRows.push(r);
      changedFlags.push(f);
    };
    for (const r of touched) if (d.hashes[r] === 0) setFlag(r, 0);
    for (const h of buckets) {
      if (h === 0) continue;
      const members = dups.members(h);
      const dupSet = duplicatesAmong(members, (row) => keyOf(d, row));
      for (const r of members) setFlag(r, dupSet.has(r) ? 1 : 0);
    }
    if (changedRows.length > 0) {
      const rows = Int32Array.from(changedRows);
      const flags = Uint8Array.from(changedFlags);
      post({ t: 'dups', rows, flags, full: false }, [rows.buffer, flags.buffer]);
    }
  }

  function cells(keys: Int32Array, values: string[]): void {
    const d = doc;
    if (!d) return;
    const touched = new Set<number>();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const r = Math.floor(key / d.nCols);
      const c = key - r * d.nCols;
      const value = values[i]!;
      if (value === columnarCell(d.data, r, c)) d.edits.delete(key);
      else d.edits.set(key, value);
      touched.add(r);
    }
    rekey(d, touched);
  }

  /** A last column added (empty) or taken away: every edit is laid out at the new width. */
  function column(change: ColumnChange): void {
    const d = doc;
    if (!d) return;
    const from = d.nCols;
    const to = change.op === 'add' ? from + 1 : from - 1;
    if (to < 1 || to > 100_000) return;
    const next = new Map<number, string>();
    for (const [k, v] of d.edits) {
      const r = Math.floor(k / from);
      const c = k - r * from;
      if (c >= to) continue;
      next.set(r * to + c, v);
    }
    d.edits = next;
    if (change.op === 'add') {
      d.data.cols.push('');
      d.data.offs.push(new Uint32Array(d.n + 1));
      d.headers = [...d.headers, String(change.header).slice(0, 1000)];
    } else {
      d.data.cols.pop();
      d.data.offs.pop();
      d.headers = d.headers.slice(0, to);
      d.lower.length = Math.min(d.lower.length, to);
      // A note on the column taken away no longer has a cell.
      for (const [r, notes] of d.notesByRow) {
        const kept = notes.filter((n) => n.column < to);
        if (kept.length === 0) d.notesByRow.delete(r);
        else if (kept.length !== notes.length) d.notesByRow.set(r, kept);
      }
    }
    d.nCols = to;
  }

  function order(list: Int32Array): void {
    const d = doc;
    if (!d) return;
    const next = new Uint8Array(d.n);
    for (let i = 0; i < list.length; i++) next[list[i]!] = 1;
    const touched: number[] = [];
    for (let r = 0; r < d.n; r++) if (next[r] !== d.alive[r]) touched.push(r);
    d.alive = next;
    rekey(d, touched);
  }

  function peers(id: number, row: number): void {
    const d = doc;
    if (!d || !d.dups) return post({ t: 'peers', id, rows: [], total: 0 });
    const key = keyOf(d, row);
    if (key === null) return post({ t: 'peers', id, rows: [], total: 0 });
    const same = d.dups
      .members(d.hashes[row]!)
      .filter((r) => r !== row && keyOf(d, r) === key)
      .map((r) => d.rowNumbers[r]!)
      .sort((a, b) => a - b);
    post({ t: 'peers', id, rows: same.slice(0, 50), total: same.length });
  }

  function searchable(d: Doc): Searchable {
    return {
      nCols: d.nCols,
      n: d.n,
      columnText: (c) => ({ text: d.data.cols[c]!, offs: d.data.offs[c]! }),
      lowerColumn: (c) => {
        let s = d.lower[c];
        if (s === undefined) {
          const raw = d.data.cols[c]!;
          s = raw.toLowerCase();
          if (s.length !== raw.length) s = '';
          d.lower[c] = s;
        }
        return s;
      },
      editedCells: () => d.edits.entries(),
      isAlive: (r) => d.alive[r] === 1,
    };
  }

  function liveRows(d: Doc): number[] {
    const out: number[] = [];
    for (let r = 0; r < d.n; r++) if (d.alive[r]) out.push(r);
    return out;
  }

  function build(id: number, request: BuildRequest): void {
    let bytes: Uint8Array;
    try {
      bytes = buildBytes(request);
    } catch (e) {
      post({ t: 'failed', id, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    post({ t: 'bytes', id, bytes }, [bytes.buffer as ArrayBuffer]);
  }

  function buildBytes(request: BuildRequest): Uint8Array {
    if (request.kind === 'template') return buildTemplate(request.format);
    if (request.kind === 'account-template') return buildAccountTemplate(request.snapshot);
    const d = doc;
    if (!d) throw new Error('No sheet is open.');
    if (request.kind === 'sheet') {
      const rows = liveRows(d).map((r) => rowCells(d, r));
      if (request.format === 'csv') {
        return new TextEncoder().encode(
          '\ufeff' + Papa.unparse({ fields: d.headers, data: rows }, { newline: '\r\n' }) + '\r\n',
        );
      }
      const ws = XLSX.utils.aoa_to_sheet([d.headers, ...rows]);
      // Every cell stays text, so ids with leading zeros survive the next opening in Excel.
      for (const key of Object.keys(ws)) {
        const c = ws[key] as XLSX.CellObject | undefined;
        if (!key.startsWith('!') && c) c.z = '@';
      }
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, request.sheetName.slice(0, 31) || 'Projects');
      return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    }
    // Each result meets its row by the row's key (the physical index it was given for).
    const byIndex = new Map<number, RowResult>();
    for (const { index, ...result } of request.results) {
      if (index < 0 || index >= d.n) continue;
      byIndex.set(index, {
        ...result,
        rowKey: rowKeyOf(d.rowNumbers, d.keys, index),
        row: d.rowNumbers[index]!,
      });
    }
    const live = liveRows(d);
    return writeResults(
      {
        headers: d.headers,
        rows: live.map((r) => ({
          rowKey: rowKeyOf(d.rowNumbers, d.keys, r),
          row: d.rowNumbers[r]!,
          cells: rowCells(d, r),
        })),
      },
      live.flatMap((r) => {
        const res = byIndex.get(r);
        return res ? [res] : [];
      }),
      request.format,
    );
  }

  return {
    handle(msg: ToWorker): void {
      switch (msg.t) {
        case 'open':
          open(msg.id, msg.bytes, msg.fileName, msg.options);
          break;
        case 'read':
          read(msg.id, msg.options);
          break;
        case 'validate':
          if (msg.rows === null) queue.length = 0;
          queue.push({ pass: msg.pass, mapping: msg.mapping, defaultOrg: msg.defaultOrg, rows: msg.rows });
          void runPasses();
          // A new mapping or default organization: every row is checked against the account again.
          if (msg.rows === null && account && doc) {
            account = { ...account, mapping: msg.mapping, defaultOrg: msg.defaultOrg };
            void checkAll(doc);
          }
          break;
        case 'cells':
          cells(msg.keys, msg.values);
          if (account && doc) {
            const d = doc;
            checkRows(d, [...new Set(Array.from(msg.keys, (k) => Math.floor(k / d.nCols)))]);
          }
          break;
        case 'openSubmission':
          openSubmission(msg.id, msg.submission);
          break;
        case 'prepare':
          prepare(msg.id, msg.rows, msg.mapping, msg.defaultOrg);
          break;
        case 'account':
          account = msg.snapshot
            ? { snapshot: msg.snapshot, mapping: msg.mapping, defaultOrg: msg.defaultOrg }
            : null;
          if (doc) void checkAll(doc);
          break;
        case 'order':
          order(msg.order);
          break;
        case 'column':
          column(msg.change);
          break;
        case 'peers':
          peers(msg.id, msg.row);
          break;
        case 'build':
          build(msg.id, msg.request);
          break;
        case 'find': {
          const keys = doc
            ? Int32Array.from(findCells(searchable(doc), msg.query, msg.options))
            : new Int32Array(0);
          post({ t: 'found', id: msg.id, keys }, [keys.buffer]);
          break;
        }
      }
    },
    /** For tests: resolves once every queued validation pass has ended. */
    async idle(): Promise<void> {
      while (running || queue.length > 0) await new Promise((r) => setTimeout(r, 1));
    },
  };
}

function defaultYield(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
