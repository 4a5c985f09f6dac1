/**
 * From open to created with no id typed: examples/projects-names.csv (150 projects kept as people
 * keep them: friendly headers, names, formatted numbers, blank lines, a Notes column and four genuine
 * mistakes) opened in the app with the Sandbox. The suggested matches are accepted, the one clash is
 * picked, the one missing message typed, and every row is created, each sent with ids only. The
 * sheet as saved then goes through `submit` against a fresh Sandbox and creates the same projects.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { looksLikeId } from '../../src/shared/account/names';
import { REFERENCE_FIELDS } from '../../src/shared/account/resolve';
import { FIELD_NAMES } from '../../src/shared/schema/fields';
import { CAMP_ACTION_PHONE_BANK, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { runCli } from '../integration/cli/run-cli';
import { NAMES_HEADERS } from '../../scripts/make-names-example';
import { counts, grid, launchApp, shot, typeInto, waitChecked, type App } from './helpers';

const FILE = fileURLToPath(new URL('../../examples/projects-names.csv', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let app: App;
beforeAll(async () => {
  app = await launchApp();
}, 120_000);
afterAll(async () => app?.close());

const summary = (page: Page) => page.locator('.match-summary');

/** Move the grid's cursor with the keyboard to a cell of the rows in view, and return it. */
async function cellAt(page: Page, viewRow: number, col: number) {
  await grid(page).focus();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < viewRow; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < col; i++) await page.keyboard.press('ArrowRight');
  const cell = page.locator(`#cell-${viewRow}-${col}`);
  await cell.waitFor();
  return cell;
}

type Project = { detail: object };

/** What was asked for, field by field (the request as the API received it), by project name. */
function requested(projects: readonly Project[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const p of projects) {
    const d = p.detail as Record<string, unknown>;
    const picked: Record<string, unknown> = {};
    for (const f of FIELD_NAMES) if (d[f] !== undefined && d[f] !== null) picked[f] = d[f];
    out.set(String(d.name), picked);
  }
  return out;
}

function expectIdsOnly(projects: readonly Project[]): void {
  for (const p of projects) {
    const d = p.detail as Record<string, unknown>;
    for (const field of Object.keys(REFERENCE_FIELDS)) {
      const v = d[field];
      for (const id of v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])
        expect(looksLikeId(String(id)), `${String(d.name)}: ${field} ${String(id)}`).toBe(true);
    }
  }
}

describe('a sheet of names, from open to created', () => {
  test('matches, fixes only the genuine mistakes, creates every row; submit creates the same', async () => {
    const { page } = app;
    await page.getByTestId('file-input').setInputFiles(FILE);
    await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
    await expect(page.getByLabel('Field for column Notes').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Field for column Link?').inputValue()).resolves.toBe(
      'link_tracking_enabled',
    );
    await expect(page.getByLabel('Field for column Suppress').inputValue()).resolves.toBe(
      'suppression_list_ids',
    );
    await page.getByRole('button', { name: 'Match values →' }).click();
    await page.getByRole('heading', { name: 'Match values' }).waitFor();
    await expect
      .poll(() => summary(page).textContent(), { timeout: 30_000 })
      .toMatch(/^3 values to decide · \d+ values matched$/);
    await shot(page, 'names-match');
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: join(DOCS, 'match.png') });

    // The two typos: the suggestion is one click each.
    await page
      .getByRole('listitem', { name: 'Campaign: “Rivera GOTV 2062”' })
      .getByRole('button', { name: 'Use Rivera GOTV 2026' })
      .click();
    await page
      .getByRole('listitem', { name: 'Brand: “Forward Together Action Fnd”' })
      .getByRole('button', { name: 'Use Forward Together Action Fund' })
      .click();
    // The clash: two campaigns of the brand share the name; the one meant is picked from the list.
    const clash = page.getByRole('listitem', { name: 'Campaign: “Action Fund Phone Bank”' });
    await clash.getByRole('combobox').fill(CAMP_ACTION_PHONE_BANK);
    await clash.getByRole('option', { name: new RegExp(CAMP_ACTION_PHONE_BANK) }).click();
    await expect.poll(() => summary(page).textContent()).toMatch(/^Every value matches/);

    await page.getByRole('button', { name: 'Review 150 rows →' }).click();
    await page.getByRole('grid').waitFor();
    await waitChecked(page);
    // Only the row with no message is left: nothing else needs an id, a lookup or a second check.
    await expect.poll(() => counts(page), { timeout: 60_000 }).toMatchObject({ All: 150, Errors: 1 });
    // The one row with an error is the one with no message: shown alone, its message typed.
    await page.getByRole('button', { name: /^Errors/ }).click();
    const message = await cellAt(page, 0, NAMES_HEADERS.indexOf('Message'));
    await page.locator('.side h2', { hasText: 'Row 130' }).waitFor();
    await typeInto(page, message, 'Member update 4: the board meets Thursday. Details: {link}');
    await expect.poll(() => counts(page)).toMatchObject({ All: 150, Errors: 0, Ready: 150 });
    await page.getByRole('button', { name: /^All/ }).click();
    await cellAt(page, 0, NAMES_HEADERS.indexOf('Campaign'));
    // The row says what its names are sent as.
    const sentAs = page.locator('.side .sent-as');
    await sentAs.getByText(/Campaign “Rivera GOTV 2026” → camp_/).waitFor();
    await sentAs.getByText(/Numbers “\(555\) 010-0100” is \+1 555-010-0100 → pn_/).waitFor();
    await shot(page, 'names-review');

    const create = page.locator('.toolbar .primary');
    await expect(create.textContent()).resolves.toMatch(/Create 150 projects/);
    await create.click();
    const dialog = page.getByTestId('submit-dialog');
    await dialog.getByRole('button', { name: 'Create 150 projects' }).click();
    await page.getByText(/^Done: /).waitFor({ timeout: 180_000 });
    await expect.poll(() => counts(page)).toMatchObject({ Created: 150 });

    const inApp = app.harness.sandbox!.state.projects;
    expect(inApp).toHaveLength(150);
    expectIdsOnly(inApp);

    // The sheet as it is now (the names as typed and chosen), saved, and sent by `submit`.
    await page.keyboard.press('Control+s');
    const saved = await page.getByText(/^Saved: /).textContent();
    const path = /^Saved: (.*)$/.exec(saved ?? '')![1]!.trim();
    expect(readFileSync(path, 'utf8')).toContain('Rivera GOTV 2026');
    const copy = join(app.dataDir, 'names-again.csv');
    copyFileSync(path, copy);
    const fresh: RunningSandbox = await startSandbox();
    try {
      const r = await runCli(
        ['submit', copy, '--base-url', fresh.baseUrl, '--results', join(app.dataDir, 'again.results.csv')],
        {
          env: { POLITICAL_COMMS_API_KEY: fresh.apiKey },
        },
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(fresh.state.projects).toHaveLength(150);
      expect(requested(fresh.state.projects)).toEqual(requested(inApp));
    } finally {
      await fresh.close();
    }
    expect(app.errors).toEqual([]);
  }, 600_000);
});
