/**
 * The CSV layer drives papaparse's record parser (`Papa.Parser`, the engine under `Papa.parse`, not
 * part of its documented API) directly: that is what lets the stream hand it text cut anywhere and
 * the whole-file reader run at the speed of a bare parse. The version is pinned exactly in
 * package.json; this test states every behaviour the code relies on, so an upgrade that changes one
 * of them fails here, not in a user's file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

interface CoreResult {
  data: string[][];
  errors: { code: string; row: number }[];
  meta: { cursor: number };
}
type Core = { parse(input: string, baseIndex: number, ignoreLastRow: boolean): CoreResult };
const parser = (delimiter: string, newline: '\n' | '\r\n' | '\r', preview = 0): Core =>
  new Papa.Parser({ delimiter, newline, quoteChar: '"', preview }) as unknown as Core;

const ROOT = join(import.meta.dirname, '../../..');

describe('papaparse, as the CSV reader uses it', () => {
  it('is the exact version pinned in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules/papaparse/package.json'), 'utf8')) as {
      version: string;
    };
    expect(pkg.dependencies.papaparse).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed.version).toBe(pkg.dependencies.papaparse);
  });

  it('exposes Parser, a constructor taking the config', () => {
    expect(typeof Papa.Parser).toBe('function');
    expect(typeof parser(',', '\n').parse).toBe('function');
  });

  it('parses every record, cells as text, quoted cells unquoted, with the newline it is given', () => {
    expect(parser(',', '\n').parse('a,"b,""c"""\n1,2\n', 0, false).data).toEqual([
      ['a', 'b,"c"'],
      ['1', '2'],
      [''],
    ]);
    expect(parser(';', '\r\n').parse('a;b\r\n"x\ny";2', 0, false).data).toEqual([
      ['a', 'b'],
      ['x\ny', '2'],
    ]);
    expect(parser('\t', '\r').parse('a\tb\r1\t2', 0, false).data).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('with ignoreLastRow, leaves out the record cut at the end and puts the cursor at its start', () => {
    for (const text of ['a,b\n1,2\n3,"x', 'a,b\n1,2\n3,x', 'a,b\n1,2\n"3\n']) {
      const r = parser(',', '\n').parse(text, 0, true);
      expect(r.data).toEqual([
        ['a', 'b'],
        ['1', '2'],
      ]);
      expect(r.meta.cursor).toBe('a,b\n1,2\n'.length);
    }
  });

  it('is reusable: each parse starts afresh on its own input', () => {
    const p = parser(',', '\n');
    p.parse('a,"open\n', 0, true);
    expect(p.parse('x,y\n', 0, false).data).toEqual([['x', 'y'], ['']]);
  });

  it('names an unclosed quote MissingQuotes and a misplaced one InvalidQuotes, by record index', () => {
    const missing = parser(',', '\n').parse('a,b\n1,"open\n2,3', 0, false);
    expect(missing.errors.map((e) => [e.code, e.row])).toEqual([['MissingQuotes', 1]]);
    const invalid = parser(',', '\n').parse('a,b\n"Hi" she said,2\n', 0, false);
    expect(invalid.errors.map((e) => e.code)).toContain('InvalidQuotes');
    expect(invalid.errors.find((e) => e.code === 'InvalidQuotes')!.row).toBe(1);
  });

  it('closes a quoted cell at a quote followed by spaces then a separator', () => {
    expect(parser(',', '\n').parse('"a"  ,b\n', 0, false).data[0]).toEqual(['a', 'b']);
  });

  it('stops after `preview` records', () => {
    expect(parser(',', '\n', 2).parse('a\nb\nc\nd\n', 0, false).data).toEqual([['a'], ['b']]);
  });
});
