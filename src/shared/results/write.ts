import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import type { RowStatus } from './columns';
import { formulaSafe } from './formula';
import {
  buildResultsTable,
  type ResultCell,
  type ResultsSource,
  type ResultsTable,
  type RowResult,
} from './table';

export type ResultsFormat = 'csv' | 'xlsx';

/** The format a results file name asks for, or null when its extension is neither. */
export function resultsFormatOf(fileName: string): ResultsFormat | null {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext === 'csv' ? 'csv' : ext === 'xlsx' ? 'xlsx' : null;
}

/** Builds the results sheet and serializes it. Pure: returns the file's bytes. */
export function writeResults(
  source: ResultsSource,
  results: Iterable<RowResult> | ReadonlyMap<number, RowResult>,
  format: ResultsFormat,
): Uint8Array {
  const table = buildResultsTable(source, results);
  return format === 'csv' ? tableToCsv(table) : tableToXlsx(table);
}

function safeCell(cell: ResultCell): ResultCell {
  return typeof cell === 'string' ? formulaSafe(cell) : cell;
}

/**
 * UTF-8 with a byte-order mark (so Excel reads accents and emoji right), CRLF line ends, every field
 * quoted, every text cell formula-safe.
 */
export function tableToCsv(table: ResultsTable): Uint8Array {
  const text = Papa.unparse(
    {
      fields: table.headers.map(formulaSafe),
      data: table.rows.map((r) => r.map((c) => String(safeCell(c)))),
    },
    { quotes: true, newline: '\r\n', escapeFormulae: false },
  );
  return new TextEncoder().encode('\uFEFF' + text + '\r\n');
}

/**
 * Fill and font per status. The community build of SheetJS writes no cell styles (`cell.s` is
 * ignored on write), so the workbook is written by SheetJS and then two of its parts are replaced in
 * the zip: `xl/styles.xml` gets these formats, and the status cells of `xl/worksheets/sheet1.xml`
 * point at them with an `s` attribute.
 */
export const STATUS_COLOURS: Record<RowStatus, { fill: string; font: string }> = {
  created: { fill: 'FFC6EFCE', font: 'FF006100' },
  failed: { fill: 'FFFFC7CE', font: 'FF9C0006' },
  invalid: { fill: 'FFFFEB9C', font: 'FF9C5700' },
  skipped: { fill: 'FFEDEDED', font: 'FF3A3A3A' },
  not_sent: { fill: 'FFDDEBF7', font: 'FF1F4E78' },
};

const STATUS_ORDER: RowStatus[] = ['created', 'failed', 'invalid', 'skipped', 'not_sent'];
/** cellXfs index: 0 normal, 1 header, 2.. one per status in STATUS_ORDER. */
const HEADER_XF = 1;
const statusXf = (s: RowStatus): number => 2 + STATUS_ORDER.indexOf(s);

function stylesXml(): string {
  const fonts = [
    '<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>',
    '<font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>',
    ...STATUS_ORDER.map(
      (s) =>
        `<font><sz val="11"/><color rgb="${STATUS_COLOURS[s].font}"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>`,
    ),
  ];
  const fills = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
    ...STATUS_ORDER.map(
      (s) =>
        `<fill><patternFill patternType="solid"><fgColor rgb="${STATUS_COLOURS[s].fill}"/><bgColor indexed="64"/></patternFill></fill>`,
    ),
  ];
  const xfs = [
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    ...STATUS_ORDER.map(
      (_s, i) =>
        `<xf numFmtId="0" fontId="${2 + i}" fillId="${2 + i}" borderId="0" xfId="0" applyFont="1" applyFill="1"/>`,
    ),
  ];
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<fonts count="${fonts.length}">${fonts.join('')}</fonts>` +
    `<fills count="${fills.length}">${fills.join('')}</fills>` +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '<dxfs count="0"/><tableStyles count="0"/>' +
    '</styleSheet>'
  );
}

/** Points every header cell and every status cell of the sheet XML at its style. */
function styleSheetXml(xml: string, table: ResultsTable): string {
  const statusCol = XLSX.utils.encode_col(table.statusColumn);
  return xml.replace(/<c r="([A-Z]+)(\d+)"([^>]*)>/g, (whole, col: string, rowText: string, rest: string) => {
    const rowNumber = Number(rowText);
    let xf: number | null = null;
    if (rowNumber === 1) xf = HEADER_XF;
    else if (col === statusCol) {
      const status = table.statuses[rowNumber - 2];
      if (status) xf = statusXf(status);
    }
    if (xf === null) return whole;
    return `<c r="${col}${rowText}" s="${xf}"${rest.replace(/\s+s="\d+"/, '')}>`;
  });
}

/**
 * Workbook text that looks like an XML character escape ("_x0041_") is read back as the character it
 * names; Excel's own escape for the underscore ("_x005F_") keeps such text as it was.
 */
export function escapeXlsxText(text: string): string {
  return text.indexOf('_x') === -1 ? text : text.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

function xlsxCell(cell: ResultCell): ResultCell {
  const safe = safeCell(cell);
  return typeof safe === 'string' ? escapeXlsxText(safe) : safe;
}

export function tableToXlsx(table: ResultsTable): Uint8Array {
  const aoa: ResultCell[][] = [
    table.headers.map((h) => escapeXlsxText(formulaSafe(h))),
    ...table.rows.map((r) => r.map(xlsxCell)),
  ];
  const ws = XLSX.utils.aoa_to_sheet(aoa);
  // Every original cell is text: keep ids such as 00123 or 5550100 from being read back as numbers.
  for (let r = 0; r < aoa.length; r++) {
    const row = aoa[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
      if (cell && typeof row[c] === 'string') cell.t = 's';
    }
  }
  ws['!cols'] = table.headers.map((h, c) => {
    let width = h.length;
    for (const row of table.rows) width = Math.max(width, Math.min(60, String(row[c] ?? '').length));
    return { wch: Math.max(8, Math.min(60, width + 2)) };
  });
  if (aoa.length > 0 && table.headers.length > 0) {
    ws['!autofilter'] = {
      ref: XLSX.utils.encode_range({
        s: { r: 0, c: 0 },
        e: { r: aoa.length - 1, c: table.headers.length - 1 },
      }),
    };
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Results');
  const raw = XLSX.write(wb, {
    type: 'array',
    bookType: 'xlsx',
    // Shared strings: SheetJS decodes "_xHHHH_" twice in inline "str" cells, so the escape would not hold.
    bookSST: true,
    compression: true,
  }) as ArrayBuffer;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SheetJS types CFB as any
  const CFB = XLSX.CFB as any;
  const zip = CFB.read(new Uint8Array(raw), { type: 'array' });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const styles = CFB.find(zip, '/xl/styles.xml');
  const sheet = CFB.find(zip, '/xl/worksheets/sheet1.xml');
  if (!styles || !sheet)
    throw new Error('Unexpected workbook layout from SheetJS: cannot colour the status cells');
  styles.content = encoder.encode(stylesXml());
  sheet.content = encoder.encode(styleSheetXml(decoder.decode(sheet.content as Uint8Array), table));
  const out = CFB.write(zip, { type: 'array', fileType: 'zip', compression: true }) as ArrayLike<number>;
  return out instanceof Uint8Array
    ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
    : Uint8Array.from(out);
}
