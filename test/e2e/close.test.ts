/**
 * Closing the window over unsaved edits, and quitting during a run: the page tells the privileged
 * side when its sheet is dirty, the close is held back only then and the page asks Save / Discard and
 * close / Cancel; a run under way is cancelled cleanly (its request in flight answered and recorded).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { inspectJournal } from '../../src/engine/inspect';
import { readSheet } from '../../src/shared/sheet';
import { gotoCell, grid, launchApp, shot, typeInto, waitChecked, type App } from './helpers';

let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

declare const window: { dispatchEvent(e: unknown): boolean };
declare class Event {
  constructor(type: string, init: { cancelable: boolean });
  defaultPrevented: boolean;
}
declare const document: { activeElement: { getAttribute(n: string): string | null } | null };

async function openExample(a: App) {
  const { page } = a;
  await page.getByRole('button', { name: 'Open example', exact: true }).click();
  await page.getByRole('button', { name: 'Review 20 rows →' }).click();
  await waitChecked(page);
}

function journals(dataDir: string) {
  const dir = join(dataDir, 'runs');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => inspectJournal(join(dir, f))!);
}

describe('closing the window', () => {
  test('unsaved edits: the close is held and asked about; Cancel stays, Save saves and closes', async () => {
    app = await launchApp();
    const { page, harness } = app;
    await openExample(app);
    // Nothing unsaved: nothing holds the window.
    await expect.poll(() => harness.documentState.title).toBe('projects.xlsx — Broadcast Importer');
    expect(harness.requestClose()).toBe('allow');

    await typeInto(page, await gotoCell(page, 8, 'Protocol'), 'mms');
    await expect
      .poll(() => harness.documentState)
      .toEqual({
        dirty: true,
        title: '● projects.xlsx — Broadcast Importer',
      });
    // No beforeunload trap: the page itself never blocks the browser from closing it.
    const trapped = await page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    });
    expect(trapped).toBe(false);

    expect(harness.requestClose()).toBe('prevent');
    const dialog = page.getByTestId('close-dialog');
    await dialog.getByRole('heading', { name: 'Save your edits to projects.xlsx?' }).waitFor();
    await expect(dialog.locator('.dialog-foot button').allTextContents()).resolves.toEqual([
      'Cancel',
      'Discard and close',
      'Save',
    ]);
    await shot(page, 'close-unsaved');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(harness.windowClosed).toBe(false);
    // The keyboard is back on the grid, at the cell it was on.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role') ?? null))
      .toBe('grid');
    await expect(grid(page).getAttribute('aria-activedescendant')).resolves.toBe('cell-7-2');

    expect(harness.requestClose()).toBe('prevent');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => harness.windowClosed).toBe(true);
    const saved = readSheet(new Uint8Array(readFileSync(join(app.outDir, 'projects.xlsx'))), {
      fileName: 'projects.xlsx',
    });
    expect(saved.rows[6]!.cells[2]).toBe('mms');
    // In a browser the page closes its own state: back to the start, the file gone.
    await page.getByRole('heading', { name: 'Create broadcast projects from a spreadsheet' }).waitFor();
    await expect.poll(() => harness.documentState.dirty).toBe(false);
    expect(app.errors).toEqual([]);
  });

  test('"Discard and close" during a run stops it cleanly and closes', async () => {
    app = await launchApp({ sandbox: { latencyMs: 400, jitterMs: 0 } });
    const { page, harness, dataDir } = app;
    await openExample(app);
    await typeInto(page, await gotoCell(page, 8, 'Protocol'), 'mms');
    await page.locator('.toolbar .primary').click();
    await page
      .getByTestId('submit-dialog')
      .getByRole('button', { name: /^Create \d+ projects$/ })
      .click();
    await page.getByText(/Creating projects… [1-9] of \d+/).waitFor({ timeout: 30_000 });

    expect(harness.requestClose()).toBe('prevent');
    const dialog = page.getByTestId('close-dialog');
    await dialog.getByText(/Projects are being created: closing stops the run/).waitFor();
    await dialog.getByRole('button', { name: 'Discard and close' }).click();
    await expect.poll(() => harness.windowClosed, { timeout: 30_000 }).toBe(true);
    await page.getByRole('heading', { name: 'Create broadcast projects from a spreadsheet' }).waitFor();
    // Cut short, and clean: every request sent has its answer recorded.
    const [journal] = journals(dataDir);
    expect(journal!.unknown).toBe(0);
    expect(journal!.finished).toBeLessThan(journal!.run.rows);
    expect(journal!.created).toBeGreaterThan(0);
    expect(app.errors).toEqual([]);
  });

  test('a run alone (nothing unsaved) is asked about too; quitting during a run cancels it cleanly', async () => {
    app = await launchApp({ sandbox: { latencyMs: 400, jitterMs: 0 } });
    const { page, harness, dataDir } = app;
    await openExample(app);
    await page.locator('.toolbar .primary').click();
    await page
      .getByTestId('submit-dialog')
      .getByRole('button', { name: /^Create \d+ projects$/ })
      .click();
    await page.getByText(/Creating projects… [1-9] of \d+/).waitFor({ timeout: 30_000 });
    expect(harness.requestClose()).toBe('prevent');
    const dialog = page.getByTestId('close-dialog');
    await dialog.getByRole('heading', { name: 'Stop creating projects and close?' }).waitFor();
    await expect(dialog.locator('.dialog-foot button').allTextContents()).resolves.toEqual([
      'Cancel',
      'Stop the run and close',
    ]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Ctrl+Q: nothing to save, so nothing is asked; the run is cancelled cleanly, then the app quits.
    expect(harness.requestQuit()).toBe('prevent');
    await expect.poll(() => harness.quit, { timeout: 30_000 }).toBe(true);
    expect(harness.requestQuit()).toBe('allow');
    await page.getByText(/^Cancelled: \d+ projects? created before you stopped\.$/).waitFor();
    const [journal] = journals(dataDir);
    expect(journal!.unknown).toBe(0);
    expect(journal!.finished).toBeLessThan(journal!.run.rows);
    expect(app.errors).toEqual([]);
  });
});
