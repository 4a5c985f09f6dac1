/**
 * The hostile corpus opened in the app: each file ends in its rows or in a message on the screen,
 * within a time bound, and the window stays usable. A read that takes too long is stopped.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHostileCorpus, HOSTILE_DIR } from '../../scripts/make-hostile';
import { launchApp, shot, type App } from './helpers';

declare const localStorage: { setItem(k: string, v: string): void; removeItem(k: string): void };

let app: App;
beforeAll(async () => {
  ensureHostileCorpus();
  app = await launchApp();
}, 120_000);
afterAll(async () => app?.close());

/** Back to the start screen, whatever screen a file left. */
async function backToStart(): Promise<void> {
  const close = app.page.getByRole('button', { name: 'Close file' });
  if (await close.isVisible()) await close.click();
  await app.page.getByRole('heading', { name: 'Create broadcast projects from a spreadsheet' }).waitFor();
}

/** What opening a file led to: 'refused' (with its message) or 'read' (the columns or the rows). */
async function open(
  nameOrPath: string,
): Promise<{ outcome: 'refused' | 'read'; message: string; ms: number }> {
  const started = Date.now();
  await app.page
    .locator('input[type="file"]')
    .setInputFiles(isAbsolute(nameOrPath) ? nameOrPath : join(HOSTILE_DIR, nameOrPath));
  const refused = app.page.getByRole('alert').filter({ hasText: 'could not be read' });
  const read = app.page.getByRole('heading', { name: 'Check the columns' }).or(app.page.getByRole('grid'));
  await refused.or(read).first().waitFor({ timeout: 30_000 });
  const ms = Date.now() - started;
  if (await refused.isVisible())
    return { outcome: 'refused', message: (await refused.innerText()).trim(), ms };
  return { outcome: 'read', message: '', ms };
}

const REFUSED = new Set([
  'binary.csv',
  'bom-only.csv',
  'columns-20000.csv',
  'columns-20000.xlsx',
  'corrupt.xlsx',
  'docx-named.xlsx',
  'empty.csv',
  'empty.xlsx',
  'huge-cell.csv',
  'huge-cell.xlsx',
  'json.csv',
  'misplaced-quote.csv',
  'nul-bytes.csv',
  'nul-padded.csv',
  'password.xlsx',
  'truncated.xlsx',
  'unbalanced-quote.csv',
  'zip-bomb-lying.xlsx',
  'zip-bomb-zero.xlsx',
  'zip-bomb.xlsx',
]);

describe('hostile files in the app', () => {
  it('every file of the corpus ends in its rows or a plain message, fast, and the app goes on', async () => {
    const names = readdirSync(HOSTILE_DIR).filter((n) => !n.startsWith('.') && n !== 'README.md');
    expect(names.length).toBeGreaterThanOrEqual(30);
    const seen: Record<string, string> = {};
    for (const name of names) {
      await backToStart();
      const r = await open(name);
      seen[name] = `${r.outcome} ${r.ms} ms`;
      expect(r.ms, name).toBeLessThan(15_000);
      expect(r.outcome, name).toBe(REFUSED.has(name) ? 'refused' : 'read');
      if (r.outcome === 'refused') {
        // One plain sentence or two, never a stack trace.
        expect(r.message, name).not.toMatch(/\bat \w+ \(|TypeError|undefined/);
        expect(r.message.length, name).toBeLessThan(800);
      }
      if (name === 'zip-bomb.xlsx') await shot(app.page, '30-hostile-zip-bomb');
    }
    expect(app.errors).toEqual([]);
    console.log('hostile files in the app', JSON.stringify(seen));
  }, 600_000);

  it('stops a read that takes longer than the time limit, and the next file opens normally', async () => {
    await backToStart();
    // A workbook that takes this machine hundreds of ms to read, against a limit of 20 ms: the read
    // cannot win the race however fast the machine is.
    const dir = mkdtempSync(join(tmpdir(), 'slow-read-'));
    const slow = join(dir, 'slow.xlsx');
    const rows = [
      ['Project name', 'Message'],
      ...Array.from({ length: 40_000 }, (_, i) => [`Row ${i}`, `Text ${i}`]),
    ];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'Projects');
    writeFileSync(slow, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    await app.page.evaluate(() => localStorage.setItem('importer:read-time-limit-ms', '20'));
    const r = await open(slow);
    rmSync(dir, { recursive: true, force: true });
    expect(r.outcome).toBe('refused');
    expect(r.message).toMatch(/took longer than 20 ms, so it was stopped/);
    await app.page.evaluate(() => localStorage.removeItem('importer:read-time-limit-ms'));
    await backToStart();
    expect((await open('windows-1252.csv')).outcome).toBe('read');
  });
});
