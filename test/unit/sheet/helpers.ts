import { SheetError, type ReadOptions, type SheetErrorCode, type SheetRow } from '../../../src/shared/sheet';
import { createCsvStream, type CsvTuning } from '../../../src/shared/sheet/csv';

export const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** UTF-16 LE by hand (code units, low byte first). */
export function utf16le(s: string, bom = false): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  let at = 0;
  if (bom) {
    out[at++] = 0xff;
    out[at++] = 0xfe;
  }
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[at++] = u & 0xff;
    out[at++] = u >> 8;
  }
  return out;
}

export function utf16be(s: string, bom = false): Uint8Array {
  const le = utf16le(s, bom);
  for (let i = 0; i + 1 < le.length; i += 2) {
    const t = le[i]!;
    le[i] = le[i + 1]!;
    le[i + 1] = t;
  }
  return le;
}

const CP1252_EXTRA: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  '„': 0x84,
  '…': 0x85,
  '–': 0x96,
  '—': 0x97,
  '™': 0x99,
  '“': 0x93,
  '”': 0x94,
  œ: 0x9c,
};

/** Windows-1252 by hand: Latin-1 range plus a few of the 0x80-0x9F specials. */
export function cp1252(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = CP1252_EXTRA[ch] ?? ch.charCodeAt(0);
    if (code > 0xff) throw new Error(`not in windows-1252: ${ch}`);
    out[i] = code;
  }
  return out;
}

/** Runs fn and returns the SheetError it throws (fails the test on anything else). */
export function sheetError(fn: () => unknown): SheetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SheetError) return e;
    throw new Error(`expected a SheetError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a SheetError, nothing was thrown');
}

export function expectCode(fn: () => unknown, code: SheetErrorCode): SheetError {
  const e = sheetError(fn);
  if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
  if (e.message.length < 20) throw new Error(`message too short to help anyone: ${e.message}`);
  return e;
}

/** Streams `bytes` cut at `cuts` (taken modulo the length), as the CLI does, and collects the result. */
export function streamCuts(bytes: Uint8Array, cuts: number[], opts: ReadOptions, tuning?: CsvTuning) {
  let headers: string[] | null = null;
  let encoding: string | null = null;
  const rows: SheetRow[] = [];
  const s = createCsvStream(
    {
      ...opts,
      onHeader: (h) => {
        headers = h.headers;
        encoding = h.encoding;
      },
      onRow: (r) => rows.push({ row: r.row, cells: [...r.cells] }),
    },
    tuning,
  );
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  for (const p of points) {
    s.write(bytes.subarray(at, p));
    at = p;
  }
  s.write(bytes.subarray(at));
  s.end();
  return { headers, encoding, rows };
}

/** What `fn` gives, or the code of the SheetError it throws. */
export function outcome<T>(fn: () => T): T | { error: string } {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SheetError) return { error: e.code };
    throw e;
  }
}
