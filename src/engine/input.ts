/**
 * From file bytes to rows ready to send: read the sheet, undo a results sheet's formula escapes (and
 * note which rows it says were created), map and validate every row.
 */
import { createHash } from 'node:crypto';
import type { CreateProjectRequest } from '@political-comms/sdk';
import type { Mapping } from '../shared/mapping';
import { fromResultsSheet, type PreviousResult } from '../shared/results';
import { readSheet, type SheetData } from '../shared/sheet';
import { validateSheet, type FileWarning, type Issue } from '../shared/validate';

export interface InputFile {
  bytes: Uint8Array;
  /** Used for the format (extension) and in messages. */
  fileName: string;
  /** Workbook sheet (default: the first visible one). */
  sheet?: string;
  /** Header line as Excel numbers it (default: detected). */
  headerRow?: number;
}

export interface PreparedRow {
  row: number;
  cells: string[];
  payload: CreateProjectRequest | null;
  issues: Issue[];
  /** What an earlier results sheet said about this row (when the input is one). */
  previous?: PreviousResult;
}

export interface PreparedInput {
  fileName: string;
  fileHash: string;
  sheet: string | null;
  headerRow: number;
  headers: string[];
  mapping: Mapping;
  rows: PreparedRow[];
  fileWarnings: FileWarning[];
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws SheetError for unreadable files. */
export function prepareInput(
  file: InputFile,
  options: { mapping?: Mapping; defaultOrganizationId?: string } = {},
): PreparedInput {
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
  return {
    fileName: file.fileName,
    fileHash: hashBytes(file.bytes),
    sheet: data.sheet,
    headerRow: data.headerRow,
    headers: sheet.headers,
    mapping: validation.mapping,
    fileWarnings: validation.fileWarnings,
    rows: sheet.rows.map((r) => {
      const v = byRow.get(r.row);
      const prev = previous.get(r.row);
      return {
        row: r.row,
        cells: r.cells,
        payload: v?.payload ?? null,
        issues: v?.issues ?? [],
        ...(prev ? { previous: prev } : {}),
      };
    }),
  };
}
