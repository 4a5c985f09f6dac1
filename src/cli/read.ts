/**
 * Reading a spreadsheet from disk for the command line: CSV is streamed in chunks (a 1,000,000-row
 * file is never held whole), workbooks are read at once (SheetJS needs the whole zip).
 */
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { FileAccessError, FileRefusedError, openRegularFile, readHandleBounded } from '../engine/files';
import {
  createCsvStream,
  CSV_MAX_FILE_BYTES,
  detectFormat,
  readSheet,
  SheetError,
  type CellNote,
  type SheetRow,
} from '../shared/sheet';

/** Streaming holds one chunk at a time, so a CSV may be far larger than one read whole. */
const STREAMED_CSV_MAX_BYTES = 4 * 1024 * 1024 * 1024;

export interface ReadRowsOptions {
  sheet?: string;
  headerRow?: number;
  onHeader(headers: string[]): void;
  onRow(row: SheetRow): void;
  onNotes?(notes: CellNote[]): void;
}

/**
 * Only a regular file is read (a device such as /dev/zero, a FIFO or a folder is refused before any
 * read, without waiting on it), and a workbook at most as large as the reader accepts.
 */
export async function readRowsFromFile(
  path: string,
  options: ReadRowsOptions,
): Promise<{ sheet: string | null }> {
  const { handle } = await openRegularFile(path, 'the file');
  try {
    return await readRows(path, handle, options);
  } finally {
    await handle.close();
  }
}

async function readRows(
  path: string,
  handle: FileHandle,
  options: ReadRowsOptions,
): Promise<{ sheet: string | null }> {
  const fileName = basename(path);
  const head = new Uint8Array(8);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  const format = detectFormat(fileName, head.subarray(0, bytesRead));
  if (format !== 'csv') {
    const bytes = await readHandleBounded(handle, { path, label: 'the file', maxBytes: CSV_MAX_FILE_BYTES });
    const data = readSheet(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      fileName,
      sheet: options.sheet,
      headerRow: options.headerRow,
    });
    options.onHeader(data.headers);
    for (const r of data.rows) options.onRow(r);
    options.onNotes?.(data.notes);
    return { sheet: data.sheet };
  }
  if (options.sheet !== undefined) {
    throw new SheetError('unknown_sheet', `${fileName} is a CSV file and has no sheets: leave out --sheet.`);
  }
  const parser = createCsvStream({
    fileName,
    headerRow: options.headerRow,
    limits: { maxFileBytes: STREAMED_CSV_MAX_BYTES },
    onHeader: (h: { headers: string[] }) => options.onHeader(h.headers),
    onRow: options.onRow,
  });
  await new Promise<void>((resolve, reject) => {
    const stream = handle.createReadStream({ highWaterMark: 1 << 20, start: 0, autoClose: false });
    stream.on('data', (chunk) => {
      try {
        parser.write(chunk as Buffer);
      } catch (e) {
        stream.destroy();
        reject(e);
      }
    });
    stream.on('error', reject);
    stream.on('end', () => {
      try {
        parser.end();
        resolve();
      } catch (e) {
        reject(e);
      }
    });
  });
  return { sheet: null };
}

/** A message a person understands for anything that stopped a file from being read. */
export function describeReadError(error: unknown, path: string): string {
  const name = basename(path);
  if (error instanceof SheetError) return `Cannot read ${name}: ${error.message}`;
  if (error instanceof FileRefusedError) return `Cannot read ${name}: ${error.reason}.`;
  if (error instanceof FileAccessError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `Cannot read ${name}: there is no such file (${path}).`;
  if (code === 'EACCES' || code === 'EPERM') return `Cannot read ${name}: permission denied.`;
  if (code === 'EISDIR') return `Cannot read ${name}: it is a folder, not a spreadsheet.`;
  return `Cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`;
}
