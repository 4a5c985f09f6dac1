/**
 * Names, fixed and filled in the review screen against the Sandbox's account: a misspelt campaign
 * fixed with its "Did you mean" button, the toll-free verification column the sheet lacks added for
 * the selected toll-free rows and picked from the account, spaces trimmed, and whole-cell find that
 * sees past spaces around a cell.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { ORG_SENATE } from '../../src/sandbox/seed';
import { launchApp, shot, waitChecked, type App } from './helpers';

const PN_GOTV = 'pn_01HRCGB4W8GJACYA1SCX5GNW8R, pn_01HRD8DYP3DFY0SDWCHF9Q1YYS';
const PN_TOLL_FREE = 'pn_01HSAKVT9K8H15WX6S45W192JG, pn_01HSBBY7ZDN7577FB39XT544FY';
const MSG = 'Hi {first_name}, polls are open until 8pm today.';
const SHEET = [
  'Organization,Project name,Protocol,Channel,Brand,Campaign,Phone Numbers,Message',
  `${ORG_SENATE},GOTV A,sms,10dlc,Rivera for Senate,Rivera GOTV 2062,"${PN_GOTV}",${MSG}`,
  `${ORG_SENATE},GOTV B,sms,10dlc,Rivera for Senate,Rivera GOTV 2062,"${PN_GOTV}",${MSG}`,
  `${ORG_SENATE},Early vote (toll-free),sms,toll-free,,,"${PN_TOLL_FREE}",${MSG}`,
  `${ORG_SENATE},Debate watch (toll-free),sms,toll-free,,,"${PN_TOLL_FREE}",${MSG}`,
  `${ORG_SENATE},GOTV C,sms,10dlc,\u00a0Rivera for Senate ,  Rivera GOTV 2026 ,"${PN_GOTV}",${MSG}`,
].join('\r\n');

let app: App;

beforeAll(async () => {
  app = await launchApp();
});
afterAll(async () => {
  await app?.close();
});

function status(page: Page, excelRow: number) {
  return page.locator(`[role="row"][aria-rowindex="${excelRow}"] .status`);
}

/** A cell of the unfiltered grid by its row (as the file numbers it) and column. */
function cell(page: Page, excelRow: number, col: number) {
  return page.locator(`#cell-${excelRow - 2}-${col}`);
}

describe('names fixed and filled in the grid', () => {
  test('did-you-mean, a column from the account for the selected rows, trim and find', async () => {
    const { page } = app;
    await page.getByTestId('file-input').setInputFiles({
      name: 'names.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(SHEET),
    });
    // A sheet of names goes through the match step; its typo is left for the grid's fix button.
    await page.getByRole('button', { name: 'Match values →' }).click();
    await page.getByRole('heading', { name: 'Match values' }).waitFor();
    await page.getByRole('button', { name: 'Review 5 rows →' }).click();
    await waitChecked(page);
    await page.getByRole('button', { name: 'Check with account' }).click();
    await page.getByText(/The account check found \d+ problems? in \d+ rows?/).waitFor();
    await expect.poll(() => status(page, 2).textContent()).toMatch(/Error/);

    // The misspelt campaign: its fix is a button beside the message.
    await cell(page, 2, 5).click();
    const side = page.getByRole('complementary', { name: 'Details' });
    const fix = side.getByRole('button', { name: 'Did you mean Rivera GOTV 2026?' });
    await fix.waitFor();
    await shot(page, 'columns-fix-button');
    // Row 3 has the same typo: one click fixes both, one undo brings both back.
    await side.getByRole('button', { name: 'Apply to all 2 rows with “Rivera GOTV 2062”' }).click();
    await page.getByText('2 rows fixed.').waitFor();
    for (const row of [2, 3]) await expect.poll(() => status(page, row).textContent()).not.toMatch(/Error/);
    await page.keyboard.press('Control+z');
    for (const row of [2, 3]) await expect.poll(() => status(page, row).textContent()).toMatch(/Error/);
    await expect(cell(page, 3, 5).textContent()).resolves.toBe('Rivera GOTV 2062');

    await fix.click();
    await expect.poll(() => cell(page, 2, 5).textContent()).toBe('Rivera GOTV 2026');
    await expect.poll(() => status(page, 2).textContent()).not.toMatch(/Error/);
    await side.getByText('No problems').waitFor();
    await expect(status(page, 3).textContent()).resolves.toMatch(/Error/);
    await cell(page, 3, 5).click();
    await fix.click();
    await expect.poll(() => status(page, 3).textContent()).not.toMatch(/Error/);

    // The toll-free rows lack their verification: a column for the two of them, from the account.
    for (const row of [4, 5]) await expect.poll(() => status(page, row).textContent()).toMatch(/Error/);
    await cell(page, 4, 1).click();
    await cell(page, 5, 1).click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: 'Set column…' }).click();
    const dialog = page.getByTestId('set-column');
    await dialog.getByRole('combobox', { name: 'Field' }).selectOption('toll_free_verification_id');
    await expect(dialog.getByRole('radio', { name: /Selected rows \(2\)/ }).isChecked()).resolves.toBe(true);
    await dialog.getByRole('searchbox', { name: 'Search the account' }).fill('main');
    const value = dialog.getByRole('listbox', { name: 'Value' });
    await expect(value.locator('option').count()).resolves.toBe(1);
    await value.selectOption('Rivera toll-free (main)');
    await shot(page, 'columns-set-column');
    await dialog.getByRole('button', { name: 'Add column for 2 rows' }).click();
    await page.getByText('Column Toll-free verification added, set in 2 rows.').waitFor();
    // The new column is the last one: End goes there.
    await cell(page, 4, 1).click();
    await page.keyboard.press('End');
    await page.getByRole('columnheader', { name: /Toll-free verification/ }).waitFor();
    await expect.poll(() => cell(page, 4, 8).textContent()).toBe('Rivera toll-free (main)');
    await expect(cell(page, 2, 8).textContent()).resolves.toBe('');
    for (const row of [4, 5]) await expect.poll(() => status(page, row).textContent()).not.toMatch(/Error/);
    await waitChecked(page);
    await expect(page.locator('.toolbar .primary').textContent()).resolves.toBe('Create 5 projects');

    // Trim the selected cells only: row 6's campaign; its brand keeps its spaces for find.
    await cell(page, 6, 5).click();
    await cell(page, 6, 6).click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: 'Trim', exact: true }).click();
    await page.getByText('Spaces trimmed in 1 cell.').waitFor();
    await expect(cell(page, 6, 5).textContent()).resolves.toBe('Rivera GOTV 2026');
    await expect(cell(page, 6, 4).textContent()).resolves.toMatch(/^\s+Rivera for Senate\s+$/);

    // Whole-cell find sees " Rivera for Senate " as "Rivera for Senate": the brands of rows 2, 3 and 6.
    await page.getByRole('button', { name: 'Find' }).click();
    const find = page.getByRole('search', { name: 'Find and replace' });
    await find.getByRole('checkbox', { name: 'Whole cell' }).check();
    await find.getByRole('searchbox', { name: 'Find' }).fill('Rivera for Senate');
    await find.getByText('3 matches').waitFor();
    await shot(page, 'columns-find');

    // Dark, and a small window.
    await cell(page, 4, 8).click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'columns-dark');
    await page.setViewportSize({ width: 1000, height: 700 });
    await shot(page, 'columns-1000x700');
    await page.getByRole('button', { name: 'Set column…' }).click();
    await page
      .getByTestId('set-column')
      .getByRole('combobox', { name: 'Field' })
      .selectOption('link_tracking_domain_id');
    await shot(page, 'columns-set-column-small-dark');
    await page.getByTestId('set-column').getByRole('button', { name: 'Cancel' }).click();
    expect(app.errors).toEqual([]);
  });
});
