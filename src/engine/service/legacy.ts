/**
 * Runs stored by versions before the manifest: `<id>.json` (file name, hash, mapping, …) beside the
 * sheet as it was sent (`<id>.input`) and the journal. Each unfinished one is moved into the manifest
 * once, with the sheet read into a submission by the file adapter (row keys `row-N`, as the journal
 * reads its old records), so it can still be resumed; finished ones are listed as finished and pruned
 * like any other.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { mappingSchema, RUN_ID_PATTERN } from '../../shared/bridge';
import type { Mapping } from '../../shared/mapping';
import { readSubmission } from '../input';
import { isFinal, parseJournal, replayJournal } from '../journal';
import { submissionHash } from '../run';
import type { RunIndex } from './runs';

const legacyMetaSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  fileName: z.string(),
  fileHash: z.string(),
  startedAt: z.string(),
  environment: z.string(),
  baseUrl: z.string(),
  mapping: mappingSchema,
  defaultOrganizationId: z.string().optional(),
});

export async function migrateLegacyRuns(index: RunIndex): Promise<number> {
  let names: string[];
  try {
    names = await readdir(index.dir);
  } catch {
    return 0;
  }
  let moved = 0;
  for (const name of names) {
    if (!name.endsWith('.json') || name === 'index.json' || name.endsWith('.submission.json')) continue;
    const metaFile = join(index.dir, name);
    let meta: z.infer<typeof legacyMetaSchema>;
    try {
      const parsed = legacyMetaSchema.safeParse(JSON.parse(await readFile(metaFile, 'utf8')));
      if (!parsed.success || index.get(parsed.data.runId)) continue;
      meta = parsed.data;
    } catch {
      continue;
    }
    const inputFile = join(index.dir, `${meta.runId}.input`);
    try {
      const bytes = new Uint8Array(await readFile(inputFile));
      const { submission } = readSubmission(
        { bytes, fileName: meta.fileName },
        {
          mapping: meta.mapping as Mapping,
          ...(meta.defaultOrganizationId ? { defaultOrganizationId: meta.defaultOrganizationId } : {}),
        },
      );
      const state = replayJournal(
        parseJournal(await readFile(index.journalPath(meta.runId), 'utf8').catch(() => '')).records,
      );
      let done = 0;
      let created = 0;
      let failed = 0;
      let invalid = 0;
      let skipped = 0;
      for (const j of state.rows.values()) {
        if (!isFinal(j)) continue;
        const status = j.result?.status;
        if (status === 'created') created++;
        else if (status === 'failed') failed++;
        else if (status === 'invalid') invalid++;
        else if (status === 'skipped') skipped++;
        if (status === 'created' || status === 'failed') done++;
      }
      await index.saveSubmission(meta.runId, submission);
      index.put({
        runId: meta.runId,
        fileName: meta.fileName,
        startedAt: meta.startedAt,
        baseUrl: meta.baseUrl,
        environment: meta.environment,
        inputHash: meta.fileHash,
        submissionHash: submissionHash(submission),
        counts: {
          rows: submission.rows.length,
          total: Math.max(0, submission.rows.length - invalid - skipped),
          done,
          created,
          failed,
          invalid,
          skipped,
        },
        finished: state.ended,
        endedAt: null,
        updatedAt: meta.startedAt,
      });
      moved++;
    } catch {
      continue;
    }
    await rm(metaFile, { force: true });
    await rm(inputFile, { force: true });
  }
  if (moved > 0) await index.flush();
  return moved;
}
