import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as XLSX from 'xlsx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import {
  addListValidations,
  dataValidationsXml,
  insertDataValidations,
  readListValidations,
  sheetPath,
  type ListValidation,
} from '../../../src/shared/template/validation';
import { columnName } from '../../../src/shared/sheet';
import {
  buildAccountTemplate,
  dropdowns,
  lookupBlocks,
  LOOKUP_SHEET,
} from '../../../src/shared/template/account';
import { buildTemplate } from '../../../src/shared/template';
import { accountNames, REFERENCE_FIELDS } from '../../../src/shared/account/resolve';
import { FIELD_NAMES } from '../../../src/shared/schema/fields';
import { fixtureSnapshot, ORG_A, CAMP_CALLS_1, MEDIA_FLYER } from '../account/names.fixture';

const one: ListValidation = {
  sqref: 'B2:B10',
  source: 'Lookup!$A$2:$A$5',
  allowOther: false,
  prompt: { title: 'Brands', text: 'Pick one' },
};

describe('inserting data validation into a worksheet', () => {
  it('goes after the sheet data and before the elements that must follow it', () => {
    const xml =
      '<worksheet><sheetData><row r="1"/></sheetData><mergeCells count="0"/><pageMargins left="1"/><ignoredErrors/></worksheet>';
    const out = insertDataValidations(xml, [one]);
    expect(out.indexOf('<dataValidations')).toBeGreaterThan(out.indexOf('<mergeCells'));
    expect(out.indexOf('<dataValidations')).toBeLessThan(out.indexOf('<pageMargins'));
    expect(insertDataValidations('<worksheet><sheetData/></worksheet>', [one])).toBe(
      `<worksheet><sheetData/>${dataValidationsXml([one])}</worksheet>`,
    );
  });

  it('leaves a sheet without validations as it was, and refuses a sheet that has some', () => {
    expect(insertDataValidations('<worksheet/>', [])).toBe('<worksheet/>');
    expect(() =>
      insertDataValidations('<worksheet><dataValidations count="1"/></worksheet>', [one]),
    ).toThrow();
  });

  it('escapes every text it writes, so any prompt gives well-formed XML that reads back (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 200 }), (title, text) => {
        const xml = dataValidationsXml([{ ...one, prompt: { title, text } }]);
        // No raw markup characters inside attribute values.
        for (const m of xml.matchAll(/="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>]/);
        expect(xml.match(/<dataValidation /g)).toHaveLength(1);
      }),
    );
  });

  it('adds dropdowns to one sheet of a real workbook and reads them back; the rest is untouched', () => {
    const plain = buildTemplate('xlsx');
    const withDropdowns = addListValidations(plain, 'Columns', [one]);
    expect(readListValidations(withDropdowns, 'Columns')).toEqual([
      { sqref: 'B2:B10', source: 'Lookup!$A$2:$A$5', showErrorMessage: true },
    ]);
    expect(readListValidations(withDropdowns, 'Projects')).toEqual([]);
    const before = unzipSync(plain);
    const after = unzipSync(withDropdowns);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const columns = sheetPath(after, 'Columns')!;
    for (const name of Object.keys(before)) if (name !== columns) expect(after[name]).toEqual(before[name]);
    const wb = XLSX.read(withDropdowns);
    expect(XLSX.utils.sheet_to_csv(wb.Sheets['Columns']!)).toBe(
      XLSX.utils.sheet_to_csv(XLSX.read(plain).Sheets['Columns']!),
    );
    expect(() => addListValidations(plain, 'Nope', [one])).toThrow(/no sheet "Nope"/);
  });

  it('reads the Excel 2010 form some writers use for ranges on another sheet', () => {
    const files = {
      'xl/workbook.xml': strToU8(
        '<workbook><sheets><sheet name="P &amp; Q" sheetId="1" r:id="rId7"/></sheets></workbook>',
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships><Relationship Id="rId7" Type="worksheet" Target="worksheets/sheet9.xml"/></Relationships>',
      ),
      'xl/worksheets/sheet9.xml': strToU8(
        '<worksheet><sheetData/><extLst><ext><x14:dataValidations count="1"><x14:dataValidation type="list" showErrorMessage="1">' +
          '<x14:formula1><xm:f>Lookup!$A$2:$A$9</xm:f></x14:formula1><xm:sqref>C2:C50</xm:sqref></x14:dataValidation>' +
          '</x14:dataValidations></ext></extLst></worksheet>',
      ),
    };
    expect(readListValidations(zipSync(files), 'P & Q')).toEqual([
      { sqref: 'C2:C50', source: 'Lookup!$A$2:$A$9', showErrorMessage: true },
    ]);
  });

  it('names columns as Excel does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('the account template', () => {
  const snap = fixtureSnapshot();
  const bytes = buildAccountTemplate(snap);
  const wb = XLSX.read(bytes);
  const lookup = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[LOOKUP_SHEET]!, { header: 1, defval: '' });

  it('has the Projects, Columns and Lookup sheets, and no example rows from another account', () => {
    expect(wb.SheetNames).toEqual(['Projects', 'Columns', LOOKUP_SHEET]);
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['Projects']!, { header: 1 });
    expect(rows).toEqual([[...FIELD_NAMES]]);
  });

  it('lists every entity of the account with its id on the Lookup sheet', () => {
    const flat = lookup.flat();
    expect(flat).toContain('Rivera for Senate');
    expect(flat).toContain(ORG_A);
    expect(flat).toContain(`Volunteer calls (${CAMP_CALLS_1})`);
    expect(flat).toContain('Main line (+1 555-010-0105)');
    expect(flat).toContain('go.rivera-senate.example');
    expect(flat).toContain('Town hall flyer.png');
    expect(flat).toContain(MEDIA_FLYER);
  });

  it('puts a dropdown on each reference column, over exactly its Lookup values', () => {
    const got = readListValidations(bytes, 'Projects');
    const blocks = lookupBlocks(snap);
    expect(got).toEqual(
      dropdowns(blocks).map((d) => ({ sqref: d.sqref, source: d.source, showErrorMessage: !d.allowOther })),
    );
    const names = accountNames(snap);
    const covered = new Set(got.map((v) => FIELD_NAMES[XLSX.utils.decode_col(v.sqref.replace(/\d.*$/, ''))]));
    expect([...covered].sort()).toEqual(Object.keys(REFERENCE_FIELDS).sort());
    for (const v of got) {
      const field = FIELD_NAMES[XLSX.utils.decode_col(v.sqref.replace(/\d.*$/, ''))]!;
      const m = /^Lookup!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(v.source)!;
      const col = XLSX.utils.decode_col(m[1]!);
      const values = lookup.slice(Number(m[2]) - 1, Number(m[4])).map((r) => r[col]);
      expect(values.every((x) => typeof x === 'string' && x !== '')).toBe(true);
      // Each value resolves back to an entity of the account.
      const kind = REFERENCE_FIELDS[field as keyof typeof REFERENCE_FIELDS];
      const ids = new Set(names.choices(kind).map((c) => c.id));
      for (const [i, value] of values.entries()) {
        const row = lookup[Number(m[2]) - 1 + i]!;
        expect(ids.has(row[col + 1]!)).toBe(true);
        expect(value).toBe(names.choices(kind)[i]!.value);
      }
    }
  });

  it('leaves out a column whose list could not be read, and the media column without media', () => {
    const s = fixtureSnapshot();
    for (const d of Object.values(s.byOrganization)) {
      delete d.trackingDomains;
      delete (d as { media?: unknown }).media;
    }
    const got = readListValidations(buildAccountTemplate(s), 'Projects');
    const cols = got.map((v) => v.sqref.replace(/\d.*$/, ''));
    expect(cols).not.toContain(columnName(FIELD_NAMES.indexOf('link_tracking_domain_id')));
    expect(cols).not.toContain(columnName(FIELD_NAMES.indexOf('media_ids')));
    expect(cols).toContain(columnName(FIELD_NAMES.indexOf('campaign_id')));
  });

  it('keeps the workbook valid XML', () => {
    const files = unzipSync(bytes);
    const xml = strFromU8(files[sheetPath(files, 'Projects')!]!);
    expect(xml.indexOf('<dataValidations')).toBeGreaterThan(xml.indexOf('</sheetData>'));
    expect(xml.indexOf('<dataValidations')).toBeLessThan(xml.indexOf('<ignoredErrors'));
  });
});
