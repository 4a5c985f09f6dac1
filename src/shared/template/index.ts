/**
 * The template spreadsheet: every API field as a column, a few example rows that work against the
 * Sandbox account, and (XLSX) a second sheet that explains each column.
 */
import * as XLSX from 'xlsx';
import Papa from 'papaparse';
import { FIELDS, FIELD_NAMES, type RawRow } from '../schema/fields';

export type TemplateFormat = 'csv' | 'xlsx';

/** Example rows: a 10DLC SMS with link tracking, a toll-free SMS, a 10DLC MMS for the PAC. */
export const TEMPLATE_EXAMPLES: readonly RawRow[] = [
  Object.fromEntries(FIELDS.filter((f) => f.example !== '').map((f) => [f.name, f.example])) as RawRow,
  {
    organization_id: 'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0',
    name: 'Early vote reminder (toll-free)',
    protocol: 'sms',
    channel: 'toll-free',
    toll_free_verification_id: 'tfv_01HSN4Z2B8K7B81ARAFF34SE9N',
    phone_number_ids: 'pn_01HSAKVT9K8H15WX6S45W192JG',
    contact_list_ids: 'cl_01HSSNHBACF83JMEAZKBNS1MHX',
    message_text: 'Hi {first_name}, early voting starts Monday. Reply STOP to opt out.',
    opt_out_footer_enabled: 'no',
  },
  {
    organization_id: 'org_01HR6FS4NDQ995JWZ5B0V5BD5G',
    name: 'Member town hall invite',
    protocol: 'mms',
    channel: '10dlc',
    brand_id: 'brand_01HR7ZWE770RM5910H9QT1JMZZ',
    campaign_id: 'camp_01HRB0674PMS2H3W2FVTF89GAF',
    phone_number_ids:
      'pn_01HRVJ11E41FRMH1DHRXWYQ8AZ; pn_01HRWA3EY1KGEG6N6EW4E4WD8Z; pn_01HRX26DKYVPWEDBW5E7G53NKM',
    contact_list_ids: 'cl_01HSV5NAFEAH5P5MYQ3YCR6A6E',
    suppression_list_ids: 'cl_01HSWNTPA5A8TN5QVPVBCAA9V0',
    message_text: 'Join our member town hall on Thursday at 7pm, {first_name}!',
  },
];

export function templateRows(): string[][] {
  return [[...FIELD_NAMES], ...TEMPLATE_EXAMPLES.map((r) => FIELD_NAMES.map((f) => r[f] ?? ''))];
}

function columnsRows(): string[][] {
  return [
    ['column', 'label', 'required', 'what to put in it', 'example'],
    ...FIELDS.map((f) => [
      f.name,
      f.label,
      f.required
        ? 'yes'
        : f.name === 'brand_id' || f.name === 'campaign_id'
          ? 'for 10DLC'
          : f.name === 'toll_free_verification_id'
            ? 'for toll-free'
            : f.name === 'phone_number_ids'
              ? 'yes (or phone_number_id)'
              : 'no',
      f.help,
      f.example,
    ]),
  ];
}

/** The Projects sheet: these rows, every cell text (so an id typed later keeps its leading zeros). */
export function projectsSheet(rows: string[][]): XLSX.WorkSheet {
  const projects = XLSX.utils.aoa_to_sheet(rows);
  for (const key of Object.keys(projects)) {
    const cell = projects[key] as XLSX.CellObject | undefined;
    if (!key.startsWith('!') && cell) cell.z = '@';
  }
  projects['!cols'] = FIELD_NAMES.map((f) => ({
    wch: Math.max(f.length + 2, f === 'message_text' ? 60 : 18),
  }));
  return projects;
}

/** The Columns sheet: what each column takes. */
export function columnsSheet(): XLSX.WorkSheet {
  const help = XLSX.utils.aoa_to_sheet(columnsRows());
  help['!cols'] = [{ wch: 30 }, { wch: 28 }, { wch: 22 }, { wch: 90 }, { wch: 40 }];
  return help;
}

export function buildTemplate(format: TemplateFormat): Uint8Array {
  const rows = templateRows();
  if (format === 'csv') {
    // A byte-order mark so Excel opens the UTF-8 file with its accents and dashes intact.
    return new TextEncoder().encode('\ufeff' + Papa.unparse(rows, { newline: '\r\n' }) + '\r\n');
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, projectsSheet(rows), 'Projects');
  XLSX.utils.book_append_sheet(wb, columnsSheet(), 'Columns');
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}
