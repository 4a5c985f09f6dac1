/**
 * Submissions that do not go smoothly, against a stricter Sandbox: the CSV reading settings, the
 * rate-limit countdown, pause and resume, a row the API refuses (its error painted on its cell)
 * and "retry failed rows", then a run interrupted by closing the app and resumed at the next start.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { counts, dropFile, gotoCell, grid, launchApp, shot, waitChecked, type App } from './helpers';

const STRICT = { requireVerifiedTollFree: true, writeLimit: 6, windowMs: 3_000, latencyMs: 20, jitterMs: 20 };
let app: App | null = null;

afterAll(async () => {
  await app?.close();
});

describe('runs', () => {
  test('CSV settings, rate limits, pause, a refused row and its retry', async () => {
    app = await launchApp({ sandbox: STRICT, colorScheme: 'dark' });
    const { page } = app;
    await page.getByRole('button', { name: 'Example as CSV' }).click();
    await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
    await expect(page.getByLabel('Encoding').inputValue()).resolves.toBe('utf-8');
    await page.getByRole('option', { name: 'UTF-8 — detected' }).waitFor({ state: 'attached' });
    await page.getByRole('option', { name: 'Comma ( , ) — detected' }).waitFor({ state: 'attached' });
    // A wrong delimiter breaks the columns apart; going back restores them.
    await page.getByLabel('Delimiter').selectOption(';');
    await page.getByLabel('Field for column Brand ID').waitFor({ state: 'detached' });
    await page.getByLabel('Delimiter').selectOption(',');
    await page.getByLabel('Field for column Brand ID').waitFor();
    await shot(page, '14-columns-csv-dark');
    await page.getByRole('button', { name: 'Review 20 rows →' }).click();
    await waitChecked(page);
    await gotoCell(page, 8, 'Protocol');
    await shot(page, '15-review-dark');

    await page.locator('.toolbar .primary').click();
    await page.getByTestId('submit-dialog').getByRole('button', { name: 'Create 15 projects' }).click();
    // Six writes per three seconds: the run waits for the window, and says so.
    await page.getByText(/rate limit is reached: sending again in \d+ s/).waitFor({ timeout: 30_000 });
    await shot(page, '16-rate-limit');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Resume' }).click();
    // Row 18 only fails the account check, so it is not sent; row 19 is refused by the API.
    await page.getByText(/^Done: 13 projects created, 1 failed\.$/).waitFor({ timeout: 60_000 });

    // Row 19's verification is rejected: the API's answer is on its cell and in the side panel.
    const cell = await gotoCell(page, 19, 'Toll-free verification ID');
    await expect(cell.getAttribute('class')).resolves.toContain('err');
    await page.locator('.side .result-box.failed').waitFor();
    await expect(page.locator('#cell-17-1').textContent()).resolves.toBe(
      'Absentee ballot reminder (toll-free)',
    );
    await shot(page, '17-failed-row');

    // Retry sends only that row; the created ones are locked and never sent again.
    await page.getByRole('button', { name: 'Retry 1 failed row' }).click();
    await page.getByText(/^Done: 0 projects created, 1 failed\.$/).waitFor({ timeout: 60_000 });
    await expect.poll(() => counts(page)).toMatchObject({ Created: 13 });
    const created = await gotoCell(page, 2, 'Project name');
    await page.keyboard.type('x');
    await expect(page.getByRole('textbox', { name: 'Cell value' }).count()).resolves.toBe(0);
    await expect(created.getAttribute('aria-readonly')).resolves.toBe('true');
    expect(app.errors).toEqual([]);
    await app.close();
    app = null;
  });

  test('a run cut short by closing the app is offered for resume at the next start', async () => {
    const slow = { latencyMs: 250, jitterMs: 0 };
    app = await launchApp({ sandbox: slow });
    const { dataDir } = app;
    let page = app.page;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await page.getByRole('button', { name: 'Review 20 rows →' }).click();
    await waitChecked(page);
    await page.locator('.toolbar .primary').click();
    await page.getByTestId('submit-dialog').getByRole('button', { name: 'Create 15 projects' }).click();
    await page.getByText(/Creating projects… [2-9] of \d+/).waitFor({ timeout: 30_000 });
    // Quit in the middle of the run.
    await app.close();

    app = await launchApp({ dataDir, sandbox: slow });
    page = app.page;
    const card = page.getByRole('region', { name: 'Unfinished runs' });
    await card.getByText(/projects\.xlsx/).waitFor();
    await shot(page, '18-resume-offer');
    await card.getByRole('button', { name: 'Resume' }).click();
    await grid(page).waitFor();
    await page.getByText(/^Done: \d+ projects? created/).waitFor({ timeout: 60_000 });
    await shot(page, '19-resumed-done');
    // Every row that could be created was, once: 20 rows less 5 with errors and row 18, which the
    // account check stops.
    await expect.poll(async () => (await counts(page))['Created']).toBe(14);
    // The grid shows the rows that run sent (the 15 without errors), each with its own outcome.
    await expect.poll(async () => (await counts(page))['All']).toBe(15);
    await expect(page.getByRole('region', { name: 'Unfinished runs' }).count()).resolves.toBe(0);

    // Dropping a file anywhere opens it; a title line above the table is skipped.
    await dropFile(
      page,
      'dropped.csv',
      'Spring projects\r\nOrg,Title,Message type,Brand,Campaign,Numbers,Body\r\n' +
        'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0,Hello,sms,brand_01HR77TXQCN3JZF2DZYTBBGTM9,camp_01HR9G1HX1EN9R9RS5X0FZS0PB,pn_01HRCGB4W8GJACYA1SCX5GNW8R,Hi\r\n',
    );
    await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
    await expect(page.getByLabel('Header row').inputValue()).resolves.toBe('2');
    await expect(page.getByLabel('Field for column Message type').inputValue()).resolves.toBe('protocol');
    await expect(page.title()).resolves.toBe('dropped.csv — Broadcast Importer');
    expect(app.errors).toEqual([]);
  });
});
