/**
 * The app's runs on disk: per run a journal (`<id>.jsonl`) and the submission it sends
 * (`<id>.submission.json`, so a resumed run sends exactly those rows with those keys), and one small
 * manifest (`index.json`) that lists every run with its counts. Past runs are listed from the
 * manifest alone, never by re-reading the journals. It is updated as a run progresses (at most once
 * a second) and at its end; finished runs are pruned (the newest `keepFinished`, none older than
 * `maxAgeDays`), unfinished ones never.
 *
 * Every file operation is asynchronous: the process that runs the service (Electron's main process)
 * stays responsive. Writes are atomic (temp file + rename) and the manifest's are serialized.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RUN_ID_PATTERN } from '../../shared/bridge';
import { submissionSchema, type Submission } from '../../shared/prepared';

const countsSchema = z.object({
  rows: z.number(),
  total: z.number(),
  done: z.number(),
  created: z.number(),
  failed: z.number(),
  invalid: z.number(),
  skipped: z.number(),
});

export const runEntrySchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  fileName: z.string(),
  startedAt: z.string(),
  baseUrl: z.string(),
  environment: z.string(),
  /** The journal's input identity (its run header's hash). */
  inputHash: z.string(),
  /** The hash of the stored submission (a new submission of the same rows continues this run). */
  submissionHash: z.string(),
  counts: countsSchema,
  /** Every row has a final outcome: nothing to resume. */
  finished: z.boolean(),
  /**
   * A later run of the same rows took this one's place (the rows were edited and sent again): it is
   * no longer offered for resuming, which would send rows the later run has sent.
   */
  supersededBy: z.string().nullable().optional(),
  /** When the last session of the run ended (null while one runs, or after a crash). */
  endedAt: z.string().nullable(),
  updatedAt: z.string(),
});

export type RunEntry = z.infer<typeof runEntrySchema>;
export type RunCounts = z.infer<typeof countsSchema>;

const manifestSchema = z.object({ version: z.literal(1), runs: z.array(runEntrySchema) });

export interface RunIndexOptions {
  keepFinished?: number;
  maxAgeDays?: number;
  /** Minimum time between two manifest writes while runs progress. */
  throttleMs?: number;
  now?: () => number;
}

export class RunIndex {
  private runs = new Map<string, RunEntry>();
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastWrite = 0;
  private readonly keepFinished: number;
  private readonly maxAgeMs: number;
  private readonly throttleMs: number;
  private readonly now: () => number;

  constructor(
    readonly dir: string,
    options: RunIndexOptions = {},
  ) {
    this.keepFinished = options.keepFinished ?? 50;
    this.maxAgeMs = (options.maxAgeDays ?? 90) * 86_400_000;
    this.throttleMs = options.throttleMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  get manifestPath(): string {
    return join(this.dir, 'index.json');
  }
  journalPath(runId: string): string {
    return join(this.dir, `${runId}.jsonl`);
  }
  submissionPath(runId: string): string {
    return join(this.dir, `${runId}.submission.json`);
  }

  /** Reads the manifest (a missing or damaged one starts empty). */
  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.manifestPath, 'utf8');
    } catch {
      return;
    }
    try {
      const parsed = manifestSchema.safeParse(JSON.parse(text));
      if (parsed.success) for (const r of parsed.data.runs) this.runs.set(r.runId, r);
    } catch {
      // A damaged manifest: the runs it listed can no longer be offered; their files stay on disk.
    }
  }

  list(): RunEntry[] {
    return [...this.runs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(runId: string): RunEntry | undefined {
    return this.runs.get(runId);
  }

  /** Record a run's state; written within `throttleMs` (or at once with `flush`). */
  put(entry: RunEntry): void {
    this.runs.set(entry.runId, { ...entry, updatedAt: new Date(this.now()).toISOString() });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.throttleMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, wait);
    this.timer.unref?.();
  }

  private write(): Promise<void> {
    this.lastWrite = this.now();
    const text = JSON.stringify({ version: 1, runs: this.list() });
    const next = this.writing.then(() => atomicWrite(this.manifestPath, text));
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Write the manifest now (a run started or ended). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.write();
  }

  async saveSubmission(runId: string, submission: Submission): Promise<void> {
    await atomicWrite(this.submissionPath(runId), JSON.stringify(submission));
  }

  /** The stored submission, or null when it is missing or no longer a valid submission. */
  async readSubmission(runId: string): Promise<Submission | null> {
    try {
      const parsed = submissionSchema.safeParse(
        JSON.parse(await readFile(this.submissionPath(runId), 'utf8')),
      );
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Forget a run and delete its files. */
  async remove(runId: string): Promise<void> {
    if (!this.runs.delete(runId)) return;
    await Promise.all(
      [this.journalPath(runId), this.submissionPath(runId), `${this.journalPath(runId)}.lock`].map((p) =>
        rm(p, { force: true }),
      ),
    );
    await this.flush();
  }

  /**
   * Remove finished runs beyond the newest `keepFinished` and those older than `maxAgeDays`; never
   * an unfinished run, nor one in `active`. Returns the ids removed.
   */
  async prune(active: ReadonlySet<string> = new Set()): Promise<string[]> {
    const cutoff = this.now() - this.maxAgeMs;
    const finished = this.list().filter((r) => (r.finished || !!r.supersededBy) && !active.has(r.runId));
    const gone = finished.filter((r, i) => i >= this.keepFinished || Date.parse(r.startedAt) < cutoff);
    if (gone.length === 0) return [];
    for (const r of gone) this.runs.delete(r.runId);
    await Promise.all(
      gone.flatMap((r) =>
        [this.journalPath(r.runId), this.submissionPath(r.runId)].map((p) => rm(p, { force: true })),
      ),
    );
    await this.flush();
    return gone.map((r) => r.runId);
  }
}

async function atomicWrite(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}
