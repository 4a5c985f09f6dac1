/**
 * Zip bomb defence, second half: the sizes a zip's headers declare may lie. Before SheetJS sees a
 * workbook, every part is unpacked the way SheetJS will unpack it and its real size counted: deflated
 * parts are inflated with fflate's streaming inflater (output counted, never kept, stopped as soon as
 * it passes what the part declares); stored parts are counted from the bytes SheetJS would copy. Every
 * part must hold no more than it declares, and checkZipSizes has bounded what the parts declare in
 * total, so what SheetJS unpacks stays within the limit however the headers lie.
 */
import { Inflate } from 'fflate';
import type { ZipEntryInfo } from './detect';
import { SheetError } from './types';

/** Deflate cannot produce more than 258 bytes from 2 bits of input. */
export const MAX_DEFLATE_RATIO = 1032;

/**
 * Compressed bytes handed to the inflater at a time: as many as cannot inflate past the limit, between
 * these bounds. Far from the limit, large pushes keep the streaming overhead low; close to it, small
 * ones stop a bomb within about MAX_DEFLATE_RATIO × INFLATE_MIN_CHUNK bytes of output.
 */
export const INFLATE_MIN_CHUNK = 4 * 1024;
export const INFLATE_MAX_CHUNK = 64 * 1024;

/**
 * Compressed input that may pass without a byte of output (a stored block is emitted only when all
 * of it, up to 64 KiB, has arrived). More than this is no spreadsheet writer's output: either bytes
 * after the end of the stream or a stream of empty blocks, and neither is read.
 */
export const MAX_SILENT_INPUT_BYTES = 256 * 1024;

export type Inflated =
  /** `read`: compressed bytes handed to the inflater. */
  | { kind: 'ok'; size: number; read: number }
  /** Stopped early: `produced` bytes of output had been counted when the limit was passed. */
  | { kind: 'over'; produced: number; read: number }
  /** Not a valid deflate stream, one that runs past `end`, or one that stalls (see above). */
  | { kind: 'corrupt' };

function isFflateError(e: unknown): boolean {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number';
}

/**
 * The size the raw deflate stream in `bytes[start, end)` inflates to, or 'over' as soon as the output
 * passes `limit`. The output is counted and dropped, so memory stays bounded by one chunk's output.
 */
export function measureInflated(bytes: Uint8Array, start: number, end: number, limit: number): Inflated {
  // A stream holds at least one block; SheetJS's own inflater would never finish an empty one.
  if (end <= start) return { kind: 'corrupt' };
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
  });
  let read = 0;
  let silent = 0;
  let p = start;
  try {
    for (;;) {
      const room = Math.floor((limit - produced) / MAX_DEFLATE_RATIO);
      const q = Math.min(end, p + Math.min(INFLATE_MAX_CHUNK, Math.max(INFLATE_MIN_CHUNK, room)));
      const before = produced;
      inflater.push(bytes.subarray(p, q), q >= end);
      read += q - p;
      if (produced > limit) return { kind: 'over', produced, read };
      if (q >= end) return { kind: 'ok', size: produced, read };
      silent = produced === before ? silent + (q - p) : 0;
      if (silent > MAX_SILENT_INPUT_BYTES) return { kind: 'corrupt' };
      p = q;
    }
  } catch (e) {
    if (isFflateError(e)) return { kind: 'corrupt' };
    throw e;
  }
}

function corruptZip(fileName: string): SheetError {
  return new SheetError(
    'corrupt_file',
    `"${fileName}" is damaged or incomplete (it may not have finished downloading or copying). ` +
      'Open it in Excel and save it again, or download it again.',
  );
}

function holdsMore(fileName: string, part: string): SheetError {
  return new SheetError(
    'corrupt_file',
    `"${fileName}" is damaged: one of its parts (${part}) unpacks to more data than the file declares, ` +
      'so it was not opened (a file built this way can exhaust the memory of the computer). ' +
      'If it comes from someone you trust, open it in Excel and save it again, or export the sheet as CSV.',
  );
}

interface Claims {
  uncompressed: number[];
  compressed: number[];
}

/**
 * Adds the sizes a Zip64 extended-information record in the extra field at [from, to) carries, read
 * as SheetJS reads them: uncompressed then compressed, 8 bytes each, whatever the record's length.
 */
function addZip64Claims(view: DataView, from: number, to: number, claims: Claims): void {
  for (let q = from; q + 4 <= to; q += 4 + view.getUint16(q + 2, true)) {
    if (view.getUint16(q, true) !== 0x0001) continue;
    if (q + 12 <= to) claims.uncompressed.push(Number(view.getBigUint64(q + 4, true)));
    if (q + 20 <= to) claims.compressed.push(Number(view.getBigUint64(q + 12, true)));
  }
}

/**
 * Measures every part at its local header, as SheetJS reads it (the compression method and sizes of
 * the local header, the data right after its name and extra field). Throws corrupt_file ("unpacks to
 * more data than the file declares") when a part holds more than its central-directory entry declares,
 * corrupt_file ("damaged") when a deflated part is not a valid stream of exactly its declared size or
 * the headers point outside the file. Returns the real unpacked size of all parts together.
 */
export function checkZipParts(bytes: Uint8Array, entries: readonly ZipEntryInfo[], fileName: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  // Parts do not overlap in a real zip: all the data they hold together fits in the file.
  let stored = 0;
  let compressedTotal = 0;
  let unpacked = 0;
  for (const e of entries) {
    const p = e.localOffset;
    if (p + 30 > len || view.getUint32(p, true) !== 0x04034b50) throw corruptZip(fileName);
    const flags = view.getUint16(p + 6, true);
    // Encrypted parts: SheetJS refuses them before unpacking anything, with its own message.
    if (flags & 0x2041) continue;
    const method = view.getUint16(p + 8, true);
    const nameLen = view.getUint16(p + 26, true);
    const extraLen = view.getUint16(p + 28, true);
    const start = p + 30 + nameLen + extraLen;
    if (start > len) throw corruptZip(fileName);
    // Every size SheetJS may take for this part: the local header's, or a Zip64 record's in the local
    // extra field or (when the local header has an extra field) in the directory's.
    const claims: Claims = {
      uncompressed: [view.getUint32(p + 22, true)],
      compressed: [view.getUint32(p + 18, true)],
    };
    addZip64Claims(view, p + 30 + nameLen, start, claims);
    if (extraLen > 0) {
      const c = e.centralOffset;
      const from = c + 46 + view.getUint16(c + 28, true);
      addZip64Claims(view, from, from + view.getUint16(c + 30, true), claims);
    }
    const declared = e.uncompressedSize;
    if (method === 0) {
      // Stored: SheetJS copies as many bytes as the compressed size says, cut at the end of the file.
      const copied = Math.min(Math.max(...claims.compressed), len - start);
      if (copied > declared) throw holdsMore(fileName, e.name);
      stored += copied;
      if (stored + compressedTotal > len) throw corruptZip(fileName);
      unpacked += copied;
    } else if (method === 8) {
      // SheetJS sets this much memory aside before inflating: it may not exceed the declared size.
      if (Math.max(...claims.uncompressed) > declared) throw holdsMore(fileName, e.name);
      compressedTotal += e.compressedSize;
      if (start + e.compressedSize > len || stored + compressedTotal > len) throw corruptZip(fileName);
      const measured = measureInflated(bytes, start, start + e.compressedSize, declared);
      if (measured.kind === 'over') throw holdsMore(fileName, e.name);
      if (measured.kind === 'corrupt' || measured.size !== declared) throw corruptZip(fileName);
      unpacked += measured.size;
    }
    // Other methods: SheetJS refuses them without unpacking.
  }
  return unpacked;
}
