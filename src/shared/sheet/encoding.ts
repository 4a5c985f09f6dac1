/**
 * Text decoding for CSV files: byte-order marks, UTF-16 without a BOM, UTF-8, and Windows-1252 as
 * the fallback (what Excel on Windows writes for "CSV" without "UTF-8").
 */
import { SheetError, type TextEncodingName } from './types';

/** How many leading bytes the BOM and UTF-16 checks look at (the same for whole files and streams). */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

export interface EncodingGuess {
  encoding: TextEncodingName;
  /** Length of the byte-order mark to skip (0 when there is none). */
  bomLength: number;
}

/** A byte-order mark, if the bytes start with one. */
export function detectBom(bytes: Uint8Array): EncodingGuess | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { encoding: 'utf-16be', bomLength: 2 };
  return null;
}

/**
 * UTF-16 without a BOM: text that is mostly ASCII has a NUL in every other byte. Looks at the first
 * `ENCODING_SAMPLE_BYTES` bytes only.
 */
export function detectUtf16ByNuls(bytes: Uint8Array): TextEncodingName | null {
  const n = Math.min(bytes.length, ENCODING_SAMPLE_BYTES) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.3 && evenZeros <= pairs * 0.05) return 'utf-16le';
  if (evenZeros >= pairs * 0.3 && oddZeros <= pairs * 0.05) return 'utf-16be';
  return null;
}

interface Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text if the bytes are valid UTF-8, else null. */
export function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** True when the bytes are valid UTF-8 (checked in slices, so no large string is built). */
export function isValidUtf8(bytes: Uint8Array, allowIncompleteEnd = false): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const slice = 1 << 20;
  try {
    for (let i = 0; i < bytes.length; i += slice) {
      const end = Math.min(i + slice, bytes.length);
      decoder.decode(bytes.subarray(i, end), { stream: end < bytes.length || allowIncompleteEnd });
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The characters Windows-1252 puts at 0x80-0x9F. Some runtimes (Node 20 among them) decode the
 * 'windows-1252' label as ISO-8859-1 and leave C1 controls there, so the result is fixed up.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const HAS_C1 = /[\u0080-\u009f]/;
const ALL_C1 = /[\u0080-\u009f]/g;

function fixCp1252(text: string): string {
  return HAS_C1.test(text) ? text.replace(ALL_C1, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : text;
}

class Cp1252Decoder {
  private readonly inner = new TextDecoder('windows-1252');
  decode(input?: Uint8Array, options?: { stream?: boolean }): string {
    return fixCp1252(this.inner.decode(input, options));
  }
}

function newDecoder(encoding: TextEncodingName, fatal = false): Decoder {
  if (encoding === 'windows-1252') return new Cp1252Decoder();
  return new TextDecoder(encoding, { fatal, ignoreBOM: true });
}

/**
 * Decodes a whole file. With `encoding` given, that encoding is used (a matching BOM is skipped);
 * without, it is detected: BOM, then UTF-16 by NUL pattern, then valid UTF-8, else Windows-1252.
 */
export function decodeText(
  bytes: Uint8Array,
  encoding?: TextEncodingName,
): { text: string; encoding: TextEncodingName } {
  const bom = detectBom(bytes);
  if (encoding) {
    const skip = bom && bom.encoding === encoding ? bom.bomLength : 0;
    return { text: newDecoder(encoding).decode(bytes.subarray(skip)), encoding };
  }
  if (bom)
    return { text: newDecoder(bom.encoding).decode(bytes.subarray(bom.bomLength)), encoding: bom.encoding };
  const utf16 = detectUtf16ByNuls(bytes);
  if (utf16) return { text: newDecoder(utf16).decode(bytes), encoding: utf16 };
  const text = tryUtf8(bytes);
  if (text !== null) return { text, encoding: 'utf-8' };
  return { text: newDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
}

/**
 * Detection for a file of which only the start is known (previews and streams): BOM, NUL pattern,
 * then UTF-8 validity of the sample (an incomplete character at its end is allowed).
 * `utf8Certain` is false when the sample is valid UTF-8 but later bytes could still prove otherwise.
 */
export function detectEncodingFromSample(sample: Uint8Array, complete: boolean): EncodingGuess {
  const bom = detectBom(sample);
  if (bom) return bom;
  const utf16 = detectUtf16ByNuls(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  return { encoding: isValidUtf8(sample, !complete) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/**
 * Incremental decoder for streams. For UTF-8 it cuts each chunk at a character boundary and decodes
 * it strictly; the first invalid byte switches it to Windows-1252 for the rest of the file (a file
 * whose first part is plain ASCII decodes the same either way).
 */
export class ChunkDecoder {
  encoding: TextEncodingName;
  private decoder: Decoder;
  private carry: Uint8Array | null = null;

  constructor(encoding: TextEncodingName) {
    this.encoding = encoding;
    this.decoder = newDecoder(encoding, encoding === 'utf-8');
  }

  decode(chunk: Uint8Array): string {
    if (this.encoding !== 'utf-8') return this.decoder.decode(chunk, { stream: true });
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = null;
    }
    const cut = utf8Boundary(bytes);
    if (cut < bytes.length) this.carry = bytes.slice(cut);
    try {
      return this.decoder.decode(bytes.subarray(0, cut));
    } catch {
      this.encoding = 'windows-1252';
      this.decoder = newDecoder('windows-1252');
      const carry = this.carry;
      this.carry = null;
      return this.decoder.decode(bytes.subarray(0, cut)) + (carry ? this.decoder.decode(carry) : '');
    }
  }

  /** Whatever is held back at the end of the file. */
  flush(): string {
    if (this.encoding !== 'utf-8') return this.decoder.decode();
    const carry = this.carry;
    this.carry = null;
    if (!carry) return '';
    try {
      return this.decoder.decode(carry);
    } catch {
      // The file ends in the middle of a "character": it was Windows-1252 after all (é at the very end).
      this.encoding = 'windows-1252';
      this.decoder = newDecoder('windows-1252');
      return this.decoder.decode(carry);
    }
  }
}

/** Index where an incomplete UTF-8 sequence starts at the end of `bytes` (bytes.length if none). */
function utf8Boundary(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    let need = 1;
    if (b >= 0xf0) need = 4;
    else if (b >= 0xe0) need = 3;
    else if (b >= 0xc0) need = 2;
    return back < need ? n - back : n;
  }
  return n;
}

/**
 * Binary content named .csv (a picture, a PDF, a renamed program): more than 1% NUL or other control
 * characters in the sample. Tabs, new lines, form feeds are fine. With `ignoreNul`, NUL characters are
 * left out of the count (and of the sample's length): text padded or sprinkled with NULs is not binary,
 * but NULs with no text at all still are.
 */
export function looksBinary(sample: string, ignoreNul = false): boolean {
  let n = sample.length;
  if (n === 0) return false;
  let bad = 0;
  let text = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0 && ignoreNul) {
      n--;
    } else if (c < 0x20) {
      if (c !== 9 && c !== 10 && c !== 13 && c !== 12) bad++;
    } else if (c === 0x7f || c === 0xfffd) {
      bad++;
    } else if (c !== 0x20) {
      text++;
    }
  }
  if (ignoreNul && text === 0 && n < sample.length) return true;
  return bad * 100 > n;
}

export function binaryFileError(fileName: string): SheetError {
  return new SheetError(
    'binary_file',
    `"${fileName}" does not contain text, so it is not a CSV file (it may be a picture, a PDF or another program's file). ` +
      'Open the spreadsheet in Excel or Google Sheets and save or download it as CSV or Excel workbook (.xlsx).',
  );
}
