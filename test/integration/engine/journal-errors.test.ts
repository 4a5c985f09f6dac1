/**
 * A journal that cannot be written stops the run with what went wrong ("the disk is full"), never a
 * request whose send record is not on disk, and the same run resumes once the disk has room again.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRun } from '../../../src/engine';
import { FileAccessError } from '../../../src/engine/files';
import type { JournalFs } from '../../../src/engine/journal';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { csv, fromFile, validRows } from '../../unit/engine/helpers';

let sb: RunningSandbox;
let dir: string;
beforeEach(async () => {
  sb = await startSandbox({ seed: 23 });
  dir = mkdtempSync(join(tmpdir(), 'bi-journal-errors-'));
});
afterEach(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

const posts = () => sb.state.log.filter((e) => e.method === 'POST').length;

for (const [code, reason] of [
  ['ENOSPC', 'the disk is full'],
  ['EROFS', 'the disk is read-only'],
  ['EACCES', 'permission denied'],
] as const) {
  it(`${code} on a send record: the run stops saying so, the request is not sent, the run resumes later`, async () => {
    const journalPath = join(dir, `${code}.jsonl`);
    const file = fromFile(csv(validRows(4, code)), 'p.csv');
    let sends = 0;
    // Appends are asynchronous: the fault comes through the callback of fs.write.
    const failing: JournalFs = {
      ...fs,
      write: ((fd: number, buf: Uint8Array, ...rest: unknown[]) => {
        const cb = rest.at(-1) as (err: NodeJS.ErrnoException | null, n?: number) => void;
        if (Buffer.from(buf).includes('"type":"send"') && ++sends === 3) {
          return cb(Object.assign(new Error(`${code}: raw`), { code }));
        }
        return (fs.write as (...a: unknown[]) => void)(fd, buf, ...rest);
      }) as typeof fs.write,
    };
    const run = createRun({
      ...file,
      apiKey: sb.apiKey,
      baseUrl: sb.baseUrl,
      journalPath,
      journalFs: failing,
    });
    const error = await run.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as Error).message).toBe(
      `Cannot write the journal ${journalPath}: ${reason}.${
        code === 'ENOSPC'
          ? ' Free some space on that disk, then try again.'
          : code === 'EROFS'
            ? ' Choose a folder on a disk that can be written to.'
            : ' Choose a folder you may write in, or ask for access to this one.'
      }`,
    );
    // Two send records reached the disk, so two requests left; the third never did.
    expect(posts()).toBe(2);

    const resumed = await createRun({ ...file, apiKey: sb.apiKey, baseUrl: sb.baseUrl, journalPath }).start();
    expect(resumed.resumed).toBe(true);
    expect(resumed.counts.created).toBe(4);
    for (let i = 1; i <= 4; i++) expect(sb.state.listProjects({ name: `${code} ${i}` })).toHaveLength(1);
  });
}
