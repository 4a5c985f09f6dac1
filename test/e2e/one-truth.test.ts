/**
 * What the grid shows is what is sent, tried as a new user would in the Sandbox: a formula error
 * in a name cell, undo after a run, a row fixed after a run and sent again, account findings kept
 * through unrelated edits, and a results sheet opened again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import type { Page } from 'playwright-core';
import { readSheet } from '../../src/shared/sheet';
import { BRAND_RIVERA, PHONE_NUMBER_IDS, seedAccount } from '../../src/sandbox';
import { counts, gotoCell, launchApp, shot, typeInto, waitChecked, type App } from './helpers';

const EXAMPLE_XLSX = readFileSync(new URL('../../examples/projects.xlsx', import.meta.url));

const RESOLVED_IDS = PHONE_NUMBER_IDS.riveraGotv.slice(0, 3);

let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

/** The status cell of a row (as the file numbers it), with the grid unfiltered. */
function status(page: Page, excelRow: number) {
  return page.locator(`[role="row"][aria-rowindex="${excelRow}"] .status`);
}

async function openBytes(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.getByTestId('file-input').setInputFiles({
    name,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(bytes),
  });
}

/** On to the grid: through the match step when the sheet names things. */
async function review(page: Page, rows: number): Promise<void> {
  const match = page.getByRole('button', { name: 'Match values →' });
  const direct = page.getByRole('button', { name: `Review ${rows} rows →` });
  await match.or(direct).first().waitFor();
  if (await match.isVisible()) await match.click();
  await direct.click();
  await waitChecked(page);
}

async function createAll(page: Page): Promise<number> {
  const create = page.locator('.toolbar .primary');
  const n = Number(/Create ([\d,]+)/.exec((await create.textContent()) ?? '')?.[1]);
  await create.click();
  const dialog = page.getByTestId('submit-dialog');
  await dialog.getByRole('button', { name: `Create ${n} project${n === 1 ? '' : 's'}` }).click();
  await page.getByText(/^Done: /).waitFor({ timeout: 120_000 });
  return n;
}

async function exportResults(app: App): Promise<ReturnType<typeof readSheet>> {
  await app.page.getByRole('button', { name: 'Export results (Excel)' }).click();
  await app.page.getByText(/Results saved: .*results\.xlsx/).waitFor();
  const path = join(app.outDir, 'projects results.xlsx');
  return readSheet(new Uint8Array(readFileSync(path)), { fileName: 'projects results.xlsx' });
}

describe('what the grid shows is what is sent', () => {
  test('a name cell holding #N/A is an error, and no project is created from it', async () => {
    app = await launchApp();
    const { page } = app;
    const wb = XLSX.read(EXAMPLE_XLSX, { type: 'buffer' });
    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    ws['B3'] = { t: 'e', v: 0x2a, w: '#N/A' };
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    await openBytes(page, 'projects.xlsx', bytes);
    await review(page, 20);
    await expect.poll(() => counts(page)).toMatchObject({ Errors: 6 });
    const name = await gotoCell(page, 3, 'Project name');
    await expect(name.getAttribute('class')).resolves.toContain('err');
    await createAll(page);
    await gotoCell(page, 3, 'Project name');
    await expect(status(page, 3).textContent()).resolves.not.toMatch(/Created/);
    const results = await exportResults(app);
    const at = (h: string) => results.headers.indexOf(h);
    const row3 = results.rows.find((r) => r.row === 3)!;
    expect(row3.cells[at('status')]).not.toBe('created');
    expect(row3.cells[at('project_id')]).toBe('');
    expect(app.errors).toEqual([]);
  });

  test('undo after a run never changes a created row', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await review(page, 20);
    await typeInto(page, await gotoCell(page, 2, 'Project name'), 'GOTV — Precinct 12 (final)');
    await createAll(page);
    await expect(status(page, 2).textContent()).resolves.toMatch(/Created/);
    await gotoCell(page, 2, 'Project name');
    await page.keyboard.press('Control+Z');
    await expect(page.locator('#cell-0-1').textContent()).resolves.toBe('GOTV — Precinct 12 (final)');
    // Typing into it, or clearing it, is refused, and the user is told why.
    await page.keyboard.type('x');
    await expect(page.getByRole('textbox', { name: 'Cell value' }).count()).resolves.toBe(0);
    await page
      .getByText(/Rows already created are locked/)
      .first()
      .waitFor();
    await page.keyboard.press('Delete');
    await page
      .getByText(/Rows already created are locked/)
      .first()
      .waitFor();
    await expect(page.locator('#cell-0-1').textContent()).resolves.toBe('GOTV — Precinct 12 (final)');
    const results = await exportResults(app);
    const at = (h: string) => results.headers.indexOf(h);
    const row2 = results.rows.find((r) => r.row === 2)!;
    expect(row2.cells[at('status')]).toBe('created');
    expect(row2.cells[at('Project name')]).toBe('GOTV — Precinct 12 (final)');
    expect(app.errors).toEqual([]);
  });

  test('an edit’s Undo offer goes away when a run starts', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await review(page, 20);
    await gotoCell(page, 6, 'Protocol');
    await page.getByRole('button', { name: 'Clear Brand ID in this row' }).click();
    const undo = page.locator('.toast').getByRole('button', { name: 'Undo' });
    await undo.waitFor();
    await page.locator('.toolbar .primary').click();
    await page
      .getByTestId('submit-dialog')
      .getByRole('button', { name: /^Create \d+ projects$/ })
      .click();
    // At once, not when the offer would have run out by itself.
    await undo.waitFor({ state: 'detached', timeout: 1500 });
    await page.getByText(/^Done: \d+ projects created/).waitFor({ timeout: 120_000 });
    expect(app.errors).toEqual([]);
  });

  test('a row not sent, fixed after the run, loses its error and is sent by the next Create', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await review(page, 20);
    await createAll(page);
    const protocol = await gotoCell(page, 8, 'Protocol');
    await expect(protocol.getAttribute('class')).resolves.toContain('err');
    await typeInto(page, protocol, 'mms');
    await expect(page.locator('#cell-6-2').getAttribute('class')).resolves.not.toContain('err');
    await expect(status(page, 8).textContent()).resolves.toMatch(/Ready/);
    const create = page.locator('.toolbar .primary');
    await expect(create.textContent()).resolves.toBe('Create 1 remaining project');
    await expect(create.isEnabled()).resolves.toBe(true);
    await create.click();
    const dialog = page.getByTestId('submit-dialog');
    await dialog.getByRole('button', { name: 'Create 1 project' }).click();
    await page.getByText('Done: 1 project created.').waitFor({ timeout: 60_000 });
    await gotoCell(page, 8, 'Protocol');
    await expect(status(page, 8).textContent()).resolves.toMatch(/Created/);
    expect(app.errors).toEqual([]);
  });

  test('account findings stay on their rows through unrelated edits', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await review(page, 20);
    await page.getByRole('button', { name: 'Check with account' }).click();
    await page.getByText(/The account check found \d+ problems? in \d+ rows?/).waitFor();
    const numbers = await gotoCell(page, 18, 'Phone Numbers');
    await expect(numbers.getAttribute('class')).resolves.toContain('err');
    await typeInto(page, await gotoCell(page, 18, 'Opt-out footer'), 'yes');
    await expect((await gotoCell(page, 18, 'Phone Numbers')).getAttribute('class')).resolves.toContain('err');
    await expect(status(page, 18).textContent()).resolves.toMatch(/Error/);
    // The account's data is kept for the session, with when it was fetched.
    await page.getByText(/Checked just now ·/).waitFor();
    await page.getByRole('button', { name: 'Refresh' }).waitFor();
    await shot(page, 'one-truth-account-kept');
    expect(app.errors).toEqual([]);
  });

  test('typed phone numbers and a named brand are checked as what they name; the cells keep what was typed', async () => {
    app = await launchApp();
    const { page } = app;
    // Rows 2 and 3 type their numbers; row 3 also names its brand instead of giving its id.
    const typed = RESOLVED_IDS.map((id) => {
      const e164 = seedAccount().phone_numbers.find((p) => p.id === id)!.number ?? '';
      return `+1 ${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`;
    }).join(', ');
    const lines = readFileSync(new URL('../../examples/projects.csv', import.meta.url), 'utf8').split('\r\n');
    lines[1] = lines[1]!.replace(RESOLVED_IDS.join(', '), typed);
    lines[2] = lines[2]!.replace(RESOLVED_IDS.join(', '), typed).replace(BRAND_RIVERA, 'Rivera for Senate');
    await page.getByTestId('file-input').setInputFiles({
      name: 'typed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\r\n')),
    });
    await review(page, 20);
    await page.getByRole('button', { name: 'Check with account' }).click();
    await page.getByText(/The account check found \d+ problems? in \d+ rows?/).waitFor();
    const row2 = await gotoCell(page, 2, 'Phone Numbers');
    await expect.poll(() => row2.textContent()).toBe(typed);
    await expect(status(page, 2).textContent()).resolves.not.toMatch(/Error/);
    const brand = await gotoCell(page, 3, 'Brand ID');
    await expect(brand.textContent()).resolves.toBe('Rivera for Senate');
    await expect(brand.getAttribute('class')).resolves.not.toContain('err');
    await expect(status(page, 3).textContent()).resolves.not.toMatch(/Error/);
    expect(app.errors).toEqual([]);
  });

  test('a results sheet opened again shows its created rows as Created, and offers only the rest', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await review(page, 20);
    await createAll(page);
    const results = await exportResults(app);
    const done = results.rows.filter((r) => r.cells[results.headers.indexOf('status')] === 'created').length;
    expect(done).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Close file' }).click();
    await openBytes(page, 'projects results.xlsx', readFileSync(join(app.outDir, 'projects results.xlsx')));
    await review(page, 20);
    await expect.poll(async () => (await counts(page))['Created']).toBe(done);
    await gotoCell(page, 2, 'Project name');
    await expect(status(page, 2).textContent()).resolves.toMatch(/Created/);
    await page.locator('.side .result-box').getByText(/proj_/).waitFor();
    // Rows not created are offered again (a row the last run left out is not known to be wrong
    // until checked); row 8, fixed now, joins them, and the dialog agrees with the button.
    const create = page.locator('.toolbar .primary');
    const offered = (label: string | null) => Number(/^Create (\d+) remaining/.exec(label ?? '')?.[1] ?? 0);
    const before = offered(await create.textContent());
    expect(before).toBe(20 - 5 - done);
    await typeInto(page, await gotoCell(page, 8, 'Protocol'), 'mms');
    await expect.poll(async () => offered(await create.textContent())).toBe(before + 1);
    await create.click();
    const dialog = page.getByTestId('submit-dialog');
    await expect(dialog.locator('.confirm-counts .ok dd').textContent()).resolves.toBe(String(before + 1));
    await expect(
      dialog
        .locator('.confirm-counts div', { hasText: 'Already created, not sent again' })
        .locator('dd')
        .textContent(),
    ).resolves.toBe(String(done));
    await dialog.getByRole('button', { name: `Create ${before + 1} project` }).click();
    await page.getByText(/^Done: /).waitFor({ timeout: 60_000 });
    await gotoCell(page, 8, 'Protocol');
    await expect(status(page, 8).textContent()).resolves.toMatch(/Created/);
    await expect.poll(async () => (await counts(page))['Created']).toBeGreaterThan(done);
    expect(app.errors).toEqual([]);
  });
});
