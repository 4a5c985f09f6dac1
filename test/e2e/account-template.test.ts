/**
 * The account-aware template from the start screen: the account's names on a Lookup sheet and
 * dropdowns over them on the Projects sheet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { launchApp, shot, type App } from './helpers';

let app: App;
beforeAll(async () => {
  app = await launchApp();
}, 120_000);
afterAll(async () => app?.close());

describe('the template with the account’s names', () => {
  test('is saved from the start screen, with the Lookup sheet and the dropdowns', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Template with my account’s names' }).click();
    await page.getByText(/Template saved with the names of \d+ organizations?/).waitFor({ timeout: 60_000 });
    await shot(page, '40-account-template-saved');
    const bytes = readFileSync(join(app.outDir, 'projects-template-with-account.xlsx'));
    const wb = XLSX.read(bytes, { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['Projects', 'Columns', 'Lookup']);
    const lookup = XLSX.utils.sheet_to_json<string[]>(wb.Sheets.Lookup!, { header: 1 }).flat();
    expect(lookup).toContain('Rivera GOTV 2026');
    expect(lookup).toContain('Rivera for Senate');
    const sheet1 = strFromU8(unzipSync(new Uint8Array(bytes))['xl/worksheets/sheet1.xml']!);
    expect(sheet1).toMatch(/<dataValidations count="\d+">/);
    expect(sheet1).toContain('type="list"');
    expect(app.errors).toEqual([]);
  });
});
