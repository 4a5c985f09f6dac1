/**
 * The journal is read defensively and only from regular files; other paths are checked the same way;
 * file-system errors say what they are; results are written atomically; a key with a control
 * character is refused.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  existsSync,
  linkSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileJournal,
  JournalDamagedError,
  parseJournal,
  type JournalFs,
  type JournalRecord,
} from '../../../src/engine/journal';
import { inspectJournal } from '../../../src/engine/inspect';
import { openKeys } from '../../../src/engine/prior-keys';
import {
  checkDistinctFiles,
  FileAccessError,
  FileRefusedError,
  readRegularFile,
  STALE_TEMP_MS,
  writeFileAtomically,
} from '../../../src/engine/files';
import { apiKeyProblem } from '../../../src/engine/api-key';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bi-jfiles-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const header: JournalRecord = {
  type: 'run',
  version: 1,
  runId: 'run-1',
  createdAt: '2026-01-05T12:00:00.000Z',
  fileName: 'a.csv',
  fileHash: 'abc',
  sheet: null,
  headerRow: 1,
  mapping: { columns: ['name'] },
  defaultOrganizationId: null,
  baseUrl: 'http://127.0.0.1/v1',
  rows: 3,
};
const body = { organization_id: 'o', name: 'n2', protocol: 'sms' as const, message_text: 'm' };
const send: JournalRecord = { type: 'send', rowKey: 'row-2', row: 2, key: 'k-2', attempt: 1, at: 'x', body };
const result: JournalRecord = {
  type: 'result',
  rowKey: 'row-2',
  row: 2,
  status: 'created',
  at: 'x',
  attempts: 1,
  projectId: 'p',
};
const lines = (...records: JournalRecord[]) => records.map((r) => JSON.stringify(r) + '\n').join('');

function journalFile(text: string): string {
  const file = join(tempDir(), 'run.jsonl');
  writeFileSync(file, text);
  return file;
}

const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

describe('reading a journal', () => {
  it('refuses a journal whose run header is damaged, instead of starting a new run over its sent rows', () => {
    const good = lines(header, send, result);
    // One byte changed in the header, as after a crash or a careless edit.
    const file = journalFile(good.replace('"type":"run"', '"type":"rux"'));
    expect(() => FileJournal.open(file)).toThrow(JournalDamagedError);
    expect(() => FileJournal.open(file)).toThrow(/line 1 \(the run header\) is damaged/);
    // Nothing was written to it, and it is not locked afterwards.
    expect(readFileSync(file, 'utf8')).toBe(good.replace('"type":"run"', '"type":"rux"'));
    expect(readdirSync(join(file, '..'))).toEqual(['run.jsonl']);
    const notJson = journalFile('{"type":"run",' + '\n' + lines(send, result));
    expect(() => FileJournal.open(notJson)).toThrow(/line 1 \(the run header\) is damaged/);
  });

  it('refuses a journal that starts with another record, a second header, or another version', () => {
    expect(() => parseJournal(lines(send, result))).toThrow(/starts with a "send" record/);
    expect(() => parseJournal(lines(header, send, header))).toThrow(/second run header/);
    expect(() => parseJournal(lines({ ...header, version: 9 } as JournalRecord, send))).toThrow(
      /another version of the app \(journal version 9\)/,
    );
  });

  it('checks every record against the schema of its type; damage in the middle is a refusal', () => {
    const badRow = JSON.stringify({ ...send, row: '2' });
    expect(() => parseJournal(lines(header) + badRow + '\n' + lines(result))).toThrow(
      /line 2 is damaged: its "send" record is malformed \(row\)/,
    );
    const extra = JSON.stringify({ ...result, apiKey: 'pc_live_x' });
    expect(() => parseJournal(lines(header) + extra + '\n')).toThrow(/line 2 is damaged/);
    const badBody = JSON.stringify({ ...send, body: { ...body, protocol: 'fax' } });
    expect(() => parseJournal(lines(header) + badBody + '\n')).toThrow(/malformed \(body\.protocol\)/);
    expect(() => parseJournal(lines(header) + 'garbage\n' + lines(result))).toThrow(
      /line 2 is damaged: it is not a JSON record/,
    );
    expect(() => parseJournal(lines(header) + '{"type":"nope"}\n')).toThrow(/"nope" record is malformed/);
  });

  it('tolerates only the torn last line, and cuts it off on open', async () => {
    const whole = lines(header, send);
    const file = journalFile(whole + JSON.stringify(result).slice(0, 20));
    const { journal, contents } = FileJournal.open(file);
    expect(contents.records.map((r) => r.type)).toEqual(['run', 'send']);
    expect(contents.skippedLines).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(whole);
    await journal.append(result);
    await journal.close();
    expect(readFileSync(file, 'utf8')).toBe(lines(header, send, result));
  });

  it('a torn header with nothing after it is an empty journal (no row can have been sent)', async () => {
    const file = journalFile(JSON.stringify(header).slice(0, 30));
    const { journal, contents } = FileJournal.open(file);
    expect(contents.records).toEqual([]);
    await journal.close();
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('a whole last record without its line end is kept, and the next starts on a fresh line', async () => {
    const file = journalFile(lines(header) + JSON.stringify(send));
    const { journal, contents } = FileJournal.open(file);
    expect(contents.records.map((r) => r.type)).toEqual(['run', 'send']);
    await journal.append(result);
    await journal.close();
    expect(parseJournal(readFileSync(file, 'utf8')).records).toHaveLength(3);
  });

  it('a file of junk with no line end is refused after reading its first megabyte, not read whole', () => {
    const file = join(tempDir(), 'sparse.jsonl');
    writeFileSync(file, '');
    truncateSync(file, 512 * 1024 * 1024); // sparse: 512 MB of zeros that take no disk space
    const started = Date.now();
    expect(() => FileJournal.read(file)).toThrow(/line 1 \(the run header\) is damaged: it never ends/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a journal over the size limit is refused before it is read', () => {
    const file = join(tempDir(), 'huge.jsonl');
    writeFileSync(file, lines(header));
    truncateSync(file, 1024 * 1024 * 1024 + 1);
    expect(() => FileJournal.read(file)).toThrow(FileRefusedError);
    expect(() => FileJournal.read(file)).toThrow(/more than the 1\.0 GB that can be read/);
  });

  it('inspectJournal gives null for a damaged or unusable journal (opening it gives the reason)', () => {
    expect(inspectJournal(journalFile('garbage\n' + lines(header)))).toBeNull();
    expect(inspectJournal('/dev/zero')).toBeNull();
  });
});

describe('where a journal may be', () => {
  it('refuses a device at once: /dev/full and /dev/zero are never written or read', () => {
    for (const dev of ['/dev/full', '/dev/zero', '/dev/null']) {
      if (!existsSync(dev)) continue;
      expect(() => FileJournal.open(dev)).toThrow(FileRefusedError);
      expect(() => FileJournal.open(dev)).toThrow(
        /is a device \(such as \/dev\/zero or \/dev\/full\), not a file/,
      );
      expect(existsSync(`${dev}.lock`)).toBe(false);
    }
  });

  it('refuses a journal in a folder that does not exist, at once (no folder is created)', () => {
    const started = Date.now();
    expect(() => FileJournal.open('/proc/nonexistent/j.jsonl')).toThrow(
      /The journal \/proc\/nonexistent\/j\.jsonl cannot be used: its folder does not exist/,
    );
    const missing = join(tempDir(), 'no', 'such', 'j.jsonl');
    expect(() => FileJournal.open(missing)).toThrow(FileRefusedError);
    expect(existsSync(join(missing, '..'))).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('one journal under two names (a symbolic link) has one lock', async () => {
    const d = tempDir();
    const real = join(d, 'run.jsonl');
    const link = join(d, 'link.jsonl');
    symlinkSync(real, link); // dangling until the journal is created
    const { journal } = FileJournal.open(link);
    expect(() => FileJournal.open(real)).toThrow(/Another run is using this journal/);
    expect(() => FileJournal.open(link)).toThrow(/Another run is using this journal/);
    await journal.close();
    await FileJournal.open(real).journal.close();
  });

  it('refuses a folder named as the journal', () => {
    expect(() => FileJournal.open(tempDir())).toThrow(/is a folder, not a file/);
  });

  it.runIf(hasMkfifo)('refuses a FIFO as the journal without waiting for a writer', () => {
    const p = fifo(join(tempDir(), 'j.jsonl'));
    expect(() => FileJournal.open(p)).toThrow(/is a named pipe \(FIFO\), not a file/);
    expect(() => FileJournal.read(p)).toThrow(/named pipe/);
  });

  it.runIf(hasMkfifo)(
    'passes over a FIFO, a device link, a sparse or damaged .jsonl beside it, with a warning',
    () => {
      const d = tempDir();
      const pipe = fifo(join(d, 'pipe.jsonl'));
      const dev = join(d, 'zero.jsonl');
      symlinkSync('/dev/zero', dev);
      const sparse = join(d, 'sparse.jsonl');
      writeFileSync(sparse, '');
      truncateSync(sparse, 256 * 1024 * 1024);
      const damaged = join(d, 'damaged.jsonl');
      writeFileSync(damaged, 'x' + lines(header, send));
      const good = join(d, 'good.jsonl');
      writeFileSync(good, lines(header, send));
      const warnings: string[] = [];
      const keys = openKeys([pipe, dev, sparse, damaged, good, join(d, 'missing.jsonl')], {
        warn: (m) => warnings.push(m),
      });
      expect([...keys.values()]).toEqual(['k-2']);
      expect(warnings).toHaveLength(4);
      expect(warnings[0]).toMatch(/pipe\.jsonl .*named pipe \(FIFO\)/);
      expect(warnings[1]).toMatch(/zero\.jsonl .*is a device/);
      expect(warnings[2]).toMatch(/sparse\.jsonl .*never ends/);
      expect(warnings[3]).toMatch(/damaged\.jsonl .*line 1 \(the run header\) is damaged/);
    },
  );
});

describe('the lock', () => {
  const entry = (pid: number, startedAt: string) =>
    JSON.stringify({ pid, token: 'b'.repeat(32), startedAt, host: hostname() });

  it('an entry of this pid written before this process started is stale (a restarted container)', async () => {
    const file = join(tempDir(), 'run.jsonl');
    writeFileSync(`${file}.lock`, entry(process.pid, '2020-01-01T00:00:00.000Z'));
    await FileJournal.open(file).journal.close();
    writeFileSync(`${file}.lock`, entry(process.pid, new Date().toISOString()));
    expect(() => FileJournal.open(file)).toThrow(/Another run is using this journal \(process \d+, since /);
  });

  it('a chain of locks left by crash after crash is taken over, and released whole', async () => {
    const file = join(tempDir(), 'run.jsonl');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    let slot = `${file}.lock`;
    for (let i = 0; i < 20; i++) {
      const token = i.toString(16).padStart(32, '0');
      writeFileSync(slot, JSON.stringify({ pid: dead, token, startedAt: 'x', host: hostname() }));
      slot = `${file}.lock.${token}`;
    }
    const { journal } = FileJournal.open(file);
    expect(existsSync(slot)).toBe(true); // the 21st entry: this process
    expect(JSON.parse(readFileSync(slot, 'utf8')).pid).toBe(process.pid);
    await journal.close();
    expect(readdirSync(join(file, '..')).filter((n) => n.includes('.lock'))).toEqual([]);
  });

  it('a lock that is not a file is refused with what it is', () => {
    const file = join(tempDir(), 'run.jsonl');
    fs.mkdirSync(`${file}.lock`);
    expect(() => FileJournal.open(file)).toThrow(
      /The lock .*run\.jsonl\.lock cannot be used: it is a folder/,
    );
  });
});

describe('journal write errors say what they are', () => {
  const faults: Array<[string, RegExp]> = [
    ['ENOSPC', /: the disk is full\. Free some space/],
    ['EROFS', /: the disk is read-only\./],
    ['EACCES', /: permission denied\./],
    ['EDQUOT', /: your disk quota is used up\./],
    ['EIO', /: the disk reported an input\/output error\./],
  ];
  for (const [code, message] of faults) {
    it(`${code} while writing a record`, async () => {
      const file = join(tempDir(), 'run.jsonl');
      let writes = 0;
      // Appends are asynchronous: the fault comes through the callback of fs.write.
      const failing: JournalFs = {
        ...fs,
        write: ((...args: unknown[]) => {
          const cb = args.at(-1) as (err: NodeJS.ErrnoException | null, n?: number) => void;
          if (++writes > 1) return cb(Object.assign(new Error(`${code}: raw system text`), { code }));
          return (fs.write as (...a: unknown[]) => void)(...args);
        }) as typeof fs.write,
      };
      const { journal } = FileJournal.open(file, failing);
      await journal.append(header);
      let error: unknown;
      try {
        await journal.append(send);
      } catch (e) {
        error = e;
      }
      await journal.close();
      expect(error).toBeInstanceOf(FileAccessError);
      expect((error as Error).message).toMatch(
        new RegExp(`^Cannot write the journal ${file.replace(/[.]/g, '\\.')}`),
      );
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/Cannot read/);
    });
  }

  it('an error opening the journal is an error opening the journal', () => {
    const file = join(tempDir(), 'run.jsonl');
    const failing: JournalFs = {
      ...fs,
      openSync: (() => {
        throw Object.assign(new Error('EROFS: raw'), { code: 'EROFS' });
      }) as typeof fs.openSync,
    };
    expect(() => FileJournal.open(file, failing)).toThrow(
      /^Cannot open the journal .*run\.jsonl: the disk is read-only\./,
    );
    // The lock taken for the attempt is given back.
    expect(readdirSync(join(file, '..'))).toEqual([]);
  });
});

describe('files of a run', () => {
  it('refuses the same file twice, also through a symbolic or a hard link', () => {
    const d = tempDir();
    const input = join(d, 'in.csv');
    writeFileSync(input, 'name\nx\n');
    const results = join(d, 'out.csv');
    expect(() =>
      checkDistinctFiles([
        { label: 'the results file', path: results },
        { label: 'the journal', path: join(d, '.', 'out.csv') },
      ]),
    ).toThrow(/The results file and the journal are the same file/);
    const hard = join(d, 'hard.jsonl');
    linkSync(input, hard);
    expect(() =>
      checkDistinctFiles([
        { label: 'the input file', path: input },
        { label: 'the journal', path: hard },
      ]),
    ).toThrow(/The input file and the journal are the same file/);
    const soft = join(d, 'soft.csv');
    symlinkSync(results, soft); // dangling: the results file does not exist yet
    expect(() =>
      checkDistinctFiles([
        { label: 'the results file', path: results },
        { label: 'the journal', path: soft },
      ]),
    ).toThrow(FileRefusedError);
    expect(() =>
      checkDistinctFiles([
        { label: 'the input file', path: input },
        { label: 'the results file', path: results },
        { label: 'the journal', path: join(d, 'j.jsonl') },
      ]),
    ).not.toThrow();
  });

  it('reads only regular files, with a size limit', async () => {
    await expect(readRegularFile('/dev/zero', { label: 'the file', maxBytes: 10 })).rejects.toThrow(
      /is a device/,
    );
    const f = join(tempDir(), 'a.csv');
    writeFileSync(f, '12345678901');
    await expect(readRegularFile(f, { label: 'the file', maxBytes: 10 })).rejects.toThrow(
      /is 11 bytes, more than the 10 bytes that can be read/,
    );
    expect((await readRegularFile(f, { label: 'the file', maxBytes: 11 })).toString()).toBe('12345678901');
  });

  it('writes atomically and removes the temp file a killed write left behind', () => {
    const d = tempDir();
    const out = join(d, 'out.csv');
    const stale = join(d, '.out.csv.0123456789abcdef.tmp');
    writeFileSync(stale, ''); // a kill between creating the temp file and renaming it
    const old = (Date.now() - STALE_TEMP_MS - 1000) / 1000;
    utimesSync(stale, old, old);
    const fresh = join(d, '.out.csv.fedcba9876543210.tmp'); // another write going on right now
    writeFileSync(fresh, '');
    const older = join(d, '.out.csv.01234567.tmp'); // named the way earlier versions did
    writeFileSync(older, '');
    utimesSync(older, old, old);
    const mine = join(d, '.notes.txt.0123456789abcdef.tmp'); // another file's temp file
    writeFileSync(mine, '');
    utimesSync(mine, old, old);
    writeFileAtomically(out, new TextEncoder().encode('a,b\r\n'), 'the results file');
    expect(readFileSync(out, 'utf8')).toBe('a,b\r\n');
    expect(readdirSync(d).sort()).toEqual([
      '.notes.txt.0123456789abcdef.tmp',
      '.out.csv.fedcba9876543210.tmp',
      'out.csv',
    ]);
  });

  it('never writes results over a device or into a missing folder', () => {
    expect(() => writeFileAtomically('/dev/full', new Uint8Array(1), 'the results file')).toThrow(
      /is a device/,
    );
    expect(() =>
      writeFileAtomically(join(tempDir(), 'none', 'out.csv'), new Uint8Array(1), 'the results file'),
    ).toThrow(/its folder does not exist/);
  });
});

describe('the API key', () => {
  it('is refused with a line break, a control or invisible character, without repeating it', () => {
    const key = 'pc_live_abcdefghijklmnopqrstuvwxyz012345';
    for (const [bad, what] of [
      [`${key.slice(0, 10)}\n${key.slice(10)}`, /a line break at character 11/],
      [`${key.slice(0, 10)}\r${key.slice(10)}`, /a line break/],
      [`${key}\u0000`, /a control character/],
      [`${key.slice(0, 5)}\t${key.slice(5)}`, /a control character/],
      [`${key.slice(0, 5)}\u200b${key.slice(5)}`, /an invisible formatting character/],
      [`${key.slice(0, 5)} ${key.slice(5)}`, /a space/],
      [`${key.slice(0, 5)}\u0085${key.slice(5)}`, /a control character/],
      [`${key.slice(0, 5)}é${key.slice(5)}`, /a character that is not in any key/],
    ] as const) {
      const message = apiKeyProblem(bad);
      expect(message).toMatch(what);
      expect(message).not.toContain(key.slice(12));
    }
    expect(apiKeyProblem(key)).toBeNull();
  });
});
