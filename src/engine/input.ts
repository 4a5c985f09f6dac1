/**
 * The command line's file adapter: from file bytes to a Submission of prepared rows, as the app's
 * grid hands them over. Read the sheet, undo a results sheet's formula escapes (its created rows
 * become `createdBefore`), map and validate every row. Row keys are derived from the row number
 * Excel shows (`row-17`), so the same file gives the same keys every time it is read.
 */
import { createHash } from 'node:crypto';
import type { Mapping } from '../shared/mapping';
import { fileRowKey, type PreparedRow, type Submission } from '../shared/prepared';
import { fromResultsSheet } from '../shared/results';
import { readSheet, type SheetData } from '../shared/sheet';
import { validateSheet, type FileWarning } from '../shared/validate';

export interface InputFile {
  bytes: Uint8Array;
  /** Used for the format (extension) and in messages. */
  fileName: string;
  /** Workbook sheet (default: the first visible one). */
  sheet?: string;
  /** Header line as Excel numbers it (default: detected). */
  headerRow?: number;
}

export interface FileSubmission {
  submission: Submission;
  /** SHA-256 of the file's bytes: a journal belongs to one version of one file. */
  inputHash: string;
  headerRow: number;
  /** What only the whole file shows (unmapped columns, duplicate names, …). */
  fileWarnings: FileWarning[];
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws SheetError for unreadable files. */
export function readSubmission(
  file: InputFile,
  options: { mapping?: Mapping; defaultOrganizationId?: string } = {},
): FileSubmission {
  const data: SheetData = readSheet(file.bytes, {
    fileName: file.fileName,
    ...(file.sheet !== undefined ? { sheet: file.sheet } : {}),
    ...(file.headerRow !== undefined ? { headerRow: file.headerRow } : {}),
  });
  const { sheet, previous } = fromResultsSheet(data);
  const validation = validateSheet(sheet, {
    ...(options.mapping ? { mapping: options.mapping } : {}),
    ...(options.defaultOrganizationId ? { defaultOrganizationId: options.defaultOrganizationId } : {}),
  });
  const byRow = new Map(validation.rows.map((v) => [v.row, v]));
  const rows: PreparedRow[] = sheet.rows.map((r) => {
    const v = byRow.get(r.row);
    const prev = previous.get(r.row);
    const created =
      prev && prev.projectId && (prev.status === 'created' || prev.status === 'skipped') ? prev : null;
    return {
      rowKey: fileRowKey(r.row),
      row: r.row,
      cells: r.cells,
      body: (v?.payload ?? null) as PreparedRow['body'],
      issues: v?.issues ?? [],
      ...(created ? { createdBefore: { projectId: created.projectId } } : {}),
    };
  });
  return {
    submission: {
      fileName: file.fileName,
      headers: sheet.headers,
      rows,
      sheet: data.sheet,
      mapping: validation.mapping,
      ...(options.defaultOrganizationId ? { defaultOrganizationId: options.defaultOrganizationId } : {}),
    },
    inputHash: hashBytes(file.bytes),
    headerRow: data.headerRow,
    fileWarnings: validation.fileWarnings,
  };
}
