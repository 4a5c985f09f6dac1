/**
 * The engine takes prepared rows and trusts none of them: a row with an error, or whose body the
 * strict request schema refuses, is never sent; a row created before is skipped with its project
 * id; answers, journal records and events are keyed by row key, not by position.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { ApiKeyError, createRun, SubmissionError, type RowEvent } from '../../../src/engine';
import { parseJournal } from '../../../src/engine/journal';
import type { PreparedRow, Submission } from '../../../src/shared/prepared';
import { writeResults } from '../../../src/shared/results';
import { PHONE_NUMBER_IDS, startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { BRAND_RIVERA, CAMP_RIVERA_GOTV, CL_RIVERA_SUPPORTERS, ORG_SENATE } from '../../../src/sandbox/seed';
import { csv, fromFile, tenDlcRow } from '../../unit/engine/helpers';

let sb: RunningSandbox;
let dir: string;
beforeEach(async () => {
  sb = await startSandbox({ seed: 4 });
  dir = mkdtempSync(join(tmpdir(), 'bi-prepared-'));
});
afterEach(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Rows as the grid prepares them: keys of its own choosing, not derived from row numbers. */
function gridSubmission(rows: Array<Partial<PreparedRow> & { name: string }>): Submission {
  const base = fromFile(csv(rows.map((r) => tenDlcRow(r.name)))).submission;
  return {
    ...base,
    fileName: 'grid.xlsx',
    rows: base.rows.map((r, i) => {
      const { name: _name, ...patch } = rows[i]!;
      return { ...r, rowKey: `g${100 - i}`, ...patch };
    }),
  };
}

const posts = () => sb.state.log.filter((e) => e.method === 'POST');

describe('prepared rows', () => {
  it('refuses rows with an error issue or a body the strict schema rejects; sends the rest, keyed by row key', async () => {
    const submission = gridSubmission([
      { name: 'Good' },
      {
        name: 'Error issue',
        issues: [
          { row: 3, field: 'name', severity: 'error', code: 'reader_error', message: 'The cell held #N/A.' },
        ],
      },
      { name: 'Unknown property' },
      { name: 'Wrong type' },
      { name: 'Also good' },
    ]);
    const body = (i: number) => submission.rows[i]!.body as Record<string, unknown>;
    submission.rows[2]!.body = { ...body(2), type: 'broadcast' };
    submission.rows[3]!.body = { ...body(3), phone_number_ids: 'pn_1' };
    const journalPath = join(dir, 'j.jsonl');
    const events: RowEvent[] = [];
    const run = createRun({
      submission,
      inputHash: 'grid-1',
      audience: 'app',
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
      journalPath,
    });
    run.on('row', (e) => events.push(e));
    const summary = await run.start();

    expect(summary.results.map((r) => [r.rowKey, r.row, r.status])).toEqual([
      ['g100', 2, 'created'],
      ['g99', 3, 'invalid'],
      ['g98', 4, 'invalid'],
      ['g97', 5, 'invalid'],
      ['g96', 6, 'created'],
    ]);
    expect(sb.state.projects.map((p) => p.detail.name).sort()).toEqual(['Also good', 'Good']);
    expect(posts()).toHaveLength(2);
    expect(summary.issues).toContainEqual(
      expect.objectContaining({ row: 4, code: 'invalid_request_body', severity: 'error' }),
    );
    expect(summary.issues).toContainEqual(
      expect.objectContaining({ row: 5, field: 'phone_number_ids', code: 'invalid_request_body' }),
    );
    // Idempotency-Keys from the run id and the row key.
    expect(posts().map((e) => e.idempotencyKey)).toEqual([`${summary.runId}-g100`, `${summary.runId}-g96`]);
    // The journal and the events speak of row keys.
    const records = parseJournal(readFileSync(journalPath, 'utf8')).records;
    const results = records.filter((r) => r.type === 'result');
    expect(results.map((r) => ('rowKey' in r ? r.rowKey : null)).sort()).toEqual([
      'g100',
      'g96',
      'g97',
      'g98',
      'g99',
    ]);
    expect(records.filter((r) => r.type === 'send').map((r) => ('rowKey' in r ? r.rowKey : null))).toEqual([
      'g100',
      'g96',
    ]);
    expect(events.map((e) => e.result.rowKey).sort()).toEqual(['g100', 'g96', 'g97', 'g98', 'g99']);
  });

  it('skips a row created before with its project id, and never sends it', async () => {
    const submission = gridSubmission([
      { name: 'Made earlier', createdBefore: { projectId: 'proj_earlier', projectStatus: 'draft' } },
      { name: 'New one' },
    ]);
    const summary = await createRun({
      submission,
      inputHash: 'grid-2',
      audience: 'app',
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
    }).start();
    expect(summary.results[0]).toMatchObject({
      rowKey: 'g100',
      status: 'skipped',
      projectId: 'proj_earlier',
      projectStatus: 'draft',
    });
    expect(summary.results[1]).toMatchObject({ rowKey: 'g99', status: 'created' });
    expect(sb.state.projects.map((p) => p.detail.name)).toEqual(['New one']);
    // Nothing says a created row "will be created again".
    expect(summary.issues.filter((i) => i.row === 2)).toEqual([]);
  });

  it('refuses a submission whose rows share a key, before anything is sent', async () => {
    const submission = gridSubmission([{ name: 'A' }, { name: 'B' }]);
    submission.rows[1]!.rowKey = submission.rows[0]!.rowKey;
    await expect(
      createRun({
        submission,
        inputHash: 'x',
        audience: 'app',
        apiKey: sb.apiKey,
        baseUrl: sb.baseUrl,
      }).start(),
    ).rejects.toThrow(SubmissionError);
    expect(sb.state.log).toHaveLength(0);
  });

  it('the results sheet keeps what the user typed: a number typed as a number stays, the id is sent', async () => {
    const input = fromFile(csv([tenDlcRow('Typed', { phone_number_ids: '+1 555 010 0100' })]));
    const summary = await createRun({ ...input, apiKey: sb.apiKey, baseUrl: sb.baseUrl }).start();
    expect(sb.state.projects[0]?.detail.phone_number_ids).toEqual([PHONE_NUMBER_IDS.riveraGotv[0]]);
    expect(summary.resolved).toEqual([
      {
        rowKey: 'row-2',
        row: 2,
        field: 'phone_number_ids',
        from: '+1 555 010 0100',
        to: PHONE_NUMBER_IDS.riveraGotv[0],
        label: '+1 555-010-0100',
      },
    ]);
    const grid = Papa.parse<string[]>(
      new TextDecoder().decode(writeResults(summary.source, summary.results, 'csv')).replace(/^\uFEFF/, ''),
      { skipEmptyLines: true },
    ).data;
    const h = grid[0]!;
    expect(grid[1]![h.indexOf('phone_number_ids')]).toBe("'+1 555 010 0100");
    expect(grid[1]![h.indexOf('status')]).toBe('created');
    expect(grid[1]![h.indexOf('sent_ids')]).toBe(`phone_number_ids: ${PHONE_NUMBER_IDS.riveraGotv[0]}`);
  });

  it('a row of names is sent as ids; its results sheet keeps the names and lists the ids sent', async () => {
    const input = fromFile(
      csv([
        tenDlcRow('Named', {
          organization_id: 'Rivera for Senate',
          brand_id: 'rivera for senate',
          campaign_id: 'Rivera GOTV 2026',
          phone_number_ids: '(555) 010-0100',
          contact_list_ids: 'Statewide supporters',
        }),
      ]),
    );
    const summary = await createRun({ ...input, apiKey: sb.apiKey, baseUrl: sb.baseUrl }).start();
    expect(summary.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(summary.counts.created).toBe(1);
    const sent = sb.state.projects[0]!.detail;
    expect(sent).toMatchObject({
      organization_id: ORG_SENATE,
      brand_id: BRAND_RIVERA,
      campaign_id: CAMP_RIVERA_GOTV,
      phone_number_ids: [PHONE_NUMBER_IDS.riveraGotv[0]],
      contact_list_ids: [CL_RIVERA_SUPPORTERS],
    });
    const grid = Papa.parse<string[]>(
      new TextDecoder().decode(writeResults(summary.source, summary.results, 'csv')).replace(/^\uFEFF/, ''),
      { skipEmptyLines: true },
    ).data;
    const h = grid[0]!;
    expect(grid[1]![h.indexOf('brand_id')]).toBe('rivera for senate');
    expect(grid[1]![h.indexOf('sent_ids')]).toBe(
      `organization_id: ${ORG_SENATE}; brand_id: ${BRAND_RIVERA}; campaign_id: ${CAMP_RIVERA_GOTV}; ` +
        `phone_number_ids: ${PHONE_NUMBER_IDS.riveraGotv[0]}; contact_list_ids: ${CL_RIVERA_SUPPORTERS}`,
    );
  });

  it('results meet their rows by row key, whatever the order of the results', async () => {
    const source = {
      headers: ['name'],
      rows: [
        { rowKey: 'b', row: 2, cells: ['Second key first'] },
        { rowKey: 'a', row: 3, cells: ['First key second'] },
      ],
    };
    const table = new TextDecoder().decode(
      writeResults(
        source,
        [
          // Row numbers that disagree (the rows moved): the key decides.
          { rowKey: 'a', row: 2, status: 'created', projectId: 'proj_a', attempts: 1 },
          { rowKey: 'b', row: 3, status: 'failed', errorCode: 'X', attempts: 1 },
        ],
        'csv',
      ),
    );
    expect(table).toMatch(/"Second key first","failed"/);
    expect(table).toMatch(/"First key second","created","proj_a"/);
  });
});

describe('the API key', () => {
  it('a key with a line break or a control character is refused before anything is sent or journaled', async () => {
    const submission = gridSubmission([{ name: 'Good' }]);
    for (const bad of [`${sb.apiKey}\nX-Injected: 1`, `${sb.apiKey}\u0007`, `pc_live key`]) {
      const journalPath = join(dir, `bad-${bad.length}.jsonl`);
      const run = createRun({
        submission,
        inputHash: 'grid-1',
        audience: 'app',
        apiKey: bad,
        baseUrl: sb.baseUrl,
        journalPath,
      });
      const error = await run.start().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(ApiKeyError);
      expect(error!.message).not.toContain(sb.apiKey);
      expect(error!.message).toMatch(/cannot be sent/);
      expect(existsSync(journalPath)).toBe(false);
    }
    expect(sb.state.log).toHaveLength(0);
  });
});
