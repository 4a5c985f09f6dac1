/**
 * The zip checks that run before SheetJS sees a workbook must look at exactly what SheetJS will read:
 * the same end-of-directory record, the same local headers, the real inflated size of every part.
 */
import { describe, expect, it } from 'vitest';
import { readSheet, SheetError } from '../../../src/shared/sheet';
import {
  HEADER,
  deflatedEntry,
  projectRow,
  storedEntry,
  withSheet,
  xlsx,
  zip,
} from '../../../scripts/make-hostile';

const SHEET = 'xl/worksheets/sheet1.xml';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const sheetXml = (n: number) =>
  `<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>` +
  Array.from(
    { length: n },
    (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>P${i}</t></is></c></row>`,
  ).join('') +
  '</sheetData></worksheet>';

function refusal(bytes: Uint8Array): SheetError {
  try {
    readSheet(bytes, { fileName: 'p.xlsx' });
  } catch (e) {
    if (e instanceof SheetError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('zip parts', () => {
  it('reads a deflated workbook whose sizes are true', () => {
    const bytes = withSheet(deflatedEntry(SHEET, sheetXml(50)));
    expect(readSheet(bytes, { fileName: 'p.xlsx' }).rows).toHaveLength(50);
  });

  it('refuses a part that inflates to more, or to less, than declared', () => {
    const real = deflatedEntry(SHEET, sheetXml(50));
    const over = refusal(withSheet({ ...real, size: real.size - 1 }));
    expect([over.code, over.message]).toEqual(['corrupt_file', expect.stringContaining('more data than')]);
    expect(refusal(withSheet({ ...real, size: real.size + 1 })).code).toBe('corrupt_file');
  });

  it('goes by the local header, as SheetJS does, when it disagrees with the directory', () => {
    // The directory says "stored", the local header says "deflated": SheetJS inflates, so it is measured.
    const real = deflatedEntry(SHEET, sheetXml(50));
    const bytes = withSheet({ ...real, size: 10 });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const eocd = bytes.length - 22;
    let p = view.getUint32(eocd + 16, true);
    for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
      view.setUint16(p + 10, 0, true);
      p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
    expect(refusal(bytes).message).toContain('more data than');
  });

  it('refuses a damaged deflate stream instead of reading an empty sheet', () => {
    const real = deflatedEntry(SHEET, sheetXml(50));
    const stored = new Uint8Array(real.stored);
    stored.fill(0xff, 10, 40);
    expect(refusal(withSheet({ ...real, stored })).code).toBe('corrupt_file');
  });

  it('refuses an end-of-directory signature in the last bytes, where SheetJS would look first', () => {
    const good = xlsx([{ name: 'Projects', rows: [HEADER, projectRow('A')] }]);
    const tail = new Uint8Array(good.length + 10);
    tail.set(good);
    tail.set([0x50, 0x4b, 0x05, 0x06], good.length + 2);
    expect(refusal(tail).code).toBe('corrupt_file');
    // Trailing bytes without a signature are harmless: the last real record is used.
    const padded = new Uint8Array(good.length + 10);
    padded.set(good);
    expect(readSheet(padded, { fileName: 'p.xlsx' }).rows).toHaveLength(1);
  });

  it('refuses a Zip64 directory, which SheetJS cannot follow', () => {
    const bytes = zip([
      storedEntry('[Content_Types].xml', '<Types/>'),
      storedEntry('xl/workbook.xml', '<workbook/>'),
    ]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint16(bytes.length - 22 + 10, 0xffff, true);
    const e = refusal(bytes);
    expect([e.code, e.message]).toEqual(['unsupported_format', expect.stringContaining('ZIP64')]);
  });
});
