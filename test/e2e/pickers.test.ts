/**
 * Pickers in the grid, tried in the Sandbox as a staffer would: once the account is checked, a
 * campaign cell offers the row's brand's campaigns by name, a numbers cell the campaign's numbers
 * (several at once), a protocol cell sms and mms; and typing any text still works as it always did.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { ORG_PAC, ORG_SENATE } from '../../src/sandbox/seed';
import { dropFile, grid, launchApp, shot, waitChecked, type App } from './helpers';

const HEADERS = [
  'Organization',
  'Project name',
  'Protocol',
  'Brand',
  'Campaign',
  'Phone Numbers',
  'Contact lists',
  'Message',
] as const;

const CSV =
  [
    HEADERS.join(','),
    `${ORG_SENATE},GOTV reminder,sms,Rivera for Senate,Rivera GOTV 2026,+1 555-010-0100,Statewide supporters,"Hi {first_name}, polls open at 7."`,
    // The campaign belongs to another brand: the one genuine mistake.
    `${ORG_PAC},Advocacy push,sms,Forward Together Action Fund,Rivera GOTV 2026,(555) 010-0130,Volunteers,Call your representative today.`,
  ].join('\r\n') + '\r\n';

let app: App;

beforeAll(async () => {
  app = await launchApp();
});

afterAll(async () => {
  await app?.close();
});

/** Put the grid's cursor on a row (as the file numbers it) and a column; that cell. */
async function goto(page: Page, excelRow: number, header: (typeof HEADERS)[number]) {
  const col = HEADERS.indexOf(header);
  await grid(page).focus();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < excelRow - 2; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < col; i++) await page.keyboard.press('ArrowRight');
  const cell = page.locator(`#cell-${excelRow - 2}-${col}`);
  await cell.waitFor();
  return cell;
}

function status(page: Page, excelRow: number) {
  return page.locator(`[role="row"][aria-rowindex="${excelRow}"] .status`);
}

const listbox = (page: Page) => page.getByRole('listbox');
const editor = (page: Page) => page.getByRole('textbox', { name: 'Cell value' });

async function labels(page: Page): Promise<string[]> {
  return listbox(page).locator('[role="option"] .picker-label').allTextContents();
}

describe('pickers in the grid', () => {
  test('open a sheet of names and check it with the account', async () => {
    const { page } = app;
    await dropFile(page, 'names.csv', CSV);
    // A sheet of names goes through the match step, which reads the account once for the session.
    await page.getByRole('button', { name: 'Match values →' }).click();
    await page.getByRole('heading', { name: 'Match values' }).waitFor();
    await page.getByRole('button', { name: 'Review 2 rows →' }).click();
    await waitChecked(page);
    // Protocol has its list with or without an account.
    await goto(page, 2, 'Protocol');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    await expect(labels(page)).resolves.toEqual(['sms', 'mms']);
    await page.keyboard.press('Escape');
    await editor(page).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Check with account' }).click();
    await page.getByText(/The account check found \d+ problems? in 1 row/).waitFor();
    await expect.poll(() => status(page, 3).textContent()).toMatch(/Error/);
    await expect.poll(() => status(page, 2).textContent()).toMatch(/Ready/);
  });

  test('a campaign cell lists only the row’s brand’s campaigns; picking one fixes the row', async () => {
    const { page } = app;
    const cell = await goto(page, 3, 'Campaign');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    const combo = page.getByRole('combobox');
    await expect(combo.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(listbox(page).getAttribute('aria-label')).resolves.toBe(
      'Campaigns of brand Forward Together Action Fund',
    );
    expect((await labels(page)).sort()).toEqual([
      'Action Fund Advocacy',
      'Action Fund Phone Bank',
      'Action Fund phone bank',
    ]);
    // Each option shows its id.
    await expect(
      listbox(page)
        .getByRole('option', { name: /Action Fund Advocacy/ })
        .textContent(),
    ).resolves.toMatch(/Action Fund Advocacy\s*camp_01HRBR83NXJSRTFEQQP8HBZR0F/);
    await shot(page, 'pickers-campaign-light');

    // Typing filters; ↓ moves into the list; Enter picks and moves down, as Enter always does.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('advo');
    await expect.poll(() => labels(page)).toEqual(['Action Fund Advocacy']);
    await expect(editor(page).getAttribute('aria-activedescendant')).resolves.toBeNull();
    await page.keyboard.press('ArrowDown');
    const active = await editor(page).getAttribute('aria-activedescendant');
    expect(active).toBeTruthy();
    await expect(page.locator(`[id="${active}"]`).textContent()).resolves.toMatch(/Action Fund Advocacy/);
    await page.keyboard.press('Enter');
    await editor(page).waitFor({ state: 'detached' });
    await expect(cell.textContent()).resolves.toBe('Action Fund Advocacy');
    await expect.poll(() => status(page, 3).textContent()).toMatch(/Ready/);
    // The cursor moved down (clamped to the last row), and one undo takes the pick back.
    await page.keyboard.press('Control+z');
    await expect.poll(() => cell.textContent()).toBe('Rivera GOTV 2026');
    await expect.poll(() => status(page, 3).textContent()).toMatch(/Error/);
    await page.keyboard.press('Control+y');
    await expect.poll(() => cell.textContent()).toBe('Action Fund Advocacy');

    // A click picks too, and the cursor stays on the cell.
    const other = await goto(page, 2, 'Campaign');
    await page.keyboard.press('F2');
    expect((await labels(page)).sort()).toEqual(['Rivera Fundraising', 'Rivera GOTV 2026']);
    await expect(
      listbox(page)
        .getByRole('option', { name: /Rivera GOTV 2026/ })
        .getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await listbox(page)
      .getByRole('option', { name: /Rivera Fundraising/ })
      .click();
    await editor(page).waitFor({ state: 'detached' });
    await expect(other.textContent()).resolves.toBe('Rivera Fundraising');
    await expect(grid(page).getAttribute('aria-activedescendant')).resolves.toBe('cell-0-4');
    await page.keyboard.press('Control+z');
    await expect.poll(() => other.textContent()).toBe('Rivera GOTV 2026');
    await expect.poll(() => status(page, 2).textContent()).toMatch(/Ready/);
  });

  test('a numbers cell takes several of the campaign’s numbers', async () => {
    const { page } = app;
    const cell = await goto(page, 3, 'Phone Numbers');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    await expect(listbox(page).getAttribute('aria-multiselectable')).resolves.toBe('true');
    const all = await labels(page);
    expect(all).toHaveLength(10);
    expect(all.every((l) => /^\+1 555-010-013\d$/.test(l))).toBe(true);
    // The number already in the cell is checked.
    const selected = listbox(page).locator('[role="option"][aria-selected="true"] .picker-label');
    await expect(selected.allTextContents()).resolves.toEqual(['+1 555-010-0130']);

    // Type to filter, ↓ and Enter to add: the list stays open for more.
    await page.keyboard.type(', 0131');
    await expect.poll(() => labels(page)).toEqual(['+1 555-010-0131']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => editor(page).inputValue()).toBe('(555) 010-0130, +1 555-010-0131, ');
    await expect.poll(() => selected.allTextContents()).toEqual(['+1 555-010-0130', '+1 555-010-0131']);
    // A click adds another; Done finishes.
    await listbox(page)
      .getByRole('option', { name: /\+1 555-010-0135/ })
      .click();
    await shot(page, 'pickers-numbers-light');
    await page.getByRole('button', { name: 'Done' }).click();
    await editor(page).waitFor({ state: 'detached' });
    await expect(cell.textContent()).resolves.toBe('(555) 010-0130, +1 555-010-0131, +1 555-010-0135');
    await expect.poll(() => status(page, 3).textContent()).toMatch(/Ready/);

    // Enter on a checked number takes it out; Tab finishes and moves on.
    await goto(page, 3, 'Phone Numbers');
    await page.keyboard.press('F2');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => editor(page).inputValue()).toBe('+1 555-010-0131, +1 555-010-0135, ');
    await page.keyboard.press('Tab');
    await editor(page).waitFor({ state: 'detached' });
    await expect(cell.textContent()).resolves.toBe('+1 555-010-0131, +1 555-010-0135');
    await expect(grid(page).getAttribute('aria-activedescendant')).resolves.toBe('cell-1-6');

    // Clicking elsewhere keeps what the list made, without its trailing ", "; one undo takes it back.
    const first = await goto(page, 2, 'Phone Numbers');
    await page.keyboard.press('F2');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => editor(page).inputValue()).toBe('+1 555-010-0101, ');
    await page.locator('#cell-0-1').click();
    await editor(page).waitFor({ state: 'detached' });
    await expect(first.textContent()).resolves.toBe('+1 555-010-0101');
    await page.keyboard.press('Control+z');
    await expect.poll(() => first.textContent()).toBe('+1 555-010-0100');
  });

  test('a protocol cell offers sms and mms', async () => {
    const { page } = app;
    const cell = await goto(page, 2, 'Protocol');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    await expect(labels(page)).resolves.toEqual(['sms', 'mms']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await editor(page).waitFor({ state: 'detached' });
    await expect(cell.textContent()).resolves.toBe('mms');
    await page.keyboard.press('Control+z');
    await expect.poll(() => cell.textContent()).toBe('sms');
  });

  test('typing any text works as before: Enter keeps it, Escape cancels, arrows move on', async () => {
    const { page } = app;
    // Typing over the cell: the list filters, the text is what is committed.
    const cell = await goto(page, 2, 'Campaign');
    await page.keyboard.type('Not a campaign');
    await listbox(page).waitFor();
    await expect(page.locator('.picker-empty').textContent()).resolves.toMatch(/Nothing here matches/);
    await page.keyboard.press('Enter');
    await editor(page).waitFor({ state: 'detached' });
    await expect(cell.textContent()).resolves.toBe('Not a campaign');
    await expect.poll(() => status(page, 2).textContent()).toMatch(/Error/);
    // A name typed by hand (a prefix of an option, which is not picked).
    await goto(page, 2, 'Campaign');
    await page.keyboard.type('Rivera GOTV');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('V 2026');
    await page.keyboard.press('ArrowDown');
    await editor(page).waitFor({ state: 'detached' });
    await expect(cell.textContent()).resolves.toBe('Rivera GOTV 2026');
    await expect(grid(page).getAttribute('aria-activedescendant')).resolves.toBe('cell-1-4');
    await expect.poll(() => status(page, 2).textContent()).toMatch(/Ready/);
    // Escape leaves the cell as it was.
    await goto(page, 2, 'Campaign');
    await page.keyboard.press('F2');
    await editor(page).fill('Something else');
    await page.keyboard.press('Escape');
    await editor(page).waitFor({ state: 'detached' });
    await expect(cell.textContent()).resolves.toBe('Rivera GOTV 2026');
    // A numbers cell typed over, committed exactly as typed.
    const numbers = await goto(page, 2, 'Phone Numbers');
    await page.keyboard.press('F2');
    await editor(page).fill('+1 555-010-0100; +1 555-010-0101');
    await page.keyboard.press('Enter');
    await editor(page).waitFor({ state: 'detached' });
    await expect(numbers.textContent()).resolves.toBe('+1 555-010-0100; +1 555-010-0101');
    await expect.poll(() => status(page, 2).textContent()).toMatch(/Ready/);
    expect(app.errors).toEqual([]);
  });

  test('looks right in the dark and in a small window', async () => {
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'dark' });
    await goto(page, 3, 'Campaign');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    await page.keyboard.press('ArrowDown');
    await shot(page, 'pickers-campaign-dark');
    await page.keyboard.press('Escape');
    await goto(page, 2, 'Contact lists');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    await shot(page, 'pickers-lists-dark');
    await page.keyboard.press('Escape');
    // A row whose organization is not known: every organization's lists, under their names.
    await goto(page, 2, 'Organization');
    await page.keyboard.type('Nobody we know');
    await page.keyboard.press('Enter');
    await goto(page, 2, 'Contact lists');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    await expect(listbox(page).locator('.picker-group').allTextContents()).resolves.toEqual([
      'Forward Together PAC',
      'Rivera for Senate',
    ]);
    await expect(
      listbox(page).getByRole('group', { name: 'Rivera for Senate' }).getByRole('option').count(),
    ).resolves.toBe(6);
    await shot(page, 'pickers-lists-grouped-dark');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await expect.poll(() => status(page, 2).textContent()).toMatch(/Ready/);

    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1000, height: 700 });
    const cell = await goto(page, 3, 'Phone Numbers');
    await page.keyboard.press('F2');
    await listbox(page).waitFor();
    // The list is inside the window, and inside the grid.
    const box = await page.locator('.cell-picker').boundingBox();
    const g = await grid(page).boundingBox();
    expect(box && g).toBeTruthy();
    expect(box!.x).toBeGreaterThanOrEqual(g!.x);
    expect(box!.x + box!.width).toBeLessThanOrEqual(g!.x + g!.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(g!.y + g!.height);
    await shot(page, 'pickers-numbers-1000x700');
    await page.keyboard.press('Escape');
    await expect(cell.textContent()).resolves.toBe('+1 555-010-0131, +1 555-010-0135');
    expect(app.errors).toEqual([]);
  });
});
