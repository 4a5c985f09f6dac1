/**
 * The example sent a second time to the same account: the account check finds the projects that
 * already exist, the confirmation says so plainly and leaves those rows out of the run in one click
 * (they stay in the sheet), and rows created anyway stop saying that they would be created again.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { counts, gotoCell, launchApp, shot, typeInto, waitChecked, type App } from './helpers';

let app: App;

beforeAll(async () => {
  app = await launchApp();
});

afterAll(async () => {
  await app?.close();
});

async function openExampleAndCheck() {
  const { page } = app;
  if (await page.getByRole('button', { name: 'Close file' }).count()) {
    await page.getByRole('button', { name: 'Close file' }).click();
    const discard = page.getByRole('button', { name: 'Close without saving' });
    await discard
      .or(page.getByRole('button', { name: 'Open example', exact: true }))
      .first()
      .waitFor();
    if (await discard.count()) await discard.click();
  }
  await page.getByRole('button', { name: 'Open example', exact: true }).click();
  // The columns confirmed the first time are remembered: the second time goes straight to the rows.
  const review = page.getByRole('button', { name: 'Review 20 rows →' });
  await review.or(page.getByRole('grid')).first().waitFor();
  if (await review.count()) await review.click();
  await waitChecked(page);
  await page.getByRole('button', { name: 'Check with account' }).click();
  // Done once the button offers to check again (a toast of the file before may still be on show).
  await page.getByRole('button', { name: 'Refresh' }).waitFor();
  await page
    .getByText(/The account check found \d+ problems? in \d+ rows?/)
    .first()
    .waitFor();
}

async function createAll(): Promise<number> {
  const { page } = app;
  await page.locator('.toolbar .primary').click();
  const dialog = page.getByTestId('submit-dialog');
  const button = dialog.getByRole('button', { name: /^Create \d+ projects?$/ });
  const n = Number(/\d+/.exec((await button.textContent()) ?? '')![0]);
  await button.click();
  await page.getByText(new RegExp(`^Done: ${n} projects? created`)).waitFor({ timeout: 120_000 });
  return n;
}

describe('the example a second time', () => {
  test('rows whose project exists are named in the confirmation, and left out of the run in one click', async () => {
    const { page } = app;
    await openExampleAndCheck();
    const first = await createAll();
    expect(first).toBeGreaterThan(10);

    await openExampleAndCheck();
    // Every row created the first time now meets a project of its name, until it is renamed.
    const renamed = await gotoCell(page, 2, 'Project name');
    await typeInto(page, renamed, 'GOTV — Precinct 12 reminder, second wave');
    await page.locator('.toolbar .primary').click();
    const dialog = page.getByTestId('submit-dialog');
    const plain = dialog.locator('.existing-projects');
    const existing = first - 1;
    await plain
      .getByText(`${existing} rows would create a second project with a name that already exists`)
      .waitFor();
    const before = Number(
      /\d+/.exec(
        (await dialog.getByRole('button', { name: /^Create \d+ projects?$/ }).textContent()) ?? '',
      )![0],
    );
    expect(before).toBe(first);
    await shot(page, 'rerun-confirm');
    await plain.getByRole('button', { name: `Leave these ${existing} rows out` }).click();
    await plain.waitFor({ state: 'detached' });
    // The counts and the button agree with what is sent now; the rows left out stay in the sheet.
    const left = before - existing;
    const create = dialog.getByRole('button', {
      name: left === 1 ? 'Create 1 project' : `Create ${left} projects`,
    });
    await create.waitFor();
    await expect(dialog.locator('.confirm-counts .ok dd').textContent()).resolves.toBe(String(left));
    await expect(dialog.locator('.confirm-counts .left-out dd').textContent()).resolves.toBe(
      String(existing),
    );
    await expect(counts(page)).resolves.toMatchObject({ All: 20 });
    await create.click();
    await page.getByText(new RegExp(`^Done: ${left} projects? created`)).waitFor({ timeout: 120_000 });
    // Only the renamed row was sent: the others are still in the sheet, not created.
    await expect.poll(() => counts(page)).toMatchObject({ All: 20, Created: left });
    await gotoCell(page, 2, 'Project name');
    await page.locator('#row-title').getByText('Created').waitFor();
    await gotoCell(page, 3, 'Project name');
    await expect(page.locator('#row-title').textContent()).resolves.not.toMatch(/Created/);
    expect(app.errors).toEqual([]);
  });

  test('a row created anyway does not say it will be created again', async () => {
    const { page } = app;
    await openExampleAndCheck();
    // A row the account check says exists already (the account lists the projects it has).
    let row = 0;
    for (let r = 2; r <= 21 && row === 0; r++) {
      await gotoCell(page, r, 'Project name');
      await page.locator('#row-title').getByText(`Row ${r}`).waitFor();
      const text = (await page.locator('.side .issue-list').textContent()) ?? '';
      if (/already has a project named/.test(text)) row = r;
    }
    expect(row).toBeGreaterThan(0);
    const cell = await gotoCell(page, row, 'Project name');
    const name = await cell.textContent();
    await createAll();
    await gotoCell(page, row, 'Project name');
    await expect(cell.textContent()).resolves.toBe(name);
    await page.locator('#row-title').getByText('Created').waitFor();
    const side = (await page.locator('.side').textContent()) ?? '';
    expect(side).not.toMatch(/created again|already has a project named/);
    expect((await cell.getAttribute('title')) ?? '').not.toMatch(/created again/);
    expect(await cell.getAttribute('class')).not.toMatch(/\bwarn\b/);
    await shot(page, 'rerun-created');
    expect(app.errors).toEqual([]);
  });
});
