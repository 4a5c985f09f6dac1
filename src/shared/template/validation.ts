/**
 * Excel dropdowns (list data validation) added to a workbook that SheetJS wrote: SheetJS Community
 * Edition cannot write data validation, so the finished XLSX is opened (a zip, with fflate), a
 * `<dataValidations>` element is placed in the worksheet's XML where the format's element order
 * wants it, and the zip is written again. Nothing else in the file changes.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

export interface ListValidation {
  /** The cells it applies to, e.g. "B2:B10000". */
  sqref: string;
  /** The list's source range, without "=", e.g. "Lookup!$A$2:$A$9". */
  source: string;
  /**
   * Whether a value that is not in the list may be typed (list cells hold several items; an id
   * typed by hand is fine too). When false, Excel warns about other values.
   */
  allowOther: boolean;
  /** Shown when a cell is selected (title at most 32 characters, text at most 255). */
  prompt?: { title: string; text: string };
}

/** Elements that follow `<dataValidations>` in a worksheet (ECMA-376 CT_Worksheet order). */
const AFTER = [
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];

function escapeXml(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Control characters other than tab and new lines are not allowed in XML 1.0 at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** The `<dataValidations>` element for these validations. */
export function dataValidationsXml(validations: readonly ListValidation[]): string {
  const items = validations.map((v) => {
    const attrs = [
      'type="list"',
      'allowBlank="1"',
      'showInputMessage="1"',
      `showErrorMessage="${v.allowOther ? 0 : 1}"`,
      'errorStyle="warning"',
    ];
    if (!v.allowOther) {
      attrs.push('errorTitle="Not in the account"');
      attrs.push(
        'error="This is not in the list of the account\'s names (see the Lookup sheet). Keep it only if it is an id."',
      );
    }
    if (v.prompt) {
      attrs.push(`promptTitle="${escapeXml(v.prompt.title.slice(0, 32))}"`);
      attrs.push(`prompt="${escapeXml(v.prompt.text.slice(0, 255))}"`);
    }
    attrs.push(`sqref="${escapeXml(v.sqref)}"`);
    return `<dataValidation ${attrs.join(' ')}><formula1>${escapeXml(v.source)}</formula1></dataValidation>`;
  });
  return `<dataValidations count="${validations.length}">${items.join('')}</dataValidations>`;
}

/** Put `<dataValidations>` into a worksheet's XML, before the first element that must follow it. */
export function insertDataValidations(sheetXml: string, validations: readonly ListValidation[]): string {
  if (validations.length === 0) return sheetXml;
  if (/<dataValidations[\s>]/.test(sheetXml)) throw new Error('The sheet already has data validation.');
  const xml = dataValidationsXml(validations);
  let at = -1;
  for (const name of AFTER) {
    const m = new RegExp(`<${name}[\\s/>]`).exec(sheetXml);
    if (m && (at === -1 || m.index < at)) at = m.index;
  }
  if (at === -1) at = sheetXml.lastIndexOf('</worksheet>');
  if (at === -1) throw new Error('The sheet XML has no </worksheet>.');
  return sheetXml.slice(0, at) + xml + sheetXml.slice(at);
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? (m[1] as string) : null;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The path in the zip of the worksheet called `sheetName`, from the workbook and its relationships. */
export function sheetPath(files: Record<string, Uint8Array>, sheetName: string): string | null {
  const workbook = files['xl/workbook.xml'];
  const rels = files['xl/_rels/workbook.xml.rels'];
  if (!workbook || !rels) return null;
  let rid: string | null = null;
  for (const m of strFromU8(workbook).matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)) {
    if (unescapeXml(attr(m[0], 'name') ?? '') === sheetName) rid = attr(m[0], 'r:id');
  }
  if (!rid) return null;
  for (const m of strFromU8(rels).matchAll(/<Relationship\s[^>]*>/g)) {
    if (attr(m[0], 'Id') === rid) {
      const target = attr(m[0], 'Target') ?? '';
      return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    }
  }
  return null;
}

/** Add list validations to the sheet called `sheetName` of an XLSX file. */
export function addListValidations(
  xlsx: Uint8Array,
  sheetName: string,
  validations: readonly ListValidation[],
): Uint8Array {
  const files = unzipSync(xlsx);
  const path = sheetPath(files, sheetName);
  const sheet = path ? files[path] : undefined;
  if (!path || !sheet) throw new Error(`The workbook has no sheet "${sheetName}".`);
  files[path] = strToU8(insertDataValidations(strFromU8(sheet), validations));
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = [data, { level: 6 }];
  return zipSync(out);
}

/** The list validations of a sheet, as written (for checks, and to read back a re-saved file). */
export function readListValidations(
  xlsx: Uint8Array,
  sheetName: string,
): { sqref: string; source: string; showErrorMessage: boolean }[] {
  const files = unzipSync(xlsx);
  const path = sheetPath(files, sheetName);
  const sheet = path ? files[path] : undefined;
  if (!sheet) return [];
  const out: { sqref: string; source: string; showErrorMessage: boolean }[] = [];
  const xml = strFromU8(sheet);
  for (const m of xml.matchAll(/<(?:\w+:)?dataValidation\s([^>]*)>([\s\S]*?)<\/(?:\w+:)?dataValidation>/g)) {
    const tag = ` ${m[1]}`;
    if (attr(tag, 'type') !== 'list') continue;
    const body = m[2] as string;
    // Excel 2010 style (x14, as some writers use for ranges on other sheets): <xm:f> and <xm:sqref>.
    const f = /<(?:\w+:)?formula1>([\s\S]*?)<\/(?:\w+:)?formula1>/.exec(body);
    const sq = /<(?:\w+:)?sqref>([\s\S]*?)<\/(?:\w+:)?sqref>/.exec(body);
    out.push({
      sqref: attr(tag, 'sqref') ?? sq?.[1] ?? '',
      source: unescapeXml((f?.[1] ?? '').replace(/<[^>]*>/g, '')),
      showErrorMessage: attr(tag, 'showErrorMessage') === '1' || attr(tag, 'showErrorMessage') === 'true',
    });
  }
  return out;
}
