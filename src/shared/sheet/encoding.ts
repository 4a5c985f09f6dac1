/**
 * Text decoding for CSV files: byte-order marks, UTF-16 without a BOM, UTF-8, and Windows-1252 as
 * the fallback (what Excel on Windows writes for "CSV" without "UTF-8"). One policy, in
 * `chooseEncoding`, `decodeBytes` and `ChunkDecoder`, serves whole files, previews and streams.
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

function newDecoder(encoding: TextEncodingName): Decoder {
  if (encoding === 'windows-1252') return new Cp1252Decoder();
  return new TextDecoder(encoding, { ignoreBOM: true });
}

/**
 * The one decoding policy for CSV text, for whole files and streams alike:
 * - the encoding is decided once, from the first bytes (`sampleBytes`, by default
 *   `ENCODING_SAMPLE_BYTES`): a byte-order mark, else UTF-16 by its NUL pattern, else UTF-8 when those
 *   bytes are valid UTF-8 (an incomplete character at the end of a sample that is not the whole file
 *   counts as valid), else Windows-1252;
 * - an encoding given by the user is used as given (its own byte-order mark skipped);
 * - UTF-8 is read leniently: a byte that does not start a well-formed UTF-8 sequence (a stray
 *   Windows-1252 "é" in an otherwise UTF-8 file, a truncated character) reads as its Windows-1252
 *   character, one byte at a time. The decision depends only on the bytes at that place, so a file
 *   decodes to the same text whether it is read whole or in chunks cut anywhere.
 */
export function chooseEncoding(
  head: Uint8Array,
  complete: boolean,
  explicit?: TextEncodingName,
): EncodingGuess {
  if (explicit) {
    const bom = detectBom(head);
    return { encoding: explicit, bomLength: bom && bom.encoding === explicit ? bom.bomLength : 0 };
  }
  return detectEncodingFromSample(head, complete);
}

/** Whole bytes to text under the policy of `chooseEncoding`. */
export function decodeBytes(
  bytes: Uint8Array,
  explicit?: TextEncodingName,
  sampleBytes = ENCODING_SAMPLE_BYTES,
): { text: string; encoding: TextEncodingName } {
  const { encoding, bomLength } = chooseEncoding(
    bytes.subarray(0, sampleBytes),
    bytes.length <= sampleBytes,
    explicit,
  );
  const body = bytes.subarray(bomLength);
  if (encoding === 'utf-8') return { text: decodeUtf8Lenient(body), encoding };
  return { text: newDecoder(encoding).decode(body), encoding };
}

/** Decodes a whole file (see `chooseEncoding` for how the encoding is found). */
export function decodeText(
  bytes: Uint8Array,
  encoding?: TextEncodingName,
): { text: string; encoding: TextEncodingName } {
  return decodeBytes(bytes, encoding);
}

/**
 * Detection for a file of which only the start is known (previews and streams): BOM, NUL pattern,
 * then UTF-8 validity of the sample (an incomplete character at its end is allowed unless the sample
 * is the whole file).
 */
export function detectEncodingFromSample(sample: Uint8Array, complete: boolean): EncodingGuess {
  const bom = detectBom(sample);
  if (bom) return bom;
  const utf16 = detectUtf16ByNuls(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  return { encoding: isValidUtf8(sample, !complete) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** Length of the well-formed UTF-8 sequence starting at `i` (Unicode table 3-7), or 0 if none does. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  const b = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    if (i + k >= n) return false;
    const c = bytes[i + k]!;
    return c >= lo && c <= hi;
  };
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** The Windows-1252 character of one byte (0x80-0xFF). */
function cp1252Char(b: number): string {
  return b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b);
}

const plainUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * UTF-8 where every byte that does not start a well-formed sequence reads as its Windows-1252
 * character. Valid UTF-8 (nearly every file) takes one native decode.
 */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  const valid = tryUtf8(bytes);
  if (valid !== null) return valid;
  const parts: string[] = [];
  let runStart = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const len = utf8SequenceLength(bytes, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (runStart < i) parts.push(plainUtf8.decode(bytes.subarray(runStart, i)));
    parts.push(cp1252Char(bytes[i]!));
    i++;
    runStart = i;
  }
  if (runStart < n) parts.push(plainUtf8.decode(bytes.subarray(runStart, n)));
  return parts.join('');
}

/**
 * Incremental decoder for streams, under the same policy as `decodeBytes`: for UTF-8 it holds back an
 * incomplete character at the end of each chunk until the next one (or the end of the file) says
 * whether it is one, and decodes leniently, so the text is the same however the file is cut.
 */
export class ChunkDecoder {
  readonly encoding: TextEncodingName;
  private readonly decoder: Decoder | null;
  private carry: Uint8Array | null = null;

  constructor(encoding: TextEncodingName) {
    this.encoding = encoding;
    this.decoder = encoding === 'utf-8' ? null : newDecoder(encoding);
  }

  decode(chunk: Uint8Array): string {
    if (this.decoder) return this.decoder.decode(chunk, { stream: true });
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = null;
    }
    const cut = utf8Boundary(bytes);
    if (cut < bytes.length) this.carry = bytes.slice(cut);
    return decodeUtf8Lenient(bytes.subarray(0, cut));
  }

  /** Whatever is held back at the end of the file. */
  flush(): string {
    if (this.decoder) return this.decoder.decode();
    const carry = this.carry;
    this.carry = null;
    return carry ? decodeUtf8Lenient(carry) : '';
  }
}

/**
 * Index where an incomplete UTF-8 sequence may start at the end of `bytes` (bytes.length if none).
 * Every byte before it is decided by the bytes before it, so the cut never changes the text.
 */
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
