/**
 * Format detection and the zip checks that run before SheetJS sees a workbook.
 */
import { SheetError, formatBytes, type SheetFormat } from './types';

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  return dot > slash ? fileName.slice(dot + 1).toLowerCase() : '';
}

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

export function isCfb(bytes: Uint8Array): boolean {
  const sig = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (bytes.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[i] !== sig[i]) return false;
  return true;
}

const ODS_MIME = 'application/vnd.oasis.opendocument.spreadsheet';

/** An OpenDocument zip starts with an uncompressed "mimetype" entry naming its type. */
function zipSaysOds(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 120));
  return head.includes('mimetype') && head.includes(ODS_MIME);
}

/** Old Excel 2-4 files: a bare BIFF BOF record, no container. */
function isBareBiff(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x09 &&
    (bytes[1] === 0x00 || bytes[1] === 0x02 || bytes[1] === 0x04 || bytes[1] === 0x08) &&
    bytes[3] === 0x00
  );
}

/** Text that starts like markup (an HTML table or Excel 2003 XML saved as .xls). */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  const end = Math.min(bytes.length, i + 1024);
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x3c; // '<'
  }
  return false;
}

/**
 * By content first (zip, OLE compound file, else text), the extension only as a tie-breaker: a zip
 * named .ods (or carrying the ODS mimetype) is ODS, any other zip XLSX; an OLE file XLS; text with a
 * workbook extension that starts with "<" is an HTML/XML workbook (read by SheetJS as 'xls'); all
 * other text is CSV.
 */
export function detectFormat(fileName: string, bytes: Uint8Array): SheetFormat {
  const ext = extensionOf(fileName);
  if (isZip(bytes)) return ext === 'ods' || zipSaysOds(bytes) ? 'ods' : 'xlsx';
  if (isCfb(bytes)) return 'xls';
  const workbookExt =
    ext === 'xls' ||
    ext === 'xlsx' ||
    ext === 'xlsm' ||
    ext === 'ods' ||
    ext === 'xml' ||
    ext === 'htm' ||
    ext === 'html';
  if (workbookExt && looksLikeMarkup(bytes)) return 'xls';
  if (ext === 'xls' && isBareBiff(bytes)) return 'xls';
  return 'csv';
}

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  /** Where the entry's local header starts. */
  localOffset: number;
  /** Where the entry's central-directory record starts. */
  centralOffset: number;
}

function corruptZip(fileName: string): SheetError {
  return new SheetError(
    'corrupt_file',
    `"${fileName}" is damaged or incomplete (it may not have finished downloading or copying). ` +
      'Open it in Excel and save it again, or download it again.',
  );
}

const MAX_ENTRIES = 100_000;

/**
 * Reads the zip central directory without inflating anything. Throws corrupt_file
 * when the directory is missing or inconsistent (a truncated file), too_large when there are
 * absurdly many entries.
 */
export function readZipDirectory(bytes: Uint8Array, fileName: string): ZipEntryInfo[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  // The last end-of-directory signature, searched from the very end as SheetJS searches it: one in the
  // final 21 bytes (too short to be a record) would make SheetJS read a different directory than the
  // one checked here, so it is refused rather than skipped.
  let eocd = -1;
  for (let p = len - 4; p >= 0 && p >= len - 22 - 0xffff; p--) {
    if (bytes[p] === 0x50 && bytes[p + 1] === 0x4b && bytes[p + 2] === 0x05 && bytes[p + 3] === 0x06) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0 || eocd > len - 22) throw corruptZip(fileName);
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    // A Zip64 directory: SheetJS reads only the classic record, so it would not see these entries.
    throw new SheetError(
      'unsupported_format',
      `"${fileName}" is stored in the ZIP64 format for very large files, which cannot be read here. ` +
        'Open it in Excel and save it again as .xlsx, or export the sheet as CSV.',
    );
  }
  if (count > MAX_ENTRIES) {
    throw new SheetError(
      'too_large',
      `"${fileName}" holds ${count} parts, far more than a spreadsheet has. It cannot be imported.`,
    );
  }
  if (dirOffset + dirSize > len) throw corruptZip(fileName);
  const names = new TextDecoder('utf-8');
  const entries: ZipEntryInfo[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > len || view.getUint32(p, true) !== 0x02014b50) throw corruptZip(fileName);
    let compressedSize = view.getUint32(p + 20, true);
    let uncompressedSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > len) throw corruptZip(fileName);
    const name = names.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // Zip64 extended information: the 64-bit values, in this order, for the fields that overflowed.
      let q = p + 46 + nameLen;
      const extraEnd = q + extraLen;
      while (q + 4 <= extraEnd) {
        const id = view.getUint16(q, true);
        const size = view.getUint16(q + 2, true);
        if (id === 0x0001) {
          let r = q + 4;
          if (uncompressedSize === 0xffffffff && r + 8 <= q + 4 + size) {
            uncompressedSize = Number(view.getBigUint64(r, true));
            r += 8;
          }
          if (compressedSize === 0xffffffff && r + 8 <= q + 4 + size) {
            compressedSize = Number(view.getBigUint64(r, true));
          }
          break;
        }
        q += 4 + size;
      }
    }
    entries.push({ name, compressedSize, uncompressedSize, localOffset, centralOffset: p });
    p = next;
  }
  return entries;
}

/** Zip bomb defence: the declared inflated size of all parts must stay within the limit. */
export function checkZipSizes(
  entries: readonly ZipEntryInfo[],
  maxUncompressedBytes: number,
  fileName: string,
): void {
  let total = 0;
  for (const e of entries) total += e.uncompressedSize;
  if (total > maxUncompressedBytes) {
    throw new SheetError(
      'too_large',
      `"${fileName}" unpacks to ${formatBytes(total)}, more than the ${formatBytes(maxUncompressedBytes)} that can be read safely. ` +
        'Delete unneeded sheets, pictures or rows and save it again, or export the sheet as CSV.',
    );
  }
}

/** Which kind of zip this is, from its part names; null when it is not a spreadsheet. */
export function zipSpreadsheetKind(entries: readonly ZipEntryInfo[]): 'xlsx' | 'ods' | null {
  let ooxml = false;
  let ods = false;
  for (const e of entries) {
    const n = e.name;
    if (n === 'xl/workbook.xml' || n === 'xl/workbook.bin' || n.startsWith('xl/workbook')) ooxml = true;
    else if (n === 'content.xml') ods = true;
  }
  if (ooxml) return 'xlsx';
  if (ods) return 'ods';
  return null;
}
