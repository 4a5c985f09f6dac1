/**
 * Match values, tried as a new user would in the Sandbox: a sheet of names opens on the match step
 * after the columns, the values that resolve are counted, the clash gets a pick and the typo its
 * suggestion, the rows are then ready with the chosen values in their cells, and the same file
 * opened again finds its choices remembered.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { CAMP_ACTION_PHONE_BANK } from '../../src/sandbox';
import { counts, launchApp, shot, waitChecked, type App } from './helpers';

/** Real Sandbox names: a same-name clash within one brand, a typo, lists named in each organization. */
const NAMES_CSV = [
  'Organization,Project name,Protocol,Brand,Campaign,Phone numbers,Contact lists,Message,Notes',
  'Rivera for Senate,GOTV one,sms,Rivera for Senate,Rivera GOTV 2026,(555) 010-0100,Volunteers,Polls are open until 8pm.,',
  'Rivera for Senate,GOTV two,sms,Rivera for Senate,Rivera GOTV 2062,(555) 010-0101,"Volunteers; 2024 donors",Polls are open until 8pm.,typo in the campaign',
  'Forward Together PAC,Phone bank,sms,Forward Together Action Fund,Action Fund Phone Bank,(555) 010-0143,Volunteers,Call us tonight.,two campaigns share this name',
  'rivera for senate,GOTV three,sms,Rivera for Senate,Rivera GOTV 2062,(555) 010-0102,Volunteers,Polls are open until 8pm.,',
].join('\r\n');

let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

async function openNames(page: Page): Promise<void> {
  await page.getByTestId('file-input').setInputFiles({
    name: 'names.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(NAMES_CSV, 'utf8'),
  });
}

const summary = (page: Page) => page.locator('.match-summary');

/** The grid's text of a cell, by view row and column. */
async function cellText(page: Page, viewRow: number, col: number): Promise<string> {
  return ((await page.locator(`#cell-${viewRow}-${col}`).textContent()) ?? '').trim();
}

describe('match values', () => {
  test('a sheet of names: matched values counted, one pick, one suggestion, rows ready, choices remembered', async () => {
    app = await launchApp();
    const { page } = app;
    await openNames(page);
    await page.getByRole('button', { name: 'Match values →' }).click();
    await page.getByRole('heading', { name: 'Match values' }).waitFor();
    await expect.poll(() => summary(page).textContent()).toBe('2 values to decide · 12 values matched');
    await shot(page, 'match-values');

    // The clash: both campaigns of the brand are offered; the one meant is picked from the list.
    const clash = page.getByRole('listitem', { name: 'Campaign: “Action Fund Phone Bank”' });
    await expect(clash.getByRole('option').count()).resolves.toBeGreaterThanOrEqual(2);
    await clash.getByRole('combobox').fill(CAMP_ACTION_PHONE_BANK);
    await clash.getByRole('option', { name: new RegExp(CAMP_ACTION_PHONE_BANK) }).click();

    // The typo: the suggestion is one click, for both rows that carry it.
    const typo = page.getByRole('listitem', { name: 'Campaign: “Rivera GOTV 2062”' });
    await expect(typo.getByText('2 rows')).toBeDefined();
    await typo.getByRole('button', { name: 'Use Rivera GOTV 2026' }).click();
    await expect.poll(() => summary(page).textContent()).toMatch(/^Every value matches/);
    const chosen = page.locator('.match-chosen li');
    await expect(chosen.count()).resolves.toBe(2);
    await shot(page, 'match-values-chosen');

    await page.getByRole('button', { name: 'Review 4 rows →' }).click();
    await page.getByRole('grid').waitFor();
    await waitChecked(page);
    await expect.poll(() => counts(page)).toMatchObject({ All: 4, Errors: 0, Ready: 4 });
    // The cells hold the chosen values: what the grid shows is what is sent.
    const campaignCol = 4;
    expect(await cellText(page, 1, campaignCol)).toBe('Rivera GOTV 2026');
    expect(await cellText(page, 2, campaignCol)).toBe(`Action Fund Phone Bank (${CAMP_ACTION_PHONE_BANK})`);
    expect(await cellText(page, 3, campaignCol)).toBe('Rivera GOTV 2026');

    // The same file again: its columns are known, and the choices are remembered and applied.
    await page.getByRole('button', { name: 'Close file' }).click();
    await page.getByRole('button', { name: 'Close without saving' }).click();
    await openNames(page);
    await page.getByRole('heading', { name: 'Match values' }).waitFor();
    await expect.poll(() => summary(page).textContent()).toMatch(/^Every value matches/);
    await expect(page.locator('.match-chosen .pill', { hasText: 'remembered' }).count()).resolves.toBe(2);
    await shot(page, 'match-values-remembered');
    await page.getByRole('button', { name: 'Review 4 rows →' }).click();
    await waitChecked(page);
    await expect.poll(() => counts(page)).toMatchObject({ All: 4, Errors: 0, Ready: 4 });
    expect(app.errors).toEqual([]);
  });

  test('the match step in the dark and in a small window', async () => {
    app = await launchApp({ colorScheme: 'dark' });
    const { page } = app;
    await openNames(page);
    await page.getByRole('button', { name: 'Match values →' }).click();
    await expect.poll(() => summary(page).textContent()).toBe('2 values to decide · 12 values matched');
    await shot(page, 'match-values-dark');
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('.match-matched summary').click();
    await page.locator('.match-table').scrollIntoViewIfNeeded();
    await shot(page, 'match-values-1000x700');
    expect(app.errors).toEqual([]);
  });
});
