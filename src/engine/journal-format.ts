/**
 * Reading a journal file defensively. Every line is one record, checked against the zod schema of its
 * type; the first must be a `run` header of this journal version. A journal that breaks these rules is
 * refused (JournalDamagedError), never read as "no run yet": it may record rows that were created, and
 * starting over would create them again. The one tolerated flaw is a torn last line (a kill during a
 * write): it never completed its fsync, so nothing was sent on its strength, and it is cut off.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import { issueSchema, mappingSchema } from '../shared/bridge';
import { createProjectRequestSchema } from '../shared/schema/request';
import { readFdBoundedSync, tooLargeError } from './files';
import type {
  AnswerRecord,
  EndRecord,
  InputRecord,
  JournalRecord,
  ResultRecord,
  RunRecord,
  SendRecord,
  StopRecord,
} from './journal';

/** The version of the record shapes this code writes (2: row records carry their row key). */
export const JOURNAL_VERSION = 2;
/** Versions this code reads: version 1 journals name rows by number only (read as `row-N`). */
export const READABLE_JOURNAL_VERSIONS: readonly number[] = [1, 2];

/** A journal larger than this is not read (a run of 1,100,000 rows stays well below it). */
export const JOURNAL_MAX_BYTES = 1024 * 1024 * 1024;
/** The first line (the run header) is read on its own first, so that a file of junk is refused at once. */
const HEADER_MAX_BYTES = 1024 * 1024;

export class JournalDamagedError extends Error {
  override name = 'JournalDamagedError';
  constructor(
    message: string,
    /** What is wrong, alone, e.g. "line 1 (the run header) is damaged: it is not a JSON record". */
    readonly problem: string,
  ) {
    super(message);
  }
}

const rowNumber = z.number().int().positive();
/** Optional only for version 1 journals, which did not have it; always written now. */
const rowKey = z.string().min(1).max(200).optional();
const count = z.number().int().nonnegative();
const text = z.string();

const runSchema = z.strictObject({
  type: z.literal('run'),
  version: z.number().int(),
  runId: z.string().min(1),
  createdAt: text,
  fileName: text,
  fileHash: z.string().min(1),
  sheet: text.nullable(),
  headerRow: rowNumber.nullable(),
  mapping: mappingSchema,
  defaultOrganizationId: text.nullable(),
  baseUrl: text,
  rows: count,
});

const sendSchema = z.strictObject({
  type: z.literal('send'),
  rowKey,
  row: rowNumber,
  key: z.string().min(1),
  attempt: z.number().int().positive(),
  at: text,
  body: createProjectRequestSchema.optional(),
});

const answerSchema = z.strictObject({
  type: z.literal('answer'),
  rowKey,
  row: rowNumber,
  attempt: z.number().int().positive(),
  at: text,
  httpStatus: count,
  code: text,
  message: text,
  retryInMs: count,
});

const resultSchema = z.strictObject({
  type: z.literal('result'),
  rowKey,
  row: rowNumber,
  status: z.enum(['created', 'failed', 'invalid', 'skipped']),
  at: text,
  attempts: count,
  projectId: text.optional(),
  projectStatus: text.optional(),
  httpStatus: count.optional(),
  code: text.optional(),
  message: text.optional(),
  retryable: z.boolean().optional(),
  issues: z.array(issueSchema).optional(),
});

const stopSchema = z.strictObject({
  type: z.literal('stop'),
  at: text,
  reason: z.enum(['account', 'unreachable', 'cancelled']),
  rowKey,
  row: rowNumber.optional(),
  httpStatus: count.optional(),
  code: text.optional(),
  message: text,
  inFlight: z.boolean().optional(),
});

const inputSchema = z.strictObject({
  type: z.literal('input'),
  at: text,
  fileName: text,
  fileHash: z.string().min(1),
  rows: count,
  keys: z.array(
    z.union([
      z.tuple([z.string().min(1), z.string().min(1).nullable()]),
      z.tuple([z.string().min(1), z.string().min(1).nullable(), z.literal(1)]),
    ]),
  ),
});

const endSchema = z.strictObject({
  type: z.literal('end'),
  at: text,
  counts: z.record(z.string(), z.number()),
});

const recordSchema = z.discriminatedUnion('type', [
  runSchema,
  inputSchema,
  sendSchema,
  answerSchema,
  resultSchema,
  stopSchema,
  endSchema,
]);

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** As read: the row key may be missing in a version 1 journal (replay derives `row-N`). */
type Read<T extends { rowKey?: string }> = Omit<T, 'rowKey'> & { rowKey?: string | undefined };
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * Compile-time proof that each schema reads exactly the record type the journal writes: a field
 * added to a record type and not to its schema (or the other way round) fails to type-check here.
 */
export const SCHEMAS_MATCH_RECORDS: [
  Equals<z.infer<typeof runSchema>, RunRecord>,
  Equals<z.infer<typeof inputSchema>, InputRecord>,
  Equals<Flat<z.infer<typeof sendSchema>>, Flat<Read<SendRecord>>>,
  Equals<Flat<z.infer<typeof answerSchema>>, Flat<Read<AnswerRecord>>>,
  Equals<Flat<z.infer<typeof resultSchema>>, Flat<Read<ResultRecord>>>,
  Equals<z.infer<typeof stopSchema>, StopRecord>,
  Equals<z.infer<typeof endSchema>, EndRecord>,
] = [true, true, true, true, true, true, true];

export interface ParsedJournal {
  records: JournalRecord[];
  /** Bytes up to the end of the last whole record: what is kept when a torn last line is cut off. */
  validLength: number;
  /** The last line was torn (cut short by a kill) and is not counted. */
  tornLastLine: boolean;
  /** The last record is whole but its line end is missing. */
  missingFinalNewline: boolean;
}

function lineRecord(line: string): JournalRecord | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { error: 'it is not a JSON record' };
  }
  const parsed = recordSchema.safeParse(json);
  if (parsed.success) return parsed.data as JournalRecord;
  const type =
    json && typeof json === 'object' && typeof (json as { type?: unknown }).type === 'string'
      ? String((json as { type: string }).type).slice(0, 40)
      : null;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  return { error: type ? `its "${type}" record is malformed${where}` : 'it is not a journal record' };
}

function damaged(where: string, problem: string): JournalDamagedError {
  return new JournalDamagedError(
    `The journal ${where} cannot be used: ${problem}. It may record rows that were already created, so the run is not started over from it and nothing was sent. ` +
      'Keep the file; check the projects in the account before sending these rows again, or restore the journal from a backup.',
    problem,
  );
}

/** Read the records of a journal, refusing one that is damaged anywhere but in its last line. */
export function parseJournalBytes(bytes: Uint8Array, where: string): ParsedJournal {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: JournalRecord[] = [];
  let pos = 0;
  let lineNo = 0;
  let validLength = 0;
  let tornLastLine = false;
  let missingFinalNewline = false;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    const end = nl === -1 ? buf.length : nl;
    lineNo++;
    const line = buf.toString('utf8', pos, end);
    const next = nl === -1 ? buf.length : nl + 1;
    if (line.trim() === '') {
      pos = next;
      if (nl !== -1) validLength = next;
      continue;
    }
    const rec = lineRecord(line);
    const first = records.length === 0;
    const problem =
      'error' in rec
        ? rec.error
        : first && rec.type !== 'run'
          ? `it starts with a "${rec.type}" record, not the run's header`
          : !first && rec.type === 'run'
            ? 'it holds a second run header'
            : first && rec.type === 'run' && !READABLE_JOURNAL_VERSIONS.includes(rec.version)
              ? `it was written by another version of the app (journal version ${rec.version})`
              : null;
    if (problem !== null) {
      if (nl === -1) {
        // The last line, never finished: a kill during its write.
        tornLastLine = true;
        break;
      }
      throw damaged(where, `line ${lineNo} ${first ? '(the run header) ' : ''}is damaged: ${problem}`);
    }
    records.push(rec as JournalRecord);
    pos = next;
    validLength = next;
    if (nl === -1) missingFinalNewline = true;
  }
  if (missingFinalNewline) validLength = buf.length;
  return { records, validLength, tornLastLine, missingFinalNewline };
}

/**
 * Read and parse the journal open at `fd`: the header line first (a file of junk, or a huge sparse
 * one, is refused after reading at most 1 MB), then the rest, at most JOURNAL_MAX_BYTES.
 */
export function readJournalFd(fd: number, path: string): ParsedJournal {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return { records: [], validLength: 0, tornLastLine: false, missingFinalNewline: false };
  if (size > JOURNAL_MAX_BYTES) throw tooLargeError(path, 'the journal', size, JOURNAL_MAX_BYTES);
  const head = Buffer.alloc(Math.min(size, HEADER_MAX_BYTES));
  const got = fs.readSync(fd, head, 0, head.length, 0);
  const firstLine = head.subarray(0, got);
  const nl = firstLine.indexOf(10);
  if (nl === -1 && got === HEADER_MAX_BYTES)
    throw damaged(path, 'line 1 (the run header) is damaged: it never ends');
  // Checks the header alone (throws when it is damaged and more lines follow).
  parseJournalBytes(nl === -1 ? firstLine : firstLine.subarray(0, nl + 1), path);
  return parseJournalBytes(
    readFdBoundedSync(fd, { path, label: 'the journal', maxBytes: JOURNAL_MAX_BYTES }),
    path,
  );
}
