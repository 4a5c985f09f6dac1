import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSheet } from '../../src/shared/sheet';
import { validateSheet } from '../../src/shared/validate';
import { exampleGrid } from '../../scripts/make-examples';
import { SEED } from '../../src/sandbox/seed';
import Papa from 'papaparse';

const EXPECTED = [
  '4 campaign_id error required_for_10dlc',
  '6 brand_id error forbidden_for_toll_free',
  '8 protocol error invalid_protocol',
  '10 phone_number_ids error duplicate_phone_number',
  '12 link_tracking_domain_id error required_for_link_tracking',
  '13 name warning duplicate_name',
  '14 name warning duplicate_name',
  '16 message_text warning missing_link_tag',
];

describe.each(['projects.csv', 'projects.xlsx'])('examples/%s', (name) => {
  const bytes = new Uint8Array(
    readFileSync(fileURLToPath(new URL(`../../examples/${name}`, import.meta.url))),
  );
  const sheet = readSheet(bytes, { fileName: name });
  const v = validateSheet(sheet);

  it('holds twenty projects with exactly the deliberate mistakes', () => {
    expect(v.rows).toHaveLength(20);
    const found = v.rows.flatMap((r) => r.issues.map((i) => `${i.row} ${i.field} ${i.severity} ${i.code}`));
    expect(found).toEqual(EXPECTED);
    expect(v.rows.filter((r) => r.payload).length).toBe(15);
    expect(v.fileWarnings.map((w) => w.code)).toEqual(['unmapped_columns']);
  });

  it('matches the generator, so the committed file is current', () => {
    expect([sheet.headers, ...sheet.rows.map((r) => r.cells)]).toEqual(exampleGrid());
  });

  it('uses only ids of the Sandbox seed', () => {
    const known = new Set<string>(
      Object.values(SEED).flatMap((items: Array<{ id?: string }>) => items.map((i) => i.id ?? '')),
    );
    for (const r of v.rows) {
      if (!r.payload) continue;
      const ids = [
        r.payload.organization_id,
        r.payload.brand_id,
        r.payload.campaign_id,
        r.payload.toll_free_verification_id,
        r.payload.link_tracking_domain_id,
        ...(r.payload.phone_number_ids ?? []),
        ...(r.payload.contact_list_ids ?? []),
        ...(r.payload.suppression_list_ids ?? []),
      ].filter((x): x is string => !!x);
      for (const id of ids) expect(known, `row ${r.row}: ${id}`).toContain(id);
    }
  });
});

it('the CSV example opens in Excel with its dashes intact (UTF-8 byte-order mark)', () => {
  const bytes = readFileSync(fileURLToPath(new URL('../../examples/projects.csv', import.meta.url)));
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(Papa.parse(bytes.toString('utf8').slice(1)).errors).toEqual([]);
});
