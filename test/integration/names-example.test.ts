/**
 * examples/projects-names.csv through `submit`, as a person would use it: the dry run names the
 * four genuine mistakes (with their fixes) and resolves everything else; with those fixed, every
 * row is created, each sent with ids only, and the results sheet keeps the names as typed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { namesExampleGrid } from '../../scripts/make-names-example';
import { readSheet } from '../../src/shared/sheet';
import { looksLikeId } from '../../src/shared/account/names';
import { REFERENCE_FIELDS } from '../../src/shared/account/resolve';
import { CAMP_ACTION_PHONE_BANK, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { runCli } from './cli/run-cli';

const FILE = new URL('../../examples/projects-names.csv', import.meta.url);

let sb: RunningSandbox;
let dir: string;
beforeAll(async () => {
  sb = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'bi-names-'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The example with its four mistakes fixed as the app's fixes (and a typed message) fix them. */
function fixedNamesGrid(): string[][] {
  const grid = namesExampleGrid();
  const h = grid[0]!;
  const set = (row: number, header: string, value: string) => {
    grid[row - 1]![h.indexOf(header)] = value;
  };
  set(32, 'Campaign', 'Rivera GOTV 2026');
  set(96, 'Brand', 'Forward Together Action Fund');
  set(125, 'Campaign', `Action Fund Phone Bank (${CAMP_ACTION_PHONE_BANK})`);
  set(126, 'Campaign', `Action Fund Phone Bank (${CAMP_ACTION_PHONE_BANK})`);
  set(130, 'Message', 'Member update 4: the board meets Thursday. Details: {link}');
  return grid;
}

describe('examples/projects-names.csv', () => {
  it('is what the generator writes', () => {
    const sheet = readSheet(new Uint8Array(readFileSync(FILE)), { fileName: 'projects-names.csv' });
    expect([sheet.headers, ...sheet.rows.map((r) => r.cells)]).toEqual(
      namesExampleGrid().filter((r, i) => i === 0 || r.some((c) => c !== '')),
    );
    expect(sheet.rows).toHaveLength(150);
  });

  it('a dry run names the genuine mistakes, each with its fix, and resolves every other name', async () => {
    const results = join(dir, 'dry.results.csv');
    const r = await runCli(
      ['submit', FILE.pathname, '--dry-run', '--base-url', sb.baseUrl, '--results', results],
      { env: { POLITICAL_COMMS_API_KEY: sb.apiKey } },
    );
    const out = r.stdout + r.stderr;
    expect(out).toMatch(
      /row 32, campaign_id \(error\): Campaign “Rivera GOTV 2062” is not a campaign of brand Rivera for Senate\. Did you mean Rivera GOTV 2026/,
    );
    expect(out).toMatch(
      /row 96, brand_id \(error\): Brand “Forward Together Action Fnd” is not a brand of organization Forward Together PAC\. Did you mean Forward Together Action Fund/,
    );
    expect(out).toMatch(
      /row 125, campaign_id \(error\): 2 campaigns of brand Forward Together Action Fund are named “Action Fund Phone Bank”/,
    );
    expect(out).toMatch(/row 130, message_text \(error\)/);
    const errorLines = out.split('\n').filter((l) => /^row \d+, \w+ \(error\)/.test(l));
    expect(errorLines.map((l) => /^row (\d+)/.exec(l)![1])).toEqual(['32', '96', '125', '126', '130']);
    expect(sb.state.projects).toHaveLength(0);
  });

  it('fixed, every row is created with ids only, and the results keep the names', async () => {
    const input = join(dir, 'projects-names-fixed.csv');
    writeFileSync(input, '\ufeff' + Papa.unparse(fixedNamesGrid(), { newline: '\r\n' }) + '\r\n');
    const results = join(dir, 'fixed.results.csv');
    const r = await runCli(['submit', input, '--base-url', sb.baseUrl, '--results', results], {
      env: { POLITICAL_COMMS_API_KEY: sb.apiKey },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(sb.state.projects).toHaveLength(150);
    for (const p of sb.state.projects) {
      const body = p.detail as unknown as Record<string, unknown>;
      for (const field of Object.keys(REFERENCE_FIELDS)) {
        const v = body[field];
        for (const id of v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]) {
          expect(looksLikeId(String(id)), `${field} ${String(id)}`).toBe(true);
        }
      }
    }
    const sheet = readSheet(new Uint8Array(readFileSync(results)), { fileName: 'fixed.results.csv' });
    const at = (h: string) => sheet.headers.indexOf(h);
    expect(sheet.rows.every((row) => row.cells[at('status')] === 'created')).toBe(true);
    expect(sheet.rows[0]!.cells[at('Campaign')]).toBe('Rivera GOTV 2026');
    expect(sheet.rows[0]!.cells[at('sent_ids')]).toMatch(/campaign_id: camp_/);
  }, 120_000);
});
