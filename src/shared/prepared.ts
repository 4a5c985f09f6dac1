/**
 * Prepared rows: the one shape in which a row travels from the grid (or the CLI's file adapter) to
 * the engine. Each carries a stable row key (its identity from reading to results), the row number
 * Excel shows, the cells as the user sees them (for the results sheet), and the exact request body,
 * or null with the errors that keep it from being sent.
 *
 * The privileged side trusts none of it: every body is parsed again with the strict request schema,
 * and a row that carries an error, or whose body fails that schema, is never sent.
 */
import { z } from 'zod';
import { FIELD_NAMES } from './schema/fields';

/** Row keys are short, printable and safe in an Idempotency-Key and a file name. */
export const rowKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'A row key is letters, digits and . _ : - only');

export const preparedIssueSchema = z.object({
  row: z.number().int(),
  field: z.enum(FIELD_NAMES),
  severity: z.enum(['error', 'warning']),
  code: z.string().max(100),
  message: z.string().max(4000),
  fixes: z
    .array(
      z.object({
        label: z.string().max(4000),
        field: z.enum(FIELD_NAMES).optional(),
        replace: z.string().max(100_000),
        with: z.string().max(100_000),
      }),
    )
    .max(10)
    .optional(),
});

/** A row a results sheet (or an earlier run) says was created: never sent again. */
export const createdBeforeSchema = z.object({
  projectId: z.string().min(1).max(200),
  projectStatus: z.string().max(100).optional(),
});

export const preparedRowSchema = z.object({
  rowKey: rowKeySchema,
  /** The row number as Excel shows it (header on line 1: the first project is row 2). */
  row: z.number().int().min(1).max(10_000_000),
  /** The row's cells as the user sees them now, in the order of `headers`. */
  cells: z.array(z.string().max(1_000_000)).max(20_000),
  /** The exact request body, or null when the row has an error (then `issues` says which). */
  body: z.record(z.string(), z.unknown()).nullable(),
  /** What the validator (and the account check, when one ran) found on this row. */
  issues: z.array(preparedIssueSchema).max(1000),
  /** Set when this row was already created (a reopened results sheet): it is shown, never sent. */
  createdBefore: createdBeforeSchema.optional(),
});

export type PreparedRow = z.infer<typeof preparedRowSchema>;

/** What a submission sends: the rows as the user sees them now, and where they came from. */
export const submissionSchema = z.object({
  /** The file the rows came from (for messages, the journal header and the results sheet's name). */
  fileName: z.string().min(1).max(1000),
  /** The sheet's header row, as shown (the results sheet keeps it). */
  headers: z.array(z.string().max(10_000)).max(20_000),
  rows: z.array(preparedRowSchema).max(2_000_000),
  /** Workbook sheet the rows came from (null for CSV). */
  sheet: z.string().max(1000).nullable().optional(),
  /** The column mapping in force (recorded in the journal header). */
  mapping: z.object({ columns: z.array(z.enum(FIELD_NAMES).nullable()) }),
  defaultOrganizationId: z.string().max(200).optional(),
});

export type Submission = z.infer<typeof submissionSchema>;

/** The row key the file adapter derives from the row number Excel shows (the same file, the same keys). */
export function fileRowKey(row: number): string {
  return `row-${row}`;
}
