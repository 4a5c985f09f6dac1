/**
 * The whole flow on examples/projects.xlsx against the Sandbox: open it, find each deliberate
 * mistake on its cell, fix them in place (typing, clipboard, find & replace, the quick fix, undo and
 * redo), run the account pre-flight, create the projects, export the results and check the file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readSheet } from '../../src/shared/sheet';
import { counts, gotoCell, grid, launchApp, shot, typeInto, waitChecked, type App } from './helpers';

let app: App;

beforeAll(async () => {
  app = await launchApp();
});

afterAll(async () => {
  await app?.close();
});

const expectedProblems: Array<[number, Parameters<typeof gotoCell>[2], 'error' | 'warning', RegExp]> = [
  [4, 'Campaign ID', 'error', /campaign_id is required for a 10DLC project/],
  [6, 'Brand ID', 'error', /brand_id must be empty for a toll-free project/],
  [8, 'Protocol', 'error', /protocol cannot be read: "picture"/],
  [10, 'Phone Numbers', 'error', /lists pn_01HRVJ11E41FRMH1DHRXWYQ8AZ more than once/],
  [12, 'Tracking domain', 'error', /link_tracking_domain_id is required when link tracking is on/],
  [13, 'Project name', 'warning', /Another row of the same organization has this name/],
  [14, 'Project name', 'warning', /Another row of the same organization has this name/],
  [16, 'Message', 'warning', /the message has no \{link\}/],
];

describe('examples/projects.xlsx in the Sandbox', () => {
  test('the start screen offers the example, the template and settings', async () => {
    const { page } = app;
    await shot(page, '01-start');
    await page.getByRole('button', { name: /Sandbox/ }).click();
    const settings = page.getByTestId('settings');
    await expect(settings.getByRole('radio', { name: /Sandbox/ }).isChecked()).resolves.toBe(true);
    await settings.getByRole('button', { name: 'Test connection' }).click();
    await settings.getByText(/Connected: this key reaches/).waitFor();
    await shot(page, '02-settings');
    await settings.getByRole('button', { name: 'Done' }).click();
  });

  test('opening the workbook shows its sheets, the first lines and the matched columns', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
    // Two sheets: the picker is there, on the first one.
    await expect(page.getByLabel('Sheet').inputValue()).resolves.toBe('Projects');
    await page.getByRole('table', { name: 'First lines of the file' }).waitFor();
    await expect(page.getByLabel('Field for column Notes').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Field for column Brand ID').inputValue()).resolves.toBe('brand_id');
    await expect(page.locator('.required-list .missing').count()).resolves.toBe(0);
    await shot(page, '03-columns');
    await page.getByRole('button', { name: 'Review 20 rows →' }).click();
    await grid(page).waitFor();
    await waitChecked(page);
    await expect.poll(() => counts(page)).toEqual({ All: 20, Errors: 5, Warnings: 3, Ready: 12 });
    await expect(page.title()).resolves.toBe('projects.xlsx — Broadcast Importer');
  });

  test('every mistake is painted on its cell, with its message', async () => {
    const { page } = app;
    for (const [row, header, severity, message] of expectedProblems) {
      const cell = await gotoCell(page, row, header);
      await expect(cell.getAttribute('class')).resolves.toContain(severity === 'error' ? 'err' : 'warn');
      expect(await cell.getAttribute('title')).toMatch(message);
      // The side panel shows the selected row's problems too.
      await page.locator('#row-title').getByText(`Row ${row}`).waitFor();
      await expect(page.locator('.side .issue-list').textContent()).resolves.toMatch(message);
    }
    // A cell without a problem is not painted.
    const fine = await gotoCell(page, 5, 'Campaign ID');
    await expect(fine.getAttribute('class')).resolves.not.toMatch(/\b(err|warn)\b/);
    await gotoCell(page, 6, 'Brand ID');
    await shot(page, '04-review-errors');
  });

  test('F8 walks from one problem to the next', async () => {
    const { page } = app;
    await gotoCell(page, 2, 'Organization ID');
    await page.keyboard.press('F8');
    await expect(grid(page).getAttribute('aria-activedescendant')).resolves.toBe('cell-2-5');
    await page.keyboard.press('F8');
    await expect(grid(page).getAttribute('aria-activedescendant')).resolves.toBe('cell-4-4');
  });

  test('fixing the mistakes in place', async () => {
    const { page } = app;
    // Row 4: copy the campaign of row 3 and paste it.
    await gotoCell(page, 3, 'Campaign ID');
    await page.keyboard.press('Control+C');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Control+V');
    const campaign = page.locator('#cell-2-5');
    await expect(campaign.textContent()).resolves.toBe('camp_01HR9G1HX1EN9R9RS5X0FZS0PB');
    await expect(campaign.getAttribute('class')).resolves.not.toContain('err');

    // Row 6: the quick fix for a toll-free row with a brand.
    await gotoCell(page, 6, 'Protocol');
    await page.getByRole('button', { name: 'Clear Brand ID in this row' }).click();
    await expect(page.locator('#cell-4-4').textContent()).resolves.toBe('');

    // Row 8: find and replace.
    await grid(page).focus();
    await page.keyboard.press('Control+F');
    await page.getByRole('searchbox', { name: 'Find' }).fill('picture');
    await page.getByText('1 match').waitFor();
    await page.getByRole('textbox', { name: 'Replace with' }).fill('mms');
    await shot(page, '05-find-replace');
    await page.getByRole('button', { name: 'Replace all' }).click();
    await page.getByText('No matches').waitFor();
    await page.getByRole('button', { name: 'Close find' }).click();
    await expect(page.locator('#cell-6-2').textContent()).resolves.toBe('mms');

    // Row 10: type the list of numbers without the repeated one.
    await typeInto(
      page,
      await gotoCell(page, 10, 'Phone Numbers'),
      'pn_01HRVJ11E41FRMH1DHRXWYQ8AZ; pn_01HRWA3EY1KGEG6N6EW4E4WD8Z',
    );
    // Row 12: the tracking domain, committed with Tab (the cursor moves right).
    await typeInto(page, await gotoCell(page, 12, 'Tracking domain'), 'td_01HSQD8ND7ZYJNXXRK5475BY8H', 'Tab');
    await expect(grid(page).getAttribute('aria-activedescendant')).resolves.toBe('cell-10-14');
    await expect.poll(() => counts(page)).toMatchObject({ Errors: 0, Warnings: 3 });

    // Undo and redo the last fix.
    await page.keyboard.press('Control+Z');
    await expect.poll(() => counts(page)).toMatchObject({ Errors: 1 });
    await page.keyboard.press('Control+Y');
    await expect.poll(() => counts(page)).toMatchObject({ Errors: 0 });

    // Row 14: a name of its own clears the duplicate warning on both rows; Escape cancels an edit.
    const name = await gotoCell(page, 14, 'Project name');
    await page.keyboard.type('Oops');
    await page.keyboard.press('Escape');
    await expect(name.textContent()).resolves.toBe('Endorsement announcement');
    await typeInto(page, name, 'Endorsement reminder');
    await expect.poll(() => counts(page)).toEqual({ All: 20, Errors: 0, Warnings: 1, Ready: 19 });
    await expect(page.locator('#cell-11-1').getAttribute('class')).resolves.not.toContain('warn');
    await expect(page.title()).resolves.toBe('● projects.xlsx — Broadcast Importer');
    await shot(page, '06-fixed');
  });

  test('the account pre-flight paints what only the account knows', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Check with account' }).click();
    await page.getByText(/The account check found \d+ problems? in 2 rows/).waitFor();
    const numbers = await gotoCell(page, 18, 'Phone Numbers');
    await expect(numbers.getAttribute('class')).resolves.toContain('err');
    const verification = await gotoCell(page, 19, 'Toll-free verification ID');
    expect(await verification.getAttribute('class')).toMatch(/\b(err|warn)\b/);
    await shot(page, '07-preflight');
  });

  test('creating the projects in the Sandbox', async () => {
    const { page } = app;
    const create = page.locator('.toolbar .primary');
    const label = (await create.textContent()) ?? '';
    const toCreate = Number(/Create ([\d,]+) projects/.exec(label)?.[1]);
    expect(toCreate).toBeGreaterThanOrEqual(18);
    await create.click();
    const dialog = page.getByTestId('submit-dialog');
    await dialog.getByText('the Sandbox (nothing leaves this computer)').waitFor();
    await shot(page, '08-confirm');
    await dialog.getByRole('button', { name: `Create ${toCreate} projects` }).click();
    await page.getByRole('region', { name: 'Creating projects' }).waitFor();
    await page.getByText(/Creating projects… [3-9]\d* of/).waitFor();
    await shot(page, '09-running');
    await page.getByText(`Done: ${toCreate} projects created.`).waitFor({ timeout: 120_000 });
    await expect(page.locator('.status.st-created').first().textContent()).resolves.toBe('Created');
    await gotoCell(page, 2, 'Organization ID');
    await page.locator('.side .result-box').getByText(/proj_/).waitFor();
    await shot(page, '10-done');
  });

  test('the exported results hold every row, its status and the edited cells', async () => {
    const { page, outDir } = app;
    await page.getByRole('button', { name: 'Export results (Excel)' }).click();
    await page.getByText(/Results saved: .*projects results\.xlsx/).waitFor();
    const file = readdirSync(outDir).find((f) => f === 'projects results.xlsx');
    expect(file).toBeDefined();
    const sheet = readSheet(new Uint8Array(readFileSync(join(outDir, file!))), { fileName: file! });
    const at = (h: string) => sheet.headers.indexOf(h);
    expect(sheet.headers.slice(0, 3)).toEqual(['Organization ID', 'Project name', 'Protocol']);
    expect(sheet.rows.length).toBe(20);
    const byRow = new Map(sheet.rows.map((r) => [r.row, r.cells]));
    const status = (row: number) => byRow.get(row)![at('status')];
    for (const [row, cells] of byRow) {
      if (status(row) === 'created') expect(cells[at('project_id')]).toMatch(/^proj_/);
    }
    expect(sheet.rows.filter((r) => r.cells[at('status')] === 'created').length).toBeGreaterThanOrEqual(18);
    expect(status(18)).not.toBe('created');
    expect(byRow.get(4)![at('Campaign ID')]).toBe('camp_01HR9G1HX1EN9R9RS5X0FZS0PB');
    expect(byRow.get(6)![at('Brand ID')]).toBe('');
    expect(byRow.get(8)![at('Protocol')]).toBe('mms');
    expect(byRow.get(14)![at('Project name')]).toBe('Endorsement reminder');
    expect(status(8)).toBe('created');

    // The same as CSV.
    await page.getByRole('button', { name: 'CSV', exact: true }).click();
    await page.getByText(/Results saved: .*projects results\.csv/).waitFor();
    const csv = readSheet(new Uint8Array(readFileSync(join(outDir, 'projects results.csv'))), {
      fileName: 'projects results.csv',
    });
    expect(csv.rows.map((r) => r.cells[csv.headers.indexOf('status')])).toEqual(
      sheet.rows.map((r) => r.cells[at('status')]),
    );
  });

  test('saving the edited sheet clears the unsaved mark', async () => {
    const { page, outDir } = app;
    await page.getByRole('button', { name: 'Save…' }).click();
    await page.getByRole('button', { name: 'CSV (.csv, UTF-8)' }).click();
    await page.getByText(/Saved: .*projects\.csv/).waitFor();
    await expect(page.title()).resolves.toBe('projects.xlsx — Broadcast Importer');
    const saved = readSheet(new Uint8Array(readFileSync(join(outDir, 'projects.csv'))), {
      fileName: 'projects.csv',
    });
    expect(saved.rows[6]!.cells[2]).toBe('mms');
    expect(saved.headers).not.toContain('status');
    expect(app.errors).toEqual([]);
  });
});
