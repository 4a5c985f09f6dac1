/**
 * Drives the real UI: the web harness serves the built renderer (with the Sandbox for Sandbox
 * mode) and headless Chromium opens it through playwright-core.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startWebHarness } from '../../src/web/server';
import { EXAMPLE_HEADERS } from '../../scripts/make-examples';
import { browserPath } from '../../scripts/find-browser';
import type { SandboxOptions } from '../../src/sandbox';

/**
 * The few browser globals the callbacks given to page.evaluate use. Tests are type-checked without
 * the DOM library (they run in Node), so they are declared here, for this module only.
 */
interface PageElement {
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
}
declare const document: { querySelector(selector: string): PageElement | null };
declare function requestAnimationFrame(callback: () => void): number;
declare const window: { dispatchEvent(event: unknown): boolean };
declare class DataTransfer {
  items: { add(file: unknown): void };
}
declare class File {
  constructor(parts: string[], name: string, options: { type: string });
}
declare class DragEvent {
  constructor(type: string, init: { dataTransfer: DataTransfer; bubbles?: boolean; cancelable?: boolean });
}

export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;

/** The Chrome, Chromium or Edge the tests drive (scripts/find-browser.ts says where it looks). */
export function chromiumPath(): string {
  return browserPath();
}

export interface App {
  page: Page;
  browser: Browser;
  harness: Awaited<ReturnType<typeof startWebHarness>>;
  dataDir: string;
  outDir: string;
  errors: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  dataDir?: string;
  width?: number;
  height?: number;
  /** Options of the Sandbox the harness starts (latency, faults, rate limits). */
  sandbox?: SandboxOptions;
  colorScheme?: 'light' | 'dark';
}

export async function launchApp(options: LaunchOptions = {}): Promise<App> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bi-e2e-'));
  const outDir = join(dataDir, 'saved');
  mkdirSync(outDir, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const harness = await startWebHarness({
    port: 0,
    dataDir,
    outDir,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1400, height: options.height ?? 880 },
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  await page.goto(harness.url);
  await page.getByRole('heading', { name: 'Create broadcast projects from a spreadsheet' }).waitFor();
  return {
    page,
    browser,
    harness,
    dataDir,
    outDir,
    errors,
    async close() {
      await browser.close();
      await harness.close();
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export function grid(page: Page): Locator {
  return page.getByRole('grid');
}

/** The columns of examples/projects.* (and of the large files the tests build from it). */
export { EXAMPLE_HEADERS };

export type Header = (typeof EXAMPLE_HEADERS)[number];

/**
 * Move the grid's cursor with the keyboard to a row (as the file numbers it, header on line 1, no
 * filter) and a column, and return that cell.
 */
export async function gotoCell(page: Page, excelRow: number, header: Header): Promise<Locator> {
  const col = EXAMPLE_HEADERS.indexOf(header);
  await grid(page).focus();
  await page.keyboard.press('Control+Home');
  const viewRow = excelRow - 2;
  for (let i = 0; i < viewRow; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < col; i++) await page.keyboard.press('ArrowRight');
  const cell = page.locator(`#cell-${viewRow}-${col}`);
  await cell.waitFor();
  return cell;
}

export async function typeInto(page: Page, cell: Locator, value: string, commit = 'Enter'): Promise<void> {
  await cell.scrollIntoViewIfNeeded();
  await page.keyboard.press('F2');
  const editor = page.getByRole('textbox', { name: 'Cell value' });
  await editor.waitFor();
  await editor.fill(value);
  await page.keyboard.press(commit);
  await editor.waitFor({ state: 'detached' });
}

/** The filter button counts: All / Errors / Warnings / Ready. */
export async function counts(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const b of await page.locator('.segmented .seg').all()) {
    const text = (await b.textContent()) ?? '';
    const m = /^(\D+)([\d,]+)$/.exec(text.trim());
    if (m) out[m[1]!.trim()] = Number(m[2]!.replace(/,/g, ''));
  }
  return out;
}

export async function waitChecked(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.statusbar .checking'), null, { timeout });
  await page.waitForFunction(
    () => !/Checking/.test(document.querySelector('.toolbar .primary')?.textContent ?? ''),
    null,
    {
      timeout,
    },
  );
}

/** The filter buttons' text contains `Errors<n>` (n formatted like the UI does). */
export async function waitForErrors(page: Page, n: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (label) => document.querySelector('.segmented')?.textContent?.includes(label) ?? false,
    `Errors${n.toLocaleString('en-US')}`,
    { timeout },
  );
}

/** Scroll the grid `steps` times by `by` pixels, one step per animation frame; the frame times. */
export async function scrollFrames(page: Page, steps: number, by: number): Promise<number[]> {
  return page.evaluate(
    async ([n, px]) => {
      const g = document.querySelector('.grid')!;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < n; i++) {
        g.scrollTop += px;
        await new Promise<void>((r) => requestAnimationFrame(() => r()));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    },
    [steps, by] as const,
  );
}

/** Drop a file on the window, as a person dragging it from their desktop would. */
export async function dropFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(
    ([fileName, content]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], fileName, { type: 'text/csv' }));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [name, text] as const,
  );
}
