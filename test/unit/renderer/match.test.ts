/** Matching values: distinct names once per field and scope, their options, and the edits a choice makes. */
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/sandbox/seed';
import { seedSnapshot } from '../account/seed-snapshot';
import { accountNames, resolvedId } from '../../../src/shared/account/resolve';
import type { FieldName } from '../../../src/shared/schema/fields';
import {
  entityWhere,
  filterOptions,
  holdsNames,
  matchEdits,
  matchGroups,
  matchOptions,
  memoryKey,
  replaceInCell,
  type MatchSource,
} from '../../../src/renderer/src/model/match';

/** A sheet in memory: its fields, one per column, and its rows. */
function sheet(fields: FieldName[], rows: string[][]): MatchSource & { data: string[][] } {
  const data = rows.map((r) => [...r]);
  return {
    data,
    rows: Int32Array.from(data.keys()),
    column: (f) => fields.indexOf(f),
    cell: (r, c) => data[r]?.[c] ?? '',
  };
}

function apply(src: ReturnType<typeof sheet>, edits: Array<{ row: number; col: number; value: string }>) {
  for (const e of edits) src.data[e.row]![e.col] = e.value;
}

const FIELDS: FieldName[] = ['organization_id', 'brand_id', 'campaign_id', 'contact_list_ids'];
const names = accountNames(seedSnapshot());

describe('matchGroups', () => {
  it('lists each distinct value once per field and scope, with the rows using it', () => {
    const src = sheet(FIELDS, [
      ['Rivera for Senate', 'Rivera for Senate', 'Rivera GOTV 2026', 'Statewide supporters, 2024 donors'],
      ['rivera for senate', 'Rivera for Senate', 'rivera gotv 2026', '2024 donors'],
      ['Rivera for Senate', 'Rivera for Senate', 'Rivera GOTV 2026', S.CL_RIVERA_SUPPORTERS],
    ]);
    const groups = matchGroups(src, names, '');
    const view = groups.map((g) => [g.field, g.text, g.rows, g.status, resolvedId(g.resolution)]);
    expect(view).toEqual([
      ['organization_id', 'Rivera for Senate', [0, 1, 2], 'matched', S.ORG_SENATE],
      ['brand_id', 'Rivera for Senate', [0, 1, 2], 'matched', S.BRAND_RIVERA],
      ['campaign_id', 'Rivera GOTV 2026', [0, 1, 2], 'matched', S.CAMP_RIVERA_GOTV],
      ['contact_list_ids', '2024 donors', [0, 1], 'matched', S.CL_RIVERA_DONORS],
      ['contact_list_ids', 'Statewide supporters', [0], 'matched', S.CL_RIVERA_SUPPORTERS],
    ]);
    // Spellings that differ only in case are one value.
    expect(groups[0]!.variants).toEqual(['Rivera for Senate', 'rivera for senate']);
    // An id is not a name: the list cell of ids makes no group.
    expect(groups.some((g) => g.text === S.CL_RIVERA_SUPPORTERS)).toBe(false);
    expect(groups.find((g) => g.field === 'campaign_id')!.where).toBe('brand Rivera for Senate');
  });

  it('shows a text resolved differently in two scopes once per scope', () => {
    const src = sheet(FIELDS, [
      ['Rivera for Senate', '', '', 'Volunteers'],
      ['Forward Together PAC', '', '', 'Volunteers'],
      ['Rivera for Senate', '', '', 'Volunteers'],
    ]);
    const lists = matchGroups(src, names, '').filter((g) => g.field === 'contact_list_ids');
    expect(lists.map((g) => [g.rows, resolvedId(g.resolution), g.where])).toEqual([
      [[1], S.CL_PAC_VOLUNTEERS, 'organization Forward Together PAC'],
      [[0, 2], S.CL_RIVERA_VOLUNTEERS, 'organization Rivera for Senate'],
    ]);
  });

  it('uses the default organization as the scope of rows without one', () => {
    const src = sheet(FIELDS, [['', '', '', 'Volunteers']]);
    const [g] = matchGroups(src, names, S.ORG_PAC);
    expect(resolvedId(g!.resolution)).toBe(S.CL_PAC_VOLUNTEERS);
    // The default organization is no typed value: it makes no group of its own.
    expect(matchGroups(src, names, S.ORG_PAC).some((x) => x.field === 'organization_id')).toBe(false);
  });

  it('asks for a decision where several fit, and offers those first', () => {
    const src = sheet(FIELDS, [
      ['Forward Together PAC', 'Forward Together Action Fund', 'Action Fund Phone Bank', ''],
      ['Forward Together PAC', 'Forward Together Action Fund', 'Action Fund Phone Bank', ''],
    ]);
    const g = matchGroups(src, names, '').find((x) => x.field === 'campaign_id')!;
    expect(g.status).toBe('decide');
    expect(g.rows).toEqual([0, 1]);
    const options = matchOptions(names, g);
    const suggested = options.filter((o) => o.suggested).map((o) => o.id);
    expect(suggested.sort()).toEqual([S.CAMP_ACTION_PHONE_BANK, S.CAMP_ACTION_PHONE_BANK_COPY].sort());
    expect(options.slice(0, 2).every((o) => o.suggested)).toBe(true);
    // Only campaigns of that brand are offered, each with a value that resolves to exactly it there.
    expect(options.some((o) => o.id === S.CAMP_RIVERA_GOTV)).toBe(false);
    for (const o of options) expect(resolvedId(names.resolve('campaign_id', o.value, g.scope))).toBe(o.id);
  });

  it('asks for a decision on an unknown name, with the closest name suggested', () => {
    const src = sheet(FIELDS, [['Rivera for Senate', 'Rivera for Senate', 'Rivera GOTV 2062', '']]);
    const g = matchGroups(src, names, '').find((x) => x.field === 'campaign_id')!;
    expect(g.status).toBe('decide');
    expect(g.resolution.kind).toBe('not_found');
    const first = matchOptions(names, g)[0]!;
    expect(first).toMatchObject({ id: S.CAMP_RIVERA_GOTV, suggested: true, value: 'Rivera GOTV 2026' });
  });
});

describe('a choice', () => {
  it('replaces the typed text in every cell of the group, and only that item in a list', () => {
    const src = sheet(FIELDS, [
      ['Rivera for Senate', '', '', 'Statewide supporters, Volunters'],
      ['Rivera for Senate', '', '', 'volunters'],
      ['Forward Together PAC', '', '', 'Volunters'],
    ]);
    const g = matchGroups(src, names, '').find(
      (x) => x.text === 'Volunters' && x.scope.organizationId === S.ORG_SENATE,
    )!;
    expect(g.rows).toEqual([0, 1]);
    const option = matchOptions(names, g).find((o) => o.id === S.CL_RIVERA_VOLUNTEERS)!;
    const edits = matchEdits(src, g, option.value);
    expect(edits).toEqual([
      { row: 0, col: 3, value: 'Statewide supporters, Volunteers' },
      { row: 1, col: 3, value: 'Volunteers' },
    ]);
    apply(src, edits);
    // The cells now resolve by themselves; the row of the other organization still waits.
    const after = matchGroups(src, names, '').filter((x) => x.status === 'decide');
    expect(after.map((x) => [x.text, x.rows])).toEqual([['Volunters', [2]]]);
  });

  it('writes a list as JSON when an item holds a comma', () => {
    expect(replaceInCell('contact_list_ids', 'a; b', 'b', 'Smith, Jones')).toBe('["a","Smith, Jones"]');
    expect(replaceInCell('contact_list_ids', '["a", "b"]', 'a', 'c')).toBe('["c","b"]');
    expect(replaceInCell('contact_list_ids', 'a, b', 'x', 'y')).toBe('a, b');
    expect(replaceInCell('campaign_id', '  Rivera GOTV 2062 ', 'Rivera GOTV 2062', 'X')).toBe('X');
    expect(replaceInCell('campaign_id', 'Other', 'Rivera GOTV 2062', 'X')).toBe('Other');
    // Another spelling of the same text is the same value.
    expect(replaceInCell('campaign_id', 'rivera  gotv 2062', 'Rivera GOTV 2062', 'X')).toBe('X');
    expect(replaceInCell('contact_list_ids', 'Volunters, VOLUNTERS', 'Volunters', 'V')).toBe('V, V');
  });

  it('is remembered under the field, scope and text, case and spacing forgiven', () => {
    expect(memoryKey('campaign_id', 'o|b', 'Rivera  GOTV 2062')).toBe(
      memoryKey('campaign_id', 'o|b', 'rivera gotv 2062'),
    );
    expect(memoryKey('campaign_id', 'o|b', 'x')).not.toBe(memoryKey('brand_id', 'o|b', 'x'));
    expect(memoryKey('campaign_id', 'o|b', 'x')).not.toBe(memoryKey('campaign_id', 'o|c', 'x'));
  });
});

describe('entityWhere', () => {
  it('says where an entity of the account belongs', () => {
    expect(entityWhere(names, 'campaign', S.CAMP_RIVERA_GOTV)).toBe('brand Rivera for Senate');
    expect(entityWhere(names, 'contactList', S.CL_PAC_VOLUNTEERS)).toBe('organization Forward Together PAC');
    expect(entityWhere(names, 'campaign', 'camp_unknown')).toBe('');
  });
});

describe('holdsNames', () => {
  it('is true only when a reference cell holds something other than ids', () => {
    expect(
      holdsNames(sheet(FIELDS, [[S.ORG_SENATE, S.BRAND_RIVERA, '', `${S.CL_RIVERA_DONORS} cl_x`]])),
    ).toBe(false);
    expect(holdsNames(sheet(FIELDS, [[S.ORG_SENATE, '', '', 'Volunteers']]))).toBe(true);
    expect(holdsNames(sheet(['name'], [['Rivera for Senate']]))).toBe(false);
  });
});

describe('filterOptions', () => {
  it('keeps the options holding every word of the search', () => {
    const src = sheet(FIELDS, [['Rivera for Senate', '', '', 'Volunters']]);
    const g = matchGroups(src, names, '').find((x) => x.field === 'contact_list_ids')!;
    const options = matchOptions(names, g);
    expect(filterOptions(options, '2025 DON').map((o) => o.id)).toEqual([S.CL_RIVERA_DONORS_2025]);
    expect(filterOptions(options, S.CL_RIVERA_VOLUNTEERS).map((o) => o.id)).toEqual([S.CL_RIVERA_VOLUNTEERS]);
    expect(filterOptions(options, '  ')).toHaveLength(options.length);
    // Lists of the other organization are not offered to these rows.
    expect(options.some((o) => o.id === S.CL_PAC_VOLUNTEERS)).toBe(false);
  });
});
