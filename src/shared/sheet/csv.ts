/**
 * CSV reading on top of papaparse's core parser. The whole-file reader and the stream use the same
 * parser configuration and the same detection on the same sample, so they give the same rows.
 *
 * `Papa.Parser` is not part of papaparse's documented API (its documented streaming needs a File or
 * a Node stream, and would cost a callback per row): papaparse is pinned to one exact version, and
 * test/unit/sheet/papaparse-contract.test.ts states every behaviour relied on here.
 */
import Papa from 'papaparse';
import {
  ChunkDecoder,
  ENCODING_SAMPLE_BYTES,
  binaryFileError,
  chooseEncoding,
  decodeBytes,
  looksBinary,
} from './encoding';
import { isCfb, isZip } from './detect';
import { GridBuilder, isBlankRow, suggestHeaderRow } from './grid';
import {
  SheetError,
  formatBytes,
  formatCount,
  resolveLimits,
  type Delimiter,
  type ReadOptions,
  type SheetData,
  type SheetLimits,
  type SheetPreview,
  type SheetRow,
  type TextEncodingName,
} from './types';

type Newline = '\n' | '\r\n' | '\r';

/** Sizes that decide what detection looks at; tests shrink them to exercise the stream paths. */
export interface CsvTuning {
  /** Leading bytes used for the BOM / UTF-16 / (stream) UTF-8 checks. */
  sampleBytes: number;
  /** Leading characters used for the delimiter, line-ending and binary checks. */
  sampleChars: number;
  /** Stream: smallest amount of pending text worth handing to the parser, and how much it parses at a time. */
  parseChars: number;
}

export const DEFAULT_TUNING: CsvTuning = {
  sampleBytes: ENCODING_SAMPLE_BYTES,
  sampleChars: 16 * 1024,
  parseChars: 64 * 1024,
};

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];
const DETECT_RECORDS = 50;

interface PapaCoreResult {
  data: string[][];
  errors: { code: string; row: number }[];
  meta: { cursor: number };
}

interface PapaCore {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): PapaCoreResult;
}

/** papaparse's record parser (Papa.Parser), the engine under Papa.parse, fed strings we control. */
function newParser(delimiter: Delimiter, newline: Newline, preview = 0): PapaCore {
  return new Papa.Parser({ delimiter, newline, quoteChar: '"', preview }) as unknown as PapaCore;
}

/** The first line break outside quotes decides the line ending. */
export function detectNewline(sample: string): Newline {
  let inQuotes = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && (c === 10 || c === 13)) {
      if (c === 10) return '\n';
      return sample.charCodeAt(i + 1) === 10 || i + 1 === sample.length ? '\r\n' : '\r';
    }
  }
  if (inQuotes) {
    // An unbalanced quote in the sample: fall back to the first break anywhere.
    const cr = sample.indexOf('\r');
    const lf = sample.indexOf('\n');
    if (cr !== -1 && (lf === -1 || cr < lf)) return lf === cr + 1 ? '\r\n' : '\r';
  }
  return '\n';
}

/**
 * Rewrites every line break outside quoted cells as "\n" ("\r\n" and a lone "\r" alike), so that a file
 * whose rows end differently (rows pasted together from different tools) is read row by row. Line
 * breaks inside quoted cells stay exactly as they are. Quoting follows papaparse's parser: a quote opens
 * a quoted cell only as the first character of a cell; inside, "" is a quote, and a quote followed by
 * optional spaces then a separator, a line break or the end of the text closes the cell.
 *
 * Works on a stream of text: whatever cannot be decided yet (a "\r" or a quote at the very end of a
 * piece) is held back until the next piece, or settled by the final one.
 */
export class LineBreakNormalizer {
  private inQuotes = false;
  /** Character code before the next piece (-1 at the start of the text), to tell where a cell starts. */
  private prev = -1;
  private held = '';

  constructor(private readonly delimiter: Delimiter) {}

  push(piece: string, final: boolean): string {
    const s = this.held ? this.held + piece : piece;
    this.held = '';
    const n = s.length;
    const delim = this.delimiter.charCodeAt(0);
    const special = /["\r]/g;
    let out = '';
    let from = 0;
    let i = 0;
    let holdAt = n;
    while (i < n) {
      if (this.inQuotes) {
        const q = s.indexOf('"', i);
        if (q === -1) break;
        if (q + 1 === n) {
          if (final) this.inQuotes = false;
          else holdAt = q;
          break;
        }
        if (s.charCodeAt(q + 1) === 34) {
          i = q + 2;
          continue;
        }
        let k = q + 1;
        let closes = false;
        for (; k < n; k++) {
          const c = s.charCodeAt(k);
          if (c === delim || c === 10 || c === 13) {
            closes = true;
            break;
          }
          if (!isSpace(c)) break;
        }
        if (k === n && !final) {
          holdAt = q;
          break;
        }
        if (closes) this.inQuotes = false;
        i = q + 1;
        continue;
      }
      special.lastIndex = i;
      const m = special.exec(s);
      if (m === null) break;
      const at = m.index;
      if (s.charCodeAt(at) === 13) {
        if (at + 1 === n && !final) {
          holdAt = at;
          break;
        }
        out += s.slice(from, at) + '\n';
        from = i = s.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
        continue;
      }
      const before = at === 0 ? this.prev : s.charCodeAt(at - 1);
      if (before === -1 || before === delim || before === 10 || before === 13) this.inQuotes = true;
      i = at + 1;
    }
    out += s.slice(from, holdAt);
    if (holdAt > 0) this.prev = s.charCodeAt(holdAt - 1);
    this.held = s.slice(holdAt);
    return out;
  }
}

/** White space as String.prototype.trim() sees it (what papaparse allows after a closing quote). */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** True when the text has a line break other than `newline` (inside quotes or not). */
function hasOtherLineBreaks(text: string, newline: Newline): boolean {
  if (newline === '\n') return text.indexOf('\r') !== -1;
  if (newline === '\r') return text.indexOf('\n') !== -1;
  // CRLF: every LF follows a CR, and there are as many CRs as LFs (jumps with indexOf, no regex scan).
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i === 0 || text.charCodeAt(i - 1) !== 13) return true;
    lf++;
  }
  let cr = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) cr++;
  return cr !== lf;
}

/**
 * Comma, semicolon or tab: the one that splits the most records of the sample into the same number
 * (more than one) of fields, preferring more fields, then comma, semicolon, tab. Title lines above
 * the table and a decimal comma in a semicolon file do not fool it.
 */
export function detectDelimiter(sample: string): Delimiter {
  return detectDelimiterIn(sample, true);
}

function detectDelimiterIn(sample: string, complete: boolean): Delimiter {
  let best: Delimiter = ',';
  let bestScore: number[] = [-Infinity];
  for (const d of DELIMITERS) {
    if (sample.indexOf(d) === -1) continue;
    // Line breaks made uniform for this candidate, so mixed line endings do not mislead the count.
    const text = new LineBreakNormalizer(d).push(sample, true);
    const parser = newParser(d, '\n', complete ? DETECT_RECORDS : 0);
    let result = parser.parse(text, 0, !complete);
    // A sample shorter than one record: its cut-off first line is better than nothing.
    if (result.data.length === 0) result = parser.parse(text, 0, false);
    const data = result.data;
    const limit = Math.min(data.length, DETECT_RECORDS);
    const freq = new Map<number, number>();
    let first = -1;
    for (let i = 0; i < limit; i++) {
      const n = data[i]!.length;
      if (first === -1 && !isBlankRow(data[i]!)) first = n;
      if (n > 1) freq.set(n, (freq.get(n) ?? 0) + 1);
    }
    let quoteErrors = 0;
    for (const e of result.errors) if (e.row < limit) quoteErrors++;
    for (const [width, count] of freq) {
      // Fewer quoting errors (a quoted cell cut apart by a wrong separator), then more records of one
      // width, then the first row agreeing, then more fields.
      const score = [-quoteErrors, count, first === width ? 1 : 0, width];
      if (compareScores(score, bestScore) > 0) {
        best = d;
        bestScore = score;
      }
    }
  }
  return best;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? -Infinity;
    if (x !== y) return x - y;
  }
  return 0;
}

function csvLimits(opts: ReadOptions): SheetLimits {
  return resolveLimits('csv', opts.limits);
}

function tooLarge(fileName: string, size: number, max: number): SheetError {
  return new SheetError(
    'too_large',
    `"${fileName}" is ${formatBytes(size)}; files up to ${formatBytes(max)} can be imported. Split it into smaller files.`,
  );
}

function emptyFile(fileName: string): SheetError {
  return new SheetError(
    'empty_file',
    `"${fileName}" is empty. Check that you chose the right file, and that it was saved after the rows were typed in.`,
  );
}

function missingQuote(rowNumber: number): SheetError {
  return new SheetError(
    'corrupt_file',
    `Row ${rowNumber} has a quotation mark (") that is never closed, so the rest of the file would be read as one cell. ` +
      'Fix that row (or save the file again from Excel as CSV) and try again.',
  );
}

function nulCharacters(rowNumber: number): SheetError {
  return new SheetError(
    'corrupt_file',
    `Row ${rowNumber} holds NUL characters (byte 0), which a CSV file never contains: the file is damaged, ` +
      'often because it was not completely written (a program crashed or a disk was full while saving). ' +
      'Open it in a text editor and delete them (or save the sheet again from Excel as CSV), then try again.',
  );
}

function cellsRunTogether(rowNumber: number, found: number, expected: number): SheetError {
  return new SheetError(
    'corrupt_file',
    `Row ${rowNumber} has a quotation mark (") in the wrong place, so some of its cells run together ` +
      `(it has ${found} cell${found === 1 ? '' : 's'} where the header has ${expected}). ` +
      'A cell with quotation marks inside must be written as "She said ""yes""". Fix that row, or save the file again from Excel as CSV.',
  );
}

/**
 * JSON named .csv: the text starts like a JSON object, or an array of objects, arrays or strings. A CSV
 * whose first cell merely starts with a brace ("{first_name} test") does not.
 */
function looksLikeJson(sample: string): boolean {
  let i = 0;
  while (i < sample.length && isSpace(sample.charCodeAt(i))) i++;
  const open = sample.charCodeAt(i);
  if (open !== 123 && open !== 91) return false; // { [
  i++;
  while (i < sample.length && isSpace(sample.charCodeAt(i))) i++;
  const next = sample.charCodeAt(i);
  if (open === 123) return next === 34 || next === 125; // {"  {}
  return next === 123 || next === 91 || next === 34 || next === 93; // [{  [[  ["  []
}

function jsonFile(fileName: string): SheetError {
  return new SheetError(
    'unsupported_format',
    `"${fileName}" is a JSON file, not a spreadsheet. Open the data in Excel or Google Sheets and save it as CSV or .xlsx, ` +
      'or export it as CSV from the program that made it.',
  );
}

/** True when the text has anything but spaces, tabs and line breaks (control characters count). */
function hasText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13) && c !== 0xa0 && c !== 0xfeff) return true;
  }
  return false;
}

interface TextSetup {
  delimiter: Delimiter;
  newline: Newline;
}

/** Delimiter, line ending and the binary check, all from the same leading sample. */
function setupFromSample(text: string, complete: boolean, opts: ReadOptions, tuning: CsvTuning): TextSetup {
  const sample = complete ? text : text.slice(0, tuning.sampleChars);
  // NUL characters alone do not make a file binary: a text file with some is damaged, and the row is named.
  if (looksBinary(sample, true)) throw binaryFileError(opts.fileName);
  if (looksLikeJson(sample)) throw jsonFile(opts.fileName);
  return {
    delimiter: opts.delimiter ?? detectDelimiterIn(sample, complete),
    newline: detectNewline(sample),
  };
}

/** Whole-file CSV reader. */
export function readCsv(bytes: Uint8Array, opts: ReadOptions, tuning: CsvTuning = DEFAULT_TUNING): SheetData {
  const limits = csvLimits(opts);
  if (bytes.length > limits.maxFileBytes) throw tooLarge(opts.fileName, bytes.length, limits.maxFileBytes);
  if (bytes.length === 0) throw emptyFile(opts.fileName);
  const { text, encoding } = decodeCsvBytes(bytes, opts.encoding, tuning);
  if (!hasText(text)) throw emptyFile(opts.fileName);
  const complete = text.length <= tuning.sampleChars;
  const { delimiter, newline } = setupFromSample(text, complete, opts, tuning);

  // Only a file with more than one kind of line break needs the extra pass (the stream always makes it).
  const uniform = !hasOtherLineBreaks(text, newline);
  const parsed = uniform ? text : new LineBreakNormalizer(delimiter).push(text, true);
  const result = newParser(delimiter, uniform ? newline : '\n').parse(parsed, 0, false);
  const suspect = checkParseErrors(result, 0);
  const rows: SheetRow[] = [];
  let headers: string[] = [];
  const builder = new GridBuilder(
    limits,
    opts.headerRow,
    (h) => (headers = h),
    (r) => rows.push(r),
  );
  const data = result.data;
  const nul = text.indexOf('\0') !== -1;
  for (let i = 0; i < data.length; i++) pushRecord(builder, i + 1, data[i]!, nul, suspect.has(i));
  builder.finish();
  return {
    format: 'csv',
    sheetNames: [],
    sheet: null,
    encoding,
    delimiter,
    headerRow: builder.headerRow,
    headers,
    rows,
    notes: [],
  };
}

/**
 * A quote that is never closed swallows the rest of the file; a quote in the wrong place
 * ("Hi" she said) makes papaparse look for the next closing quote, possibly rows later, merging
 * those rows into one cell. Both would lose projects silently, so both are refused. Quotes inside
 * an unquoted cell (He said "hi") are plain text and fine.
 */
function checkParseErrors(result: PapaCoreResult, baseRecord: number): Set<number> {
  const suspect = new Set<number>();
  for (const e of result.errors) {
    if (e.code === 'MissingQuotes') throw missingQuote(baseRecord + e.row + 1);
    if (e.code === 'InvalidQuotes') {
      const record = result.data[e.row];
      if (record && record.some((c) => c.includes('\n') || c.includes('\r'))) {
        throw new SheetError(
          'corrupt_file',
          `Row ${baseRecord + e.row + 1} has a quotation mark (") in the wrong place, so several lines would be read as one cell. ` +
            'A cell with quotation marks inside must be written as "She said ""yes""". Fix that row, or save the file again from Excel as CSV.',
        );
      }
      suspect.add(e.row);
    }
  }
  return suspect;
}

/**
 * One parsed record into the grid, after the checks that need the record: NUL characters (looked for
 * only when the text has any), and a misplaced quote that swallowed separators, which leaves the row
 * with fewer cells than the header ("Broken,sms,"Hi…" read as one cell) and would shift every cell after it.
 */
function pushRecord(
  builder: GridBuilder,
  recordNumber: number,
  cells: string[],
  nul: boolean,
  suspect: boolean,
): void {
  if (nul) for (const c of cells) if (c.indexOf('\0') !== -1) throw nulCharacters(recordNumber);
  if (suspect && builder.headers !== null && cells.length < builder.headers.length) {
    throw cellsRunTogether(recordNumber, cells.length, builder.headers.length);
  }
  builder.push(recordNumber, cells);
}

/** Whole-file decoding under the one policy of `chooseEncoding`, with the stream's sample size. */
function decodeCsvBytes(
  bytes: Uint8Array,
  encoding: TextEncodingName | undefined,
  tuning: CsvTuning,
): { text: string; encoding: TextEncodingName } {
  return decodeBytes(bytes, encoding, tuning.sampleBytes);
}

/** First lines of a CSV for the header-row picker, without decoding or parsing the whole file. */
export function previewCsv(bytes: Uint8Array, opts: ReadOptions, maxLines: number): SheetPreview {
  const limits = csvLimits(opts);
  if (bytes.length > limits.maxFileBytes) throw tooLarge(opts.fileName, bytes.length, limits.maxFileBytes);
  if (bytes.length === 0) throw emptyFile(opts.fileName);
  const previewBytes = 2 * 1024 * 1024;
  const complete = bytes.length <= previewBytes;
  const { encoding, bomLength: skip } = chooseEncoding(
    bytes.subarray(0, ENCODING_SAMPLE_BYTES),
    bytes.length <= ENCODING_SAMPLE_BYTES,
    opts.encoding,
  );
  const decoder = new ChunkDecoder(encoding);
  let text = decoder.decode(bytes.subarray(skip, Math.min(bytes.length, previewBytes)));
  if (complete) text += decoder.flush();
  if (!hasText(text)) throw emptyFile(opts.fileName);
  const { delimiter, newline } = setupFromSample(
    text,
    complete && text.length <= 16 * 1024,
    opts,
    DEFAULT_TUNING,
  );
  const uniform = !hasOtherLineBreaks(text, newline);
  const parsed = uniform ? text : new LineBreakNormalizer(delimiter).push(text, complete);
  const { data } = newParser(delimiter, uniform ? newline : '\n').parse(parsed, 0, !complete);
  // A final empty record is only the file's last line break.
  const lastRecord = data[data.length - 1];
  if (complete && lastRecord && lastRecord.length === 1 && lastRecord[0] === '') data.pop();
  const lines: SheetRow[] = [];
  for (let i = 0; i < data.length && i < maxLines; i++) lines.push({ row: i + 1, cells: data[i]! });
  return {
    lines,
    encoding,
    delimiter,
    sheetNames: [],
    sheet: null,
    suggestedHeaderRow: opts.headerRow ?? suggestHeaderRow(lines),
  };
}

export interface CsvStream {
  write(chunk: Uint8Array): void;
  end(): void;
}

export interface CsvStreamOptions extends ReadOptions {
  onHeader(info: {
    headers: string[];
    headerRow: number;
    encoding: TextEncodingName;
    delimiter: Delimiter;
  }): void;
  onRow(row: SheetRow): void;
}

/**
 * Streaming CSV: holds only the detection sample and the current incomplete record. Text is handed to
 * papaparse's parser with "ignore the last row" set, so a record cut by a chunk boundary (inside
 * quotes, between \r and \n, inside a UTF-8 character) is parsed again whole with the next chunk.
 * When a chunk completes no record at all, parsing waits until the pending text has doubled, so a
 * very long record costs linear, not quadratic, time.
 *
 * Row cells are slices of the parsed text: a consumer that keeps a cell for long should copy it.
 */
export function createCsvStream(opts: CsvStreamOptions, tuning: CsvTuning = DEFAULT_TUNING): CsvStream {
  const limits = csvLimits(opts);
  const maxRecordChars = Math.max(limits.maxColumns * (limits.maxCellChars + 3), tuning.parseChars);
  let state: 'sniff-bytes' | 'sniff-text' | 'run' | 'done' | 'failed' = 'sniff-bytes';
  let heldBytes: Uint8Array[] = [];
  let heldLength = 0;
  let totalBytes = 0;
  let decoder: ChunkDecoder | null = null;
  let pending = '';
  let parseAt = 0;
  let parser: PapaCore | null = null;
  let breaks: LineBreakNormalizer | null = null;
  let newline: Newline = '\n';
  let nul = false;
  let recordNumber = 0;
  let delimiter: Delimiter = ',';
  let sawText = false;
  const builder = new GridBuilder(
    limits,
    opts.headerRow,
    (headers, headerRow) =>
      opts.onHeader({ headers, headerRow, encoding: decoder!.encoding, delimiter: delimiter }),
    (row) => opts.onRow(row),
  );

  function guard<T>(fn: () => T): T {
    if (state === 'done') throw new Error('The CSV stream has already ended.');
    if (state === 'failed') throw new Error('The CSV stream has already failed.');
    try {
      return fn();
    } catch (e) {
      state = 'failed';
      throw e;
    }
  }

  function startDecoding(ended: boolean): void {
    const head = concat(heldBytes, heldLength);
    heldBytes = [];
    if (isZip(head) || isCfb(head)) {
      throw new SheetError(
        'unsupported_format',
        `"${opts.fileName}" is an Excel or OpenDocument workbook, not a CSV file. Open it as a workbook, or save it as CSV first.`,
      );
    }
    // The same decision as the whole-file reader: `ended` here means the file is no longer than the sample.
    const { encoding, bomLength: skip } = chooseEncoding(
      head.subarray(0, tuning.sampleBytes),
      ended,
      opts.encoding,
    );
    decoder = new ChunkDecoder(encoding);
    pending = decoder.decode(head.subarray(skip));
    state = 'sniff-text';
  }

  function startParsing(ended: boolean): void {
    const complete = ended && pending.length <= tuning.sampleChars;
    const setup = setupFromSample(pending, complete, opts, tuning);
    delimiter = setup.delimiter;
    // Parsed as it is while every line break is the sample's; see `parsePending`.
    newline = setup.newline;
    parser = newParser(setup.delimiter, newline);
    nul = pending.indexOf('\0') !== -1;
    state = 'run';
  }

  function feedText(text: string, final = false): void {
    if (!sawText && hasText(text)) sawText = true;
    if (parser && !nul && text.indexOf('\0') !== -1) nul = true;
    pending += breaks ? breaks.push(text, final) : text;
  }

  function parsePending(final: boolean): void {
    if (!final && pending.length < parseAt) return;
    if (breaks === null) {
      // A "\r" at the very end may be the first half of a "\r\n": it waits for the next piece.
      const settled =
        !final && pending.charCodeAt(pending.length - 1) === 13 ? pending.slice(0, -1) : pending;
      if (hasOtherLineBreaks(settled, newline)) {
        // The first line break unlike the sample's: from here on (a record boundary) every line
        // break outside quotes becomes "\n" as the text arrives, whatever the file mixes.
        breaks = new LineBreakNormalizer(delimiter);
        pending = breaks.push(pending, final);
        parser = newParser(delimiter, '\n');
      }
    }
    // The text is parsed a window at a time, so only a few hundred rows are alive at once however
    // large the pieces that arrive; a record longer than the window widens it.
    let window = tuning.parseChars;
    for (;;) {
      const whole = pending.length <= window;
      const last = final && whole;
      let input = whole ? pending : pending.slice(0, window);
      if (!last && breaks === null && input.charCodeAt(input.length - 1) === 13) input = input.slice(0, -1);
      const result = parser!.parse(input, 0, !last);
      const suspect = checkParseErrors(result, recordNumber);
      const data = result.data;
      for (let i = 0; i < data.length; i++)
        pushRecord(builder, ++recordNumber, data[i]!, nul, suspect.has(i));
      if (last) {
        pending = '';
        return;
      }
      pending = pending.slice(result.meta.cursor);
      if (!whole) {
        if (data.length === 0) window *= 2;
        continue;
      }
      if (pending.length > maxRecordChars) {
        throw new SheetError(
          'cell_too_long',
          `Row ${recordNumber + 1} is longer than ${formatCount(maxRecordChars)} characters. ` +
            'This usually means a quotation mark (") that is never closed: check that row in a text editor.',
        );
      }
      parseAt = data.length === 0 ? Math.max(pending.length * 2, tuning.parseChars) : tuning.parseChars;
      return;
    }
  }

  return {
    write(chunk: Uint8Array): void {
      guard(() => {
        if (chunk.length === 0) return;
        totalBytes += chunk.length;
        if (totalBytes > limits.maxFileBytes) throw tooLarge(opts.fileName, totalBytes, limits.maxFileBytes);
        if (state === 'sniff-bytes') {
          heldBytes.push(new Uint8Array(chunk)); // a copy: the caller may reuse its buffer
          heldLength += chunk.length;
          // Held until more than the sample has come, so "the sample is the whole file" means the same here.
          if (heldLength <= tuning.sampleBytes) return;
          startDecoding(false);
          sawText = hasText(pending);
        } else {
          feedText(decoder!.decode(chunk));
        }
        if (state === 'sniff-text') {
          if (pending.length <= tuning.sampleChars) return;
          startParsing(false);
        }
        parsePending(false);
      });
    },
    end(): void {
      guard(() => {
        if (state === 'sniff-bytes') {
          if (heldLength === 0) throw emptyFile(opts.fileName);
          startDecoding(true);
          sawText = hasText(pending);
        }
        feedText(decoder!.flush(), true);
        if (!sawText) throw emptyFile(opts.fileName);
        if (state === 'sniff-text') startParsing(true);
        parsePending(true);
        builder.finish();
        state = 'done';
      });
    },
  };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
