/**
 * The account-aware template: the Projects sheet (every API field as a column), the Columns sheet
 * that explains them, and a Lookup sheet with this account's organizations, brands, campaigns,
 * numbers, verifications, tracking domains and lists (what to type, the id, where it belongs). The
 * reference columns of the Projects sheet get Excel dropdowns over the Lookup sheet's values; each
 * value resolves back to its entity (see `AccountNames.choices`), so a picked name is sent as its id.
 */
import * as XLSX from 'xlsx';
import { FIELD_NAMES, type FieldName } from '../schema/fields';
import { accountNames, type Choice, type EntityKind, type MediaExtension } from '../account/resolve';
import type { AccountSnapshot } from '../account/snapshot';
import { columnName } from '../sheet/grid';
import { addListValidations, type ListValidation } from './validation';
import { columnsSheet, projectsSheet } from './index';

export const LOOKUP_SHEET = 'Lookup';
/** Rows of the Projects sheet that get the dropdowns (the header is row 1). */
export const DROPDOWN_ROWS = 10_000;

export interface LookupBlock {
  kind: EntityKind;
  /** The column heading of the values to pick, e.g. "Campaigns". */
  title: string;
  idTitle: string;
  /** The Projects columns whose dropdown offers this block. */
  fields: readonly FieldName[];
  /** Whether a cell may hold several (a list cell). */
  multiple: boolean;
  choices: Choice[];
}

const BLOCKS: readonly Omit<LookupBlock, 'choices'>[] = [
  {
    kind: 'organization',
    title: 'Organizations',
    idTitle: 'organization_id',
    fields: ['organization_id'],
    multiple: false,
  },
  { kind: 'brand', title: 'Brands', idTitle: 'brand_id', fields: ['brand_id'], multiple: false },
  { kind: 'campaign', title: 'Campaigns', idTitle: 'campaign_id', fields: ['campaign_id'], multiple: false },
  {
    kind: 'phoneNumber',
    title: 'Numbers',
    idTitle: 'phone_number_id',
    fields: ['phone_number_ids', 'phone_number_id'],
    multiple: true,
  },
  {
    kind: 'verification',
    title: 'Toll-free verifications',
    idTitle: 'toll_free_verification_id',
    fields: ['toll_free_verification_id'],
    multiple: false,
  },
  {
    kind: 'trackingDomain',
    title: 'Tracking domains',
    idTitle: 'link_tracking_domain_id',
    fields: ['link_tracking_domain_id'],
    multiple: false,
  },
  {
    kind: 'contactList',
    title: 'Contact lists',
    idTitle: 'contact_list_id',
    fields: ['contact_list_ids', 'suppression_list_ids'],
    multiple: true,
  },
  { kind: 'media', title: 'Media', idTitle: 'media_id', fields: ['media_ids'], multiple: true },
];

/** The Lookup sheet's blocks for this account (media only when the account's media were read). */
export function lookupBlocks(snapshot: AccountSnapshot): LookupBlock[] {
  const names = accountNames(snapshot);
  const hasMedia = Object.values(snapshot.byOrganization).some((d) =>
    Array.isArray((d as MediaExtension).media),
  );
  return BLOCKS.filter((b) => b.kind !== 'media' || hasMedia).map((b) => ({
    ...b,
    choices: names.choices(b.kind),
  }));
}

/** The Lookup sheet as rows (three columns per block: value, id, where it belongs). */
export function lookupRows(blocks: readonly LookupBlock[]): string[][] {
  const height = Math.max(0, ...blocks.map((b) => b.choices.length));
  const rows: string[][] = [blocks.flatMap((b) => [b.title, b.idTitle, 'belongs to'])];
  for (let i = 0; i < height; i++) {
    rows.push(
      blocks.flatMap((b) => {
        const c = b.choices[i];
        return c ? [c.value, c.id, c.where] : ['', '', ''];
      }),
    );
  }
  return rows;
}

/** One dropdown per reference column that has values to offer. */
export function dropdowns(blocks: readonly LookupBlock[]): ListValidation[] {
  const out: ListValidation[] = [];
  blocks.forEach((b, i) => {
    if (b.choices.length === 0) return;
    const col = columnName(i * 3);
    const source = `${LOOKUP_SHEET}!$${col}$2:$${col}$${b.choices.length + 1}`;
    for (const field of b.fields) {
      const target = columnName(FIELD_NAMES.indexOf(field));
      out.push({
        sqref: `${target}2:${target}${DROPDOWN_ROWS + 1}`,
        source,
        allowOther: b.multiple || field === 'phone_number_id',
        prompt: {
          title: b.title,
          text: b.multiple
            ? `Pick one, or type several separated by semicolons. Names and ids both work; see the ${LOOKUP_SHEET} sheet.`
            : `Pick from the list. Names and ids both work; see the ${LOOKUP_SHEET} sheet.`,
        },
      });
    }
  });
  return out;
}

/** The account-aware template, as XLSX bytes (no example rows: they would name another account). */
export function buildAccountTemplate(snapshot: AccountSnapshot): Uint8Array {
  const blocks = lookupBlocks(snapshot);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, projectsSheet([[...FIELD_NAMES]]), 'Projects');
  XLSX.utils.book_append_sheet(wb, columnsSheet(), 'Columns');
  const lookup = XLSX.utils.aoa_to_sheet(lookupRows(blocks));
  for (const key of Object.keys(lookup)) {
    const cell = lookup[key] as XLSX.CellObject | undefined;
    if (!key.startsWith('!') && cell) cell.z = '@';
  }
  lookup['!cols'] = blocks.flatMap(() => [{ wch: 34 }, { wch: 32 }, { wch: 36 }]);
  XLSX.utils.book_append_sheet(wb, lookup, LOOKUP_SHEET);
  const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
  return addListValidations(bytes, 'Projects', dropdowns(blocks));
}
