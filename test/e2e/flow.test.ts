/**
 * The review flow as a new user meets it, in a small window (1000×700): the keyboard stays on the
 * grid after a quick fix, Esc in Find, an account check and a finished run; the side panel lists
 * errors before warnings and a column's problems take the cursor there; the toolbar keeps Create
 * on its line.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dropFile, gotoCell, launchApp, shot, waitChecked, type App } from './helpers';

let app: App;

declare const document: {
  activeElement: { getAttribute(n: string): string | null; tagName: string } | null;
  querySelectorAll(s: string): ArrayLike<{
    getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
    textContent: string | null;
  }>;
  querySelector(s: string): {
    getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
  } | null;
};

beforeAll(async () => {
  app = await launchApp({ width: 1000, height: 700 });
});

afterAll(async () => {
  await app?.close();
});

/** What holds the keyboard: the grid (and its active cell), or something else. */
async function focused(): Promise<string> {
  return app.page.evaluate(() => {
    const a = document.activeElement;
    if (!a) return 'nothing';
    return a.getAttribute('role') === 'grid'
      ? `grid ${a.getAttribute('aria-activedescendant')}`
      : a.tagName.toLowerCase();
  });
}

describe('the review flow at 1000×700', () => {
  test('the toolbar keeps Create on its line', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await page.getByRole('button', { name: 'Review 20 rows →' }).click();
    await waitChecked(page);
    const boxes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.toolbar button, .toolbar .segmented')).map((e) => {
        const r = e.getBoundingClientRect();
        return { text: (e.textContent ?? '').trim(), top: r.top, bottom: r.bottom, right: r.right };
      }),
    );
    const toolbar = await page.evaluate(() => document.querySelector('.toolbar')!.getBoundingClientRect());
    const create = boxes.find((b) => /^Create \d+ projects$/.test(b.text))!;
    const filters = boxes.find((b) => b.text.startsWith('All'))!;
    expect(create).toBeDefined();
    // One line: Create sits beside the filters, inside the window.
    expect(Math.abs(create.top - filters.top)).toBeLessThan(8);
    expect(create.right).toBeLessThanOrEqual(1000);
    expect(toolbar.bottom - toolbar.top).toBeLessThan(60);
    await shot(page, 'flow-1000-review');
  });

  test('the side panel lists errors before warnings', async () => {
    const { page } = app;
    const kinds = await page
      .locator('.field-counts li button')
      .evaluateAll((els) => els.map((e) => (e.querySelector('.badge.err') ? 'error' : 'warning')));
    expect(kinds.length).toBeGreaterThan(2);
    expect(kinds).toEqual([...kinds].sort());
    expect(kinds[0]).toBe('error');
    expect(kinds.at(-1)).toBe('warning');
  });

  test('a column in "Problems by column" filters the rows and takes the cursor to its first problem', async () => {
    const { page } = app;
    await gotoCell(page, 2, 'Organization ID');
    await page
      .locator('.field-counts')
      .getByRole('button', { name: /^Campaign ID/ })
      .click();
    await page.getByText('Problems in Campaign ID').waitFor();
    // Row 4 is the first (only) row with a problem there: the first row of the filtered view.
    await expect(page.locator('#row-title').textContent()).resolves.toMatch(/^Row 4/);
    await expect.poll(focused).toBe('grid cell-0-5');
    await page.getByRole('button', { name: 'Show every row' }).click();
  });

  test('a quick fix leaves the keyboard on the grid', async () => {
    const { page } = app;
    await gotoCell(page, 6, 'Protocol');
    await page.getByRole('button', { name: 'Clear Brand ID in this row' }).click();
    await page.locator('#row-title').getByText('No problems').waitFor();
    await expect.poll(focused).toBe('grid cell-4-2');
    // F8 still walks to the next problem.
    await page.keyboard.press('F8');
    await expect.poll(focused).toBe('grid cell-6-2');
  });

  test('Esc in Find gives the keyboard back to the grid', async () => {
    const { page } = app;
    await page.keyboard.press('Control+F');
    await page.getByRole('searchbox', { name: 'Find' }).fill('picture');
    // The cursor is on the match: "1 of 1".
    await page.locator('.find-count').getByText('1 of 1').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('search').waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('grid cell-6-2');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('grid cell-7-2');
  });

  test('the account check gives the keyboard back to the grid', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Check with account' }).click();
    await page.getByText(/The account check found \d+ problems? in \d+ rows?/).waitFor();
    await expect.poll(focused).toBe('grid cell-7-2');
    await page.keyboard.press('ArrowUp');
    await expect.poll(focused).toBe('grid cell-6-2');
  });

  test('a finished run gives the keyboard back to the grid', async () => {
    const { page } = app;
    await page.locator('.toolbar .primary').click();
    await page
      .getByTestId('submit-dialog')
      .getByRole('button', { name: /^Create \d+ projects$/ })
      .click();
    await page.getByText(/^Done: \d+ projects created/).waitFor({ timeout: 120_000 });
    await expect.poll(focused).toMatch(/^grid cell-\d+-\d+$/);
    const before = await focused();
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).not.toBe(before);
    // With the Created filter and a longer Create label, the toolbar still holds one line.
    const toolbar = await page.evaluate(() => document.querySelector('.toolbar')!.getBoundingClientRect());
    expect(toolbar.bottom - toolbar.top).toBeLessThan(60);
    await shot(page, 'flow-1000-done');
    expect(app.errors).toEqual([]);
  });

  test('the columns preview never cuts an emoji in half', async () => {
    const { page } = app;
    // 26 letters then emoji: a cut after 27 (preview) or 47 (first values) UTF-16 units splits one.
    const name = `${'a'.repeat(26)}${'🎉'.repeat(30)}`;
    const flag = `${'b'.repeat(46)}🇺🇸🇺🇸 rally`;
    await dropFile(page, 'emoji.csv', `Project name,Message\r\n${name},${flag}\r\n`);
    await page.getByRole('button', { name: 'Discard and open' }).click();
    await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
    const texts = [
      ...(await page.locator('.preview td').allTextContents()),
      ...(await page.locator('.mapping .samples').allTextContents()),
    ];
    expect(texts.some((t) => t.includes('🎉') && t.endsWith('…'))).toBe(true);
    for (const t of texts)
      expect(t).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    // The flag pair is one character: kept whole or left out, never half of it.
    const samples = await page.locator('.mapping .samples').allTextContents();
    const sample = samples.find((t) => t.startsWith('bbbb'))!;
    expect(sample.replace(/…$/, '')).toMatch(/^b{46}🇺🇸$/);
    await shot(page, 'flow-1000-columns');
  });
});

describe('the review toolbar at 1000×700, dark', () => {
  test('after an account check and a run it still holds one line, Create inside the window', async () => {
    const dark = await launchApp({ width: 1000, height: 700, colorScheme: 'dark' });
    try {
      const { page } = dark;
      await page.getByRole('button', { name: 'Open example', exact: true }).click();
      await page.getByRole('button', { name: 'Review 20 rows →' }).click();
      await waitChecked(page);
      await page.getByRole('button', { name: 'Check with account' }).click();
      const again = page.getByRole('button', { name: 'Refresh' });
      await again.waitFor();
      // When the account was checked is in the button's tooltip when the window is this small.
      await expect(again.getAttribute('title')).resolves.toMatch(/^Checked just now\./);
      await page.locator('.toolbar .primary').click();
      await page
        .getByTestId('submit-dialog')
        .getByRole('button', { name: /^Create \d+ projects$/ })
        .click();
      await page.getByText(/^Done: \d+ projects created/).waitFor({ timeout: 120_000 });
      const box = (sel: string) =>
        page.evaluate((s) => document.querySelector(s)!.getBoundingClientRect(), sel);
      const toolbar = await box('.toolbar');
      const create = await box('.toolbar .primary');
      const filters = await box('.toolbar .segmented');
      expect(toolbar.bottom - toolbar.top).toBeLessThan(60);
      expect(Math.abs(create.top - filters.top)).toBeLessThan(8);
      expect(create.right).toBeLessThanOrEqual(1000);
      await shot(page, 'flow-1000-done-dark');
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
