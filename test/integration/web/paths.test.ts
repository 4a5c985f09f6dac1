/**
 * Paths from the window, over the web harness's real HTTP: files are opened only by the id of a
 * recent file the user chose, never by a path the page names; devices, pipes and huge files are
 * refused without being read; run ids cannot leave the app's folder; saved files stay in the save
 * folder whatever name the page suggests.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from '../../../src/web/server';
import { safeFileName } from '../../../src/engine/service';
import type { CallName } from '../../../src/shared/bridge';
import { bridgeCall } from './helpers';

let h: WebHarness;
let root: string;
const unix = process.platform !== 'win32';
const call = <K extends CallName>(name: K, input?: unknown) => bridgeCall(h, name, input);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bi-web-paths-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  h = await startWebHarness({
    dataDir: join(root, 'data'),
    rendererDir,
    sandbox: { latencyMs: 0, jitterMs: 0 },
  });
});
afterAll(async () => {
  await h.close();
  rmSync(root, { recursive: true, force: true });
});

/** Recent files as an earlier session of the app left them (chosen in the dialog back then). */
function writeRecent(entries: Array<{ id: string; path: string }>) {
  writeFileSync(
    join(h.dataDir, 'recent.json'),
    JSON.stringify(
      entries.map((e) => ({ ...e, name: e.path.split('/').pop(), openedAt: new Date().toISOString() })),
    ),
  );
}

describe('opening files', () => {
  it('refuses a path named by the window', async () => {
    await expect(call('openFile', { path: '/etc/passwd' })).rejects.toThrow(/Invalid input for openFile/);
    await expect(call('openFile', { id: '/etc/passwd' })).rejects.toThrow(/no longer in the recent files/);
  });

  it('refuses to note a path in the recent files: a browser never knows where a file lives', async () => {
    await expect(call('noteRecentFile', { name: 'passwd', path: '/etc/passwd' })).rejects.toThrow(
      /does not learn where a file lives/,
    );
    expect(await call('listRecentFiles')).toEqual([]);
  });

  it('opens a recent file by its id', async () => {
    const sheet = join(root, 'chosen.csv');
    writeFileSync(sheet, 'name\nA\n');
    writeRecent([{ id: 'r1', path: sheet }]);
    expect((await call('listRecentFiles')).map((r) => r.id)).toEqual(['r1']);
    const opened = await call('openFile', { id: 'r1' });
    expect('bytes' in opened && new TextDecoder().decode(opened.bytes)).toBe('name\nA\n');
  });

  it('gives an id to recent files listed before ids existed', async () => {
    const sheet = join(root, 'old.csv');
    writeFileSync(sheet, 'name\nB\n');
    writeFileSync(
      join(h.dataDir, 'recent.json'),
      JSON.stringify([{ name: 'old.csv', path: sheet, openedAt: new Date().toISOString() }]),
    );
    const [entry] = await call('listRecentFiles');
    expect(entry!.id).toMatch(/^[\w-]{8,}$/);
    expect('bytes' in (await call('openFile', { id: entry!.id }))).toBe(true);
  });

  it.skipIf(!unix)('refuses a device, without reading it', async () => {
    writeRecent([{ id: 'zero', path: '/dev/zero' }]);
    expect(await call('listRecentFiles')).toEqual([]);
    await expect(call('openFile', { id: 'zero' })).rejects.toThrow(/zero is a device, not a spreadsheet/);
  });

  it.skipIf(!unix)('refuses a pipe without waiting on it, and answers the next call', async () => {
    const fifo = join(root, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    writeRecent([{ id: 'fifo', path: fifo }]);
    expect(await call('listRecentFiles')).toEqual([]);
    await expect(call('openFile', { id: 'fifo' })).rejects.toThrow(/pipe.csv is a pipe/);
    expect((await call('getAppInfo')).runtime).toBe('web');
  });

  it('refuses a file larger than any sheet the app reads, on its size', async () => {
    const huge = join(root, 'huge.csv');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 600 * 1024 * 1024); // sparse: no disk used
    closeSync(fd);
    writeRecent([{ id: 'huge', path: huge }]);
    await expect(call('openFile', { id: 'huge' })).rejects.toThrow(
      /huge.csv is 600 MB, more than the 200 MB/,
    );
  });
});

describe('runs', () => {
  it('refuses a run id that names a path, and leaves the files there alone', async () => {
    const victim = join(root, 'victim');
    for (const ext of ['.json', '.jsonl', '.input']) writeFileSync(victim + ext, 'keep me');
    const relative = join('..', '..', '..', '..', '..', '..', '..', '..', victim).replace(/\\/g, '/');
    await expect(call('discardRun', { runId: relative })).rejects.toThrow(/Invalid input for discardRun/);
    await expect(call('discardRun', { runId: victim })).rejects.toThrow(/Invalid input for discardRun/);
    for (const ext of ['.json', '.jsonl', '.input']) expect(existsSync(victim + ext)).toBe(true);
    // A well-formed id that is not a run of the app's folder: nothing to discard.
    expect(await call('discardRun', { runId: 'victim' })).toBe(false);
    await expect(call('exportResults', { runId: '../victim', format: 'csv' })).rejects.toThrow(
      /Invalid input for exportResults/,
    );
  });
});

describe('saving', () => {
  it('keeps every saved file in the save folder, whatever name the page suggests', async () => {
    const bytes = new TextEncoder().encode('x\n');
    const names = [
      '../../escape.csv',
      '/tmp/abs.csv',
      '..\\..\\win.csv',
      '..',
      '.hidden.csv',
      'a\u202egpj.csv',
    ];
    for (const suggestedName of names) {
      const saved = await call('saveFile', { suggestedName, bytes });
      expect('path' in saved && saved.path.startsWith(h.outDir + '/'), suggestedName).toBe(true);
    }
    expect(readdirSync(h.outDir).sort()).toEqual(
      ['Untitled', 'agpj.csv', 'abs.csv', 'escape.csv', 'hidden.csv', 'win.csv'].sort(),
    );
    expect(existsSync(join(root, 'escape.csv'))).toBe(false);
    expect(existsSync(join(root, '..', 'escape.csv'))).toBe(false);
  });

  it('reduces a suggested name to a plain file name', () => {
    expect(safeFileName('../../x.csv')).toBe('x.csv');
    expect(safeFileName('C:\\Users\\x\\y.xlsx')).toBe('y.xlsx');
    expect(safeFileName('...')).toBe('Untitled');
    expect(safeFileName('con.csv')).toBe('_con.csv');
    expect(safeFileName('a<b>:c|d?.csv')).toBe('a_b__c_d_.csv');
    expect(safeFileName('line\nbreak\u0000.csv')).toBe('linebreak.csv');
    const long = safeFileName(`${'n'.repeat(300)}.xlsx`);
    expect(long.length).toBe(150);
    expect(long.endsWith('.xlsx')).toBe(true);
  });
});
