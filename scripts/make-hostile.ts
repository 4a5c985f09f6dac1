/**
 * Writes the hostile-file corpus to test/fixtures/hostile/: spreadsheets that are damaged, disguised,
 * oversized or merely awkward. Every file must end in a correct parse or a clear message within set
 * limits of time and memory, never a crash or a hang (test/integration/hostile/ checks each one through
 * the reader and through the command line).
 *
 *   npx tsx scripts/make-hostile.ts [--out DIR] [--force]
 *
 * Deterministic: no clock, no unseeded randomness. Workbooks are assembled here part by part (not by
 * SheetJS, the library under test), small ones with stored zip entries so their bytes do not depend on
 * the zlib version. Files marked `big` (the zip bombs, the 5 MB cell, 20,000 columns) are git-ignored
 * and made on demand: `ensureHostileCorpus()` writes whatever is missing, and the tests call it first.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import * as XLSX from 'xlsx';
import { createRng as rng } from '../src/sandbox/rng';
import { columnName } from '../src/shared/sheet/grid';

export const HOSTILE_DIR = fileURLToPath(new URL('../test/fixtures/hostile/', import.meta.url));

export interface HostileFile {
  name: string;
  /** Not committed (see the folder's .gitignore): made by `ensureHostileCorpus` when missing. */
  big: boolean;
  about: string;
  make(): Uint8Array;
}

// --- Content ---------------------------------------------------------------------------------------

const ORG = 'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0';
const BRAND = 'brand_01HR77TXQCN3JZF2DZYTBBGTM9';
const CAMPAIGN = 'camp_01HR9G1HX1EN9R9RS5X0FZS0PB';
const PN = ['pn_01HRCGB4W8GJACYA1SCX5GNW8R', 'pn_01HRD8DYP3DFY0SDWCHF9Q1YYS'];

export const HEADER = [
  'organization_id',
  'name',
  'protocol',
  'message_text',
  'brand_id',
  'campaign_id',
  'phone_number_ids',
];

/** A valid 10DLC row for the Sandbox account. */
export function projectRow(name: string, message = 'Hi {first_name}, polls close at 8pm.'): string[] {
  return [ORG, name, 'sms', message, BRAND, CAMPAIGN, PN[0]!];
}

/** RFC 4180 text: every cell that needs it quoted, quotes doubled. */
function csvText(rows: readonly (readonly string[])[], newline = '\r\n'): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => r.map(cell).join(',')).join(newline) + newline;
}

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function utf16(s: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? '\ufeff' : '') + s, 'utf16le');
  if (endian === 'be') le.swap16();
  return new Uint8Array(le);
}

const CP1252: Record<string, number> = { '€': 0x80, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96 };

function cp1252(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = CP1252[ch] ?? ch.charCodeAt(0);
    if (code > 0xff) throw new Error(`not in windows-1252: ${ch}`);
    out[i] = code;
  }
  return out;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

// --- Zip ---------------------------------------------------------------------------------------------

export interface ZipEntry {
  name: string;
  /** The bytes as stored (compressed when method is 8). */
  stored: Uint8Array;
  method: 0 | 8;
  crc: number;
  /** The inflated size as the headers declare it (a lie, for the lying bomb). */
  size: number;
}

export function storedEntry(name: string, data: Uint8Array | string): ZipEntry {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return { name, stored: bytes, method: 0, crc: crc32(bytes), size: bytes.length };
}

export function deflatedEntry(name: string, data: Uint8Array | string): ZipEntry {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return {
    name,
    stored: new Uint8Array(deflateRawSync(bytes, { level: 9 })),
    method: 8,
    crc: crc32(bytes),
    size: bytes.length,
  };
}

/** A plain zip (no Zip64, no data descriptors), every date 1980-01-01 so the bytes never change. */
export function zip(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.stored.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, e.stored);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.stored.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + e.stored.length;
  }
  const dirSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return concat([...locals, ...centrals, end]);
}

// --- XLSX parts ----------------------------------------------------------------------------------------

export type Cell =
  | string
  | null
  | { t: 'n'; v: string; f?: string }
  | { t: 'e'; v: string; f?: string }
  | { t: 'str'; v: string; f: string }
  | { t: 'b'; v: boolean };

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Column letters as Excel shows them (0 -> A); beyond XFD they simply continue. */
const col = columnName;

function cellXml(ref: string, c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'string') {
    return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(c)}</t></is></c>`;
  }
  const f = 'f' in c && c.f ? `<f>${xmlText(c.f)}</f>` : '';
  if (c.t === 'b') return `<c r="${ref}" t="b"><v>${c.v ? 1 : 0}</v></c>`;
  if (c.t === 'n') return `<c r="${ref}">${f}<v>${c.v}</v></c>`;
  return `<c r="${ref}" t="${c.t}">${f}<v>${xmlText(c.v)}</v></c>`;
}

function sheetDataXml(rows: readonly (readonly Cell[])[], firstRow = 1): string {
  return rows
    .map((cells, i) => {
      const r = firstRow + i;
      return `<row r="${r}">${cells.map((c, j) => cellXml(`${col(j)}${r}`, c)).join('')}</row>`;
    })
    .join('');
}

export interface SheetSpec {
  name: string;
  hidden?: boolean;
  rows: readonly (readonly Cell[])[];
  merges?: string[];
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function worksheetXml(spec: SheetSpec): string {
  const merges = spec.merges?.length
    ? `<mergeCells count="${spec.merges.length}">${spec.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`
    : '';
  return `${XML_HEAD}<worksheet xmlns="${NS}" xmlns:r="${REL_NS}"><sheetData>${sheetDataXml(spec.rows)}</sheetData>${merges}</worksheet>`;
}

/** The parts of a minimal workbook; `sheetXml` overrides the XML of the first sheet. */
function xlsxEntries(
  sheets: readonly SheetSpec[],
  make: (name: string, xml: string) => ZipEntry = storedEntry,
  sheetXml?: (i: number) => string | null,
): ZipEntry[] {
  const contentTypes =
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets
      .map(
        (_s, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join('') +
    '</Types>';
  const rootRels =
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const workbook =
    `${XML_HEAD}<workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets>` +
    sheets
      .map(
        (s, i) =>
          `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`,
      )
      .join('') +
    '</sheets></workbook>';
  const workbookRels =
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    sheets
      .map(
        (_s, i) =>
          `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join('') +
    '</Relationships>';
  return [
    storedEntry('[Content_Types].xml', contentTypes),
    storedEntry('_rels/.rels', rootRels),
    storedEntry('xl/workbook.xml', workbook),
    storedEntry('xl/_rels/workbook.xml.rels', workbookRels),
    ...sheets.map((s, i) => make(`xl/worksheets/sheet${i + 1}.xml`, sheetXml?.(i) ?? worksheetXml(s))),
  ];
}

export const xlsx = (sheets: readonly SheetSpec[]) => zip(xlsxEntries(sheets));

const PROJECTS: SheetSpec = {
  name: 'Projects',
  rows: [HEADER, projectRow('Spring canvass'), projectRow('Summer canvass')],
};

// --- Zip bombs -------------------------------------------------------------------------------------------

const BOMB_FILL = 1 << 20;
/** Spaces inside <sheetData>: legal XML, so only the size gives the file away. */
const BOMB_MIB = 3 * 1024;

const bombs = new Map<number, ZipEntry>();

/** The bomb's worksheet part with its true sizes; made once per size (the CRC alone reads 3 GiB). */
function bombSheet(mib: number): ZipEntry {
  const cached = bombs.get(mib);
  if (cached) return cached;
  const head = utf8(
    `${XML_HEAD}<worksheet xmlns="${NS}" xmlns:r="${REL_NS}"><sheetData>${sheetDataXml([HEADER])}`,
  );
  const tail = utf8(`${sheetDataXml([projectRow('Bomb')], 2)}</sheetData></worksheet>`);
  const fill = new Uint8Array(BOMB_FILL).fill(0x20);
  const flush = { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH };
  const fillZ = deflateRawSync(fill, flush);
  const parts: Uint8Array[] = [deflateRawSync(head, flush)];
  let crc = crc32(head);
  for (let i = 0; i < mib; i++) {
    parts.push(fillZ);
    crc = crc32(fill, crc);
  }
  parts.push(deflateRawSync(tail, flush), new Uint8Array([0x03, 0x00]));
  crc = crc32(tail, crc);
  const sheet: ZipEntry = {
    name: 'xl/worksheets/sheet1.xml',
    stored: concat(parts),
    method: 8,
    crc,
    size: head.length + mib * BOMB_FILL + tail.length,
  };
  bombs.set(mib, sheet);
  return sheet;
}

/**
 * A worksheet of `mib` MiB (3 GiB by default) that deflates to about 1/1000 of that: self-contained
 * deflate segments (each ends in a full flush) repeated, then a final empty block. `declared` is what
 * the zip headers claim it inflates to.
 */
export function bombXlsx(declared: 'honest' | number, mib = BOMB_MIB): Uint8Array {
  const sheet = bombSheet(mib);
  return withSheet(declared === 'honest' ? sheet : { ...sheet, size: declared });
}

/** A one-sheet workbook whose worksheet part is `sheet`, as given (sizes, method and all). */
export function withSheet(sheet: ZipEntry): Uint8Array {
  const entries = xlsxEntries([PROJECTS]);
  entries[entries.length - 1] = sheet;
  return zip(entries);
}

// --- Password-protected workbook (ECMA-376 agile encryption) ------------------------------------------

const PASSWORD = 'hostile';

function sha512(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** Truncate or pad with 0x36 to `n` bytes, as MS-OFFCRYPTO does for keys and IVs. */
function fit(b: Buffer, n: number): Buffer {
  return b.length >= n ? b.subarray(0, n) : Buffer.concat([b, Buffer.alloc(n - b.length, 0x36)]);
}

function aes(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

const pad16 = (b: Buffer) => (b.length % 16 ? Buffer.concat([b, Buffer.alloc(16 - (b.length % 16))]) : b);

/**
 * The container Excel writes for "Encrypt with Password": an OLE file holding EncryptionInfo (agile,
 * AES-256, SHA-512) and EncryptedPackage (the xlsx, encrypted in 4096-byte segments), with the key
 * derived from PASSWORD as the standard says. Salts and the package key come from a fixed seed. The
 * data-integrity HMAC is not computed (its fields are filled but not checked by anything here).
 */
function encryptedXlsx(): Uint8Array {
  const plain = Buffer.from(xlsx([PROJECTS]));
  const spin = 100_000;
  const keySalt = Buffer.from(randomBytes(16, 11));
  const pwSalt = Buffer.from(randomBytes(16, 12));
  const secretKey = Buffer.from(randomBytes(32, 13));
  const verifierInput = Buffer.from(randomBytes(16, 14));

  let h = sha512(pwSalt, Buffer.from(PASSWORD, 'utf16le'));
  for (let i = 0; i < spin; i++) h = sha512(u32(i), h);
  const block = (b: number[]) => fit(sha512(h, Buffer.from(b)), 32);
  const kVerifierInput = block([0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79]);
  const kVerifierHash = block([0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e]);
  const kKey = block([0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6]);
  const encVerifierInput = aes(kVerifierInput, pwSalt, verifierInput);
  const encVerifierHash = aes(kVerifierHash, pwSalt, sha512(verifierInput));
  const encKey = aes(kKey, pwSalt, secretKey);

  const segments: Buffer[] = [];
  for (let i = 0, n = 0; i < plain.length; i += 4096, n++) {
    const iv = fit(sha512(keySalt, u32(n)), 16);
    segments.push(aes(secretKey, iv, pad16(plain.subarray(i, i + 4096))));
  }
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(plain.length));
  const encryptedPackage = Buffer.concat([size, ...segments]);
  const hmacKey = aes(
    secretKey,
    fit(sha512(keySalt, Buffer.from([0x5f, 0xb2, 0xad, 0x01, 0x0c, 0xb9, 0xe1, 0xf6])), 16),
    Buffer.from(randomBytes(64, 15)),
  );
  const hmacValue = aes(
    secretKey,
    fit(sha512(keySalt, Buffer.from([0xa0, 0x67, 0x7f, 0x02, 0xb2, 0x2c, 0x84, 0x33])), 16),
    Buffer.from(randomBytes(64, 16)),
  );
  const b64 = (b: Buffer) => b.toString('base64');
  const descriptor =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
    '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" ' +
    'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">' +
    `<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="${b64(keySalt)}"/>` +
    `<dataIntegrity encryptedHmacKey="${b64(hmacKey)}" encryptedHmacValue="${b64(hmacValue)}"/>` +
    '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">' +
    `<p:encryptedKey spinCount="${spin}" saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="${b64(pwSalt)}" ` +
    `encryptedVerifierHashInput="${b64(encVerifierInput)}" encryptedVerifierHashValue="${b64(encVerifierHash)}" encryptedKeyValue="${b64(encKey)}"/>` +
    '</keyEncryptor></keyEncryptors></encryption>';
  const info = Buffer.concat([Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]), Buffer.from(descriptor, 'utf8')]);

  const CFB = XLSX.CFB as unknown as {
    utils: { cfb_new(): unknown; cfb_add(c: unknown, name: string, content: Uint8Array): void };
    write(c: unknown, o: { type: 'array' }): ArrayLike<number>;
  };
  const c = CFB.utils.cfb_new();
  CFB.utils.cfb_add(c, 'EncryptionInfo', info);
  CFB.utils.cfb_add(c, 'EncryptedPackage', encryptedPackage);
  return Uint8Array.from(CFB.write(c, { type: 'array' }));
}

// --- The corpus ------------------------------------------------------------------------------------------

const UTF16_TEXT = csvText([HEADER, projectRow('José’s canvass'), projectRow('Zoë — ça va')]);
const ACCENTED = csvText([HEADER, projectRow('Café “Résumé” – 5 €', 'Olá {first_name}, ¿listo?')]);

export const HOSTILE_FILES: readonly HostileFile[] = [
  {
    name: 'truncated.xlsx',
    big: false,
    about: 'a workbook cut off in the middle of its zip (an interrupted download)',
    make: () => {
      const whole = xlsx([PROJECTS]);
      return whole.subarray(0, Math.floor(whole.length * 0.6));
    },
  },
  {
    name: 'corrupt.xlsx',
    big: false,
    about: 'a complete zip whose worksheet stream is overwritten with noise (a disk error)',
    make: () => {
      const rows = [HEADER, ...Array.from({ length: 40 }, (_, i) => projectRow(`Row ${i + 2}`))];
      const entries = xlsxEntries([{ name: 'Projects', rows }], deflatedEntry);
      const sheet = entries[entries.length - 1]!;
      const noisy = new Uint8Array(sheet.stored);
      noisy.set(randomBytes(Math.floor(noisy.length / 2), 7), Math.floor(noisy.length / 4));
      entries[entries.length - 1] = { ...sheet, stored: noisy };
      return zip(entries);
    },
  },
  {
    name: 'zip-bomb.xlsx',
    big: true,
    about: 'a 3 MB workbook whose worksheet inflates to 3 GiB, sizes declared honestly',
    make: () => bombXlsx('honest'),
  },
  {
    name: 'zip-bomb-lying.xlsx',
    big: true,
    about: 'the same bomb, its zip headers claiming the worksheet is 1,000 bytes',
    make: () => bombXlsx(1000),
  },
  {
    name: 'zip-bomb-zero.xlsx',
    big: true,
    about: 'the same bomb, its zip headers claiming the worksheet is empty',
    make: () => bombXlsx(0),
  },
  {
    name: 'binary.csv',
    big: false,
    about: 'a PNG picture renamed to .csv',
    make: () =>
      concat([
        new Uint8Array([
          0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
        ]),
        randomBytes(8000, 1),
      ]),
  },
  {
    name: 'utf16le-bom.csv',
    big: false,
    about: 'UTF-16 little-endian with a byte-order mark (Excel "Unicode Text")',
    make: () => utf16(UTF16_TEXT, 'le', true),
  },
  {
    name: 'utf16le-no-bom.csv',
    big: false,
    about: 'UTF-16 little-endian without a byte-order mark',
    make: () => utf16(UTF16_TEXT, 'le', false),
  },
  {
    name: 'utf16be-bom.csv',
    big: false,
    about: 'UTF-16 big-endian with a byte-order mark',
    make: () => utf16(UTF16_TEXT, 'be', true),
  },
  {
    name: 'utf16be-no-bom.csv',
    big: false,
    about: 'UTF-16 big-endian without a byte-order mark',
    make: () => utf16(UTF16_TEXT, 'be', false),
  },
  {
    name: 'windows-1252.csv',
    big: false,
    about: 'Windows-1252 (Excel on Windows, "CSV" without UTF-8): accents, curly quotes, euro sign',
    make: () => cp1252(ACCENTED),
  },
  {
    name: 'mixed-line-endings.csv',
    big: false,
    about: 'CRLF, LF and lone CR line endings in one file (rows pasted from different tools)',
    make: () => {
      const lines = [HEADER, ...['CRLF row', 'LF row', 'CR row', 'Last row'].map((n) => projectRow(n))];
      const text =
        csvText(lines.slice(0, 1), '\r\n') + csvText([lines[1]!], '\n') + csvText([lines[2]!], '\r');
      return utf8(text + csvText([lines[3]!], '\r\n') + csvText([lines[4]!], '\n'));
    },
  },
  {
    name: 'mixed-line-endings-quoted.csv',
    big: false,
    about: 'mixed line endings where a quoted message spans lines (its own line breaks must stay)',
    make: () =>
      utf8(
        csvText([HEADER], '\n') +
          csvText([projectRow('Quoted', 'Line one\r\nline two\nline three')], '\r\n') +
          csvText([projectRow('After')], '\n'),
      ),
  },
  {
    name: 'unbalanced-quote.csv',
    big: false,
    about: 'a quotation mark that is never closed, which would swallow every row after it',
    make: () => {
      const rows = [HEADER, projectRow('Fine'), projectRow('Broken'), projectRow('Swallowed')];
      const text = csvText(rows).replace('Broken', '"Broken');
      return utf8(text);
    },
  },
  {
    name: 'misplaced-quote.csv',
    big: false,
    about: 'a quoted cell with text after its closing quote, spanning lines',
    make: () => {
      const rows = [HEADER, projectRow('Fine'), projectRow('X'), projectRow('Next')];
      return utf8(csvText(rows).replace(',X,', ',"Vote" today,\n"on Tuesday",'));
    },
  },
  {
    name: 'huge-cell.csv',
    big: true,
    about: 'a 5 MB message cell',
    make: () => utf8(csvText([HEADER, projectRow('Huge', 'x'.repeat(5 * 1024 * 1024))])),
  },
  {
    name: 'huge-cell.xlsx',
    big: true,
    about: 'a 5 MB message cell in a workbook (deflated to a few KB)',
    make: () =>
      zip(
        xlsxEntries(
          [{ name: 'Projects', rows: [HEADER, projectRow('Huge', 'x'.repeat(5 * 1024 * 1024))] }],
          deflatedEntry,
        ),
      ),
  },
  {
    name: 'columns-20000.csv',
    big: true,
    about: '20,000 columns in the header row',
    make: () =>
      utf8(
        csvText([
          [...HEADER, ...Array.from({ length: 20_000 - HEADER.length }, (_, i) => `extra_${i + 1}`)],
          projectRow('Wide'),
        ]),
      ),
  },
  {
    name: 'columns-20000.xlsx',
    big: true,
    about: '20,000 columns in a workbook (more than Excel itself allows)',
    make: () =>
      zip(
        xlsxEntries(
          [
            {
              name: 'Projects',
              rows: [
                [...HEADER, ...Array.from({ length: 20_000 - HEADER.length }, (_, i) => `extra_${i + 1}`)],
                projectRow('Wide'),
              ],
            },
          ],
          deflatedEntry,
        ),
      ),
  },
  { name: 'empty.csv', big: false, about: '0 bytes', make: () => new Uint8Array(0) },
  { name: 'empty.xlsx', big: false, about: '0 bytes named .xlsx', make: () => new Uint8Array(0) },
  {
    name: 'bom-only.csv',
    big: false,
    about: 'a UTF-8 byte-order mark and blank lines, nothing else',
    make: () => utf8('\ufeff\r\n\r\n'),
  },
  {
    name: 'header-only.csv',
    big: false,
    about: 'the header row and no data',
    make: () => utf8(csvText([HEADER])),
  },
  {
    name: 'header-only.xlsx',
    big: false,
    about: 'a workbook with the header row and no data',
    make: () => xlsx([{ name: 'Projects', rows: [HEADER] }]),
  },
  {
    name: 'duplicate-headers.csv',
    big: false,
    about: 'the same column twice ("name" and "Name")',
    make: () =>
      utf8(
        csvText([
          [...HEADER, 'Name'],
          [...projectRow('First name column'), 'Second name column'],
        ]),
      ),
  },
  {
    name: 'formulas-and-errors.xlsx',
    big: false,
    about: 'formulas with cached results, and error cells #N/A, #REF!, #DIV/0!, #VALUE!',
    make: () =>
      xlsx([
        {
          name: 'Projects',
          rows: [
            HEADER,
            [
              ORG,
              { t: 'str', f: 'CONCATENATE("GOTV ","North")', v: 'GOTV North' },
              'sms',
              'Hi',
              BRAND,
              CAMPAIGN,
              PN[0]!,
            ],
            [
              ORG,
              'Lookup failed',
              'sms',
              'Hi',
              BRAND,
              { t: 'e', f: 'VLOOKUP(A3,Ids!A:B,2,FALSE)', v: '#N/A' },
              PN[0]!,
            ],
            [ORG, 'Deleted column', 'sms', { t: 'e', f: '#REF!', v: '#REF!' }, BRAND, CAMPAIGN, PN[1]!],
            [
              ORG,
              'Division',
              'sms',
              'Hi',
              { t: 'e', f: '1/0', v: '#DIV/0!' },
              CAMPAIGN,
              { t: 'e', f: 'A1+1', v: '#VALUE!' },
            ],
          ],
        },
      ]),
  },
  {
    name: 'merged-cells.xlsx',
    big: false,
    about: 'a merged organization cell over three rows and a merged title above the header',
    make: () =>
      xlsx([
        {
          name: 'Projects',
          rows: [
            ['Spring import', null, null, null, null, null, null],
            HEADER,
            projectRow('Merged A'),
            [null, 'Merged B', 'sms', 'Hi', BRAND, CAMPAIGN, PN[0]!],
            [null, 'Merged C', 'sms', 'Hi', BRAND, CAMPAIGN, PN[0]!],
          ],
          merges: ['A1:G1', 'A3:A5'],
        },
      ]),
  },
  {
    name: 'hidden-sheets.xlsx',
    big: false,
    about: 'a hidden first sheet (old ids) before the visible one',
    make: () =>
      xlsx([
        { name: 'Old ids', hidden: true, rows: [['lookup'], ['pn_old_1']] },
        { name: 'Projects', rows: PROJECTS.rows },
        { name: 'Scratch', hidden: true, rows: [['notes'], ['do not import']] },
      ]),
  },
  {
    name: 'password.xlsx',
    big: false,
    about: `a workbook encrypted with the password "${PASSWORD}" (Excel's Encrypt with Password)`,
    make: encryptedXlsx,
  },
  {
    name: 'html-table.xls',
    big: false,
    about: 'an HTML table saved as .xls (what many web exports do)',
    make: () =>
      utf8(
        '<html><head><meta charset="utf-8"><title>Export</title></head><body><table>' +
          `<tr>${HEADER.map((h) => `<th>${h}</th>`).join('')}</tr>` +
          `<tr>${projectRow('Web export')
            .map((c) => `<td>${c}</td>`)
            .join('')}</tr>` +
          `<tr>${[ORG, 'Leading zeros', 'sms', 'Hi', BRAND, CAMPAIGN, '007'].map((c) => `<td>${c}</td>`).join('')}</tr>` +
          '</table></body></html>',
      ),
  },
  {
    name: 'nul-bytes.csv',
    big: false,
    about: 'NUL bytes inside one cell of an otherwise normal file',
    make: () => {
      const rows = [HEADER, ...Array.from({ length: 30 }, (_, i) => projectRow(`Row ${i + 2}`))];
      return utf8(csvText(rows).replace('Row 7', 'Row\0\0\0 7'));
    },
  },
  {
    name: 'nul-padded.csv',
    big: false,
    about: 'a file that ends in 8 KB of NUL bytes (written by a program that crashed)',
    make: () => concat([utf8(csvText([HEADER, projectRow('Before the crash')])), new Uint8Array(8192)]),
  },
  {
    name: 'json.csv',
    big: false,
    about: 'a JSON array of projects named .csv',
    make: () =>
      utf8(
        JSON.stringify(
          [1, 2].map((n) => Object.fromEntries(HEADER.map((h, i) => [h, projectRow(`JSON ${n}`)[i]]))),
          null,
          2,
        ) + '\n',
      ),
  },
  {
    name: 'xlsx-named.csv',
    big: false,
    about: 'a real workbook renamed to .csv',
    make: () => xlsx([PROJECTS]),
  },
  {
    name: 'csv-named.xlsx',
    big: false,
    about: 'a CSV file renamed to .xlsx',
    make: () => utf8(csvText(PROJECTS.rows as string[][])),
  },
  {
    name: 'docx-named.xlsx',
    big: false,
    about: 'a Word document (a zip, but no workbook inside) renamed to .xlsx',
    make: () =>
      zip([
        storedEntry(
          '[Content_Types].xml',
          `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
        ),
        storedEntry(
          'word/document.xml',
          `${XML_HEAD}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`,
        ),
      ]),
  },
  {
    name: 'entity-expansion.xlsx',
    big: false,
    about: 'a worksheet with a "billion laughs" entity declaration',
    make: () => {
      let dtd = '<!DOCTYPE worksheet [<!ENTITY a0 "ha">';
      for (let i = 1; i <= 9; i++) dtd += `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`;
      dtd += ']>';
      const xml =
        `<?xml version="1.0" encoding="UTF-8"?>${dtd}<worksheet xmlns="${NS}" xmlns:r="${REL_NS}"><sheetData>` +
        sheetDataXml([HEADER]) +
        `<row r="2"><c r="A2" t="inlineStr"><is><t>${ORG}</t></is></c><c r="B2" t="inlineStr"><is><t>&a9;</t></is></c></row>` +
        '</sheetData></worksheet>';
      return zip(xlsxEntries([PROJECTS], storedEntry, () => xml));
    },
  },
];

/** Writes every corpus file that is missing (all of them with `force`); returns the names written. */
export function ensureHostileCorpus(dir: string = HOSTILE_DIR, options: { force?: boolean } = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of HOSTILE_FILES) {
    const path = join(dir, f.name);
    if (!options.force && existsSync(path)) continue;
    writeFileSync(path, f.make());
    written.push(f.name);
  }
  const ignore = join(dir, '.gitignore');
  const ignoreText =
    '# Made by scripts/make-hostile.ts when missing (npm test does it): too big to commit.\n' +
    HOSTILE_FILES.filter((f) => f.big)
      .map((f) => f.name)
      .join('\n') +
    '\n';
  writeFileSync(ignore, ignoreText);
  return written;
}

function main(argv: string[]): void {
  const at = argv.indexOf('--out');
  const dir = at >= 0 && argv[at + 1] ? resolve(argv[at + 1]!) : HOSTILE_DIR;
  const written = ensureHostileCorpus(dir, { force: argv.includes('--force') });
  process.stdout.write(`${written.length} file(s) written to ${dir}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main(process.argv.slice(2));
